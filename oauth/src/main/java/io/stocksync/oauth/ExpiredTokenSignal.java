package io.stocksync.oauth;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Tells the {@linkplain OAuthTokenSource#interceptor interceptor} whether a channel's response
 * means "your access token expired or is unknown": it then refreshes once and retries the call
 * once. Each channel says it differently; the static factories cover the three we connect to.
 */
@FunctionalInterface
public interface ExpiredTokenSignal {

  /**
   * Decides whether a response rejects the access token.
   *
   * @param status the HTTP status code
   * @param body the start of the response body (up to 64 KiB), empty when there was none
   * @return true when the token should be refreshed and the call retried
   */
  boolean isExpired(int status, String body);

  /**
   * Any response with this status code.
   *
   * @param status e.g. 401
   * @return the signal
   */
  static ExpiredTokenSignal status(int status) {
    return (code, body) -> code == status;
  }

  /**
   * Etsy: HTTP 401 (the spec's answer to a missing, expired or invalid token).
   *
   * @return the signal
   */
  static ExpiredTokenSignal etsy() {
    return status(401);
  }

  /**
   * eBay REST APIs: HTTP 401 whose {@code errors[]} holds {@code errorId} 1001 ("Invalid access
   * token").
   *
   * @return the signal
   */
  static ExpiredTokenSignal ebay() {
    return (code, body) ->
        code == 401
            && ErrorBodies.errors(body).stream()
                .anyMatch(e -> e.get("errorId") instanceof Number n && n.intValue() == 1001);
  }

  /**
   * Amazon SP-API: HTTP 403 whose {@code errors[]} has code {@code Unauthorized} or mentions an
   * expired token (SP-API's 403 covers "Access Denied, Unauthorized, Expired Token").
   *
   * @return the signal
   */
  static ExpiredTokenSignal amazon() {
    return (code, body) ->
        code == 403
            && ErrorBodies.errors(body).stream()
                .anyMatch(
                    e ->
                        "unauthorized".equalsIgnoreCase(String.valueOf(e.get("code")))
                            || ErrorBodies.mentionsExpiry(e.get("message"))
                            || ErrorBodies.mentionsExpiry(e.get("details")));
  }
}

/** Reads the {@code errors[]} array the eBay and Amazon error bodies share. */
final class ErrorBodies {
  private static final JsonAdapter<Object> JSON = new Moshi.Builder().build().adapter(Object.class);

  private ErrorBodies() {}

  static List<Map<?, ?>> errors(String body) {
    if (body.isBlank()) {
      return List.of();
    }
    @Nullable Object parsed;
    try {
      parsed = JSON.lenient().fromJson(body);
    } catch (IOException | RuntimeException e) {
      return List.of(); // not JSON: not the signal we look for
    }
    if (!(parsed instanceof Map<?, ?> map) || !(map.get("errors") instanceof List<?> list)) {
      return List.of();
    }
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> m) {
        out.add(m);
      }
    }
    return out;
  }

  static boolean mentionsExpiry(@Nullable Object text) {
    return text instanceof String s && s.toLowerCase(Locale.ROOT).contains("expired");
  }
}
