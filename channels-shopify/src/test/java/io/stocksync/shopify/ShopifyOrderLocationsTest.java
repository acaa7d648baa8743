package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.shopify.OrderLineSpec;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.RestockType;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a Shopify order takes stock, through the engine over real HTTP on virtual time: one shop
 * with an East and a West location, linked to hub warehouses "east" and "west" (East first, so it
 * is the default an unrouted online order books at).
 */
class ShopifyOrderLocationsTest {
  static final Sku TEE = Sku.of("TEE");

  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  ShopifyEmulator shop;
  StockSync hub;
  StoreId id;
  String east;
  String west;
  final List<VariantIds> variants = new ArrayList<>();

  void start(Duration routingDelay, int skus) {
    shop = ShopifyEmulator.builder().shopDomain("acme.myshopify.com").accessToken("t")
        .clock(clock).routingDelay(routingDelay).build().start();
    east = shop.addLocation("East");
    west = shop.addLocation("West");
    for (int i = 0; i < skus; i++) {
      VariantIds v = shop.addVariant(shop.addProduct("P" + i, ProductStatus.ACTIVE), sku(i).value(),
          true);
      shop.stock(v.inventoryItemId(), east, 10);
      shop.stock(v.inventoryItemId(), west, 10);
      variants.add(v);
    }
    hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
    hub.inventory().defineWarehouse(Warehouse.of("east", "East"));
    hub.inventory().defineWarehouse(Warehouse.of("west", "West"));
    ShopifyConnector connector = ShopifyConnector.builder().shopDomain(shop.shopDomain())
        .accessToken("t").baseUrl(shop.url()).clock(clock).build();
    id = hub.connect(connector, StoreOptions.DEFAULT).store();
    settle();
    hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder().copyInventory(true)
        .location(east, LocationChoice.existing("east"))
        .location(west, LocationChoice.existing("west")).build()));
    settle();
  }

  static Sku sku(int i) {
    return i == 0 ? TEE : Sku.of(String.format("SKU-%03d", i));
  }

  @AfterEach
  void tearDown() {
    if (hub != null) {
      hub.close();
    }
    if (shop != null) {
      shop.close();
    }
  }

  void settle() {
    scheduler.advance(Duration.ofSeconds(30));
  }

  /** An order sync now, with as little virtual time as the calls need. */
  void syncOrders() {
    hub.syncNow(id);
    scheduler.advance(Duration.ofMillis(200));
  }

  /** Moves virtual time to the start of a later whole second. */
  void toWholeSecond(int seconds) {
    Instant target = clock.instant().plusSeconds(seconds)
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    scheduler.advance(Duration.between(clock.instant(), target));
  }

  StockLevel level(Sku sku, String warehouse) {
    return hub.inventory().stockLevel(sku, warehouse);
  }

  long booked(String warehouse, int skus) {
    long sum = 0;
    for (int i = 0; i < skus; i++) {
      sum += level(sku(i), warehouse).booked();
    }
    return sum;
  }

  /** 150 lines of 2 units: lines 0-99 at East, 100-149 at West. */
  String bigOrder() {
    List<OrderLineSpec> lines = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      lines.add(new OrderLineSpec(variants.get(i).variantId(), 2, i < 100 ? east : west));
    }
    return shop.createOrder(lines);
  }

  @Test
  void onlineOrder_150Lines_3FulfilmentOrdersAt2Locations_bookedWhereEachUnitIsReserved() {
    start(Duration.ZERO, 150);
    String order = bigOrder();
    // One unit of line 0 moves to West: a third fulfilment order, line 0 split over both.
    shop.moveFulfillmentOrderLine(order, shop.order(order).lineItems().get(0).id(), east, west, 1);

    syncOrders();

    assertThat(level(TEE, "east").booked()).isEqualTo(1);
    assertThat(level(TEE, "west").booked()).isEqualTo(1);
    for (int i = 1; i < 150; i++) {
      assertThat(level(sku(i), i < 100 ? "east" : "west").booked()).as("line %d", i).isEqualTo(2);
      assertThat(level(sku(i), i < 100 ? "west" : "east").booked()).as("line %d", i).isZero();
    }
    assertThat(booked("east", 150)).isEqualTo(199);
    assertThat(booked("west", 150)).isEqualTo(101);
  }

  @Test
  void onlineOrder_beforeRouting_booksTheDefault_thenMovesWhereRoutingPutsIt_nothingTwice() {
    start(Duration.ofSeconds(3), 150);
    bigOrder();

    syncOrders();
    assertThat(booked("east", 150)).as("not routed yet: the default location").isEqualTo(300);
    assertThat(booked("west", 150)).isZero();

    scheduler.advance(Duration.ofSeconds(3)); // routed; the order's updatedAt does not move
    hub.syncNow(id);
    scheduler.advance(Duration.ofSeconds(20)); // the 150-line order's reads wait for the bucket

    assertThat(booked("east", 150)).isEqualTo(200);
    assertThat(booked("west", 150)).isEqualTo(100);
    for (int i = 0; i < 150; i++) {
      assertThat(level(sku(i), "east").inStock() + level(sku(i), "west").inStock())
          .as("line %d", i).isEqualTo(20);
    }
  }

  @Test
  void movedFulfilmentOrder_movesTheBooking_thenFulfilmentShipsFromTheNewWarehouse() {
    start(Duration.ZERO, 1);
    String order = shop.createOrder(List.of(new OrderLineSpec(variants.get(0).variantId(), 3, east)));
    syncOrders();
    assertThat(level(TEE, "east").booked()).isEqualTo(3);

    clock.advance(Duration.ofSeconds(5));
    shop.moveFulfillmentOrder(order, east, west);
    syncOrders();
    assertThat(level(TEE, "east").booked()).isZero();
    assertThat(level(TEE, "west").booked()).isEqualTo(3);

    clock.advance(Duration.ofSeconds(5));
    shop.fulfil(order);
    syncOrders();

    assertThat(level(TEE, "west")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(7L, 0L);
    assertThat(level(TEE, "east")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(10L, 0L);
  }

  @Test
  void posOrder_booksAtItsRetailLocation() {
    start(Duration.ofSeconds(3), 1);

    shop.sell(variants.get(0).variantId(), 2, west);
    syncOrders();

    assertThat(level(TEE, "west").booked()).isEqualTo(2);
    assertThat(level(TEE, "east").booked()).isZero();
  }

  @Test
  void splitLine_shippedCancelledAndReturnedUnits_addUpToWhatTheShopHolds() {
    start(Duration.ZERO, 1);
    String order = shop.createOrder(List.of(new OrderLineSpec(variants.get(0).variantId(), 5, east)));
    String line = shop.order(order).lineItems().get(0).id();
    shop.moveFulfillmentOrderLine(order, line, east, west, 2);
    syncOrders();
    assertThat(level(TEE, "east").booked()).isEqualTo(3);
    assertThat(level(TEE, "west").booked()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(5));
    shop.fulfil(order, line, 4); // three from East, one from West
    syncOrders();
    clock.advance(Duration.ofSeconds(5));
    shop.refund(order, line, 1, RestockType.CANCEL); // the last unit, unshipped at West
    syncOrders();
    clock.advance(Duration.ofSeconds(5));
    shop.refund(order, line, 2, RestockType.RETURN); // back into East, where it first shipped
    syncOrders();

    String inv = variants.get(0).inventoryItemId();
    assertThat(level(TEE, "east")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly((long) shop.onHand(inv, east), 0L);
    assertThat(level(TEE, "west")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly((long) shop.onHand(inv, west), 0L);
    assertThat(level(TEE, "east").inStock()).isEqualTo(9);
    assertThat(level(TEE, "west").inStock()).isEqualTo(9);
  }

  /** Issue 10 item 4 through the engine: Shopify's updatedAt has whole seconds. */
  @Test
  void orderChangedTwiceWithinOneSecond_bothChangesApplied() {
    start(Duration.ZERO, 1);
    toWholeSecond(1);
    String order = shop.createOrder(List.of(new OrderLineSpec(variants.get(0).variantId(), 3, east)));
    String line = shop.order(order).lineItems().get(0).id();
    syncOrders();
    assertThat(level(TEE, "east").booked()).isEqualTo(3);

    toWholeSecond(2);
    shop.refund(order, line, 1, RestockType.CANCEL);
    syncOrders();
    assertThat(level(TEE, "east").booked()).isEqualTo(2);
    shop.refund(order, line, 1, RestockType.CANCEL);
    Instant first = shop.order(order).updatedAt();
    syncOrders();

    assertThat(first.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .as("both changes in one second").isEqualTo(clock.instant().minusMillis(200)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(level(TEE, "east").booked()).isEqualTo(1);
    assertThat(level(TEE, "east").available()).isEqualTo(9);
  }
}
