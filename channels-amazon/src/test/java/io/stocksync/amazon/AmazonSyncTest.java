package io.stocksync.amazon;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.amazon.Exchange;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end with an emulated Amazon seller (FBM and FBA) over real HTTP, at the
 * models' rate limits, and an in-memory shop sharing the hub's main warehouse.
 */
class AmazonSyncTest {
  static final Sku TEE = Sku.of("TEE");
  static final Sku MUG = Sku.of("MUG");

  final AmazonTestbed bed = new AmazonTestbed();
  final VirtualScheduler scheduler = new VirtualScheduler(bed.clock);
  StockSync hub;
  InMemoryChannel shop;
  StoreId shopId = StoreId.of("shop", "corner");

  @BeforeEach
  void setUp() {
    bed.amazon.addListing("TEE", "SHIRT", 0L, 7L);
    bed.amazon.addListing("MUG", "DRINKING_CUP", 0L, null);
    shop = InMemoryChannel.builder(shopId).clock(bed.clock).location("till", "Till").build();
    shop.addListing("shop-tee", "TEE", 0);
    shop.addListing("shop-mug", "MUG", 0);
    hub = StockSync.builder().clock(bed.clock).scheduler(scheduler).build();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main warehouse"));
  }

  @AfterEach
  void tearDown() {
    hub.close();
    bed.close();
  }

  void settle() {
    scheduler.advance(Duration.ofMinutes(10));
  }

