package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.shopify.ShopifyWebhookHandler.Outcome;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook fast path end to end: a sale on one Shopify shop, delivered as {@code orders/create}
 * and verified by the handler, reaches two other shops within one push debounce, long before the
 * next order poll (10 minutes by default).
 */
class ShopifyWebhookFastPathTest {
  static final String SECRET = "whsec_fast";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final MockWebServer receiver = new MockWebServer();
  final List<ShopifyEmulator> shops = new ArrayList<>();
  final List<String> locations = new ArrayList<>();
  final List<VariantIds> tees = new ArrayList<>();
  StockSync hub;
  ShopifyWebhookHandler handler;

  @BeforeEach
  void setUp() throws Exception {
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).build();
      }
    });
    receiver.start();
    hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    for (String name : List.of("a", "b", "c")) {
      ShopifyEmulator shop = ShopifyEmulator.builder().shopDomain(name + ".myshopify.com")
          .accessToken("t-" + name).webhookSecret(SECRET).clock(clock).build().start();
      String location = shop.addLocation("Main");
      VariantIds tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
      shop.stock(tee.inventoryItemId(), location, 10);
      ShopifyConnector connector = ShopifyConnector.builder().shopDomain(name + ".myshopify.com")
          .accessToken("t-" + name).webhookSecret(SECRET).baseUrl(shop.url()).clock(clock).build();
      StoreId id = hub.connect(connector, StoreOptions.DEFAULT).store();
      scheduler.advance(Duration.ofSeconds(30));
      hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder().copyInventory(name.equals("a"))
          .location(location, LocationChoice.existing("main")).build()));
      scheduler.advance(Duration.ofSeconds(30));
      if (name.equals("a")) {
        handler = connector.webhookHandler(hub::handle);
        shop.webhooksTo(receiver.url("/webhooks"));
      }
      shops.add(shop);
      locations.add(location);
      tees.add(tee);
    }
    scheduler.advance(Duration.ofMinutes(1));
  }

  @AfterEach
  void tearDown() throws Exception {
    hub.close();
    for (ShopifyEmulator shop : shops) {
      shop.close();
    }
    receiver.close();
  }

  @Test
  void saleDeliveredByWebhook_reachesTheOtherShopsWithinOneDebounce() throws Exception {
    assertThat(shops.get(1).available(tees.get(1).inventoryItemId(), locations.get(1))).isEqualTo(10);

    shops.get(0).sell(tees.get(0).variantId(), 3, locations.get(0));
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 2; i++) { // orders/create and inventory_levels/update
      RecordedRequest delivery = receiver.takeRequest(5, TimeUnit.SECONDS);
      assertThat(delivery).isNotNull();
      outcomes.add(handler.handle(name -> delivery.getHeaders().get(name), delivery.getBody().toByteArray()));
    }
    Instant sold = clock.instant();
    Duration step = Duration.ofMillis(100);
    while (clock.instant().isBefore(sold.plus(Duration.ofMinutes(1)))
        && (shops.get(1).available(tees.get(1).inventoryItemId(), locations.get(1)) != 7
            || shops.get(2).available(tees.get(2).inventoryItemId(), locations.get(2)) != 7)) {
      scheduler.advance(step);
    }
    Duration took = Duration.between(sold, clock.instant());

    assertThat(outcomes).contains(Outcome.ACCEPTED);
    assertThat(shops.get(1).available(tees.get(1).inventoryItemId(), locations.get(1))).isEqualTo(7);
    assertThat(shops.get(2).available(tees.get(2).inventoryItemId(), locations.get(2))).isEqualTo(7);
    assertThat(took).as("one debounce (1 s) and a little, not the 10-minute poll")
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(shops).allSatisfy(s -> assertThat(s.throttledCount()).isZero());
  }
}
