package io.stocksync.testkit.amazon;

import io.stocksync.testkit.internal.NoDelayServerSocketFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * A stateful emulator of the Amazon Selling Partner API for one seller on one marketplace, and of
 * the Login with Amazon (LWA) token endpoint, served over real HTTP by {@link MockWebServer}.
 * Built from Amazon's models (listingsItems_2021-08-01, feeds_2021-06-30, orders_2026-01-01,
 * fbaInventory, the listings-feed JSON schemas) and FACTS.md:
 *
 * <ul>
 *   <li>{@code GET /listings/2021-08-01/items/{sellerId}} (searchListingsItems): {@code
 *       includedData} (default {@code summaries}; quantities only with {@code
 *       fulfillmentAvailability}), {@code pageSize} at most 20 (default 10), date filters
 *       inclusive on both ends, {@code sortBy}/{@code sortOrder} (default lastUpdatedDate DESC),
 *       {@code identifiers} with {@code identifiersType=SKU}; paging stops at 1,000 results (no
 *       {@code nextToken} past the 1,000th) while {@code numberOfResults} tells the full count.
 *   <li>{@code GET .../items/{sellerId}/{sku}} (getListingsItem) and {@code PATCH} (patchListingsItem):
 *       the answer is HTTP 200 with {@code ACCEPTED} (queued: applied after {@link
 *       Builder#acceptedDelay}, or never when a processing issue is configured) or {@code INVALID}
 *       with issues (wrong product type, bad patch, negative quantity, a configured rejection);
 *       {@code mode=VALIDATION_PREVIEW} answers {@code VALID} and applies nothing.
 *   <li>Feeds: {@code POST /feeds/2021-06-30/documents} (201, an upload URL on this server),
 *       {@code PUT} of the document to that URL, {@code POST /feeds/2021-06-30/feeds} (202; {@code
 *       JSON_LISTINGS_FEED} only, at most 5 per 5 minutes), {@code GET .../feeds/{feedId}}
 *       (IN_QUEUE, IN_PROGRESS, then DONE after {@link Builder#feedProcessingDelay}; FATAL for a
 *       document that is not a valid feed), {@code GET .../documents/{id}} for the processing
 *       report ({@code header}, {@code issues}, {@code summary}).
 *   <li>{@code GET /orders/2026-01-01/orders} (searchOrders): exactly one of {@code createdAfter}
 *       or {@code lastUpdatedAfter}, {@code lastUpdatedBefore} at least 2 minutes old, {@code
 *       fulfilledBy}, {@code maxResultsPerPage} 1..100, {@code paginationToken}; {@code
 *       fulfillment} only with {@code includedData=FULFILLMENT}, item {@code cancellation} only
 *       with {@code CANCELLATION}; sorted by {@code lastUpdatedTime} ascending.
 *   <li>{@code GET /orders/2026-01-01/orders/{orderId}} (getOrder): {@code {"order": ...}} in the
 *       search's order shape, the same {@code includedData} rules (values from the model's enum,
 *       400 otherwise); 404 {@code NotFound} for an unknown order.
 *   <li>{@code GET /fba/inventory/v1/summaries} (getInventorySummaries): {@code details=true}
 *       for {@code inventoryDetails}, {@code sellerSkus} at most 50, 50 per page, {@code
 *       pagination.nextToken} beside {@code payload}, valid 30 seconds.
 *   <li>{@code POST /auth/o2/token}: LWA refresh-token grant, form or JSON body; access tokens
 *       live {@link Builder#accessTokenTtl} (1 hour); SP-API calls need {@code
 *       x-amz-access-token} (403 {@code Unauthorized} otherwise); a revoked refresh token answers
 *       {@code invalid_grant}.
 * </ul>
 *
 * <p>Every SP-API operation has its own token bucket at the model's default rate and burst,
 * refilled on the injected clock; an empty bucket answers 429 {@code QuotaExceeded}. Successful
 * answers carry {@code x-amzn-RateLimit-Limit}; every answer carries {@code x-amzn-RequestId}.
 * Thread-safe: state is guarded by one lock shared with the server thread.
 */
public final class AmazonEmulator implements AutoCloseable {
  /** The default rate (requests per second) and burst of each emulated operation, from the models. */
  public static final Map<String, double[]> DEFAULT_RATES = Map.ofEntries(
      Map.entry("searchListingsItems", new double[] {5, 5}),
      Map.entry("getListingsItem", new double[] {5, 10}),
      Map.entry("patchListingsItem", new double[] {5, 5}),
      Map.entry("createFeedDocument", new double[] {0.5, 15}),
      Map.entry("createFeed", new double[] {0.0083, 15}),
      Map.entry("getFeed", new double[] {2, 15}),
      Map.entry("getFeedDocument", new double[] {0.0222, 10}),
      Map.entry("searchOrders", new double[] {0.0056, 20}),
      Map.entry("getOrder", new double[] {0.5, 30}),
      Map.entry("getInventorySummaries", new double[] {2, 2}));

  /** The LWA client id the emulator accepts unless {@link Builder#lwa} says otherwise. */
  public static final String DEFAULT_CLIENT_ID = "amzn1.application-oa2-client.emulator";
  /** The LWA client secret the emulator accepts unless {@link Builder#lwa} says otherwise. */
  public static final String DEFAULT_CLIENT_SECRET = "amzn1.oa2-cs.v1.emulator-secret";

  /** The listings-search paging cap. */
  public static final int SEARCH_RESULT_CAP = 1000;
  /** The most messages one JSON_LISTINGS_FEED may carry. */
  public static final int FEED_MESSAGE_CAP = 25_000;
  /** JSON_LISTINGS_FEED submissions allowed per {@link #FEED_WINDOW}. */
  public static final int FEEDS_PER_WINDOW = 5;
  /** The window of {@link #FEEDS_PER_WINDOW}. */
  public static final Duration FEED_WINDOW = Duration.ofMinutes(5);

  private static final String JSON = "application/json";
  private static final String FBM = "DEFAULT";
  private static final Pattern ITEMS = Pattern.compile("/listings/2021-08-01/items/([^/]+)");
  private static final Pattern ITEM = Pattern.compile("/listings/2021-08-01/items/([^/]+)/([^/]+)");
  private static final Pattern FEED = Pattern.compile("/feeds/2021-06-30/feeds/([^/]+)");
  private static final Pattern DOCUMENT = Pattern.compile("/feeds/2021-06-30/documents/([^/]+)");
  private static final Pattern ORDER = Pattern.compile("/orders/2026-01-01/orders/([^/]+)");
  /** The {@code includedData} values of the Orders 2026-01-01 model. */
  private static final Set<String> INCLUDED_DATA = Set.of("BUYER", "RECIPIENT", "PROCEEDS",
      "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT",
      "FULFILLMENT_ORDERS");
  private static final Pattern UPLOAD = Pattern.compile("/s3/upload/([^/]+)");
  private static final Pattern DOWNLOAD = Pattern.compile("/s3/download/([^/]+)");

  private final Clock clock;
  private final String sellerId;
  private final String marketplaceId;
  private final String fbaChannelCode;
  private final TokenEndpointEmulator lwa;
  private final String refreshToken;
  private final Duration accessTokenTtl;
  private final Duration acceptedDelay;
  private final Duration feedProcessingDelay;
  private final Map<String, double[]> rates;

  private final Object lock = new Object();
  private final Map<String, Instant> accessTokens = new HashMap<>();
  private final Map<String, TokenBucket> buckets = new HashMap<>();
  private final Map<String, Listing> listings = new HashMap<>();
  private final List<Patch> pending = new ArrayList<>();
  private final Map<String, String> rejectNext = new HashMap<>();
  private final Map<String, String> failAfterAccept = new HashMap<>();
  private final Map<String, Order> orders = new LinkedHashMap<>();
  private final Map<String, Feed> feeds = new LinkedHashMap<>();
  private final Map<String, Document> documents = new HashMap<>();
  private final Deque<Instant> feedSubmissions = new ArrayDeque<>();
  private final Map<String, Instant> fbaTokens = new HashMap<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Map<String, Integer> calls = new TreeMap<>();
  private final List<Exchange> exchanges = new ArrayList<>();
  private final List<String> processingIssues = new ArrayList<>();
  private final List<String> orderChanges = new ArrayList<>();
  private long orderChangeSeq;
  private final AtomicLong ids = new AtomicLong(1000);
  private Instant lastStamp = Instant.EPOCH;

  private @Nullable MockWebServer server;

  private AmazonEmulator(Builder b) {
    this.clock = b.clock;
    this.sellerId = b.sellerId;
    this.marketplaceId = b.marketplaceId;
    this.fbaChannelCode = b.fbaChannelCode;
    this.lwa = TokenEndpointEmulator.amazonLwa(b.clock, b.clientId, b.clientSecret)
        .accessTokenLifetime(b.accessTokenTtl).build();
    this.refreshToken = lwa.issueRefreshToken();
    this.accessTokenTtl = b.accessTokenTtl;
    this.acceptedDelay = b.acceptedDelay;
    this.feedProcessingDelay = b.feedProcessingDelay;
    this.rates = Map.copyOf(b.rates);
  }

  /**
   * Starts a builder: seller {@code A2EMULATEDSELLER} on the US marketplace, 1-hour access tokens,
   * PATCH applied 2 minutes after acceptance, feeds processed in 5 minutes, the models' rates.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the HTTP server on a free local port.
   *
   * @return this emulator
   * @throws IllegalStateException if already started
   * @throws UncheckedIOException if the server cannot bind
   */
  public AmazonEmulator start() {
    synchronized (lock) {
      if (server != null) {
        throw new IllegalStateException("already started");
      }
      MockWebServer s = new MockWebServer();
      s.setServerSocketFactory(new NoDelayServerSocketFactory());
      s.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
          s.takeRequest(0, TimeUnit.NANOSECONDS); // nobody takes them: do not keep them
          try {
            return handle(request);
          } catch (RuntimeException e) {
            return error(500, "InternalFailure", "emulator failure: " + e, null);
          }
        }
      });
      try {
        s.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Amazon emulator", e);
      }
      server = s;
      return this;
    }
  }

  /**
   * The SP-API base URL (the regional endpoint's stand-in), path {@code /}.
   *
   * @return the URL
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

  /**
   * The LWA token endpoint, {@code {url()}auth/o2/token}.
   *
   * @return the URL
   * @throws IllegalStateException if not started
   */
  public HttpUrl tokenUrl() {
    return url().newBuilder().addPathSegments("auth/o2/token").build();
  }

  /** Stops the server. Idempotent. */
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

  /**
   * The seller id.
   *
   * @return the id
   */
  public String sellerId() {
    return sellerId;
  }

  /**
   * The marketplace id.
   *
   * @return the id
   */
  public String marketplaceId() {
    return marketplaceId;
  }

  /**
   * A refresh token the LWA endpoint accepts, issued at build time as if the seller had
   * authorised the application.
   *
   * @return the token
   */
  public String refreshToken() {
    return refreshToken;
  }

  /**
   * The embedded LWA token endpoint, for its faults, counters and revocation.
   *
   * @return the token endpoint emulator
   */
  public TokenEndpointEmulator lwa() {
    return lwa;
  }

  // ================================================================ seeding and inspection

  /**
   * Adds (or replaces) a listing, stamped with the clock's time (strictly increasing).
   *
   * @param sku the seller SKU
   * @param productType its product type, e.g. {@code LUGGAGE}
   * @param fbmQuantity its merchant-fulfilled ({@code DEFAULT}) quantity, or null when it is not
   *     offered FBM
   * @param fbaFulfillable its FBA fulfillable quantity, or null when Amazon holds none
   */
  public void addListing(String sku, String productType, @Nullable Long fbmQuantity,
      @Nullable Long fbaFulfillable) {
    synchronized (lock) {
      Instant now = stamp();
      Listing l = new Listing(sku, productType, "B0" + String.format(Locale.ROOT, "%08d",
          ids.incrementAndGet()), now);
      l.fbm = fbmQuantity;
      l.fba = fbaFulfillable;
      listings.put(sku, l);
    }
  }

  /**
   * Adds many FBM listings at once, {@code spacing} apart in update time, ending at the clock's
   * time; for catalogues too big to seed one by one.
   *
   * @param prefix SKU prefix; SKUs are {@code prefix + index}
   * @param count how many
   * @param productType their product type
   * @param quantity FBM quantity of each
   * @param spacing time between consecutive update stamps
   */
  public void addListings(String prefix, int count, String productType, long quantity,
      Duration spacing) {
    synchronized (lock) {
      Instant end = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      for (int i = 0; i < count; i++) {
        Instant at = end.minus(spacing.multipliedBy(count - 1L - i));
        Listing l = new Listing(prefix + i, productType, "B1" + String.format(Locale.ROOT, "%08d",
            ids.incrementAndGet()), at);
        l.fbm = quantity;
        listings.put(l.sku, l);
      }
    }
  }

  /**
   * The listing's current FBM quantity (after applying what is due), or null.
   *
   * @param sku the SKU
   * @return the quantity
   * @throws IllegalArgumentException if there is no such listing
   */
  public @Nullable Long fbmQuantity(String sku) {
    synchronized (lock) {
      applyDue();
      return listing(sku).fbm;
    }
  }

  /**
   * The listing's FBA fulfillable quantity, or null.
   *
   * @param sku the SKU
   * @return the quantity
   * @throws IllegalArgumentException if there is no such listing
   */
  public @Nullable Long fbaQuantity(String sku) {
    synchronized (lock) {
      return listing(sku).fba;
    }
  }

  /**
   * Sets the FBA fulfillable quantity (a shipment received, a sale elsewhere).
   *
   * @param sku the SKU
   * @param quantity the new figure
   * @throws IllegalArgumentException if there is no such listing
   */
  public void setFbaQuantity(String sku, long quantity) {
    synchronized (lock) {
      listing(sku).fba = quantity;
    }
  }

  /**
   * Sets the FBM quantity as if the seller changed it in Seller Central.
   *
   * @param sku the SKU
   * @param quantity the new figure
   * @throws IllegalArgumentException if there is no such listing
   */
  public void setFbmQuantity(String sku, long quantity) {
    synchronized (lock) {
      Listing l = listing(sku);
      l.fbm = quantity;
      l.updated = stamp();
    }
  }

  /**
   * Makes the next PATCH of this SKU answer INVALID with an issue carrying this message.
   *
   * @param sku the SKU
   * @param message the issue's message
   */
  public void rejectNextPatch(String sku, String message) {
    synchronized (lock) {
      rejectNext.put(sku, message);
    }
  }

  /**
   * Makes the next PATCH of this SKU answer ACCEPTED but never land: processing reports an issue
   * (seen in {@link #processingIssues()}) and the quantity stays.
   *
   * @param sku the SKU
   * @param message the processing issue
   */
  public void failNextAcceptedPatch(String sku, String message) {
    synchronized (lock) {
      failAfterAccept.put(sku, message);
    }
  }

  /**
   * Issues found while processing accepted submissions, oldest first.
   *
   * @return the issues, as {@code sku: message}
   */
  public List<String> processingIssues() {
    synchronized (lock) {
      applyDue();
      return List.copyOf(processingIssues);
    }
  }

  /**
   * Records an order. MFN orders take their units from the FBM quantity, AFN orders from FBA.
   *
   * @param fulfilledBy {@code MERCHANT} (MFN) or {@code AMAZON} (AFN)
   * @param lines SKU to quantity ordered
   * @return the order id, in Amazon's 3-7-7 form
   * @throws IllegalArgumentException if a SKU is unknown or the channel is neither
   */
  public String placeOrder(String fulfilledBy, Map<String, Long> lines) {
    if (!fulfilledBy.equals("MERCHANT") && !fulfilledBy.equals("AMAZON")) {
      throw new IllegalArgumentException("fulfilledBy: MERCHANT or AMAZON, not " + fulfilledBy);
    }
    synchronized (lock) {
      applyDue();
      long n = ids.incrementAndGet();
      String id = String.format(Locale.ROOT, "11%d-%07d-%07d", n % 10, n, n * 7 % 10_000_000);
      Instant now = stamp();
      Order o = new Order(id, fulfilledBy, now);
      int line = 0;
      for (Map.Entry<String, Long> e : lines.entrySet()) {
        Listing l = listing(e.getKey());
        if (fulfilledBy.equals("MERCHANT")) {
          l.fbm = Math.max(0, (l.fbm == null ? 0 : l.fbm) - e.getValue());
        } else {
          l.fba = Math.max(0, (l.fba == null ? 0 : l.fba) - e.getValue());
        }
        o.items.add(new OrderItem(String.format(Locale.ROOT, "%014d", n * 100 + ++line), e.getKey(),
            e.getValue()));
      }
      orders.put(id, o);
      orderChangeLocked(o, "Unshipped", "NewOrder");
      return id;
    }
  }

  /**
   * Ships every unshipped unit of an order.
   *
   * @param orderId the order
   * @throws IllegalArgumentException if unknown
   */
  public void ship(String orderId) {
    synchronized (lock) {
      Order o = order(orderId);
      o.items.forEach(i -> i.fulfilled = i.quantity - i.cancelled);
      o.status = "SHIPPED";
      o.updated = stamp();
      orderChangeLocked(o, "Shipped", "Shipped");
    }
  }

  /**
   * Ships some units of one item.
   *
   * @param orderId the order
   * @param sku the item's SKU
   * @param units units shipped now
   * @throws IllegalArgumentException if unknown
   */
  public void shipPartially(String orderId, String sku, long units) {
    synchronized (lock) {
      Order o = order(orderId);
      for (OrderItem i : o.items) {
        if (i.sku.equals(sku)) {
          i.fulfilled = Math.min(i.quantity - i.cancelled, i.fulfilled + units);
        }
      }
      boolean all = o.items.stream().allMatch(i -> i.fulfilled + i.cancelled == i.quantity);
      o.status = all ? "SHIPPED" : "PARTIALLY_SHIPPED";
      o.updated = stamp();
    }
  }

  /**
   * Cancels an order; its unshipped units return to the quantity they came from.
   *
   * @param orderId the order
   * @throws IllegalArgumentException if unknown
   */
  public void cancel(String orderId) {
    synchronized (lock) {
      Order o = order(orderId);
      for (OrderItem i : o.items) {
        long back = i.quantity - i.fulfilled - i.cancelled;
        i.cancelled += back;
        Listing l = listings.get(i.sku);
        if (l != null && o.fulfilledBy.equals("MERCHANT")) {
          l.fbm = (l.fbm == null ? 0 : l.fbm) + back;
        }
      }
      o.status = "CANCELLED";
      o.updated = stamp();
      orderChangeLocked(o, "Canceled", "SellerCanceled");
    }
  }

  /**
   * Removes and returns the {@code ORDER_CHANGE} notifications that order events published since
   * the last call, oldest first, as the JSON message bodies Amazon puts on the seller's SQS queue
   * (Notifications API, payload version 1.0: {@code NotificationType}, {@code
   * NotificationMetadata.NotificationId}, {@code Payload.OrderChangeNotification} with {@code
   * SellerId}, {@code AmazonOrderId}, {@code OrderChangeType} and a {@code Summary} carrying
   * {@code MarketplaceId}, {@code OrderStatus} in the v0 spelling and {@code FulfillmentType}).
   * Placing, cancelling and shipping an order each publish one, for MFN and AFN orders alike.
   * Amazon offers no HTTPS delivery for this type: how late a message is read is up to the
   * queue's consumer.
   *
   * @return the message bodies
   */
  public List<String> takeOrderChanges() {
    synchronized (lock) {
      List<String> out = List.copyOf(orderChanges);
      orderChanges.clear();
      return out;
    }
  }

  private void orderChangeLocked(Order o, String status, String reason) {
    String now = clock.instant().toString();
    Map<String, Object> summary = Json.object("MarketplaceId", marketplaceId,
        "OrderStatus", status, "FulfillmentType", o.fulfilledBy.equals("MERCHANT") ? "MFN" : "AFN",
        "PurchaseDate", o.created.toString());
    Map<String, Object> change = Json.object("NotificationLevel", "OrderLevel",
        "SellerId", sellerId, "AmazonOrderId", o.id, "OrderChangeType", "OrderStatusChange",
        "OrderChangeTrigger", Json.object("TimeOfOrderChange", now, "ChangeReason", reason),
        "Summary", summary);
    orderChanges.add(Json.write(Json.object("NotificationVersion", "1.0",
        "NotificationType", "ORDER_CHANGE", "PayloadVersion", "1.0", "EventTime", now,
        "Payload", Json.object("OrderChangeNotification", change),
        "NotificationMetadata", Json.object("ApplicationId", "amzn1.sp.solution.emulator",
            "SubscriptionId", "sub-emulator", "PublishTime", now,
            "NotificationId", "ntf-" + ++orderChangeSeq))));
  }

  /**
   * Makes the next {@code count} SP-API calls fail with a fault (LWA calls are not affected).
   *
   * @param count how many calls
   * @param fault the fault
   */
  public void failNext(int count, Fault fault) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        faults.add(fault);
      }
    }
  }

  /** Expires every access token issued so far, as an hour passing would. */
  public void expireAccessTokens() {
    synchronized (lock) {
      accessTokens.replaceAll((t, at) -> Instant.EPOCH);
    }
    lwa.expireAccessTokens();
  }

  /** Revokes every refresh token: the LWA endpoint answers {@code invalid_grant} from now on. */
  public void revokeRefreshToken() {
    synchronized (lock) {
      accessTokens.clear();
    }
    lwa.revokeAll();
  }

  /**
   * Issues a fresh access token without a network call, for tests that skip LWA; it lives as
   * long as LWA's tokens.
   *
   * @return the token, valid for the configured lifetime
   */
  public String issueAccessToken() {
    synchronized (lock) {
      String token = "Atza|" + Base64.getUrlEncoder().withoutPadding().encodeToString(
          ("emulated-" + ids.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
      accessTokens.put(token, clock.instant().plus(accessTokenTtl));
      return token;
    }
  }

  /**
   * Calls answered per operation (including refused ones), since the start.
   *
   * @return operation id to count
   */
  public Map<String, Integer> calls() {
    synchronized (lock) {
      return Map.copyOf(calls);
    }
  }

  /**
   * Every exchange so far, in order.
   *
   * @return the exchanges
   */
  public List<Exchange> exchanges() {
    synchronized (lock) {
      return List.copyOf(exchanges);
    }
  }

  /**
   * The JSON document a feed was created from, as uploaded.
   *
   * @param feedId the feed
   * @return the document text
   * @throws IllegalArgumentException if unknown
   */
  public String feedDocument(String feedId) {
    synchronized (lock) {
      Feed f = feeds.get(feedId);
      if (f == null) {
        throw new IllegalArgumentException("no feed " + feedId);
      }
      Document d = documents.get(f.inputDocumentId);
      return d == null || d.content == null ? "" : d.content;
    }
  }

  /**
   * The ids of the feeds created so far, oldest first.
   *
   * @return the ids
   */
  public List<String> feedIds() {
    synchronized (lock) {
      return List.copyOf(feeds.keySet());
    }
  }

  private Listing listing(String sku) {
    Listing l = listings.get(sku);
    if (l == null) {
      throw new IllegalArgumentException("no listing " + sku);
    }
    return l;
  }

  private Order order(String id) {
    Order o = orders.get(id);
    if (o == null) {
      throw new IllegalArgumentException("no order " + id);
    }
    return o;
  }

  /** The clock's time in milliseconds, strictly after the previous stamp. */
  private Instant stamp() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (!now.isAfter(lastStamp)) {
      now = lastStamp.plusMillis(1);
    }
    lastStamp = now;
    return now;
  }

  /** Applies accepted patches and finishes feeds whose time has come. */
  private void applyDue() {
    Instant now = clock.instant();
    pending.sort(Comparator.comparing(p -> p.applyAt));
    for (var it = pending.iterator(); it.hasNext(); ) {
      Patch p = it.next();
      if (p.applyAt.isAfter(now)) {
        break;
      }
      it.remove();
      Listing l = listings.get(p.sku);
      if (p.failure != null || l == null) {
        processingIssues.add(p.sku + ": " + (p.failure != null ? p.failure : "listing deleted"));
        continue;
      }
      l.fbm = p.quantity;
      l.updated = stamp();
    }
    for (Feed f : feeds.values()) {
      if (f.status.equals("IN_QUEUE") && !now.isBefore(f.created.plus(feedProcessingDelay.dividedBy(2)))) {
        f.status = "IN_PROGRESS";
        f.started = now;
      }
      if (f.status.equals("IN_PROGRESS") && !now.isBefore(f.created.plus(feedProcessingDelay))) {
        process(f, now);
      }
    }
  }

  // ================================================================ HTTP

  private MockResponse handle(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    String path = url.encodedPath();
    String method = request.getMethod();
    ByteString raw = request.getBody();
    String body = raw == null || raw.size() == 0 ? null : raw.utf8();
    String operation = operation(method, path);
    MockResponse response;
    if (operation.equals("lwaToken")) {
      response = lwa.dispatch(request);
      synchronized (lock) {
        calls.merge(operation, 1, Integer::sum);
        record(operation, request, url, body, response);
      }
      return response;
    }
    synchronized (lock) {
      calls.merge(operation, 1, Integer::sum);
      applyDue();
      response = answer(operation, request, url, body);
      record(operation, request, url, body, response);
    }
    return response;
  }

  private static String operation(String method, String path) {
    if (path.equals("/auth/o2/token")) {
      return "lwaToken";
    }
    if (UPLOAD.matcher(path).matches()) {
      return "uploadFeedDocument";
    }
    if (DOWNLOAD.matcher(path).matches()) {
      return "downloadFeedDocument";
    }
    if (ITEM.matcher(path).matches()) {
      return method.equals("PATCH") ? "patchListingsItem" : method.equals("GET")
          ? "getListingsItem" : "unknown";
    }
    if (ITEMS.matcher(path).matches() && method.equals("GET")) {
      return "searchListingsItems";
    }
    if (path.equals("/feeds/2021-06-30/documents") && method.equals("POST")) {
      return "createFeedDocument";
    }
    if (path.equals("/feeds/2021-06-30/feeds") && method.equals("POST")) {
      return "createFeed";
    }
    if (FEED.matcher(path).matches() && method.equals("GET")) {
      return "getFeed";
    }
    if (DOCUMENT.matcher(path).matches() && method.equals("GET")) {
      return "getFeedDocument";
    }
    if (path.equals("/orders/2026-01-01/orders") && method.equals("GET")) {
      return "searchOrders";
    }
    if (ORDER.matcher(path).matches() && method.equals("GET")) {
      return "getOrder";
    }
    if (path.equals("/fba/inventory/v1/summaries") && method.equals("GET")) {
      return "getInventorySummaries";
    }
    return "unknown";
  }

  private MockResponse answer(String operation, RecordedRequest request, HttpUrl url,
      @Nullable String body) {
    switch (operation) {
      case "uploadFeedDocument":
        return upload(request, url, body);
      case "downloadFeedDocument":
        return download(url);
      case "unknown":
        return error(404, "NotFound", "Resource not found.", null);
      default:
        break;
    }
    Fault fault = faults.poll();
    String token = request.getHeaders().get("x-amz-access-token");
    Instant expiry = token == null ? null : accessTokens.get(token);
    TokenEndpointEmulator.AccessCheck check = expiry != null
        ? (clock.instant().isBefore(expiry) ? TokenEndpointEmulator.AccessCheck.VALID
            : TokenEndpointEmulator.AccessCheck.EXPIRED)
        : lwa.check(token);
    if (fault == Fault.EXPIRED_TOKEN || check == TokenEndpointEmulator.AccessCheck.EXPIRED) {
      return error(403, "Unauthorized", "Access to requested resource is denied.",
          "The access token you provided has expired.");
    }
    if (check != TokenEndpointEmulator.AccessCheck.VALID) {
      return error(403, "Unauthorized", "Access to requested resource is denied.",
          "The access token you provided is revoked, malformed or invalid.");
    }
    if (fault == Fault.SERVER_ERROR) {
      return error(500, "InternalFailure", "We encountered an internal error. Please try again.", null);
    }
    if (fault == Fault.SERVICE_UNAVAILABLE) {
      return error(503, "ServiceUnavailable", "Service temporarily unavailable.", null);
    }
    if (fault == Fault.MALFORMED_JSON) {
      return new MockResponse.Builder().code(200).addHeader("Content-Type", JSON)
          .body("{\"items\":[{\"sku\":").build();
    }
    double[] rate = rates.getOrDefault(operation, new double[] {1, 1});
    TokenBucket bucket = buckets.computeIfAbsent(operation,
        k -> new TokenBucket(rate[0], (int) rate[1], clock.instant()));
    if (fault == Fault.TOO_MANY_REQUESTS || !bucket.tryTake(clock.instant())) {
      return error(429, "QuotaExceeded", "You exceeded your quota for the requested resource.", null);
    }
    MockResponse r;
    try {
      r = switch (operation) {
        case "searchListingsItems" -> searchListings(url);
        case "getListingsItem" -> getListing(url);
        case "patchListingsItem" -> patchListing(url, body);
        case "createFeedDocument" -> createFeedDocument(body);
        case "createFeed" -> createFeed(body);
        case "getFeed" -> getFeed(url);
        case "getFeedDocument" -> getFeedDocument(url);
        case "searchOrders" -> searchOrders(url);
        case "getOrder" -> getOrder(url);
        case "getInventorySummaries" -> summaries(url);
        default -> error(404, "NotFound", "Resource not found.", null);
      };
    } catch (BadRequest e) {
      r = error(400, "InvalidInput", e.getMessage(), null);
    }
    if (r.getCode() == 200 || r.getCode() == 400 || r.getCode() == 404) {
      r = r.newBuilder().addHeader("x-amzn-RateLimit-Limit", formatRate(rate[0])).build();
    }
    return r;
  }

  private static String formatRate(double rate) {
    return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }

  // ---------------------------------------------------------------- listings

  private MockResponse searchListings(HttpUrl url) {
    requireSeller(ITEMS.matcher(url.encodedPath()));
    requireMarketplace(url);
    Set<String> included = csv(url, "includedData", "summaries");
    int pageSize = intParam(url, "pageSize", 10, 1, 20);
    Instant ua = time(url, "lastUpdatedAfter");
    Instant ub = time(url, "lastUpdatedBefore");
    Instant ca = time(url, "createdAfter");
    Instant cb = time(url, "createdBefore");
    String sortBy = Objects.requireNonNullElse(url.queryParameter("sortBy"), "lastUpdatedDate");
    String sortOrder = Objects.requireNonNullElse(url.queryParameter("sortOrder"), "DESC");
    if (!Set.of("sku", "createdDate", "lastUpdatedDate").contains(sortBy)) {
      throw new BadRequest("Invalid sortBy: " + sortBy);
    }
    if (!Set.of("ASC", "DESC").contains(sortOrder)) {
      throw new BadRequest("Invalid sortOrder: " + sortOrder);
    }
    Set<String> identifiers = csv(url, "identifiers", null);
    String identifiersType = url.queryParameter("identifiersType");
    if (!identifiers.isEmpty() != (identifiersType != null)) {
      throw new BadRequest("identifiers and identifiersType must be given together");
    }
    if (identifiers.size() > 20) {
      throw new BadRequest("identifiers: at most 20");
    }
    if (identifiersType != null && !identifiersType.equals("SKU")) {
      throw new BadRequest("the emulator supports identifiersType SKU only");
    }
    List<Listing> found = new ArrayList<>();
    for (Listing l : listings.values()) {
      if ((ua == null || !l.updated.isBefore(ua)) && (ub == null || !l.updated.isAfter(ub))
          && (ca == null || !l.created.isBefore(ca)) && (cb == null || !l.created.isAfter(cb))
          && (identifiers.isEmpty() || identifiers.contains(l.sku))) {
        found.add(l);
      }
    }
    Comparator<Listing> order = switch (sortBy) {
      case "sku" -> Comparator.comparing(l -> l.sku);
      case "createdDate" -> Comparator.<Listing, Instant>comparing(l -> l.created)
          .thenComparing(l -> l.sku);
      default -> Comparator.<Listing, Instant>comparing(l -> l.updated).thenComparing(l -> l.sku);
    };
    found.sort(sortOrder.equals("ASC") ? order : order.reversed());
    String fingerprint = url.newBuilder().removeAllQueryParameters("pageToken")
        .removeAllQueryParameters("pageSize").removeAllQueryParameters("includedData").build()
        .query();
    int offset = 0;
    String pageToken = url.queryParameter("pageToken");
    if (pageToken != null) {
      offset = decodeToken(pageToken, fingerprint);
    }
    int end = Math.min(Math.min(found.size(), SEARCH_RESULT_CAP), offset + pageSize);
    List<Object> items = new ArrayList<>();
    for (int i = offset; i < end; i++) {
      items.add(item(found.get(i), included));
    }
    Map<String, Object> result = Json.object("numberOfResults", found.size());
    if (end < Math.min(found.size(), SEARCH_RESULT_CAP)) {
      result.put("pagination", Json.object("nextToken", encodeToken(end, fingerprint)));
    }
    result.put("items", items);
    return ok(200, result);
  }

  private MockResponse getListing(HttpUrl url) {
    Matcher m = ITEM.matcher(url.encodedPath());
    requireSeller(m);
    requireMarketplace(url);
    Listing l = listings.get(url.pathSegments().get(4));
    if (l == null) {
      return error(404, "NotFound", "SKU '" + url.pathSegments().get(4) + "' not found in marketplace "
          + marketplaceId, null);
    }
    return ok(200, item(l, csv(url, "includedData", "summaries")));
  }

  private Map<String, Object> item(Listing l, Set<String> included) {
    Map<String, Object> item = Json.object("sku", l.sku);
    if (included.contains("summaries")) {
      List<Object> status = new ArrayList<>();
      status.add("DISCOVERABLE");
      long available = (l.fbm == null ? 0 : l.fbm) + (l.fba == null ? 0 : l.fba);
      if (available > 0) {
        status.add(0, "BUYABLE");
      }
      item.put("summaries", List.of(Json.object("marketplaceId", marketplaceId, "asin", l.asin,
          "productType", l.productType, "conditionType", "new_new", "status", status,
          "itemName", "Item " + l.sku, "createdDate", l.created.toString(),
          "lastUpdatedDate", l.updated.toString())));
    }
    if (included.contains("fulfillmentAvailability")) {
      List<Object> availability = new ArrayList<>();
      if (l.fbm != null) {
        availability.add(Json.object("fulfillmentChannelCode", FBM, "quantity", l.fbm));
      }
      if (l.fba != null) {
        availability.add(Json.object("fulfillmentChannelCode", fbaChannelCode, "quantity", l.fba));
      }
      item.put("fulfillmentAvailability", availability);
    }
    return item;
  }

  private MockResponse patchListing(HttpUrl url, @Nullable String body) {
    Matcher m = ITEM.matcher(url.encodedPath());
    requireSeller(m);
    requireMarketplace(url);
    String sku = url.pathSegments().get(4);
    boolean preview = "VALIDATION_PREVIEW".equals(url.queryParameter("mode"));
    if (url.queryParameter("mode") != null && !preview) {
      throw new BadRequest("Invalid mode: " + url.queryParameter("mode"));
    }
    Map<String, Object> request = Json.asObject(Json.parse(body));
    if (request == null) {
      throw new BadRequest("The request body is not a valid ListingsItemPatchRequest");
    }
    String productType = Json.str(request, "productType");
    List<Object> patches = Json.asList(request.get("patches"));
    if (productType == null || patches == null || patches.isEmpty()) {
      throw new BadRequest("productType and at least one patch are required");
    }
    String submissionId = Long.toHexString(ids.incrementAndGet()) + "f0e1d2c3b4a5";
    Listing l = listings.get(sku);
    List<Object> issues = new ArrayList<>();
    Long quantity = null;
    if (l == null) {
      issues.add(issue("4000001", "The SKU '" + sku + "' does not exist for this seller.", null));
    } else if (!l.productType.equals(productType)) {
      issues.add(issue("90220", "The provided product type '" + productType
          + "' does not match the listing's product type '" + l.productType + "'.", null));
    }
    for (Object o : patches) {
      Map<String, Object> p = Json.asObject(o);
      String op = Json.str(p, "op");
      String path = Json.str(p, "path");
      if (op == null || path == null || !Set.of("add", "replace", "merge", "delete").contains(op)) {
        throw new BadRequest("Each patch needs op (add|replace|merge|delete) and path");
      }
      if (!path.equals("/attributes/fulfillment_availability")) {
        continue; // other attributes are accepted and ignored
      }
      for (Object v : Objects.requireNonNullElse(Json.asList(p.get("value")), List.of())) {
        Map<String, Object> value = Json.asObject(v);
        if (FBM.equals(Json.str(value, "fulfillment_channel_code"))) {
          quantity = Json.integer(value, "quantity");
          if (quantity == null || quantity < 0) {
            issues.add(issue("90000900", "The value of 'quantity' must be a whole number of 0 or"
                + " more.", "fulfillment_availability"));
          }
        } else if (value != null) {
          issues.add(issue("90000901", "Quantity for fulfillment channel '"
              + Json.str(value, "fulfillment_channel_code") + "' is managed by Amazon.",
              "fulfillment_availability"));
        }
      }
    }
    String rejection = rejectNext.remove(sku);
    if (rejection != null) {
      issues.add(issue("90000999", rejection, "fulfillment_availability"));
    }
    if (!issues.isEmpty()) {
      return ok(200, Json.object("sku", sku, "status", "INVALID", "submissionId", submissionId,
          "issues", issues));
    }
    if (preview) {
      return ok(200, Json.object("sku", sku, "status", "VALID", "submissionId", submissionId,
          "issues", List.of()));
    }
    if (quantity != null) {
      Patch p = new Patch(sku, quantity, clock.instant().plus(acceptedDelay));
      p.failure = failAfterAccept.remove(sku);
      pending.add(p);
      if (acceptedDelay.isZero()) {
        applyDue();
      }
    }
    return ok(200, Json.object("sku", sku, "status", "ACCEPTED", "submissionId", submissionId,
        "issues", List.of()));
  }

  private static Map<String, Object> issue(String code, String message, @Nullable String attribute) {
    return Json.object("code", code, "message", message, "severity", "ERROR",
        "categories", List.of(attribute == null ? "INVALID_ATTRIBUTE" : "INVALID_ATTRIBUTE"),
        "attributeNames", attribute == null ? null : List.of(attribute));
  }

  // ---------------------------------------------------------------- feeds

  private MockResponse createFeedDocument(@Nullable String body) {
    Map<String, Object> request = Json.asObject(Json.parse(body));
    String contentType = Json.str(request, "contentType");
    if (contentType == null) {
      throw new BadRequest("contentType is required");
    }
    String id = "amzn1.tortuga.4.na." + ids.incrementAndGet();
    documents.put(id, new Document(id, contentType, clock.instant()));
    HttpUrl upload = url().newBuilder().addPathSegments("s3/upload/" + id).build();
    return ok(201, Json.object("feedDocumentId", id, "url", upload.toString()));
  }

  private MockResponse upload(RecordedRequest request, HttpUrl url, @Nullable String body) {
    Matcher m = UPLOAD.matcher(url.encodedPath());
    m.matches();
    Document d = documents.get(m.group(1));
    if (!request.getMethod().equals("PUT") || d == null) {
      return s3Error(403, "AccessDenied");
    }
    if (clock.instant().isAfter(d.created.plus(Duration.ofMinutes(5)))) {
      return s3Error(403, "AccessDenied: Request has expired");
    }
    String type = request.getHeaders().get("Content-Type");
    if (type == null || !type.equalsIgnoreCase(d.contentType)) {
      return s3Error(403, "SignatureDoesNotMatch");
    }
    if (request.getHeaders().get("x-amz-access-token") != null) {
      return s3Error(400, "InvalidArgument: unexpected x-amz-access-token");
    }
    d.content = body == null ? "" : body;
    return new MockResponse.Builder().code(200).build();
  }

  private MockResponse download(HttpUrl url) {
    Matcher m = DOWNLOAD.matcher(url.encodedPath());
    m.matches();
    Document d = documents.get(m.group(1));
    if (d == null || d.content == null) {
      return s3Error(404, "NoSuchKey");
    }
    return new MockResponse.Builder().code(200).addHeader("Content-Type", d.contentType)
        .body(d.content).build();
  }

  private static MockResponse s3Error(int code, String message) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/xml")
        .body("<Error><Code>" + message + "</Code></Error>").build();
  }

  private MockResponse createFeed(@Nullable String body) {
    Map<String, Object> request = Json.asObject(Json.parse(body));
    String type = Json.str(request, "feedType");
    List<Object> marketplaces = request == null ? null : Json.asList(request.get("marketplaceIds"));
    String document = Json.str(request, "inputFeedDocumentId");
    if (type == null || marketplaces == null || marketplaces.isEmpty() || document == null) {
      throw new BadRequest("feedType, marketplaceIds and inputFeedDocumentId are required");
    }
    Document d = documents.get(document);
    if (d == null || d.content == null) {
      throw new BadRequest("Invalid inputFeedDocumentId: " + document);
    }
    Instant now = clock.instant();
    while (!feedSubmissions.isEmpty() && !feedSubmissions.peekFirst().plus(FEED_WINDOW).isAfter(now)) {
      feedSubmissions.pollFirst();
    }
    if (type.equals("JSON_LISTINGS_FEED") && feedSubmissions.size() >= FEEDS_PER_WINDOW) {
      return error(429, "QuotaExceeded", "You exceeded your quota for the requested resource.", null);
    }
    if (type.equals("JSON_LISTINGS_FEED")) {
      feedSubmissions.addLast(now);
    }
    String id = String.valueOf(ids.incrementAndGet() * 1000 + 17);
    Feed f = new Feed(id, type, document, now);
    feeds.put(id, f);
    return ok(202, Json.object("feedId", id));
  }

  private MockResponse getFeed(HttpUrl url) {
    Feed f = feeds.get(url.pathSegments().get(3));
    if (f == null) {
      return error(404, "NotFound", "Feed not found.", null);
    }
    Map<String, Object> feed = Json.object("feedId", f.id, "feedType", f.type,
        "marketplaceIds", List.of(marketplaceId), "createdTime", f.created.toString(),
        "processingStatus", f.status,
        "processingStartTime", f.started == null ? null : f.started.toString(),
        "processingEndTime", f.ended == null ? null : f.ended.toString(),
        "resultFeedDocumentId", f.resultDocumentId);
    return ok(200, feed);
  }

  private MockResponse getFeedDocument(HttpUrl url) {
    Document d = documents.get(url.pathSegments().get(3));
    if (d == null) {
      return error(404, "NotFound", "Document not found.", null);
    }
    HttpUrl download = url().newBuilder().addPathSegments("s3/download/" + d.id).build();
    return ok(200, Json.object("feedDocumentId", d.id, "url", download.toString()));
  }

  /** Processes a feed: every valid PATCH message sets the FBM quantity; issues go to the report. */
  private void process(Feed f, Instant now) {
    f.ended = now;
    Document input = documents.get(f.inputDocumentId);
    Map<String, Object> doc = Json.asObject(Json.parse(input == null ? null : input.content));
    Map<String, Object> header = doc == null ? null : Json.asObject(doc.get("header"));
    List<Object> messages = doc == null ? null : Json.asList(doc.get("messages"));
    if (!f.type.equals("JSON_LISTINGS_FEED") || header == null || messages == null
        || !sellerId.equals(Json.str(header, "sellerId")) || !"2.0".equals(Json.str(header, "version"))
        || messages.isEmpty() || messages.size() > FEED_MESSAGE_CAP) {
      f.status = "FATAL";
      return;
    }
    List<Object> issues = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    int accepted = 0;
    int invalid = 0;
    for (Object o : messages) {
      Map<String, Object> msg = Json.asObject(o);
      Long messageId = Json.integer(msg, "messageId");
      String sku = Json.str(msg, "sku");
      String problem = null;
      Listing l = sku == null ? null : listings.get(sku);
      Long quantity = null;
      if (messageId == null || messageId < 1 || !seen.add(messageId)) {
        problem = "messageId must be a unique whole number of 1 or more";
      } else if (sku == null || !"PATCH".equals(Json.str(msg, "operationType"))) {
        problem = "sku and operationType PATCH are required";
      } else if (l == null) {
        problem = "The SKU '" + sku + "' does not exist for this seller.";
      } else if (!l.productType.equals(Json.str(msg, "productType"))) {
        problem = "The provided product type does not match the listing's product type.";
      } else {
        for (Object p : Objects.requireNonNullElse(Json.asList(msg.get("patches")), List.of())) {
          Map<String, Object> patch = Json.asObject(p);
          if ("/attributes/fulfillment_availability".equals(Json.str(patch, "path"))) {
            for (Object v : Objects.requireNonNullElse(Json.asList(patch.get("value")), List.of())) {
              Map<String, Object> value = Json.asObject(v);
              if (FBM.equals(Json.str(value, "fulfillment_channel_code"))) {
                quantity = Json.integer(value, "quantity");
              }
            }
          }
        }
        if (quantity == null || quantity < 0) {
          problem = "The value of 'quantity' must be a whole number of 0 or more.";
        }
      }
      String rejection = sku == null ? null : rejectNext.remove(sku);
      if (problem == null && rejection != null) {
        problem = rejection;
      }
      if (problem != null) {
        invalid++;
        Map<String, Object> issue = Json.object("messageId", messageId, "sku", sku,
            "code", "90000900", "severity", "ERROR", "message", problem);
        issues.add(issue);
        continue;
      }
      accepted++;
      l.fbm = quantity;
      l.updated = stamp();
    }
    Map<String, Object> report = Json.object(
        "header", Json.object("sellerId", sellerId, "version", "2.0", "feedId", f.id),
        "issues", issues,
        "summary", Json.object("errors", invalid, "warnings", 0, "messagesProcessed", messages.size(),
            "messagesAccepted", accepted, "messagesInvalid", invalid));
    String id = "amzn1.tortuga.4.na.report." + ids.incrementAndGet();
    Document result = new Document(id, JSON, now);
    result.content = Json.write(report);
    documents.put(id, result);
    f.resultDocumentId = id;
    f.status = "DONE";
  }

  // ---------------------------------------------------------------- orders

  private MockResponse searchOrders(HttpUrl url) {
    Instant createdAfter = time(url, "createdAfter");
    Instant updatedAfter = time(url, "lastUpdatedAfter");
    Instant updatedBefore = time(url, "lastUpdatedBefore");
    Instant createdBefore = time(url, "createdBefore");
    if ((createdAfter == null) == (updatedAfter == null)) {
      throw new BadRequest("Exactly one of createdAfter and lastUpdatedAfter is required.");
    }
    Instant twoMinutesAgo = clock.instant().minus(Duration.ofMinutes(2));
    if ((updatedBefore != null && updatedBefore.isAfter(twoMinutesAgo))
        || (createdBefore != null && createdBefore.isAfter(twoMinutesAgo))) {
      throw new BadRequest("lastUpdatedBefore and createdBefore must be at least 2 minutes in the past.");
    }
    int max = intParam(url, "maxResultsPerPage", 100, 1, 100);
    Set<String> by = csv(url, "fulfilledBy", null);
    Set<String> included = includedData(url);
    Set<String> marketplaces = csv(url, "marketplaceIds", null);
    List<Order> found = new ArrayList<>();
    for (Order o : orders.values()) {
      if ((createdAfter == null || !o.created.isBefore(createdAfter))
          && (createdBefore == null || !o.created.isAfter(createdBefore))
          && (updatedAfter == null || !o.updated.isBefore(updatedAfter))
          && (updatedBefore == null || !o.updated.isAfter(updatedBefore))
          && (by.isEmpty() || by.contains(o.fulfilledBy))
          && (marketplaces.isEmpty() || marketplaces.contains(marketplaceId))) {
        found.add(o);
      }
    }
    found.sort(Comparator.<Order, Instant>comparing(o -> o.updated).thenComparing(o -> o.id));
    String fingerprint = url.newBuilder().removeAllQueryParameters("paginationToken")
        .removeAllQueryParameters("maxResultsPerPage").removeAllQueryParameters("includedData")
        .build().query();
    int offset = 0;
    String token = url.queryParameter("paginationToken");
    if (token != null) {
      offset = decodeToken(token, fingerprint);
    }
    int end = Math.min(found.size(), offset + max);
    List<Object> out = new ArrayList<>();
    for (int i = offset; i < end; i++) {
      out.add(order(found.get(i), included));
    }
    Map<String, Object> result = Json.object("orders", out);
    if (end < found.size()) {
      result.put("pagination", Json.object("nextToken", encodeToken(end, fingerprint)));
    }
    if (updatedAfter != null) {
      result.put("lastUpdatedBefore", (updatedBefore != null ? updatedBefore : twoMinutesAgo).toString());
    }
    return ok(200, result);
  }

  /** getOrder: one order by id, items always included, the same shape as in searchOrders. */
  private MockResponse getOrder(HttpUrl url) {
    Set<String> included = includedData(url);
    Order o = orders.get(url.pathSegments().get(3));
    if (o == null) {
      return error(404, "NotFound", "The requested order was not found.", null);
    }
    return ok(200, Json.object("order", order(o, included)));
  }

  private static Set<String> includedData(HttpUrl url) {
    Set<String> included = csv(url, "includedData", null);
    for (String value : included) {
      if (!INCLUDED_DATA.contains(value)) {
        throw new BadRequest("Invalid includedData value: " + value);
      }
    }
    return included;
  }

  private Map<String, Object> order(Order o, Set<String> included) {
    List<Object> items = new ArrayList<>();
    for (OrderItem i : o.items) {
      Map<String, Object> item = Json.object("orderItemId", i.id, "quantityOrdered", i.quantity,
          "product", Json.object("asin", listings.containsKey(i.sku) ? listings.get(i.sku).asin : null,
              "sellerSku", i.sku));
      if (included.contains("FULFILLMENT")) {
        item.put("fulfillment", Json.object("quantityFulfilled", i.fulfilled,
            "quantityUnfulfilled", i.quantity - i.fulfilled - i.cancelled));
      }
      if (included.contains("CANCELLATION") && i.cancelled > 0) {
        item.put("cancellation", Json.object("cancellationExecution",
            Json.object("cancelledBy", "SELLER", "cancelReason", "NO_INVENTORY")));
      }
      items.add(item);
    }
    Map<String, Object> order = Json.object("orderId", o.id, "createdTime", o.created.toString(),
        "lastUpdatedTime", o.updated.toString(),
        "salesChannel", Json.object("channelName", "AMAZON", "marketplaceId", marketplaceId));
    if (included.contains("FULFILLMENT")) {
      order.put("fulfillment", Json.object("fulfillmentStatus", o.status, "fulfilledBy", o.fulfilledBy));
    }
    order.put("orderItems", items);
    return order;
  }

  // ---------------------------------------------------------------- FBA

  private MockResponse summaries(HttpUrl url) {
    if (!"Marketplace".equals(url.queryParameter("granularityType"))
        || !marketplaceId.equals(url.queryParameter("granularityId"))) {
      throw new BadRequest("granularityType Marketplace and granularityId are required");
    }
    Set<String> marketplaces = csv(url, "marketplaceIds", null);
    if (marketplaces.size() != 1 || !marketplaces.contains(marketplaceId)) {
      throw new BadRequest("marketplaceIds: exactly one known marketplace");
    }
    boolean details = "true".equals(url.queryParameter("details"));
    Set<String> skus = csv(url, "sellerSkus", null);
    if (skus.size() > 50) {
      throw new BadRequest("sellerSkus: at most 50");
    }
    List<Listing> found = new ArrayList<>();
    for (Listing l : listings.values()) {
      if (l.fba != null && (skus.isEmpty() || skus.contains(l.sku))) {
        found.add(l);
      }
    }
    found.sort(Comparator.comparing(l -> l.sku));
    int offset = 0;
    String token = url.queryParameter("nextToken");
    if (token != null) {
      Instant issued = fbaTokens.remove(token);
      if (issued == null || clock.instant().isAfter(issued.plusSeconds(30))) {
        throw new BadRequest("Invalid or expired nextToken");
      }
      offset = decodeToken(token, "fba");
    }
    int end = Math.min(found.size(), offset + 50);
    List<Object> out = new ArrayList<>();
    for (int i = offset; i < end; i++) {
      Listing l = found.get(i);
      Map<String, Object> s = Json.object("asin", l.asin, "fnSku", "X00" + l.asin.substring(2),
          "sellerSku", l.sku, "condition", "NewItem", "lastUpdatedTime", l.updated.toString(),
          "productName", "Item " + l.sku, "totalQuantity", l.fba);
      if (details) {
        s.put("inventoryDetails", Json.object("fulfillableQuantity", l.fba,
            "inboundWorkingQuantity", 0, "inboundShippedQuantity", 0, "inboundReceivingQuantity", 0,
            "reservedQuantity", Json.object("totalReservedQuantity", 0,
                "pendingCustomerOrderQuantity", 0, "pendingTransshipmentQuantity", 0,
                "fcProcessingQuantity", 0)));
      }
      out.add(s);
    }
    Map<String, Object> result = Json.object("payload", Json.object(
        "granularity", Json.object("granularityType", "Marketplace", "granularityId", marketplaceId),
        "inventorySummaries", out));
    if (end < found.size()) {
      String next = encodeToken(end, "fba") + "." + ids.incrementAndGet();
      fbaTokens.put(next, clock.instant());
      result.put("pagination", Json.object("nextToken", next));
    }
    return ok(200, result);
  }

  // ---------------------------------------------------------------- helpers

  private void requireSeller(Matcher m) {
    if (!m.matches() || !m.group(1).equals(sellerId)) {
      throw new BadRequest("Invalid sellerId");
    }
  }

  private void requireMarketplace(HttpUrl url) {
    Set<String> marketplaces = csv(url, "marketplaceIds", null);
    if (!marketplaces.contains(marketplaceId)) {
      throw new BadRequest("marketplaceIds is required and must name " + marketplaceId);
    }
  }

  /** A comma-separated (or repeated) array parameter, as Swagger 2.0's csv format sends it. */
  private static Set<String> csv(HttpUrl url, String name, @Nullable String fallback) {
    Set<String> out = new HashSet<>();
    for (String v : url.queryParameterValues(name)) {
      if (v != null) {
        for (String part : v.split(",")) {
          if (!part.isBlank()) {
            out.add(part.strip());
          }
        }
      }
    }
    if (out.isEmpty() && fallback != null) {
      out.add(fallback);
    }
    return out;
  }

  private static int intParam(HttpUrl url, String name, int fallback, int min, int max) {
    String v = url.queryParameter(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new BadRequest(name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be an integer");
    }
  }

  private static @Nullable Instant time(HttpUrl url, String name) {
    String v = url.queryParameter(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new BadRequest(name + " is not an ISO 8601 date-time: " + v);
    }
  }

  private static String encodeToken(int offset, String fingerprint) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        (offset + ":" + Integer.toHexString(Objects.hashCode(fingerprint)))
            .getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(String token, String fingerprint) {
    try {
      String raw = token.contains(".") ? token.substring(0, token.indexOf('.')) : token;
      String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8)
          .split(":");
      if (parts.length != 2 || !parts[1].equals(Integer.toHexString(Objects.hashCode(fingerprint)))) {
        throw new BadRequest("Invalid page token: the other parameters must be unchanged");
      }
      return Integer.parseInt(parts[0]);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("Invalid page token");
    }
  }

  private static MockResponse ok(int code, Object body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", JSON)
        .body(Json.write(body)).build();
  }

  private static MockResponse error(int code, String errorCode, String message, @Nullable String details) {
    Map<String, Object> error = Json.object("code", errorCode, "message", message, "details", details);
    return new MockResponse.Builder().code(code).addHeader("Content-Type", JSON)
        .body(Json.write(Json.object("errors", List.of(error)))).build();
  }

  private void record(String operation, RecordedRequest request, HttpUrl url, @Nullable String body,
      MockResponse response) {
    String requestId = Long.toHexString(ids.incrementAndGet());
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String name : url.queryParameterNames()) {
      query.put(name, url.queryParameterValues(name).stream().map(v -> v == null ? "" : v).toList());
    }
    Map<String, String> requestHeaders = new TreeMap<>();
    Headers headers = request.getHeaders();
    for (String name : headers.names()) {
      String v = headers.get(name);
      requestHeaders.put(name.toLowerCase(Locale.ROOT), name.equalsIgnoreCase("x-amz-access-token")
          ? "[token]" : v);
    }
    Map<String, String> responseHeaders = new TreeMap<>();
    for (String name : response.getHeaders().names()) {
      responseHeaders.put(name.toLowerCase(Locale.ROOT), response.getHeaders().get(name));
    }
    responseHeaders.put("x-amzn-requestid", requestId);
    String responseBody = "";
    if (response.getBody() != null) {
      okio.Buffer copy = new okio.Buffer();
      try {
        response.getBody().writeTo(copy);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      responseBody = copy.readUtf8();
    }
    String recordedBody = operation.equals("lwaToken") ? "[credentials]" : body;
    if (operation.equals("lwaToken")) {
      responseBody = "[token]";
    }
    exchanges.add(new Exchange(operation, request.getMethod(), url.encodedPath(),
        Collections.unmodifiableMap(query), Collections.unmodifiableMap(requestHeaders),
        recordedBody, response.getCode(), Collections.unmodifiableMap(responseHeaders),
        responseBody));
    if (exchanges.size() > 200_000) {
      exchanges.subList(0, 100_000).clear();
    }
  }

  /** An invalid request: 400 InvalidInput. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Listing {
    final String sku;
    final String productType;
    final String asin;
    final Instant created;
    Instant updated;
    @Nullable Long fbm;
    @Nullable Long fba;

    Listing(String sku, String productType, String asin, Instant at) {
      this.sku = sku;
      this.productType = productType;
      this.asin = asin;
      this.created = at;
      this.updated = at;
    }
  }

  private static final class Patch {
    final String sku;
    final long quantity;
    final Instant applyAt;
    @Nullable String failure;

    Patch(String sku, long quantity, Instant applyAt) {
      this.sku = sku;
      this.quantity = quantity;
      this.applyAt = applyAt;
    }
  }

  private static final class Order {
    final String id;
    final String fulfilledBy;
    final Instant created;
    Instant updated;
    String status = "UNSHIPPED";
    final List<OrderItem> items = new ArrayList<>();

    Order(String id, String fulfilledBy, Instant at) {
      this.id = id;
      this.fulfilledBy = fulfilledBy;
      this.created = at;
      this.updated = at;
    }
  }

  private static final class OrderItem {
    final String id;
    final String sku;
    final long quantity;
    long fulfilled;
    long cancelled;

    OrderItem(String id, String sku, long quantity) {
      this.id = id;
      this.sku = sku;
      this.quantity = quantity;
    }
  }

  private static final class Feed {
    final String id;
    final String type;
    final String inputDocumentId;
    final Instant created;
    String status = "IN_QUEUE";
    @Nullable Instant started;
    @Nullable Instant ended;
    @Nullable String resultDocumentId;

    Feed(String id, String type, String inputDocumentId, Instant created) {
      this.id = id;
      this.type = type;
      this.inputDocumentId = inputDocumentId;
      this.created = created;
    }
  }

  private static final class Document {
    final String id;
    final String contentType;
    final Instant created;
    @Nullable String content;

    Document(String id, String contentType, Instant created) {
      this.id = id;
      this.contentType = contentType;
      this.created = created;
    }
  }

  /** Configures an {@link AmazonEmulator}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private String sellerId = "A2EMULATEDSELLER";
    private String marketplaceId = "ATVPDKIKX0DER";
    private String fbaChannelCode = "AMAZON_NA";
    private String clientId = DEFAULT_CLIENT_ID;
    private String clientSecret = DEFAULT_CLIENT_SECRET;
    private Duration accessTokenTtl = Duration.ofHours(1);
    private Duration acceptedDelay = Duration.ofMinutes(2);
    private Duration feedProcessingDelay = Duration.ofMinutes(5);
    private final Map<String, double[]> rates = new HashMap<>(DEFAULT_RATES);

    private Builder() {}

    /**
     * Sets the clock everything is timed by.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the seller and marketplace.
     *
     * @param sellerId the seller id
     * @param marketplaceId the marketplace id
     * @return this builder
     */
    public Builder seller(String sellerId, String marketplaceId) {
      this.sellerId = Objects.requireNonNull(sellerId, "sellerId");
      this.marketplaceId = Objects.requireNonNull(marketplaceId, "marketplaceId");
      return this;
    }

    /**
     * Sets the LWA client the token endpoint accepts.
     *
     * @param clientId the LWA client id
     * @param clientSecret the LWA client secret
     * @return this builder
     */
    public Builder lwa(String clientId, String clientSecret) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      return this;
    }

    /**
     * Sets how long access tokens live; 1 hour by default.
     *
     * @param ttl the lifetime
     * @return this builder
     */
    public Builder accessTokenTtl(Duration ttl) {
      this.accessTokenTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * Sets how long after an ACCEPTED answer a PATCH lands; 2 minutes by default, zero to apply
     * at once.
     *
     * @param delay the delay
     * @return this builder
     */
    public Builder acceptedDelay(Duration delay) {
      this.acceptedDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Sets how long a feed takes from creation to DONE; 5 minutes by default.
     *
     * @param delay the delay
     * @return this builder
     */
    public Builder feedProcessingDelay(Duration delay) {
      this.feedProcessingDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Overrides one operation's usage plan, as Amazon does for sellers with higher limits.
     *
     * @param operation the operation id, e.g. {@code patchListingsItem}
     * @param rate requests per second
     * @param burst bucket size
     * @return this builder
     */
    public Builder rate(String operation, double rate, int burst) {
      rates.put(Objects.requireNonNull(operation, "operation"), new double[] {rate, burst});
      return this;
    }

    /**
     * Gives every operation a very large usage plan, for tests that are not about rate limits.
     *
     * @return this builder
     */
    public Builder generousRates() {
      rates.replaceAll((k, v) -> new double[] {1000, 100_000});
      return this;
    }

    /**
     * Builds the emulator; call {@link AmazonEmulator#start()} next.
     *
     * @return the emulator
     */
    public AmazonEmulator build() {
      return new AmazonEmulator(this);
    }
  }
}
