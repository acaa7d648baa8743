package io.stocksync.shopify.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.Moshi;
import io.stocksync.core.ChannelException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * One Shopify bulk query for a whole catalogue: starts it, reads its status, and streams its
 * JSONL result line by line, rebuilding each variant with its inventory levels from the lines'
 * {@code __parentId} into the shape a {@code productVariants} page has, so the connector turns
 * both into listings with the same code.
 *
 * <p>The result link points to cloud storage, not to the shop: it is fetched with a client that
 * does not carry the access token. Not thread-safe; the connector uses it from one call at a time.
 */
public final class BulkImport {
  private final GraphQlClient client;
  private final OkHttpClient storage;
  private final JsonAdapter<Object> json;

  /**
   * Creates the importer.
   *
   * @param client the shop's GraphQL client
   * @param storage the HTTP client for result links: must not add the access token
   * @param moshi the JSON library
   */
  public BulkImport(GraphQlClient client, OkHttpClient storage, Moshi moshi) {
    this.client = client;
    this.storage = storage;
    this.json = moshi.adapter(Object.class);
  }

  /**
   * One poll of a bulk operation.
   *
   * @param id the operation's global id
   * @param status Shopify's {@code BulkOperationStatus}
   * @param errorCode the {@code BulkOperationErrorCode} of a failed operation, else null
   * @param objectCount the objects processed so far
   * @param url the result link of a completed operation, null when nothing matched
   * @param partialDataUrl what a failed operation wrote before failing, or null
   */
  public record Status(String id, String status, @Nullable String errorCode, long objectCount,
      @Nullable String url, @Nullable String partialDataUrl) {
    /**
     * Tells whether Shopify is still working on it.
     *
     * @return true while CREATED, RUNNING or CANCELING
     */
    public boolean running() {
      return status.equals("CREATED") || status.equals("RUNNING") || status.equals("CANCELING");
    }
  }

  /**
   * Starts a bulk query.
   *
   * @param query the bulk query document
   * @return the operation's global id, or null when the shop's bulk queries are busy ({@code
   *     OPERATION_IN_PROGRESS} or {@code LIMIT_REACHED}: other queries of this app are running)
   * @throws ChannelException if Shopify refused the query itself ({@code INVALID}) or the call
   *     failed
   * @throws RetryLaterException on a transient failure
   */
  public @Nullable String start(String query) {
    Map<String, Object> payload = Json.obj(
        client.execute("BulkRun", Queries.BULK_RUN, Map.of("query", query)), "bulkOperationRunQuery");
    List<Object> errors = Json.list(payload, "userErrors");
    if (!errors.isEmpty()) {
      Map<String, Object> error = Json.asObj(errors.get(0), "userErrors[]");
      String code = String.valueOf(Json.optStr(error, "code"));
      if (code.equals("OPERATION_IN_PROGRESS") || code.equals("LIMIT_REACHED")) {
        return null;
      }
      throw new ChannelException("Shopify refused the bulk query: " + code + ": "
          + Json.optStr(error, "message"), null);
    }
    return Json.str(Json.obj(payload, "bulkOperation"), "id");
  }

  /**
   * Reads a bulk operation's status.
   *
   * @param id the operation's global id
   * @return the status
   * @throws ChannelException if Shopify does not know the operation or the call failed
   * @throws RetryLaterException on a transient failure
   */
  public Status poll(String id) {
    Map<String, Object> data = client.execute("BulkPoll", Queries.BULK_POLL, Map.of("id", id));
    Map<String, Object> op = Json.optObj(data, "bulkOperation");
    if (op == null) {
      throw new ChannelException("Shopify does not know bulk operation " + id, null);
    }
    String count = Json.optStr(op, "objectCount"); // UnsignedInt64 comes as a string
    long objects;
    try {
      objects = count == null ? 0 : Long.parseLong(count);
    } catch (NumberFormatException e) {
      throw new MalformedResponseException("Shopify bulkOperation.objectCount is not a number", e);
    }
    return new Status(Json.str(op, "id"), Json.str(op, "status"), Json.optStr(op, "errorCode"),
        objects, Json.optStr(op, "url"), Json.optStr(op, "partialDataUrl"));
  }

  /**
   * Downloads a completed operation's result and rebuilds its variants, in file order, each with
   * {@code inventoryItem.inventoryLevels.nodes} gathered from its child lines. The file is read as
   * a stream, one line at a time.
   *
   * @param url the result link
   * @return the variants, or null when the link no longer answers (expired: run the query again)
   * @throws RetryLaterException on an I/O failure or a storage server error
   * @throws MalformedResponseException if a line is not a JSON object or names an unknown parent
   */
  public @Nullable List<Map<String, Object>> variants(String url) {
    HttpUrl link = HttpUrl.parse(url);
    if (link == null) {
      throw new MalformedResponseException("Shopify bulk result url is not a URL", null);
    }
    Request request = new Request.Builder().url(link).get().build();
    try (Response response = storage.newCall(request).execute()) {
      int code = response.code();
      if (code >= 500) {
        throw new RetryLaterException("bulk result download failed (HTTP " + code + ")", null, null);
      }
      if (code >= 400) {
        // Signed storage links answer 400 (ExpiredToken), 403 or 404 once expired or removed.
        return null;
      }
      return rebuild(response.body());
    } catch (IOException e) {
      throw new RetryLaterException("bulk result download failed: " + e.getClass().getSimpleName(),
          null, e);
    }
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> rebuild(ResponseBody body) throws IOException {
    // Children may come long after their parent, or (the order is not promised) before it: they
    // are attached once the whole file is read.
    Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
    Map<String, String> variantOfItem = new HashMap<>();
    List<Map<String, Object>> children = new ArrayList<>();
    BufferedSource source = body.source();
    long lineNumber = 0;
    String line;
    while ((line = source.readUtf8Line()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> object;
      try {
        object = Json.asObj(json.fromJson(line), "bulk result line " + lineNumber);
      } catch (IOException | JsonDataException e) {
        throw new MalformedResponseException("bulk result line " + lineNumber + " is not JSON", e);
      }
      if (Json.optStr(object, "__parentId") == null) {
        Map<String, Object> item = Json.obj(object, "inventoryItem");
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("nodes", new ArrayList<Object>());
        item.put("inventoryLevels", connection);
        String id = Json.str(object, "id");
        variants.put(id, object);
        variantOfItem.put(Json.str(item, "id"), id);
      } else {
        children.add(object);
      }
    }
    for (Map<String, Object> child : children) {
      String parent = String.valueOf(child.remove("__parentId"));
      // Shopify names the node that owns the connection (the variant); the item is accepted too.
      Map<String, Object> variant = variants.get(parent);
      if (variant == null && variantOfItem.containsKey(parent)) {
        variant = variants.get(variantOfItem.get(parent));
      }
      if (variant == null) {
        throw new MalformedResponseException(
            "bulk result names parent " + parent + ", which is not in the file", null);
      }
      ((List<Object>) Json.obj(Json.obj(variant, "inventoryItem"), "inventoryLevels").get("nodes"))
          .add(child);
    }
    return new ArrayList<>(variants.values());
  }
}
