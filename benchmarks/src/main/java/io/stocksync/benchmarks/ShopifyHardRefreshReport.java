package io.stocksync.benchmarks;

import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.shopify.ShopifyConnector;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.shopify.CostModel;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hard refresh of 20,000 variants at 2 locations into the Shopify emulator at its default
 * throttle (the Standard plan: 2,000 points, 100 per second), under a cost model ({@code
 * documented}, the default, or {@code linear}). Measured on the emulator's clock, which the
 * engine's virtual scheduler drives, so the figures are exact and repeatable rather than wall
 * time. The bound the cost model implies: spending the refresh's points takes at least {@code
 * (points - 2,000) / 100} seconds (the bucket starts full), never less than the scheduler's
 * 0.1 s step; the report gives the ratio of that bound to the time taken, the quantities per
 * second and the number of THROTTLED responses.
 *
 * <p>Before the refresh, the catalogue is imported twice by a freshly connected store: once paged
 * (the connector's bulk threshold set out of reach) and once through a Shopify bulk query (the
 * default for more than 2,000 variants), each timed on the emulator's clock with the requests and
 * points it took. The emulator runs bulk queries at 1,000 objects per second (a variant and each
 * of its levels are objects), a figure of its own: Shopify publishes none.
 */
public final class ShopifyHardRefreshReport {
  private ShopifyHardRefreshReport() {}

