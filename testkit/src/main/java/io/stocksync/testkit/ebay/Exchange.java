package io.stocksync.testkit.ebay;

import java.util.Map;

/**
 * One request the emulator answered and its answer, for spec validation of recorded traffic.
 *
 * @param method the HTTP method
 * @param path the request path, without the query
 * @param query the raw (still percent-encoded) query, empty when none
 * @param requestHeaders the request headers (last value per lower-case name)
 * @param requestBody the request body, empty when none
 * @param status the HTTP status answered
 * @param responseContentType the answer's content type
 * @param responseBody the answer's body
 */
public record Exchange(
    String method,
    String path,
    String query,
    Map<String, String> requestHeaders,
    String requestBody,
    int status,
    String responseContentType,
    String responseBody) {
  /**
   * Copies the headers.
   *
   * @param method see the record description
   * @param path see the record description
   * @param query see the record description
   * @param requestHeaders see the record description
   * @param requestBody see the record description
   * @param status see the record description
   * @param responseContentType see the record description
   * @param responseBody see the record description
   */
  public Exchange {
    requestHeaders = Map.copyOf(requestHeaders);
  }
}
