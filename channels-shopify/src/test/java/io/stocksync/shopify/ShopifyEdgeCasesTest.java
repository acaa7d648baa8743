package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.stocksync.core.StoreId;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.StockRef;
import io.stocksync.shopify.ShopifyWebhookHandler.Outcome;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.CostModel;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.RestockType;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Edge cases found by an adversarial review of the connector; each test failed before its fix. */
class ShopifyEdgeCasesTest {
  static final String TOKEN = "shpat_review";
  static final String SECRET = "whsec_review";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  ShopifyEmulator shop;
  ShopifyConnector connector;
  String location;

  void start(int bucket, int rate) {
    start(bucket, rate, CostModel.documented());
  }

  void start(int bucket, int rate, CostModel model) {
    shop = ShopifyEmulator.builder().shopDomain("acme.myshopify.com").accessToken(TOKEN)
        .clock(clock).bucket(bucket, rate).costModel(model).build().start();
    location = shop.addLocation("Main");
    connector = ShopifyConnector.builder().shopDomain("acme.myshopify.com").accessToken(TOKEN)
        .webhookSecret(SECRET).baseUrl(shop.url()).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    if (connector != null) connector.close();
    if (shop != null) shop.close();
  }

  // ---- B1: LEGACY_RESTOCK of unshipped units reported as restock of shipped units
  @Test
  void legacyRestockOfUnshippedUnits_isNotARestockOfShippedUnits() {
    start(2000, 100);
    VariantIds tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
    shop.stock(tee.inventoryItemId(), location, 20);
    Instant since = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    String order = shop.sell(tee.variantId(), 4, location);
    String line = shop.order(order).lineItems().get(0).id();
    shop.fulfil(order, line, 2);
    shop.refund(order, line, 2, RestockType.LEGACY_RESTOCK); // the 2 unshipped units
    System.out.println("emulator line: " + shop.order(order).lineItems().get(0));

    ChannelOrderLine l = connector.orders(new OrderQuery(since, null)).items().get(0).lines().get(0);
    assertThat(l).extracting(ChannelOrderLine::fulfilled, ChannelOrderLine::cancelled,
        ChannelOrderLine::restocked).containsExactly(2L, 2L, 0L);
  }

