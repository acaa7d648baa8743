package io.stocksync.testkit.etsy;

import io.stocksync.testkit.internal.Json;
import io.stocksync.testkit.internal.NoDelayServerSocketFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import io.stocksync.testkit.oauth.TokenEndpointEmulator;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * A stateful emulator of the parts of Etsy's Open API v3 that stock sync uses, served over real
 * HTTP by OkHttp's {@link MockWebServer}, built from Etsy's OpenAPI description ({@code
 * etsy_openapi_v3.json}) and developer docs rather than from what any client sends.
 *
 * <p>Served under {@code {url()}v3/application}: {@code GET users/me}, {@code GET
 * shops/{shop_id}}, {@code GET shops/{shop_id}/listings} ({@code state}, {@code limit} 1..100,
 * {@code offset} at most 12,000, {@code sort_on}, {@code sort_order}), {@code GET
 * listings/batch/inventory} (at most 100 {@code listing_ids}, 404 when one is missing), {@code
 * GET|PUT listings/{listing_id}/inventory}, {@code PATCH shops/{shop_id}/listings/{listing_id}}
 * (form-encoded, {@code state=active|inactive}), {@code GET shops/{shop_id}/receipts} and {@code
 * GET shops/{shop_id}/receipts/{receipt_id}}. The token endpoint {@code POST
 * {url()}v3/public/oauth/token} is the shared {@link TokenEndpointEmulator} with Etsy's preset.
 *
 * <p>Where Etsy is strict, so is the emulator:
 *
 * <ul>
 *   <li>every request needs {@code x-api-key: keystring:shared_secret} (403 without the secret)
 *       and {@code Authorization: Bearer {user_id}.{token}} (401 {@code invalid_token} when
 *       unknown or expired);
 *   <li>the inventory {@code PUT} replaces the whole inventory: every existing product must be
 *       sent, each offering with all four keys {@code price} (a number, not the {@code Money}
 *       object read back), {@code quantity} (0..999), {@code is_enabled} and {@code
 *       readiness_state_id}; values that differ between products need their property in the
 *       matching {@code *_on_property} array (409 otherwise); a write in which every offering is
 *       0 is refused (400); product and offering ids are issued anew on every write, as Etsy does;
 *   <li>{@code PATCH state=active} on a {@code sold_out} or {@code expired} listing renews it: its
 *       first offering gets quantity 1 and the seller is charged {@value #RENEWAL_FEE_CENTS}
 *       cents; a sale that takes the last unit makes a listing {@code sold_out};
 *   <li>per-second and per-day limits over sliding windows on the injected clock; successful
 *       answers carry {@code x-limit-per-second}, {@code x-remaining-this-second}, {@code
 *       x-limit-per-day} and {@code x-remaining-today}; a request over either limit is answered
 *       429 with {@code retry-after} (whole seconds) and is not counted.
 * </ul>
 *
 * <p>Every error body is Etsy's {@code {"error": "..."}}. Timestamps are epoch seconds. All
 * methods are thread-safe; state is guarded by one lock, webhooks are delivered outside it.
 */
public final class EtsyEmulator implements AutoCloseable {
  /** The path prefix of the application API. */
  public static final String API_PREFIX = "/v3/application";
  /** The OAuth token endpoint's path. */
  public static final String TOKEN_PATH = "/v3/public/oauth/token";
  /** What renewing a sold-out or expired listing costs the seller, in US cents. */
  public static final long RENEWAL_FEE_CENTS = 20;
  /** The largest offering quantity Etsy accepts. */
  public static final int MAX_QUANTITY = 999;
  /** The largest {@code offset} Etsy accepts. */
  public static final int MAX_OFFSET = 12_000;
  /** The property id the emulator uses for variations. */
  public static final long VARIATION_PROPERTY_ID = 200;
  /** The processing profile every seeded offering carries. */
  public static final long READINESS_STATE_ID = 1_001;

  private static final String JSON = "application/json";
  private static final Pattern SHOP = Pattern.compile("/shops/(\\d+)");
  private static final Pattern SHOP_LISTINGS = Pattern.compile("/shops/(\\d+)/listings");
  private static final Pattern SHOP_LISTING = Pattern.compile("/shops/(\\d+)/listings/(\\d+)");
  private static final Pattern INVENTORY = Pattern.compile("/listings/(\\d+)/inventory");
  private static final Pattern RECEIPTS = Pattern.compile("/shops/(\\d+)/receipts");
  private static final Pattern RECEIPT = Pattern.compile("/shops/(\\d+)/receipts/(\\d+)");
  private static final Set<String> STATES =
      Set.of("active", "inactive", "sold_out", "draft", "expired");
  private static final List<Duration> WEBHOOK_RETRIES = List.of(Duration.ofSeconds(5),
      Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
      Duration.ofHours(10), Duration.ofHours(10));

  /** Receives webhook deliveries: answers an HTTP status; anything but 2xx is retried. */
  @FunctionalInterface
  public interface WebhookSink {
    /**
     * Receives one delivery attempt.
     *
     * @param headers the request headers ({@code webhook-id}, {@code webhook-timestamp}, {@code
     *     webhook-signature}, {@code content-type})
     * @param body the raw body
     * @return the HTTP status the endpoint answered
     */
    int deliver(Map<String, String> headers, byte[] body);
  }

  /**
   * One product of a listing with variations, for seeding.
   *
   * @param value the variation's value, e.g. {@code "Red"}
   * @param sku its SKU, or null
   * @param quantity its quantity
   * @param priceCents its price in cents
   */
  public record Variation(String value, @Nullable String sku, int quantity, long priceCents) {}

  private final Clock clock;
  private final long shopId;
  private final long userId;
  private final String shopName;
  private final String apiKey;
  private final @Nullable byte[] webhookKey;

  private final Object lock = new Object();
  private final TreeMap<Long, Listing> listings = new TreeMap<>();
  private final TreeMap<Long, Receipt> receipts = new TreeMap<>();
  private long nextId = 1_000_000;
  private long renewals;
  private long renewalFeesCents;
  private final Deque<EtsyFault> faults = new ArrayDeque<>();
  private final List<Exchange> exchanges = new ArrayList<>();
  private boolean recording = true;
  private int perSecond;
  private int perDay;
  private final Deque<Instant> lastSecond = new ArrayDeque<>();
  private final Deque<Instant> lastDay = new ArrayDeque<>();
  private long requests;
  private long rateLimited;
  private final Map<String, Integer> requestsByOperation = new TreeMap<>();

  private final TokenEndpointEmulator tokens;

  private @Nullable WebhookSink webhookSink;
  private final List<Delivery> pendingWebhooks = new ArrayList<>();
  private long webhookSeq;
  private long webhooksDelivered;

  private @Nullable MockWebServer server;
  private final java.util.function.UnaryOperator<Dispatcher> dispatcherWrapper;

  private EtsyEmulator(Builder b) {
    this.dispatcherWrapper = b.dispatcherWrapper;
    this.clock = b.clock;
    this.shopId = b.shopId;
    this.userId = b.userId;
    this.shopName = b.shopName;
    this.apiKey = b.keystring + ":" + b.sharedSecret;
    this.perSecond = b.perSecond;
    this.perDay = b.perDay;
    this.tokens = TokenEndpointEmulator.etsy(clock, b.keystring, userId)
        .accessTokenLifetime(b.accessTokenLifetime).build();
    this.webhookKey = b.webhookSecret == null ? null
        : Base64.getDecoder().decode(b.webhookSecret.startsWith("whsec_")
            ? b.webhookSecret.substring(6) : b.webhookSecret);
  }

  /**
   * Starts configuring an emulator.
   *
   * @return a builder with the defaults: shop 12345678 of user 87654321, 10 requests per second
   *     and 10,000 per day, access tokens living one hour, the system UTC clock
   */
  public static Builder builder() {
    return new Builder();
  }

  // ================================================================= lifecycle

  /**
   * Starts the HTTP server on a free local port.
   *
   * @return this emulator
   * @throws UncheckedIOException if the server cannot bind
   */
  public synchronized EtsyEmulator start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    MockWebServer s = new MockWebServer();
    s.setServerSocketFactory(new NoDelayServerSocketFactory());
    s.setDispatcher(dispatcherWrapper.apply(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        s.takeRequest(0, TimeUnit.NANOSECONDS); // nobody takes them: do not keep them
        return handle(request);
      }
    }));
    try {
      s.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Etsy emulator", e);
    }
    server = s;
    return this;
  }

  /**
   * The server's base URL (path {@code /}); the API is under {@code v3/application/}.
   *
   * @return the URL
   * @throws IllegalStateException if not started
   */
  public synchronized HttpUrl url() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.url("/");
  }

  /** Stops the server. Idempotent. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  // ================================================================= identity and tokens

  /**
   * The shop's id.
   *
   * @return the id
   */
  public long shopId() {
    return shopId;
  }

  /**
   * The owner's user id (the prefix of every access token).
   *
   * @return the id
   */
  public long userId() {
    return userId;
  }

  /**
   * The API key the emulator expects: {@code keystring:shared_secret}.
   *
   * @return the key
   */
  public String apiKey() {
    return apiKey;
  }

  /**
   * The shared OAuth token endpoint this emulator embeds (Etsy's preset: public client, refresh
   * tokens rotated on every refresh, {@code {user_id}.} prefixed tokens); use it to issue the
   * first refresh token, expire access tokens, revoke grants and count refreshes.
   *
   * @return the token endpoint
   */
  public TokenEndpointEmulator tokens() {
    return tokens;
  }

  /**
   * Issues a live refresh token, as the seller's consent would.
   *
   * @return the refresh token
   */
  public String issueRefreshToken() {
    return tokens.issueRefreshToken();
  }

  // ================================================================= seeding and inspection

  /**
   * Adds a listing without variations: one product, one offering at 12.99 USD. A quantity of 0
   * makes it {@code sold_out}, as Etsy never shows an active listing without stock.
   *
   * @param title the title
   * @param sku the product's SKU, or null
   * @param quantity the offering's quantity, 0..999
   * @return the listing id
   */
  public long addListing(String title, @Nullable String sku, int quantity) {
    return addListing(title, null, List.of(new Variation("", sku, quantity, 1299)));
  }

  /**
   * Adds a listing with one variation property: one product per variation, each with its own
   * SKU and quantity ({@code quantity_on_property} and {@code sku_on_property} name the
   * property; {@code price_on_property} too when the prices differ).
   *
   * @param title the title
   * @param propertyName the property's name, e.g. {@code "Color"}; null for no variations (one
   *     variation only)
   * @param variations the products
   * @return the listing id
   */
  public long addListing(String title, @Nullable String propertyName, List<Variation> variations) {
    if (variations.isEmpty() || (propertyName == null && variations.size() != 1)) {
      throw new IllegalArgumentException("one variation without a property, or several with one");
    }
    synchronized (lock) {
      Listing l = new Listing();
      l.id = nextId++;
      l.title = title;
      l.created = now();
      l.modified = l.created;
      boolean pricesDiffer = variations.stream().map(Variation::priceCents).distinct().count() > 1;
      for (Variation v : variations) {
        if (v.quantity() < 0 || v.quantity() > MAX_QUANTITY) {
          throw new IllegalArgumentException("quantity out of 0..999: " + v.quantity());
        }
        Product p = new Product();
        p.sku = v.sku();
        if (propertyName != null) {
          Map<String, @Nullable Object> pv = new LinkedHashMap<>();
          pv.put("property_id", VARIATION_PROPERTY_ID);
          pv.put("property_name", propertyName);
          pv.put("scale_id", null);
          pv.put("scale_name", null);
          pv.put("value_ids", List.of(valueId(v.value())));
          pv.put("values", List.of(v.value()));
          p.propertyValues.add(pv);
        }
        Offering o = new Offering();
        o.amount = v.priceCents();
        o.quantity = v.quantity();
        p.offerings.add(o);
        l.products.add(p);
      }
      if (propertyName != null) {
        l.quantityOn.add(VARIATION_PROPERTY_ID);
        l.skuOn.add(VARIATION_PROPERTY_ID);
        if (pricesDiffer) {
          l.priceOn.add(VARIATION_PROPERTY_ID);
        }
      }
      renumber(l);
      l.state = l.total() == 0 ? "sold_out" : "active";
      listings.put(l.id, l);
      return l.id;
    }
  }

  /**
   * Adds {@code count} single-product active listings quickly, SKUs {@code prefix%06d} from 1.
   *
   * @param count how many
   * @param quantity each one's quantity
   * @param prefix the SKU prefix
   * @return the listing ids in SKU order
   */
  public List<Long> seedCatalogue(int count, int quantity, String prefix) {
    List<Long> ids = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      ids.add(addListing("Listing " + i, String.format(Locale.ROOT, "%s%06d", prefix, i), quantity));
    }
    return ids;
  }

  /**
   * Sets a listing's state as the seller would on etsy.com (any state, no fee).
   *
   * @param listingId the listing
   * @param state one of {@code active, inactive, sold_out, draft, expired}
   */
  public void setState(long listingId, String state) {
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("unknown state " + state);
    }
    synchronized (lock) {
      Listing l = listing(listingId);
      l.state = state;
      l.modified = now();
    }
  }

  /**
   * Sets one product's quantity as the seller would on etsy.com (no validation of the all-zero
   * rule, no state change).
   *
   * @param listingId the listing
   * @param sku the product's SKU
   * @param quantity the quantity
   */
  public void setQuantity(long listingId, String sku, int quantity) {
    synchronized (lock) {
      Listing l = listing(listingId);
      product(l, sku).offerings.get(0).quantity = quantity;
      l.modified = now();
    }
  }

  /**
   * A listing's state.
   *
   * @param listingId the listing
   * @return the state
   */
  public String state(long listingId) {
    synchronized (lock) {
      return listing(listingId).state;
    }
  }

  /**
   * The quantity of a listing's product with this SKU (its first offering).
   *
   * @param listingId the listing
   * @param sku the SKU
   * @return the quantity
   */
  public long quantity(long listingId, String sku) {
    synchronized (lock) {
      return product(listing(listingId), sku).offerings.get(0).quantity;
    }
  }

  /**
   * The price of a listing's product with this SKU, in cents.
   *
   * @param listingId the listing
   * @param sku the SKU
   * @return the price
   */
  public long priceCents(long listingId, String sku) {
    synchronized (lock) {
      return product(listing(listingId), sku).offerings.get(0).amount;
    }
  }

  /**
   * The processing profile of a listing's product with this SKU.
   *
   * @param listingId the listing
   * @param sku the SKU
   * @return the id, or null
   */
  public @Nullable Long readinessStateId(long listingId, String sku) {
    synchronized (lock) {
      return product(listing(listingId), sku).offerings.get(0).readiness;
    }
  }

  /**
   * How many listings were renewed through the API, and what the seller paid for it.
   *
   * @return renewals so far
   */
  public long renewals() {
    synchronized (lock) {
      return renewals;
    }
  }

  /**
   * The renewal fees charged so far, in cents.
   *
   * @return the fees
   */
  public long renewalFeesCents() {
    synchronized (lock) {
      return renewalFeesCents;
    }
  }

  /**
   * A buyer purchases units of one product: a paid receipt with one transaction; the listing
   * becomes {@code sold_out} when its last unit goes. Sends {@code order.paid}.
   *
   * @param listingId the listing
   * @param sku the product's SKU
   * @param quantity units bought, at most the product's quantity
   * @return the receipt id
   */
  public long sell(long listingId, String sku, int quantity) {
    long id;
    synchronized (lock) {
      Listing l = listing(listingId);
      if (!l.state.equals("active")) {
        throw new IllegalStateException("listing " + listingId + " is " + l.state);
      }
      Product p = product(l, sku);
      Offering o = p.offerings.get(0);
      if (quantity < 1 || quantity > o.quantity) {
        throw new IllegalArgumentException("cannot sell " + quantity + " of " + o.quantity);
      }
      o.quantity -= quantity;
      l.modified = now();
      if (l.total() == 0) {
        l.state = "sold_out";
      }
      Receipt r = new Receipt();
      r.id = nextId++;
      r.created = now();
      r.updated = r.created;
      r.lines.add(new Line(nextId++, l.id, p.id, p.sku, quantity, o.amount));
      receipts.put(r.id, r);
      id = r.id;
      enqueueWebhook("order.paid", r.id);
    }
    flushWebhooks();
    return id;
  }

  /**
   * The seller cancels a receipt (the listing's stock is not touched). Sends {@code
   * order.canceled}.
   *
   * @param receiptId the receipt
   */
  public void cancel(long receiptId) {
    changeReceipt(receiptId, "order.canceled", r -> {
      r.status = "canceled";
    });
  }

  /**
   * The seller ships a receipt. Sends {@code order.shipped}.
   *
   * @param receiptId the receipt
   */
  public void ship(long receiptId) {
    changeReceipt(receiptId, "order.shipped", r -> {
      r.shipped = true;
      if (r.status.equals("paid")) {
        r.status = "completed";
      }
    });
  }

  /**
   * The seller refunds money on a receipt (no stock moves; Etsy's refund carries no restock
   * flag). No webhook.
   *
   * @param receiptId the receipt
   * @param full true for the whole amount
   */
  public void refund(long receiptId, boolean full) {
    changeReceipt(receiptId, null, r -> {
      long total = r.lines.stream().mapToLong(x -> x.priceCents * x.quantity).sum();
      r.refunds.add(new long[] {full ? total : Math.max(1, total / 2), now()});
      r.status = full ? "fully refunded" : "partially refunded";
    });
  }

  private void changeReceipt(long receiptId, @Nullable String event,
      java.util.function.Consumer<Receipt> change) {
    synchronized (lock) {
      Receipt r = receipts.get(receiptId);
      if (r == null) {
        throw new IllegalArgumentException("no receipt " + receiptId);
      }
      change.accept(r);
      r.updated = Math.max(now(), r.updated);
      r.revision++;
      if (event != null) {
        enqueueWebhook(event, receiptId);
      }
    }
    flushWebhooks();
  }

  // ================================================================= limits, faults, records

  /**
   * Changes the rate limits.
   *
   * @param requestsPerSecond per sliding second
   * @param requestsPerDay per sliding 24 hours
   */
  public void limits(int requestsPerSecond, int requestsPerDay) {
    synchronized (lock) {
      this.perSecond = requestsPerSecond;
      this.perDay = requestsPerDay;
    }
  }

  /**
   * Makes the next {@code count} API requests fail with a fault.
   *
   * @param count how many
   * @param fault which
   */
  public void failNext(int count, EtsyFault fault) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        faults.add(fault);
      }
    }
  }

  /**
   * API requests counted against the limits so far.
   *
   * @return the count
   */
  public long requests() {
    synchronized (lock) {
      return requests;
    }
  }

  /**
   * Counted API requests per operation, e.g. {@code PUT /listings/{listing_id}/inventory}.
   *
   * @return a copy of the counts
   */
  public Map<String, Integer> requestsByOperation() {
    synchronized (lock) {
      return new TreeMap<>(requestsByOperation);
    }
  }

  /**
   * Requests refused with 429.
   *
   * @return the count
   */
  public long rateLimited() {
    synchronized (lock) {
      return rateLimited;
    }
  }

  /**
   * Every exchange so far (unless recording was switched off).
   *
   * @return a copy
   */
  public List<Exchange> exchanges() {
    synchronized (lock) {
      return List.copyOf(exchanges);
    }
  }

  /**
   * Switches recording of exchanges on or off (off for large benchmarks).
   *
   * @param on whether to record
   */
  public void recording(boolean on) {
    synchronized (lock) {
      recording = on;
    }
  }

  // ================================================================= webhooks

  /**
   * Delivers order webhooks to a sink from now on (the builder must have a webhook secret).
   *
   * @param sink the receiving endpoint, or null to stop
   */
  public void webhooksTo(@Nullable WebhookSink sink) {
    if (sink != null && webhookKey == null) {
      throw new IllegalStateException("configure webhookSecret first");
    }
    synchronized (lock) {
      webhookSink = sink;
    }
  }

  /**
   * Retries the failed deliveries that are due on the clock (Etsy retries for about 28 hours).
   */
  public void deliverDueWebhooks() {
    flushWebhooks();
  }

  /**
   * Deliveries answered 2xx so far.
   *
   * @return the count
   */
  public long webhooksDelivered() {
    synchronized (lock) {
      return webhooksDelivered;
    }
  }

  /**
   * Deliveries still waiting for a retry.
   *
   * @return the count
   */
  public int webhooksPending() {
    synchronized (lock) {
      return pendingWebhooks.size();
    }
  }

  /**
   * Signs a payload the way Etsy does (Standard Webhooks), for tests that forge deliveries.
   *
   * @param id the {@code webhook-id}
   * @param timestamp the {@code webhook-timestamp}, epoch seconds
   * @param body the raw body
   * @return the {@code webhook-signature} header value, {@code v1,<base64>}
   */
  public String sign(String id, long timestamp, byte[] body) {
    byte[] key = webhookKey;
    if (key == null) {
      throw new IllegalStateException("no webhook secret");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void enqueueWebhook(String event, long receiptId) {
    if (webhookSink == null) {
      return;
    }
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("event_type", event);
    body.put("resource_url", "https://openapi.etsy.com/v3/application/shops/" + shopId
        + "/receipts/" + receiptId);
    body.put("shop_id", shopId);
    pendingWebhooks.add(new Delivery("msg_" + (++webhookSeq),
        Json.write(body).getBytes(StandardCharsets.UTF_8), clock.instant(), 0));
  }

  private void flushWebhooks() {
    List<Delivery> due = new ArrayList<>();
    WebhookSink sink;
    synchronized (lock) {
      sink = webhookSink;
      if (sink == null) {
        return;
      }
      Instant now = clock.instant();
      pendingWebhooks.removeIf(d -> {
        if (!d.dueAt.isAfter(now)) {
          due.add(d);
          return true;
        }
        return false;
      });
    }
    for (Delivery d : due) {
      long ts = clock.instant().getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("content-type", "application/json");
      headers.put("webhook-id", d.id);
      headers.put("webhook-timestamp", String.valueOf(ts));
      headers.put("webhook-signature", sign(d.id, ts, d.body));
      int status;
      try {
        status = sink.deliver(headers, d.body);
      } catch (RuntimeException e) {
        status = 500;
      }
      synchronized (lock) {
        if (status >= 200 && status < 300) {
          webhooksDelivered++;
        } else if (d.attempt < WEBHOOK_RETRIES.size()) {
          pendingWebhooks.add(new Delivery(d.id, d.body,
              clock.instant().plus(WEBHOOK_RETRIES.get(d.attempt)), d.attempt + 1));
        }
      }
    }
  }

  private record Delivery(String id, byte[] body, Instant dueAt, int attempt) {}

  // ================================================================= HTTP

  private MockResponse handle(RecordedRequest request) {
    if (tokens.handles(request)) {
      return tokens.dispatch(request);
    }
    String method = request.getMethod();
    HttpUrl url = request.getUrl();
    String path = url.encodedPath();
    ByteString raw = request.getBody();
    String body = raw == null ? null : raw.utf8();
    Reply reply;
    try {
      reply = route(method, path, url, request.getHeaders(), body);
    } catch (RuntimeException e) {
      reply = error(500, "Emulator failure: " + e);
    }
    synchronized (lock) {
      if (recording) {
        Map<String, List<String>> rq = new TreeMap<>();
        for (String name : request.getHeaders().names()) {
          rq.put(name.toLowerCase(Locale.ROOT), request.getHeaders().values(name));
        }
        Map<String, List<String>> rs = new TreeMap<>();
        reply.headers.forEach((k, v) -> rs.put(k, List.of(v)));
        rs.put("content-type", List.of(JSON));
        exchanges.add(new Exchange(method, path, url.encodedQuery(), rq,
            body == null || body.isEmpty() ? null : body, reply.status, rs, reply.body));
      }
    }
    MockResponse.Builder b = new MockResponse.Builder().code(reply.status)
        .addHeader("Content-Type", JSON).body(reply.body);
    reply.headers.forEach(b::addHeader);
    if (reply.timeout) {
      b.headersDelay(3, TimeUnit.SECONDS);
    }
    if (!reply.webhooks) {
      return b.build();
    }
    flushWebhooks();
    return b.build();
  }

  private static final class Reply {
    final int status;
    final String body;
    final Map<String, String> headers = new LinkedHashMap<>();
    boolean timeout;
    boolean webhooks;

    Reply(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  private static Reply error(int status, String message) {
    return new Reply(status, Json.write(Json.object("error", message)));
  }

  private static Reply ok(Object document) {
    return new Reply(200, Json.write(document));
  }

  private Reply route(String method, String fullPath, HttpUrl url, Headers headers,
      @Nullable String body) {
    if (!fullPath.startsWith(API_PREFIX + "/")) {
      return error(404, "Not Found");
    }
    String path = fullPath.substring(API_PREFIX.length());
    EtsyFault fault;
    synchronized (lock) {
      fault = faults.poll();
      String key = headers.get("x-api-key");
      if (key == null || !key.contains(":")) {
        return error(403, "Shared secret is required in x-api-key header");
      }
      if (!key.equals(apiKey)) {
        return error(403, "Invalid API key");
      }
      if (fault == EtsyFault.TOO_MANY_REQUESTS) {
        rateLimited++;
        Reply r = error(429, "Too many requests");
        r.headers.put("retry-after", "2");
        return r;
      }
      Reply limited = countRequest(operation(method, path));
      if (limited != null) {
        return limited;
      }
      switch (tokens.checkBearer(headers.get("Authorization"))) {
        case VALID -> { }
        case EXPIRED -> {
          return error(401, "invalid_token: access token expired");
        }
        default -> {
          return error(401, "invalid_token: access token is not valid");
        }
      }
      if (fault == EtsyFault.SERVER_ERROR) {
        return error(500, "Internal Server Error");
      }
      if (fault == EtsyFault.SERVICE_UNAVAILABLE) {
        return error(503, "Service Unavailable");
      }
      if (fault == EtsyFault.TIMEOUT) {
        Reply r = error(503, "Service Unavailable");
        r.timeout = true;
        return r;
      }
      Reply reply;
      try {
        reply = dispatch(method, path, url, headers, body);
      } catch (BadRequest e) {
        reply = error(e.status, e.getMessage());
      }
      if (fault == EtsyFault.MALFORMED_JSON && reply.status == 200) {
        reply = new Reply(200, "{\"count\":1,\"results\":[{\"listing_id\":");
        return withLimits(reply);
      }
      if (fault == EtsyFault.SERVER_ERROR_AFTER_COMMIT) {
        reply = error(500, "Internal Server Error");
      }
      reply.webhooks = true;
      return reply.status == 200 ? withLimits(reply) : reply;
    }
  }

  private static String operation(String method, String path) {
    String shape = path.replaceAll("/\\d+", "/{id}");
    return method + " " + shape;
  }

  private @Nullable Reply countRequest(String operation) {
    Instant now = clock.instant();
    while (!lastSecond.isEmpty() && !lastSecond.peekFirst().isAfter(now.minusSeconds(1))) {
      lastSecond.pollFirst();
    }
    while (!lastDay.isEmpty() && !lastDay.peekFirst().isAfter(now.minus(Duration.ofDays(1)))) {
      lastDay.pollFirst();
    }
    Instant freeAt = null;
    if (lastSecond.size() >= perSecond) {
      freeAt = lastSecond.peekFirst().plusSeconds(1);
    } else if (lastDay.size() >= perDay) {
      freeAt = lastDay.peekFirst().plus(Duration.ofDays(1));
    }
    if (freeAt != null) {
      rateLimited++;
      long seconds = Math.max(1, (long) Math.ceil(Duration.between(now, freeAt).toMillis() / 1000.0));
      Reply r = error(429, lastSecond.size() >= perSecond
          ? "You have exceeded your quota of " + perSecond + " requests per second"
          : "You have exceeded your quota of " + perDay + " requests per day");
      r.headers.put("retry-after", String.valueOf(seconds));
      return r;
    }
    lastSecond.addLast(now);
    lastDay.addLast(now);
    requests++;
    requestsByOperation.merge(operation, 1, Integer::sum);
    return null;
  }

  private Reply withLimits(Reply r) {
    r.headers.put("x-limit-per-second", String.valueOf(perSecond));
    r.headers.put("x-remaining-this-second", String.valueOf(Math.max(0, perSecond - lastSecond.size())));
    r.headers.put("x-limit-per-day", String.valueOf(perDay));
    r.headers.put("x-remaining-today", String.valueOf(Math.max(0, perDay - lastDay.size())));
    return r;
  }

  private Reply dispatch(String method, String path, HttpUrl url, Headers headers,
      @Nullable String body) {
    Matcher m;
    if (path.equals("/users/me") && method.equals("GET")) {
      return ok(Json.object("user_id", userId, "shop_id", shopId));
    }
    if ((m = SHOP.matcher(path)).matches() && method.equals("GET")) {
      checkShop(m.group(1));
      return ok(shop());
    }
    if ((m = SHOP_LISTINGS.matcher(path)).matches() && method.equals("GET")) {
      checkShop(m.group(1));
      return ok(listingsByShop(url));
    }
    if (path.equals("/listings/batch/inventory") && method.equals("GET")) {
      return ok(batchInventory(url));
    }
    if ((m = INVENTORY.matcher(path)).matches()) {
      Listing l = listing(m.group(1));
      if (method.equals("GET")) {
        return ok(inventory(l));
      }
      if (method.equals("PUT")) {
        String type = headers.get("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
          throw new BadRequest(400, "Content-Type must be application/json");
        }
        updateInventory(l, body);
        return ok(inventory(l));
      }
    }
    if ((m = SHOP_LISTING.matcher(path)).matches() && method.equals("PATCH")) {
      checkShop(m.group(1));
      Listing l = listing(m.group(2));
      String type = headers.get("Content-Type");
      if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
        throw new BadRequest(400, "Content-Type must be application/x-www-form-urlencoded");
      }
      updateListing(l, form(body));
      Map<String, @Nullable Object> json = listingJson(l);
      json.remove("skus"); // a ShopListing, not a ShopListingWithAssociations
      return ok(json);
    }
    if ((m = RECEIPTS.matcher(path)).matches() && method.equals("GET")) {
      checkShop(m.group(1));
      return ok(receipts(url));
    }
    if ((m = RECEIPT.matcher(path)).matches() && method.equals("GET")) {
      checkShop(m.group(1));
      Receipt r = receipts.get(Long.parseLong(m.group(2)));
      if (r == null) {
        throw new BadRequest(404, "Receipt not found");
      }
      return ok(receiptJson(r));
    }
    return error(404, "Not Found");
  }

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void checkShop(String id) {
    if (Long.parseLong(id) != shopId) {
      throw new BadRequest(403, "You do not have access to shop " + id);
    }
  }

  // ---- listings

  private Map<String, @Nullable Object> listingsByShop(HttpUrl url) {
    String state = url.queryParameter("state");
    state = state == null ? "active" : state;
    if (!STATES.contains(state)) {
      throw new BadRequest(400, "Invalid state: " + state);
    }
    int limit = intParam(url, "limit", 25, 1, 100);
    int offset = intParam(url, "offset", 0, 0, Integer.MAX_VALUE);
    if (offset > MAX_OFFSET) {
      throw new BadRequest(400, "offset must be less than or equal to " + MAX_OFFSET);
    }
    String sortOn = Objects.requireNonNullElse(url.queryParameter("sort_on"), "created");
    String sortOrder = Objects.requireNonNullElse(url.queryParameter("sort_order"), "desc");
    Comparator<Listing> order;
    switch (sortOn) {
      case "created" -> order = Comparator.comparingLong((Listing l) -> l.created)
          .thenComparingLong(l -> l.id);
      case "updated" -> order = Comparator.comparingLong((Listing l) -> l.modified)
          .thenComparingLong(l -> l.id);
      case "price", "score" -> order = Comparator.comparingLong((Listing l) -> l.id);
      default -> throw new BadRequest(400, "Invalid sort_on: " + sortOn);
    }
    switch (sortOrder) {
      case "asc", "ascending", "up" -> { }
      case "desc", "descending", "down" -> order = order.reversed();
      default -> throw new BadRequest(400, "Invalid sort_order: " + sortOrder);
    }
    String wanted = state;
    List<Listing> all = listings.values().stream().filter(l -> l.state.equals(wanted))
        .sorted(order).toList();
    List<Object> results = new ArrayList<>();
    for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
      results.add(listingJson(all.get(i)));
    }
    return Json.object("count", all.size(), "results", results);
  }

  private Map<String, @Nullable Object> batchInventory(HttpUrl url) {
    List<Long> ids = new ArrayList<>();
    for (String v : url.queryParameterValues("listing_ids")) {
      for (String part : Objects.requireNonNullElse(v, "").split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          ids.add(Long.parseLong(part.trim()));
        } catch (NumberFormatException e) {
          throw new BadRequest(400, "listing_ids must be integers");
        }
      }
    }
    if (ids.isEmpty()) {
      throw new BadRequest(400, "listing_ids is required");
    }
    if (ids.size() > 100) {
      throw new BadRequest(400, "listing_ids accepts at most 100 ids");
    }
    List<Object> results = new ArrayList<>();
    for (long id : ids) {
      Listing l = listings.get(id);
      if (l == null) {
        throw new BadRequest(404, "Listing " + id + " not found");
      }
      Map<String, @Nullable Object> json = listingJson(l);
      json.put("inventory", inventory(l));
      results.add(json);
    }
    return Json.object("count", results.size(), "results", results);
  }

  private Map<String, @Nullable Object> listingJson(Listing l) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("listing_id", l.id);
    m.put("user_id", userId);
    m.put("shop_id", shopId);
    m.put("title", l.title);
    m.put("description", "");
    m.put("state", l.state);
    m.put("creation_timestamp", l.created);
    m.put("created_timestamp", l.created);
    m.put("ending_timestamp", l.created + 120L * 86_400);
    m.put("original_creation_timestamp", l.created);
    m.put("last_modified_timestamp", l.modified);
    m.put("updated_timestamp", l.modified);
    m.put("state_timestamp", l.modified);
    m.put("quantity", l.total());
    m.put("url", "https://www.etsy.com/listing/" + l.id);
    m.put("listing_type", "physical");
    m.put("has_variations", !l.products.get(0).propertyValues.isEmpty());
    m.put("should_auto_renew", false);
    m.put("is_private", false);
    Offering first = l.products.get(0).offerings.get(0);
    m.put("price", money(first.amount));
    List<Object> skus = new ArrayList<>();
    l.products.forEach(p -> {
      if (p.sku != null) {
        skus.add(p.sku);
      }
    });
    m.put("skus", skus);
    return m;
  }

  private static Map<String, @Nullable Object> money(long amount) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("amount", amount);
    m.put("divisor", 100);
    m.put("currency_code", "USD");
    return m;
  }

  private Map<String, @Nullable Object> inventory(Listing l) {
    List<Object> products = new ArrayList<>();
    for (Product p : l.products) {
      Map<String, @Nullable Object> pj = new LinkedHashMap<>();
      pj.put("product_id", p.id);
      pj.put("sku", p.sku == null ? "" : p.sku);
      pj.put("is_deleted", false);
      List<Object> offerings = new ArrayList<>();
      for (Offering o : p.offerings) {
        Map<String, @Nullable Object> oj = new LinkedHashMap<>();
        oj.put("offering_id", o.id);
        oj.put("quantity", o.quantity);
        oj.put("is_enabled", o.enabled);
        oj.put("is_deleted", false);
        oj.put("price", money(o.amount));
        oj.put("readiness_state_id", o.readiness);
        offerings.add(oj);
      }
      pj.put("offerings", offerings);
      pj.put("property_values", new ArrayList<>(p.propertyValues));
      products.add(pj);
    }
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("products", products);
    m.put("price_on_property", new ArrayList<>(l.priceOn));
    m.put("quantity_on_property", new ArrayList<>(l.quantityOn));
    m.put("sku_on_property", new ArrayList<>(l.skuOn));
    m.put("readiness_state_on_property", new ArrayList<>(l.readinessOn));
    return m;
  }

  /** Validates like Etsy, then replaces the whole inventory; nothing changes on a refusal. */
  private void updateInventory(Listing l, @Nullable String body) {
    Map<String, @Nullable Object> doc = body == null ? null : Json.asObject(Json.parse(body));
    if (doc == null) {
      throw new BadRequest(400, "Request body must be a JSON object");
    }
    if (!(doc.get("products") instanceof List<?> rawProducts) || rawProducts.isEmpty()) {
      throw new BadRequest(400, "products is required and must be a non-empty array");
    }
    List<Long> priceOn = ids(doc, "price_on_property");
    List<Long> quantityOn = ids(doc, "quantity_on_property");
    List<Long> skuOn = ids(doc, "sku_on_property");
    List<Long> readinessOn = ids(doc, "readiness_state_on_property");
    List<Product> next = new ArrayList<>();
    Set<List<Long>> seen = new HashSet<>();
    Set<Long> properties = new HashSet<>();
    for (int i = 0; i < rawProducts.size(); i++) {
      String at = "products[" + i + "]";
      Map<String, @Nullable Object> pj = Json.asObject(rawProducts.get(i));
      if (pj == null) {
        throw new BadRequest(400, at + " must be an object");
      }
      Product p = new Product();
      Object sku = pj.get("sku");
      if (sku != null && !(sku instanceof String)) {
        throw new BadRequest(400, at + ".sku must be a string");
      }
      p.sku = sku == null || ((String) sku).isEmpty() ? null : (String) sku;
      if (pj.get("property_values") instanceof List<?> pvs) {
        for (Object o : pvs) {
          Map<String, @Nullable Object> pv = Json.asObject(o);
          if (pv == null || !(pv.get("property_id") instanceof Number)
              || !(pv.get("value_ids") instanceof List<?>) || !(pv.get("values") instanceof List<?> values)) {
            throw new BadRequest(400, at + ".property_values needs property_id, value_ids and values");
          }
          for (Object v : values) {
            if (String.valueOf(v).contains("(") || String.valueOf(v).contains(")")) {
              throw new BadRequest(400, at + ".property_values: parentheses are not allowed");
            }
          }
          properties.add(((Number) pv.get("property_id")).longValue());
          Map<String, @Nullable Object> copy = new LinkedHashMap<>();
          copy.put("property_id", ((Number) pv.get("property_id")).longValue());
          copy.put("property_name", pv.get("property_name"));
          copy.put("scale_id", pv.get("scale_id"));
          copy.put("scale_name", null);
          List<Long> valueIds = new ArrayList<>();
          for (Object id : (List<?>) pv.get("value_ids")) {
            valueIds.add(((Number) id).longValue());
          }
          copy.put("value_ids", valueIds);
          copy.put("values", new ArrayList<>(values));
          p.propertyValues.add(copy);
        }
      } else if (pj.get("property_values") != null) {
        throw new BadRequest(400, at + ".property_values must be an array");
      }
      if (!(pj.get("offerings") instanceof List<?> offerings) || offerings.size() != 1) {
        throw new BadRequest(400, at + ".offerings must hold exactly one offering");
      }
      Map<String, @Nullable Object> oj = Json.asObject(offerings.get(0));
      if (oj == null) {
        throw new BadRequest(400, at + ".offerings[0] must be an object");
      }
      for (String key : List.of("price", "quantity", "is_enabled", "readiness_state_id")) {
        if (!oj.containsKey(key)) {
          throw new BadRequest(400, at + ".offerings[0]." + key + " is required");
        }
      }
      Offering o = new Offering();
      if (!(oj.get("price") instanceof Number price)) {
        throw new BadRequest(400, at + ".offerings[0].price must be a float (amount / divisor)");
      }
      double cents = price.doubleValue() * 100;
      if (cents < 20 || cents > 5_000_000) {
        throw new BadRequest(400, at + ".offerings[0].price must be between 0.20 and 50000.00");
      }
      o.amount = Math.round(cents);
      if (!(oj.get("quantity") instanceof Number q) || q.doubleValue() != Math.rint(q.doubleValue())
          || q.longValue() < 0) {
        throw new BadRequest(400, at + ".offerings[0].quantity must be a non-negative integer");
      }
      if (q.longValue() > MAX_QUANTITY) {
        throw new BadRequest(400, "Quantity cannot be greater than " + MAX_QUANTITY);
      }
      o.quantity = q.longValue();
      if (!(oj.get("is_enabled") instanceof Boolean enabled)) {
        throw new BadRequest(400, at + ".offerings[0].is_enabled must be a boolean");
      }
      o.enabled = enabled;
      Object readiness = oj.get("readiness_state_id");
      if (readiness != null && (!(readiness instanceof Number r) || r.longValue() < 1)) {
        throw new BadRequest(400, at + ".offerings[0].readiness_state_id must be null or >= 1");
      }
      o.readiness = readiness == null ? null : ((Number) readiness).longValue();
      p.offerings.add(o);
      if (!seen.add(p.key())) {
        throw new BadRequest(400, at + " repeats the property values of another product");
      }
      next.add(p);
    }
    for (Product old : l.products) {
      if (!seen.contains(old.key())) {
        throw new BadRequest(400, "products must list every product of the listing: missing "
            + old.propertyValues.stream().map(pv -> pv.get("values")).toList());
      }
    }
    for (List<Long> on : List.of(priceOn, quantityOn, skuOn, readinessOn)) {
      for (long id : on) {
        if (!properties.contains(id)) {
          throw new BadRequest(400, "*_on_property names property " + id
              + " that no product's property_values carry");
        }
      }
    }
    consistent(next, priceOn, "price", p -> p.offerings.get(0).amount);
    consistent(next, quantityOn, "quantity", p -> p.offerings.get(0).quantity);
    consistent(next, skuOn, "sku", p -> p.sku);
    consistent(next, readinessOn, "readiness_state_id", p -> p.offerings.get(0).readiness);
    if (next.stream().allMatch(p -> p.offerings.get(0).quantity == 0)) {
      throw new BadRequest(400, "One offering must have quantity greater than 0");
    }
    l.products.clear();
    l.products.addAll(next);
    l.priceOn.clear();
    l.priceOn.addAll(priceOn);
    l.quantityOn.clear();
    l.quantityOn.addAll(quantityOn);
    l.skuOn.clear();
    l.skuOn.addAll(skuOn);
    l.readinessOn.clear();
    l.readinessOn.addAll(readinessOn);
    renumber(l);
    l.modified = now();
  }

  /** Values that differ between products are allowed only along an {@code *_on_property}. */
  private static void consistent(List<Product> products, List<Long> on, String field,
      java.util.function.Function<Product, @Nullable Object> value) {
    Map<List<Long>, Set<Object>> byOtherValues = new HashMap<>();
    for (Product p : products) {
      List<Long> key = new ArrayList<>();
      for (Map<String, @Nullable Object> pv : p.propertyValues) {
        if (on.contains((Long) pv.get("property_id"))) {
          key.addAll(longs(pv.get("value_ids")));
        }
      }
      byOtherValues.computeIfAbsent(key, k -> new HashSet<>())
          .add(Objects.requireNonNullElse(value.apply(p), "null"));
    }
    for (Set<Object> values : byOtherValues.values()) {
      if (values.size() > 1) {
        throw new BadRequest(409, "The supplied values for product " + field
            + " are incompatible with the values in " + field.replace("readiness_state_id",
                "readiness_state") + "_on_property");
      }
    }
  }

  private static List<Long> longs(@Nullable Object list) {
    List<Long> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      for (Object o : l) {
        out.add(((Number) Objects.requireNonNull(o)).longValue());
      }
    }
    return out;
  }

  private static List<Long> ids(Map<String, @Nullable Object> doc, String field) {
    Object v = doc.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new BadRequest(400, field + " must be an array of integers");
    }
    List<Long> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Number n)) {
        throw new BadRequest(400, field + " must be an array of integers");
      }
      out.add(n.longValue());
    }
    return out;
  }

  private void updateListing(Listing l, Map<String, String> form) {
    String state = form.get("state");
    if (state == null) {
      l.modified = now();
      return;
    }
    switch (state) {
      case "active" -> {
        switch (l.state) {
          case "sold_out", "expired" -> {
            if (l.total() == 0) {
              // "will update the quantity to 1 and renew the listing"
              l.products.get(0).offerings.get(0).quantity = 1;
            }
            renewals++;
            renewalFeesCents += RENEWAL_FEE_CENTS;
          }
          case "inactive", "draft" -> {
            if (l.total() == 0) {
              throw new BadRequest(400, "Cannot activate a listing with quantity 0");
            }
          }
          default -> { }
        }
        l.state = "active";
      }
      case "inactive" -> {
        if (l.state.equals("draft")) {
          throw new BadRequest(400, "A draft listing cannot be deactivated");
        }
        l.state = "inactive";
      }
      default -> throw new BadRequest(400, "state must be one of active, inactive");
    }
    l.modified = now();
  }

  // ---- receipts

  private Map<String, @Nullable Object> receipts(HttpUrl url) {
    int limit = intParam(url, "limit", 25, 1, 100);
    int offset = intParam(url, "offset", 0, 0, Integer.MAX_VALUE);
    if (offset > MAX_OFFSET) {
      throw new BadRequest(400, "offset must be less than or equal to " + MAX_OFFSET);
    }
    long minCreated = longParam(url, "min_created", Long.MIN_VALUE);
    long maxCreated = longParam(url, "max_created", Long.MAX_VALUE);
    long minModified = longParam(url, "min_last_modified", Long.MIN_VALUE);
    long maxModified = longParam(url, "max_last_modified", Long.MAX_VALUE);
    Boolean paid = boolParam(url, "was_paid");
    Boolean shipped = boolParam(url, "was_shipped");
    Boolean canceled = boolParam(url, "was_canceled");
    String sortOn = Objects.requireNonNullElse(url.queryParameter("sort_on"), "created");
    String sortOrder = Objects.requireNonNullElse(url.queryParameter("sort_order"), "desc");
    Comparator<Receipt> order;
    switch (sortOn) {
      case "created" -> order = Comparator.comparingLong((Receipt r) -> r.created)
          .thenComparingLong(r -> r.id);
      case "updated" -> order = Comparator.comparingLong((Receipt r) -> r.updated)
          .thenComparingLong(r -> r.id);
      case "receipt_id" -> order = Comparator.comparingLong((Receipt r) -> r.id);
      default -> throw new BadRequest(400, "Invalid sort_on: " + sortOn);
    }
    switch (sortOrder) {
      case "asc", "ascending", "up" -> { }
      case "desc", "descending", "down" -> order = order.reversed();
      default -> throw new BadRequest(400, "Invalid sort_order: " + sortOrder);
    }
    List<Receipt> all = receipts.values().stream()
        .filter(r -> r.created >= minCreated && r.created <= maxCreated)
        .filter(r -> r.updated >= minModified && r.updated <= maxModified)
        .filter(r -> paid == null || paid == r.paid())
        .filter(r -> shipped == null || shipped == r.shipped)
        .filter(r -> canceled == null || canceled == r.status.equals("canceled"))
        .sorted(order).toList();
    List<Object> results = new ArrayList<>();
    for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
      results.add(receiptJson(all.get(i)));
    }
    return Json.object("count", all.size(), "results", results);
  }

  private Map<String, @Nullable Object> receiptJson(Receipt r) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("receipt_id", r.id);
    m.put("receipt_type", 0);
    m.put("seller_user_id", userId);
    m.put("buyer_user_id", 5_000_000L + r.id % 1000);
    m.put("status", r.status);
    m.put("is_paid", r.paid());
    m.put("is_shipped", r.shipped);
    m.put("create_timestamp", r.created);
    m.put("created_timestamp", r.created);
    m.put("update_timestamp", r.updated);
    m.put("updated_timestamp", r.updated);
    long total = 0;
    List<Object> lines = new ArrayList<>();
    for (Line x : r.lines) {
      Map<String, @Nullable Object> t = new LinkedHashMap<>();
      t.put("transaction_id", x.id);
      t.put("receipt_id", r.id);
      t.put("seller_user_id", userId);
      t.put("create_timestamp", r.created);
      t.put("created_timestamp", r.created);
      t.put("paid_timestamp", r.created);
      t.put("shipped_timestamp", r.shipped ? r.updated : null);
      t.put("quantity", x.quantity);
      t.put("is_digital", false);
      t.put("listing_id", x.listingId);
      t.put("transaction_type", "listing");
      t.put("product_id", x.productId);
      t.put("sku", x.sku);
      t.put("price", money(x.priceCents));
      t.put("shipping_cost", money(0));
      t.put("variations", List.of());
      t.put("product_data", List.of());
      lines.add(t);
      total += x.priceCents * x.quantity;
    }
    m.put("grandtotal", money(total));
    m.put("subtotal", money(total));
    m.put("total_price", money(total));
    m.put("shipments", List.of());
    m.put("transactions", lines);
    List<Object> refunds = new ArrayList<>();
    for (long[] refund : r.refunds) {
      Map<String, @Nullable Object> f = new LinkedHashMap<>();
      f.put("amount", money(refund[0]));
      f.put("created_timestamp", refund[1]);
      f.put("reason", null);
      f.put("note_from_issuer", null);
      f.put("status", "success");
      refunds.add(f);
    }
    m.put("refunds", refunds);
    return m;
  }

  // ---- helpers

  private Map<String, @Nullable Object> shop() {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("shop_id", shopId);
    m.put("user_id", userId);
    m.put("shop_name", shopName);
    m.put("created_timestamp", 1_600_000_000L);
    m.put("title", shopName);
    m.put("currency_code", "USD");
    m.put("is_vacation", false);
    m.put("listing_active_count",
        listings.values().stream().filter(l -> l.state.equals("active")).count());
    m.put("login_name", shopName.toLowerCase(Locale.ROOT));
    m.put("url", "https://www.etsy.com/shop/" + shopName);
    return m;
  }

  private static int intParam(HttpUrl url, String name, int dflt, int min, int max) {
    String v = url.queryParameter(name);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new BadRequest(400, name + " must be between " + min + " and " + max);
      }
      return (int) n;
    } catch (NumberFormatException e) {
      throw new BadRequest(400, name + " must be an integer");
    }
  }

  private static long longParam(HttpUrl url, String name, long dflt) {
    String v = url.queryParameter(name);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 946_684_800L) {
        throw new BadRequest(400, name + " must be at least 946684800");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(400, name + " must be an integer");
    }
  }

  private static @Nullable Boolean boolParam(HttpUrl url, String name) {
    String v = url.queryParameter(name);
    if (v == null) {
      return null;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new BadRequest(400, name + " must be true or false");
    }
    return Boolean.valueOf(v);
  }

  private static Map<String, String> form(@Nullable String body) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private final Map<String, Long> valueIds = new HashMap<>();

  private long valueId(String value) {
    return valueIds.computeIfAbsent(value, v -> 5_000L + valueIds.size());
  }

  private void renumber(Listing l) {
    for (Product p : l.products) {
      p.id = nextId++;
      for (Offering o : p.offerings) {
        o.id = nextId++;
      }
    }
  }

  private Listing listing(String id) {
    Listing l = listings.get(Long.parseLong(id));
    if (l == null) {
      throw new BadRequest(404, "Listing " + id + " not found");
    }
    return l;
  }

  private Listing listing(long id) {
    Listing l = listings.get(id);
    if (l == null) {
      throw new IllegalArgumentException("no listing " + id);
    }
    return l;
  }

  private static Product product(Listing l, String sku) {
    for (Product p : l.products) {
      if (sku.equals(p.sku)) {
        return p;
      }
    }
    throw new IllegalArgumentException("listing " + l.id + " has no product " + sku);
  }

  private static final class Listing {
    long id;
    String title = "";
    String state = "active";
    long created;
    long modified;
    final List<Product> products = new ArrayList<>();
    final List<Long> priceOn = new ArrayList<>();
    final List<Long> quantityOn = new ArrayList<>();
    final List<Long> skuOn = new ArrayList<>();
    final List<Long> readinessOn = new ArrayList<>();

    long total() {
      long sum = 0;
      for (Product p : products) {
        for (Offering o : p.offerings) {
          sum += o.enabled ? o.quantity : 0;
        }
      }
      return sum;
    }
  }

  private static final class Product {
    long id;
    @Nullable String sku;
    final List<Map<String, @Nullable Object>> propertyValues = new ArrayList<>();
    final List<Offering> offerings = new ArrayList<>();

    List<Long> key() {
      List<Long> key = new ArrayList<>();
      for (Map<String, @Nullable Object> pv : propertyValues) {
        key.add((Long) pv.get("property_id"));
        key.addAll(longs(pv.get("value_ids")));
      }
      return key;
    }
  }

  private static final class Offering {
    long id;
    long amount;
    long quantity;
    boolean enabled = true;
    @Nullable Long readiness = READINESS_STATE_ID;
  }

  private static final class Receipt {
    long id;
    String status = "paid";
    boolean shipped;
    long created;
    long updated;
    int revision;
    final List<Line> lines = new ArrayList<>();
    final List<long[]> refunds = new ArrayList<>();

    boolean paid() {
      return !status.equals("open") && !status.equals("payment processing");
    }
  }

  private record Line(long id, long listingId, long productId, @Nullable String sku,
      long quantity, long priceCents) {}

  /** Configures an {@link EtsyEmulator}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private long shopId = 12_345_678L;
    private long userId = 87_654_321L;
    private String shopName = "EmulatedShop";
    private String keystring = "emulatedkeystring";
    private String sharedSecret = "emulatedsharedsecret";
    private Duration accessTokenLifetime = Duration.ofHours(1);
    private int perSecond = 10;
    private int perDay = 10_000;
    private @Nullable String webhookSecret;
    private java.util.function.UnaryOperator<Dispatcher> dispatcherWrapper = d -> d;

    private Builder() {}

    /**
     * Wraps the emulator's dispatcher, e.g. with {@code OpenApiExchangeValidator.wrap} to validate
     * every exchange as it crosses the wire.
     *
     * @param wrapper receives the emulator's dispatcher and returns the one to install
     * @return this builder
     */
    public Builder dispatcher(java.util.function.UnaryOperator<Dispatcher> wrapper) {
      this.dispatcherWrapper = Objects.requireNonNull(wrapper);
      return this;
    }

    /**
     * Sets the clock for timestamps, token expiry, rate windows and webhook retries.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Sets the shop id and its name.
     *
     * @param id the shop id
     * @param name the shop name
     * @return this builder
     */
    public Builder shop(long id, String name) {
      this.shopId = id;
      this.shopName = name;
      return this;
    }

    /**
     * Sets the app's keystring and shared secret.
     *
     * @param keystring the keystring (also the OAuth client id)
     * @param sharedSecret the shared secret
     * @return this builder
     */
    public Builder apiKey(String keystring, String sharedSecret) {
      this.keystring = keystring;
      this.sharedSecret = sharedSecret;
      return this;
    }

    /**
     * Sets how long access tokens live ({@code expires_in}).
     *
     * @param lifetime the lifetime
     * @return this builder
     */
    public Builder accessTokenLifetime(Duration lifetime) {
      this.accessTokenLifetime = lifetime;
      return this;
    }

    /**
     * Sets the rate limits.
     *
     * @param requestsPerSecond per sliding second
     * @param requestsPerDay per sliding 24 hours
     * @return this builder
     */
    public Builder limits(int requestsPerSecond, int requestsPerDay) {
      this.perSecond = requestsPerSecond;
      this.perDay = requestsPerDay;
      return this;
    }

    /**
     * Sets the webhook signing secret, {@code whsec_} followed by base64.
     *
     * @param secret the secret
     * @return this builder
     */
    public Builder webhookSecret(String secret) {
      this.webhookSecret = secret;
      return this;
    }

    /**
     * Builds the emulator (not started).
     *
     * @return the emulator
     */
    public EtsyEmulator build() {
      return new EtsyEmulator(this);
    }
  }
}
