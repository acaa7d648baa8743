package io.stocksync.amazon;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.Response;

/**
 * Sends one SP-API call and turns every way it can fail into the SPI's exceptions: 403 (after the
 * token source's one refresh) → {@link CredentialsException}; 429, 5xx and I/O → {@link
 * RetryLaterException}; other failures → {@link ChannelException} quoting Amazon's {@code
 * errors[].code/message}; unreadable bodies → {@link MalformedResponseException}. Keeps {@link
 * RateLimits} in step with {@code x-amzn-RateLimit-Limit} and 429s. Messages pass through the
 * connector's redaction.
 */
final class SpClient {
  private final RateLimits limits;
  private final UnaryOperator<String> redact;

  SpClient(RateLimits limits, UnaryOperator<String> redact) {
    this.limits = limits;
    this.redact = redact;
  }

  /** The parsed body of a 2xx answer. */
  Map<String, Object> call(String operation, Call<ResponseBody> call) {
    Map<String, Object> body = callOrNotFound(operation, call);
    if (body == null) {
      throw new ChannelException("Amazon " + operation + " answered 404 Not Found", null);
    }
    return body;
  }

  /** The parsed body of a 2xx answer, or null on 404. */
  @Nullable Map<String, Object> callOrNotFound(String operation, Call<ResponseBody> call) {
    limits.take(operation);
    Response<ResponseBody> response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw new RetryLaterException(redact.apply("Amazon " + operation + " failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")),
          null, null);
    }
    String limit = response.headers().get("x-amzn-RateLimit-Limit");
    if (limit != null) {
      limits.observe(operation, limit);
    }
    int code = response.code();
    if (response.isSuccessful()) {
      try (ResponseBody b = response.body()) {
        String text = b == null ? "" : b.string();
        if (text.isEmpty()) {
          return Map.of();
        }
        return Js.obj(Js.parse(text, "Amazon " + operation), "Amazon " + operation);
      } catch (IOException e) {
        throw new RetryLaterException("Amazon " + operation + " body could not be read", null, null);
      }
    }
    String errors = errors(response);
    if (code == 404) {
      return null;
    }
    if (code == 401 || code == 403) {
      throw new CredentialsException(redact.apply("Amazon refused the access token for " + operation
          + " (HTTP " + code + errors + ")"), null);
    }
    if (code == 429) {
      limits.exhausted(operation);
      Duration wait = limits.delay(operation, 1);
      throw new RetryLaterException("Amazon rate limit for " + operation + " (HTTP 429" + errors
          + ")", wait.isZero() ? Duration.ofSeconds(1) : wait, null);
    }
    if (code >= 500) {
      throw new RetryLaterException("Amazon " + operation + " server error (HTTP " + code + errors
          + ")", null, null);
    }
    throw new ChannelException(redact.apply("Amazon " + operation + " answered HTTP " + code + errors),
        null);
  }

  /** {@code ": code: message; ..."} from an {@code {"errors":[...]}} body, or empty. */
  private static String errors(Response<ResponseBody> response) {
    try (ResponseBody b = response.errorBody()) {
      if (b == null) {
        return "";
      }
      Object parsed = Js.ADAPTER.fromJson(b.string());
      if (!(parsed instanceof Map<?, ?> root) || !(root.get("errors") instanceof java.util.List<?> list)) {
        return "";
      }
      StringBuilder sb = new StringBuilder();
      for (Object e : list) {
        if (e instanceof Map<?, ?> m) {
          sb.append(sb.length() == 0 ? ": " : "; ").append(m.get("code")).append(": ")
              .append(m.get("message"));
          if (m.get("details") != null) {
            sb.append(" (").append(m.get("details")).append(')');
          }
        }
      }
      return sb.toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
