package io.stocksync.shopify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * <p>Header names are looked up case-insensitively (Shopify's documentation spells {@code
 * X-Shopify-Hmac-Sha256}, some proxies lower-case every name): pass a case-insensitive lookup to
 * {@link #handle(Function, byte[])}, or the headers as a map to {@link #handle(Map, byte[])}.
 * Bodies over {@link #MAX_BODY_BYTES} are rejected before any HMAC work; cap the body at the
 * host's HTTP layer too, so a large body is never read into memory. The HMAC is compared in
 * constant time; deliveries are deduplicated on {@code X-Shopify-Event-Id} (or {@code
 * X-Shopify-Webhook-Id} when absent) in a bounded cache (Shopify delivers at least once); the echo
 * of our own push is recognised and dropped.
 *
 * <p>Shopify signs the body only, not the {@code X-Shopify-Topic} header, so the topic is checked
 * against the body: an {@code orders/*} topic needs an order body, {@code app/uninstalled} a body
 * naming this shop, and so on; a delivery whose body does not fit its topic is {@link
 * Outcome#REJECTED_TOPIC_MISMATCH}. An {@code app/uninstalled} delivery is passed on as {@link
 * ChannelEvent.AccessRevoked}, a hint the engine is expected to confirm with Shopify before it
 * marks the store. Webhooks only make the engine look sooner; polling stays the source of truth,
 * so a lost webhook loses nothing. Thread-safe.
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
    IGNORED,
    /** Signed, but the body does not fit the {@code X-Shopify-Topic} header; answer 400. */
    REJECTED_TOPIC_MISMATCH,
    /** The body is larger than {@link #MAX_BODY_BYTES}; answer 413. Nothing was verified. */
    REJECTED_TOO_LARGE
  }

  /**
   * The largest body accepted, 1 MiB. Shopify's payloads are small (an order with a few hundred
   * lines is well under this); a larger body is refused before the HMAC is computed.
   */
  public static final int MAX_BODY_BYTES = 1 << 20;

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
   * Handles one delivery, looking headers up in a map whose names may be in any case.
   *
   * @param headers the request headers by name
   * @param rawBody the request body exactly as received
   * @return what happened
   */
  public Outcome handle(Map<String, String> headers, byte[] rawBody) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    return handle(byName::get, rawBody);
  }

  /**
   * Handles one delivery.
   *
   * @param header looks up a request header by name; must be case-insensitive, as HTTP header
   *     names are (Servlet's {@code getHeader}, OkHttp's {@code Headers.get} are)
   * @param rawBody the request body exactly as received
   * @return what happened
   */
  public Outcome handle(Function<String, @Nullable String> header, byte[] rawBody) {
    if (rawBody.length > MAX_BODY_BYTES) {
      log.warn("{} webhook rejected: body of {} bytes over the {} cap", connector.storeId(),
          rawBody.length, MAX_BODY_BYTES);
      return Outcome.REJECTED_TOO_LARGE;
    }
    String signature = header.apply("X-Shopify-Hmac-Sha256");
    if (signature == null || !validSignature(signature, rawBody)) {
      log.warn("{} webhook rejected: bad or missing signature", connector.storeId());
      return Outcome.REJECTED_SIGNATURE;
    }
    String shop = header.apply("X-Shopify-Shop-Domain");
    if (shop != null && !shop.equalsIgnoreCase(connector.storeId().externalId())) {
      return Outcome.OTHER_SHOP;
    }
    String topic = String.valueOf(header.apply("X-Shopify-Topic"));
    Map<String, Object> body;
    try {
      body = Json.asObj(json.fromJson(new String(rawBody, StandardCharsets.UTF_8)), "body");
    } catch (RuntimeException | IOException e) {
      log.warn("{} webhook {} unreadable: {}", connector.storeId(), topic, e.getClass().getSimpleName());
      return Outcome.IGNORED;
    }
    if (!fits(topic, body)) {
      log.warn("{} webhook rejected: the body does not fit topic {}", connector.storeId(), topic);
      return Outcome.REJECTED_TOPIC_MISMATCH;
    }
    String eventId = header.apply("X-Shopify-Event-Id");
    String id = eventId != null ? eventId : header.apply("X-Shopify-Webhook-Id");
    if (id != null && seen.asMap().putIfAbsent(id, Boolean.TRUE) != null) {
      return Outcome.DUPLICATE;
    }
    ChannelEvent event;
    try {
      event = interpret(topic, body);
    } catch (RuntimeException | IOException e) {
      log.warn("{} webhook {} unreadable: {}", connector.storeId(), topic, e.getClass().getSimpleName());
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

  /**
   * Whether the signed body has the shape of the topic's payload. The topic header is not
   * signed, so a captured body replayed under another topic must not act as that topic.
   */
  private boolean fits(String topic, Map<String, Object> body) {
    Object gid = body.get("admin_graphql_api_id");
    String apiId = gid instanceof String g ? g : "";
    if (topic.startsWith("orders/")) {
      return apiId.startsWith("gid://shopify/Order/") && body.get("line_items") instanceof List<?>;
    }
    if (topic.equals("refunds/create")) {
      return apiId.startsWith("gid://shopify/Refund/") && body.get("order_id") instanceof Number
          && body.get("refund_line_items") instanceof List<?>;
    }
    if (topic.startsWith("products/")) {
      return apiId.startsWith("gid://shopify/Product/");
    }
    if (topic.equals("inventory_levels/update")) {
      return apiId.startsWith("gid://shopify/InventoryLevel/")
          && body.get("inventory_item_id") instanceof Number
          && body.get("location_id") instanceof Number;
    }
    if (topic.equals("app/uninstalled")) {
      // The shop resource: names this shop, and is no order, product or level.
      Object domain = body.get("myshopify_domain");
      return apiId.isEmpty() && !body.containsKey("line_items") && domain instanceof String d
          && d.equalsIgnoreCase(connector.storeId().externalId());
    }
    return true; // other topics are ignored anyway
  }

  private @Nullable ChannelEvent interpret(String topic, Map<String, Object> body)
      throws IOException {
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
