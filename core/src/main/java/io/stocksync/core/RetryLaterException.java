package io.stocksync.core;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A transient failure: rate limit, server error, timeout. The same call may succeed later;
 * {@link #retryAfter()} says how long the channel asked us to wait, if it said.
 */
public class RetryLaterException extends StockSyncException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param message what happened
   * @param retryAfter the wait the peer asked for, or null if it did not say
   * @param cause the underlying failure, may be null
   */
  public RetryLaterException(
      String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * Returns the wait the peer asked for.
   *
   * @return the wait, or empty if the peer did not say
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
