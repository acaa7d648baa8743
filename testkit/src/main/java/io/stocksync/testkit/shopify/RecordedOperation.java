package io.stocksync.testkit.shopify;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request the emulator received on its GraphQL endpoint, with the HTTP status it answered.
 *
 * @param apiVersion the API version from the request path, e.g. {@code 2026-10}
 * @param operationName the {@code operationName} of the body, or {@code null} when absent or the
 *     body was not JSON
 * @param variables the {@code variables} of the body, deeply unmodifiable; JSON numbers are {@link
 *     Double}s as Moshi reads them; empty when absent
 * @param idempotencyKey the {@code idempotencyKey} variable when it is a string, else {@code null}
 * @param status the HTTP status code of the response
 */
public record RecordedOperation(
    String apiVersion,
    @Nullable String operationName,
    Map<String, @Nullable Object> variables,
    @Nullable String idempotencyKey,
    int status) {
  /**
   * Checks the components.
   *
   * @param apiVersion the API version from the request path
   * @param operationName the operation name, or {@code null}
   * @param variables the variables, already unmodifiable
   * @param idempotencyKey the idempotency key, or {@code null}
   * @param status the HTTP status code
   */
  public RecordedOperation {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(variables, "variables");
  }
}
