package io.stocksync.shopify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.StockRef;
import io.stocksync.shopify.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies and interprets Shopify webhooks for one shop, framework-free: the host's HTTP endpoint
 * passes the request headers and the <em>raw</em> body bytes, answers 401 for {@link
 * Outcome#REJECTED_SIGNATURE} and 200 otherwise.
 *
 * <pre>{@code
 * ShopifyWebhookHandler webhooks = connector.webhookHandler(hub::handle);
 * Outcome outcome = webhooks.handle(request::getHeader, rawBody);
 * }</pre>
 *
 * <p>The HMAC is compared in constant time; deliveries are deduplicated on {@code
 * X-Shopify-Webhook-Id} in a bounded cache (Shopify delivers at least once); the echo of our own
 * push is recognised and dropped. Webhooks only make the engine look sooner; polling stays the
 * source of truth, so a lost webhook loses nothing. Thread-safe.
 */
public final class ShopifyWebhookHandler {
  private static final Logger log = LoggerFactory.getLogger(ShopifyWebhookHandler.class);

  /** Receives the engine trigger a webhook maps to; usually {@code stockSync::handle}. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Receives a trigger.
     *
     * @param store the shop
     * @param event what to do
     */
    void accept(StoreId store, ChannelEvent event);
  }

  /** What became of one delivery. */
  public enum Outcome {
    /** Verified and handed to the sink. */
    ACCEPTED,
    /** The signature is missing or wrong; answer 401. Nothing happened. */
    REJECTED_SIGNATURE,
    /** Signed for another shop; nothing happened. */
    OTHER_SHOP,
    /** Already handled under the same webhook id; nothing happened. */
    DUPLICATE,
    /** The echo of our own push; nothing happened. */
    ECHO,
    /** A topic we do not act on, or a body we cannot read; nothing happened. */
    IGNORED
  }

  private final ShopifyConnector connector;
  private final byte[] secret;
  private final Sink sink;
  private final Cache<String, Boolean> seen =
      Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofHours(48)).build();
  private final JsonAdapter<Object> json = new Moshi.Builder().build().adapter(Object.class);

  ShopifyWebhookHandler(ShopifyConnector connector, String secret, Sink sink) {
    this.connector = connector;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.sink = sink;
  }

  /**
   * Handles one delivery.
   *
   * @param header looks up a request header by name (case-insensitive lookup is the caller's)
   * @param rawBody the request body exactly as received
   * @return what happened
   */
  public Outcome handle(Function<String, @Nullable String> header, byte[] rawBody) {
    String signature = header.apply("X-Shopify-Hmac-SHA256");
    if (signature == null || !validSignature(signature, rawBody)) {
      log.warn("{} webhook rejected: bad or missing signature", connector.storeId());
      return Outcome.REJECTED_SIGNATURE;
    }
    String shop = header.apply("X-Shopify-Shop-Domain");
    if (shop != null && !shop.equalsIgnoreCase(connector.storeId().externalId())) {
      return Outcome.OTHER_SHOP;
    }
    String id = header.apply("X-Shopify-Webhook-Id");
    if (id != null && seen.asMap().putIfAbsent(id, Boolean.TRUE) != null) {
      return Outcome.DUPLICATE;
    }
    String topic = String.valueOf(header.apply("X-Shopify-Topic"));
    ChannelEvent event;
    try {
      event = interpret(topic, rawBody);
    } catch (RuntimeException | IOException e) {
      log.warn("{} webhook {} unreadable: {}", connector.storeId(), topic, e.toString());
      return Outcome.IGNORED;
    }
    if (event == null) {
      return topic.equals("inventory_levels/update") ? Outcome.ECHO : Outcome.IGNORED;
    }
    try {
      sink.accept(connector.storeId(), event);
    } catch (RuntimeException e) {
      // Not handled, so not seen: Shopify's retry of this delivery must get through.
      if (id != null) {
        seen.invalidate(id);
      }
      throw e;
    }
    return Outcome.ACCEPTED;
  }

  private @Nullable ChannelEvent interpret(String topic, byte[] rawBody) throws IOException {
    if (topic.startsWith("orders/") || topic.equals("refunds/create")) {
      return new ChannelEvent.OrdersChanged();
    }
    if (topic.startsWith("products/")) {
      return new ChannelEvent.ListingsChanged();
    }
    if (topic.equals("app/uninstalled")) {
      return new ChannelEvent.AccessRevoked();
    }
    if (topic.equals("inventory_levels/update")) {
      Map<String, Object> body = Json.asObj(
          json.fromJson(new String(rawBody, StandardCharsets.UTF_8)), "body");
      String item = String.valueOf(Json.num(body, "inventory_item_id"));
      String location = String.valueOf(Json.num(body, "location_id"));
      long available = Json.num(body, "available");
      if (connector.isEchoOfOwnPush(item, location, available)) {
        return null;
      }
      return new ChannelEvent.StockChanged(new StockRef("gid://shopify/InventoryItem/" + item,
          "gid://shopify/Location/" + location), available);
    }
    throw new IOException("topic " + topic + " is not handled");
  }

  private boolean validSignature(String signature, byte[] body) {
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      expected = mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, given);
  }

  /** Names the shop; never the secret. */
  @Override
  public String toString() {
    return "ShopifyWebhookHandler{shop=" + connector.storeId().externalId() + "}";
  }
}
