package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.InsufficientStockException;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockRules;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.core.sync.TurnOnSyncPlan;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge cases found by an adversarial review of the engine; each test failed before its fix.
 */
class EngineEdgeCasesTest extends EngineTestSupport {

  /** A sale of a SKU whose stock was never set makes the hub push 0 over the store's figure. */
  @Test
  void saleOfAwaitingStockSku_doesNotWipeTheStoresFigure() {
    InMemoryChannel a = channel("a");
    a.addListing("pear", "PEAR", 6);
    connectAndSync(a, false);          // PEAR auto-created, stock never set: awaiting stock
    settle();
    assertThat(a.quantity("pear")).isEqualTo(6);

    a.placeOrder("PEAR", 1);           // store shows 5
    hub.syncNow(a.storeId());
    settle();

    System.out.println("PROBE pear " + a.quantity("pear") + " oversell=" + events.stream().filter(e -> e instanceof SyncEvent.Oversell).toList());
    assertThat(a.quantity("pear")).isEqualTo(5);   // observed: 0
  }

  /** turnOffSync keeps syncOnAt, so re-auth after turning sync off silently turns sync back on. */
  @Test
  void reconnectAfterReauth_ofAStoreWhoseSyncWasTurnedOff_staysOff() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    hub.turnOffSync(a.storeId());
    a.placeOrder("APPLE", 3);          // placed while sync is off: must never be imported
    a.setQuantity("l", "default", 2);  // merchant manages the store by hand now

