package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.shopify.ShopifyWebhookHandler.Outcome;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9, connector side: configuration that could leak a secret or crash later is refused. */
class ShopifyHardeningTest {
  static final String TOKEN = "shpat_0123456789abcdef";
  static final String SECRET = "whsec_hardening";

  static ShopifyConnector.Builder valid() {
    return ShopifyConnector.builder().shopDomain("acme.myshopify.com").accessToken(TOKEN);
  }

  static InvalidInputException refused(ShopifyConnector.Builder builder) {
    try {
      builder.build().close();
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("build() accepted it");
  }

  @Test
  void clockNull_isRefusedWithATypedErrorNamingTheClock() {
    assertThatThrownBy(() -> valid().clock(null))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("clock"));
  }

  @Test
  void tokenWithANonBreakingSpace_isRefusedWithoutEchoingTheToken() {
    String pasted = "shpat_0123456789\u00a0abcdef";

    InvalidInputException e = refused(valid().accessToken(pasted));

    assertThat(e.field()).isEqualTo("accessToken");
    assertThat(e.getMessage()).doesNotContain("shpat_0123456789").doesNotContain("abcdef");
  }

  @ParameterizedTest
  @ValueSource(strings = {"shpat_a b", "shpat_\u0007", "shpat_\u00e9", "shpat_\r\nX-Evil: 1"})
  void tokenAHeaderCannotCarry_isRefused(String token) {
    assertThat(refused(valid().accessToken(token)).field()).isEqualTo("accessToken");
  }

  @Test
  void redact_stripsTheTokenAndTheWebhookSecretFromAnyText() {
    try (ShopifyConnector connector = valid().webhookSecret(SECRET).build()) {
      String message = "Unexpected char in X-Shopify-Access-Token value: " + TOKEN
          + " (secret " + SECRET + ")";

      assertThat(connector.redact(message))
          .doesNotContain(TOKEN).doesNotContain(SECRET).contains("[redacted]")
          .startsWith("Unexpected char in X-Shopify-Access-Token value: ");
      assertThat(connector.redact(null)).isNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "victim.myshopify.com@attacker:8443",
      "attacker:8443#.myshopify.com",
      "my shop.myshopify.com",
      "https://acme.myshopify.com",
      "acme.myshopify.com/admin",
      "acme.myshopify.com?x=.myshopify.com",
      "acme.myshopify.com:443",
      "acme..myshopify.com",
      "-acme.myshopify.com",
      "acme"})
  void shopDomainThatIsNotABareHost_isRefusedNamingShopDomain(String domain) {
    assertThat(refused(valid().shopDomain(domain)).field()).isEqualTo("shopDomain");
  }

  @Test
  void customDomainInProduction_isRefused_butAllowedWithAnExplicitTestBaseUrl() {
    assertThat(refused(valid().shopDomain("shop.example.com")).field()).isEqualTo("shopDomain");

    try (ShopifyConnector connector = valid().shopDomain("shop.example.com")
        .baseUrl(HttpUrl.get("http://127.0.0.1:1/")).build()) {
      assertThat(connector.storeId().externalId()).isEqualTo("shop.example.com");
    }
  }

  @Test
  void shopDomain_isNormalisedToLowerCase() {
    try (ShopifyConnector connector = valid().shopDomain(" ACME.myshopify.com ").build()) {
      assertThat(connector.storeId().externalId()).isEqualTo("acme.myshopify.com");
    }
  }

  @Test
  void blankWebhookSecret_isRefusedWhenBuilt() {
    assertThat(refused(valid().webhookSecret("")).field()).isEqualTo("webhookSecret");
    assertThat(refused(valid().webhookSecret("  ")).field()).isEqualTo("webhookSecret");
  }

  // ------------------------------------------------------------------ webhook handler

  @Test
  void bodyOverTheCap_isRejectedBeforeAnyHmacWork() {
    List<ChannelEvent> got = new ArrayList<>();
    try (ShopifyConnector connector = valid().webhookSecret(SECRET).build()) {
      ShopifyWebhookHandler handler = connector.webhookHandler((StoreId s, ChannelEvent e) -> got.add(e));
      byte[] body = new byte[ShopifyWebhookHandler.MAX_BODY_BYTES + 1];
      List<String> looked = new ArrayList<>();

      Outcome outcome = handler.handle(name -> {
        looked.add(name);
        return null;
      }, body);

      assertThat(outcome).isEqualTo(Outcome.REJECTED_TOO_LARGE);
      assertThat(looked).as("not even the signature header was read").isEmpty();
      assertThat(got).isEmpty();
    }
  }

