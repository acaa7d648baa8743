package io.stocksync.testkit.ebay;

/** A failure {@link EbayEmulator#failNext(int, Fault)} injects into the next requests. */
public enum Fault {
  /**
   * HTTP 500 with eBay's error body (errorId 25001 on REST, a {@code SystemError} on Trading).
   */
  SERVER_ERROR,
  /** HTTP 429 with errorId 2001 (REST) or error 518 (Trading), as when a daily quota runs out. */
  TOO_MANY_REQUESTS,
  /** HTTP 401 with errorId 1001, as if the access token had expired. */
  EXPIRED_TOKEN
}
