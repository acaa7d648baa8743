package io.stocksync.testkit.amazon;

/** A transport fault {@link AmazonEmulator#failNext(int, Fault)} injects into SP-API calls. */
public enum Fault {
  /** HTTP 429 {@code QuotaExceeded}; nothing is executed and no token is taken. */
  TOO_MANY_REQUESTS,
  /** HTTP 500 {@code InternalFailure}; nothing is executed. */
  SERVER_ERROR,
  /** HTTP 503 {@code ServiceUnavailable}; nothing is executed. */
  SERVICE_UNAVAILABLE,
  /** HTTP 200 with a truncated JSON body; nothing is executed. */
  MALFORMED_JSON,
  /** HTTP 403 {@code Unauthorized} for an expired token, as if the token had just expired. */
  EXPIRED_TOKEN
}
