package io.stocksync.etsy.internal;

import io.stocksync.core.internal.Json;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.Moshi;
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
 * Executes one Etsy call and turns every way it can fail into the SPI's exceptions: 401/403 →
 * {@link CredentialsException}; 429 (with {@code retry-after}), 5xx and I/O → {@link
 * RetryLaterException}; other 4xx → {@link EtsyApiException} with Etsy's {@code error}; an
 * unreadable body → {@link MalformedResponseException}. Feeds the limit headers and 429s to the
 * {@link RateBudget}. Messages pass through the connector's redaction.
 */
public final class EtsyClient {
  private final RateBudget budget;
  private final JsonAdapter<Object> json;
  private final UnaryOperator<String> redact;

  /**
   * Creates a client.
   *
   * @param budget the rate budget to feed
   * @param moshi the JSON library
   * @param redact removes secrets from messages
   */
  public EtsyClient(RateBudget budget, Moshi moshi, UnaryOperator<String> redact) {
    this.budget = budget;
    this.json = moshi.adapter(Object.class);
    this.redact = redact;
  }

  /**
   * Executes a call.
   *
   * @param what the operation, for messages
   * @param call the call
   * @return the parsed JSON object
   * @throws CredentialsException if Etsy refused the key or token
   * @throws RetryLaterException on 429, 5xx or a transport failure
   * @throws EtsyApiException on another 4xx
   * @throws MalformedResponseException if the body cannot be read
   */
  public Map<String, Object> execute(String what, Call<ResponseBody> call) {
    budget.sent();
    Response<ResponseBody> response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw new RetryLaterException(redact.apply("Etsy " + what + " failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")),
          null, null);
    }
    int code = response.code();
    if (code == 429) {
      Duration wait = retryAfter(response.headers().get("retry-after"));
      budget.limited(wait);
      close(response);
      throw new RetryLaterException("Etsy rate limit on " + what + " (HTTP 429)", wait, null);
    }
    if (!response.isSuccessful()) {
      String error = errorMessage(response);
      if (code == 401 || code == 403) {
        throw new CredentialsException(redact.apply("Etsy refused the credentials on " + what
            + " (HTTP " + code + "): " + error), null);
      }
      if (code >= 500) {
        throw new RetryLaterException(redact.apply("Etsy server error on " + what + " (HTTP "
            + code + "): " + error), null, null);
      }
      throw new EtsyApiException(code, redact.apply("Etsy " + what + " answered HTTP " + code
          + ": " + error));
    }
    budget.observe(header(response, "x-limit-per-second"), header(response, "x-limit-per-day"),
        header(response, "x-remaining-today"));
    ResponseBody body = response.body();
    if (body == null) {
      throw new MalformedResponseException("Etsy " + what + " returned no body", null);
    }
    try (ResponseBody b = body) {
      return Json.asObj(json.fromJson(b.source()), what + " response");
    } catch (IOException | JsonDataException e) {
      throw new MalformedResponseException("Etsy " + what + " returned malformed JSON", e);
    }
  }

  private String errorMessage(Response<ResponseBody> response) {
    try (ResponseBody b = response.errorBody()) {
      if (b == null) {
        return "";
      }
      String text = b.string();
      try {
        Object parsed = json.fromJson(text);
        if (parsed instanceof Map<?, ?> m && m.get("error") instanceof String s) {
          return s;
        }
      } catch (IOException | JsonDataException e) {
        // not JSON: quote a little of it
      }
      return text.length() > 200 ? text.substring(0, 200) : text;
    } catch (IOException e) {
      return "";
    }
  }

  private static @Nullable Long header(Response<?> response, String name) {
    String v = response.headers().get(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable Duration retryAfter(@Nullable String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void close(Response<ResponseBody> response) {
    ResponseBody b = response.errorBody();
    if (b != null) {
      b.close();
    }
  }
}
