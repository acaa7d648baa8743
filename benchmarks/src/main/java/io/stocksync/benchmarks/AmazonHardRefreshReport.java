package io.stocksync.benchmarks;

import io.stocksync.amazon.AmazonConnector;
import io.stocksync.amazon.FulfilmentType;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.amazon.AmazonEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hard refresh of 10,000 FBM SKUs into the Amazon emulator at the models' default usage plans
 * (patchListingsItem 5/s burst 5, searchListingsItems 5/s burst 5, createFeed and the
 * JSON_LISTINGS_FEED cap of 5 per 5 minutes, getFeed 2/s), once through the feed path and once
 * through per-item PATCH only. Each run lasts from the refresh request until every quantity is
 * confirmed by reading it back (ACCEPTED is not confirmed), on the emulator's clock driven by the
 * engine's virtual scheduler; the emulator applies a PATCH 2 minutes after accepting it and
 * finishes a feed 5 minutes after its creation. Prints {@code key=value} lines.
 */
public final class AmazonHardRefreshReport {
  private AmazonHardRefreshReport() {}

  /**
   * Runs both paths.
   *
   * @param args optional: the number of SKUs (default 10,000)
   */
  public static void main(String[] args) {
    int skus = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    System.out.printf("amazon.skus=%d%n", skus);
    run("feed", skus, 50);
    run("patch", skus, Integer.MAX_VALUE);
  }

  private static void run(String name, int skus, int feedThreshold) {
    long wallStart = System.nanoTime();
    ManualClock clock = new ManualClock(Instant.parse("2026-11-30T08:00:00Z"));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    try (AmazonEmulator amazon = AmazonEmulator.builder().clock(clock).build().start()) {
      clock.advance(Duration.ofDays(1));
      amazon.addListings("SKU-", skus, "LUGGAGE", 3, Duration.ofSeconds(2));
      StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      List<InventoryOperation> counts = new ArrayList<>();
      for (int i = 0; i < skus; i++) {
        Sku sku = Sku.of("SKU-" + i);
        hub.inventory().defineProduct(new Product(sku, "", List.of()));
        counts.add(new InventoryOperation.Stocktake(sku, "main", 7, "seed", null));
      }
      hub.inventory().applyAll(counts);
      AmazonConnector connector = AmazonConnector.builder().sellerId(amazon.sellerId())
          .marketplaceId(amazon.marketplaceId()).fulfilment(FulfilmentType.FBM)
          .endpoint(amazon.url()).accessToken(amazon.issueAccessToken()).clock(clock)
          .feedThreshold(feedThreshold).build();
      StoreId id = hub.connect(connector, StoreOptions.DEFAULT).store();
      while (hub.status(id).lastListingSync() == null) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      // Copy Amazon's figures so turning on pushes nothing; the refresh then pushes every SKU.
      hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder().copyInventory(true)
          .location("FBM", LocationChoice.existing("main")).build()));
      List<InventoryOperation> recount = new ArrayList<>();
      for (int i = 0; i < skus; i++) {
        recount.add(new InventoryOperation.Stocktake(Sku.of("SKU-" + i), "main", 7, "recount", null));
      }
      scheduler.advance(Duration.ofMinutes(10)); // buckets fill up again
      long confirmedBefore = hub.status(id).pushesConfirmed();
      Map<String, Integer> callsBefore = new HashMap<>(amazon.calls());
      Instant start = clock.instant();
      hub.inventory().applyAll(recount);
      hub.hardRefreshInventory(id);
      Instant limit = start.plus(Duration.ofHours(12));
      while ((hub.status(id).pendingPushes() > 0
          || hub.status(id).pushesConfirmed() - confirmedBefore < skus)
          && clock.instant().isBefore(limit)) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
      long confirmed = hub.status(id).pushesConfirmed() - confirmedBefore;
      Map<String, Integer> used = new java.util.TreeMap<>();
      amazon.calls().forEach((op, n) -> {
        int d = n - callsBefore.getOrDefault(op, 0);
        if (d > 0) {
          used.put(op, d);
        }
      });
      int total = used.values().stream().mapToInt(Integer::intValue).sum();
      long throttled = amazon.exchanges().stream()
          .filter(e -> e.status() == 429 && !e.operation().equals("lwaToken")).count();
      boolean landed = amazon.fbmQuantity("SKU-0") == 7 && amazon.fbmQuantity("SKU-" + (skus - 1)) == 7;
      System.out.printf("amazon.%s.confirmed=%d%n", name, confirmed);
      System.out.printf("amazon.%s.landed=%s%n", name, landed);
      System.out.printf("amazon.%s.emulatorSeconds=%.0f%n", name, seconds);
      System.out.printf("amazon.%s.calls=%d%n", name, total);
      System.out.printf("amazon.%s.callsByOperation=%s%n", name, used);
      System.out.printf("amazon.%s.throttled429=%d%n", name, throttled);
      System.out.printf("amazon.%s.wallSeconds=%.1f%n", name, (System.nanoTime() - wallStart) / 1e9);
      hub.close();
    }
  }
}
