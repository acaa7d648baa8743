package io.stocksync.etsy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
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
 * Verifies and interprets Etsy webhooks for one shop, framework-free: the host's HTTP endpoint
 * passes the request headers and the <em>raw</em> body bytes, answers 401 for {@link
 * Outcome#REJECTED_SIGNATURE} and {@link Outcome#STALE}, 413 for {@link Outcome#TOO_LARGE}, and
 * 200 otherwise.
 *
 * <pre>{@code
 * EtsyWebhookHandler webhooks = connector.webhookHandler(secret, clock, hub::handle);
 * Outcome outcome = webhooks.handle(request::getHeader, rawBody);
 * }</pre>
 *
 * <p>Etsy signs with Standard Webhooks: HMAC-SHA256, keyed with the base64-decoded secret
 * (without {@code whsec_}), over {@code webhook-id + "." + webhook-timestamp + "." + body};
 * {@code webhook-signature} holds one or more space-separated {@code v1,<base64>} entries, any of
 * which may match. Signatures are compared in constant time; a timestamp more than five minutes
 * from the clock is refused (replays); deliveries are deduplicated on {@code webhook-id}, which
 * Etsy keeps across its retries. A verified order event ({@code order.paid}, {@code
 * order.canceled}, {@code order.shipped}, {@code order.delivered}) triggers the shop's order
 * sync; listing and inventory events trigger a listing sync. The payload is thin ({@code
 * event_type}, {@code resource_url}, {@code shop_id}) and polling stays the source of truth, so a
 * lost webhook loses nothing. Thread-safe.
 */
public final class EtsyWebhookHandler {
  private static final Logger log = LoggerFactory.getLogger(EtsyWebhookHandler.class);
  /** The largest body accepted; Etsy's payloads are a few hundred bytes. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** How far a delivery's timestamp may be from the clock. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

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
    /** The signature or its headers are missing or wrong; answer 401. Nothing happened. */
    REJECTED_SIGNATURE,
    /** Signed, but the timestamp is too old or too far ahead (a replay); nothing happened. */
    STALE,
    /** The body exceeds {@link #MAX_BODY_BYTES}; nothing happened. */
    TOO_LARGE,
    /** For another shop; nothing happened. */
    OTHER_SHOP,
    /** Already handled under the same webhook id; nothing happened. */
    DUPLICATE,
    /** An event we do not act on, or a body we cannot read; nothing happened. */
    IGNORED
  }

  private final StoreId store;
  private final long shopId;
  private final byte[] key;
  private final Clock clock;
  private final Sink sink;
  private final Cache<String, Boolean> seen =
      Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofHours(48)).build();
  private final JsonAdapter<Object> json = new Moshi.Builder().build().adapter(Object.class);

  EtsyWebhookHandler(StoreId store, long shopId, String secret, Clock clock, Sink sink) {
    this.store = store;
    this.shopId = shopId;
    this.clock = clock;
    this.sink = sink;
    String s = secret == null ? "" : secret.strip();
    if (s.startsWith("whsec_")) {
      s = s.substring(6);
    }
    try {
      this.key = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("signingSecret", "not whsec_ followed by base64");
    }
    if (key.length == 0) {
      throw new InvalidInputException("signingSecret", "required");
    }
  }

  /**
   * Handles one delivery.
   *
   * @param header looks up a request header by name (case-insensitive lookup is the caller's)
   * @param rawBody the request body exactly as received
   * @return what happened
   */
  public Outcome handle(Function<String, @Nullable String> header, byte[] rawBody) {
    if (rawBody.length > MAX_BODY_BYTES) {
      return Outcome.TOO_LARGE;
    }
    String id = header.apply("webhook-id");
    String timestamp = header.apply("webhook-timestamp");
    String signatures = header.apply("webhook-signature");
    if (id == null || timestamp == null || signatures == null
        || !verified(id, timestamp, signatures, rawBody)) {
      log.warn("{} webhook rejected: bad or missing signature", store);
      return Outcome.REJECTED_SIGNATURE;
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Outcome.REJECTED_SIGNATURE;
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - ts) > TOLERANCE.toSeconds()) {
      log.warn("{} webhook {} refused: timestamp {} is {} s from now", store, id, ts, now - ts);
      return Outcome.STALE;
    }
    Map<?, ?> body;
    try {
      Object parsed = json.fromJson(new String(rawBody, StandardCharsets.UTF_8));
      if (!(parsed instanceof Map<?, ?> m)) {
        return Outcome.IGNORED;
      }
      body = m;
    } catch (IOException | RuntimeException e) {
      return Outcome.IGNORED;
    }
    if (body.get("shop_id") instanceof Number n && n.longValue() != shopId) {
      return Outcome.OTHER_SHOP;
    }
    String type = String.valueOf(body.get("event_type"));
    ChannelEvent event;
    if (type.startsWith("order.")) {
      event = new ChannelEvent.OrdersChanged();
    } else if (type.startsWith("listing.") || type.startsWith("inventory.")) {
      event = new ChannelEvent.ListingsChanged();
    } else {
      return Outcome.IGNORED;
    }
    if (seen.asMap().putIfAbsent(id, Boolean.TRUE) != null) {
      return Outcome.DUPLICATE;
    }
    try {
      sink.accept(store, event);
    } catch (RuntimeException e) {
      seen.invalidate(id); // not handled: Etsy's retry must get through
      throw e;
    }
    return Outcome.ACCEPTED;
  }

  private boolean verified(String id, String timestamp, String signatures, byte[] body) {
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      expected = mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
    boolean match = false;
    for (String entry : signatures.trim().split("\\s+")) {
      int comma = entry.indexOf(',');
      String sig = comma < 0 ? entry : entry.substring(comma + 1);
      byte[] given;
      try {
        given = Base64.getDecoder().decode(sig);
      } catch (IllegalArgumentException e) {
        continue;
      }
      // No early exit: every entry is compared, each in constant time.
      match |= MessageDigest.isEqual(expected, given);
    }
    return match;
  }

  /** Names the shop; never the secret. */
  @Override
  public String toString() {
    return "EtsyWebhookHandler{shop=" + shopId + "}";
  }
}
