package io.stocksync.shopify;

import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ChannelConnectorContract;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.Fault;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@link ShopifyConnector} held to the contract every connector passes, over real HTTP. */
class ShopifyConnectorContractTest extends ChannelConnectorContract {
  @Override
  protected Fixture newFixture() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    ShopifyEmulator shop = ShopifyEmulator.builder().shopDomain("contract.myshopify.com")
        .accessToken("shpat_contract").clock(clock).bucket(20_000, 2_000).build().start();
    String location = shop.addLocation("Main");
    ShopifyConnector connector = ShopifyConnector.builder().shopDomain("contract.myshopify.com")
        .accessToken("shpat_contract").baseUrl(shop.url()).clock(clock).build();
    Map<String, String> variantBySku = new HashMap<>();
    return new Fixture() {
      int seq;

      @Override
      public ChannelConnector connector() {
        return connector;
      }

      @Override
      public String seedListing(String sku, long quantity) {
        String product = shop.addProduct("Product " + (++seq), ProductStatus.ACTIVE);
        VariantIds ids = shop.addVariant(product, sku, true);
        shop.stock(ids.inventoryItemId(), location, (int) quantity);
        variantBySku.put(sku, ids.variantId());
        clock.advance(Duration.ofMillis(1));
        return ids.variantId();
      }

      @Override
      public void seedListingWithoutSku() {
        String product = shop.addProduct("No SKU " + (++seq), ProductStatus.ACTIVE);
        VariantIds ids = shop.addVariant(product, null, true);
        shop.stock(ids.inventoryItemId(), location, 3);
      }

      @Override
      public String placeOrder(String sku, long quantity) {
        clock.advance(Duration.ofSeconds(1));
        return shop.sell(variantBySku.get(sku), (int) quantity, location);
      }

      @Override
      public long storeQuantity(StockRef ref) {
        return shop.available(ref.inventoryRef(), ref.locationId());
      }

      @Override
      public int listingsForPaging() {
        return 320; // first page 50, then as large as the cost allows (250)
      }

      @Override
      public void failNextPushRetryably() {
        shop.failNext(1, Fault.SERVER_ERROR);
      }

      @Override
      public void advanceTime(Duration duration) {
        clock.advance(duration);
      }

      @Override
      public void close() {
        connector.close();
        shop.close();
      }
    };
  }
}
