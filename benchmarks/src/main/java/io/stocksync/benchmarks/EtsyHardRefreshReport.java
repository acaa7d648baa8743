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
import io.stocksync.etsy.EtsyConnector;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.oauth.OAuthTokens;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.etsy.EtsyEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes to 10,000 Etsy listings under Etsy's older default grant of 10 requests per second (and
 * 100,000 per day), measured on the emulator's clock, which the engine's virtual scheduler drives:
 * the figures are exact and repeatable, not wall time. Two phases: turning sync on (the hub's 7
 * over the shop's 5: a read-modify-write of every listing) and a hard refresh (every listing read
 * again; none has changed, so nothing is written). The bound is the per-second limit; the report
 * gives the request rate achieved as a ratio of it, the 429s, and the requests per pushed
 * quantity.
 */
public final class EtsyHardRefreshReport {
  private EtsyHardRefreshReport() {}

  /**
   * Runs both phases and prints {@code key=value} lines.
   *
   * @param args optional: the number of listings (default 10,000)
   */
  public static void main(String[] args) {
    int listings = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int perSecond = 10;
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    long wallStart = System.nanoTime();
    try (EtsyEmulator etsy = EtsyEmulator.builder().clock(clock).limits(perSecond, 100_000)
        .build().start()) {
      etsy.recording(false);
      etsy.seedCatalogue(listings, 5, "SKU-");
      InMemoryCredentialsStore credentials = new InMemoryCredentialsStore();
      credentials.save("etsy", OAuthTokens.ofRefreshToken(etsy.issueRefreshToken()));
      OAuthTokenSource tokens = OAuthTokenSource.builder()
          .tokenUrl(etsy.url().resolve("v3/public/oauth/token")).clientId("emulatedkeystring")
          .clientAuthentication(ClientAuthentication.NONE).credentialsStore(credentials, "etsy")
          .clock(clock).build();
      StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      List<InventoryOperation> counts = new ArrayList<>();
      for (int i = 1; i <= listings; i++) {
        Sku sku = Sku.of(String.format("SKU-%06d", i));
        hub.inventory().defineProduct(new Product(sku, "", List.of()));
        counts.add(new InventoryOperation.Stocktake(sku, "main", 7, "seed", null));
      }
      hub.inventory().applyAll(counts);
      StoreId id = hub.connect(EtsyConnector.builder().shopId(etsy.shopId())
          .apiKey("emulatedkeystring", "emulatedsharedsecret").tokens(tokens).baseUrl(etsy.url())
          .clock(clock).rateLimits(perSecond, 100_000).build(), StoreOptions.DEFAULT).store();
      Instant listingStart = clock.instant();
      long requestsBefore = etsy.requests();
      while (hub.status(id).listings() < listings) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      double listingSeconds = Duration.between(listingStart, clock.instant()).toMillis() / 1000.0;
      long listingRequests = etsy.requests() - requestsBefore;

      hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder()
          .location(EtsyConnector.LOCATION_ID, LocationChoice.existing("main")).build()));
      Phase turnOn = measure("turnOn", hub, id, etsy, clock, scheduler, perSecond);
      scheduler.advance(Duration.ofMinutes(1));
      hub.hardRefreshInventory(id);
      Phase refresh = measure("hardRefresh", hub, id, etsy, clock, scheduler, perSecond);

      System.out.printf("etsy.listings=%d%n", listings);
      System.out.printf("etsy.limitPerSecond=%d%n", perSecond);
      System.out.printf("etsy.listingSync.emulatorSeconds=%.0f%n", listingSeconds);
      System.out.printf("etsy.listingSync.requests=%d%n", listingRequests);
      turnOn.print();
      refresh.print();
      System.out.printf("etsy.rateLimitedTotal=%d%n", etsy.rateLimited());
      System.out.printf("etsy.requestsByOperation=%s%n", etsy.requestsByOperation());
      System.out.printf("etsy.wallSeconds=%.1f%n", (System.nanoTime() - wallStart) / 1e9);
      hub.close();
    }
  }

  private record Phase(String name, long quantities, long requests, double seconds, long limited,
      int perSecond, long writes) {
    void print() {
      double rate = requests / seconds;
      System.out.printf("etsy.%s.quantities=%d%n", name, quantities);
      System.out.printf("etsy.%s.emulatorSeconds=%.1f%n", name, seconds);
      System.out.printf("etsy.%s.requests=%d%n", name, requests);
      System.out.printf("etsy.%s.inventoryWrites=%d%n", name, writes);
      System.out.printf("etsy.%s.requestsPerSecond=%.2f%n", name, rate);
      System.out.printf("etsy.%s.ratioOfBound=%.3f%n", name, rate / perSecond);
      System.out.printf("etsy.%s.rateLimited=%d%n", name, limited);
      System.out.printf("etsy.%s.requestsPerQuantity=%.3f%n", name, requests / (double) quantities);
      System.out.printf("etsy.%s.quantitiesPerSecond=%.2f%n", name, quantities / seconds);
    }
  }

  private static Phase measure(String name, StockSync hub, StoreId id, EtsyEmulator etsy,
      ManualClock clock, VirtualScheduler scheduler, int perSecond) {
    long confirmedBefore = hub.status(id).pushesConfirmed();
    long requestsBefore = etsy.requests();
    long limitedBefore = etsy.rateLimited();
    long writesBefore = etsy.requestsByOperation().getOrDefault("PUT /listings/{id}/inventory", 0);
    Instant start = clock.instant();
    scheduler.advance(Duration.ofMillis(100));
    while (hub.status(id).pendingPushes() > 0) {
      scheduler.advance(Duration.ofMillis(100));
    }
    double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
    long writes = etsy.requestsByOperation().getOrDefault("PUT /listings/{id}/inventory", 0)
        - writesBefore;
    return new Phase(name, hub.status(id).pushesConfirmed() - confirmedBefore,
        etsy.requests() - requestsBefore, seconds, etsy.rateLimited() - limitedBefore, perSecond,
        writes);
  }
}
