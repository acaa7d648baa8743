package io.stocksync.shopify.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.squareup.moshi.Moshi;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.internal.Json;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;

/**
 * Reading a bulk result from a storage link, against a stub storage server over real HTTP: the
 * shapes Shopify's JSONL may take beyond what the emulator writes (children before their parent,
 * children naming the inventory item), expired links, server errors and broken lines.
 */
class BulkImportTest {
  static final String VARIANT =
      "{\"id\":\"gid://shopify/ProductVariant/1\",\"sku\":\"A\",\"title\":\"Default Title\","
          + "\"updatedAt\":\"2026-01-01T00:00:00Z\",\"product\":{\"id\":\"gid://shopify/Product/1\","
          + "\"title\":\"A\",\"status\":\"ACTIVE\"},\"inventoryItem\":{\"id\":\"gid://shopify/InventoryItem/9\","
          + "\"tracked\":true}}";

  static String level(String parent, String location, int quantity) {
    return "{\"location\":{\"id\":\"gid://shopify/Location/" + location + "\"},\"quantities\":"
        + "[{\"name\":\"available\",\"quantity\":" + quantity + "}],\"__parentId\":\"" + parent + "\"}";
  }

  MockWebServer storage;
  BulkImport bulk;

  @BeforeEach
  void setUp() throws Exception {
    storage = new MockWebServer();
    storage.start();
    Moshi moshi = new Moshi.Builder().build();
    Retrofit retrofit = new Retrofit.Builder().baseUrl(storage.url("/"))
        .addConverterFactory(MoshiConverterFactory.create(moshi)).build();
    GraphQlClient client = new GraphQlClient(retrofit.create(ShopifyApi.class), "2026-10",
        new Throttle(Clock.systemUTC()), moshi);
    bulk = new BulkImport(client, new OkHttpClient(), moshi);
  }

  @AfterEach
  void tearDown() {
    storage.close();
  }

  String serve(int code, String body) {
    storage.enqueue(new MockResponse.Builder().code(code).body(body).build());
    return storage.url("/result.jsonl").toString();
  }

  static List<Object> levels(Map<String, Object> variant) {
    return Json.list(Json.obj(Json.obj(variant, "inventoryItem"), "inventoryLevels"), "nodes");
  }

  @Test
  void variants_gatherChildrenWhereverTheyAre_namedByTheVariantOrItsInventoryItem() {
    String url = serve(200, level("gid://shopify/ProductVariant/1", "1", 3) + "\n" + VARIANT + "\n\n"
        + level("gid://shopify/InventoryItem/9", "2", 4) + "\n");

    List<Map<String, Object>> variants = bulk.variants(url);

    assertThat(variants).hasSize(1);
    assertThat(levels(variants.get(0))).hasSize(2);
    assertThat(Json.asObj(levels(variants.get(0)).get(0), "level")).doesNotContainKey("__parentId");
  }

  @Test
  void variants_fromAnExpiredOrMissingLink_areNull_soTheQueryRunsAgain() {
    for (int code : new int[] {400, 403, 404, 410}) {
      assertThat(bulk.variants(serve(code, "<Error><Code>ExpiredToken</Code></Error>"))).isNull();
    }
  }

  @Test
  void variants_whenStorageFails_retryLater() {
    String url = serve(503, "");

    assertThatThrownBy(() -> bulk.variants(url)).isInstanceOf(RetryLaterException.class);
  }

  @Test
  void variants_withABrokenLineOrAnUnknownParent_areMalformed() {
    String broken = serve(200, VARIANT + "\n{\"id\": \n");
    assertThatThrownBy(() -> bulk.variants(broken)).isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("line 2");

    String orphan = serve(200, VARIANT + "\n" + level("gid://shopify/ProductVariant/77", "1", 1) + "\n");
    assertThatThrownBy(() -> bulk.variants(orphan)).isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("ProductVariant/77");
  }
}
