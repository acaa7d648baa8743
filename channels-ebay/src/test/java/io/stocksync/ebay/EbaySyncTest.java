package io.stocksync.ebay;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.ebay.EbayEmulator;
import io.stocksync.testkit.ebay.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end with an emulated eBay seller (Inventory-API items and Seller Hub listings
 * with variations) over real HTTP, and a second store (an {@link InMemoryChannel}) carrying the
 * same SKUs, both linked to one hub warehouse.
 */
class EbaySyncTest {
  static final String SELLER = "sync-seller";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final StoreId shopId = StoreId.of("shop", "other-store");
  EbayEmulator ebay;
  EbayConnector connector;
  InMemoryChannel shop;
  StockSync hub;
  StoreId ebayId;
  String mugOffer;
  String lamp;
  String tee;

  @BeforeEach
  void setUp() {
    ebay = EbayEmulator.builder().clock(clock).sellerId(SELLER).accessToken(null).build().start();
    mugOffer = ebay.addInventoryItem("MUG", "Mug", 5, true);
    ebay.addInventoryItem("BOWL", "Bowl", 3, true);
    lamp = ebay.addTradingItem("LAMP", "Seller Hub lamp", 4);
    tee = ebay.addTradingVariations("Tee", new LinkedHashMap<>(Map.of("TEE-S", 2)));
    connector = connector();
    shop = InMemoryChannel.builder(shopId).clock(clock).build();
    for (String sku : List.of("MUG", "BOWL", "LAMP", "TEE-S")) {
      shop.addListing("shop-" + sku, sku, 0);
    }
    hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main warehouse"));
  }

  EbayConnector connector() {
    OAuthTokenSource source = OAuthTokenSource.builder()
        .tokenUrl(ebay.url().resolve("identity/v1/oauth2/token"))
        .clientId("emulated-client-id").clientSecret("emulated-client-secret")
        .clientAuthentication(ClientAuthentication.BASIC).extraParam("scope", EbayConnector.SCOPES)
        .credentialsStore(new InMemoryCredentialsStore(), "ebay:" + SELLER)
        .initialRefreshToken(ebay.tokens().issueRefreshToken()).clock(clock).build();
    return EbayConnector.builder().sellerId(SELLER).tokenSource(source).baseUrl(ebay.url())
        .clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    hub.close();
    ebay.close();
  }

  void settle() {
    scheduler.advance(Duration.ofMinutes(1));
  }

  /** eBay's figures are copied into the hub; the other store is then pushed the hub's numbers. */
  void turnOnBoth() {
    ebayId = hub.connect(connector, StoreOptions.DEFAULT).store();
    hub.connect(shop, StoreOptions.DEFAULT);
    settle();
    hub.turnOnSync(hub.prepareTurnOnSync(ebayId, TurnOnSyncChoices.builder().copyInventory(true)
        .location("EBAY_US", LocationChoice.existing("main")).build()));
    hub.turnOnSync(hub.prepareTurnOnSync(shopId, TurnOnSyncChoices.builder()
        .location(shop.locations().get(0).id(), LocationChoice.existing("main")).build()));
    settle();
  }

  long hubAvailable(String sku) {
    return hub.inventory().stockLevel(Sku.of(sku), "main").available();
  }

  @Test
  void turnOnSync_onASellerWithBothKindsOfListings_importsBoth_andPushesEachThroughItsOwnApi() {
    turnOnBoth();

    assertThat(hub.listings(ebayId)).extracting(ListingRecord::inventoryRef).containsExactlyInAnyOrder(
        "inv:MUG", "inv:BOWL", "trd:" + lamp, "trd:" + tee + "/TEE-S");
    assertThat(hubAvailable("LAMP")).isEqualTo(4);
    assertThat(shop.quantity("shop-LAMP")).isEqualTo(4);

    hub.inventory().adjust(Sku.of("MUG"), "main", 5, "delivery");
    hub.inventory().adjust(Sku.of("TEE-S"), "main", 3, "delivery");
    settle();

    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(10);
    assertThat(ebay.offerQuantity(mugOffer)).isEqualTo(10);
    assertThat(ebay.tradingQuantity(tee, "TEE-S")).isEqualTo(5);
    assertThat(shop.quantity("shop-MUG")).isEqualTo(10);
    assertThat(ebay.priceUpdates()).isZero();
    assertThat(hub.status(ebayId).status()).isEqualTo(SyncStatus.SYNC_ON);
  }

  @Test
  void ebaySale_notifiedByOrderConfirmation_isBookedAndPushedElsewhere_andACancellationReleasesIt() {
    turnOnBoth();
    EbayNotificationHandler notifications = connector.notificationHandler(hub::handle);

    String order = ebay.sell("MUG", 2);
    List<Notification> sent = ebay.takeNotifications();
    assertThat(sent).hasSize(1);
    Notification n = sent.get(0);
    assertThat(notifications.handle(h -> h.equals("X-EBAY-SIGNATURE") ? n.signatureHeader() : null,
        n.body())).isEqualTo(EbayNotificationHandler.Outcome.ACCEPTED);
    int searches = ebay.calls("getOrders");
    scheduler.advance(Duration.ofSeconds(5)); // well before the 10-minute poll

    assertThat(hub.inventory().stockLevel(Sku.of("MUG"), "main").booked()).isEqualTo(2);
    assertThat(shop.quantity("shop-MUG")).isEqualTo(3);
    assertThat(ebay.calls("getOrder")).as("the named order, read alone").isEqualTo(1);
    assertThat(ebay.calls("getOrders")).isEqualTo(searches);

    ebay.cancel(order); // no topic for cancellations: polling finds it, every minute on eBay
    scheduler.advance(Duration.ofMinutes(2));

    assertThat(hub.inventory().stockLevel(Sku.of("MUG"), "main").booked()).isZero();
    assertThat(shop.quantity("shop-MUG")).isEqualTo(5);
    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(5);
  }