  @Test
  void headerLookup_isCaseInsensitive_asShopifyDocumentsXShopifyHmacSha256() {
    List<ChannelEvent> got = new ArrayList<>();
    try (ShopifyConnector connector = valid().webhookSecret(SECRET).build()) {
      ShopifyWebhookHandler handler = connector.webhookHandler((StoreId s, ChannelEvent e) -> got.add(e));
      byte[] body = orderBody(1);
      Map<String, String> lowerCase = new LinkedHashMap<>();
      lowerCase.put("x-shopify-hmac-sha256", hmac(body));
      lowerCase.put("x-shopify-topic", "orders/create");
      lowerCase.put("x-shopify-shop-domain", "acme.myshopify.com");
      lowerCase.put("x-shopify-event-id", "ev-1");

      assertThat(handler.handle(lowerCase, body)).isEqualTo(Outcome.ACCEPTED);
      Map<String, String> upperCase = new LinkedHashMap<>();
      lowerCase.forEach((k, v) -> upperCase.put(k.toUpperCase(Locale.ROOT), v));
      assertThat(handler.handle(upperCase, body)).as("same X-Shopify-Event-Id").isEqualTo(Outcome.DUPLICATE);
      assertThat(got).containsExactly(new ChannelEvent.OrdersChanged());
    }
  }

  @Test
  void capturedOrderDeliveryReplayedAsAppUninstalled_isRejected_andRevokesNothing() throws Exception {
    MockWebServer receiver = new MockWebServer();
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).build();
      }
    });
    receiver.start();
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    List<ChannelEvent> got = new ArrayList<>();
    try (ShopifyEmulator shop = ShopifyEmulator.builder().shopDomain("acme.myshopify.com")
            .accessToken(TOKEN).webhookSecret(SECRET).clock(clock).build().start();
        ShopifyConnector connector = valid().webhookSecret(SECRET).baseUrl(shop.url()).clock(clock)
            .build()) {
      String location = shop.addLocation("Main");
      VariantIds tee = shop.addVariant(shop.addProduct("Tee", ProductStatus.ACTIVE), "TEE", true);
      shop.stock(tee.inventoryItemId(), location, 10);
      shop.webhooksTo(receiver.url("/webhooks"));
      ShopifyWebhookHandler handler = connector.webhookHandler((StoreId s, ChannelEvent e) -> got.add(e));
      shop.sell(tee.variantId(), 1, location);
      RecordedRequest captured = receiver.takeRequest(5, TimeUnit.SECONDS);
      assertThat(captured).isNotNull();
      assertThat(captured.getHeaders().get("X-Shopify-Event-Id")).isNotBlank();
      Map<String, String> replay = new LinkedHashMap<>();
      for (String name : captured.getHeaders().names()) {
        replay.put(name, captured.getHeaders().get(name));
      }
      replay.put("X-Shopify-Topic", "app/uninstalled");
      replay.put("X-Shopify-Webhook-Id", "new-webhook-id");
      replay.put("X-Shopify-Event-Id", "new-event-id");

      assertThat(handler.handle(replay, captured.getBody().toByteArray()))
          .isEqualTo(Outcome.REJECTED_TOPIC_MISMATCH);
      assertThat(got).isEmpty();

      // The genuine uninstall delivery still gets through as a hint for the engine to confirm.
      receiver.takeRequest(5, TimeUnit.SECONDS); // inventory_levels/update of the sale
      shop.uninstallApp();
      RecordedRequest uninstall = receiver.takeRequest(5, TimeUnit.SECONDS);
      assertThat(uninstall).isNotNull();
      assertThat(handler.handle(name -> uninstall.getHeaders().get(name), uninstall.getBody().toByteArray()))
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(got).containsExactly(new ChannelEvent.AccessRevoked());
    } finally {
      receiver.close();
    }
  }

  @Test
  void levelBodyUnderAnOrdersTopic_isRejected() {
    List<ChannelEvent> got = new ArrayList<>();
    try (ShopifyConnector connector = valid().webhookSecret(SECRET).build()) {
      ShopifyWebhookHandler handler = connector.webhookHandler((StoreId s, ChannelEvent e) -> got.add(e));
      byte[] body = ("{\"admin_graphql_api_id\":\"gid://shopify/InventoryLevel/1?inventory_item_id=2\","
          + "\"inventory_item_id\":2,\"location_id\":1,\"available\":3}").getBytes(StandardCharsets.UTF_8);

      assertThat(handler.handle(Map.of("X-Shopify-Hmac-Sha256", hmac(body), "X-Shopify-Topic",
          "orders/create", "X-Shopify-Webhook-Id", "w1"), body)).isEqualTo(Outcome.REJECTED_TOPIC_MISMATCH);
      assertThat(handler.handle(Map.of("X-Shopify-Hmac-Sha256", hmac(body), "X-Shopify-Topic",
          "inventory_levels/update", "X-Shopify-Webhook-Id", "w1"), body))
          .as("rejection did not mark the id seen").isEqualTo(Outcome.ACCEPTED);
      assertThat(got).hasSize(1);
    }
  }

  static byte[] orderBody(long id) {
    return ("{\"id\":" + id + ",\"admin_graphql_api_id\":\"gid://shopify/Order/" + id
        + "\",\"line_items\":[]}").getBytes(StandardCharsets.UTF_8);
  }

  static String hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