    a.revokeCredentials();
    hub.syncListings(a.storeId());
    settle();
    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.NEEDS_REAUTH);
    a.restoreCredentials();
    hub.connect(a, StoreOptions.DEFAULT);
    settle();

    System.out.println("PROBE reauth status=" + hub.status(a.storeId()).status() + " booked="
        + hub.inventory().stockLevel(APPLE, "main").booked() + " store=" + a.quantity("l"));
    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.CONNECTED); // observed SYNC_ON
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isZero();        // observed 3
    assertThat(a.quantity("l")).isEqualTo(2);                                        // observed 7
  }

  /** Re-running turnOnSync on a SYNC_ON store resets syncOnAt + cursor: a not-yet-polled order is lost. */
  @Test
  void reRunningTurnOnSync_doesNotDropAnOrderNotYetImported() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    scheduler.advance(Duration.ofMinutes(1));

    a.placeOrder("APPLE", 2);          // the next order poll is minutes away
    scheduler.advance(Duration.ofMinutes(1));
    // The merchant revisits the wizard (e.g. to change a mapping) and confirms again.
    hub.turnOnSync(hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build()));
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(2); // observed 0
  }

  /** After turning sync off and on, a cancellation made while off is never read: booking leaks. */
  @Test
  void turnOffOn_cancellationOfAnImportedOrder_releasesItsBooking() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    String order = a.placeOrder("APPLE", 2);
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(2);

    hub.turnOffSync(a.storeId());
    scheduler.advance(Duration.ofMinutes(5));
    a.cancel(order);
    scheduler.advance(Duration.ofMinutes(5));
    hub.turnOnSync(hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build()));
    hub.syncNow(a.storeId());
    scheduler.advance(Duration.ofMinutes(30));

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isZero(); // observed 2
  }

  /** Redefining a bundle between booking and fulfilment: fulfil/release hit the new components. */
  @Test
  void bundleRedefinedAfterBooking_fulfilmentReleasesTheOriginalComponents() {
    hub.inventory().defineProduct(Product.of("A", ""));
    hub.inventory().defineProduct(Product.of("B", ""));
    hub.inventory().defineProduct(Product.of("C", ""));
    for (String s : List.of("A", "B", "C")) {
      hub.inventory().adjust(Sku.of(s), "main", 10, "");
    }
    hub.inventory().defineProduct(Product.bundle("KIT", "", BundleComponent.of("A", 2),
        BundleComponent.of("B", 1)));
    InMemoryChannel a = channel("a");
    a.addListing("kit", "KIT", 5);
    connectAndSync(a, false);
    String order = a.placeOrder("KIT", 1);
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(Sku.of("A"), "main").booked()).isEqualTo(2);

    hub.inventory().defineProduct(Product.bundle("KIT", "", BundleComponent.of("A", 1),
        BundleComponent.of("C", 1)));
    a.fulfil(order);
    hub.syncNow(a.storeId());
    settle();

    for (String s : List.of("A", "B", "C")) System.out.println("PROBE " + s + " " + hub.inventory().stockLevel(Sku.of(s), "main"));
    events.stream().filter(e -> e instanceof SyncEvent.Failure).forEach(e -> System.out.println("PROBE " + e));
    // The kit that shipped was A x2 + B x1: those bookings must be gone, and nothing left over.
    assertThat(hub.inventory().stockLevel(Sku.of("A"), "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(8L, 0L);
    assertThat(hub.inventory().stockLevel(Sku.of("B"), "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(9L, 0L);
    assertThat(events).noneMatch(e -> e instanceof SyncEvent.Failure);
  }

  /** turnOnSync enqueues its in-transaction plan without planRunLock: an older read overwrites a newer one. */
  @Test
  void turnOnSync_doesNotEnqueueAStalePlanOverANewerOne() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 3);
    hub.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();
    TurnOnSyncPlan plan = hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build());
    // Models a scheduler thread running between turnOnSync's commit and its enqueue: a stock
    // change is planned and pushed in that gap.
    hook = e -> {
      if (e instanceof SyncEvent.StatusChanged s && s.to() == SyncStatus.SYNC_ON) {
        hook = x -> {};
        hub.inventory().adjust(APPLE, "main", -4, "damaged");
        scheduler.advance(Duration.ofSeconds(2));
      }
    };
    hub.turnOnSync(plan);
    settle();

    assertThat(hub.inventory().available(APPLE)).isEqualTo(6);
    assertThat(a.quantity("l")).isEqualTo(6); // observed 10
  }

  /** updateOptions reconciles with includeUnchanged=false, so a queued push under the old rules survives. */
  @Test
  void updateOptions_dropsAQueuedPushMadeUnderTheOldRules() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.failNextPushes(1, InMemoryChannel.Fault.RETRYABLE_RESULTS);
    hub.inventory().adjust(APPLE, "main", 5, "");  // desired 15, first push fails, retried later
    scheduler.advance(Duration.ofMillis(1100));
    assertThat(hub.status(a.storeId()).pendingPushes()).isEqualTo(1);

    hub.updateOptions(a.storeId(),
        StoreOptions.builder().rules(StockRules.DEFAULT.withBuffer(5)).build()); // desired 10
    settle();

    assertThat(a.quantity("l")).isEqualTo(10); // observed 15
  }

  /** Ledger records the operation id before validating; a caught refusal burns the id. */
  @Test
  void refusedOperationInsideTransact_doesNotBurnItsOperationId() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    InventoryOperation.Adjust take =
        new InventoryOperation.Adjust(APPLE, "main", -5, "pick", "op-1");
    hub.inventory().transact(tx -> {
      try {
        tx.apply(take);             // refused: nothing in stock
      } catch (InsufficientStockException expected) {
        // documented: "a refused step leaves the transaction intact"
      }
      return null;
    });
    hub.inventory().adjust(APPLE, "main", 10, "delivery");

    var result = hub.inventory().apply(take);   // the same operation, now valid

    assertThat(result.replayed()).isFalse();                      // observed true
    assertThat(hub.inventory().stockLevel(APPLE, "main").inStock()).isEqualTo(5); // observed 10
  }

  /** Single location mapped to two warehouses: the oversell check looks only at the first one. */
  @Test
  void orderWithinCombinedStock_isNotReportedAsOversell() {
    hub.inventory().defineWarehouse(Warehouse.of("backup", "Backup"));
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 1, "");
    hub.inventory().adjust(APPLE, "backup", 9, "");
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    a.addListing("l", "APPLE", 10);
    b.addListing("l", "APPLE", 10);
    for (InMemoryChannel c : List.of(a, b)) {
      hub.connect(c, StoreOptions.DEFAULT);
      scheduler.runDue();
      hub.turnOnSync(hub.prepareTurnOnSync(c.storeId(), TurnOnSyncChoices.builder()
          .location("default", LocationChoice.existing("main", "backup")).build()));
    }
    settle();
    assertThat(a.quantity("l")).isEqualTo(10);

    a.placeOrder("APPLE", 3);   // 10 available over the mapped warehouses
    hub.syncNow(a.storeId());
    settle();

    assertThat(b.quantity("l")).isEqualTo(7);
    assertThat(events).noneMatch(e -> e instanceof SyncEvent.Oversell); // observed: Oversell shortfall 2
  }

  @Test
  void combinedMapping_booksFromTheWarehouseThatHasTheStock() {
    hub.inventory().defineWarehouse(Warehouse.of("backup", "Backup"));
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 1, "");
    hub.inventory().adjust(APPLE, "backup", 9, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    hub.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main", "backup")).build()));
    settle();

    a.placeOrder("APPLE", 3);
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "backup").booked()).isEqualTo(3);
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isZero();
    assertThat(a.quantity("l")).isEqualTo(7);
    assertThat(events(SyncEvent.Oversell.class)).isEmpty();
  }

  @Test
  void perItemRetryAfter_pausesTheWholeStore() {
    InMemoryChannel a = InMemoryChannel.builder(StoreId.of("memory", "a")).clock(clock)
        .maxBatchSize(1).build();
    for (int i = 0; i < 3; i++) {
      hub.inventory().defineProduct(Product.of("S" + i, ""));
      hub.inventory().adjust(Sku.of("S" + i), "main", 5, "");
      a.addListing("l" + i, "S" + i, 5);
    }
    connectAndSync(a, false);
    a.failNextPushes(1, InMemoryChannel.Fault.RETRYABLE_RESULTS);

    for (int i = 0; i < 3; i++) {
      hub.inventory().adjust(Sku.of("S" + i), "main", 1, "");
    }
    scheduler.advance(Duration.ofMillis(1500)); // debounce, then the first call answers 429

    assertThat(a.pushCount()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(a.pushCount()).isEqualTo(4);
    assertThat(a.quantity("l2")).isEqualTo(6);
  }

  @Test
  void fulfilmentCancelledOnTheStore_returnsTheUnitsAndBooksThemAgain() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    Instant created = clock.instant().plusSeconds(1);
    a.importOrder(new io.stocksync.core.channel.ChannelOrder("o", "v1", created,
        clock.instant().plusSeconds(1), false, null,
        List.of(new io.stocksync.core.channel.ChannelOrderLine("l1", "APPLE", 3, 3, 0, 0))));
    hub.syncNow(a.storeId());
    settle();
    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked).containsExactly(7L, 0L);

    clock.advance(Duration.ofMinutes(1));
    a.importOrder(new io.stocksync.core.channel.ChannelOrder("o", "v2", created,
        clock.instant().plusSeconds(1), false, null,
        List.of(new io.stocksync.core.channel.ChannelOrderLine("l1", "APPLE", 3, 1, 0, 0))));
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked, StockLevel::available)
        .containsExactly(9L, 2L, 7L);
  }
}
