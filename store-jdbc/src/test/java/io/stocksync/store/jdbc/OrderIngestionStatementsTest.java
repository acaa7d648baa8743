package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: on PostgreSQL a page of orders costs a bounded number of statements whatever the
 * number of orders in it: previous order states, products and stock levels are read in batches,
 * and writes are sent in batches with the page's one commit.
 */
class OrderIngestionStatementsTest {
  private static final int SKUS = 5;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final List<HikariDataSource> pools = new ArrayList<>();

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }

  /**
   * Statements to ingest {@code orders} new orders spread over five SKUs, in one page, on a
   * database of its own.
   */
  private int statementsToIngest(String name, int orders) {
    HikariDataSource pool = Databases.pool(Databases.newPostgresDatabase(), 4);
    pools.add(pool);
    CountingDataSource counting = new CountingDataSource(pool);
    JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(counting).clock(clock)
        .migrate(true).build();
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    InMemoryChannel pos = InMemoryChannel.builder(StoreId.of("memory", name)).name(name)
        .clock(clock).pageSize(250).build();
    try (StockSync hub = StockSync.builder().store(store).clock(clock).scheduler(scheduler)
        .build()) {
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      for (int i = 0; i < SKUS; i++) {
        hub.inventory().defineProduct(Product.of("P" + i, "Product " + i));
        hub.inventory().adjust(Sku.of("P" + i), "main", 1000, "opening stock");
      }
      for (int i = 0; i < SKUS; i++) {
        pos.addListing(name + "-" + i, "P" + i, 1000);
      }
      hub.connect(pos, StoreOptions.DEFAULT);
      scheduler.runDue();
      hub.turnOnSync(hub.prepareTurnOnSync(pos.storeId(), TurnOnSyncChoices.builder()
          .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
      scheduler.advance(Duration.ofSeconds(5));
      clock.advance(Duration.ofSeconds(1));
      for (int i = 0; i < orders; i++) {
        pos.placeOrder("P" + (i % SKUS), 1);
      }
      int before = counting.executions.get();
      hub.syncNow(pos.storeId());
      scheduler.runDue();
      int statements = counting.executions.get() - before;
      assertThat(hub.status(pos.storeId()).ordersApplied()).isEqualTo(orders);
      return statements;
    }
  }

  @Test
  void pageOfOrders_costsTheSameFewStatementsForTenOrdersAsForTwoHundred() {
    int forTen = statementsToIngest("ten", 10);
    int forTwoHundred = statementsToIngest("two-hundred", 200);

    // Only the ledger ids, reserved in growing blocks, may take a statement or two more.
    assertThat(forTwoHundred).isLessThanOrEqualTo(forTen + 3);
  }
}
