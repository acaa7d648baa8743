package io.stocksync.benchmarks;

import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.shopify.ShopifyConnector;
import io.stocksync.shopify.ShopifyWebhookHandler;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The webhook fast path in wall time: a sale on one emulated Shopify shop, delivered over HTTP as
 * {@code orders/create} to the shop's webhook handler, until the same SKU's new quantity is
 * confirmed on two other emulated shops. Real threads, the engine's default scheduler and push
 * debounce (1 s), the system clock; prints p50, p99 and max over the sales, and the THROTTLED
 * count (rate-limit saturation).
 */
public final class ShopifyWebhookLatencyReport {
  private ShopifyWebhookLatencyReport() {}

  /**
   * Runs the sales and prints {@code key=value} lines.
   *
   * @param args optional: the number of sales (default 40)
   * @throws Exception if an emulator or the receiver cannot start
   */
  public static void main(String[] args) throws Exception {
    int sales = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    AtomicReference<ShopifyWebhookHandler> handler = new AtomicReference<>();
    List<ShopifyEmulator> shops = new ArrayList<>();
    List<String> locations = new ArrayList<>();
    List<VariantIds> tees = new ArrayList<>();
    try (MockWebServer receiver = new MockWebServer();
        StockSync hub = StockSync.builder().build()) {
      receiver.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          ShopifyWebhookHandler h = handler.get();
          if (h != null) {
            h.handle(name -> request.getHeaders().get(name), request.getBody().toByteArray());
          }
          return new MockResponse.Builder().code(200).build();
        }
      });
      receiver.start();
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      for (String name : List.of("a", "b", "c")) {
        ShopifyEmulator shop = ShopifyEmulator.builder().shopDomain(name + ".myshopify.com")
            .accessToken("t-" + name).webhookSecret("whsec").build().start();
        shops.add(shop);
        String location = shop.addLocation("Main");
        VariantIds tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
        shop.stock(tee.inventoryItemId(), location, 1000);
        locations.add(location);
        tees.add(tee);
        ShopifyConnector connector = ShopifyConnector.builder().shopDomain(name + ".myshopify.com")
            .accessToken("t-" + name).webhookSecret("whsec").baseUrl(shop.url()).build();
        StoreId id = hub.connect(connector, StoreOptions.DEFAULT).store();
        TurnOnSyncChoices choices = TurnOnSyncChoices.builder().copyInventory(name.equals("a"))
            .location(location, LocationChoice.existing("main")).build();
        waitFor(() -> {
          try { // refused while the first listing sync is still running
            hub.turnOnSync(hub.prepareTurnOnSync(id, choices));
            return true;
          } catch (io.stocksync.core.InvalidInputException e) {
            return false;
          }
        }, 60_000);
        waitFor(() -> hub.status(id).pendingPushes() == 0, 60_000);
        if (name.equals("a")) {
          handler.set(connector.webhookHandler(hub::handle));
          shop.webhooksTo(receiver.url("/webhooks"));
        }
      }
      long[] nanos = new long[sales];
      int expected = 1000;
      for (int i = 0; i < sales; i++) {
        expected--;
        int want = expected;
        long start = System.nanoTime();
        shops.get(0).sell(tees.get(0).variantId(), 1, locations.get(0)); // delivers the webhook
        waitFor(() -> shops.get(1).available(tees.get(1).inventoryItemId(), locations.get(1)) == want
            && shops.get(2).available(tees.get(2).inventoryItemId(), locations.get(2)) == want, 60_000);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      int throttled = shops.stream().mapToInt(ShopifyEmulator::throttledCount).sum();
      System.out.printf("shopify.webhook.sales=%d%n", sales);
      System.out.printf("shopify.webhook.p50Millis=%.0f%n", nanos[(int) Math.floor(0.50 * (sales - 1))] / 1e6);
      System.out.printf("shopify.webhook.p99Millis=%.0f%n", nanos[(int) Math.ceil(0.99 * (sales - 1))] / 1e6);
      System.out.printf("shopify.webhook.maxMillis=%.0f%n", nanos[sales - 1] / 1e6);
      System.out.printf("shopify.webhook.throttled=%d%n", throttled);
    } finally {
      for (ShopifyEmulator shop : shops) {
        shop.close();
      }
    }
  }

  /** Polls a condition every 2 ms (a benchmark, not a test: real time is the point). */
  private static void waitFor(java.util.function.BooleanSupplier done, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(2);
    }
  }
}
