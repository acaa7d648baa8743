package io.stocksync.examples;

import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.store.jdbc.JdbcInventoryStore;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * The hub on durable storage: an H2 database in a file. Each run resumes where the last one
 * stopped: the first run defines the catalogue, connects a point-of-sale stand-in and turns sync
 * on; every run then sells a little and receives a delivery. The stand-in store is rebuilt each
 * run as the real one would still be (its past orders, the figures the hub last pushed), so the
 * hub reads every old order again and books none of them twice.
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests package exec:java -Dexec.args="--h2 target/stocksync-demo"
 * </pre>
 *
 * Run it again to see the second run resume; delete {@code target/stocksync-demo.mv.db} to start
 * over.
 */
public final class DurableDemo {
  private static final StoreId POS = StoreId.of("memory", "corner-pos");
  private static final List<String> SKUS = List.of("MUG-RED", "TEE-BLK-M", "CAP-RED");
  private static final long OPENING_STOCK = 50;

  private DurableDemo() {}

  /**
   * Runs the demo and exits with status 1 if the hub and the store disagree at the end.
   *
   * @param args the database file, without H2's {@code .mv.db} suffix (default {@code
   *     target/stocksync-demo})
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path file = Path.of(args.length > 0 ? args[0] : "target/stocksync-demo");
    int status = run(file, out);
    out.flush();
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs one session over the database file.
   *
   * @param file the database file, without the {@code .mv.db} suffix
   * @param out where to print
   * @return 0 when every booking and every store figure matches, 1 otherwise
   */
  public static int run(Path file, PrintStream out) {
    try (JdbcInventoryStore store = JdbcInventoryStore.h2File(file)) {
      int run = 1;
      while (runDone(store, run)) {
        run++;
      }
      out.printf("stocksync durable demo, run %d, hub in %s.mv.db (H2, schema V%d)%n", run,
          file.toAbsolutePath(), store.schemaVersion());
      ManualClock clock = new ManualClock(Instant.now());
      VirtualScheduler scheduler = new VirtualScheduler(clock);
      InMemoryChannel pos = rebuildStore(store, clock, run);
      StockSync.Builder builder = StockSync.builder().store(store).clock(clock).scheduler(scheduler);
      if (run > 1) {
        builder.connector(pos, StoreOptions.DEFAULT); // a restart: the store is known already
      }
      try (StockSync hub = builder.build()) {
        if (run == 1) {
          firstRun(hub, scheduler, pos, out);
        } else {
          out.printf("  resumed: %d products, %d orders already applied, store %s%n",
              store.read((StoreReader r) -> r.productCount()), 3 * (run - 1),
              hub.status(POS).status());
        }
        clock.advance(Duration.ofSeconds(1));
        pos.placeOrder(SKUS.get(0), 1);
        pos.placeOrder(SKUS.get(1), 2);
        pos.placeOrder(SKUS.get(run % SKUS.size()), 1);
        hub.syncNow(POS);
        scheduler.advance(Duration.ofSeconds(5));
        hub.inventory().apply(new InventoryOperation.Adjust(Sku.of(SKUS.get(2)), "main", 2,
            "delivery of run " + run, "durable-demo-run-" + run));
        scheduler.advance(Duration.ofSeconds(5));
        return report(hub, pos, run, out);
      }
    }
  }

  private static boolean runDone(JdbcInventoryStore store, int run) {
    return store.read((StoreReader r) -> r.operation("durable-demo-run-" + run)).isPresent();
  }

  private static void firstRun(StockSync hub, VirtualScheduler scheduler, InMemoryChannel pos,
      PrintStream out) {
    out.println("  first run: catalogue, point of sale connected, sync on");
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main warehouse"));
    for (String sku : SKUS) {
      hub.inventory().defineProduct(Product.of(sku, sku));
      hub.inventory().adjust(Sku.of(sku), "main", OPENING_STOCK, "opening stock");
    }
    hub.connect(pos, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(POS, TurnOnSyncChoices.builder().copyInventory(false)
        .location("default", LocationChoice.existing("main")).build()));
    scheduler.advance(Duration.ofSeconds(5));
  }

  /**
   * The point of sale as it would be now: every order of the earlier runs still on it, and the
   * figures the hub last pushed. (A real store keeps those itself.)
   */
  private static InMemoryChannel rebuildStore(JdbcInventoryStore store, ManualClock clock,
      int run) {
    InMemoryChannel pos = InMemoryChannel.builder(POS).name("Corner shop POS").clock(clock)
        .build();
    for (String sku : SKUS) {
      pos.addListing("pos-" + sku, sku, OPENING_STOCK);
    }
    for (int earlier = 1; earlier < run; earlier++) {
      pos.placeOrder(SKUS.get(0), 1);
      pos.placeOrder(SKUS.get(1), 2);
      pos.placeOrder(SKUS.get(earlier % SKUS.size()), 1);
    }
    for (String sku : SKUS) {
      OptionalLong known = store.read(
          (StoreReader r) -> r.knownQuantity(POS, "pos-" + sku, "default"));
      if (known.isPresent()) {
        pos.setQuantity("pos-" + sku, "default", known.getAsLong());
      }
    }
    return pos;
  }

  private static int report(StockSync hub, InMemoryChannel pos, int run, PrintStream out) {
    boolean ok = true;
    out.printf("  %-10s %8s %7s %9s %9s%n", "SKU", "inStock", "booked", "available", "POS shows");
    for (int i = 0; i < SKUS.size(); i++) {
      String sku = SKUS.get(i);
      StockLevel level = hub.inventory().stockLevel(Sku.of(sku), "main");
      long shows = pos.quantity("pos-" + sku);
      long expectedBooked = expectedBooked(i, run);
      boolean match = level.booked() == expectedBooked && shows == level.available();
      ok &= match;
      out.printf("  %-10s %8d %7d %9d %9d %s%n", sku, level.inStock(), level.booked(),
          level.available(), shows, match ? "✓" : "✗ expected booked " + expectedBooked);
    }
    out.printf("run %d %s: %d orders booked once each over %d run(s); run again to resume%n", run,
        ok ? "ok" : "FAILED", 3 * run, run);
    return ok ? 0 : 1;
  }

  /** Units booked for the i-th SKU after {@code runs} runs of three orders each. */
  private static long expectedBooked(int i, int runs) {
    long booked = 0;
    for (int r = 1; r <= runs; r++) {
      booked += (i == 0 ? 1 : 0) + (i == 1 ? 2 : 0) + (r % SKUS.size() == i ? 1 : 0);
    }
    return booked;
  }
}
