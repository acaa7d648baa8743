package io.stocksync.ebay;

import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ChannelConnectorContract;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.ebay.EbayEmulator;
import io.stocksync.testkit.ebay.Fault;
import java.time.Duration;
import java.time.Instant;

/** {@link EbayConnector} held to the contract every connector passes, over real HTTP. */
class EbayConnectorContractTest extends ChannelConnectorContract {
  @Override
  protected Fixture newFixture() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    EbayEmulator ebay = EbayEmulator.builder().clock(clock).sellerId("contract-seller")
        .accessToken("contract-token").build().start();
    EbayConnector connector = EbayConnector.builder().sellerId("contract-seller")
        .accessToken("contract-token").baseUrl(ebay.url()).clock(clock)
        .pageSizes(25, 25, 200).build();
    return new Fixture() {
      @Override
      public ChannelConnector connector() {
        return connector;
      }

      @Override
      public String seedListing(String sku, long quantity) {
        ebay.addInventoryItem(sku, "Product " + sku, (int) quantity, true);
        return EbayConnector.INV + sku;
      }

      @Override
      public void seedListingWithoutSku() {
        // Inventory-API items always have a SKU; Seller Hub listings may not.
        ebay.addTradingItem(null, "No SKU", 3);
      }

      @Override
      public String placeOrder(String sku, long quantity) {
        clock.advance(Duration.ofSeconds(1));
        return ebay.sell(sku, (int) quantity);
      }

      @Override
      public long storeQuantity(StockRef ref) {
        return ebay.shipToHomeQuantity(ref.inventoryRef().substring(EbayConnector.INV.length()));
      }

      @Override
      public void failNextPushRetryably() {
        ebay.failNext(1, Fault.SERVER_ERROR);
      }

      @Override
      public void advanceTime(Duration duration) {
        clock.advance(duration);
      }

      @Override
      public void close() {
        connector.close();
        ebay.close();
      }
    };
  }
}
