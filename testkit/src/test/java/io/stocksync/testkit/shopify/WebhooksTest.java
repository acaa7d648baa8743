package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.quantity;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhooksTest {
  private static final String SECRET = "whsec_test";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final MockWebServer receiver = new MockWebServer();
  private ShopifyEmulator shop;
  private String location;
  private VariantIds shirt;

  @BeforeEach
  void setUp() throws Exception {
    receiver.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).build();
          }
        });
    receiver.start();
    shop =
        ShopifyEmulator.builder()
            .clock(clock)
            .shopDomain("hooks.myshopify.com")
            .webhookSecret(SECRET)
            .build()
            .start();
    location = shop.addLocation("Main");
    shirt = shop.addVariant(shop.addProduct("Shirt", ProductStatus.ACTIVE), "SHIRT-1", true);
    shop.stock(shirt.inventoryItemId(), location, 10);
    shop.webhooksTo(receiver.url("/webhooks"));
  }

  @AfterEach
  void tearDown() {
    shop.close();
    receiver.close();
  }

  @Test
  void sell_deliversOrdersCreateAndInventoryLevelsUpdateWithValidHmacAndHeaders()
      throws Exception {
    String orderId = shop.sell(shirt.variantId(), 2, null);

    RecordedRequest created = take();
    RecordedRequest level = take();

    assertThat(created.getHeaders().get("X-Shopify-Topic")).isEqualTo("orders/create");
    assertValidSignature(created);
    assertThat(created.getHeaders().get("X-Shopify-Shop-Domain")).isEqualTo("hooks.myshopify.com");
    assertThat(created.getHeaders().get("X-Shopify-API-Version"))
        .isEqualTo(ShopifyEmulator.API_VERSION);
    assertThat(created.getHeaders().get("X-Shopify-Triggered-At"))
        .isEqualTo("2026-03-01T10:00:00Z");
    assertThat(created.getHeaders().get("X-Shopify-Webhook-Id")).isNotBlank();
    assertThat(created.getHeaders().get("Content-Type")).startsWith("application/json");
    Map<?, ?> order = json(created);
    assertThat(order.get("admin_graphql_api_id")).isEqualTo(orderId);
    assertThat(((Number) order.get("id")).longValue())
        .isEqualTo(Long.parseLong(orderId.substring(orderId.lastIndexOf('/') + 1)));
    assertThat(order.get("cancelled_at")).isNull();
    Map<?, ?> lineItem = (Map<?, ?>) ((List<?>) order.get("line_items")).get(0);
    assertThat(lineItem.get("sku")).isEqualTo("SHIRT-1");
    assertThat(lineItem.get("quantity")).isEqualTo(2.0);

    assertThat(level.getHeaders().get("X-Shopify-Topic")).isEqualTo("inventory_levels/update");
    assertValidSignature(level);
    Map<?, ?> payload = json(level);
    assertThat(payload.get("available")).isEqualTo(8.0);
    assertThat(numericId(shirt.inventoryItemId()))
        .isEqualTo(((Number) payload.get("inventory_item_id")).longValue());
    assertThat(numericId(location)).isEqualTo(((Number) payload.get("location_id")).longValue());
    assertThat(shop.webhooksDelivered()).isEqualTo(2);
  }

  @Test
  void inventorySet_producesAnInventoryLevelsUpdateEchoBeforeItAnswers() throws Exception {
    GraphQlTestClient client = new GraphQlTestClient(shop);

    client.set("echo-1", List.of(quantity(shirt.inventoryItemId(), location, 4, 10)));

    RecordedRequest echo = receiver.takeRequest(0, TimeUnit.SECONDS);
    assertThat(echo).isNotNull();
    assertThat(echo.getHeaders().get("X-Shopify-Topic")).isEqualTo("inventory_levels/update");
    assertValidSignature(echo);
    assertThat(json(echo).get("available")).isEqualTo(4.0);
  }

  @Test
  void duplicateWebhooks_sendsEachDeliveryTwiceWithTheSameWebhookId() throws Exception {
    shop.duplicateWebhooks(true);

    shop.stock(shirt.inventoryItemId(), location, 3);

    RecordedRequest first = take();
    RecordedRequest second = take();
    assertThat(second.getHeaders().get("X-Shopify-Webhook-Id"))
        .isEqualTo(first.getHeaders().get("X-Shopify-Webhook-Id"));
    assertThat(second.getBody()).isEqualTo(first.getBody());
  }

  @Test
  void holdAndReleaseReversed_deliversLaterAndOutOfOrder() throws Exception {
    shop.holdWebhooks();
    String orderId = shop.sell(shirt.variantId(), 1, null);
    shop.cancel(orderId, true);
    assertThat(receiver.takeRequest(0, TimeUnit.SECONDS)).isNull();

    int released = shop.releaseWebhooks(true);

    List<String> topics = new ArrayList<>();
    for (int i = 0; i < released; i++) {
      topics.add(take().getHeaders().get("X-Shopify-Topic"));
    }
    assertThat(topics)
        .containsExactly(
            "inventory_levels/update",
            "orders/updated",
            "orders/cancelled",
            "inventory_levels/update",
            "orders/create");
  }

  @Test
  void refund_deliversRefundsCreateWithLineItemAndRestockType() throws Exception {
    String orderId = shop.sell(shirt.variantId(), 2, null);
    String lineId = shop.order(orderId).lineItems().get(0).id();
    take();
    take();

    shop.refund(orderId, lineId, 1, RestockType.CANCEL);

    RecordedRequest refund = take();
    assertThat(refund.getHeaders().get("X-Shopify-Topic")).isEqualTo("refunds/create");
    Map<?, ?> payload = json(refund);
    assertThat(((Number) payload.get("order_id")).longValue()).isEqualTo(numericId(orderId));
    Map<?, ?> line = (Map<?, ?>) ((List<?>) payload.get("refund_line_items")).get(0);
    assertThat(((Number) line.get("line_item_id")).longValue()).isEqualTo(numericId(lineId));
    assertThat(line.get("restock_type")).isEqualTo("cancel");
    assertThat(line.get("quantity")).isEqualTo(1.0);
  }

  @Test
  void setProductStatus_deliversProductsUpdateWithLowerCaseStatusAndVariants() throws Exception {
    String product = shop.addProduct("Mug", ProductStatus.ACTIVE);
    shop.addVariant(product, "MUG-1", true);
    take();

    shop.setProductStatus(product, ProductStatus.ARCHIVED);

    RecordedRequest update = take();
    assertThat(update.getHeaders().get("X-Shopify-Topic")).isEqualTo("products/update");
    Map<?, ?> payload = json(update);
    assertThat(payload.get("status")).isEqualTo("archived");
    assertThat(payload.get("admin_graphql_api_id")).isEqualTo(product);
    Map<?, ?> variant = (Map<?, ?>) ((List<?>) payload.get("variants")).get(0);
    assertThat(variant.get("sku")).isEqualTo("MUG-1");
  }

  @Test
  void uninstallApp_revokesTheTokenAndDeliversAppUninstalled() throws Exception {
    shop.uninstallApp();

    RecordedRequest uninstalled = take();
    assertThat(uninstalled.getHeaders().get("X-Shopify-Topic")).isEqualTo("app/uninstalled");
    assertThat(json(uninstalled).get("domain")).isEqualTo("hooks.myshopify.com");
    assertThat(new GraphQlTestClient(shop).post("Shop", Map.of()).status()).isEqualTo(401);
  }

  @Test
  void withoutAWebhookSecret_nothingIsSent() throws Exception {
    try (ShopifyEmulator unsigned = ShopifyEmulator.builder().clock(clock).build().start()) {
      unsigned.webhooksTo(receiver.url("/webhooks"));
      String loc = unsigned.addLocation("L");
      VariantIds v = unsigned.addVariant(unsigned.addProduct("P", ProductStatus.ACTIVE), "P", true);

      unsigned.stock(v.inventoryItemId(), loc, 1);

      assertThat(receiver.takeRequest(0, TimeUnit.SECONDS)).isNull();
      assertThat(unsigned.webhooksDelivered()).isZero();
    }
  }

  private RecordedRequest take() throws InterruptedException {
    // Deliveries are synchronous, so they have arrived by the time the emulator call returned.
    RecordedRequest request = receiver.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a webhook delivery").isNotNull();
    return request;
  }

  private static void assertValidSignature(RecordedRequest request) throws Exception {
    ByteString body = request.getBody();
    assertThat(body).isNotNull();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal(body.toByteArray());
    byte[] presented =
        Base64.getDecoder().decode(request.getHeaders().get("X-Shopify-Hmac-SHA256"));
    assertThat(MessageDigest.isEqual(expected, presented)).as("HMAC matches").isTrue();
  }

  private static Map<?, ?> json(RecordedRequest request) throws Exception {
    ByteString body = request.getBody();
    assertThat(body).isNotNull();
    Object parsed = GraphQlTestClient.ADAPTER.fromJson(body.utf8());
    assertThat(parsed).isInstanceOf(Map.class);
    return (Map<?, ?>) parsed;
  }

  private static long numericId(String gid) {
    return Long.parseLong(gid.substring(gid.lastIndexOf('/') + 1));
  }
}
