package io.stocksync.ebay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.stocksync.core.StoreId;
import io.stocksync.core.StockSyncException;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies and interprets eBay Notification API messages for one seller, framework-free: the
 * host's HTTP endpoint passes the request headers and the <em>raw</em> body, answers 412 for
 * {@link Outcome#REJECTED_SIGNATURE} (as eBay's SDKs do) and 204 otherwise.
 *
 * <pre>{@code
 * EbayNotificationHandler notifications = connector.notificationHandler(hub::handle);
 * Outcome outcome = notifications.handle(request::getHeader, rawBody);
 * }</pre>
 *
 * <p>Verification: {@code X-EBAY-SIGNATURE} is the base64 of a JSON object {@code {"alg", "kid",
 * "signature", "digest"}}; the public key for {@code kid} comes from the Notification API's
 * getPublicKey (https://developer.ebay.com/api-docs/commerce/notification/resources/public_key/methods/getPublicKey,
 * cached for an hour as that page recommends), and {@code signature} (base64, DER) must verify
 * over the raw body with ECDSA and the stated digest (SHA-1 today). Messages are deduplicated on
 * {@code notificationId} (eBay retries deliveries). Topic {@code ORDER_CONFIRMATION} (one message
 * per line item) triggers an order sync; other topics are ignored. Cancellations and refunds have
 * no topic, so the engine's polling stays the source of truth. Thread-safe.
 */
public final class EbayNotificationHandler {
  private static final Logger log = LoggerFactory.getLogger(EbayNotificationHandler.class);
  private static final int MAX_BODY = 256 * 1024;

  /** Receives the engine trigger a notification maps to; usually {@code stockSync::handle}. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Receives a trigger.
     *
     * @param store the seller's store
     * @param event what to do
     */
    void accept(StoreId store, ChannelEvent event);
  }

  /** What became of one delivery. */
  public enum Outcome {
    /** Verified and handed to the sink. */
    ACCEPTED,
    /** The signature is missing, malformed or wrong, or the body too large; nothing happened. */
    REJECTED_SIGNATURE,
    /** Already handled under the same notification id; nothing happened. */
    DUPLICATE,
    /** Verified, but a topic we do not act on or for another seller; nothing happened. */
    IGNORED
  }

  private final EbayConnector connector;
  private final Sink sink;
  private final Cache<String, PublicKey> keys;
  private final Cache<String, Boolean> seen;
  private final JsonAdapter<Object> json = new Moshi.Builder().build().adapter(Object.class);

  EbayNotificationHandler(EbayConnector connector, Sink sink, Clock clock) {
    this.connector = connector;
    this.sink = sink;
    this.keys = Caffeine.newBuilder().maximumSize(100).expireAfterWrite(Duration.ofHours(1))
        .ticker(() -> clock.millis() * 1_000_000L).build();
    this.seen = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofHours(48))
        .ticker(() -> clock.millis() * 1_000_000L).build();
  }

  /**
   * Handles one delivery.
   *
   * @param header looks up a request header by name (case-insensitive lookup is the caller's)
   * @param rawBody the request body exactly as received
   * @return what happened
   * @throws io.stocksync.core.RetryLaterException if the public key cannot be fetched now (answer
   *     5xx so eBay delivers again)
   */
  public Outcome handle(Function<String, @Nullable String> header, byte[] rawBody) {
    String signature = header.apply("X-EBAY-SIGNATURE");
    if (signature == null || rawBody.length > MAX_BODY || !verified(signature, rawBody)) {
      log.warn("{} notification rejected: bad or missing signature", connector.storeId());
      return Outcome.REJECTED_SIGNATURE;
    }
    Map<String, Object> body;
    try {
      body = Json.asObj(json.fromJson(new String(rawBody, StandardCharsets.UTF_8)), "body");
    } catch (IOException | RuntimeException e) {
      return Outcome.IGNORED;
    }
    Map<String, Object> metadata = Json.optObj(body, "metadata");
    Map<String, Object> notification = Json.optObj(body, "notification");
    String topic = metadata == null ? null : Json.optStr(metadata, "topic");
    if (notification == null || !"ORDER_CONFIRMATION".equals(topic)) {
      return Outcome.IGNORED;
    }
    Map<String, Object> data = Json.optObj(notification, "data");
    String seller = data == null ? null : Json.optStr(data, "sellerId");
    String mine = connector.storeId().externalId();
    if (seller != null && !mine.toLowerCase(Locale.ROOT).startsWith(seller.toLowerCase(Locale.ROOT) + "/")) {
      return Outcome.IGNORED;
    }
    String id = Json.optStr(notification, "notificationId");
    if (id != null && seen.asMap().putIfAbsent(id, Boolean.TRUE) != null) {
      return Outcome.DUPLICATE;
    }
    try {
      String orderId = data == null ? null : Json.optStr(data, "orderId");
      // The order is read alone when named; a missing or odd id still makes orders sync sooner.
      sink.accept(connector.storeId(), orderId == null || orderId.isBlank()
          || orderId.length() > ChannelEvent.OrderChanged.MAX_ID_LENGTH
          ? new ChannelEvent.OrdersChanged() : new ChannelEvent.OrderChanged(orderId));
    } catch (RuntimeException e) {
      if (id != null) {
        seen.invalidate(id); // not handled: eBay's retry of this message must get through
      }
      throw e;
    }
    return Outcome.ACCEPTED;
  }

  private boolean verified(String headerValue, byte[] body) {
    Map<String, Object> header;
    byte[] signature;
    try {
      String decoded = new String(Base64.getDecoder().decode(headerValue.trim()), StandardCharsets.UTF_8);
      header = Json.asObj(json.fromJson(decoded), "X-EBAY-SIGNATURE");
      signature = Base64.getDecoder().decode(Json.str(header, "signature"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
    String alg = String.valueOf(Json.optStr(header, "alg")).toUpperCase(Locale.ROOT);
    String digest = String.valueOf(Json.optStr(header, "digest")).toUpperCase(Locale.ROOT).replace("-", "");
    String kid = Json.optStr(header, "kid");
    if (kid == null || !alg.equals("ECDSA") || !(digest.equals("SHA1") || digest.equals("SHA256"))) {
      return false;
    }
    PublicKey key;
    try {
      key = keys.get(kid, this::fetch);
    } catch (StockSyncException e) {
      if (e instanceof io.stocksync.core.RetryLaterException) {
        throw e;
      }
      return false;
    }
    if (key == null) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(digest + "withECDSA");
      verifier.initVerify(key);
      verifier.update(body);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private @Nullable PublicKey fetch(String kid) {
    Map<String, Object> answer = connector.publicKey(kid);
    String pem = Json.optStr(answer, "key");
    if (pem == null) {
      return null;
    }
    String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "")
        .replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      log.warn("{} notification key {} unreadable", connector.storeId(), kid);
      return null;
    }
  }

  /** Names the seller. */
  @Override
  public String toString() {
    return "EbayNotificationHandler{store=" + connector.storeId().externalId() + "}";
  }
}