  /** Connects Amazon with FBM linked to main and FBA to its own read-only warehouse. */
  StoreId turnOnBoth() {
    StoreId id = hub.connect(bed.connector(FulfilmentType.BOTH), StoreOptions.DEFAULT).store();
    hub.connect(shop, StoreOptions.DEFAULT);
    settle();
    hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder()
        .location("FBM", LocationChoice.existing("main"))
        .location("FBA", LocationChoice.newWarehouse("fba", "Amazon FBA"))
        .build()));
    hub.turnOnSync(hub.prepareTurnOnSync(shopId, TurnOnSyncChoices.builder()
        .location("till", LocationChoice.existing("main")).build()));
    hub.inventory().adjust(TEE, "main", 10, "delivery");
    hub.inventory().adjust(MUG, "main", 4, "delivery");
    settle();
    return id;
  }

  long patches(String sku) {
    return bed.amazon.exchanges().stream()
        .filter(e -> e.operation().equals("patchListingsItem") && e.path().endsWith("/" + sku))
        .count();
  }

  @Test
  void turnOn_withFbmAndFba_pushesFbm_andCopiesFbaIntoItsReadOnlyWarehouse() {
    StoreId id = turnOnBoth();

    assertThat(bed.amazon.fbmQuantity("TEE")).isEqualTo(10);
    assertThat(bed.amazon.fbmQuantity("MUG")).isEqualTo(4);
    assertThat(shop.quantity("shop-tee")).isEqualTo(10);
    assertThat(hub.inventory().stockLevel(TEE, "fba").available()).isEqualTo(7);
    assertThat(hub.status(id).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(hub.status(id).pushesConfirmed()).isGreaterThanOrEqualTo(2);
    assertThat(hub.status(id).pendingPushes()).isZero();
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.operation().equals("patchListingsItem"))
        .allSatisfy(e -> assertThat(e.requestBody()).contains("DEFAULT").doesNotContain("AMAZON_"));
  }

  @Test
  void acceptedPush_isNotConfirmedUntilAReadShowsIt() {
    StoreId id = hub.connect(bed.connector(FulfilmentType.FBM), StoreOptions.DEFAULT).store();
    settle();
    hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder()
        .location("FBM", LocationChoice.existing("main")).build()));
    hub.inventory().adjust(TEE, "main", 3, "delivery");

    scheduler.advance(Duration.ofSeconds(30));
    assertThat(patches("TEE")).isEqualTo(1);
    assertThat(hub.status(id).pushesConfirmed()).as("ACCEPTED is not confirmed").isZero();

    scheduler.advance(Duration.ofMinutes(6));
    assertThat(hub.status(id).pushesConfirmed()).isEqualTo(1);
    assertThat(bed.amazon.fbmQuantity("TEE")).isEqualTo(3);
  }

  @Test
  void mfnSale_isBookedInTheHub_andPushedToTheOtherStore() {
    StoreId id = turnOnBoth();

    bed.amazon.placeOrder("MERCHANT", Map.of("TEE", 2L));
    hub.syncNow(id);
    settle();

    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isEqualTo(2);
    assertThat(shop.quantity("shop-tee")).isEqualTo(8);
    assertThat(bed.amazon.fbmQuantity("TEE")).isEqualTo(8);
  }

  @Test
  void orderChangeNotification_booksTheSaleWithinSeconds_byGetOrder_withoutAnOrderSearch() {
    StoreId id = turnOnBoth();
    bed.amazon.takeOrderChanges(); // subscribed from now
    long searches = calls("searchOrders");

    String order = bed.amazon.placeOrder("MERCHANT", Map.of("TEE", 2L));
    AmazonNotifications notifications = new AmazonNotifications();
    for (String message : bed.amazon.takeOrderChanges()) {
      notifications.parse(message).ifPresent(n -> hub.handle(n.store(), n.event()));
    }
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isEqualTo(2);
    assertThat(shop.quantity("shop-tee")).isEqualTo(8);
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.operation().equals("getOrder"))
        .singleElement().satisfies(e -> assertThat(e.path()).endsWith("/" + order));
    assertThat(calls("searchOrders")).isEqualTo(searches);
    assertThat(hub.status(id).status()).isEqualTo(SyncStatus.SYNC_ON);

    settle(); // the next order search reads the order again and books nothing twice
    assertThat(calls("searchOrders")).isGreaterThan(searches);
    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isEqualTo(2);
  }

  long calls(String operation) {
    return bed.amazon.exchanges().stream().filter(e -> e.operation().equals(operation)).count();
  }

  @Test
  void afnSale_neverBooksFbmStock() {
    StoreId id = turnOnBoth();

    bed.amazon.placeOrder("AMAZON", Map.of("TEE", 2L));
    hub.syncNow(id);
    settle();

    assertThat(hub.inventory().stockLevel(TEE, "main").booked()).isZero();
    assertThat(hub.inventory().stockLevel(TEE, "main").available()).isEqualTo(10);
    assertThat(shop.quantity("shop-tee")).isEqualTo(10);
    assertThat(hub.status(id).ordersApplied()).isZero();
  }

  @Test
  void fba_isCopiedAtTurnOnAndAgainAfter24Hours_andNeverPushed() {
    turnOnBoth();
    bed.amazon.setFbaQuantity("TEE", 20);

    scheduler.advance(Duration.ofHours(23));
    assertThat(hub.inventory().stockLevel(TEE, "fba").available()).as("not before 24 h").isEqualTo(7);

    scheduler.advance(Duration.ofHours(1).plusMinutes(5));
    assertThat(hub.inventory().stockLevel(TEE, "fba").available()).isEqualTo(20);
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.operation().equals("patchListingsItem")
        || e.operation().equals("createFeed")).allSatisfy(
            e -> assertThat(String.valueOf(e.requestBody())).doesNotContain("AMAZON_NA"));
    assertThat(bed.amazon.fbaQuantity("TEE")).isEqualTo(20);
  }

  @Test
  void acceptedPushThatNeverLands_isReadBackAndPushedAgain() {
    StoreId id = turnOnBoth();
    long before = patches("TEE");
    bed.amazon.failNextAcceptedPatch("TEE", "internal processing error");

    hub.inventory().adjust(TEE, "main", 1, "found one");
    scheduler.advance(Duration.ofMinutes(30));

    assertThat(bed.amazon.processingIssues()).anyMatch(s -> s.startsWith("TEE"));
    assertThat(patches("TEE") - before).as("the lost one and its re-push").isGreaterThanOrEqualTo(2);
    assertThat(bed.amazon.fbmQuantity("TEE")).isEqualTo(11);
    assertThat(hub.status(id).pendingPushes()).isZero();
  }

  @Test
  void fiveThousandSkuSeller_isImportedCompletely() {
    bed.clock.advance(Duration.ofDays(1));
    bed.amazon.addListings("SKU-", 5000, "LUGGAGE", 2, Duration.ofSeconds(3));
    StoreId id = hub.connect(bed.connector(FulfilmentType.FBM), StoreOptions.DEFAULT).store();

    scheduler.advance(Duration.ofMinutes(5));

    assertThat(hub.status(id).lastListingSync()).isNotNull();
    assertThat(hub.listings(id)).hasSize(5002);
    assertThat(bed.amazon.exchanges()).noneMatch(e -> e.status() == 429);
  }

  @Test
  void hardRefreshOf5000Skus_goesThroughOneFeed_andIsConfirmedByReadingBack() {
    bed.clock.advance(Duration.ofDays(1));
    bed.amazon.addListings("SKU-", 5000, "LUGGAGE", 2, Duration.ofSeconds(3));
    StoreId id = hub.connect(bed.connector(FulfilmentType.FBM), StoreOptions.DEFAULT).store();
    scheduler.advance(Duration.ofMinutes(5));
    hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder().copyInventory(true)
        .location("FBM", LocationChoice.existing("main")).build()));
    scheduler.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 5000; i += 2) {
      bed.amazon.setFbmQuantity("SKU-" + i, 0); // drift the hub must overwrite
    }
    int feedsBefore = bed.amazon.feedIds().size();

    hub.hardRefreshInventory(id);
    scheduler.advance(Duration.ofMinutes(30));

    assertThat(bed.amazon.feedIds()).hasSize(feedsBefore + 1);
    String doc = bed.amazon.feedDocument(bed.amazon.feedIds().get(feedsBefore));
    assertThat(doc.split("\"messageId\"", -1).length - 1).isGreaterThanOrEqualTo(5000);
    assertThat(bed.amazon.fbmQuantity("SKU-0")).isEqualTo(2);
    assertThat(bed.amazon.fbmQuantity("SKU-4998")).isEqualTo(2);
    assertThat(hub.status(id).pendingPushes()).isZero();
    assertThat(bed.amazon.exchanges()).noneMatch(e -> e.status() == 429 && !e.operation().equals("lwaToken"));
  }

  @Test
  void expiredToken_isRefreshed_butARevokedGrantNeedsReauthorisation() {
    StoreId id = turnOnBoth();

    bed.amazon.expireAccessTokens();
    hub.inventory().adjust(MUG, "main", 1, "delivery");
    settle();
    assertThat(hub.status(id).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(bed.amazon.fbmQuantity("MUG")).isEqualTo(5);

    bed.amazon.revokeRefreshToken();
    hub.inventory().adjust(MUG, "main", 1, "delivery");
    settle();
    assertThat(hub.status(id).status()).isEqualTo(SyncStatus.NEEDS_REAUTH);
    assertThat(hub.status(id).lastError()).doesNotContain(bed.amazon.refreshToken());
    assertThat(bed.amazon.fbmQuantity("MUG")).isEqualTo(5);
  }

  static boolean isPatch(Exchange e) {
    return e.operation().equals("patchListingsItem");
  }
}
