package io.stocksync.testkit.etsy;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request the {@link EtsyEmulator} answered and its answer, as seen on the wire, so a test can
 * validate both against Etsy's OpenAPI description.
 *
 * @param method the HTTP method
 * @param path the encoded path, e.g. {@code /v3/application/users/me}
 * @param query the encoded query string without {@code ?}, or null
 * @param requestHeaders the request's headers (names lower-case, every value)
 * @param requestBody the request body as text, or null
 * @param status the answer's status code
 * @param responseHeaders the answer's headers (names lower-case)
 * @param responseBody the answer's body as text
 */
public record Exchange(
    String method,
    String path,
    @Nullable String query,
    Map<String, List<String>> requestHeaders,
    @Nullable String requestBody,
    int status,
    Map<String, List<String>> responseHeaders,
    String responseBody) {
  /**
   * Copies the maps.
   *
   * @param method see the record description
   * @param path see the record description
   * @param query see the record description
   * @param requestHeaders see the record description
   * @param requestBody see the record description
   * @param status see the record description
   * @param responseHeaders see the record description
   * @param responseBody see the record description
   */
  public Exchange {
    requestHeaders = Map.copyOf(requestHeaders);
    responseHeaders = Map.copyOf(responseHeaders);
  }
}
