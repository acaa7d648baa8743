package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.Movement;
import io.stocksync.core.MovementType;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreTransaction;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crashes on a real PostgreSQL: the server terminates the backend of a transaction in flight
 * ({@code pg_terminate_backend}, what a failover or an admin's kill does), and a new hub over the
 * same database picks up where the old one stopped.
 */
class CrashTest {
  private static final Sku APPLE = Sku.of("APPLE");
  private static final Instant AT = Instant.parse("2026-11-23T09:00:00Z");

  private String url;
  private HikariDataSource pool;
  private JdbcInventoryStore store;

  @BeforeEach
  void database() {
    url = Databases.newPostgresDatabase();
    pool = Databases.pool(url, 4);
    store = JdbcInventoryStore.builder().dataSource(pool).migrate(true).build();
  }

  @AfterEach
  void close() {
    pool.close();
  }

  /** Terminates every other backend of the test database that sits in an open transaction. */
  private int terminateOpenTransactions() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM"
            + " pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            + " AND state LIKE 'idle in transaction%'")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Movement adjustment(long delta) {
    return new Movement(0, "op-1", AT, MovementType.ADJUSTMENT, APPLE, "main", delta, 0, "", "");
  }

  @Test
  void write_whenItsBackendIsTerminatedMidTransaction_leavesNothingHalfApplied() throws Exception {
    store.write(tx -> {
      tx.putProduct(Product.of("APPLE", "Apple"));
      tx.putStockLevel(new StockLevel(APPLE, "main", 10, 0, true));
      return tx.appendMovement(adjustment(10));
    });
    CountDownLatch firstHalfWritten = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);

    CompletableFuture<Object> write = CompletableFuture.supplyAsync(() -> store.write(tx -> {
      tx.putStockLevel(new StockLevel(APPLE, "main", 15, 0, true));
      tx.appendMovement(adjustment(5));
      firstHalfWritten.countDown();
      await(resume);
      tx.putOperation("op-1", "adjust APPLE main +5");
      return tx.appendMovement(adjustment(5));
    }));
    await(firstHalfWritten);
    assertThat(terminateOpenTransactions()).isEqualTo(1);
    resume.countDown();

    assertThatThrownBy(() -> write.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(JdbcStoreException.class,
            e -> assertThat(e.isTransientConflict()).isFalse());
    assertThat(store.read((StoreReader r) -> r.stockLevel(APPLE, "main")))
        .contains(new StockLevel(APPLE, "main", 10, 0, true));
    assertThat(store.read((StoreReader r) -> r.movements(APPLE, Long.MAX_VALUE, 10))).hasSize(1);
    assertThat(store.read((StoreReader r) -> r.operation("op-1"))).isEmpty();
    // The pool drops the dead connection; the store goes on working.
    store.write(tx -> {
      tx.putOperation("op-2", "after the crash");
      return null;
    });
    assertThat(store.read((StoreReader r) -> r.operation("op-2"))).contains("after the crash");
  }

  @Test
  void hub_killedWhileApplyingAnOrder_isResumedByANewHubThatBooksItOnceAndPushesTheRest() {
    ManualClock clock = new ManualClock(AT);
    InMemoryChannel shop =
        InMemoryChannel.builder(StoreId.of("memory", "a")).name("a").clock(clock).build();
    shop.addListing("l", "APPLE", 10);
    // The first hub's store kills its own transaction whenever it writes an order.
    int[] kills = {0};
    boolean[] armed = {false};
    InventoryStore killing = killingOn("putOrder", armed, kills);
    VirtualScheduler firstScheduler = new VirtualScheduler(clock);
    StockSync first =
        StockSync.builder().store(killing).clock(clock).scheduler(firstScheduler).build();
    first.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    first.inventory().defineProduct(Product.of("APPLE", "Apple"));
    first.inventory().adjust(APPLE, "main", 10, "delivery");
    first.connect(shop, StoreOptions.DEFAULT);
    firstScheduler.runDue();
    first.turnOnSync(first.prepareTurnOnSync(shop.storeId(), TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    firstScheduler.advance(Duration.ofSeconds(5));
    shop.placeOrder("APPLE", 3);

    armed[0] = true;
    first.syncNow(shop.storeId());
    firstScheduler.advance(Duration.ofSeconds(30)); // its retries die the same way
    armed[0] = false;

    assertThat(kills[0]).as("order writes killed").isGreaterThanOrEqualTo(2);
    assertThat(store.read((StoreReader r) -> r.stockLevel(APPLE, "main")))
        .as("nothing of the order applied").contains(new StockLevel(APPLE, "main", 10, 0, true));
    assertLedgerSumsEqualLevels(pool);
    first.inventory().adjust(APPLE, "main", 4, "found four more"); // its push never leaves
    assertThat(shop.quantity("l")).isNotEqualTo(11);

    // The first hub is gone without closing: its pool closed, its timers never fire again.
    pool.close();
    pool = Databases.pool(url, 4);
    JdbcInventoryStore restarted = JdbcInventoryStore.builder().dataSource(pool).build();
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    try (StockSync second = StockSync.builder().store(restarted).clock(clock).scheduler(scheduler)
        .connector(shop, StoreOptions.DEFAULT).build()) {
      second.syncNow(shop.storeId());
      scheduler.advance(Duration.ofSeconds(5));
      second.syncNow(shop.storeId()); // the same order read again
      scheduler.advance(Duration.ofMinutes(11));

      assertThat(second.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(3);
      assertThat(second.inventory().stockLevel(APPLE, "main").inStock()).isEqualTo(14);
      assertThat(shop.quantity("l")).as("14 in stock - 3 booked").isEqualTo(11);
      assertLedgerSumsEqualLevels(pool);
    }
  }

  /** A store that terminates its own transaction's backend before each call of a method. */
  private InventoryStore killingOn(String method, boolean[] armed, int[] kills) {
    return new InventoryStore() {
      @Override
      public <T> T read(Function<? super StoreReader, ? extends T> work) {
        return store.read(work);
      }

      @Override
      public <T> T write(Function<? super StoreTransaction, ? extends T> work) {
        return store.write(tx -> work.apply((StoreTransaction) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {StoreTransaction.class},
            (proxy, m, args) -> {
              if (armed[0] && m.getName().equals(method)) {
                kills[0] += terminateOpenTransactions();
              }
              try {
                return m.invoke(tx, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            })));
      }
    };
  }

  static void assertLedgerSumsEqualLevels(javax.sql.DataSource ds) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT l.sku, l.warehouse_id, l.in_stock, l.booked,"
            + " COALESCE(SUM(m.in_stock_delta), 0), COALESCE(SUM(m.booked_delta), 0)"
            + " FROM ss_stock_level l LEFT JOIN ss_movement m ON m.sku = l.sku"
            + " AND m.warehouse_id = l.warehouse_id GROUP BY l.sku, l.warehouse_id, l.in_stock,"
            + " l.booked")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getLong(5)).as("in stock of %s@%s", rs.getString(1), rs.getString(2))
            .isEqualTo(rs.getLong(3));
        assertThat(rs.getLong(6)).as("booked of %s@%s", rs.getString(1), rs.getString(2))
            .isEqualTo(rs.getLong(4));
      }
      assertThat(rows).isPositive();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
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
