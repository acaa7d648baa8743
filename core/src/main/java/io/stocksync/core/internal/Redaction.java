package io.stocksync.core.internal;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelConnector;
import org.jspecify.annotations.Nullable;

/**
 * Keeps secrets a connector holds out of everything the engine shows: logs, events, store status
 * and exceptions it rethrows. A transport library may quote a header value (an access token) in
 * its own exception messages, at any depth of the cause chain, so every message is passed through
 * {@link ChannelConnector#redact(String)} and raw exceptions from a connector are never logged or
 * rethrown: a sanitized copy (redacted messages, original stack traces) takes their place.
 */
public final class Redaction {
  private static final String WITHHELD = "[message withheld]";
  private static final int MAX_DEPTH = 8;

  private Redaction() {}

  /**
   * Redacts a text with a connector's secrets.
   *
   * @param connector the connector whose secrets to remove
   * @param text the text, or null
   * @return the redacted text, {@code "null"} for null; a fixed marker if redaction failed
   */
  public static String text(ChannelConnector connector, @Nullable String text) {
    try {
      return String.valueOf(connector.redact(text));
    } catch (RuntimeException e) {
      return WITHHELD;
    }
  }

  /**
   * Returns an exception's message, redacted.
   *
   * @param connector the connector whose secrets to remove
   * @param e the exception
   * @return the redacted message, {@code "null"} when there is none
   */
  public static String message(ChannelConnector connector, Throwable e) {
    return text(connector, e.getMessage());
  }

  /**
   * Returns a copy of an exception and its causes that is safe to log: each message redacted and
   * prefixed with the original class name, stack traces kept.
   *
   * @param connector the connector whose secrets to remove
   * @param e the exception
   * @return the sanitized copy
   */
  public static Throwable sanitized(ChannelConnector connector, Throwable e) {
    return sanitized(connector, e, 0);
  }

  private static Throwable sanitized(ChannelConnector connector, Throwable e, int depth) {
    Throwable cause = e.getCause();
    Throwable safeCause = cause == null || cause == e || depth >= MAX_DEPTH
        ? null : sanitized(connector, cause, depth + 1);
    Sanitized copy = new Sanitized(e.getClass().getName() + ": " + message(connector, e), safeCause);
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /**
   * Returns what the engine may rethrow to its host for a connector's failure: the same
   * {@code StockSyncException} type with a redacted message and a sanitized cause chain; any
   * other exception (a transport library's) wrapped in a {@link ChannelException}.
   *
   * @param connector the connector whose secrets to remove
   * @param e the connector's exception
   * @return the exception to throw
   */
  public static RuntimeException forHost(ChannelConnector connector, RuntimeException e) {
    String message = message(connector, e);
    Throwable cause = e.getCause() == null ? null : sanitized(connector, e.getCause());
    RuntimeException out;
    if (e instanceof CredentialsException) {
      out = new CredentialsException(message, cause);
    } else if (e instanceof RetryLaterException) {
      out = new RetryLaterException(message, ((RetryLaterException) e).retryAfter().orElse(null),
          cause);
    } else if (e instanceof MalformedResponseException) {
      out = new MalformedResponseException(message, cause);
    } else if (e instanceof ChannelException) {
      out = new ChannelException(message, cause);
    } else {
      out = new ChannelException("connector failed: " + e.getClass().getName() + ": " + message,
          sanitized(connector, e));
    }
    out.setStackTrace(e.getStackTrace());
    return out;
  }

  /** A redacted stand-in for an exception from a connector or its transport. */
  static final class Sanitized extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Sanitized(String message, @Nullable Throwable cause) {
      super(message, cause, false, true);
    }
  }
}
