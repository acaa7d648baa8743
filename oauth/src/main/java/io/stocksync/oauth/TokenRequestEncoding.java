package io.stocksync.oauth;

/** How the refresh request's fields are encoded in its body. */
public enum TokenRequestEncoding {
  /** {@code application/x-www-form-urlencoded}, the OAuth 2.0 standard (RFC 6749 §6). */
  FORM,
  /**
   * A JSON object with the same fields, {@code application/json}; Login with Amazon accepts it
   * (its Java client sends it).
   */
  JSON
}
