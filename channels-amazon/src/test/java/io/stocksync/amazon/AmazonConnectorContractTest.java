package io.stocksync.amazon;

import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ChannelConnectorContract;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.amazon.AmazonEmulator;
import io.stocksync.testkit.amazon.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** {@link AmazonConnector} held to the contract every connector passes, over real HTTP. */
class AmazonConnectorContractTest extends ChannelConnectorContract {
  @Override
  protected Fixture newFixture() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-30T08:00:00Z"));
    AmazonEmulator amazon = AmazonEmulator.builder().clock(clock).generousRates().build().start();
    AmazonConnector connector = AmazonConnector.builder()
        .sellerId(amazon.sellerId()).marketplaceId(amazon.marketplaceId())
        .fulfilment(FulfilmentType.BOTH).endpoint(amazon.url())
        .accessToken(amazon.issueAccessToken()).clock(clock).maxBatchSize(60).build();
    return new Fixture() {
      @Override
      public ChannelConnector connector() {
        return connector;
      }

      @Override
      public String seedListing(String sku, long quantity) {
        amazon.addListing(sku, "LUGGAGE", quantity, null);
        clock.advance(Duration.ofMillis(1));
        return sku;
      }

      @Override
      public void seedListingWithoutSku() {
        // Every Amazon listing is keyed by its seller SKU: there is no listing without one.
      }

      @Override
      public String placeOrder(String sku, long quantity) {
        clock.advance(Duration.ofSeconds(1));
        return amazon.placeOrder("MERCHANT", Map.of(sku, quantity));
      }

      @Override
      public long storeQuantity(StockRef ref) {
        return Objects.requireNonNullElse(amazon.fbmQuantity(ref.inventoryRef()), -1L);
      }

      @Override
      public void failNextPushRetryably() {
        amazon.failNext(1, Fault.SERVER_ERROR);
      }

      @Override
      public void advanceTime(Duration duration) {
        clock.advance(duration);
      }

      @Override
      public void close() {
        connector.close();
        amazon.close();
      }
    };
  }
}
