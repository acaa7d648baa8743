package io.stocksync.testkit.amazon;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request and its answer, as the emulator saw them, for tests that validate traffic against
 * Amazon's models.
 *
 * @param operation the SP-API operation id (e.g. {@code searchListingsItems}), {@code lwaToken},
 *     {@code uploadFeedDocument}, {@code downloadFeedDocument} or {@code unknown}
 * @param method the HTTP method
 * @param path the request path without the query
 * @param query the query parameters, each with all its values
 * @param requestHeaders the request headers, names in lower case (the access token masked)
 * @param requestBody the request body, or null
 * @param status the HTTP status answered
 * @param responseHeaders the response headers, names in lower case
 * @param responseBody the response body, or empty
 */
public record Exchange(
    String operation,
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, String> requestHeaders,
    @Nullable String requestBody,
    int status,
    Map<String, String> responseHeaders,
    String responseBody) {}
