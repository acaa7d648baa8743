package io.stocksync.etsy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.oauth.OAuthTokens;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.etsy.EtsyEmulator;
import io.stocksync.testkit.etsy.EtsyEmulator.Variation;
import io.stocksync.testkit.etsy.Exchange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end with an emulated Etsy shop over real HTTP and a second store (an
 * in-memory point of sale), both linked to the hub's warehouse "main".
 */
class EtsySyncTest {
  static final Sku MUG = Sku.of("MUG");
  static final Sku RED = Sku.of("TEE-R");
  static final Sku GREEN = Sku.of("TEE-G");
  static final Sku BLUE = Sku.of("TEE-B");
  static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final InMemoryInventoryStore store = new InMemoryInventoryStore();
  final List<SyncEvent> events = new CopyOnWriteArrayList<>();
  EtsyTestShop shop;
  EtsyEmulator etsy;
  InMemoryChannel pos;
  long mug;
  long tee;
  StockSync hub;
  StoreId etsyId;

  @BeforeEach
  void setUp() {
    shop = new EtsyTestShop(clock, b -> b.limits(10, 100_000).webhookSecret(WEBHOOK_SECRET));
    etsy = shop.etsy;
    mug = etsy.addListing("Mug", "MUG", 4);
    tee = etsy.addListing("T-shirt", "Color", List.of(new Variation("Red", "TEE-R", 5, 1500),
        new Variation("Green", "TEE-G", 3, 1700), new Variation("Blue", "TEE-B", 2, 1900)));
    pos = InMemoryChannel.builder(StoreId.of("memory", "pos")).name("pos").clock(clock).build();
    pos.addListing("pos-mug", "MUG", 0);
    pos.addListing("pos-red", "TEE-R", 0);
    hub = newHub();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
  }

  StockSync newHub() {
    return StockSync.builder().store(store).clock(clock).scheduler(scheduler)
        .listener(new SyncListener() {
          @Override
          public void onEvent(SyncEvent event) {
            events.add(event);
          }
        }).build();
  }

  @AfterEach
  void tearDown() {
    hub.close();
    shop.close();
  }

  void settle() {
    // Etsy reports a daily quota, so a push that leaves a comfortable figure waits up to 30 s
    // for others to share its call (BudgetThrift); a re-plan after a stale answer waits again.
    scheduler.advance(Duration.ofMinutes(2));
  }

  void connectBoth(StoreOptions etsyOptions) {
    etsyId = hub.connect(shop.connector(), etsyOptions).store();
    StoreId posId = hub.connect(pos, StoreOptions.DEFAULT).store();
    settle();
    hub.turnOnSync(hub.prepareTurnOnSync(etsyId, TurnOnSyncChoices.builder().copyInventory(true)
        .location(EtsyConnector.LOCATION_ID, LocationChoice.existing("main")).build()));
    hub.turnOnSync(hub.prepareTurnOnSync(posId, TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build()));
    settle();
  }

  long puts() {
    return etsy.exchanges().stream().filter(e -> e.method().equals("PUT")).count();
  }

  @Test
  void turnOnSync_copiesEtsysFigures_andPushesThemToTheOtherStore() {
    connectBoth(StoreOptions.DEFAULT);

    assertThat(hub.listings(etsyId)).extracting(l -> l.sku().value())
        .containsExactlyInAnyOrder("MUG", "TEE-R", "TEE-G", "TEE-B");
    assertThat(hub.inventory().stockLevel(MUG, "main").available()).isEqualTo(4);
    assertThat(hub.inventory().stockLevel(GREEN, "main").available()).isEqualTo(3);
    assertThat(pos.quantity("pos-mug")).isEqualTo(4);
    assertThat(pos.quantity("pos-red")).isEqualTo(5);
    assertThat(hub.status(etsyId).status()).isEqualTo(SyncStatus.SYNC_ON);
  }

  @Test
  void saleOnEtsy_isBookedAndPushedToTheOtherStore_andItsCancellationReleasesIt() {
    connectBoth(StoreOptions.DEFAULT);

    long receipt = etsy.sell(mug, "MUG", 1);
    hub.syncNow(etsyId);
    settle();
    assertThat(hub.inventory().stockLevel(MUG, "main").booked()).isEqualTo(1);
    assertThat(pos.quantity("pos-mug")).isEqualTo(3);

    clock.advance(Duration.ofSeconds(5));
    etsy.cancel(receipt);
    hub.syncNow(etsyId);
    settle();
    assertThat(hub.inventory().stockLevel(MUG, "main").booked()).isZero();
    assertThat(pos.quantity("pos-mug")).isEqualTo(4);
    assertThat(etsy.quantity(mug, "MUG")).as("Etsy does not restock a cancellation; the hub does")
        .isEqualTo(4);
  }

