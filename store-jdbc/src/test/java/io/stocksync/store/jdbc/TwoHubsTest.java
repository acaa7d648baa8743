package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two hubs (two {@code StockSync}, each with its own pool and store object) on one PostgreSQL,
 * each running one store, with hub operations and orders on both at the same time on the same
 * SKUs. Conflicting writes are re-run by the store; nothing is lost or booked twice.
 */
class TwoHubsTest {
  private static final int SKUS = 5;
  private static final long START = 1000;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  private HikariDataSource poolA;
  private HikariDataSource poolB;

  @BeforeEach
  void pools() {
    String url = Databases.newPostgresDatabase();
    poolA = Databases.pool(url, 4);
    poolB = Databases.pool(url, 4);
  }

  @AfterEach
  void close() {
    poolA.close();
    poolB.close();
  }

  private static Sku sku(int i) {
    return Sku.of("P" + i);
  }

  private InMemoryChannel shop(String name) {
    InMemoryChannel shop =
        InMemoryChannel.builder(StoreId.of("memory", name)).name(name).clock(clock).build();
    for (int i = 0; i < SKUS; i++) {
      shop.addListing(name + "-" + i, "P" + i, START);
    }
    return shop;
  }

  private static void turnOn(StockSync hub, VirtualScheduler scheduler, InMemoryChannel shop) {
    hub.connect(shop, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(shop.storeId(), TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    scheduler.advance(Duration.ofSeconds(5));
  }

  @Test
  void concurrentOperationsAndOrdersOnTwoHubs_loseNothingAndBookEveryOrderOnce() throws Exception {
    JdbcInventoryStore storeA = JdbcInventoryStore.builder().dataSource(poolA).migrate(true).build();
    JdbcInventoryStore storeB = JdbcInventoryStore.builder().dataSource(poolB).migrate(true).build();
    VirtualScheduler schedulerA = new VirtualScheduler(clock);
    VirtualScheduler schedulerB = new VirtualScheduler(clock);
    InMemoryChannel shopA = shop("a");
    InMemoryChannel shopB = shop("b");
    AtomicLongArray adjusted = new AtomicLongArray(SKUS);
    AtomicLongArray ordered = new AtomicLongArray(SKUS);
    try (StockSync hubA = StockSync.builder().store(storeA).clock(clock).scheduler(schedulerA)
            .build();
        StockSync hubB = StockSync.builder().store(storeB).clock(clock).scheduler(schedulerB)
            .build()) {
      hubA.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      for (int i = 0; i < SKUS; i++) {
        hubA.inventory().defineProduct(Product.of("P" + i, "Product " + i));
        hubA.inventory().adjust(sku(i), "main", START, "opening stock");
      }
      turnOn(hubA, schedulerA, shopA);
      turnOn(hubB, schedulerB, shopB);
      clock.advance(Duration.ofSeconds(1));

      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Void>> workers = new ArrayList<>();
      for (StockSync hub : List.of(hubA, hubB)) {
        workers.add(CompletableFuture.runAsync(() -> {
          await(start);
          Random random = new Random(hub == hubA ? 1 : 2);
          for (int n = 0; n < 60; n++) {
            int i = random.nextInt(SKUS);
            long delta = random.nextInt(5) - 1;
            if (delta != 0) {
              hub.inventory().adjust(sku(i), "main", delta, "counted");
              adjusted.addAndGet(i, delta);
            }
          }
        }));
      }
      for (Object[] pair : List.of(new Object[] {hubA, schedulerA, shopA},
          new Object[] {hubB, schedulerB, shopB})) {
        StockSync hub = (StockSync) pair[0];
        VirtualScheduler scheduler = (VirtualScheduler) pair[1];
        InMemoryChannel shop = (InMemoryChannel) pair[2];
        workers.add(CompletableFuture.runAsync(() -> {
          await(start);
          Random random = new Random(shop == shopA ? 3 : 4);
          for (int n = 0; n < 30; n++) {
            int i = random.nextInt(SKUS);
            long q = 1 + random.nextInt(3);
            shop.placeOrder("P" + i, q);
            ordered.addAndGet(i, q);
            if (n % 5 == 4) {
              hub.syncNow(shop.storeId());
              scheduler.runDue();
            }
          }
        }));
      }
      start.countDown();
      CompletableFuture.allOf(workers.toArray(new CompletableFuture<?>[0]))
          .get(120, TimeUnit.SECONDS);

      for (int round = 0; round < 2; round++) {
        hubA.syncNow(shopA.storeId());
        hubB.syncNow(shopB.storeId());
        schedulerA.advance(Duration.ofSeconds(5));
        schedulerB.advance(Duration.ofSeconds(5));
      }
      // These hubs run without the change feed (see SharedStoresTest), so a change made through one hub
      // reaches the other hub's store on a full refresh.
      hubA.hardRefreshInventory(shopA.storeId());
      hubB.hardRefreshInventory(shopB.storeId());
      schedulerA.advance(Duration.ofSeconds(5));
      schedulerB.advance(Duration.ofSeconds(5));

      for (int i = 0; i < SKUS; i++) {
        StockLevel level = hubB.inventory().stockLevel(sku(i), "main");
        assertThat(level.inStock()).as("in stock of P%d", i).isEqualTo(START + adjusted.get(i));
        assertThat(level.booked()).as("booked of P%d", i).isEqualTo(ordered.get(i));
        long available = level.inStock() - level.booked();
        assertThat(shopA.quantity("a-" + i)).as("shop a, P%d", i).isEqualTo(available);
        assertThat(shopB.quantity("b-" + i)).as("shop b, P%d", i).isEqualTo(available);
      }
      CrashTest.assertLedgerSumsEqualLevels(poolA);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
