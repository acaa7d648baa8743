package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.InventoryMaster;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.RecordedOperation;
import io.stocksync.testkit.shopify.RestockType;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end with two emulated Shopify shops over real HTTP: shop A has a warehouse
 * location linked to the hub and a pop-up location that is STORE-master; shop B has one location
 * linked to the same hub warehouse.
 */
class ShopifySyncTest {
  static final Sku TEE = Sku.of("TEE");
  static final Sku MUG = Sku.of("MUG");

  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  ShopifyEmulator a;
  ShopifyEmulator b;
  String aWarehouse;
  String aPopup;
  String bMain;
  VariantIds aTee;
  VariantIds aMug;
  VariantIds bTee;
  VariantIds bMug;
  StockSync hub;

  @BeforeEach
  void setUp() {
    a = ShopifyEmulator.builder().shopDomain("a.myshopify.com").shopName("Shop A")
        .accessToken("token-a").clock(clock).build().start();
    b = ShopifyEmulator.builder().shopDomain("b.myshopify.com").shopName("Shop B")
        .accessToken("token-b").clock(clock).build().start();
    aWarehouse = a.addLocation("Warehouse");
    aPopup = a.addLocation("Pop-up");
    bMain = b.addLocation("Main");
    aTee = variant(a, "TEE", ProductStatus.ACTIVE, Map.of(aWarehouse, 10, aPopup, 4));
    aMug = variant(a, "MUG", ProductStatus.ACTIVE, Map.of(aWarehouse, 6, aPopup, 2));
    variant(a, null, ProductStatus.ACTIVE, Map.of(aWarehouse, 9));
    variant(a, "DRAFT-HAT", ProductStatus.DRAFT, Map.of(aWarehouse, 1));
    bTee = variant(b, "TEE", ProductStatus.ACTIVE, Map.of(bMain, 3));
    bMug = variant(b, "MUG", ProductStatus.ACTIVE, Map.of(bMain, 5));

    hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main warehouse"));
  }

  @AfterEach
  void tearDown() {
    hub.close();
    a.close();
    b.close();
  }

  VariantIds variant(ShopifyEmulator shop, String sku, ProductStatus status, Map<String, Integer> stock) {
    VariantIds ids = shop.addVariant(shop.addProduct("Product " + sku, status), sku, true);
    stock.forEach((location, q) -> shop.stock(ids.inventoryItemId(), location, q));
    return ids;
  }

  ShopifyConnector connector(ShopifyEmulator shop, String token) {
    return ShopifyConnector.builder().shopDomain(shop.shopDomain()).accessToken(token)
        .baseUrl(shop.url()).clock(clock).build();
  }

  void settle() {
    scheduler.advance(Duration.ofSeconds(30));
  }

  StoreId connectBoth() {
    StoreId idA = hub.connect(connector(a, "token-a"), StoreOptions.DEFAULT).store();
    StoreId idB = hub.connect(connector(b, "token-b"), StoreOptions.DEFAULT).store();
    settle();
    hub.turnOnSync(hub.prepareTurnOnSync(idA, TurnOnSyncChoices.builder().copyInventory(true)
        .location(aWarehouse, LocationChoice.existing("main"))
        .location(aPopup, LocationChoice.newWarehouse("popup", "Pop-up").master(InventoryMaster.STORE))
        .build()));
    hub.turnOnSync(hub.prepareTurnOnSync(idB, TurnOnSyncChoices.builder()
        .location(bMain, LocationChoice.existing("main")).build()));
    settle();
    return idB;
  }

