package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.Planner;
import io.stocksync.core.sync.StoreOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No N+1: planning changed SKUs costs the same number of statements whatever the catalogue size,
 * and a hard refresh costs a few statements per thousand listings, on PostgreSQL.
 */
class PlanningQueriesTest {
  private static final List<StoreId> STORES =
      List.of(StoreId.of("shopify", "a.myshopify.com"), StoreId.of("etsy", "42"));
  private static HikariDataSource small;
  private static HikariDataSource large;

  @BeforeAll
  static void catalogues() {
    small = catalogue(300);
    large = catalogue(1500);
  }

  @AfterAll
  static void close() {
    small.close();
    large.close();
  }

  /** n SKUs (every tenth a bundle of the two before it), each listed on both stores. */
  private static HikariDataSource catalogue(int n) {
    HikariDataSource pool = Databases.pool(Databases.newPostgresDatabase(), 4);
    JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(pool).migrate(true).build();
    store.write(tx -> {
      tx.putWarehouse(Warehouse.of("main", "Main"));
      for (StoreId id : STORES) {
        tx.putStore(StoreRecord.connected(id, id.externalId(), StoreOptions.DEFAULT)
            .withSyncOn(Instant.EPOCH));
        tx.putLocations(id, List.of(new ChannelLocation("loc", "Loc", true, false)));
        tx.putMappings(id, List.of(new LocationMapping("loc", List.of("main"), InventoryMaster.HUB)));
      }
      for (int i = 0; i < n; i++) {
        Sku sku = sku(i);
        if (i % 10 == 9) {
          tx.putProduct(new Product(sku, "bundle " + i, List.of(
              new io.stocksync.core.BundleComponent(sku(i - 1), 1),
              new io.stocksync.core.BundleComponent(sku(i - 2), 2))));
        } else {
          tx.putProduct(Product.of(sku.value(), "product " + i));
          tx.putStockLevel(new StockLevel(sku, "main", 10 + i, 0, true));
        }
        for (StoreId id : STORES) {
          String listingId = "gid://x/Variant/" + i;
          tx.putListing(new ListingRecord(id, listingId, listingId, sku, ListingStatus.ACTIVE,
              "t", true));
          tx.putKnownQuantity(id, listingId, "loc", 0);
        }
      }
      return null;
    });
    return pool;
  }

  private static Sku sku(int i) {
    return Sku.of("SKU-" + i);
  }

  private static List<Sku> changed(int count) {
    List<Sku> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(sku(i * 3 % 300));
    }
    return out;
  }

  private static int statementsToPlan(HikariDataSource pool, List<Sku> skus, int[] pushes) {
    CountingDataSource counting = new CountingDataSource(pool);
    JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(counting).build();
    int before = counting.executions.get();
    Planner.Plan plan = store.read(r -> Planner.forSkus(r, skus, false));
    pushes[0] = plan.pushes().size();
    return counting.executions.get() - before;
  }

  @Test
  void forSkus_issuesTheSameFewStatementsWhateverTheCatalogueSize() {
    int[] smallPushes = new int[1];
    int[] largePushes = new int[1];
    int onSmall = statementsToPlan(small, changed(100), smallPushes);
    int onLarge = statementsToPlan(large, changed(100), largePushes);

    assertThat(smallPushes[0]).as("every listing of the 100 SKUs is pushed").isEqualTo(200);
    assertThat(largePushes[0]).isEqualTo(200);
    assertThat(onLarge).isEqualTo(onSmall);
    // listings, products (two levels: bundles, components), levels, per store: record,
    // locations, mappings, known quantities; plus the store keys and the schema check.
    assertThat(onSmall).isLessThanOrEqualTo(16);
  }

  @Test
  void forSkus_withMoreChangedSkus_doesNotIssueMoreStatements() {
    int[] pushes = new int[1];
    int forTen = statementsToPlan(large, changed(10), pushes);
    int forHundred = statementsToPlan(large, changed(100), pushes);

    assertThat(forHundred).isLessThanOrEqualTo(forTen + 1);
  }

  @Test
  void forAll_streamsAndReadsInChunks() {
    CountingDataSource counting = new CountingDataSource(large);
    JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(counting).build();
    int before = counting.executions.get();
    Planner.Plan plan = store.read(r -> Planner.forAll(r, false));
    int statements = counting.executions.get() - before;

    assertThat(plan.pushes()).hasSize(2 * 1500);
    // 3000 listings are 3 chunks of at most 1000: a handful of statements each.
    assertThat(statements).isLessThanOrEqualTo(3 * 8 + 10);
  }
}
