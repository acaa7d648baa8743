package io.stocksync.testkit.ebay;

import io.stocksync.testkit.internal.Json;
import io.stocksync.testkit.internal.NoDelayServerSocketFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import io.stocksync.testkit.oauth.TokenEndpointEmulator;
import org.jspecify.annotations.Nullable;

/**
 * A stateful emulator of the eBay seller APIs, served over real HTTP by OkHttp's {@link
 * MockWebServer}, on an injected {@link Clock}. Paths, parameters, JSON names and error ids follow
 * eBay's OpenAPI specs (Sell Inventory 1.18.0, Sell Fulfillment 1.20.7); the Trading API, which has
 * no spec file, follows eBay's Trading API reference pages (cited per call below).
 *
 * <h2>REST (Bearer user token)</h2>
 *
 * <ul>
 *   <li>{@code GET /sell/inventory/v1/inventory_item?limit=1..200&offset=} where {@code offset} is a
 *       <em>page index</em>; {@code next} holds the following page's href.
 *   <li>{@code GET /sell/inventory/v1/offer?sku=} (the SKU is required: 400 errorId 25709 without
 *       it, 404 errorId 25713 when the SKU has no offer).
 *   <li>{@code POST /sell/inventory/v1/bulk_get_inventory_item}, at most 25 SKUs.
 *   <li>{@code POST /sell/inventory/v1/bulk_update_price_quantity}: at most 25 requests (the
 *       bulk-updates guide's cap; 400 errorId 25709 beyond it), one response per offer (or per item
 *       when no offer is sent), HTTP 200 when every item succeeded, else 207. An offer must be
 *       PUBLISHED and belong to the SKU; a listing that was revised 250 times on the same UTC day
 *       refuses further revisions (per-item errorId 25002). Sending {@code price} is accepted and
 *       counted in {@link #priceUpdates()}.
 *   <li>{@code GET /sell/fulfillment/v1/order?filter=&limit=1..200&offset=} with a record offset;
 *       the filter's {@code [ ] { | }} must arrive percent-encoded (400 errorId 30800 otherwise),
 *       dates as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (30810), {@code lastmodifieddate:[from..]} or
 *       {@code [from..to]}, {@code creationdate:[..]}, {@code orderfulfillmentstatus:{A|B}}. Orders
 *       come newest-created first (eBay documents no order; this one makes record-offset paging
 *       shift under new orders, the harder case for a client).
 *   <li>{@code GET /commerce/notification/v1/public_key/{public_key_id}}: the ECDSA key that signs
 *       notifications.
 *   <li>{@code POST /identity/v1/oauth2/token}: the shared {@link TokenEndpointEmulator} with
 *       its eBay preset (HTTP Basic client credentials, {@code scope} required, the refresh token
 *       does not rotate); access tokens live {@link Builder#tokenLifetime(Duration)} (2 hours).
 * </ul>
 *
 * <p>A missing, wrong or expired token gets HTTP 401 with errorId 1001; a spent daily quota HTTP
 * 429 with errorId 2001 (domain {@code ACCESS}); error bodies are {@code {"errors": [{errorId,
 * domain, category, message, longMessage, parameters}]}}.
 *
 * <h2>Trading API (XML, {@code POST /ws/api.dll})</h2>
 *
 * <p>Headers {@code X-EBAY-API-CALL-NAME}, {@code X-EBAY-API-SITEID}, {@code
 * X-EBAY-API-COMPATIBILITY-LEVEL} and the OAuth token in {@code X-EBAY-API-IAF-TOKEN}; the body's
 * root is {@code {CallName}Request} in namespace {@code urn:ebay:apis:eBLBaseComponents}. Calls:
 * {@code GetUser}, {@code GetMyeBaySelling} (ActiveList, 1-based pages of up to 200), {@code
 * GetItem}, {@code ReviseInventoryStatus} (1 to 4 {@code InventoryStatus}, Quantity = available;
 * the answer's Quantity = available + sold; per-item errors name the ItemID and SKU in {@code
 * ErrorParameters}; at most {@link Builder#reviseCallsPer15Seconds(int)} calls per seller in any 15
 * seconds, error 21919144 beyond). Every answer is HTTP 200 with {@code Ack} {@code Success},
 * {@code Warning}, {@code PartialFailure} or {@code Failure}. Token errors: 21916984 (invalid),
 * 21917053 (expired); quota: 518.
 *
 * <p>Thread-safe: one lock guards the state; seeding and inspection methods may be called from any
 * thread.
 */
public final class EbayEmulator implements AutoCloseable {
  /** The daily revision cap per listing, from the bulkUpdatePriceQuantity description. */
  public static final int REVISIONS_PER_DAY = 250;

  static final String NS = "urn:ebay:apis:eBLBaseComponents";
  private static final String JSON = "application/json";
  private static final String XML = "text/xml;charset=utf-8";
  private static final DateTimeFormatter EBAY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern DATE_RANGE =
      Pattern.compile("\\[([^\\]]*?)\\.\\.([^\\]]*)\\]");

  /** The four daily call budgets eBay keeps per application. */
  public enum Api {
    /** Sell Inventory API. */
    INVENTORY,
    /** Sell Fulfillment API. */
    FULFILLMENT,
    /** Trading API. */
    TRADING,
    /** Notification API. */
    NOTIFICATION
  }

  private final Clock clock;
  private final String sellerId;
  private final String marketplaceId;
  private final Duration tokenLifetime;
  private final int reviseCallsPer15Seconds;
  private final Map<Api, Long> dailyLimits;
  private final UnaryOperator<Dispatcher> dispatcherWrapper;

  private final Object lock = new Object();
  private final TokenEndpointEmulator tokens;
  private final Map<String, Instant> accessTokens = new HashMap<>();
  private final Map<String, InvItem> items = new LinkedHashMap<>();
  private final Map<String, TrdItem> trading = new LinkedHashMap<>();
  private final List<Order> orders = new ArrayList<>();
  private final Map<String, Integer> revisions = new HashMap<>();
  private final Map<Api, Long> callsToday = new EnumMap<>(Api.class);
  private final Map<Api, Integer> callsTotal = new EnumMap<>(Api.class);
  private final Map<String, Integer> callsByOperation = new HashMap<>();
  private @Nullable LocalDate quotaDay;
  private final Deque<Instant> reviseCalls = new ArrayDeque<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<Exchange> exchanges = new ArrayList<>();
  private final List<Notification> notifications = new ArrayList<>();
  private int priceUpdates;
  private int throttled;
  private long idSeq = 100_000;
  private Instant lastStamp = Instant.EPOCH;

  private final KeyPair signingKey;
  private final String keyId = "emulated-ecdsa-key-1";

  private @Nullable MockWebServer server;

