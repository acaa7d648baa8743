package io.stocksync.oauth;

/**
 * Internal: the endpoint said the refresh token is dead ({@code invalid_grant}). The source turns
 * it into a {@link io.stocksync.core.CredentialsException} after remembering the dead token.
 */
final class InvalidGrantException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidGrantException(String message) {
    super(message, null, false, false);
  }
}
