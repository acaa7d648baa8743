package io.stocksync.benchmarks.sim;

import io.stocksync.testkit.internal.NoDelayServerSocketFactory;

import io.stocksync.core.Sku;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.StockSync;
import io.stocksync.shopify.ShopifyConnector;
import io.stocksync.shopify.ShopifyWebhookHandler;
import io.stocksync.core.sync.SyncScheduler;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.RecordedOperation;
import io.stocksync.testkit.shopify.RestockType;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * Shopify through the testkit emulator over real HTTP, with its leaky-bucket throttle (2,000
 * points, 100 per second) and, when asked, its signed webhooks delivered over HTTP to a local
 * receiver that hands them to {@link ShopifyWebhookHandler}.
 */
final class ShopifyDriver implements StoreDriver {
  private static final String DOMAIN = "sim-shop.myshopify.com";
  private static final String TOKEN = "shpat_simulation";
  private static final String SECRET = "whsec_simulation";

  private final ShopifyEmulator shop;
  private final String location;
  private final ShopifyConnector connector;
  private final Map<Sku, VariantIds> variants = new HashMap<>();
  private final Queue<Delivery> inbox = new ConcurrentLinkedQueue<>();
  private @Nullable MockWebServer receiver;
  private @Nullable ShopifyWebhookHandler handler;

  ShopifyDriver(Clock clock, long seed) {
    shop = ShopifyEmulator.builder().shopDomain(DOMAIN).shopName("Sim shop").accessToken(TOKEN)
        .webhookSecret(SECRET).clock(clock).seed(seed).build().start();
    location = shop.addLocation("Warehouse");
    connector = ShopifyConnector.builder().shopDomain(DOMAIN).accessToken(TOKEN)
        .webhookSecret(SECRET).baseUrl(shop.url()).clock(clock).build();
  }

  @Override
  public String name() {
    return "shopify";
  }

  @Override
  public void list(Sku sku, int quantity) {
    VariantIds ids = shop.addVariant(shop.addProduct(sku.value(), ProductStatus.ACTIVE),
        sku.value(), true);
    shop.stock(ids.inventoryItemId(), location, quantity);
    variants.put(sku, ids);
  }

  @Override
  public boolean lists(Sku sku) {
    return variants.containsKey(sku);
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public StockRef ref(Sku sku) {
    return new StockRef(variants.get(sku).inventoryItemId(), location);
  }

  @Override
  public ChannelConnector connector() {
    return connector;
  }

  @Override
  public long shown(Sku sku) {
    return shop.available(variants.get(sku).inventoryItemId(), location);
  }

  @Override
  public String sell(Sku sku, int quantity) {
    return shop.sell(variants.get(sku).variantId(), quantity, location);
  }

  @Override
  public void cancel(String orderId) {
    shop.cancel(orderId, true);
  }

  @Override
  public void fulfil(String orderId) {
    shop.fulfil(orderId);
  }

  @Override
  public void refundReturn(String orderId, int quantity) {
    String line = shop.order(orderId).lineItems().get(0).id();
    shop.refund(orderId, line, quantity, RestockType.RETURN);
  }

  @Override
  public void fault(Fault fault, boolean on) {
    if (!on) {
      shop.clearFaults();
    } else if (fault == Fault.SERVER_ERRORS) {
      shop.failFraction(1.0, io.stocksync.testkit.shopify.Fault.SERVER_ERROR);
    } else {
      shop.failFraction(0.5, io.stocksync.testkit.shopify.Fault.TOO_MANY_REQUESTS);
    }
  }

  @Override
  public void sendNotificationsTo(StockSync hub, SyncScheduler scheduler) {
    handler = connector.webhookHandler(hub::handle);
    MockWebServer server = new MockWebServer();
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    // The receiver only queues a delivery and answers at once, as a production endpoint
    // should; the simulation hands the queue to the handler on its own thread between engine
    // tasks (deliverNotifications). Handling it inside the emulator's synchronous delivery would
    // run before the push's HTTP answer reaches the connector, and StockSync.handle waits for
    // the store's worker, which is waiting for that answer.
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        server.takeRequest(0, TimeUnit.NANOSECONDS); // keep no history
        Map<String, String> headers = new HashMap<>();
        for (String name : request.getHeaders().names()) {
          headers.put(name.toLowerCase(Locale.ROOT), request.getHeaders().get(name));
        }
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        inbox.add(new Delivery(headers, body));
        return new MockResponse.Builder().code(200).build();
      }
    });
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    receiver = server;
    shop.webhooksTo(server.url("/webhooks/shopify"));
  }

  @Override
  public void deliverNotifications() {
    ShopifyWebhookHandler h = handler;
    Delivery d;
    while (h != null && (d = inbox.poll()) != null) {
      Map<String, String> headers = d.headers();
      if (h.handle(name -> headers.get(name.toLowerCase(Locale.ROOT)), d.body())
          == ShopifyWebhookHandler.Outcome.REJECTED_SIGNATURE) {
        throw new IllegalStateException("a webhook failed verification");
      }
    }
  }

  /** A webhook as received: headers by lower-case name, and the raw body. */
  private record Delivery(Map<String, String> headers, byte[] body) {}

  @Override
  public long apiCalls() {
    return shop.requestCount();
  }

  @Override
  public long pushCalls() {
    return shop.requestCount("InventorySet");
  }

  @Override
  public long costPoints() {
    return shop.pointsSpent();
  }

  /** Throttled answers of the leaky bucket (not the injected 429 storms). */
  int throttled() {
    return shop.throttledCount();
  }

  /** Webhooks delivered and failed, for the report. */
  int webhooksDelivered() {
    return shop.webhooksDelivered();
  }

  @Override
  @SuppressWarnings("unchecked")
  public long negativePushes() {
    long negative = 0;
    for (RecordedOperation op : shop.recordedRequests()) {
      if (!"InventorySet".equals(op.operationName())) {
        continue;
      }
      Map<String, Object> input = (Map<String, Object>) op.variables().get("input");
      for (Map<String, Object> q : (List<Map<String, Object>>) input.get("quantities")) {
        if (((Number) q.get("quantity")).longValue() < 0) {
          negative++;
        }
      }
    }
    return negative;
  }

  @Override
  public void close() {
    connector.close();
    shop.close();
    if (receiver != null) {
      receiver.close();
    }
  }
}