  private EbayEmulator(Builder b) {
    this.clock = b.clock;
    this.sellerId = b.sellerId;
    this.marketplaceId = b.marketplaceId;
    this.tokenLifetime = b.tokenLifetime;
    this.tokens = TokenEndpointEmulator.ebay(b.clock, b.clientId, b.clientSecret)
        .accessTokenLifetime(b.tokenLifetime).build();
    this.reviseCallsPer15Seconds = b.reviseCallsPer15Seconds;
    this.dailyLimits = new EnumMap<>(b.dailyLimits);
    this.dispatcherWrapper = b.dispatcherWrapper;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.signingKey = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC keys unavailable", e);
    }
    this.quotaDay = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (b.accessToken != null) {
      accessTokens.put(b.accessToken, clock.instant().plus(tokenLifetime));
    }
  }

  /**
   * Starts configuring an emulator.
   *
   * @return a builder with defaults: seller {@code emulated-seller} on {@code EBAY_US}, the system
   *     clock, 2-hour access tokens, eBay's default daily quotas
   */
  public static Builder builder() {
    return new Builder();
  }

  // ============================================================ lifecycle

  /**
   * Starts the server on a free loopback port.
   *
   * @return this emulator
   * @throws UncheckedIOException if the server cannot start
   */
  public EbayEmulator start() {
    MockWebServer s = new MockWebServer();
    s.setServerSocketFactory(new NoDelayServerSocketFactory());
    s.setDispatcher(dispatcherWrapper.apply(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return serve(request);
      }
    }));
    try {
      s.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the eBay emulator", e);
    }
    synchronized (lock) {
      server = s;
    }
    return this;
  }

  /**
   * The base URL, standing in for {@code https://api.ebay.com/}.
   *
   * @return the URL with path {@code /}
   * @throws IllegalStateException if not started
   */
  public HttpUrl url() {
    synchronized (lock) {
      if (server == null) {
        throw new IllegalStateException("not started");
      }
      return server.url("/");
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    MockWebServer s;
    synchronized (lock) {
      s = server;
      server = null;
    }
    if (s != null) {
      s.close();
    }
  }

  // ============================================================ seeding

  /**
   * Adds an Inventory-API inventory item with a ship-to-home quantity and, when {@code
   * published}, one PUBLISHED fixed-price offer with an ACTIVE listing (else one UNPUBLISHED
   * offer).
   *
   * @param sku the SKU, or an empty string for an item eBay would never have (used to test
   *     SKU-less listings only on the Trading side)
   * @param title the product title
   * @param quantity the ship-to-home quantity, also the offer's availableQuantity
   * @param published whether the offer is published
   * @return the offer id
   */
  public String addInventoryItem(String sku, String title, int quantity, boolean published) {
    synchronized (lock) {
      InvItem item = new InvItem(sku, title, quantity);
      items.put(sku, item);
      return addOfferLocked(item, "FIXED_PRICE", published, quantity);
    }
  }

  /**
   * Adds another offer (for example the AUCTION one) to an inventory item.
   *
   * @param sku an existing item's SKU
   * @param format {@code AUCTION} or {@code FIXED_PRICE}
   * @param published whether it is published
   * @param availableQuantity its availableQuantity
   * @return the offer id
   */
  public String addOffer(String sku, String format, boolean published, int availableQuantity) {
    synchronized (lock) {
      return addOfferLocked(item(sku), format, published, availableQuantity);
    }
  }

  private String addOfferLocked(InvItem item, String format, boolean published, int quantity) {
    Offer offer = new Offer(String.valueOf(++idSeq), format);
    offer.published = published;
    offer.availableQuantity = quantity;
    if (published) {
      offer.listingId = "11" + (++idSeq);
      offer.listingStatus = quantity > 0 ? "ACTIVE" : "OUT_OF_STOCK";
    }
    item.offers.add(offer);
    return offer.offerId;
  }

  /**
   * Deletes an inventory item and its offers, as another tool might: later updates of its SKU get
   * errorId 25702.
   *
   * @param sku the SKU
   */
  public void deleteInventoryItem(String sku) {
    synchronized (lock) {
      items.remove(sku);
    }
  }

  /**
   * Sets an offer's listing status (e.g. {@code ENDED}, {@code INACTIVE}).
   *
   * @param offerId the offer
   * @param listingStatus a ListingStatusEnum value
   */
  public void setListingStatus(String offerId, String listingStatus) {
    synchronized (lock) {
      offer(offerId).listingStatus = listingStatus;
    }
  }

  /**
   * Adds a Trading-API fixed-price listing without variations.
   *
   * @param sku the listing's SKU, or null for none
   * @param title the title
   * @param quantityAvailable the quantity available for sale
   * @return the ItemID
   */
  public String addTradingItem(@Nullable String sku, String title, int quantityAvailable) {
    synchronized (lock) {
      TrdItem item = new TrdItem("3" + (++idSeq) + "00", title, sku);
      item.quantity = quantityAvailable;
      trading.put(item.itemId, item);
      return item.itemId;
    }
  }

  /**
   * Adds a Trading-API multiple-variation listing.
   *
   * @param title the title
   * @param quantitiesBySku each variation's SKU and available quantity, in order
   * @return the ItemID
   */
  public String addTradingVariations(String title, Map<String, Integer> quantitiesBySku) {
    synchronized (lock) {
      TrdItem item = new TrdItem("3" + (++idSeq) + "00", title, null);
      quantitiesBySku.forEach((sku, q) -> {
        Variation v = new Variation(sku);
        v.quantity = q;
        item.variations.add(v);
      });
      trading.put(item.itemId, item);
      return item.itemId;
    }
  }

  /**
   * Ends a Trading-API listing: it leaves GetMyeBaySelling's ActiveList and refuses revisions.
   *
   * @param itemId the listing
   */
  public void endTradingItem(String itemId) {
    synchronized (lock) {
      trading(itemId).ended = true;
    }
  }

  // ============================================================ buyers and sellers

  /**
   * A buyer buys a SKU (from the Inventory-API item's published offers, or the Trading listing or
   * variation carrying it): the listing's quantity drops, an order is created and an {@code
   * ORDER_CONFIRMATION} notification is queued for {@link #takeNotifications()}.
   *
   * @param sku the SKU
   * @param quantity the units
   * @return the order id
   * @throws IllegalArgumentException if no listing carries the SKU or too few units are left
   */
  public String sell(String sku, int quantity) {
    synchronized (lock) {
      Order order = new Order(orderIdLocked(), stampLocked());
      Line line = new Line(order.orderId + "-" + (++idSeq), sku, quantity);
      InvItem item = items.get(sku);
      if (item != null) {
        if (item.quantity < quantity) {
          throw new IllegalArgumentException("only " + item.quantity + " of " + sku + " left");
        }
        item.quantity -= quantity;
        for (Offer o : item.offers) {
          if (o.published) {
            o.availableQuantity = Math.max(0, o.availableQuantity - quantity);
            o.soldQuantity += quantity;
            line.legacyItemId = o.listingId;
            if (o.availableQuantity == 0 && "ACTIVE".equals(o.listingStatus)) {
              o.listingStatus = "OUT_OF_STOCK";
            }
          }
        }
      } else {
        Object[] found = findTradingLocked(sku);
        if (found == null) {
          throw new IllegalArgumentException("no listing carries " + sku);
        }
        TrdItem t = (TrdItem) found[0];
        Variation v = (Variation) found[1];
        int available = v == null ? t.quantity : v.quantity;
        if (available < quantity) {
          throw new IllegalArgumentException("only " + available + " of " + sku + " left");
        }
        if (v == null) {
          t.quantity -= quantity;
          t.sold += quantity;
        } else {
          v.quantity -= quantity;
          v.sold += quantity;
        }
        line.legacyItemId = t.itemId;
      }
      order.lines.add(line);
      orders.add(order);
      notifyLocked(order, line);
      return order.orderId;
    }
  }

  /**
   * Marks every line of an order shipped.
   *
   * @param orderId the order
   */
  public void ship(String orderId) {
    synchronized (lock) {
      Order o = order(orderId);
      o.fulfillment = "FULFILLED";
      o.lines.forEach(l -> l.fulfillment = "FULFILLED");
      o.modified = stampLocked();
    }
  }

  /**
   * Cancels an order ({@code cancelState} CANCELED); its units return to the listing, as eBay
   * does for a fixed-price GTC listing.
   *
   * @param orderId the order
   */
  public void cancel(String orderId) {
    synchronized (lock) {
      Order o = order(orderId);
      o.cancelState = "CANCELED";
      o.modified = stampLocked();
      for (Line l : o.lines) {
        InvItem item = items.get(l.sku);
        if (item != null) {
          item.quantity += l.quantity;
          item.offers.stream().filter(f -> f.published).forEach(f -> f.availableQuantity += l.quantity);
        }
      }
    }
  }

  /**
   * Records a refund on a line ({@code lineItems[].refunds[]}); stock is not touched, as eBay's
   * refund says nothing about a restock.
   *
   * @param orderId the order
   * @param amount the refunded amount in USD, e.g. {@code "9.99"}
   */
  public void refund(String orderId, String amount) {
    synchronized (lock) {
      Order o = order(orderId);
      o.lines.get(0).refunds.add(Map.of("amount", Map.of("value", amount, "currency", "USD"),
          "refundDate", EBAY_TIME.format(clock.instant()), "refundId", "R" + (++idSeq)));
      o.modified = stampLocked();
    }
  }

  // ============================================================ inspection

  /**
   * The ship-to-home quantity of an Inventory-API item.
   *
   * @param sku the SKU
   * @return the quantity
   */
  public int shipToHomeQuantity(String sku) {
    synchronized (lock) {
      return item(sku).quantity;
    }
  }

  /**
   * An offer's availableQuantity.
   *
   * @param offerId the offer
   * @return the quantity
   */
  public int offerQuantity(String offerId) {
    synchronized (lock) {
      return offer(offerId).availableQuantity;
    }
  }

  /**
   * The quantity available on a Trading listing or one of its variations.
   *
   * @param itemId the ItemID
   * @param variationSku the variation's SKU, or null for the listing itself
   * @return Quantity minus QuantitySold
   */
  public int tradingQuantity(String itemId, @Nullable String variationSku) {
    synchronized (lock) {
      TrdItem t = trading(itemId);
      if (variationSku == null) {
        return t.quantity;
      }
      return t.variations.stream().filter(v -> v.sku.equals(variationSku)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no variation " + variationSku)).quantity;
    }
  }

  /**
   * How many revisions a listing had on the current UTC day.
   *
   * @param listingOrItemId an Inventory-API listingId or a Trading ItemID
   * @return the count
   */
  public int revisionsToday(String listingOrItemId) {
    synchronized (lock) {
      return revisions.getOrDefault(revisionKey(listingOrItemId), 0);
    }
  }

  /**
   * Sets a listing's revision count for today, to test the cap without 250 calls.
   *
   * @param listingOrItemId an Inventory-API listingId or a Trading ItemID
   * @param count the count
   */
  public void setRevisionsToday(String listingOrItemId, int count) {
    synchronized (lock) {
      chargeQuotaDayOnly();
      revisions.put(revisionKey(listingOrItemId), count);
    }
  }

  /**
   * The Inventory-API listingId of an offer.
   *
   * @param offerId the offer
   * @return its listing id
   */
  public String listingIdOf(String offerId) {
    synchronized (lock) {
      return Objects.requireNonNull(offer(offerId).listingId, "unpublished");
    }
  }

  /**
   * How many requests an operation received, whatever the outcome. Operations are named {@code
   * getInventoryItems}, {@code getOffers}, {@code bulkGetInventoryItem}, {@code
   * bulkUpdatePriceQuantity}, {@code getOrders}, {@code getOrder}, {@code getPublicKey}, {@code
   * token}, or the
   * Trading call name.
   *
   * @param operation the operation
   * @return the count
   */
  public int calls(String operation) {
    synchronized (lock) {
      return callsByOperation.getOrDefault(operation, 0);
    }
  }

  /**
   * Calls charged to an API's daily quota since the emulator started.
   *
   * @param api the API
   * @return the count
   */
  public int callsTotal(Api api) {
    synchronized (lock) {
      return callsTotal.getOrDefault(api, 0);
    }
  }

  /**
   * How many requests were refused for a spent quota or the Trading 15-second cap.
   *
   * @return the count
   */
  public int throttledCount() {
    synchronized (lock) {
      return throttled;
    }
  }

  /**
   * How many bulk update requests carried a price (a connector must never send one).
   *
   * @return the count
   */
  public int priceUpdates() {
    synchronized (lock) {
      return priceUpdates;
    }
  }

  /**
   * Successful refresh-token grants so far.
   *
   * @return the count
   */
  public int tokenGrants() {
    return tokens.refreshesServed();
  }

  /**
   * Every exchange so far, in order.
   *
   * @return a copy of the log
   */
  public List<Exchange> exchanges() {
    synchronized (lock) {
      return List.copyOf(exchanges);
    }
  }

  /**
   * Removes and returns the notifications queued by sales.
   *
   * @return the notifications, oldest first
   */
  public List<Notification> takeNotifications() {
    synchronized (lock) {
      List<Notification> out = List.copyOf(notifications);
      notifications.clear();
      return out;
    }
  }

  // ============================================================ auth and faults

  /**
   * Expires every access token now, as 2 hours passing would.
   */
  public void expireAccessTokens() {
    synchronized (lock) {
      accessTokens.replaceAll((t, exp) -> Instant.MIN);
    }
    tokens.expireAccessTokens();
  }

  /**
   * Revokes every refresh token (the seller withdrew consent): grants answer {@code
   * invalid_grant} and issued access tokens stop working.
   */
  public void revokeRefreshTokens() {
    tokens.revokeAll();
  }

  /**
   * Makes the next {@code n} API requests (not token grants) fail.
   *
   * @param n how many
   * @param fault the fault
   */
  public void failNext(int n, Fault fault) {
    synchronized (lock) {
      for (int i = 0; i < n; i++) {
        faults.add(fault);
      }
    }
  }

  // ============================================================ dispatch

  private MockResponse serve(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    String path = url.encodedPath();
    String method = request.getMethod();
    Reply reply;
    synchronized (lock) {
      try {
        reply = route(method, path, url, request.getHeaders(), body);
      } catch (RuntimeException e) {
        reply = restError(500, 25001, "API_INVENTORY", "APPLICATION",
            "A system error has occurred. " + e.getMessage());
      }
    }
    if (reply == null) {
      return tokens.dispatch(request);
    }
    synchronized (lock) {
      Map<String, String> headers = new HashMap<>();
      for (String name : request.getHeaders().names()) {
        headers.put(name.toLowerCase(Locale.ROOT), request.getHeaders().get(name));
      }
      String query = url.encodedQuery();
      exchanges.add(new Exchange(method, path, query == null ? "" : query, headers, body,
          reply.status, reply.contentType, reply.body));
    }
    return new MockResponse.Builder().code(reply.status)
        .setHeader("Content-Type", reply.contentType).body(reply.body).build();
  }

  private record Reply(int status, String contentType, String body) {}

  private @Nullable Reply route(String method, String path, HttpUrl url, Headers headers, String body) {
    if (path.equals(tokens.path())) {
      count("token");
      return null; // answered by the shared token-endpoint emulator, outside our lock
    }
    if (method.equals("POST") && path.equals("/ws/api.dll")) {
      return trading(headers, body);
    }
    Api api;
    String op;
    if (path.equals("/sell/inventory/v1/inventory_item") && method.equals("GET")) {
      api = Api.INVENTORY;
      op = "getInventoryItems";
    } else if (path.equals("/sell/inventory/v1/offer") && method.equals("GET")) {
      api = Api.INVENTORY;
      op = "getOffers";
    } else if (path.equals("/sell/inventory/v1/bulk_get_inventory_item") && method.equals("POST")) {
      api = Api.INVENTORY;
      op = "bulkGetInventoryItem";
    } else if (path.equals("/sell/inventory/v1/bulk_update_price_quantity") && method.equals("POST")) {
      api = Api.INVENTORY;
      op = "bulkUpdatePriceQuantity";
    } else if (path.equals("/sell/fulfillment/v1/order") && method.equals("GET")) {
      api = Api.FULFILLMENT;
      op = "getOrders";
    } else if (path.startsWith("/sell/fulfillment/v1/order/") && method.equals("GET")
        && path.indexOf('/', "/sell/fulfillment/v1/order/".length()) < 0) {
      api = Api.FULFILLMENT;
      op = "getOrder";
    } else if (path.startsWith("/commerce/notification/v1/public_key/") && method.equals("GET")) {
      api = Api.NOTIFICATION;
      op = "getPublicKey";
    } else {
      return restError(404, 2002, "API_INVENTORY", "REQUEST", "Resource not found");
    }
    count(op);
    if (!bearerValid(headers.get("Authorization"))) {
      return restError(401, 1001, "OAuth", "REQUEST", "Invalid access token",
          "Invalid access token. Check the value of the Authorization HTTP request header.");
    }
    Fault fault = faults.poll();
    if (fault != null) {
      return restFault(fault);
    }
    if (!chargeQuota(api)) {
      throttled++;
      return restError(429, 2001, "ACCESS", "REQUEST",
          "Too many requests. The request limit has been reached for the resource.");
    }
    switch (op) {
      case "getInventoryItems":
        return getInventoryItems(url);
      case "getOffers":
        return getOffers(url);
      case "bulkGetInventoryItem":
        return bulkGet(headers, body);
      case "bulkUpdatePriceQuantity":
        return bulkUpdate(headers, body);
      case "getOrders":
        return getOrders(url);
      case "getOrder":
        return getOrder(url);
      default:
        return publicKey(path.substring(path.lastIndexOf('/') + 1));
    }
  }

  private void count(String op) {
    callsByOperation.merge(op, 1, Integer::sum);
  }

  private void chargeQuotaDayOnly() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!today.equals(quotaDay)) {
      quotaDay = today;
      callsToday.clear();
      revisions.clear();
    }
  }

  private boolean chargeQuota(Api api) {
    chargeQuotaDayOnly();
    callsTotal.merge(api, 1, Integer::sum);
    long used = callsToday.merge(api, 1L, Long::sum);
    return used <= dailyLimits.get(api);
  }

  private boolean bearerValid(@Nullable String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    return tokenValid(authorization.substring("Bearer ".length()).trim());
  }

  private boolean tokenValid(String token) {
    Instant expiry = accessTokens.get(token);
    if (expiry != null) {
      return clock.instant().isBefore(expiry);
    }
    return tokens.check(token) == TokenEndpointEmulator.AccessCheck.VALID;
  }

  private boolean tokenKnown(String token) {
    return accessTokens.containsKey(token)
        || tokens.check(token) != TokenEndpointEmulator.AccessCheck.UNKNOWN;
  }

  private Reply restFault(Fault fault) {
    switch (fault) {
      case TOO_MANY_REQUESTS:
        throttled++;
        return restError(429, 2001, "ACCESS", "REQUEST",
            "Too many requests. The request limit has been reached for the resource.");
      case EXPIRED_TOKEN:
        return restError(401, 1001, "OAuth", "REQUEST", "Invalid access token");
      case SERVER_ERROR:
      default:
        return restError(500, 25001, "API_INVENTORY", "APPLICATION", "A system error has occurred.");
    }
  }

  private static Reply restError(int status, int errorId, String domain, String category,
      String message) {
    return restError(status, errorId, domain, category, message, message);
  }

  private static Reply restError(int status, int errorId, String domain, String category,
      String message, String longMessage) {
    Map<String, @Nullable Object> error = error(errorId, domain, category, message, longMessage);
    return new Reply(status, JSON, Json.write(Json.object("errors", List.of(error))));
  }

  private static Map<String, @Nullable Object> error(int errorId, String domain, String category,
      String message, String longMessage, String... parameters) {
    Map<String, @Nullable Object> error = Json.object();
    error.put("errorId", errorId);
    error.put("domain", domain);
    error.put("category", category);
    error.put("message", message);
    error.put("longMessage", longMessage);
    if (parameters.length > 0) {
      List<Object> params = new ArrayList<>();
      for (int i = 0; i + 1 < parameters.length; i += 2) {
        params.add(Json.object("name", parameters[i], "value", parameters[i + 1]));
      }
      error.put("parameters", params);
    }
    return error;
  }

  // ============================================================ OAuth

  /**
   * The embedded token endpoint ({@code POST /identity/v1/oauth2/token}, eBay preset of the shared
   * {@link TokenEndpointEmulator}): issue refresh tokens with it, revoke them, inject its faults.
   *
   * @return the token endpoint
   */
  public TokenEndpointEmulator tokens() {
    return tokens;
  }

  // ============================================================ Inventory API

  private Reply getInventoryItems(HttpUrl url) {
    Integer limit = intParam(url.queryParameter("limit"), 25);
    Integer page = intParam(url.queryParameter("offset"), 0);
    if (limit == null || limit < 1 || limit > 200 || page == null || page < 0) {
      return restError(400, 25706, "API_INVENTORY", "REQUEST",
          "You have provided invalid pagination values. limit 1..200, offset >= 0.");
    }
    List<InvItem> all = new ArrayList<>(items.values());
    int total = all.size();
    int pages = (total + limit - 1) / limit;
    int from = Math.min(total, page * limit);
    int to = Math.min(total, from + limit);
    List<Object> out = new ArrayList<>();
    for (InvItem item : all.subList(from, to)) {
      out.add(itemJson(item));
    }
    Map<String, @Nullable Object> answer = Json.object();
    answer.put("href", pageHref(url, limit, page));
    answer.put("limit", limit);
    if (to < total) {
      answer.put("next", pageHref(url, limit, page + 1));
    }
    if (page > 0) {
      answer.put("prev", pageHref(url, limit, page - 1));
    }
    answer.put("size", pages);
    answer.put("total", total);
    answer.put("inventoryItems", out);
    return new Reply(200, JSON, Json.write(answer));
  }

  private static String pageHref(HttpUrl url, int limit, int offset) {
    return "https://api.ebay.com/sell/inventory/v1/inventory_item?limit=" + limit + "&offset="
        + offset;
  }

  private Map<String, @Nullable Object> itemJson(InvItem item) {
    Map<String, @Nullable Object> json = Json.object();
    json.put("sku", item.sku);
    json.put("locale", "en_US");
    json.put("condition", "NEW");
    json.put("product", Json.object("title", item.title));
    json.put("availability", Json.object("shipToLocationAvailability",
        Json.object("quantity", item.quantity)));
    return json;
  }

  private Reply getOffers(HttpUrl url) {
    String sku = url.queryParameter("sku");
    if (sku == null || sku.isEmpty() || sku.length() > 50) {
      return restError(400, 25709, "API_INVENTORY", "REQUEST",
          "Invalid value for sku. The sku query parameter is required.");
    }
    InvItem item = items.get(sku);
    if (item == null || item.offers.isEmpty()) {
      return restError(404, 25713, "API_INVENTORY", "REQUEST", "This Offer is not available.");
    }
    List<Object> out = new ArrayList<>();
    for (Offer o : item.offers) {
      Map<String, @Nullable Object> json = Json.object();
      json.put("offerId", o.offerId);
      json.put("sku", item.sku);
      json.put("marketplaceId", marketplaceId);
      json.put("format", o.format);
      json.put("availableQuantity", o.availableQuantity);
      json.put("pricingSummary", Json.object("price", Json.object("value", "9.99", "currency", "USD")));
      json.put("status", o.published ? "PUBLISHED" : "UNPUBLISHED");
      if (o.published) {
        Map<String, @Nullable Object> listing = Json.object();
        listing.put("listingId", o.listingId);
        listing.put("listingStatus", o.listingStatus);
        listing.put("soldQuantity", o.soldQuantity);
        json.put("listing", listing);
      }
      out.add(json);
    }
    Map<String, @Nullable Object> answer = Json.object();
    answer.put("href", "https://api.ebay.com/sell/inventory/v1/offer?sku=" + sku);
    answer.put("limit", 100);
    answer.put("size", 1);
    answer.put("total", out.size());
    answer.put("offers", out);
    return new Reply(200, JSON, Json.write(answer));
  }

  private Reply bulkGet(Headers headers, String body) {
    List<Map<String, @Nullable Object>> requests = requests(body);
    if (requests == null || requests.isEmpty() || requests.size() > 25) {
      return restError(400, 25709, "API_INVENTORY", "REQUEST",
          "Invalid value for requests. Between 1 and 25 SKUs per call.");
    }
    List<Object> responses = new ArrayList<>();
    for (Map<String, @Nullable Object> r : requests) {
      String sku = String.valueOf(r.get("sku"));
      InvItem item = items.get(sku);
      Map<String, @Nullable Object> response = Json.object();
      response.put("sku", sku);
      if (item == null) {
        response.put("statusCode", 404);
        response.put("errors", List.of(error(25702, "API_INVENTORY", "REQUEST",
            "SKU " + sku + " is not available in the system", "SKU not found")));
      } else {
        response.put("statusCode", 200);
        response.put("inventoryItem", itemJson(item));
      }
      responses.add(response);
    }
    return new Reply(200, JSON, Json.write(Json.object("responses", responses)));
  }

  @SuppressWarnings("unchecked")
  private static @Nullable List<Map<String, @Nullable Object>> requests(String body) {
    Object parsed = Json.parse(body);
    if (!(parsed instanceof Map<?, ?> map) || !(map.get("requests") instanceof List<?> list)) {
      return null;
    }
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?>)) {
        return null;
      }
      out.add((Map<String, @Nullable Object>) o);
    }
    return out;
  }

  private Reply bulkUpdate(Headers headers, String body) {
    String contentType = headers.get("Content-Type");
    if (contentType == null || !contentType.startsWith("application/json")) {
      return restError(400, 25709, "API_INVENTORY", "REQUEST",
          "Invalid value for Content-Type. application/json is required.");
    }
    List<Map<String, @Nullable Object>> requests = requests(body);
    if (requests == null || requests.isEmpty() || requests.size() > 25) {
      return restError(400, 25709, "API_INVENTORY", "REQUEST",
          "Invalid value for requests. Between 1 and 25 inventory items per call.");
    }
    List<Object> responses = new ArrayList<>();
    boolean allOk = true;
    for (Map<String, @Nullable Object> r : requests) {
      for (Map<String, @Nullable Object> response : applyPriceQuantity(r)) {
        allOk &= Integer.valueOf(200).equals(response.get("statusCode"));
        responses.add(response);
      }
    }
    return new Reply(allOk ? 200 : 207, JSON, Json.write(Json.object("responses", responses)));
  }

  private List<Map<String, @Nullable Object>> applyPriceQuantity(Map<String, @Nullable Object> r) {
    String sku = r.get("sku") == null ? null : String.valueOf(r.get("sku"));
    Object offersValue = r.get("offers");
    List<Map<String, @Nullable Object>> offerRequests = new ArrayList<>();
    if (offersValue instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, @Nullable Object> cast = (Map<String, @Nullable Object>) m;
          offerRequests.add(cast);
        }
      }
    }
    Object ship = r.get("shipToLocationAvailability");
    InvItem item = sku == null ? null : items.get(sku);
    if (sku == null || item == null) {
      return List.of(itemFailure(sku, null, 400, error(25702, "API_INVENTORY", "REQUEST",
          "SKU " + sku + " is not available in the system", "SKU not found")));
    }
    Long shipQuantity = null;
    if (ship instanceof Map<?, ?> m && m.get("quantity") instanceof Number n) {
      shipQuantity = n.longValue();
    }
    if (shipQuantity != null && shipQuantity < 0) {
      return List.of(itemFailure(sku, null, 400, error(25709, "API_INVENTORY", "REQUEST",
          "Invalid value for quantity.", "quantity must not be negative")));
    }
    // Validate every offer first: the item either applies whole or not at all.
    List<Offer> offers = new ArrayList<>();
    for (Map<String, @Nullable Object> req : offerRequests) {
      Offer offer = item.offers.stream()
          .filter(o -> o.offerId.equals(String.valueOf(req.get("offerId")))).findFirst().orElse(null);
      if (offer == null || !offer.published) {
        return List.of(itemFailure(sku, String.valueOf(req.get("offerId")), 400,
            error(25713, "API_INVENTORY", "REQUEST", "This Offer is not available.",
                "The offer does not exist, is not published or belongs to another SKU.")));
      }
      if (req.containsKey("price")) {
        priceUpdates++;
      }
      Object q = req.get("availableQuantity");
      if (q instanceof Number n && n.longValue() < 0) {
        return List.of(itemFailure(sku, offer.offerId, 400, error(25709, "API_INVENTORY",
            "REQUEST", "Invalid value for availableQuantity.", "must not be negative")));
      }
      if (offer.listingId != null
          && revisions.getOrDefault(revisionKey(offer.listingId), 0) >= REVISIONS_PER_DAY) {
        return List.of(itemFailure(sku, offer.offerId, 400, error(25002, "API_INVENTORY",
            "REQUEST", "This listing has been revised the maximum number of times today.",
            "A listing can be revised at most " + REVISIONS_PER_DAY + " times per calendar day.",
            "listingId", offer.listingId)));
      }
      offers.add(offer);
    }
    if (shipQuantity != null) {
      item.quantity = (int) (long) shipQuantity;
    }
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (int i = 0; i < offers.size(); i++) {
      Offer offer = offers.get(i);
      Object q = offerRequests.get(i).get("availableQuantity");
      if (q instanceof Number n) {
        offer.availableQuantity = n.intValue();
        if ("OUT_OF_STOCK".equals(offer.listingStatus) && offer.availableQuantity > 0) {
          offer.listingStatus = "ACTIVE";
        } else if ("ACTIVE".equals(offer.listingStatus) && offer.availableQuantity == 0) {
          offer.listingStatus = "OUT_OF_STOCK";
        }
      }
      revisions.merge(revisionKey(Objects.requireNonNull(offer.listingId)), 1, Integer::sum);
      Map<String, @Nullable Object> ok = Json.object();
      ok.put("statusCode", 200);
      ok.put("sku", sku);
      ok.put("offerId", offer.offerId);
      out.add(ok);
    }
    if (out.isEmpty()) {
      Map<String, @Nullable Object> ok = Json.object();
      ok.put("statusCode", 200);
      ok.put("sku", sku);
      out.add(ok);
    }
    return out;
  }

  private static Map<String, @Nullable Object> itemFailure(@Nullable String sku,
      @Nullable String offerId, int status, Map<String, @Nullable Object> error) {
    Map<String, @Nullable Object> out = Json.object();
    out.put("statusCode", status);
    if (sku != null) {
      out.put("sku", sku);
    }
    if (offerId != null) {
      out.put("offerId", offerId);
    }
    out.put("errors", List.of(error));
    return out;
  }

  private static String revisionKey(String listingOrItemId) {
    return "listing:" + listingOrItemId;
  }

  // ============================================================ Fulfillment API

  /**
   * getOrder: one order in the getOrders shape. The spec lists errorId 32100 ("Invalid order ID")
   * under 400 and a bare 404: an id that is not eBay's {@code NN-NNNNN-NNNNN} shape answers the
   * 400, a well-formed id the seller has no order for answers 404.
   */
  private Reply getOrder(HttpUrl url) {
    String id = url.pathSegments().get(url.pathSegments().size() - 1);
    String groups = url.queryParameter("fieldGroups");
    if (groups != null && !groups.equals("TAX_BREAKDOWN")) {
      return restError(400, 32800, "API_FULFILLMENT", "REQUEST", "Invalid field group: " + groups);
    }
    if (!id.matches("\\d{2}-\\d{5}-\\d{5}")) {
      return restError(400, 32100, "API_FULFILLMENT", "REQUEST", "Invalid order ID: " + id);
    }
    for (Order o : orders) {
      if (o.orderId.equals(id)) {
        return new Reply(200, JSON, Json.write(orderJson(o)));
      }
    }
    return new Reply(404, JSON, "");
  }

  private Reply getOrders(HttpUrl url) {
    String rawQuery = url.encodedQuery() == null ? "" : url.encodedQuery();
    String rawFilter = null;
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith("filter=")) {
        rawFilter = pair.substring("filter=".length());
      }
    }
    Integer limit = intParam(url.queryParameter("limit"), 50);
    if (limit == null || limit < 1 || limit > 200) {
      return restError(400, 31100, "API_FULFILLMENT", "REQUEST", "Invalid limit. Supported ranges 1 - 200.");
    }
    Integer offset = intParam(url.queryParameter("offset"), 0);
    if (offset == null || offset < 0) {
      return restError(400, 31000, "API_FULFILLMENT", "REQUEST", "Invalid offset.");
    }
    Instant now = clock.instant();
    Instant modFrom = null;
    Instant modTo = null;
    Instant createdFrom = now.minus(Duration.ofDays(90));
    Instant createdTo = null;
    List<String> statuses = null;
    if (rawFilter != null) {
      if (rawFilter.matches(".*[\\[\\]{}|].*")) {
        return restError(400, 30800, "API_FULFILLMENT", "REQUEST",
            "Invalid filter value. The characters [ ] { | } must be percent-encoded.");
      }
      String filter = URLDecoder.decode(rawFilter.replace("+", "%2B"), StandardCharsets.UTF_8);
      boolean sawCreation = false;
      for (String criterion : splitCriteria(filter)) {
        int colon = criterion.indexOf(':');
        if (colon < 0) {
          return restError(400, 30700, "API_FULFILLMENT", "REQUEST", "Invalid filter name.");
        }
        String name = criterion.substring(0, colon);
        String value = criterion.substring(colon + 1);
        switch (name) {
          case "creationdate":
          case "lastmodifieddate": {
            Matcher m = DATE_RANGE.matcher(value);
            if (!m.matches()) {
              return restError(400, 30800, "API_FULFILLMENT", "REQUEST", "Invalid filter value " + value);
            }
            if (m.group(1).isEmpty()) {
              return restError(400, 30820, "API_FULFILLMENT", "REQUEST", "Start date is missing.");
            }
            Instant from;
            Instant to = null;
            try {
              from = Instant.from(EBAY_TIME.parse(m.group(1)));
              if (!m.group(2).isEmpty()) {
                to = Instant.from(EBAY_TIME.parse(m.group(2)));
              }
            } catch (DateTimeParseException e) {
              return restError(400, 30810, "API_FULFILLMENT", "REQUEST",
                  "Invalid date format. Use yyyy-MM-ddTHH:mm:ss.SSSZ.");
            }
            if (to != null && from.isAfter(to)) {
              return restError(400, 30840, "API_FULFILLMENT", "REQUEST", "Start date is after end date.");
            }
            if (from.isAfter(now) || (to != null && to.isAfter(now.plusSeconds(1)))) {
              return restError(400, 30850, "API_FULFILLMENT", "REQUEST", "Dates in the future are not allowed.");
            }
            if (from.isBefore(now.minus(Duration.ofDays(730)))) {
              return restError(400, 30830, "API_FULFILLMENT", "REQUEST",
                  "The date range is longer than allowed: at most two years back.");
            }
            if (name.equals("creationdate")) {
              sawCreation = true;
              createdFrom = from;
              createdTo = to;
            } else {
              modFrom = from;
              modTo = to;
            }
            break;
          }
          case "orderfulfillmentstatus":
            if (value.equals("{NOT_STARTED|IN_PROGRESS}")) {
              statuses = List.of("NOT_STARTED", "IN_PROGRESS");
            } else if (value.equals("{FULFILLED|IN_PROGRESS}")) {
              statuses = List.of("FULFILLED", "IN_PROGRESS");
            } else {
              return restError(400, 30800, "API_FULFILLMENT", "REQUEST", "Invalid filter value " + value);
            }
            break;
          default:
            return restError(400, 30700, "API_FULFILLMENT", "REQUEST", "Invalid filter name " + name);
        }
      }
      if (sawCreation) {
        modFrom = null; // "If both date filters are given, only creationdate is used."
        modTo = null;
      } else if (modFrom != null) {
        createdFrom = now.minus(Duration.ofDays(730));
      }
    }
    List<Order> matching = new ArrayList<>();
    for (Order o : orders) {
      if (o.created.isBefore(createdFrom) || (createdTo != null && o.created.isAfter(createdTo))) {
        continue;
      }
      if (modFrom != null && (o.modified.isBefore(modFrom) || (modTo != null && o.modified.isAfter(modTo)))) {
        continue;
      }
      if (statuses != null && !statuses.contains(o.fulfillment)) {
        continue;
      }
      matching.add(o);
    }
    matching.sort((a, b) -> b.created.compareTo(a.created));
    int total = matching.size();
    int from = Math.min(total, offset);
    int to = Math.min(total, from + limit);
    List<Object> out = new ArrayList<>();
    for (Order o : matching.subList(from, to)) {
      out.add(orderJson(o));
    }
    Map<String, @Nullable Object> answer = Json.object();
    String base = "https://api.ebay.com/sell/fulfillment/v1/order?"
        + (rawFilter == null ? "" : "filter=" + rawFilter + "&") + "limit=" + limit + "&offset=";
    answer.put("href", base + offset);
    answer.put("total", total);
    answer.put("limit", limit);
    answer.put("offset", offset);
    if (to < total) {
      answer.put("next", base + to);
    }
    if (offset > 0) {
      answer.put("prev", base + Math.max(0, offset - limit));
    }
    answer.put("orders", out);
    return new Reply(200, JSON, Json.write(answer));
  }

  private static List<String> splitCriteria(String filter) {
    // Commas separate criteria; none appear inside brackets or braces in the supported syntax.
    List<String> out = new ArrayList<>();
    for (String part : filter.split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  private Map<String, @Nullable Object> orderJson(Order o) {
    Map<String, @Nullable Object> json = Json.object();
    json.put("orderId", o.orderId);
    json.put("creationDate", EBAY_TIME.format(o.created));
    json.put("lastModifiedDate", EBAY_TIME.format(o.modified));
    json.put("orderFulfillmentStatus", o.fulfillment);
    json.put("orderPaymentStatus", "PAID");
    json.put("sellerId", sellerId);
    Map<String, @Nullable Object> cancel = Json.object();
    cancel.put("cancelState", o.cancelState);
    cancel.put("cancelRequests", List.of());
    if (o.cancelState.equals("CANCELED")) {
      cancel.put("cancelledDate", EBAY_TIME.format(o.modified));
    }
    json.put("cancelStatus", cancel);
    List<Object> lines = new ArrayList<>();
    List<Object> refunds = new ArrayList<>();
    for (Line l : o.lines) {
      Map<String, @Nullable Object> line = Json.object();
      line.put("lineItemId", l.lineItemId);
      if (l.legacyItemId != null) {
        line.put("legacyItemId", l.legacyItemId);
      }
      line.put("sku", l.sku);
      line.put("title", "Item " + l.sku);
      line.put("quantity", l.quantity);
      line.put("soldFormat", "FIXED_PRICE");
      line.put("listingMarketplaceId", marketplaceId);
      line.put("purchaseMarketplaceId", marketplaceId);
      line.put("lineItemFulfillmentStatus", l.fulfillment);
      line.put("lineItemCost", Json.object("value", "9.99", "currency", "USD"));
      line.put("refunds", new ArrayList<>(l.refunds));
      refunds.addAll(l.refunds);
      lines.add(line);
    }
    json.put("lineItems", lines);
    Map<String, @Nullable Object> payment = Json.object();
    payment.put("totalDueSeller", Json.object("value", "9.99", "currency", "USD"));
    payment.put("refunds", refunds);
    payment.put("payments", List.of());
    json.put("paymentSummary", payment);
    return json;
  }

  // ============================================================ Notification API

  private Reply publicKey(String keyIdAsked) {
    if (!keyIdAsked.equals(keyId)) {
      return restError(404, 195001, "API_NOTIFICATION", "REQUEST", "The specified key id is invalid.");
    }
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(signingKey.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----";
    Map<String, @Nullable Object> answer = Json.object();
    answer.put("algorithm", "ECDSA");
    answer.put("digest", "SHA1");
    answer.put("key", pem);
    return new Reply(200, JSON, Json.write(answer));
  }

  /**
   * Signs a body the way eBay signs notifications: {@code X-EBAY-SIGNATURE} is the base64 of a
   * JSON object {@code {"alg":"ecdsa","kid":...,"signature":...,"digest":"SHA1"}} whose {@code
   * signature} is the base64 DER ECDSA signature (SHA-1) over the raw body; the key is served by
   * {@code getPublicKey} under {@code kid}.
   *
   * @param body the body to sign
   * @return the notification
   */
  public Notification sign(byte[] body) {
    try {
      Signature signer = Signature.getInstance("SHA1withECDSA");
      signer.initSign(signingKey.getPrivate());
      signer.update(body);
      Map<String, @Nullable Object> header = Json.object();
      header.put("alg", "ecdsa");
      header.put("kid", keyId);
      header.put("signature", Base64.getEncoder().encodeToString(signer.sign()));
      header.put("digest", "SHA1");
      String value = Base64.getEncoder().encodeToString(
          Json.write(header).getBytes(StandardCharsets.UTF_8));
      return new Notification(value, body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign", e);
    }
  }

  private void notifyLocked(Order order, Line line) {
    Map<String, @Nullable Object> metadata = Json.object();
    metadata.put("topic", "ORDER_CONFIRMATION");
    metadata.put("schemaVersion", "1.0");
    metadata.put("deprecated", false);
    Map<String, @Nullable Object> data = Json.object();
    data.put("orderId", order.orderId);
    data.put("lineItemId", line.lineItemId);
    data.put("sellerId", sellerId);
    Map<String, @Nullable Object> notification = Json.object();
    notification.put("notificationId", "n-" + (++idSeq));
    notification.put("eventDate", EBAY_TIME.format(order.created));
    notification.put("publishDate", EBAY_TIME.format(clock.instant()));
    notification.put("publishAttemptCount", 1);
    notification.put("data", data);
    byte[] body = Json.write(Json.object("metadata", metadata, "notification", notification))
        .getBytes(StandardCharsets.UTF_8);
    notifications.add(sign(body));
  }

  // ============================================================ Trading API

  private Reply trading(Headers headers, String body) {
    String call = headers.get("X-EBAY-API-CALL-NAME");
    count(call == null ? "Trading?" : call);
    if (call == null || headers.get("X-EBAY-API-SITEID") == null
        || headers.get("X-EBAY-API-COMPATIBILITY-LEVEL") == null) {
      return tradingFailure(String.valueOf(call), "2", "Unsupported API call.",
          "The headers X-EBAY-API-CALL-NAME, X-EBAY-API-SITEID and"
              + " X-EBAY-API-COMPATIBILITY-LEVEL are required.", "RequestError");
    }
    String token = headers.get("X-EBAY-API-IAF-TOKEN");
    if (token == null || !tokenKnown(token)) {
      return tradingFailure(call, "21916984", "Invalid IAF token.",
          "IAF token supplied is invalid.", "RequestError");
    }
    if (!tokenValid(token)) {
      return tradingFailure(call, "21917053", "Expired IAF token.",
          "IAF token supplied is expired.", "RequestError");
    }
    Fault fault = faults.poll();
    if (fault == Fault.SERVER_ERROR) {
      return new Reply(500, XML, tradingEnvelope(call, "Failure",
          errorXml("10007", "Internal error to the application.",
              "Internal error to the application.", "Error", "SystemError", List.of())));
    } else if (fault == Fault.TOO_MANY_REQUESTS) {
      throttled++;
      return tradingFailure(call, "518", "Call usage limit has been reached.",
          "Your application has exceeded usage limit on this call.", "RequestError");
    } else if (fault == Fault.EXPIRED_TOKEN) {
      return tradingFailure(call, "21917053", "Expired IAF token.",
          "IAF token supplied is expired.", "RequestError");
    }
    if (!chargeQuota(Api.TRADING)) {
      throttled++;
      return tradingFailure(call, "518", "Call usage limit has been reached.",
          "Your application has exceeded usage limit on this call.", "RequestError");
    }
    TradingXml.Element request;
    try {
      request = TradingXml.parse(body);
    } catch (IllegalArgumentException e) {
      return tradingFailure(call, "5", "XML Parse error.", String.valueOf(e.getMessage()), "RequestError");
    }
    if (!request.name().equals(call + "Request") || !NS.equals(request.namespace())) {
      return tradingFailure(call, "2", "Unsupported API call.",
          "The root element must be " + call + "Request in " + NS + ".", "RequestError");
    }
    switch (call) {
      case "GetUser":
        return new Reply(200, XML, tradingEnvelope(call, "Success",
            "<User><UserID>" + esc(sellerId) + "</UserID><Site>US</Site>"
                + "<Status>Confirmed</Status></User>"));
      case "GetMyeBaySelling":
        return getMyeBaySelling(request);
      case "GetItem":
        return getItem(request);
      case "ReviseInventoryStatus":
        return reviseInventoryStatus(request);
      default:
        return tradingFailure(call, "2", "Unsupported API call.",
            "The API call " + call + " is not supported by this emulator.", "RequestError");
    }
  }

  private Reply getMyeBaySelling(TradingXml.Element request) {
    TradingXml.Element active = request.child("ActiveList");
    if (active == null || !"true".equals(active.text("Include"))) {
      return new Reply(200, XML, tradingEnvelope("GetMyeBaySelling", "Success", ""));
    }
    TradingXml.Element pagination = active.child("Pagination");
    int perPage = 25;
    int pageNumber = 1;
    if (pagination != null) {
      Integer e = intParam(pagination.text("EntriesPerPage"), 25);
      Integer p = intParam(pagination.text("PageNumber"), 1);
      if (e == null || e < 1 || e > 200 || p == null || p < 1) {
        return tradingFailure("GetMyeBaySelling", "340", "Invalid pagination.",
            "EntriesPerPage must be 1..200 and PageNumber at least 1.", "RequestError");
      }
      perPage = e;
      pageNumber = p;
    }
    List<TrdItem> live = trading.values().stream().filter(t -> !t.ended).toList();
    int total = live.size();
    int pages = Math.max(1, (total + perPage - 1) / perPage);
    int from = Math.min(total, (pageNumber - 1) * perPage);
    int to = Math.min(total, from + perPage);
    StringBuilder xml = new StringBuilder("<ActiveList><ItemArray>");
    for (TrdItem t : live.subList(from, to)) {
      xml.append(itemXml(t, true));
    }
    xml.append("</ItemArray><PaginationResult><TotalNumberOfPages>").append(pages)
        .append("</TotalNumberOfPages><TotalNumberOfEntries>").append(total)
        .append("</TotalNumberOfEntries></PaginationResult></ActiveList>");
    return new Reply(200, XML, tradingEnvelope("GetMyeBaySelling", "Success", xml.toString()));
  }

  private String itemXml(TrdItem t, boolean myEbay) {
    StringBuilder xml = new StringBuilder("<Item>");
    xml.append("<ItemID>").append(t.itemId).append("</ItemID>");
    xml.append("<ListingType>FixedPriceItem</ListingType>");
    int totalQuantity;
    int sold;
    if (t.variations.isEmpty()) {
      totalQuantity = t.quantity + t.sold;
      sold = t.sold;
    } else {
      totalQuantity = t.variations.stream().mapToInt(v -> v.quantity + v.sold).sum();
      sold = t.variations.stream().mapToInt(v -> v.sold).sum();
    }
    xml.append("<Quantity>").append(totalQuantity).append("</Quantity>");
    if (myEbay) {
      xml.append("<QuantityAvailable>").append(totalQuantity - sold).append("</QuantityAvailable>");
    }
    xml.append("<SellingStatus><QuantitySold>").append(sold).append("</QuantitySold>")
        .append("<ListingStatus>").append(t.ended ? "Completed" : "Active")
        .append("</ListingStatus></SellingStatus>");
    if (t.sku != null) {
      xml.append("<SKU>").append(esc(t.sku)).append("</SKU>");
    }
    xml.append("<Title>").append(esc(t.title)).append("</Title>");
    if (!t.variations.isEmpty()) {
      xml.append("<Variations>");
      for (Variation v : t.variations) {
        xml.append("<Variation><SKU>").append(esc(v.sku)).append("</SKU><Quantity>")
            .append(v.quantity + v.sold).append("</Quantity><SellingStatus><QuantitySold>")
            .append(v.sold).append("</QuantitySold></SellingStatus><VariationTitle>")
            .append(esc(t.title + "[" + v.sku + "]")).append("</VariationTitle></Variation>");
      }
      xml.append("</Variations>");
    }
    return xml.append("</Item>").toString();
  }

  private Reply getItem(TradingXml.Element request) {
    String itemId = request.text("ItemID");
    TrdItem t = itemId == null ? null : trading.get(itemId);
    if (t == null) {
      return tradingFailure("GetItem", "17", "This item cannot be accessed because the listing has"
          + " been deleted or you are not the seller.", "Item not found: " + itemId, "RequestError");
    }
    return new Reply(200, XML, tradingEnvelope("GetItem", "Success", itemXml(t, false)));
  }

  private Reply reviseInventoryStatus(TradingXml.Element request) {
    Instant now = clock.instant();
    while (!reviseCalls.isEmpty() && !reviseCalls.peekFirst().isAfter(now.minusSeconds(15))) {
      reviseCalls.pollFirst();
    }
    if (reviseCalls.size() >= reviseCallsPer15Seconds) {
      throttled++;
      return tradingFailure("ReviseInventoryStatus", "21919144", "Maximum Call Limit Exceeded.",
          "No more than " + reviseCallsPer15Seconds
              + " ReviseInventoryStatus calls per seller in any 15 seconds.", "RequestError");
    }
    reviseCalls.addLast(now);
    List<TradingXml.Element> statuses = request.children("InventoryStatus");
    if (statuses.isEmpty() || statuses.size() > 4) {
      return tradingFailure("ReviseInventoryStatus", "21919171", "Too many or too few items.",
          "ReviseInventoryStatus takes 1 to 4 InventoryStatus containers.", "RequestError");
    }
    StringBuilder ok = new StringBuilder();
    StringBuilder errors = new StringBuilder();
    Map<String, Boolean> revisedItems = new LinkedHashMap<>();
    int failures = 0;
    for (TradingXml.Element s : statuses) {
      String itemId = s.text("ItemID");
      String sku = s.text("SKU");
      if (s.child("StartPrice") != null) {
        priceUpdates++;
      }
      TrdItem t = itemId == null ? null : trading.get(itemId);
      Variation v = null;
      String problem = null;
      String code = null;
      if (t == null || t.ended) {
        code = "21916750";
        problem = "The listing " + itemId + " was not found or has ended.";
      } else if (!t.variations.isEmpty()) {
        v = t.variations.stream().filter(x -> x.sku.equals(sku)).findFirst().orElse(null);
        if (v == null) {
          code = "21916585";
          problem = "Variation SKU " + sku + " is not in listing " + itemId + ".";
        }
      }
      Integer quantity = intParam(s.text("Quantity"), -1);
      if (problem == null && (quantity == null || quantity < 0)) {
        code = "21916297";
        problem = "Invalid quantity for " + itemId + ".";
      }
      if (problem == null && t != null && !revisedItems.containsKey(t.itemId)
          && revisions.getOrDefault(revisionKey(t.itemId), 0) >= REVISIONS_PER_DAY) {
        code = "21919189";
        problem = "Listing " + t.itemId + " has been revised the maximum number of times today.";
      }
      if (problem != null) {
        failures++;
        errors.append(errorXml(code, problem, problem, "Error", "RequestError",
            sku == null ? List.of(String.valueOf(itemId)) : List.of(String.valueOf(itemId), sku)));
        continue;
      }
      int sold;
      if (v == null) {
        t.quantity = quantity;
        sold = t.sold;
      } else {
        v.quantity = quantity;
        sold = v.sold;
      }
      revisedItems.put(t.itemId, true);
      ok.append("<InventoryStatus><SKU>").append(sku == null ? "" : esc(sku)).append("</SKU><ItemID>")
          .append(t.itemId).append("</ItemID><Quantity>").append(quantity + sold)
          .append("</Quantity></InventoryStatus>");
    }
    for (String itemId : revisedItems.keySet()) {
      revisions.merge(revisionKey(itemId), 1, Integer::sum);
      ok.append("<Fees><ItemID>").append(itemId).append("</ItemID></Fees>");
    }
    String ack = failures == 0 ? "Success" : failures == statuses.size() ? "Failure" : "PartialFailure";
    return new Reply(200, XML, tradingEnvelope("ReviseInventoryStatus", ack, ok.toString() + errors));
  }

  private Reply tradingFailure(String call, String code, String shortMessage, String longMessage,
      String classification) {
    return new Reply(200, XML, tradingEnvelope(call, "Failure",
        errorXml(code, shortMessage, longMessage, "Error", classification, List.of())));
  }

  private static String errorXml(String code, String shortMessage, String longMessage,
      String severity, String classification, List<String> parameters) {
    StringBuilder xml = new StringBuilder("<Errors><ShortMessage>").append(esc(shortMessage))
        .append("</ShortMessage><LongMessage>").append(esc(longMessage))
        .append("</LongMessage><ErrorCode>").append(code).append("</ErrorCode><SeverityCode>")
        .append(severity).append("</SeverityCode>");
    for (int i = 0; i < parameters.size(); i++) {
      xml.append("<ErrorParameters ParamID=\"").append(i).append("\"><Value>")
          .append(esc(parameters.get(i))).append("</Value></ErrorParameters>");
    }
    return xml.append("<ErrorClassification>").append(classification)
        .append("</ErrorClassification></Errors>").toString();
  }

  private String tradingEnvelope(String call, String ack, String content) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + call + "Response xmlns=\"" + NS
        + "\"><Timestamp>" + EBAY_TIME.format(clock.instant()) + "</Timestamp><Ack>" + ack
        + "</Ack><Version>1451</Version><Build>E1451_CORE_API_1</Build>" + content + "</" + call
        + "Response>";
  }

  static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  // ============================================================ helpers

  private static @Nullable Integer intParam(@Nullable String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Instant stampLocked() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (!now.isAfter(lastStamp)) {
      now = lastStamp.plusMillis(1);
    }
    lastStamp = now;
    return now;
  }

  private String orderIdLocked() {
    long n = ++idSeq;
    return String.format(Locale.ROOT, "%02d-%05d-%05d", n % 100, n % 100_000, (n * 7) % 100_000);
  }

  private @Nullable Object[] findTradingLocked(String sku) {
    for (TrdItem t : trading.values()) {
      if (t.ended) {
        continue;
      }
      if (sku.equals(t.sku) && t.variations.isEmpty()) {
        return new Object[] {t, null};
      }
      for (Variation v : t.variations) {
        if (v.sku.equals(sku)) {
          return new Object[] {t, v};
        }
      }
    }
    return null;
  }

  private InvItem item(String sku) {
    InvItem item = items.get(sku);
    if (item == null) {
      throw new IllegalArgumentException("no inventory item " + sku);
    }
    return item;
  }

  private Offer offer(String offerId) {
    for (InvItem item : items.values()) {
      for (Offer o : item.offers) {
        if (o.offerId.equals(offerId)) {
          return o;
        }
      }
    }
    throw new IllegalArgumentException("no offer " + offerId);
  }

  private TrdItem trading(String itemId) {
    TrdItem t = trading.get(itemId);
    if (t == null) {
      throw new IllegalArgumentException("no Trading listing " + itemId);
    }
    return t;
  }

  private Order order(String orderId) {
    return orders.stream().filter(o -> o.orderId.equals(orderId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no order " + orderId));
  }

  // ============================================================ state

  private static final class InvItem {
    final String sku;
    final String title;
    int quantity;
    final List<Offer> offers = new ArrayList<>();

    InvItem(String sku, String title, int quantity) {
      this.sku = sku;
      this.title = title;
      this.quantity = quantity;
    }
  }

  private static final class Offer {
    final String offerId;
    final String format;
    boolean published;
    int availableQuantity;
    @Nullable String listingId;
    String listingStatus = "NOT_LISTED";
    int soldQuantity;

    Offer(String offerId, String format) {
      this.offerId = offerId;
      this.format = format;
    }
  }

  private static final class TrdItem {
    final String itemId;
    final String title;
    final @Nullable String sku;
    int quantity;
    int sold;
    boolean ended;
    final List<Variation> variations = new ArrayList<>();

    TrdItem(String itemId, String title, @Nullable String sku) {
      this.itemId = itemId;
      this.title = title;
      this.sku = sku;
    }
  }

  private static final class Variation {
    final String sku;
    int quantity;
    int sold;

    Variation(String sku) {
      this.sku = sku;
    }
  }

  private static final class Order {
    final String orderId;
    final Instant created;
    Instant modified;
    String fulfillment = "NOT_STARTED";
    String cancelState = "NONE_REQUESTED";
    final List<Line> lines = new ArrayList<>();

    Order(String orderId, Instant created) {
      this.orderId = orderId;
      this.created = created;
      this.modified = created;
    }
  }

  private static final class Line {
    final String lineItemId;
    final String sku;
    final int quantity;
    @Nullable String legacyItemId;
    String fulfillment = "NOT_STARTED";
    final List<Object> refunds = new ArrayList<>();

    Line(String lineItemId, String sku, int quantity) {
      this.lineItemId = lineItemId;
      this.sku = sku;
      this.quantity = quantity;
    }
  }

  // ============================================================ builder

  /** Configures an {@link EbayEmulator}. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private String sellerId = "emulated-seller";
    private String marketplaceId = "EBAY_US";
    private String clientId = "emulated-client-id";
    private String clientSecret = "emulated-client-secret";
    private @Nullable String accessToken = "v^1.1#i^1#emulated-user-token-0";
    private Duration tokenLifetime = Duration.ofHours(2);
    private int reviseCallsPer15Seconds = 6000;
    private UnaryOperator<Dispatcher> dispatcherWrapper = UnaryOperator.identity();
    private final Map<Api, Long> dailyLimits = new EnumMap<>(Map.of(
        Api.INVENTORY, 2_000_000L, Api.FULFILLMENT, 100_000L, Api.TRADING, 5_000L,
        Api.NOTIFICATION, 10_000L));

    private Builder() {}

    /**
     * Sets the clock that stamps orders, expires tokens and resets daily quotas.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the seller's eBay user id.
     *
     * @param sellerId the user id
     * @return this builder
     */
    public Builder sellerId(String sellerId) {
      this.sellerId = Objects.requireNonNull(sellerId, "sellerId");
      return this;
    }

    /**
     * Sets the app's client id and secret (HTTP Basic on the token endpoint).
     *
     * @param clientId the client id
     * @param clientSecret the client secret
     * @return this builder
     */
    public Builder client(String clientId, String clientSecret) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      return this;
    }

    /**
     * Sets an access token valid from the start for one lifetime, or null for none (a client
     * must then obtain one from the token endpoint first).
     *
     * @param accessToken the token
     * @return this builder
     */
    public Builder accessToken(@Nullable String accessToken) {
      this.accessToken = accessToken;
      return this;
    }

    /**
     * Sets how long access tokens live.
     *
     * @param lifetime the lifetime
     * @return this builder
     */
    public Builder tokenLifetime(Duration lifetime) {
      this.tokenLifetime = Objects.requireNonNull(lifetime, "lifetime");
      return this;
    }

    /**
     * Sets the short-duration cap on ReviseInventoryStatus calls (eBay: 6,000 per 15 s).
     *
     * @param calls the cap
     * @return this builder
     */
    public Builder reviseCallsPer15Seconds(int calls) {
      this.reviseCallsPer15Seconds = calls;
      return this;
    }

    /**
     * Sets an API's daily call quota (eBay's defaults: Inventory 2,000,000, Fulfillment 100,000,
     * Trading 5,000, Notification 10,000).
     *
     * @param api the API
     * @param calls calls per UTC day
     * @return this builder
     */
    public Builder dailyLimit(Api api, long calls) {
      dailyLimits.put(api, calls);
      return this;
    }

    /**
     * Wraps the emulator's dispatcher, e.g. with {@code OpenApiExchangeValidator.wrap} to check
     * every exchange on the wire against eBay's specs.
     *
     * @param wrapper receives the emulator's dispatcher, returns the one the server uses
     * @return this builder
     */
    public Builder wrapDispatcher(UnaryOperator<Dispatcher> wrapper) {
      this.dispatcherWrapper = Objects.requireNonNull(wrapper, "wrapper");
      return this;
    }

    /**
     * Builds the emulator (not yet started).
     *
     * @return the emulator
     */
    public EbayEmulator build() {
      return new EbayEmulator(this);
    }
  }
}
