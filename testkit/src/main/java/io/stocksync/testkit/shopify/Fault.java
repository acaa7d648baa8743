package io.stocksync.testkit.shopify;

/**
 * A transport fault the emulator can inject into GraphQL requests; see {@link
 * ShopifyEmulator#failNext(int, Fault)} and {@link ShopifyEmulator#failFraction(double, Fault)}.
 */
public enum Fault {
  /**
   * HTTP 429 with {@code Retry-After: 2} and Shopify's REST-style "Exceeded 2 calls per second"
   * body. Nothing is executed and no points are charged.
   */
  TOO_MANY_REQUESTS,
  /** HTTP 500 before anything is executed; no points are charged. */
  SERVER_ERROR,
  /**
   * The request is executed completely (state changed, points charged, idempotency key recorded,
   * webhooks sent) and then answered with HTTP 502, so a retry with the same idempotency key must
   * be replayed rather than applied again.
   */
  SERVER_ERROR_AFTER_COMMIT,
  /**
   * HTTP 200 with a truncated JSON body. Nothing is executed and no points are charged, so a
   * retry is always safe.
   */
  MALFORMED_JSON,
  /**
   * The request is executed and answered normally, but the response body is held back for the
   * configured delay ({@link ShopifyEmulator#slowDelay(java.time.Duration)}). The delay is real
   * wall-clock time, not the emulator's clock: it exists to exercise client read timeouts.
   */
  SLOW
}
