package io.stocksync.etsy;

import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ChannelConnectorContract;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.etsy.EtsyEmulator;
import io.stocksync.testkit.etsy.EtsyFault;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@link EtsyConnector} held to the contract every connector passes, over real HTTP. */
class EtsyConnectorContractTest extends ChannelConnectorContract {
  @Override
  protected Fixture newFixture() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    EtsyTestShop test = new EtsyTestShop(clock, b -> b.limits(1_000, 1_000_000));
    EtsyEmulator shop = test.etsy;
    EtsyConnector connector = test.connector();
    Map<String, Long> listingBySku = new HashMap<>();
    return new Fixture() {
      int seq;

      @Override
      public ChannelConnector connector() {
        return connector;
      }

      @Override
      public String seedListing(String sku, long quantity) {
        long id = shop.addListing("Product " + (++seq), sku, (int) quantity);
        listingBySku.put(sku, id);
        return id + ":" + sku;
      }

      @Override
      public void seedListingWithoutSku() {
        shop.addListing("No SKU " + (++seq), null, 3);
      }

      @Override
      public String placeOrder(String sku, long quantity) {
        clock.advance(Duration.ofSeconds(1));
        return String.valueOf(shop.sell(listingBySku.get(sku), sku, (int) quantity));
      }

      @Override
      public long storeQuantity(StockRef ref) {
        String[] parts = ref.inventoryRef().split(":", 2);
        return shop.quantity(Long.parseLong(parts[0]), parts[1]);
      }

      @Override
      public int listingsForPaging() {
        return 250; // pages of 100
      }

      @Override
      public void failNextPushRetryably() {
        shop.failNext(1, EtsyFault.SERVER_ERROR);
      }

      @Override
      public void advanceTime(Duration duration) {
        clock.advance(duration);
      }

      @Override
      public void close() {
        test.close();
      }
    };
  }
}
