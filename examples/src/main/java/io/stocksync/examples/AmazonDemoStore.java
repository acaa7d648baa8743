package io.stocksync.examples;

import io.stocksync.amazon.AmazonConnector;
import io.stocksync.amazon.FulfilmentType;
import io.stocksync.core.StoreId;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.PlannedPush;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.testkit.amazon.AmazonEmulator;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The demo's Amazon seller: an emulated SP-API seller with FBM and FBA stock, reached by the real
 * {@link AmazonConnector} over HTTP with Login with Amazon tokens. FBM is linked to the hub's main
 * warehouse and pushed; FBA is copied into its own read-only warehouse and never pushed. Timings
 * are shortened for a demo on the system clock (Amazon applies an accepted PATCH within
 * seconds here, not minutes).
 */
final class AmazonDemoStore implements AutoCloseable {
  /** The hub warehouse the FBA location is copied into. */
  static final String FBA_WAREHOUSE = "amazon-fba";

  private final AmazonEmulator amazon = AmazonEmulator.builder().generousRates()
      .acceptedDelay(Duration.ofMillis(300)).feedProcessingDelay(Duration.ofSeconds(2)).build()
      .start();
  private final StoreId id = AmazonConnector.storeIdOf(amazon.sellerId(), amazon.marketplaceId());

  AmazonDemoStore() {
    // FBM figures start at 0: the hub's numbers are pushed. FBA figures are Amazon's.
    amazon.addListing("TOTE-NAT", "LUGGAGE", 0L, 12L);
    amazon.addListing("MUG-WHT", "DRINKING_CUP", 0L, 30L);
    amazon.addListing("BEANIE-GRY", "HAT", 0L, null);
    amazon.addListing("SOCK-BLK-M", "SOCKS", 0L, null);
    amazon.addListing("TOTE-OLV", "LUGGAGE", null, 8L);
  }

  /** Connects with FBM + FBA, turns sync on, and places one MFN and one AFN sale. */
  void connectAndTurnOn(StockSync hub, BiConsumer<String, String> line) {
    AmazonConnector connector = AmazonConnector.builder().sellerId(amazon.sellerId())
        .marketplaceId(amazon.marketplaceId()).fulfilment(FulfilmentType.BOTH)
        .storeName("Amazon US").endpoint(amazon.url())
        .accessTokens(AmazonConnector.lwa().tokenUrl(amazon.tokenUrl())
            .clientId(AmazonEmulator.DEFAULT_CLIENT_ID)
            .clientSecret(AmazonEmulator.DEFAULT_CLIENT_SECRET)
            .credentialsStore(new InMemoryCredentialsStore(), "amazon-demo")
            .initialRefreshToken(amazon.refreshToken()).build())
        .verifyAfter(Duration.ofSeconds(1)).feedVerifyAfter(Duration.ofSeconds(3)).build();
    hub.connect(connector, StoreOptions.DEFAULT);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (hub.status(id).lastListingSync() == null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder()
        .location(AmazonConnector.FBM_LOCATION, LocationChoice.existing("main"))
        .location(AmazonConnector.FBA_LOCATION, LocationChoice.newWarehouse(FBA_WAREHOUSE, "Amazon FBA"))
        .build()));
    amazon.placeOrder("MERCHANT", Map.of("MUG-WHT", 1L));
    amazon.placeOrder("AMAZON", Map.of("TOTE-NAT", 2L));
    hub.syncNow(id);
    line.accept("Amazon US", "FBM + FBA chosen first, then 5 listings imported; FBM → main (pushed),"
        + " FBA → '" + FBA_WAREHOUSE + "' (read-only); 1 MFN + 1 AFN sale");
  }

  /** Whether a store is this Amazon seller. */
  boolean owns(StoreId store) {
    return store.equals(id);
  }

  /** What Amazon shows for a planned FBM push's listing. */
  long quantity(PlannedPush p) {
    return Objects.requireNonNullElse(amazon.fbmQuantity(p.ref().inventoryRef()), -1L);
  }

  @Override
  public void close() {
    amazon.close();
  }
}
