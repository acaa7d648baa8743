package io.stocksync.core;

import org.jspecify.annotations.Nullable;

/**
 * A channel refused the store's credentials (revoked or expired token, {@code invalid_grant}).
 * The store moves to {@code NEEDS_REAUTH}; reconnect it with fresh credentials. The message never
 * contains the credentials themselves.
 */
public class CredentialsException extends StockSyncException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the channel said, without secrets
   * @param cause the underlying failure, may be null
   */
  public CredentialsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
