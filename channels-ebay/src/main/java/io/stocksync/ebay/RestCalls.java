package io.stocksync.ebay;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.Moshi;
import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.Response;

/**
 * Runs one REST call and turns eBay's answers into the SPI's exceptions. eBay's REST error body
 * is {@code {"errors": [{errorId, domain, category, message, longMessage, parameters}]}}
 * (https://developer.ebay.com/api-docs/static/handling-error-messages.html):
 *
 * <ul>
 *   <li>401 (errorId 1001, invalid or expired token; the OAuth interceptor has already refreshed
 *       once) → {@link CredentialsException};
 *   <li>429 (errorId 2001, a call quota spent) and 5xx → {@link RetryLaterException};
 *   <li>other 4xx → {@link ChannelException} naming eBay's errorIds; 404 is returned to the caller
 *       when it asked for it.
 * </ul>
 */
final class RestCalls {
  /** A parsed answer: HTTP status and JSON body (empty map when there was none). */
  record Answer(int status, Map<String, Object> body) {}

  private final JsonAdapter<Object> json = new Moshi.Builder().build().adapter(Object.class);
  private final Redactor redactor;

  RestCalls(Redactor redactor) {
    this.redactor = redactor;
  }

  /** Secret scrubbing for messages built from transport exceptions. */
  interface Redactor {
    @Nullable String redact(@Nullable String text);
  }

  Answer execute(Call<ResponseBody> call, String operation, boolean notFoundIsAnswer) {
    Response<ResponseBody> response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw new RetryLaterException("eBay " + operation + " failed: " + redactor.redact(e.toString()),
          null, null);
    }
    int status = response.code();
    String text;
    try (ResponseBody body = response.isSuccessful() ? response.body() : response.errorBody()) {
      text = body == null ? "" : body.string();
    } catch (IOException e) {
      throw new RetryLaterException("eBay " + operation + " body unreadable: " + e, null, null);
    }
    Map<String, Object> parsed = parse(text, operation, status);
    if (status >= 200 && status < 300) {
      return new Answer(status, parsed);
    }
    String errors = describe(parsed);
    if (status == 401 || status == 403) {
      throw new CredentialsException("eBay refused the credentials on " + operation + " (HTTP "
          + status + errors + ")", null);
    }
    if (status == 429) {
      throw new RetryLaterException("eBay " + operation + " rate limited (HTTP 429" + errors + ")",
          retryAfter(response), null);
    }
    if (status >= 500) {
      throw new RetryLaterException("eBay " + operation + " failed (HTTP " + status + errors + ")",
          retryAfter(response), null);
    }
    if (status == 404 && notFoundIsAnswer) {
      return new Answer(status, parsed);
    }
    throw new ChannelException("eBay " + operation + " refused (HTTP " + status + errors + ")", null);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> parse(String text, String operation, int status) {
    if (text.isBlank()) {
      return Map.of();
    }
    try {
      Object value = json.fromJson(text);
      if (value instanceof Map<?, ?> map) {
        return (Map<String, Object>) map;
      }
    } catch (IOException | JsonDataException e) {
      if (status >= 500) {
        return Map.of(); // a proxy's HTML error page: the status says enough
      }
      throw new MalformedResponseException("eBay " + operation + " answered HTTP " + status
          + " with a body that is not JSON", e);
    }
    if (status >= 500) {
      return Map.of();
    }
    throw new MalformedResponseException("eBay " + operation + " answered HTTP " + status
        + " with JSON that is not an object", null);
  }

  /** Lists eBay's error ids and messages, e.g. {@code ": errorId 25709 Invalid value for sku"}. */
  static String describe(Map<String, Object> body) {
    Object errors = body.get("errors");
    if (!(errors instanceof List<?> list) || list.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Object e : list) {
      if (e instanceof Map<?, ?>) {
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) e;
        parts.add("errorId " + errorId(error) + " " + Json.optStr(error, "message"));
      }
    }
    return ": " + String.join("; ", parts);
  }

  static long errorId(Map<String, Object> error) {
    Object id = error.get("errorId");
    return id instanceof Number n ? n.longValue() : -1;
  }

  private static @Nullable Duration retryAfter(Response<ResponseBody> response) {
    String header = response.headers().get("Retry-After");
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
