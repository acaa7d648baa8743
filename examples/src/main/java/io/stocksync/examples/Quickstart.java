package io.stocksync.examples;

import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.core.sync.TurnOnSyncPlan;
import io.stocksync.shopify.ShopifyConnector;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The smallest honest embedding: a hub, one warehouse, one product, one Shopify shop.
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests package exec:java -Ddemo.main=io.stocksync.examples.Quickstart
 * </pre>
 */
public final class Quickstart {
  private static final String SHOP = "corner-mugs.myshopify.com";
  private static final String TOKEN = "shpat_quickstart"; // yours, e.g. System.getenv(...)

  private Quickstart() {}

  /**
   * Runs the quick start.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for the engine
   */
  public static void main(String[] args) throws InterruptedException {
    run(System.out);
  }

  /**
   * Connects the shop, turns sync on, adjusts stock and prints what the shop shows.
   *
   * @param out where to print
   * @return the quantity the shop shows at the end
   * @throws InterruptedException if interrupted while waiting for the engine
   */
  public static long run(PrintStream out) throws InterruptedException {
    Events events = new Events();
    try (
        ShopifyEmulator emulated = emulatedShop(); // a local stand-in shop: delete for a real one
        StockSync hub = StockSync.builder().listener(events).build()) {
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main warehouse"));
      hub.inventory().defineProduct(Product.of("MUG-RED", "Red mug"));
      ShopifyConnector shopify = ShopifyConnector.builder()
          .shopDomain(SHOP)
          .accessToken(TOKEN)
          .baseUrl(emulated.url()) // delete this line for a real shop
          .build();
      StoreId shop = hub.connect(shopify, StoreOptions.DEFAULT).store();
      // connect() returns at once and imports listings in the background; the preview needs them.
      events.await(events.listingsSynced, "listing sync");

      String location = shopify.locations().get(0).id();
      TurnOnSyncPlan plan = hub.prepareTurnOnSync(shop, TurnOnSyncChoices.builder()
          .copyInventory(true) // today the shop's count is the truth
          .location(location, LocationChoice.existing("main"))
          .build());
      out.println(plan.summary());
      hub.turnOnSync(plan);

      hub.inventory().adjust(Sku.of("MUG-RED"), "main", 10, "delivery from the potter");
      events.await(events.pushed, "a confirmed push"); // pushes leave after a 1 s debounce

      ListingRecord mug = hub.listings(shop).get(0);
      StockRef ref = new StockRef(mug.inventoryRef(), location);
      long quantity = shopify.readQuantities(List.of(ref)).getOrDefault(ref, -1L);
      out.println("Shopify now shows " + quantity + " x MUG-RED");
      return quantity;
    }
  }

  /** Starts an emulated shop with one location and 3 red mugs in stock. */
  private static ShopifyEmulator emulatedShop() {
    ShopifyEmulator shop =
        ShopifyEmulator.builder().shopDomain(SHOP).accessToken(TOKEN).build().start();
    String location = shop.addLocation("Warehouse");
    String mug = shop.addProduct("Red mug", ProductStatus.ACTIVE);
    shop.stock(shop.addVariant(mug, "MUG-RED", true).inventoryItemId(), location, 3);
    return shop;
  }

  /** Lets the caller wait for the engine's background work instead of sleeping. */
  private static final class Events implements SyncListener {
    final CountDownLatch listingsSynced = new CountDownLatch(1);
    final CountDownLatch pushed = new CountDownLatch(1);

    @Override
    public void onRunFinished(SyncEvent.RunFinished event) {
      if (event.kind() == SyncEvent.RunKind.LISTINGS) {
        listingsSynced.countDown();
      }
    }

    @Override
    public void onPushBatch(SyncEvent.PushBatch event) {
      if (event.confirmed() > 0) {
        pushed.countDown();
      }
    }

    void await(CountDownLatch latch, String what) throws InterruptedException {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no " + what + " within 30 s");
      }
    }
  }
}
