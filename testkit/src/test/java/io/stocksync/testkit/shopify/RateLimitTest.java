package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.quantity;
import static io.stocksync.testkit.shopify.GraphQlTestClient.vars;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.GraphQlTestClient.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  static final String VARIANT_IDS = "{ productVariants(first: 250) { nodes { id } } }";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ShopifyEmulator shop;
  private GraphQlTestClient client;

  void start(CostModel model) {
    shop = ShopifyEmulator.builder().clock(clock).bucket(1000, 50).costModel(model).build().start();
    client = new GraphQlTestClient(shop);
  }

  @AfterEach
  void tearDown() {
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  void defaults_areTheStandardPlansBucketAndTheDocumentedModel() {
    try (ShopifyEmulator standard = ShopifyEmulator.builder().clock(clock).build().start()) {
      Reply reply = new GraphQlTestClient(standard).post("Shop", Map.of());

      assertThat(reply.number("extensions", "cost", "throttleStatus", "maximumAvailable"))
          .isEqualTo(2000);
      assertThat(reply.number("extensions", "cost", "throttleStatus", "restoreRate")).isEqualTo(100);
      assertThat(standard.costModel()).isSameAs(CostModel.documented());
    }
  }

  @Test
  void everyResponse_carriesCostAndThrottleStatus() {
    start(CostModel.documented());
    Reply reply = client.post("Shop", Map.of());

    assertThat(reply.number("extensions", "cost", "requestedQueryCost")).isEqualTo(1);
    assertThat(reply.number("extensions", "cost", "actualQueryCost")).isEqualTo(1);
    assertThat(reply.number("extensions", "cost", "throttleStatus", "maximumAvailable"))
        .isEqualTo(1000);
    assertThat(reply.number("extensions", "cost", "throttleStatus", "currentlyAvailable"))
        .isEqualTo(999);
    assertThat(reply.number("extensions", "cost", "throttleStatus", "restoreRate")).isEqualTo(50);
    assertThat(shop.pointsSpent()).isEqualTo(1);
  }

  @Test
  void requestedCostIsReserved_andRequestedMinusActualRefunded_documentedModel() {
    start(CostModel.documented());
    String location = shop.addLocation("Main");
    shop.seedCatalogue(10, List.of(location), 1, "S-");

    Reply reply = client.query(VARIANT_IDS, Map.of());

    // 2 + floor(2 ln 250) x 1 requested; 2 + floor(2 ln 10) x 1 for the ten returned
    assertThat(reply.number("extensions", "cost", "requestedQueryCost")).isEqualTo(13);
    assertThat(reply.number("extensions", "cost", "actualQueryCost")).isEqualTo(6);
    assertThat(reply.number("extensions", "cost", "throttleStatus", "currentlyAvailable"))
        .isEqualTo(1000 - 6);
  }

  @Test
  void requestedCostIsReserved_andRequestedMinusActualRefunded_linearModel() {
    start(CostModel.linear());
    String location = shop.addLocation("Main");
    shop.seedCatalogue(10, List.of(location), 1, "S-");

    Reply reply = client.query(VARIANT_IDS, Map.of());

    assertThat(reply.number("extensions", "cost", "requestedQueryCost")).isEqualTo(252);
    assertThat(reply.number("extensions", "cost", "actualQueryCost")).isEqualTo(12);
    assertThat(reply.number("extensions", "cost", "throttleStatus", "currentlyAvailable"))
        .isEqualTo(1000 - 12);
  }

  @Test
  void bucket_whenItCannotHoldTheRequestedCost_answersThrottledAndExecutesNothing() {
    start(CostModel.linear());
    String location = shop.addLocation("Main");
    shop.seedCatalogue(250, List.of(location), 1, "S-");
    VariantIds v = shop.addVariant(shop.addProduct("P", ProductStatus.ACTIVE), "P", true);
    shop.stock(v.inventoryItemId(), location, 1);
    for (int i = 0; i < 3; i++) {
      assertThat(client.query(VARIANT_IDS, Map.of()).errorCode()).isNull(); // 252 each
    }
    client.query("{ productVariants(first: 230) { nodes { id } } }", Map.of()); // 232: 12 left

    Reply throttled = client.set("key-t", List.of(quantity(v.inventoryItemId(), location, 5, 1)));

    assertThat(throttled.status()).isEqualTo(200);
    assertThat(throttled.errorCode()).isEqualTo("THROTTLED");
    assertThat(throttled.string("errors", 0, "message")).isEqualTo("Throttled");
    assertThat(throttled.string("errors", 0, "extensions", "documentation"))
        .isEqualTo("https://shopify.dev/api/usage/rate-limits");
    assertThat(throttled.at("extensions", "cost", "actualQueryCost")).isNull();
    // mutation 10 + 1 quantity, adjustment group 1 + changes 1 x (1 + item 1 + location 1), userErrors 1
    assertThat(throttled.number("extensions", "cost", "requestedQueryCost")).isEqualTo(16);
    assertThat(throttled.number("extensions", "cost", "throttleStatus", "currentlyAvailable"))
        .isEqualTo(12);
    assertThat(throttled.at("data")).isNull();
    assertThat(shop.available(v.inventoryItemId(), location)).isEqualTo(1);
    assertThat(shop.throttledCount()).isEqualTo(1);
  }

  @Test
  void bucket_refillsAtRestoreRateOnTheClockUpToTheMaximum() {
    start(CostModel.linear());
    String location = shop.addLocation("Main");
    shop.seedCatalogue(250, List.of(location), 1, "S-");
    for (int i = 0; i < 3; i++) {
      client.query(VARIANT_IDS, Map.of());
    }
    client.query("{ productVariants(first: 241) { nodes { id } } }", Map.of()); // 243: 1 left
    assertThat(client.query(VARIANT_IDS, Map.of()).errorCode()).isEqualTo("THROTTLED");
    assertThat(client.post("Shop", Map.of()).errorCode()).isNull();
    assertThat(client.post("Shop", Map.of()).errorCode()).isEqualTo("THROTTLED");

    clock.advance(Duration.ofMillis(20));
    Reply afterRefill = client.post("Shop", Map.of());

    assertThat(afterRefill.errorCode()).isNull();
    assertThat(afterRefill.number("extensions", "cost", "throttleStatus", "currentlyAvailable"))
        .isEqualTo(0);
    clock.advance(Duration.ofSeconds(1));
    assertThat(shop.currentlyAvailable()).isEqualTo(50);
    clock.advance(Duration.ofHours(1));
    assertThat(shop.currentlyAvailable()).isEqualTo(1000);
  }

  @Test
  void requestCostAbove1000_isRefusedWithShopifysMaxCostExceededShape_withoutCharging() {
    start(CostModel.documented());
    List<String> ids = java.util.stream.IntStream.range(1, 251)
        .mapToObj(i -> "gid://shopify/InventoryItem/" + i).toList();

    // 250 x (item 1 + levels 2 + floor(2 ln 50) x (level 1 + location 1 + 1 quantity)) = 6,000
    Reply reply = client.query("query($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryItem {"
        + " inventoryLevels(first: 50) { nodes { location { id }"
        + " quantities(names: [\"available\"]) { quantity } } } } } }", vars("ids", ids));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.at("data")).isNull();
    assertThat(reply.errorCode()).isEqualTo("MAX_COST_EXCEEDED");
    assertThat(reply.string("errors", 0, "message"))
        .startsWith("Query cost is 6000, which exceeds the single query max cost limit (1000).");
    assertThat(reply.number("errors", 0, "extensions", "cost")).isEqualTo(6000);
    assertThat(reply.number("errors", 0, "extensions", "maxCost")).isEqualTo(1000);
    assertThat(reply.number("extensions", "cost", "requestedQueryCost")).isEqualTo(6000);
    assertThat(shop.currentlyAvailable()).isEqualTo(1000);
  }
}
