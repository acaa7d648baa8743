package io.stocksync.testkit.shopify;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/** Posts GraphQL bodies to the emulator over real HTTP, as a connector would. */
final class GraphQlTestClient {
  static final MediaType JSON = MediaType.get("application/json");
  static final JsonAdapter<Object> ADAPTER =
      new Moshi.Builder().build().adapter(Object.class).serializeNulls();

  static final String SET_MUTATION =
      "mutation InventorySet($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {"
          + " inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {"
          + " inventoryAdjustmentGroup { reason referenceDocumentUri changes { name delta"
          + " quantityAfterChange item { id } location { id } } }"
          + " userErrors { code field message } } }";

  static final String LEVELS =
      "inventoryLevels(first: 50) { nodes { location { id }"
          + " quantities(names: [\"available\", \"on_hand\"]) { name quantity } } }";

  /** The documents a stock-sync client sends, by operation name. */
  static final Map<String, String> DOCUMENTS =
      Map.of(
          "Shop", "query Shop { shop { id name myshopifyDomain } }",
          "Locations",
          "query Locations($first: Int!, $after: String, $includeInactive: Boolean) {"
              + " locations(first: $first, after: $after, includeInactive: $includeInactive) {"
              + " nodes { id name isActive fulfillsOnlineOrders } pageInfo { hasNextPage endCursor } } }",
          "ProductVariants",
          "query ProductVariants($first: Int!, $after: String, $query: String) {"
              + " productVariants(first: $first, after: $after, query: $query) {"
              + " nodes { id sku title updatedAt product { id title status }"
              + " inventoryItem { id tracked " + LEVELS + " } }"
              + " pageInfo { hasNextPage endCursor } } }",
          "InventoryItems",
          "query InventoryItems($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryItem {"
              + " id tracked " + LEVELS + " } } }",
          "Orders",
          "query Orders($first: Int!, $after: String, $query: String) {"
              + " orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {"
              + " nodes { id name createdAt updatedAt cancelledAt displayFulfillmentStatus"
              + " retailLocation { id }"
              + " lineItems(first: 250) { nodes { id sku quantity currentQuantity unfulfilledQuantity } }"
              + " fulfillments { id status fulfillmentLineItems(first: 250) { nodes { lineItem { id } quantity } } }"
              + " refunds { id createdAt refundLineItems(first: 250) { nodes { quantity restockType"
              + " lineItem { id sku } } } } }"
              + " pageInfo { hasNextPage endCursor } } }",
          "InventorySet", SET_MUTATION);

  private final OkHttpClient http;
  private final ShopifyEmulator emulator;

  GraphQlTestClient(ShopifyEmulator emulator) {
    this(emulator, new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build());
  }

  GraphQlTestClient(ShopifyEmulator emulator, OkHttpClient http) {
    this.emulator = emulator;
    this.http = http;
  }

  /** An HTTP answer, with its body parsed when it is JSON. */
  record Reply(int status, Headers headers, String body) {
    @Nullable Object json() {
      try {
        return ADAPTER.fromJson(body);
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    /** The value at a path of object keys (String) and list indices (Integer). */
    @Nullable Object at(Object... path) {
      Object node = json();
      for (Object step : path) {
        if (node instanceof Map<?, ?> map && step instanceof String key) {
          node = map.get(key);
        } else if (node instanceof List<?> list && step instanceof Integer index) {
          node = index < list.size() ? list.get(index) : null;
        } else {
          return null;
        }
      }
      return node;
    }

    List<@Nullable Object> list(Object... path) {
      Object value = at(path);
      if (value instanceof List<?> list) {
        return new ArrayList<>(list);
      }
      throw new AssertionError("no list at " + List.of(path) + " in " + body);
    }

    String string(Object... path) {
      Object value = at(path);
      if (value instanceof String s) {
        return s;
      }
      throw new AssertionError("no string at " + List.of(path) + " in " + body);
    }

    long number(Object... path) {
      Object value = at(path);
      if (value instanceof Number n) {
        return n.longValue();
      }
      throw new AssertionError("no number at " + List.of(path) + " in " + body);
    }

    @Nullable String errorCode() {
      Object code = at("errors", 0, "extensions", "code");
      return code instanceof String s ? s : null;
    }
  }

  Reply post(String operationName, Map<String, ?> variables) {
    return post(ShopifyEmulator.API_VERSION, emulator.accessToken(), operationName, variables);
  }

  Reply post(String version, String token, String operationName, Map<String, ?> variables) {
    String query =
        DOCUMENTS.getOrDefault(operationName, "query " + operationName + " { shop { id } }");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("variables", variables);
    body.put("operationName", operationName);
    return postRaw(emulator.graphqlUrl(version), token, ADAPTER.toJson(body));
  }

  /** Posts a document as Shopify's own client libraries do: no operationName. */
  Reply query(String document, Map<String, ?> variables) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", document);
    body.put("variables", variables);
    return postRaw(emulator.graphqlUrl(ShopifyEmulator.API_VERSION), emulator.accessToken(),
        ADAPTER.toJson(body));
  }

  Reply postRaw(HttpUrl url, String token, String body) {
    Request request =
        new Request.Builder()
            .url(url)
            .header("X-Shopify-Access-Token", token)
            .post(RequestBody.create(body, JSON))
            .build();
    try (Response response = http.newCall(request).execute()) {
      return new Reply(response.code(), response.headers(), response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- variable builders

  static Map<String, Object> vars(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** A quantity input carrying {@code changeFromQuantity} (possibly null). */
  static Map<String, @Nullable Object> quantity(
      String inventoryItemId, String locationId, int quantity, @Nullable Integer changeFrom) {
    Map<String, @Nullable Object> q = new LinkedHashMap<>();
    q.put("inventoryItemId", inventoryItemId);
    q.put("locationId", locationId);
    q.put("quantity", quantity);
    q.put("changeFromQuantity", changeFrom);
    return q;
  }

  static Map<String, Object> setInput(List<? extends Map<String, ?>> quantities) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", "available");
    input.put("reason", "correction");
    input.put("referenceDocumentUri", "stocksync://push/test");
    input.put("quantities", quantities);
    return input;
  }

  Reply set(String idempotencyKey, List<? extends Map<String, ?>> quantities) {
    return post(
        "InventorySet", vars("input", setInput(quantities), "idempotencyKey", idempotencyKey));
  }
}
