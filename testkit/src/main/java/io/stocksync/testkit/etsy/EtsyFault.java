package io.stocksync.testkit.etsy;

/** A fault the {@link EtsyEmulator} injects instead of answering the next request normally. */
public enum EtsyFault {
  /** HTTP 500 with Etsy's error body; nothing is applied. */
  SERVER_ERROR,
  /** HTTP 503 with Etsy's error body; nothing is applied. */
  SERVICE_UNAVAILABLE,
  /** HTTP 500 after the request was applied (the client cannot know it landed). */
  SERVER_ERROR_AFTER_COMMIT,
  /** HTTP 429 with {@code retry-after: 2}; nothing is applied. */
  TOO_MANY_REQUESTS,
  /** HTTP 200 with a truncated JSON body; nothing is applied. */
  MALFORMED_JSON,
  /**
   * The answer's headers come after 3 seconds of real time: a client with a shorter read timeout
   * times out.
   */
  TIMEOUT
}