  @Test
  void twoShops_endToEnd() {
    StoreId idA = StoreId.of("shopify", "a.myshopify.com");
    StoreId idB = connectBoth();

    // Listings: no SKU-less variant, no draft.
    assertThat(hub.listings(idA)).extracting(l -> l.sku().value()).containsExactlyInAnyOrder("TEE", "MUG");
    // Copy-inventory took shop A's figures; shop B was pushed the hub's numbers.
    assertThat(hub.inventory().stockLevel(TEE, "main").available()).isEqualTo(10);
    assertThat(hub.inventory().stockLevel(TEE, "popup").available()).isEqualTo(4);
    assertThat(b.available(bTee.inventoryItemId(), bMain)).isEqualTo(10);
    assertThat(b.available(bMug.inventoryItemId(), bMain)).isEqualTo(6);

    // A store-side sale on shop A is read as an order and shop B drops.
    String order = a.sell(aTee.variantId(), 2, aWarehouse);
    hub.syncNow(idA);
    settle();
    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isEqualTo(2);
    assertThat(b.available(bTee.inventoryItemId(), bMain)).isEqualTo(8);
    assertThat(a.available(aTee.inventoryItemId(), aWarehouse)).isEqualTo(8);

    // A hub adjustment reaches every HUB location; the STORE-master pop-up is never pushed.
    hub.inventory().adjust(MUG, "main", 4, "delivery");
    settle();
    assertThat(a.available(aMug.inventoryItemId(), aWarehouse)).isEqualTo(10);
    assertThat(b.available(bMug.inventoryItemId(), bMain)).isEqualTo(10);
    assertThat(a.available(aMug.inventoryItemId(), aPopup)).isEqualTo(2);
    assertThat(pushedLocations(a)).doesNotContain(aPopup);

    // Fulfilment, then a refund with restock returns the unit to stock everywhere.
    a.fulfil(order);
    hub.syncNow(idA);
    settle();
    a.refund(order, a.order(order).lineItems().get(0).id(), 1, RestockType.RETURN);
    hub.syncNow(idA);
    settle();
    assertThat(hub.inventory().stockLevel(TEE, "main").inStock()).isEqualTo(9);
    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isZero();
    assertThat(b.available(bTee.inventoryItemId(), bMain)).isEqualTo(9);
    assertThat(a.available(aTee.inventoryItemId(), aWarehouse)).isEqualTo(9);
    assertThat(hub.status(idA).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(hub.status(idB).lastError()).isNull();
  }

  @Test
  void storeMasterPopup_isMirroredIntoItsWarehouse() {
    connectBoth();
    a.stock(aTee.inventoryItemId(), aPopup, 1); // sold at the pop-up till, counted there

    scheduler.advance(Duration.ofMinutes(16));

    assertThat(hub.inventory().stockLevel(TEE, "popup").available()).isEqualTo(1);
    assertThat(a.available(aTee.inventoryItemId(), aPopup)).isEqualTo(1);
  }

  @Test
  void draftsAreImportedOnlyWhenTheStoreAsksForThem() {
    StoreId idA = hub.connect(connector(a, "token-a"),
        StoreOptions.builder().includeDrafts(true).build()).store();
    settle();

    assertThat(hub.listings(idA)).extracting(ListingRecord::sku).contains(Sku.of("DRAFT-HAT"));
  }

  @Test
  void saleBetweenReadAndPush_isNotOverwritten_theEngineReReadsAndPushesTheRightNumber() {
    StoreId idB = connectBoth();
    b.sell(bTee.variantId(), 1, bMain); // shop B shows 9; the hub has not seen the order yet

    hub.inventory().adjust(TEE, "main", 5, "delivery"); // the hub wants 15 on B
    settle();

    assertThat(hub.status(idB).staleResults()).isPositive();
    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isEqualTo(1);
    assertThat(b.available(bTee.inventoryItemId(), bMain)).isEqualTo(14);
    assertThat(a.available(aTee.inventoryItemId(), aWarehouse)).isEqualTo(14);
  }

  @Test
  void tokenRevokedMidRun_needsReauth_andReconnectingResumesQueuedPushes() {
    StoreId idB = connectBoth();
    b.revokeToken();

    hub.inventory().adjust(MUG, "main", -3, "breakage");
    settle();
    assertThat(hub.status(idB).status()).isEqualTo(SyncStatus.NEEDS_REAUTH);
    assertThat(hub.status(idB).pendingPushes()).isEqualTo(1);
    assertThat(b.available(bMug.inventoryItemId(), bMain)).isEqualTo(6);

    b.rotateToken("token-b2");
    hub.connect(connector(b, "token-b2"), StoreOptions.DEFAULT);
    settle();

    assertThat(hub.status(idB).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(b.available(bMug.inventoryItemId(), bMain)).isEqualTo(3);
  }

  @Test
  void pushAfterServerError_isRetriedWithTheSameIdempotencyKey() {
    connectBoth();
    b.failNext(1, io.stocksync.testkit.shopify.Fault.SERVER_ERROR);

    hub.inventory().adjust(MUG, "main", 1, "");
    settle();

    assertThat(b.available(bMug.inventoryItemId(), bMain)).isEqualTo(7);
    List<RecordedOperation> sets = b.recordedRequests().stream()
        .filter(r -> "InventorySet".equals(r.operationName())).toList();
    RecordedOperation failed = sets.get(sets.size() - 2);
    RecordedOperation retried = sets.get(sets.size() - 1);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.idempotencyKey()).isEqualTo(failed.idempotencyKey());
  }

  @SuppressWarnings("unchecked")
  static List<String> pushedLocations(ShopifyEmulator shop) {
    return shop.recordedRequests().stream()
        .filter(r -> "InventorySet".equals(r.operationName()))
        .flatMap(r -> ((List<Map<String, Object>>) ((Map<String, Object>) r.variables().get("input"))
            .get("quantities")).stream())
        .map(q -> (String) q.get("locationId")).toList();
  }

  @Test
  void saleAtTheStoreMasterPopup_booksThePopupWarehouse_notTheOnlineOne() {
    StoreId idA = StoreId.of("shopify", "a.myshopify.com");
    StoreId idB = connectBoth();
    int pushesToWarehouse = (int) pushedLocations(a).stream().filter(aWarehouse::equals).count();

    a.sell(aTee.variantId(), 3, aPopup);
    hub.syncNow(idA);
    settle();

    assertThat(hub.inventory().stockLevel(TEE, "popup").booked()).isEqualTo(3);
    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isZero();
    assertThat(a.available(aTee.inventoryItemId(), aWarehouse)).isEqualTo(10);
    assertThat(b.available(bTee.inventoryItemId(), bMain)).isEqualTo(10);
    assertThat(pushedLocations(a).stream().filter(aWarehouse::equals).count())
        .isEqualTo(pushesToWarehouse);
    assertThat(hub.status(idB).status()).isEqualTo(SyncStatus.SYNC_ON);
  }
}
