package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.GraphQlTestClient.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's bulk query operations, as shopify.dev/docs/api/usage/bulk-operations/queries. */
class BulkOperationsTest {
  static final String RUN =
      "mutation Run($q: String!) { bulkOperationRunQuery(query: $q) {"
          + " bulkOperation { id status } userErrors { code field message } } }";
  static final String POLL =
      "query Poll($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount"
          + " rootObjectCount fileSize url partialDataUrl completedAt } }";
  static final String CANCEL =
      "mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) {"
          + " bulkOperation { id status } userErrors { field message } } }";
  static final String VARIANTS =
      "{ productVariants(query: \"product_status:active\") { edges { node { id sku"
          + " inventoryItem { id inventoryLevels { edges { node { location { id }"
          + " quantities(names: [\"available\"]) { name quantity } } } } } } } } }";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ShopifyEmulator shop;
  private GraphQlTestClient client;
  private final OkHttpClient http = new OkHttpClient();
  private String a;
  private String b;

  @BeforeEach
  void setUp() {
    shop = ShopifyEmulator.builder().clock(clock).bulkObjectsPerSecond(100)
        .webhookSecret("hush").build().start();
    client = new GraphQlTestClient(shop);
    a = shop.addLocation("A");
    b = shop.addLocation("B");
  }

  @AfterEach
  void tearDown() {
    shop.close();
  }

  private Reply run(String query) {
    return client.query(RUN, vars("q", query));
  }

  private Reply poll(String id) {
    return client.query(POLL, vars("id", id));
  }