  @Test
  void pushRacingASaleOnEtsy_isReReadAndReplanned_notOverwritten() {
    connectBoth(StoreOptions.DEFAULT);
    etsy.sell(mug, "MUG", 1); // Etsy shows 3; the hub has not seen the receipt yet

    hub.inventory().adjust(MUG, "main", 5, "delivery"); // the hub wants 9 on Etsy
    settle();

    assertThat(hub.status(etsyId).staleResults()).isPositive();
    assertThat(hub.inventory().stockLevel(MUG, "main").booked()).isEqualTo(1);
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(8);
    assertThat(pos.quantity("pos-mug")).isEqualTo(8);
  }

  @Test
  void threeSkusOfOneListing_arePushedInOneWrite_withPricesUntouched() {
    connectBoth(StoreOptions.DEFAULT);
    long before = puts();

    hub.inventory().adjust(RED, "main", 1, "delivery");
    hub.inventory().adjust(GREEN, "main", 2, "delivery");
    hub.inventory().adjust(BLUE, "main", 3, "delivery");
    settle();

    assertThat(puts() - before).isEqualTo(1);
    assertThat(etsy.quantity(tee, "TEE-R")).isEqualTo(6);
    assertThat(etsy.quantity(tee, "TEE-G")).isEqualTo(5);
    assertThat(etsy.quantity(tee, "TEE-B")).isEqualTo(5);
    assertThat(List.of(etsy.priceCents(tee, "TEE-R"), etsy.priceCents(tee, "TEE-G"),
        etsy.priceCents(tee, "TEE-B"))).containsExactly(1500L, 1700L, 1900L);
  }

  @Test
  void everySkuOfAListingAtZero_deactivatesIt_andStockReturningReactivatesIt() {
    connectBoth(StoreOptions.DEFAULT);

    hub.inventory().adjust(RED, "main", -5, "stocktake");
    hub.inventory().adjust(GREEN, "main", -3, "stocktake");
    hub.inventory().adjust(BLUE, "main", -2, "stocktake");
    settle();
    assertThat(etsy.state(tee)).isEqualTo("inactive");
    assertThat(shop.notices).contains(new EtsyNotice.Deactivated(etsyId, tee));
    assertThat(pos.quantity("pos-red")).isZero();

    hub.inventory().adjust(GREEN, "main", 4, "delivery");
    settle();
    assertThat(etsy.state(tee)).isEqualTo("active");
    assertThat(etsy.quantity(tee, "TEE-G")).isEqualTo(4);
    assertThat(etsy.quantity(tee, "TEE-R")).isZero();
    assertThat(etsy.quantity(tee, "TEE-B")).isZero();
    assertThat(etsy.renewals()).isZero();
    assertThat(hub.status(etsyId).lastError()).isNull();
  }

  @Test
  void soldOutOnEtsy_isRenewedWhenStockReturns_withItsFeeEvent() {
    connectBoth(StoreOptions.DEFAULT);
    etsy.sell(mug, "MUG", 4);
    hub.syncNow(etsyId);
    settle();
    assertThat(etsy.state(mug)).isEqualTo("sold_out");

    hub.inventory().adjust(MUG, "main", 3, "delivery");
    settle();

    assertThat(etsy.state(mug)).isEqualTo("active");
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(3);
    assertThat(etsy.renewals()).isEqualTo(1);
    assertThat(shop.notices).contains(
        new EtsyNotice.Renewed(etsyId, mug, List.of("MUG"), EtsyConnector.RENEWAL_FEE));
    assertThat(pos.quantity("pos-mug")).isEqualTo(3);
  }

  @Test
  void soldOutOnEtsy_withAutoRenewOff_isReportedAndLeftSoldOut() {
    connectBoth(StoreOptions.builder().autoRenewSoldOut(false).build());
    etsy.sell(mug, "MUG", 4);
    hub.syncNow(etsyId);
    settle();

    hub.inventory().adjust(MUG, "main", 3, "delivery");
    settle();

    assertThat(etsy.state(mug)).isEqualTo("sold_out");
    assertThat(etsy.renewals()).isZero();
    assertThat(shop.notices).contains(new EtsyNotice.NotRenewed(etsyId, mug, List.of("MUG")));
    assertThat(events).filteredOn(SyncEvent.Failure.class::isInstance)
        .map(e -> ((SyncEvent.Failure) e).message()).anyMatch(m -> m.contains("auto-renew is off"));
    assertThat(pos.quantity("pos-mug")).isEqualTo(3);

    hub.updateOptions(etsyId, StoreOptions.DEFAULT); // the seller accepts the fee
    hub.hardRefreshInventory(etsyId);
    settle();
    assertThat(etsy.state(mug)).isEqualTo("active");
    assertThat(etsy.renewals()).isEqualTo(1);
  }