  /**
   * Runs the refresh and prints {@code key=value} lines.
   *
   * @param args optional: the number of variants (default 20,000), then the cost model ({@code
   *     documented} or {@code linear}, default {@code documented})
   */
  public static void main(String[] args) {
    int variants = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    CostModel model = args.length > 1 && args[1].equals("linear")
        ? CostModel.linear() : CostModel.documented();
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    long wallStart = System.nanoTime();
    try (ShopifyEmulator shop = ShopifyEmulator.builder().shopDomain("bench.myshopify.com")
        .accessToken("t").clock(clock).costModel(model).build().start()) {
      String east = shop.addLocation("East");
      String west = shop.addLocation("West");
      shop.seedCatalogue(variants, List.of(east, west), 5, "SKU-");
      StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      List<InventoryOperation> counts = new ArrayList<>();
      for (int i = 1; i <= variants; i++) {
        Sku sku = Sku.of(String.format("SKU-%06d", i));
        hub.inventory().defineProduct(new Product(sku, "", List.of()));
        counts.add(new InventoryOperation.Stocktake(sku, "main", 7, "seed", null));
      }
      hub.inventory().applyAll(counts);
      Import paged = importListings(shop, clock, scheduler, variants, Integer.MAX_VALUE);
      scheduler.advance(Duration.ofMinutes(10)); // the bucket fills up again
      Import bulk = importListings(shop, clock, scheduler, variants,
          ShopifyConnector.DEFAULT_BULK_THRESHOLD);
      scheduler.advance(Duration.ofMinutes(10));
      StoreId id = hub.connect(ShopifyConnector.builder().shopDomain("bench.myshopify.com")
          .accessToken("t").baseUrl(shop.url()).clock(clock).build(), StoreOptions.DEFAULT).store();
      Instant listingStart = clock.instant();
      while (hub.status(id).listings() < variants) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      double listingSeconds = Duration.between(listingStart, clock.instant()).toMillis() / 1000.0;
      hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder()
          .location(east, LocationChoice.existing("main"))
          .location(west, LocationChoice.existing("main")).build()));
      while (hub.status(id).pendingPushes() > 0) { // turn-on pushes 7 over the store's 5
        scheduler.advance(Duration.ofSeconds(1));
      }
      scheduler.advance(Duration.ofMinutes(10)); // the bucket fills up again
      long confirmedBefore = hub.status(id).pushesConfirmed();
      long pointsBefore = shop.pointsSpent();
      int throttledBefore = shop.throttledCount();
      Instant start = clock.instant();
      hub.hardRefreshInventory(id);
      while (hub.status(id).pendingPushes() > 0) {
        scheduler.advance(Duration.ofMillis(100));
      }
      double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
      long pushed = hub.status(id).pushesConfirmed() - confirmedBefore;
      long points = shop.pointsSpent() - pointsBefore;
      double perQuantity = points / (double) pushed;
      // The bound: the points need (points - 2,000) / 100 s at least; 0.1 s is the step.
      double boundSeconds = Math.max(0.1, (points - 2000) / 100.0);
      double bound = pushed / boundSeconds;
      double achieved = pushed / seconds;
      System.out.printf("shopify.costModel=%s%n", model);
      System.out.printf("shopify.variants=%d%n", variants);
      System.out.printf("shopify.listingSyncEmulatorSeconds=%.0f%n", listingSeconds);
      System.out.printf("shopify.listingImport.paged.emulatorSeconds=%.0f%n", paged.seconds());
      System.out.printf("shopify.listingImport.paged.requests=%d%n", paged.requests());
      System.out.printf("shopify.listingImport.paged.points=%d%n", paged.points());
      System.out.printf("shopify.listingImport.paged.throttled=%d%n", paged.throttled());
      System.out.printf("shopify.listingImport.bulk.emulatorSeconds=%.0f%n", bulk.seconds());
      System.out.printf("shopify.listingImport.bulk.requests=%d%n", bulk.requests());
      System.out.printf("shopify.listingImport.bulk.points=%d%n", bulk.points());
      System.out.printf("shopify.listingImport.bulk.throttled=%d%n", bulk.throttled());
      System.out.printf("shopify.listingImport.bulk.operations=%d%n", bulk.operations());
      System.out.printf("shopify.hardRefresh.quantities=%d%n", pushed);
      System.out.printf("shopify.hardRefresh.emulatorSeconds=%.1f%n", seconds);
      System.out.printf("shopify.hardRefresh.pointsPerQuantity=%.3f%n", perQuantity);
      System.out.printf("shopify.hardRefresh.achievedPerSecond=%.1f%n", achieved);
      System.out.printf("shopify.hardRefresh.boundPerSecond=%.1f%n", bound);
      System.out.printf("shopify.hardRefresh.boundSeconds=%.1f%n", boundSeconds);
      System.out.printf("shopify.hardRefresh.ratio=%.3f%n", Math.min(1, boundSeconds / seconds));
      System.out.printf("shopify.hardRefresh.throttled=%d%n", shop.throttledCount() - throttledBefore);
      System.out.printf("shopify.throttledTotal=%d%n", shop.throttledCount());
      System.out.printf("shopify.wallSeconds=%.1f%n", (System.nanoTime() - wallStart) / 1e9);
      hub.close();
    }
  }

  /** One timed listing import. */
  private record Import(double seconds, int requests, long points, int throttled, int operations) {}

  /** Connects the shop to a fresh hub and waits until every variant is imported. */
  private static Import importListings(ShopifyEmulator shop, ManualClock clock,
      VirtualScheduler scheduler, int variants, int bulkThreshold) {
    int requests = shop.requestCount();
    long points = shop.pointsSpent();
    int throttled = shop.throttledCount();
    int operations = shop.bulkOperationsStarted();
    Instant start = clock.instant();
    try (StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build()) {
      StoreId id = hub.connect(ShopifyConnector.builder().shopDomain("bench.myshopify.com")
          .accessToken("t").baseUrl(shop.url()).clock(clock).bulkThreshold(bulkThreshold).build(),
          StoreOptions.DEFAULT).store();
      while (hub.status(id).listings() < variants) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      return new Import(Duration.between(start, clock.instant()).toMillis() / 1000.0,
          shop.requestCount() - requests, shop.pointsSpent() - points,
          shop.throttledCount() - throttled, shop.bulkOperationsStarted() - operations);
    }
  }
}
