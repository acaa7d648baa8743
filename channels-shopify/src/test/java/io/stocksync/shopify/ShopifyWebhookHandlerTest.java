package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.StockRef;
import io.stocksync.shopify.ShopifyWebhookHandler.Outcome;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
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

/** Webhooks sent by the emulator over real HTTP, verified and interpreted by the handler. */
class ShopifyWebhookHandlerTest {
  static final String SECRET = "whsec_client_secret";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final MockWebServer receiver = new MockWebServer();
  final List<ChannelEvent> triggered = new ArrayList<>();
  ShopifyEmulator shop;
  ShopifyConnector connector;
  ShopifyWebhookHandler handler;
  String location;
  VariantIds tee;

  @BeforeEach
  void setUp() throws Exception {
    // Answer every delivery at once; an empty queue would leave the sender waiting.
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).build();
      }
    });
    receiver.start();
    shop = ShopifyEmulator.builder().shopDomain("hooks.myshopify.com").accessToken("t")
        .webhookSecret(SECRET).clock(clock).build().start();
    location = shop.addLocation("Main");
    tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
    shop.stock(tee.inventoryItemId(), location, 10);
    shop.webhooksTo(receiver.url("/webhooks"));
    connector = ShopifyConnector.builder().shopDomain("hooks.myshopify.com").accessToken("t")
        .webhookSecret(SECRET).baseUrl(shop.url()).clock(clock).build();
    handler = connector.webhookHandler((StoreId store, ChannelEvent event) -> triggered.add(event));
  }

  @AfterEach
  void tearDown() throws Exception {
    connector.close();
    shop.close();
    receiver.close();
  }

  RecordedRequest next() throws InterruptedException {
    RecordedRequest r = receiver.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a webhook delivery").isNotNull();
    return r;
  }

  Outcome deliver(RecordedRequest r) {
    return handler.handle(name -> r.getHeaders().get(name), r.getBody().toByteArray());
  }

  @Test
  void orderWebhook_isVerifiedAndTriggersAnOrderSync() throws Exception {
    shop.sell(tee.variantId(), 1, location);

    RecordedRequest created = next();
    assertThat(created.getHeaders().get("X-Shopify-Topic")).isEqualTo("orders/create");
    assertThat(deliver(created)).isEqualTo(Outcome.ACCEPTED);
    assertThat(triggered).containsExactly(new ChannelEvent.OrdersChanged());
  }

  @Test
  void badSignature_isRejected_andTriggersNothing() throws Exception {
    shop.sell(tee.variantId(), 1, location);
    RecordedRequest r = next();
    byte[] tampered = r.getBody().toByteArray();
    tampered[tampered.length / 2] ^= 1;

    assertThat(handler.handle(name -> r.getHeaders().get(name), tampered))
        .isEqualTo(Outcome.REJECTED_SIGNATURE);
    assertThat(handler.handle(name -> name.equalsIgnoreCase("X-Shopify-Hmac-Sha256") ? "bm9wZQ==" : r.getHeaders().get(name),
        r.getBody().toByteArray())).isEqualTo(Outcome.REJECTED_SIGNATURE);
    assertThat(triggered).isEmpty();
  }

  @Test
  void sameDeliveryTwice_isAppliedOnce() throws Exception {
    shop.duplicateWebhooks(true);
    shop.sell(tee.variantId(), 1, location);

    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // orders/create and inventory_levels/update, each twice
      outcomes.add(deliver(next()));
    }

    assertThat(outcomes).containsExactly(Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.ACCEPTED,
        Outcome.DUPLICATE);
    assertThat(triggered).hasSize(2);
  }

  @Test
  void echoOfOurOwnPush_triggersNothing_butAStoreSideChangeDoes() throws Exception {
    connector.push(List.of(new PushItem(new StockRef(tee.inventoryItemId(), location), 7, 10L, "k")));
    RecordedRequest echo = next();
    assertThat(echo.getHeaders().get("X-Shopify-Topic")).isEqualTo("inventory_levels/update");
    assertThat(deliver(echo)).isEqualTo(Outcome.ECHO);
    assertThat(triggered).isEmpty();

    shop.stock(tee.inventoryItemId(), location, 5); // someone edits stock in the Shopify admin
    assertThat(deliver(next())).isEqualTo(Outcome.ACCEPTED);
    assertThat(triggered).containsExactly(new ChannelEvent.StockChanged(
        new StockRef(tee.inventoryItemId(), location), 5));
  }

  @Test
  void uninstall_revokesAccess() throws Exception {
    shop.uninstallApp();

    assertThat(deliver(next())).isEqualTo(Outcome.ACCEPTED);
    assertThat(triggered).containsExactly(new ChannelEvent.AccessRevoked());
    assertThat(handler.toString()).doesNotContain(SECRET);
  }
}