  @Test
  void sixtyChangedInventorySkus_goOutInThreeBulkCalls_andTenTradingVariationsInThreeReviseCalls() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      ebay.addInventoryItem(String.format("SKU-%02d", i), "Item " + i, 1, true);
    }
    for (int i = 0; i < 10; i++) {
      sizes.put("VAR-" + i, 1);
    }
    String shirt = ebay.addTradingVariations("Shirt", sizes);
    turnOnBoth();
    assertThat(hub.listings(ebayId)).hasSize(4 + 60 + 10);

    int bulkBefore = ebay.calls("bulkUpdatePriceQuantity");
    for (int i = 0; i < 60; i++) {
      hub.inventory().adjust(Sku.of(String.format("SKU-%02d", i)), "main", 2, "delivery");
    }
    settle();
    assertThat(ebay.calls("bulkUpdatePriceQuantity") - bulkBefore).isEqualTo(3);
    assertThat(ebay.shipToHomeQuantity("SKU-59")).isEqualTo(3);

    int reviseBefore = ebay.calls("ReviseInventoryStatus");
    for (String sku : sizes.keySet()) {
      hub.inventory().adjust(Sku.of(sku), "main", 4, "delivery");
    }
    settle();
    assertThat(ebay.calls("ReviseInventoryStatus") - reviseBefore).isEqualTo(3);
    assertThat(ebay.tradingQuantity(shirt, "VAR-9")).isEqualTo(5);
    assertThat(connector.revisionsToday("trd:" + shirt)).isEqualTo(3);
  }

  @Test
  void aBatchWithOneBadSku_confirmsTheOthers() {
    turnOnBoth();
    ebay.deleteInventoryItem("BOWL"); // removed by another tool

    hub.inventory().adjust(Sku.of("MUG"), "main", 1, "delivery");
    hub.inventory().adjust(Sku.of("BOWL"), "main", 1, "delivery");
    settle();

    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(6);
    assertThat(ebay.exchanges()).filteredOn(e -> e.path().endsWith("bulk_update_price_quantity"))
        .last().satisfies(e -> assertThat(e.status()).isEqualTo(207));
    assertThat(shop.quantity("shop-BOWL")).isEqualTo(4);
    assertThat(hub.status(ebayId).status()).isEqualTo(SyncStatus.SYNC_ON);
  }

  @Test
  void aListingAtItsDailyRevisionCap_isReported_heldWithoutCalls_andItsLatestFigureGoesAfterMidnight() {
    turnOnBoth();
    ebay.setRevisionsToday(ebay.listingIdOf(mugOffer), 250); // revised elsewhere all day

    hub.inventory().adjust(Sku.of("MUG"), "main", 1, "delivery");
    settle();
    assertThat(connector.cappedListings()).containsExactly("inv:MUG");
    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(5);
    int bulk = ebay.calls("bulkUpdatePriceQuantity");

    hub.inventory().adjust(Sku.of("MUG"), "main", 1, "delivery");
    hub.inventory().adjust(Sku.of("MUG"), "main", 1, "delivery");
    scheduler.advance(Duration.ofHours(1));
    assertThat(ebay.calls("bulkUpdatePriceQuantity")).as("held by the connector").isEqualTo(bulk);
    assertThat(hub.status(ebayId).pendingPushes()).isPositive();
    assertThat(shop.quantity("shop-MUG")).isEqualTo(8);

    scheduler.advance(Duration.ofHours(16)); // past midnight UTC
    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(8);
    assertThat(ebay.calls("bulkUpdatePriceQuantity") - bulk).as("coalesced into one").isEqualTo(1);
  }

  @Test
  void anExpiredTokenIsRefreshedOnce_andInvalidGrantMovesTheStoreToNeedsReauth() {
    turnOnBoth();
    int grants = ebay.tokenGrants();

    ebay.expireAccessTokens();
    hub.inventory().adjust(Sku.of("MUG"), "main", 1, "delivery");
    settle();
    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(6);
    assertThat(ebay.tokenGrants()).isEqualTo(grants + 1);

    ebay.revokeRefreshTokens();
    hub.inventory().adjust(Sku.of("MUG"), "main", 1, "delivery");
    settle();
    assertThat(hub.status(ebayId).status()).isEqualTo(SyncStatus.NEEDS_REAUTH);
    assertThat(hub.status(ebayId).pendingPushes()).isEqualTo(1);
    assertThat(hub.status(ebayId).lastError()).doesNotContain("v^1.1#i^1#");
    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(6);
  }
}