  @Test
  void signedOrderPaidWebhook_booksTheSaleWithinOneDebounce() {
    connectBoth(StoreOptions.DEFAULT);
    EtsyWebhookHandler handler = shop.connector().webhookHandler(WEBHOOK_SECRET, clock, hub::handle);
    List<EtsyWebhookHandler.Outcome> outcomes = new CopyOnWriteArrayList<>();
    etsy.webhooksTo((headers, body) -> {
      EtsyWebhookHandler.Outcome o = handler.handle(headers::get, body);
      outcomes.add(o);
      return o == EtsyWebhookHandler.Outcome.ACCEPTED ? 200 : 401;
    });

    etsy.sell(mug, "MUG", 2);
    scheduler.advance(Duration.ofSeconds(1)); // one push debounce, far below the 10-minute poll

    assertThat(outcomes).containsExactly(EtsyWebhookHandler.Outcome.ACCEPTED);
    assertThat(hub.inventory().stockLevel(MUG, "main").booked()).isEqualTo(2);
    settle();
    assertThat(pos.quantity("pos-mug")).isEqualTo(2);
  }

  @Test
  void tokenExpiryMidRun_rotatesThePersistedPair_whichSurvivesARestart() {
    connectBoth(StoreOptions.DEFAULT);
    String before = shop.credentials.load(shop.key()).orElseThrow().refreshToken();

    etsy.tokens().expireAccessTokens();
    hub.inventory().adjust(MUG, "main", 1, "delivery");
    settle();

    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(5);
    String rotated = shop.credentials.load(shop.key()).orElseThrow().refreshToken();
    assertThat(rotated).isNotEqualTo(before);
    assertThat(etsy.tokens().isLive(before)).isFalse();

    // Restart: a new hub over the same store, a new connector over the same credentials store.
    hub.close();
    etsy.tokens().expireAccessTokens();
    hub = newHub();
    hub.connect(shop.connector(), StoreOptions.DEFAULT);
    hub.inventory().adjust(MUG, "main", 1, "delivery");
    settle();

    assertThat(hub.status(etsyId).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(6);
    assertThat(etsy.tokens().isLive(rotated)).as("rotated again by the restarted hub").isFalse();
  }

  @Test
  void invalidGrant_needsReauth_andReconnectingResumesTheQueuedPush() {
    connectBoth(StoreOptions.DEFAULT);
    etsy.tokens().revokeAll();
    etsy.tokens().expireAccessTokens();

    hub.inventory().adjust(MUG, "main", -1, "breakage");
    settle();
    assertThat(hub.status(etsyId).status()).isEqualTo(SyncStatus.NEEDS_REAUTH);
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(4);
    assertThat(events).filteredOn(SyncEvent.StatusChanged.class::isInstance)
        .map(e -> ((SyncEvent.StatusChanged) e).reason())
        .allSatisfy(reason -> assertThat(reason).doesNotContain(etsy.apiKey()));

    // The seller authorises the app again; the host stores the new grant and reconnects.
    shop.credentials.save(shop.key(), OAuthTokens.ofRefreshToken(etsy.issueRefreshToken()));
    hub.connect(shop.connector(), StoreOptions.DEFAULT);
    settle();

    assertThat(hub.status(etsyId).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(3);
  }

  @Test
  void theEngineStaysWithinEtsysPerSecondLimit() {
    connectBoth(StoreOptions.DEFAULT);
    long last = 0;
    for (int i = 0; i < 30; i++) {
      last = etsy.addListing("Bulk " + i, "BULK-" + i, 1);
    }
    hub.hardRefreshListings(etsyId);
    settle();
    for (int i = 0; i < 30; i++) {
      hub.inventory().adjust(Sku.of("BULK-" + i), "main", 2, "delivery");
    }
    settle();

    assertThat(etsy.rateLimited()).isZero();
    assertThat(etsy.quantity(last, "BULK-29")).as("the hub's figure").isEqualTo(2);
    for (Exchange e : etsy.exchanges()) {
      assertThat(e.status()).as(e.method() + " " + e.path()).isIn(200);
    }
  }
}
