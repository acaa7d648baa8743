package io.stocksync.shopify.internal;

import io.stocksync.core.internal.Json;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.Moshi;
import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import retrofit2.Response;

/**
 * Sends one GraphQL operation and turns every way it can fail into the SPI's exceptions:
 * 401/403 → {@link CredentialsException}; 429, 5xx, I/O and {@code THROTTLED} → {@link
 * RetryLaterException} with the wait derived from the bucket; {@code MAX_COST_EXCEEDED} → {@link
 * QueryCostException}; other {@code errors[]} → {@link ChannelException}; unparseable bodies → {@link MalformedResponseException}. Records the cost
 * of every response. Messages never contain the access token.
 */
public final class GraphQlClient {
  private final ShopifyApi api;
  private final String version;
  private final Throttle throttle;
  private final JsonAdapter<Object> json;
  private final Map<String, Double> requestedCost = new ConcurrentHashMap<>();

  /**
   * Creates a client.
   *
   * @param api the Retrofit service
   * @param version the pinned API version
   * @param throttle the shared bucket state
   * @param moshi the JSON library
   */
  public GraphQlClient(ShopifyApi api, String version, Throttle throttle, Moshi moshi) {
    this.api = api;
    this.version = version;
    this.throttle = throttle;
    this.json = moshi.adapter(Object.class);
  }

  /**
   * Returns the throttle state this client updates.
   *
   * @return the throttle
   */
  public Throttle throttle() {
    return throttle;
  }

  /**
   * Returns the requested cost last reported for an operation.
   *
   * @param operationName the operation
   * @return the cost, or null if never called
   */
  public @Nullable Double lastRequestedCost(String operationName) {
    return requestedCost.get(operationName);
  }

  /**
   * Executes an operation.
   *
   * @param operationName the operation's name
   * @param query the GraphQL document
   * @param variables the variables
   * @return the {@code data} object
   * @throws CredentialsException if the token is refused
   * @throws RetryLaterException if throttled or the shop is unavailable
   * @throws ChannelException if Shopify answered with errors
   * @throws MalformedResponseException if the answer cannot be read
   */
  public Map<String, Object> execute(String operationName, String query,
      Map<String, Object> variables) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("variables", variables);
    body.put("operationName", operationName);
    Response<ResponseBody> response;
    try {
      response = api.graphql(version, body).execute();
    } catch (IOException e) {
      throw new RetryLaterException("Shopify " + operationName + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), null, e);
    }
    int code = response.code();
    if (code == 401 || code == 403) {
      closeQuietly(response);
      throw new CredentialsException("Shopify refused the access token (HTTP " + code + ")", null);
    }
    if (code == 429) {
      closeQuietly(response);
      throw new RetryLaterException("Shopify rate limit (HTTP 429)",
          retryAfter(response.headers().get("Retry-After")), null);
    }
    if (code >= 500) {
      closeQuietly(response);
      throw new RetryLaterException("Shopify server error (HTTP " + code + ")", null, null);
    }
    if (!response.isSuccessful()) {
      closeQuietly(response);
      throw new ChannelException("Shopify " + operationName + " answered HTTP " + code, null);
    }
    Map<String, Object> root = parse(response.body(), operationName);
    Map<String, Object> extensions = Json.optObj(root, "extensions");
    Map<String, Object> cost = extensions == null ? null : Json.optObj(extensions, "cost");
    Double requested = null;
    if (cost != null) {
      requested = Json.optDouble(cost, "requestedQueryCost");
      if (requested != null) {
        requestedCost.put(operationName, requested);
      }
      Map<String, Object> status = Json.optObj(cost, "throttleStatus");
      if (status != null) {
        throttle.observe(Json.num(status, "maximumAvailable"),
            Json.num(status, "currentlyAvailable"), Json.num(status, "restoreRate"));
      }
    }
    List<Object> errors = Json.list(root, "errors");
    if (!errors.isEmpty()) {
      StringBuilder messages = new StringBuilder();
      for (Object e : errors) {
        Map<String, Object> error = Json.asObj(e, "errors[]");
        Map<String, Object> ext = Json.optObj(error, "extensions");
        String errorCode = ext == null ? null : Json.optStr(ext, "code");
        if ("MAX_COST_EXCEEDED".equals(errorCode)) {
          // errors[].extensions.cost is the refused query's requested cost, an integer
          Double refused = ext == null ? null : Json.optDouble(ext, "cost");
          Double limit = ext == null ? null : Json.optDouble(ext, "maxCost");
          double points = refused != null ? refused : requested != null ? requested : Double.NaN;
          if (!Double.isNaN(points)) {
            requestedCost.put(operationName, points);
          }
          throw new QueryCostException("Shopify " + operationName + " failed: MAX_COST_EXCEEDED: "
              + Json.optStr(error, "message"), points, limit == null ? 1000 : limit);
        }
        if ("THROTTLED".equals(errorCode)) {
          throw new RetryLaterException("Shopify throttled " + operationName,
              throttle.delayFor(requested == null ? 100 : requested), null);
        }
        if (messages.length() > 0) {
          messages.append("; ");
        }
        messages.append(errorCode == null ? "" : errorCode + ": ")
            .append(Json.optStr(error, "message"));
      }
      throw new ChannelException("Shopify " + operationName + " failed: " + messages, null);
    }
    return Json.obj(root, "data");
  }

  private Map<String, Object> parse(@Nullable ResponseBody body, String operationName) {
    if (body == null) {
      throw new MalformedResponseException("Shopify " + operationName + " returned no body", null);
    }
    try (ResponseBody b = body) {
      Object parsed = json.fromJson(b.source());
      return Json.asObj(parsed, "response");
    } catch (IOException | JsonDataException e) {
      throw new MalformedResponseException(
          "Shopify " + operationName + " returned malformed JSON", e);
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

  private static void closeQuietly(Response<ResponseBody> response) {
    ResponseBody b = response.errorBody();
    if (b != null) {
      b.close();
    }
    ResponseBody ok = response.body();
    if (ok != null) {
      ok.close();
    }
  }
}
