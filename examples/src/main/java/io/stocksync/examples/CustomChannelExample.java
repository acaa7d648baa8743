package io.stocksync.examples;

import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.Planner;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.StoreStatus;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.SyncOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.core.sync.TurnOnSyncPlan;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Your own channel in a hub: {@link CornerShopConnector} adapts the imaginary "Corner Shop POS"
 * ({@link CornerShopPos}) to the connector SPI, and the engine treats it like any other store.
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests package exec:java \
 *     -Ddemo.main=io.stocksync.examples.CustomChannelExample
 * </pre>
 */
public final class CustomChannelExample {
  private static final String API_KEY = "ck_live_example_only";
  private static final Sku MUG = Sku.of("MUG-RED");
  private static final Sku TEA = Sku.of("TEA-EARL");

  private CustomChannelExample() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Connects a Corner Shop POS shop to a hub, turns sync on, and plays a sale, a delivery and a
   * return.
   *
   * @param out where to print
   * @return the shelf figure of {@code MUG-RED} on the POS at the end
   */
  public static long run(PrintStream out) {
    CornerShopPos pos = new CornerShopPos("Corner Shop on Elm Street", API_KEY, Clock.systemUTC());
    String mug = pos.addItem("MUG-RED", "Red mug", 4);
    String tea = pos.addItem("TEA-EARL", "Earl Grey, 100 g", 12);
    pos.addUntrackedItem("WRAP", "Gift wrapping");
    pos.addItem(null, "Bag of sweets", 30);
    out.println("POS till: 4 items (Bag of sweets has no SKU, Gift wrapping is not counted)");

    SyncOptions quick = SyncOptions.builder().pushDebounce(Duration.ofMillis(100))
        .retryInitialBackoff(Duration.ofMillis(200)).build();
    OrderRuns runs = new OrderRuns();
    try (StockSync hub = StockSync.builder().options(quick).listener(runs).build()) {
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main warehouse"));
      hub.inventory().defineProduct(Product.of("MUG-RED", "Red mug"));
      hub.inventory().defineProduct(Product.of("TEA-EARL", "Earl Grey, 100 g"));
      hub.inventory().adjust(MUG, "main", 20, "opening count");
      hub.inventory().adjust(TEA, "main", 50, "opening count");

      CornerShopConnector connector =
          new CornerShopConnector(pos, "elm-street", API_KEY, Clock.systemUTC());
      StoreId shop = hub.connect(connector, StoreOptions.DEFAULT).store();
      await(() -> hub.status(shop).lastListingSync() != null);
      out.println("connected " + connector + ": imported " + hub.listings(shop).stream()
          .map(l -> l.sku() + (l.tracked() ? "" : " (not counted, never pushed)"))
          .collect(Collectors.joining(", ")));

      TurnOnSyncPlan plan = hub.prepareTurnOnSync(shop, TurnOnSyncChoices.builder()
          .location(CornerShopConnector.LOCATION_ID, LocationChoice.existing("main")).build());
      out.println("preview   " + plan.summary());
      hub.turnOnSync(plan);
      settle(hub, pos, runs, null);
      out.println("sync on   shelf MUG-RED " + pos.onShelf(mug) + ", TEA-EARL " + pos.onShelf(tea)
          + " (no copy: the hub's numbers won)");

      pos.ringUp("MUG-RED", 2);
      Instant asked = Instant.now();
      hub.syncNow(shop);
      settle(hub, pos, runs, asked);
      out.println("till sale of 2 mugs: hub " + level(hub, MUG) + "; shelf " + pos.onShelf(mug));

      pos.failNextStockUpdates(1, 503); // the POS has a bad moment; the engine retries
      hub.inventory().adjust(MUG, "main", 10, "delivery");
      settle(hub, pos, runs, null);
      out.println("delivery of 10 mugs (first push hit HTTP 503): shelf " + pos.onShelf(mug));

      String sale = pos.ringUp("MUG-RED", 1);
      pos.returnToShelf(sale, pos.sale(sale).lines().get(0).id(), 1);
      asked = Instant.now();
      hub.syncNow(shop);
      settle(hub, pos, runs, asked);
      out.println("sale and return of 1 mug: hub " + level(hub, MUG) + "; shelf " + pos.onShelf(mug));

      StoreStatus s = hub.status(shop);
      out.printf("counters  orders %d, pushes %d, batches %d, retries %d, stale %d%n",
          s.ordersApplied(), s.pushesConfirmed(), s.pushBatches(), s.retries(), s.staleResults());
      return pos.onShelf(mug);
    }
  }

  private static String level(StockSync hub, Sku sku) {
    StockLevel l = hub.inventory().stockLevel(sku, "main");
    return "in stock " + l.inStock() + ", booked " + l.booked() + ", available " + l.available();
  }

  /**
   * Waits until the order syncs asked for since {@code since} have run, no push is queued, and
   * the POS shows what the hub wants on every listing.
   */
  private static void settle(StockSync hub, CornerShopPos pos, OrderRuns runs,
      @Nullable Instant since) {
    await(() -> (since == null || runs.latestStart.get().compareTo(since) >= 0)
        && hub.stores().stream().allMatch(s -> s.pendingPushes() == 0)
        && hub.inventory().store().read(r -> Planner.forAll(r, true).pushes()).stream()
            .allMatch(p -> pos.onShelf(p.ref().inventoryRef()) == p.quantity()));
  }

  /** Remembers when the latest order sync started, to know a requested one has run. */
  private static final class OrderRuns implements SyncListener {
    final AtomicReference<Instant> latestStart = new AtomicReference<>(Instant.EPOCH);

    @Override
    public void onRunFinished(SyncEvent.RunFinished event) {
      if (event.kind() == SyncEvent.RunKind.ORDERS) {
        latestStart.accumulateAndGet(event.startedAt(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
  }

  /** Polls on the real clock; the engine's own threads do the work meanwhile. */
  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the engine did not settle within 10 s");
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
