package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.ActionTooSoonException;
import io.stocksync.core.BundleComponent;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.StockRules;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.core.sync.TurnOnSyncPlan;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's behaviour end to end over {@link InMemoryChannel}s, on virtual time. */
class StockSyncTest extends EngineTestSupport {
  @Test
  void hubAdjustment_reachesTheListingOnEveryStore() {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 10, "initial");
    List<InMemoryChannel> stores = List.of(channel("a"), channel("b"), channel("c"));
    for (InMemoryChannel c : stores) {
      c.addListing(c.storeId().externalId() + "-1", "APPLE", 10);
      connectAndSync(c, false);
    }

    hub.inventory().adjust(APPLE, "main", 5, "found five");
    settle();

    for (InMemoryChannel c : stores) {
      assertThat(c.quantity(c.storeId().externalId() + "-1")).as(c.toString()).isEqualTo(15);
    }
  }

  @Test
  void twoListingsWithOneSku_onOneStore_receiveTheSameQuantity() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 21, "");
    InMemoryChannel a = channel("a");
    a.addListing("red", "APPLE", 3);
    a.addListing("green", "APPLE", 8);

    connectAndSync(a, false);
    settle();

    assertThat(a.quantity("red")).isEqualTo(21);
    assertThat(a.quantity("green")).isEqualTo(21);
    assertThat(events(SyncEvent.DuplicateSkus.class)).extracting(SyncEvent.DuplicateSkus::sku)
        .containsExactly(APPLE);
  }

  @Test
  void orderOnOneStore_lowersEveryOtherStore_beforeFulfilment_andFulfilmentPushesNothing() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 50, "");
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    InMemoryChannel c = channel("c");
    for (InMemoryChannel ch : List.of(a, b, c)) {
      ch.addListing("l", "APPLE", 50);
      connectAndSync(ch, false);
    }

    String order = a.placeOrder("APPLE", 4);
    hub.syncNow(a.storeId());
    settle();

    assertThat(b.quantity("l")).isEqualTo(46);
    assertThat(c.quantity("l")).isEqualTo(46);
    assertThat(a.quantity("l")).isEqualTo(46);
    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(50L, 4L);

    int pushesBefore = b.pushCount() + c.pushCount();
    a.fulfil(order);
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked, StockLevel::available)
        .containsExactly(46L, 0L, 46L);
    assertThat(b.pushCount() + c.pushCount()).isEqualTo(pushesBefore);
  }

  @Test
  void cancellation_andRefundWithRestock_returnStock() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 20, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 20);
    connectAndSync(a, false);

    String cancelled = a.placeOrder("APPLE", 3);
    String refunded = a.placeOrder("APPLE", 2);
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().available(APPLE)).isEqualTo(15);

    a.cancel(cancelled);
    a.fulfil(refunded);
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(18L, 0L);

    ChannelOrder o = a.order(refunded);
    a.refund(refunded, o.lines().get(0).lineId(), 2, true);
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(20L, 0L);
    assertThat(a.quantity("l")).isEqualTo(20);
  }

  @Test
  void orderPlacedBeforeSyncOn_isNeverImported() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    a.placeOrder(List.of(new InMemoryChannel.LineSpec("APPLE", 2)), null,
        clock.instant().minus(Duration.ofHours(1)));
    connectAndSync(a, false);

    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isZero();
    assertThat(hub.status(a.storeId()).ordersApplied()).isZero();
  }

  @Test
  void readingTheSameOrdersAgain_andRestarting_booksNothingTwice() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.placeOrder("APPLE", 3);

    hub.syncNow(a.storeId());
    settle();
    hub.syncNow(a.storeId()); // reads the same page again (look-back window)
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(3);

    hub.close();
    hub = newHub(a);
    hub.syncNow(a.storeId());
    settle();
    scheduler.advance(Duration.ofMinutes(11)); // a periodic order sync too

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(3);
    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.SYNC_ON);
  }

  @Test
  void retryableFailure_isRetriedWithBackoff_andLands() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.failNextPushes(2, InMemoryChannel.Fault.RETRYABLE_RESULTS);

    hub.inventory().adjust(APPLE, "main", 2, "");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(a.quantity("l")).isEqualTo(10);
    assertThat(hub.status(a.storeId()).pendingPushes()).isEqualTo(1);

    scheduler.advance(Duration.ofSeconds(10));

    assertThat(a.quantity("l")).isEqualTo(12);
    assertThat(hub.status(a.storeId()).retries()).isEqualTo(2);
    assertThat(hub.status(a.storeId()).pendingPushes()).isZero();
    List<List<PushItem>> calls = a.pushCalls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0).get(0).idempotencyKey())
        .isEqualTo(calls.get(2).get(0).idempotencyKey());
  }

  @Test
  void retryableException_keepsThePushQueued_untilItLands() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.failNextPushes(1, InMemoryChannel.Fault.RETRYABLE_EXCEPTION);

    hub.inventory().adjust(APPLE, "main", -4, "");
    settle();

    assertThat(a.quantity("l")).isEqualTo(6);
    assertThat(events(SyncEvent.Failure.class)).isNotEmpty();
  }

  @Test
  void storeMasterLocation_isMirroredIntoTheHub_andNeverPushed() {
    hub.inventory().defineWarehouse(Warehouse.of("outlet", "Outlet"));
    InMemoryChannel a = InMemoryChannel.builder(StoreId.of("memory", "a")).clock(clock)
        .location("hq", "HQ").location("outlet", "Outlet").build();
    a.addListing("l", "APPLE", ListingStatus.ACTIVE, Map.of("hq", 5L, "outlet", 7L));
    hub.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("hq", LocationChoice.existing("main"))
        .location("outlet", LocationChoice.existing("outlet").master(InventoryMaster.STORE))
        .build()));
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "outlet").available()).isEqualTo(7);

    a.setQuantity("l", "outlet", 4);
    scheduler.advance(Duration.ofMinutes(16));
    hub.inventory().adjust(APPLE, "main", 9, "");
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "outlet").available()).isEqualTo(4);
    assertThat(a.quantity("l", "outlet")).isEqualTo(4);
    assertThat(a.quantity("l", "hq")).isEqualTo(9);
    assertThat(a.pushedItems()).allSatisfy(i -> assertThat(i.ref().locationId()).isEqualTo("hq"));
  }

  @Test
  void copyInventory_withDisagreeingDuplicates_takesTheFirstAndReportsTheConflict() {
    InMemoryChannel a = channel("a");
    a.addListing("l1", "APPLE", 12);
    a.addListing("l2", "APPLE", 9);
    hub.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();

    TurnOnSyncPlan preview = hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .copyInventory(true).location("default", LocationChoice.existing("main")).build());
    assertThat(preview.conflicts()).hasSize(1);
    assertThat(preview.copies()).extracting(TurnOnSyncPlan.Copy::quantity).containsExactly(12L);
    assertThat(preview.pushes()).extracting(p -> p.listingId() + "=" + p.quantity())
        .containsExactly("l2=12");
    assertThat(hub.inventory().stockLevel(APPLE, "main").inStock()).as("preview changes nothing")
        .isZero();

    hub.turnOnSync(preview);
    settle();

    assertThat(hub.inventory().available(APPLE)).isEqualTo(12);
    assertThat(a.quantity("l1")).isEqualTo(12);
    assertThat(a.quantity("l2")).isEqualTo(12);
    assertThat(events(SyncEvent.CopyConflict.class)).singleElement()
        .satisfies(c -> assertThat(c.quantities()).containsEntry("l1", 12L).containsEntry("l2", 9L));
  }

  @Test
  void newSkuAfterSyncOn_isNotPushedUntilStockIsSet() {
    InMemoryChannel a = channel("a");
    a.addListing("old", "APPLE", 3);
    connectAndSync(a, true);
    a.addListing("new", "PEAR", 6);

    hub.syncListings(a.storeId());
    settle();

    assertThat(a.quantity("new")).isEqualTo(6);
    assertThat(events(SyncEvent.AwaitingStock.class)).extracting(SyncEvent.AwaitingStock::sku)
        .contains(Sku.of("PEAR"));

    hub.inventory().stocktake(Sku.of("PEAR"), "main", 2, "counted");
    settle();
    assertThat(a.quantity("new")).isEqualTo(2);
  }

  @Test
  void oversell_isReported_andOtherStoresArePushedFirst() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 2, "");
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    a.addListing("l", "APPLE", 2);
    b.addListing("l", "APPLE", 2);
    connectAndSync(a, false);
    connectAndSync(b, false);

    a.placeOrder("APPLE", 2);
    b.placeOrder("APPLE", 1);
    hub.syncNow(a.storeId());
    hub.syncNow(b.storeId());
    scheduler.runDue();

    assertThat(events(SyncEvent.Oversell.class)).singleElement()
        .satisfies(o -> {
          assertThat(o.store()).isEqualTo(b.storeId());
          assertThat(o.shortfall()).isEqualTo(1);
        });
    assertThat(hub.inventory().available(APPLE)).isEqualTo(-1);
    settle();
    assertThat(a.quantity("l")).isZero();
    assertThat(b.quantity("l")).isZero();
  }

  @Test
  void saleOnTheStoreBetweenReadAndPush_isNotOverwritten() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);

    a.placeOrder("APPLE", 1); // the store now shows 9; the hub has not seen the order
    hub.inventory().adjust(APPLE, "main", 5, "delivery");
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(1);
    assertThat(a.quantity("l")).isEqualTo(14);
    assertThat(hub.status(a.storeId()).staleResults()).isEqualTo(1);
  }

  @Test
  void revokedCredentials_moveTheStoreToNeedsReauth_andReconnectResumesQueuedPushes() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.revokeCredentials();

    hub.inventory().adjust(APPLE, "main", 1, "");
    settle();
    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.NEEDS_REAUTH);
    assertThat(hub.status(a.storeId()).pendingPushes()).isEqualTo(1);

    a.restoreCredentials();
    hub.connect(a, StoreOptions.DEFAULT);
    settle();

    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(a.quantity("l")).isEqualTo(11);
  }

  @Test
  void hardRefreshOfListings_isAllowedOncePerFourHours() {
    InMemoryChannel a = channel("a");
    hub.connect(a, StoreOptions.DEFAULT);
    hub.hardRefreshListings(a.storeId());

    assertThatThrownBy(() -> hub.hardRefreshListings(a.storeId()))
        .isInstanceOf(ActionTooSoonException.class)
        .satisfies(e -> assertThat(((ActionTooSoonException) e).nextAllowedAt())
            .isEqualTo(clock.instant().plus(Duration.ofHours(4))));
    scheduler.advance(Duration.ofHours(4));
    hub.hardRefreshListings(a.storeId());
  }

  @Test
  void hardRefreshInventory_pushesEveryLinkedListing_evenUnchanged() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.clearPushCalls();

    hub.hardRefreshInventory(a.storeId());
    settle();

    assertThat(a.pushedItems()).extracting(PushItem::quantity).containsExactly(10L);
  }

  @Test
  void pushes_areBatchedAtTheChannelsMaximum_andDecreasesGoFirst() {
    InMemoryChannel a = InMemoryChannel.builder(StoreId.of("memory", "a")).clock(clock)
        .maxBatchSize(3).build();
    for (int i = 0; i < 7; i++) {
      hub.inventory().defineProduct(Product.of("S" + i, ""));
      hub.inventory().adjust(Sku.of("S" + i), "main", 5, "");
      a.addListing("l" + i, "S" + i, 5);
    }
    connectAndSync(a, false);
    for (int i = 0; i < 7; i++) {
      hub.inventory().adjust(Sku.of("S" + i), "main", i % 2 == 0 ? 1 : -1, "");
    }
    settle();

    assertThat(a.pushCalls()).hasSize(3).allSatisfy(c -> assertThat(c.size()).isLessThanOrEqualTo(3));
    List<Long> quantities = a.pushedItems().stream().map(PushItem::quantity).toList();
    assertThat(quantities.subList(0, 3)).containsOnly(4L);
    assertThat(quantities.subList(3, 7)).containsOnly(6L);
  }

  @Test
  void bundleListing_followsItsComponents_andStoreRulesShapeTheQuantity() {
    hub.inventory().defineProduct(Product.of("A", ""));
    hub.inventory().defineProduct(Product.of("B", ""));
    hub.inventory().adjust(Sku.of("A"), "main", 7, "");
    hub.inventory().adjust(Sku.of("B"), "main", 5, "");
    hub.inventory().defineProduct(Product.bundle("KIT", "", BundleComponent.of("A", 2),
        BundleComponent.of("B", 1)));
    InMemoryChannel a = channel("a");
    a.addListing("kit", "KIT", 0);
    a.addListing("b", "B", 0);
    hub.connect(a, StoreOptions.builder().rules(StockRules.DEFAULT.withBuffer(1)).build());
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build()));
    settle();
    assertThat(a.quantity("kit")).isEqualTo(2);
    assertThat(a.quantity("b")).isEqualTo(4);

    a.placeOrder("KIT", 1);
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(Sku.of("A"), "main").booked()).isEqualTo(2);
    assertThat(a.quantity("kit")).isEqualTo(1);
    assertThat(a.quantity("b")).isEqualTo(3);
  }

  @Test
  void unknownSkuInAnOrder_isKeptAndReported_andBookedOnceTheSkuExists() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    String order = a.placeOrder(List.of(new InMemoryChannel.LineSpec("APPLE", 1),
        new InMemoryChannel.LineSpec("MYSTERY", 2)), null);

    hub.syncNow(a.storeId());
    settle();
    assertThat(events(SyncEvent.UnknownSku.class)).extracting(SyncEvent.UnknownSku::sku)
        .containsExactly("MYSTERY");
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(1);

    hub.inventory().defineProduct(Product.of("MYSTERY", ""));
    hub.inventory().adjust(Sku.of("MYSTERY"), "main", 5, "");
    a.fulfil(order, a.order(order).lines().get(0).lineId(), 1); // any change: a new version
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(Sku.of("MYSTERY"), "main").booked()).isEqualTo(2);
  }

  @Test
  void readOnlyLocation_isCopiedAtTurnOnAndEvery24Hours_andNeverPushed() {
    InMemoryChannel amazon = InMemoryChannel.builder(StoreId.of("memory", "amz")).clock(clock)
        .location("fbm", "Merchant").readOnlyLocation("fba", "Fulfilled by channel").build();
    amazon.addListing("asin-1", "APPLE", ListingStatus.ACTIVE, Map.of("fbm", 3L, "fba", 40L));
    hub.connect(amazon, StoreOptions.DEFAULT);
    scheduler.runDue();
    TurnOnSyncPlan plan = hub.prepareTurnOnSync(amazon.storeId(), TurnOnSyncChoices.builder()
        .location("fbm", LocationChoice.existing("main")).build());
    assertThat(plan.mappings()).anySatisfy(m -> {
      assertThat(m.locationId()).isEqualTo("fba");
      assertThat(m.master()).isEqualTo(InventoryMaster.STORE);
    });
    hub.turnOnSync(plan);
    settle();
    String fbaWarehouse = plan.newWarehouses().get(0).id();
    assertThat(hub.inventory().stockLevel(APPLE, fbaWarehouse).available()).isEqualTo(40);

    amazon.setQuantity("asin-1", "fba", 31);
    scheduler.advance(Duration.ofHours(23));
    assertThat(hub.inventory().stockLevel(APPLE, fbaWarehouse).available()).isEqualTo(40);
    scheduler.advance(Duration.ofHours(2));
    assertThat(hub.inventory().stockLevel(APPLE, fbaWarehouse).available()).isEqualTo(31);

    hub.inventory().adjust(APPLE, fbaWarehouse, 5, "");
    hub.hardRefreshInventory(amazon.storeId());
    settle();
    assertThat(amazon.pushedItems()).allSatisfy(i -> assertThat(i.ref().locationId()).isEqualTo("fbm"));
  }

  @Test
  void pushes_respectTheChannelsRequestRate() {
    InMemoryChannel slow = InMemoryChannel.builder(StoreId.of("memory", "slow")).clock(clock)
        .maxBatchSize(1).maxRequestsPerSecond(2).build();
    for (int i = 0; i < 4; i++) {
      hub.inventory().defineProduct(Product.of("S" + i, ""));
      hub.inventory().adjust(Sku.of("S" + i), "main", 5, "");
      slow.addListing("l" + i, "S" + i, 1);
    }
    hub.connect(slow, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(slow.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build()));

    scheduler.advance(Duration.ofMillis(1200));
    assertThat(slow.pushCount()).isEqualTo(3);
    scheduler.advance(Duration.ofMillis(500));
    assertThat(slow.pushCount()).isEqualTo(4);
  }

  @Test
  void listenerThatThrows_doesNotStopTheEngine() {
    StockSync noisy = StockSync.builder().store(new InMemoryInventoryStore()).clock(clock)
        .scheduler(scheduler).listener(new SyncListener() {
          @Override
          public void onEvent(SyncEvent event) {
            throw new IllegalStateException("listener bug");
          }
        }).build();
    noisy.inventory().defineWarehouse(Warehouse.of("main", ""));
    noisy.inventory().defineProduct(Product.of("APPLE", ""));
    noisy.inventory().adjust(APPLE, "main", 4, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 0);
    noisy.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();
    noisy.turnOnSync(noisy.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build()));
    settle();

    assertThat(a.quantity("l")).isEqualTo(4);
    noisy.close();
  }

  @Test
  void turnOnSync_rejectsAPlanMadeBeforeTheListingsChanged_andUnknownChoices() {
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 1);
    hub.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();
    TurnOnSyncPlan plan = hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.PROPOSED);
    a.addListing("l2", "PEAR", 1);
    hub.syncListings(a.storeId());
    scheduler.runDue();

    assertThatThrownBy(() -> hub.turnOnSync(plan))
        .isInstanceOf(io.stocksync.core.InvalidInputException.class).hasMessageContaining("prepare it again");
    assertThatThrownBy(() -> hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("nowhere", LocationChoice.unlinked()).build()))
        .isInstanceOf(io.stocksync.core.InvalidInputException.class).hasMessageContaining("nowhere");
    assertThatThrownBy(() -> hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("ghost")).build()))
        .isInstanceOf(io.stocksync.core.UnknownWarehouseException.class);
    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.CONNECTED);
    assertThat(hub.inventory().warehouses()).extracting(Warehouse::id).containsExactly("main");
  }

  @Test
  void connectByChannelName_usesADiscoveredFactory() {
    InMemoryChannel a = channel("factory-made");
    io.stocksync.testkit.InMemoryChannelFactory.register(a);
    try (StockSync discovering = StockSync.builder().store(new InMemoryInventoryStore())
        .clock(clock).scheduler(scheduler).discoverConnectorFactories().build()) {
      var status = discovering.connect("memory", io.stocksync.core.channel.ConnectorConfig.builder()
          .set("storeId", "factory-made").build(), StoreOptions.DEFAULT);

      assertThat(status.store()).isEqualTo(a.storeId());
      assertThatThrownBy(() -> discovering.connect("nope",
          io.stocksync.core.channel.ConnectorConfig.builder().build(), StoreOptions.DEFAULT))
          .isInstanceOf(io.stocksync.core.InvalidInputException.class).hasMessageContaining("memory");
    } finally {
      io.stocksync.testkit.InMemoryChannelFactory.unregister(a);
    }
  }

  @Test
  void periodicCycle_pushesWhateverDiffersFromTheLastConfirmedQuantity() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    // As if a push had been lost: the store holds 4, the hub last confirmed 4, nothing queued.
    a.setQuantity("l", "default", 4);
    store.write(tx -> {
      tx.putKnownQuantity(a.storeId(), "l", "default", 4);
      return null;
    });

    scheduler.advance(Duration.ofMinutes(11));

    assertThat(a.quantity("l")).isEqualTo(10);
  }

  @Test
  void orderStampedInTheSecondSyncWasTurnedOn_isImported() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    clock.advance(Duration.ofMillis(700)); // turn on at hh:mm:ss.700
    connectAndSync(a, false);

    // A channel that stamps whole seconds reports a sale made at .900 as hh:mm:ss.000.
    a.placeOrder(List.of(new InMemoryChannel.LineSpec("APPLE", 2)), null,
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(2);
  }

  @Test
  void turnOnPreview_beforeTheFirstListingSync_isRefused() {
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    hub.connect(a, StoreOptions.DEFAULT); // listing sync is scheduled, not yet run

    assertThatThrownBy(() -> hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.PROPOSED))
        .isInstanceOf(io.stocksync.core.InvalidInputException.class)
        .hasMessageContaining("still importing");
    scheduler.runDue();
    assertThat(hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.PROPOSED).listings()).isEqualTo(1);
  }

  @Test
  void untrackedListing_isReported_andNeverPushed() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 3);
    a.setTracked("l", false);

    connectAndSync(a, false);
    hub.hardRefreshInventory(a.storeId());
    settle();

    assertThat(events(SyncEvent.Untracked.class)).extracting(SyncEvent.Untracked::listingId)
        .containsExactly("l");
    assertThat(a.pushCount()).isZero();
  }

  @Test
  void partialFulfilment_edits_andCancellationAfterShipping_applyAsDifferences() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().defineProduct(Product.of("PEAR", ""));
    hub.inventory().adjust(APPLE, "main", 20, "");
    hub.inventory().adjust(Sku.of("PEAR"), "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("apple", "APPLE", 20);
    a.addListing("pear", "PEAR", 10);
    connectAndSync(a, false);
    Instant created = clock.instant().plusSeconds(1);
    java.util.function.BiConsumer<String, List<io.stocksync.core.channel.ChannelOrderLine>> version =
        (v, lines) -> a.importOrder(new ChannelOrder("o-1", v, created,
            clock.instant().plusSeconds(1), false, null, lines));

    version.accept("v1", List.of(
        new io.stocksync.core.channel.ChannelOrderLine("l-apple", "APPLE", 5, 2, 0, 0),
        new io.stocksync.core.channel.ChannelOrderLine("l-pear", "PEAR", 2, 0, 0, 0)));
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(18L, 3L);
    assertThat(hub.inventory().stockLevel(Sku.of("PEAR"), "main").booked()).isEqualTo(2);

    // Edited: the pear line removed, one apple taken off the order.
    clock.advance(Duration.ofMinutes(1));
    version.accept("v2", List.of(
        new io.stocksync.core.channel.ChannelOrderLine("l-apple", "APPLE", 5, 2, 1, 0)));
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(18L, 2L);
    assertThat(hub.inventory().stockLevel(Sku.of("PEAR"), "main").booked()).isZero();

    // Cancelled after shipping two: the rest is released, shipped units stay shipped.
    clock.advance(Duration.ofMinutes(1));
    a.importOrder(new ChannelOrder("o-1", "v3", created, clock.instant().plusSeconds(1), true, null,
        List.of(new io.stocksync.core.channel.ChannelOrderLine("l-apple", "APPLE", 5, 2, 1, 0))));
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(18L, 0L);
    assertThat(a.quantity("apple")).isEqualTo(18);
    assertThat(a.quantity("pear")).isEqualTo(10);
  }
}
