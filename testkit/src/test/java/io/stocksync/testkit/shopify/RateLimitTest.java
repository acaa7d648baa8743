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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ShopifyEmulator shop;
  private GraphQlTestClient client;

  @BeforeEach
  void setUp() {
    shop = ShopifyEmulator.builder().clock(clock).bucket(1000, 50).build().start();
    client = new GraphQlTestClient(shop);
  }

  @AfterEach
  void tearDown() {
    shop.close();
  }

  @Test
  void everyResponse_carriesCostAndThrottleStatus() {
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
  void productVariants_chargeRequestedCostThenRefundTheUnusedPart() {
    String location = shop.addLocation("Main");
    shop.seedCatalogue(10, List.of(location), 1, "S-");

    Reply reply = client.post("ProductVariants", vars("first", 250));

    assertThat(reply.number("extensions", "cost", "requestedQueryCost")).isEqualTo(2 + 3 * 250);
    assertThat(reply.number("extensions", "cost", "actualQueryCost")).isEqualTo(2 + 3 * 10);
    assertThat(reply.number("extensions", "cost", "throttleStatus", "currentlyAvailable"))
        .isEqualTo(1000 - 32);
  }

  @Test
  void bucket_whenDrained_answersThrottledWithNullActualCostAndExecutesNothing() {
    String location = shop.addLocation("Main");
    VariantIds v = shop.addVariant(shop.addProduct("P", ProductStatus.ACTIVE), "P", true);
    shop.stock(v.inventoryItemId(), location, 1);
    for (int i = 0; i < 4; i++) {
      // Each InventoryItems call of 83 ids costs 250 points: four drain the 1,000-point bucket.
      assertThat(client.post("InventoryItems", vars("ids", ids(83))).errorCode()).isNull();
    }

    Reply throttled = client.set("key-t", List.of(quantity(v.inventoryItemId(), location, 5, 1)));

    assertThat(throttled.status()).isEqualTo(200);
    assertThat(throttled.errorCode()).isEqualTo("THROTTLED");
    assertThat(throttled.string("errors", 0, "message")).isEqualTo("Throttled");
    assertThat(throttled.string("errors", 0, "extensions", "documentation"))
        .isEqualTo("https://shopify.dev/api/usage/rate-limits");
    assertThat(throttled.at("extensions", "cost", "actualQueryCost")).isNull();
    assertThat(throttled.number("extensions", "cost", "requestedQueryCost")).isEqualTo(11);
    assertThat(throttled.number("extensions", "cost", "throttleStatus", "currentlyAvailable"))
        .isEqualTo(0);
    assertThat(throttled.at("data")).isNull();
    assertThat(shop.available(v.inventoryItemId(), location)).isEqualTo(1);
    assertThat(shop.throttledCount()).isEqualTo(1);
  }

  @Test
  void bucket_refillsAtRestoreRateOnTheClockUpToTheMaximum() {
    for (int i = 0; i < 4; i++) {
      client.post("InventoryItems", vars("ids", ids(83)));
    }
    assertThat(client.post("Shop", Map.of()).errorCode()).isEqualTo("THROTTLED");

    clock.advance(Duration.ofMillis(30));
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
  void requestCostAbove1000_isRejectedWithMaxCostExceededWithoutCharging() {
    Reply reply = client.post("Orders", vars("first", 200));

    assertThat(reply.errorCode()).isEqualTo("MAX_COST_EXCEEDED");
    assertThat(reply.number("extensions", "cost", "requestedQueryCost")).isEqualTo(1002);
    assertThat(shop.currentlyAvailable()).isEqualTo(1000);
    assertThat(client.post("Orders", vars("first", 199)).errorCode()).isNull();
  }

  @Test
  void costModel_matchesTheDocumentedApproximation() {
    assertThat(CostModel.requested("Shop", 0)).isEqualTo(1);
    assertThat(CostModel.requested("Locations", 50)).isEqualTo(52);
    assertThat(CostModel.requested("ProductVariants", 250)).isEqualTo(752);
    assertThat(CostModel.cost("ProductVariants", 250, 7)).isEqualTo(23);
    assertThat(CostModel.requested("InventoryItems", 250)).isEqualTo(751);
    assertThat(CostModel.requested("Orders", 100)).isEqualTo(502);
    assertThat(CostModel.cost("Orders", 100, 3)).isEqualTo(17);
    assertThat(CostModel.requested("InventorySet", 250)).isEqualTo(260);
  }

  private static List<String> ids(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> "gid://shopify/InventoryItem/" + i)
        .toList();
  }
}
