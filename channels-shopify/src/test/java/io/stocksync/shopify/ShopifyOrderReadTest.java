package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.CostModel;
import io.stocksync.testkit.shopify.OrderLineSpec;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.RestockType;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading what Shopify cuts into pages and seconds: nothing lost, every change seen. */
class ShopifyOrderReadTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  ShopifyEmulator shop;
  ShopifyConnector connector;

  static List<CostModel> models() {
    return List.of(CostModel.documented(), CostModel.linear());
  }

  void start(CostModel model) {
    shop = ShopifyEmulator.builder().shopDomain("acme.myshopify.com").accessToken("t")
        .clock(clock).costModel(model).build().start();
    connector = ShopifyConnector.builder().shopDomain("acme.myshopify.com").accessToken("t")
        .baseUrl(shop.url()).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    connector.close();
    shop.close();
  }

  List<ChannelOrder> allOrders() {
    List<ChannelOrder> out = new ArrayList<>();
    String token = null;
    do {
      clock.advance(connector.pacingDelay(io.stocksync.core.channel.ChannelCall.ORDERS, 0));
      Page<ChannelOrder> page = connector.orders(new OrderQuery(Instant.EPOCH, token));
      out.addAll(page.items());
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  @ParameterizedTest
  @MethodSource("models")
  void twoChangesToAnOrderWithinOneSecond_giveTwoVersions(CostModel model) {
    start(model);
    String main = shop.addLocation("Main");
    VariantIds tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
    shop.stock(tee.inventoryItemId(), main, 10);
    String order = shop.sell(tee.variantId(), 3, main);
    ChannelOrder first = allOrders().get(0);

    clock.advance(Duration.ofMillis(400)); // same second
    String line = shop.order(order).lineItems().get(0).id();
    shop.fulfil(order, line, 1);
    ChannelOrder second = allOrders().get(0);
    clock.advance(Duration.ofMillis(400)); // still the same second
    shop.refund(order, line, 1, RestockType.RETURN);
    ChannelOrder third = allOrders().get(0);

    assertThat(second.updatedAt()).isEqualTo(first.updatedAt()).isEqualTo(third.updatedAt())
        .isEqualTo(Instant.parse("2026-11-23T08:00:00Z"));
    assertThat(List.of(first.version(), second.version(), third.version())).doesNotHaveDuplicates();
    assertThat(second.lines().get(0).fulfilled()).isEqualTo(1);
    assertThat(third.lines().get(0).restocked()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("models")
  void orderWith150Lines_isReadWhole_acrossNestedPages(CostModel model) {
    start(model);
    String main = shop.addLocation("Main");
    List<OrderLineSpec> lines = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      VariantIds v = shop.addVariant(shop.addProduct("P" + i, ProductStatus.ACTIVE), "SKU-" + i, true);
      shop.stock(v.inventoryItemId(), main, 5);
      lines.add(new OrderLineSpec(v.variantId(), 1 + i % 3, main));
    }
    String order = shop.createOrder(lines);
    shop.fulfil(order); // one fulfilment of 150 lines: past the first nested page
    shop.refund(order, shop.order(order).lineItems().get(149).id(), 1, RestockType.RETURN);

    ChannelOrder read = allOrders().get(0);

    assertThat(read.lines()).hasSize(150);
    assertThat(read.lines().stream().mapToLong(l -> l.quantity()).sum())
        .isEqualTo(lines.stream().mapToLong(OrderLineSpec::quantity).sum());
    assertThat(read.lines().stream().mapToLong(l -> l.fulfilled()).sum())
        .isEqualTo(lines.stream().mapToLong(OrderLineSpec::quantity).sum());
    assertThat(read.lines().get(149).sku()).isEqualTo("SKU-149");
    assertThat(read.lines().get(149).restocked()).isEqualTo(1);
    assertThat(shop.throttledCount()).isZero();
  }

  @ParameterizedTest
  @MethodSource("models")
  void shopWith15Locations_importsAndReadsEveryLevel(CostModel model) {
    start(model);
    List<String> locations = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      locations.add(shop.addLocation("L" + i));
    }
    List<VariantIds> variants = shop.seedCatalogue(300, locations, 4, "SKU-");
    clock.advance(connector.pacingDelay(io.stocksync.core.channel.ChannelCall.LISTINGS, 0));
    List<ChannelLocation> seen = connector.locations();
    // A connector that learned of fewer locations still pages the rest of each item's levels.
    shop.addLocation("L15");
    shop.stock(variants.get(0).inventoryItemId(), shop.addLocation("L16"), 9);

    List<ChannelListing> listings = new ArrayList<>();
    String token = null;
    boolean more = true;
    while (more) {
      clock.advance(connector.pacingDelay(io.stocksync.core.channel.ChannelCall.LISTINGS, 0));
      Page<ChannelListing> page;
      try {
        page = connector.listings(new ListingQuery(null, false, token));
      } catch (io.stocksync.core.RetryLaterException e) {
        clock.advance(e.retryAfter().orElseThrow()); // a follow-up paused for the bucket
        continue;
      }
      listings.addAll(page.items());
      token = page.nextPageToken();
      more = token != null;
    }
    List<StockRef> refs = variants.stream()
        .map(v -> new StockRef(v.inventoryItemId(), locations.get(14))).collect(Collectors.toList());
    Map<StockRef, Long> read = null;
    while (read == null) {
      clock.advance(connector.pacingDelay(io.stocksync.core.channel.ChannelCall.QUANTITIES, 250));
      try {
        read = connector.readQuantities(refs.subList(0, 250));
      } catch (io.stocksync.core.RetryLaterException e) {
        clock.advance(e.retryAfter().orElseThrow());
      }
    }

    assertThat(seen).hasSize(15);
    assertThat(listings).hasSize(300);
    assertThat(listings.get(0).quantities()).hasSize(16).containsValue(9L);
    assertThat(listings.get(1).quantities()).hasSize(15).containsOnlyKeys(locations);
    assertThat(read).hasSize(250).containsValue(4L);
    assertThat(shop.throttledCount()).isZero();
  }

  List<ChannelOrder> ordersSince(Instant since) {
    List<ChannelOrder> out = new ArrayList<>();
    String token = null;
    do {
      clock.advance(connector.pacingDelay(io.stocksync.core.channel.ChannelCall.ORDERS, 0));
      Page<ChannelOrder> page = connector.orders(new OrderQuery(since, token));
      out.addAll(page.items());
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  @ParameterizedTest
  @MethodSource("models")
  void onlineOrder_150LinesAt2Locations_eachLineReportsItsLocation_acrossNestedPages(CostModel model) {
    start(model);
    String east = shop.addLocation("East");
    String west = shop.addLocation("West");
    List<OrderLineSpec> lines = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      VariantIds v = shop.addVariant(shop.addProduct("P" + i, ProductStatus.ACTIVE), "SKU-" + i, true);
      shop.stock(v.inventoryItemId(), east, 5);
      shop.stock(v.inventoryItemId(), west, 5);
      lines.add(new OrderLineSpec(v.variantId(), 2, i < 100 ? east : west));
    }
    String order = shop.createOrder(lines);
    clock.advance(Duration.ofSeconds(3)); // routed
    shop.moveFulfillmentOrderLine(order, shop.order(order).lineItems().get(0).id(), east, west, 1);

    ChannelOrder read = allOrders().get(0);

    assertThat(read.locationId()).isNull();
    assertThat(read.lines()).hasSize(151);
    assertThat(read.lines().stream().filter(l -> east.equals(l.locationId()))
        .mapToLong(l -> l.quantity()).sum()).isEqualTo(199);
    assertThat(read.lines().stream().filter(l -> west.equals(l.locationId()))
        .mapToLong(l -> l.quantity()).sum()).isEqualTo(101);
    assertThat(read.lines()).anySatisfy(l -> assertThat(l.lineId()).endsWith("@" + west));
    assertThat(shop.requestCount("FulfillmentOrderLines")).as("the 100 lines at East are paged")
        .isPositive();
    assertThat(shop.throttledCount()).isZero();
  }

  @ParameterizedTest
  @MethodSource("models")
  void fulfilmentOrders_areReadOnlyForOnlineOrdersWithOpenUnits_andAnUnroutedOrderIsReadAgain(
      CostModel model) {
    start(model);
    String main = shop.addLocation("Main");
    VariantIds tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
    shop.stock(tee.inventoryItemId(), main, 10);
    shop.sell(tee.variantId(), 1, main); // point of sale
    String shipped = shop.sell(tee.variantId(), 1, null);
    clock.advance(Duration.ofSeconds(3));
    shop.fulfil(shipped);
    allOrders();
    assertThat(shop.requestCount("OrderFulfillmentOrders")).isZero();

    String online = shop.sell(tee.variantId(), 2, null);
    ChannelOrder before = allOrders().stream().filter(o -> o.orderId().equals(online)).findFirst()
        .orElseThrow();
    clock.advance(Duration.ofSeconds(3)); // routed now; the order's updatedAt stays
    ChannelOrder after = ordersSince(before.updatedAt().plusSeconds(1)).stream()
        .filter(o -> o.orderId().equals(online)).findFirst().orElseThrow();

    assertThat(before.lines()).extracting(l -> l.locationId()).containsExactly((String) null);
    assertThat(after.lines()).extracting(l -> l.locationId()).containsExactly(main);
    assertThat(after.version()).isNotEqualTo(before.version());
    assertThat(after.updatedAt()).isEqualTo(before.updatedAt());
    int fulfilmentOrderReads = shop.requestCount("OrderFulfillmentOrders");
    ordersSince(before.updatedAt().plusSeconds(1));
    assertThat(shop.requestCount("OrdersById")).as("routed: not read again").isEqualTo(1);
    assertThat(shop.requestCount("OrderFulfillmentOrders")).isEqualTo(fulfilmentOrderReads);
  }
}
