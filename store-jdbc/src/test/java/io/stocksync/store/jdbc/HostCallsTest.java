package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.LeaseLostException;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.StoreLease;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: host calls that write a store's sync state, made on an instance that does not own
 * the store, on embedded PostgreSQL with two engines. They write only the store's rows; the
 * owner applies them at its next lease tick. On an instance that believes it owns the store but
 * was fenced out, the call's write is refused and nothing is written.
 */
class HostCallsTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TICK = LEASE.dividedBy(3).plus(Duration.ofSeconds(1));
  private static final Sku SKU = Sku.of("P0");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final StoreId shopId = StoreId.of("memory", "shared");
  private final InMemoryChannel shop =
      InMemoryChannel.builder(shopId).name("shared").clock(clock).build();
  private final VirtualScheduler schedulerA = new VirtualScheduler(clock);
  private final VirtualScheduler schedulerB = new VirtualScheduler(clock);
  private HikariDataSource poolA;
  private HikariDataSource poolB;
  private JdbcInventoryStore storeA;
  private JdbcInventoryStore storeB;

  @BeforeEach
  void databases() {
    String url = Databases.newPostgresDatabase();
    poolA = Databases.pool(url, 4);
    poolB = Databases.pool(url, 4);
    storeA = JdbcInventoryStore.builder().dataSource(poolA).clock(clock).migrate(true).build();
    storeB = JdbcInventoryStore.builder().dataSource(poolB).clock(clock).migrate(true).build();
    shop.addListing("s-0", "P0", 0);
  }

  @AfterEach
  void close() {
    poolA.close();
    poolB.close();
  }

  private StockSync hub(JdbcInventoryStore store, VirtualScheduler scheduler, String instance) {
    return StockSync.builder().store(store).clock(clock).scheduler(scheduler)
        .leases(store, instance, LEASE)
        .changesFromElsewhere(new ChangeFeed(store, clock, Duration.ofSeconds(10)),
            Duration.ofSeconds(1))
        .build();
  }

  /** B owns the store, synced, with 10 in stock; A has the store attached but does not own it. */
  private void ownedByBAttachedToA(StockSync hubA, StockSync hubB) {
    hubB.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    hubB.inventory().defineProduct(Product.of("P0", "Product 0"));
    hubB.inventory().adjust(SKU, "main", 10, "opening stock");
    hubB.connect(shop, StoreOptions.DEFAULT);
    schedulerB.runDue();
    hubB.turnOnSync(hubB.prepareTurnOnSync(shopId, TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    schedulerB.advance(Duration.ofSeconds(5));
    hubA.connect(shop, StoreOptions.DEFAULT);
    schedulerA.runDue();
    assertThat(lease().owner()).isEqualTo("b");
    assertThat(shop.quantity("s-0")).isEqualTo(10);
  }

  private StoreLease lease() {
    return storeA.leases().stream().filter(l -> l.store().equals(shopId)).findFirst()
        .orElseThrow();
  }

  private StoreRecord record() {
    return storeA.read(r -> r.store(shopId)).orElseThrow();
  }

  private void tickBoth() {
    schedulerA.advance(TICK);
    schedulerB.advance(TICK);
  }

  @Test
  void turnOffSyncOnTheNonOwner_isWrittenOnce_andTheOwnerStopsSyncingAtItsNextTick() {
    try (StockSync hubB = hub(storeB, schedulerB, "b");
        StockSync hubA = hub(storeA, schedulerA, "a")) {
      ownedByBAttachedToA(hubA, hubB);

      hubA.turnOffSync(shopId);
      tickBoth();
      hubA.inventory().adjust(SKU, "main", 5, "delivery");
      shop.placeOrder("P0", 2);
      tickBoth();
      tickBoth();

      assertThat(record().status()).as("not put back by the owner's own writes")
          .isEqualTo(SyncStatus.CONNECTED);
      assertThat(record().syncOnAt()).isNull();
      assertThat(lease().owner()).isEqualTo("b");
      assertThat(shop.quantity("s-0")).as("nothing pushed while sync is off").isEqualTo(8);
      assertThat(hubB.inventory().stockLevel(SKU, "main").booked())
          .as("no order imported while sync is off").isZero();
      assertThat(hubB.status(shopId).status()).isEqualTo(SyncStatus.CONNECTED);
    }
  }

  @Test
  void turnOnSyncOnTheNonOwner_isRunByTheOwner_whichPushesAndBooksOrdersOnce() {
    try (StockSync hubB = hub(storeB, schedulerB, "b");
        StockSync hubA = hub(storeA, schedulerA, "a")) {
      ownedByBAttachedToA(hubA, hubB);
      hubA.turnOffSync(shopId);
      tickBoth();

      hubA.turnOnSync(hubA.prepareTurnOnSync(shopId, TurnOnSyncChoices.builder()
          .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
      clock.advance(Duration.ofSeconds(1));
      shop.placeOrder("P0", 3);
      hubA.inventory().adjust(SKU, "main", 1, "found one");
      tickBoth();
      for (int i = 0; i < 4; i++) {
        schedulerA.advance(Duration.ofMinutes(3));
        schedulerB.advance(Duration.ofMinutes(3));
      }

      assertThat(record().status()).isEqualTo(SyncStatus.SYNC_ON);
      assertThat(lease().owner()).isEqualTo("b");
      assertThat(hubB.inventory().stockLevel(SKU, "main").booked())
          .as("the order booked once, by the owner").isEqualTo(3);
      assertThat(shop.quantity("s-0")).isEqualTo(11 - 3);
      assertThat(hubA.status(shopId).ordersApplied()).as("not by the non-owner").isZero();
    }
  }

  @Test
  void updateOptionsOnTheNonOwner_reachesTheOwnersPlans() {
    try (StockSync hubB = hub(storeB, schedulerB, "b");
        StockSync hubA = hub(storeA, schedulerA, "a")) {
      ownedByBAttachedToA(hubA, hubB);
      StoreOptions buffered = StoreOptions.builder()
          .rules(io.stocksync.core.sync.StockRules.DEFAULT.withBuffer(2)).build();

      hubA.updateOptions(shopId, buffered);
      tickBoth();
      schedulerB.advance(Duration.ofSeconds(5));

      assertThat(record().options()).isEqualTo(buffered);
      assertThat(shop.quantity("s-0")).as("10 less the buffer, pushed by the owner").isEqualTo(8);
    }
  }

  @Test
  void hostCallOnAFencedOutOwner_isRefusedInItsTransaction_andWritesNothing() {
    try (StockSync hubB = hub(storeB, schedulerB, "b");
        StockSync hubA = hub(storeA, schedulerA, "a")) {
      ownedByBAttachedToA(hubA, hubB);
      long before = lease().token();
      // B stalls (its scheduler no longer runs) past its lease; A takes the store over.
      clock.advance(LEASE.plus(Duration.ofSeconds(1)));
      schedulerA.runDue();
      assertThat(lease().owner()).isEqualTo("a");
      assertThat(lease().token()).isEqualTo(before + 1);

      // B wakes up still believing it owns the store and a host call reaches it first.
      Throwable thrown = catchThrowable(() -> hubB.turnOffSync(shopId));

      assertThat(thrown).isInstanceOf(LeaseLostException.class);
      assertThat(record().status()).as("nothing written").isEqualTo(SyncStatus.SYNC_ON);
      assertThat(record().syncOnAt()).isNotNull();
      hubA.inventory().adjust(SKU, "main", -4, "breakage");
      schedulerA.advance(Duration.ofSeconds(5));
      assertThat(shop.quantity("s-0")).as("the new owner keeps syncing").isEqualTo(6);
      int calls = shop.callCount();
      hubB.syncNow(shopId);
      schedulerB.advance(Duration.ofSeconds(5));
      assertThat(shop.callCount()).as("the fenced-out instance's work stopped").isEqualTo(calls);
    }
  }

  @Test
  void disconnectOnTheNonOwner_makesTheOwnerLetTheStoreGo() {
    try (StockSync hubB = hub(storeB, schedulerB, "b");
        StockSync hubA = hub(storeA, schedulerA, "a")) {
      ownedByBAttachedToA(hubA, hubB);

      hubA.disconnect(shopId);
      tickBoth();
      int calls = shop.callCount();
      hubB.inventory().adjust(SKU, "main", 3, "delivery");
      tickBoth();
      tickBoth();

      assertThat(record().status()).isEqualTo(SyncStatus.DISCONNECTED);
      assertThat(shop.callCount()).as("no instance works on the store").isEqualTo(calls);
      assertThat(hubB.status(shopId).attached()).as("the owner let the store go").isFalse();
    }
  }
}
