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
import io.stocksync.ebay.EbayApi;
import io.stocksync.ebay.EbayConnector;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.ebay.EbayEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hard refresh of 10,000 Inventory-API SKUs into the eBay emulator, with the connector paced at
 * its default 10 requests per second. Measured on the emulator's clock, driven by the engine's
 * virtual scheduler: the bulk calls used against the lower bound of one call per 25 SKUs, and the
 * achieved request rate against the configured one.
 */
public final class EbayHardRefreshReport {
  private EbayHardRefreshReport() {}

  /**
   * Runs the refresh and prints {@code key=value} lines.
   *
   * @param args optional: the number of SKUs (default 10,000)
   */
  public static void main(String[] args) {
    int skus = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    long wallStart = System.nanoTime();
    try (EbayEmulator ebay = EbayEmulator.builder().clock(clock).sellerId("bench")
        .accessToken("t").tokenLifetime(Duration.ofDays(7)).build().start()) {
      StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      List<InventoryOperation> counts = new ArrayList<>();
      for (int i = 1; i <= skus; i++) {
        String sku = String.format("SKU-%06d", i);
        ebay.addInventoryItem(sku, "Item " + i, 5, true);
        hub.inventory().defineProduct(new Product(Sku.of(sku), "", List.of()));
        counts.add(new InventoryOperation.Stocktake(Sku.of(sku), "main", 7, "seed", null));
      }
      hub.inventory().applyAll(counts);
      EbayConnector connector = EbayConnector.builder().sellerId("bench").accessToken("t")
          .baseUrl(ebay.url()).clock(clock).build();
      StoreId id = hub.connect(connector, StoreOptions.DEFAULT).store();
      Instant listingStart = clock.instant();
      long inventoryCallsBefore = connector.callsTotal(EbayApi.INVENTORY);
      while (hub.status(id).listings() < skus || hub.status(id).lastListingSync() == null) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      double listingSeconds = Duration.between(listingStart, clock.instant()).toMillis() / 1000.0;
      long listingCalls = connector.callsTotal(EbayApi.INVENTORY) - inventoryCallsBefore;
      hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder()
          .location("EBAY_US", LocationChoice.existing("main")).build()));
      while (hub.status(id).pendingPushes() > 0) { // turn-on pushes 7 over the store's 5
        scheduler.advance(Duration.ofSeconds(1));
      }
      scheduler.advance(Duration.ofMinutes(1));
      long confirmedBefore = hub.status(id).pushesConfirmed();
      int bulkBefore = ebay.calls("bulkUpdatePriceQuantity");
      long requestsBefore = connector.callsTotal(EbayApi.INVENTORY);
      int throttledBefore = ebay.throttledCount();
      Instant start = clock.instant();
      hub.hardRefreshInventory(id);
      while (hub.status(id).pendingPushes() > 0) {
        scheduler.advance(Duration.ofMillis(100));
      }
      double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
      long pushed = hub.status(id).pushesConfirmed() - confirmedBefore;
      int bulkCalls = ebay.calls("bulkUpdatePriceQuantity") - bulkBefore;
      long requests = connector.callsTotal(EbayApi.INVENTORY) - requestsBefore;
      int lowerBound = (skus + 24) / 25;
      double rate = requests / seconds;
      System.out.printf("ebay.skus=%d%n", skus);
      System.out.printf("ebay.listingSync.inventoryCalls=%d%n", listingCalls);
      System.out.printf("ebay.listingSync.emulatorSeconds=%.0f%n", listingSeconds);
      System.out.printf("ebay.hardRefresh.quantitiesConfirmed=%d%n", pushed);
      System.out.printf("ebay.hardRefresh.bulkCalls=%d%n", bulkCalls);
      System.out.printf("ebay.hardRefresh.lowerBound=%d%n", lowerBound);
      System.out.printf("ebay.hardRefresh.callsPerBound=%.3f%n", bulkCalls / (double) lowerBound);
      System.out.printf("ebay.hardRefresh.requests=%d%n", requests);
      System.out.printf("ebay.hardRefresh.emulatorSeconds=%.1f%n", seconds);
      System.out.printf("ebay.hardRefresh.achievedRequestsPerSecond=%.2f%n", rate);
      System.out.printf("ebay.hardRefresh.configuredRequestsPerSecond=%.2f%n",
          connector.maxRequestsPerSecond());
      System.out.printf("ebay.hardRefresh.rateRatio=%.3f%n", rate / connector.maxRequestsPerSecond());
      System.out.printf("ebay.hardRefresh.throttled=%d%n", ebay.throttledCount() - throttledBefore);
      System.out.printf("ebay.priceUpdates=%d%n", ebay.priceUpdates());
      System.out.printf("ebay.wallSeconds=%.1f%n", (System.nanoTime() - wallStart) / 1e9);
      hub.close();
    }
  }
}
