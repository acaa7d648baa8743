package io.stocksync.oauth;

/**
 * How the app proves who it is to the token endpoint when it refreshes (RFC 6749 §2.3).
 */
public enum ClientAuthentication {
  /**
   * HTTP Basic: {@code Authorization: Basic base64(client_id:client_secret)}, no client fields in
   * the body (eBay).
   */
  BASIC,
  /** {@code client_id} and {@code client_secret} as request fields (Login with Amazon). */
  BODY,
  /**
   * A public client: {@code client_id} as a request field and no secret (Etsy, whose apps use
   * PKCE and send the API keystring as the client id).
   */
  NONE
}
