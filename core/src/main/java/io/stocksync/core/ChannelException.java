package io.stocksync.core;

import org.jspecify.annotations.Nullable;

/**
 * A channel answered in a way we cannot use: a malformed response (see
 * {@link MalformedResponseException}) or a well-formed refusal that retrying will not change.
 */
public class ChannelException extends StockSyncException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the channel said, without secrets
   * @param cause the underlying failure, may be null
   */
  public ChannelException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
