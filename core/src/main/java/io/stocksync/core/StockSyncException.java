package io.stocksync.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception stocksync throws. Subclasses say what the caller should do: fix the
 * input ({@link InvalidInputException}), reconnect ({@link CredentialsException}), retry later
 * ({@link RetryLaterException}) or give up on a broken peer ({@link ChannelException}).
 */
public class StockSyncException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong
   */
  public StockSyncException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure, may be null
   */
  public StockSyncException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