  // ---- B2: cancelled fulfilments count as shipped
  @Test
  void cancelledFulfilment_isNotShipped() throws Exception {
    String order = "{\"data\":{\"orders\":{\"nodes\":[{\"id\":\"gid://shopify/Order/1\",\"name\":\"#1\","
        + "\"createdAt\":\"2026-11-23T08:00:00Z\",\"updatedAt\":\"2026-11-23T09:00:00Z\",\"cancelledAt\":null,"
        + "\"displayFulfillmentStatus\":\"UNFULFILLED\",\"retailLocation\":null,"
        + "\"lineItems\":{\"nodes\":[{\"id\":\"gid://shopify/LineItem/9\",\"sku\":\"TEE\",\"quantity\":2,"
        + "\"currentQuantity\":2,\"unfulfilledQuantity\":2}]},"
        + "\"fulfillments\":[{\"id\":\"gid://shopify/Fulfillment/5\",\"status\":\"CANCELLED\","
        + "\"fulfillmentLineItems\":{\"nodes\":[{\"lineItem\":{\"id\":\"gid://shopify/LineItem/9\"},\"quantity\":2}]}}],"
        + "\"refunds\":[]}],\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":null}}}}";
    try (MockWebServer server = stub(order)) {
      ShopifyConnector c = ShopifyConnector.builder().shopDomain("acme.myshopify.com")
          .accessToken(TOKEN).baseUrl(server.url("/")).clock(clock).build();
      ChannelOrderLine l = c.orders(new OrderQuery(Instant.EPOCH, null)).items().get(0).lines().get(0);
      c.close();
      // the fulfilment was cancelled: 2 units open, 0 shipped
      assertThat(l.fulfilled()).isZero();
    }
  }

  // ---- B3: a delivery whose sink failed is marked seen; Shopify's retry is dropped
  @Test
  void failedDelivery_isNotMarkedSeen() {
    start(2000, 100);
    List<ChannelEvent> got = new ArrayList<>();
    int[] calls = {0};
    ShopifyWebhookHandler h = connector.webhookHandler((StoreId s, ChannelEvent e) -> {
      if (calls[0]++ == 0) throw new IllegalStateException("engine busy");
      got.add(e);
    });
    byte[] body = "{\"id\":1,\"admin_graphql_api_id\":\"gid://shopify/Order/1\",\"line_items\":[]}"
        .getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Map.of("X-Shopify-Hmac-SHA256", hmac(body),
        "X-Shopify-Topic", "orders/create", "X-Shopify-Shop-Domain", "acme.myshopify.com",
        "X-Shopify-Webhook-Id", "wh-1");
    try { h.handle(headers, body); } catch (RuntimeException expected) { /* host answers 500 */ }
    Outcome retry = h.handle(headers, body); // Shopify redelivers with the same id
    assertThat(retry).isEqualTo(Outcome.ACCEPTED);
    assertThat(got).hasSize(1);
  }

  // ---- B4: echo recognition swallows a real store-side change back to the pushed figure
  @Test
  void storeSideChangeBackToThePushedFigure_isNotAnEcho() {
    start(2000, 100);
    VariantIds tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
    shop.stock(tee.inventoryItemId(), location, 10);
    connector.push(List.of(new PushItem(new StockRef(tee.inventoryItemId(), location), 7, 10L, "k")));
    List<ChannelEvent> got = new ArrayList<>();
    ShopifyWebhookHandler h = connector.webhookHandler((s, e) -> got.add(e));
    String item = ShopifyConnector.numeric(tee.inventoryItemId());
    String loc = ShopifyConnector.numeric(location);
    assertThat(level(h, "d1", item, loc, 7)).isEqualTo(Outcome.ECHO);      // our own push
    assertThat(level(h, "d2", item, loc, 6)).isEqualTo(Outcome.ACCEPTED);  // a sale in the store
    assertThat(level(h, "d3", item, loc, 7)).isEqualTo(Outcome.ACCEPTED);  // a return in the store
  }

  // ---- B5: pacing covers every call of a quantity read, so none meets THROTTLED
  @ParameterizedTest
  @MethodSource("models")
  void quantityReadPacing_neverMeetsThrottled(CostModel model) {
    start(2000, 100, model);
    List<VariantIds> ids = shop.seedCatalogue(250, List.of(location), 3, "S-");
    List<StockRef> refs = ids.stream().map(v -> new StockRef(v.inventoryItemId(), location)).toList();
    for (int round = 0; round < 4; round++) {
      assertThat(readPaced(refs)).hasSize(250);
    }
    assertThat(shop.throttledCount()).isZero();
  }

  @ParameterizedTest
  @MethodSource("models")
  void readLargerThanTheWholeBucket_completesOverPausedAttempts_withoutThrottled(CostModel model) {
    start(1000, 10, model); // the smallest real bucket is 1,000 points (the single-query cap)
    shop.addLocation("Second");
    shop.addLocation("Third");
    connector.locations();
    List<VariantIds> ids = shop.seedCatalogue(250, List.of(location), 3, "S-");
    List<StockRef> refs = ids.stream().map(v -> new StockRef(v.inventoryItemId(), location)).toList();

    Map<StockRef, Long> read = readPaced(refs);

    assertThat(read).hasSize(250).containsEntry(refs.get(249), 3L);
    assertThat(shop.throttledCount()).isZero();
  }

  /** Reads as the engine does: waits for the pacing delay, and after a pause for its retryAfter. */
  Map<StockRef, Long> readPaced(List<StockRef> refs) {
    for (int attempt = 0; attempt < 100; attempt++) {
      clock.advance(connector.pacingDelay(ChannelCall.QUANTITIES, refs.size()));
      try {
        return connector.readQuantities(refs);
      } catch (RetryLaterException e) {
        clock.advance(e.retryAfter().orElseThrow());
      }
    }
    throw new AssertionError("read never completed");
  }

  // ---- B5b: the first Orders call is paced too
  @ParameterizedTest
  @MethodSource("models")
  void firstOrdersCall_isPacedToo(CostModel model) {
    start(1000, 10, model);
    List<VariantIds> ids = shop.seedCatalogue(250, List.of(location), 3, "S-");
    List<StockRef> refs = ids.stream().map(v -> new StockRef(v.inventoryItemId(), location)).toList();
    readPaced(refs);
    clock.advance(connector.pacingDelay(ChannelCall.ORDERS, 0));
    assertThatCode(() -> connector.orders(new OrderQuery(Instant.EPOCH, null))).doesNotThrowAnyException();
    assertThat(shop.throttledCount()).isZero();
  }

  static List<CostModel> models() {
    return List.of(CostModel.documented(), CostModel.linear());
  }

  // ---- B6: MAX_COST_EXCEEDED never shrinks the page: every later call fails the same way
  @Test
  void maxCostExceeded_shrinksTheVariantPage() throws Exception {
    String tooExpensive = "{\"errors\":[{\"message\":\"Query cost is 5102, which exceeds the single query max cost limit (1000).\","
        + "\"extensions\":{\"code\":\"MAX_COST_EXCEEDED\",\"cost\":5102,\"maxCost\":1000}}],"
        + "\"extensions\":{\"cost\":{\"requestedQueryCost\":5102,\"actualQueryCost\":null,"
        + "\"throttleStatus\":{\"maximumAvailable\":2000,\"currentlyAvailable\":2000,\"restoreRate\":100}}}}";
    try (MockWebServer server = stub(tooExpensive)) {
      ShopifyConnector c = ShopifyConnector.builder().shopDomain("acme.myshopify.com")
          .accessToken(TOKEN).baseUrl(server.url("/")).clock(clock).build();
      List<Object> firsts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        try { c.listings(new ListingQuery(null, false, null)); } catch (RuntimeException e) { System.out.println(e); }
        String req = server.takeRequest().getBody().utf8();
        firsts.add(req.replaceAll(".*\"first\":([0-9.]+).*", "$1"));
      }
      c.close();
      System.out.println("first per call: " + firsts);
      assertThat(firsts.get(2)).isNotEqualTo(firsts.get(0));
    }
  }

  // ---- B7: incremental listing sync never reports a listing that left ACTIVE (archived / drafted)
  @Test
  void archivedProduct_isReportedInactiveOnIncrementalSync() {
    start(2000, 100);
    String product = shop.addProduct("Tee", ProductStatus.ACTIVE);
    VariantIds tee = shop.addVariant(product, "TEE", true);
    shop.stock(tee.inventoryItemId(), location, 5);
    Instant since = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    shop.setProductStatus(product, ProductStatus.ARCHIVED);
    var page = connector.listings(new ListingQuery(since, false, null));
    assertThat(page.items()).singleElement().satisfies(l ->
        assertThat(l.status()).isEqualTo(io.stocksync.core.channel.ListingStatus.INACTIVE));
  }

  static MockWebServer stub(String body) throws Exception {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .body(body).build();
      }
    });
    server.start();
    return server;
  }

  Outcome level(ShopifyWebhookHandler h, String id, String item, String loc, long available) {
    byte[] body = ("{\"admin_graphql_api_id\":\"gid://shopify/InventoryLevel/" + loc
        + "?inventory_item_id=" + item + "\",\"inventory_item_id\":" + item + ",\"location_id\":" + loc + ",\"available\":"
        + available + ",\"updated_at\":\"2026-11-23T08:00:01Z\"}").getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Map.of("X-Shopify-Hmac-SHA256", hmac(body),
        "X-Shopify-Topic", "inventory_levels/update", "X-Shopify-Shop-Domain", "acme.myshopify.com",
        "X-Shopify-Webhook-Id", id);
    return h.handle(headers, body);
  }

  static String hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