  private String download(String url) {
    Request request = new Request.Builder().url(url).build();
    try (Response response = http.newCall(request).execute()) {
      return response.code() + "\n" + response.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void run_completesOnTheClock_andServesJsonlWithNestedNodesOnTheirOwnLinesWithParentId() {
    List<VariantIds> ids = shop.seedCatalogue(3, List.of(a, b), 7, "SKU-");

    Reply started = run(VARIANTS);
    String id = started.string("data", "bulkOperationRunQuery", "bulkOperation", "id");
    assertThat(started.string("data", "bulkOperationRunQuery", "bulkOperation", "status"))
        .isEqualTo("CREATED");
    assertThat(started.list("data", "bulkOperationRunQuery", "userErrors")).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(poll(id).string("data", "bulkOperation", "status")).isEqualTo("RUNNING");
    assertThat(poll(id).at("data", "bulkOperation", "url")).isNull();

    clock.advance(Duration.ofSeconds(1)); // 9 objects at 100 per second: one second of work
    Reply done = poll(id);
    assertThat(done.string("data", "bulkOperation", "status")).isEqualTo("COMPLETED");
    assertThat(done.string("data", "bulkOperation", "objectCount")).isEqualTo("9");
    assertThat(done.string("data", "bulkOperation", "rootObjectCount")).isEqualTo("3");
    String body = download(done.string("data", "bulkOperation", "url"));
    assertThat(body).startsWith("200\n");
    List<Map<String, @Nullable Object>> lines = lines(body.substring(4));
    assertThat(done.string("data", "bulkOperation", "fileSize"))
        .isEqualTo(Integer.toString(body.substring(4).getBytes(java.nio.charset.StandardCharsets.UTF_8).length));

    assertThat(lines).hasSize(9);
    Map<String, @Nullable Object> variant = lines.get(0);
    assertThat(variant).containsEntry("id", ids.get(0).variantId()).containsEntry("sku", "SKU-000001")
        .doesNotContainKey("__parentId");
    @SuppressWarnings("unchecked")
    Map<String, Object> item = (Map<String, Object>) variant.get("inventoryItem");
    assertThat(item).containsEntry("id", ids.get(0).inventoryItemId())
        .doesNotContainKey("inventoryLevels");
    List<Map<String, @Nullable Object>> levels = lines.stream()
        .filter(l -> ids.get(0).variantId().equals(l.get("__parentId"))).toList();
    assertThat(levels).hasSize(2);
    assertThat(levels.get(0).get("location")).isEqualTo(Map.of("id", a));
    assertThat(levels.get(0).get("quantities"))
        .isEqualTo(List.of(Map.of("name", "available", "quantity", 7.0)));
  }

  @Test
  void run_withoutGroupObjects_putsABlockOfParentsBeforeTheirChildren() {
    shop.seedCatalogue(150, List.of(a), 1, "SKU-");
    String id = run(VARIANTS).string("data", "bulkOperationRunQuery", "bulkOperation", "id");
    clock.advance(Duration.ofMinutes(1));

    List<Map<String, @Nullable Object>> lines =
        lines(download(poll(id).string("data", "bulkOperation", "url")).substring(4));

    assertThat(lines).hasSize(300);
    assertThat(lines.subList(0, 100)).allSatisfy(l -> assertThat(l).doesNotContainKey("__parentId"));
    assertThat(lines.get(100)).containsKey("__parentId");
    // Every child comes after its parent, though not at once.
    List<Object> seen = new ArrayList<>();
    for (Map<String, @Nullable Object> line : lines) {
      if (line.containsKey("__parentId")) {
        assertThat(seen).contains(line.get("__parentId"));
      } else {
        seen.add(line.get("id"));
      }
    }
  }

  @Test
  void run_withGroupObjects_putsEachParentsChildrenRightAfterIt() {
    shop.seedCatalogue(150, List.of(a, b), 1, "SKU-");
    String grouped = "mutation Run($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) {"
        + " bulkOperation { id } userErrors { code message } } }";
    String id = client.query(grouped, vars("q", VARIANTS))
        .string("data", "bulkOperationRunQuery", "bulkOperation", "id");
    clock.advance(Duration.ofMinutes(1));

    List<Map<String, @Nullable Object>> lines =
        lines(download(poll(id).string("data", "bulkOperation", "url")).substring(4));

    assertThat(lines).hasSize(450);
    for (int i = 0; i < lines.size(); i += 3) {
      assertThat(lines.get(i + 1).get("__parentId")).isEqualTo(lines.get(i).get("id"));
      assertThat(lines.get(i + 2).get("__parentId")).isEqualTo(lines.get(i).get("id"));
    }
  }

  @Test
  void run_refusesWhatShopifyRefuses_withInvalidUserErrors() {
    Map<String, String> refused = Map.of(
        "{ shop { id } }", "at least one connection",
        "{ node(id: \"gid://shopify/Location/1\") { id } }", "top-level `node`",
        "{ productVariants { edges { node { sku inventoryItem { inventoryLevels { edges { node { id } } } } } } } }",
        "must select the 'id' field",
        "{ productVariants { edges { node { id nosuchfield } } } }", "Invalid bulk query",
        "{ productVariants { edges { node { id } }", "Invalid bulk query",
        "{ v1: productVariants { nodes { id } } v2: productVariants { nodes { id } }"
            + " v3: productVariants { nodes { id } } v4: productVariants { nodes { id } }"
            + " v5: productVariants { nodes { id } } v6: productVariants { nodes { id } } }",
        "more than 5 connections");

    refused.forEach((query, message) -> {
      Reply reply = run(query);
      assertThat(reply.at("data", "bulkOperationRunQuery", "bulkOperation")).isNull();
      assertThat(reply.string("data", "bulkOperationRunQuery", "userErrors", 0, "code")).isEqualTo("INVALID");
      assertThat(reply.list("data", "bulkOperationRunQuery", "userErrors", 0, "field")).containsExactly("query");
      assertThat(reply.string("data", "bulkOperationRunQuery", "userErrors", 0, "message")).contains(message);
    });
    assertThat(shop.bulkOperationsStarted()).isZero();
  }

  @Test
  void run_beyondTheConcurrencyLimit_isRefused_limitReachedFrom202601_inProgressBefore() {
    shop.seedCatalogue(5, List.of(a), 1, "SKU-");
    for (int i = 0; i < 5; i++) {
      assertThat(run(VARIANTS).list("data", "bulkOperationRunQuery", "userErrors")).isEmpty();
    }

    Reply sixth = run(VARIANTS);
    Map<String, Object> body = vars("query", RUN, "variables", vars("q", VARIANTS));
    Reply older = client.postRaw(shop.graphqlUrl("2025-10"), shop.accessToken(),
        GraphQlTestClient.ADAPTER.toJson(body));

    assertThat(sixth.string("data", "bulkOperationRunQuery", "userErrors", 0, "code"))
        .isEqualTo("LIMIT_REACHED");
    assertThat(older.string("data", "bulkOperationRunQuery", "userErrors", 0, "code"))
        .isEqualTo("OPERATION_IN_PROGRESS");
    assertThat(older.string("data", "bulkOperationRunQuery", "userErrors", 0, "message"))
        .contains("already in progress: gid://shopify/BulkOperation/");
    clock.advance(Duration.ofSeconds(5));
    assertThat(run(VARIANTS).list("data", "bulkOperationRunQuery", "userErrors")).isEmpty();
  }

  @Test
  void cancel_goesThroughCanceling_toCanceled_andACompletedOneCannotBeCanceled() {
    shop.seedCatalogue(500, List.of(a), 1, "SKU-");
    String id = run(VARIANTS).string("data", "bulkOperationRunQuery", "bulkOperation", "id");
    clock.advance(Duration.ofSeconds(2));

    Reply cancel = client.query(CANCEL, vars("id", id));
    assertThat(cancel.string("data", "bulkOperationCancel", "bulkOperation", "status")).isEqualTo("CANCELING");
    clock.advance(Duration.ofSeconds(1));
    Reply after = poll(id);
    assertThat(after.string("data", "bulkOperation", "status")).isEqualTo("CANCELED");
    assertThat(after.at("data", "bulkOperation", "url")).isNull();

    String other = run(VARIANTS).string("data", "bulkOperationRunQuery", "bulkOperation", "id");
    clock.advance(Duration.ofMinutes(1));
    Reply late = client.query(CANCEL, vars("id", other));
    assertThat(late.string("data", "bulkOperationCancel", "userErrors", 0, "message"))
        .contains("cannot be canceled when it is completed");
  }

  @Test
  void injectedFailure_endsFailedWithErrorCode_andServesThePartialData() {
    shop.seedCatalogue(100, List.of(a), 1, "SKU-");
    shop.failNextBulkOperation("TIMEOUT", 0.5);
    String id = run(VARIANTS).string("data", "bulkOperationRunQuery", "bulkOperation", "id");
    clock.advance(Duration.ofSeconds(2));

    Reply failed = poll(id);
    assertThat(failed.string("data", "bulkOperation", "status")).isEqualTo("FAILED");
    assertThat(failed.string("data", "bulkOperation", "errorCode")).isEqualTo("TIMEOUT");
    assertThat(failed.at("data", "bulkOperation", "url")).isNull();
    String partial = download(failed.string("data", "bulkOperation", "partialDataUrl"));
    assertThat(lines(partial.substring(4))).hasSize(100);
  }

  @Test
  void links_expireAfterSevenDays_statusExpired_andStorageAnswersExpiredToken() {
    shop.seedCatalogue(2, List.of(a), 1, "SKU-");
    String id = run(VARIANTS).string("data", "bulkOperationRunQuery", "bulkOperation", "id");
    clock.advance(Duration.ofSeconds(2));
    String url = poll(id).string("data", "bulkOperation", "url");
    assertThat(download(url)).startsWith("200");

    clock.advance(Duration.ofDays(7));

    assertThat(download(url)).startsWith("400").contains("<Code>ExpiredToken</Code>");
    assertThat(poll(id).string("data", "bulkOperation", "status")).isEqualTo("EXPIRED");
    assertThat(poll(id).at("data", "bulkOperation", "url")).isNull();
  }

  @Test
  void runAndPoll_arePricedByTheCostModel_likeEveryOtherDocument() {
    shop.seedCatalogue(2, List.of(a), 1, "SKU-");
    Reply started = run(VARIANTS);
    Reply polled = poll(started.string("data", "bulkOperationRunQuery", "bulkOperation", "id"));

    assertThat(started.number("extensions", "cost", "requestedQueryCost")).isEqualTo(12); // 10 + 1 + 1
    assertThat(polled.number("extensions", "cost", "requestedQueryCost")).isEqualTo(1);
  }

  @Test
  void productVariantsCount_countsEveryVariant_cappedAtTheLimit() {
    shop.seedCatalogue(12, List.of(a), 1, "SKU-");

    Reply capped = client.query("{ productVariantsCount(limit: 10) { count precision } }", Map.of());
    Reply exact = client.query("{ productVariantsCount { count precision } }", Map.of());

    assertThat(capped.number("data", "productVariantsCount", "count")).isEqualTo(10);
    assertThat(capped.string("data", "productVariantsCount", "precision")).isEqualTo("AT_LEAST");
    assertThat(exact.number("data", "productVariantsCount", "count")).isEqualTo(12);
    assertThat(exact.string("data", "productVariantsCount", "precision")).isEqualTo("EXACT");
  }

  @Test
  void finish_isAnnouncedByWebhook_withLowerCaseStatus() throws Exception {
    try (MockWebServer receiver = new MockWebServer()) {
      receiver.enqueue(new MockResponse.Builder().code(200).build());
      receiver.start();
      shop.webhooksTo(receiver.url("/hooks"));
      shop.seedCatalogue(2, List.of(a), 1, "SKU-");
      String id = run(VARIANTS).string("data", "bulkOperationRunQuery", "bulkOperation", "id");
      clock.advance(Duration.ofSeconds(2));

      shop.settleBulkOperations();

      RecordedRequest hook = receiver.takeRequest(5, TimeUnit.SECONDS);
      assertThat(hook).isNotNull();
      assertThat(hook.getHeaders().get("X-Shopify-Topic")).isEqualTo("bulk_operations/finish");
      assertThat(hook.getBody().utf8()).contains("\"admin_graphql_api_id\":\"" + id + "\"")
          .contains("\"status\":\"completed\"");
    }
  }

  @Test
  void startBulkQuery_testControl_countsAgainstTheLimit_andRefusesAnInvalidQuery() {
    shop.seedCatalogue(2, List.of(a), 1, "SKU-");
    String id = shop.startBulkQuery(VARIANTS);

    assertThat(shop.bulkOperationStatus(id)).isEqualTo("CREATED");
    assertThatThrownBy(() -> shop.startBulkQuery("{ shop { id } }"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("INVALID");
    shop.cancelBulkOperation(id);
    assertThat(shop.bulkOperationStatus(id)).isEqualTo("CANCELING");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, @Nullable Object>> lines(String jsonl) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (String line : jsonl.split("\n")) {
      if (!line.isEmpty()) {
        try {
          out.add((Map<String, @Nullable Object>) GraphQlTestClient.ADAPTER.fromJson(line));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }
}
