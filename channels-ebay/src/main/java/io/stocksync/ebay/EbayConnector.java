package io.stocksync.ebay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.stocksync.core.ChannelException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelCapabilities;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.channel.StoreIdentity;
import io.stocksync.ebay.internal.EbayRestApi;
import io.stocksync.core.internal.Json;
import io.stocksync.oauth.AccessTokenHeader;
import io.stocksync.oauth.ExpiredTokenSignal;
import io.stocksync.oauth.OAuthTokenSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Retrofit;

/**
 * A {@link ChannelConnector} for one eBay seller on one marketplace.
 *
 * <pre>{@code
 * EbayConnector ebay = EbayConnector.builder()
 *     .sellerId("my-ebay-user")
 *     .marketplaceId("EBAY_US")
 *     .accessToken(userAccessToken)
 *     .build();
 * }</pre>
 *
 * <h2>Locations</h2>
 *
 * <p>One implicit location per marketplace, the listing's ship-to-home quantity (id = the
 * marketplace id, e.g. {@code EBAY_US}). Merchant locations ({@code availabilityDistributions})
 * are not exposed: a buyer sees one figure per listing, a bulk update that names distributions
 * must restate all of them (or lose them), and Trading-API listings have no locations at all, so
 * pushing per merchant location could not be done correctly for every listing.
 *
 * <h2>Listings: two kinds, each remembering its origin</h2>
 *
 * <ul>
 *   <li>Inventory-API listings (inventory items and their offers, Sell Inventory 1.18.0):
 *       {@code getInventoryItems} pages (page-index {@code offset}; the connector follows {@code
 *       next}), then {@code getOffers?sku=} per item. Listing and inventory ref are {@code
 *       inv:{sku}}. Status: a published offer ACTIVE → active, OUT_OF_STOCK → sold out;
 *       unpublished offers only (or no offer) → draft; published but INACTIVE, ENDED, EBAY_ENDED or
 *       NOT_LISTED → inactive.
 *   <li>Trading-API listings (Seller Hub and Trading API listings, invisible to the Inventory API):
 *       {@code GetMyeBaySelling} ActiveList pages
 *       (https://developer.ebay.com/devzone/xml/docs/Reference/eBay/GetMyeBaySelling.html), SKU on
 *       the item or on each variation. Refs {@code trd:{ItemID}} or {@code trd:{ItemID}/{SKU}}.
 *       Status active, or sold out when nothing is available. Listings without a SKU are skipped.
 *       They are read, not migrated: {@code bulk_migrate_listing} changes how the seller must
 *       manage the listing forever, which a stock tool must not decide.
 * </ul>
 *
 * <p>eBay reports no modification time for either kind, so every listing read pages through all
 * items. A full read ({@code changedSince == null}) also re-reads every SKU's offers; an
 * incremental read reuses the offers learned in the last six hours and asks eBay only for SKUs it
 * has not seen (one {@code getOffers} call per SKU is the dominant cost of a listing read).
 *
 * <h2>Pushes, routed by origin; never a price; no compare-and-set</h2>
 *
 * <ul>
 *   <li>{@code inv:} refs: {@code bulkUpdatePriceQuantity}, up to 25 items per call, each setting
 *       the ship-to-home quantity and every PUBLISHED offer's {@code availableQuantity} to the same
 *       figure (the listing shows the lower of the two). Each item's {@code statusCode} decides:
 *       200 → confirmed; errorId 25001 → retryable; 25713 (offer gone) → retryable after the
 *       offers are re-read; other errors → rejected.
 *   <li>{@code trd:} refs: {@code ReviseInventoryStatus}
 *       (https://developer.ebay.com/Devzone/XML/docs/Reference/eBay/ReviseInventoryStatus.html),
 *       up to 4 items or variations per call, variations of one listing kept together; each item is
 *       confirmed by its {@code InventoryStatus} in the answer or failed by an error naming it.
 *   <li>eBay allows 250 revisions per listing per day: see {@link #revisionsToday(String)}. Near
 *       the cap increases are spaced out (decreases still go); at the cap the item answers {@link
 *       PushResult.Retryable} until midnight UTC with a reason naming the listing, and a warning is
 *       logged.
 * </ul>
 *
 * <h2>Orders</h2>
 *
 * <p>{@code getOrders} with {@code filter=lastmodifieddate:[from..]} ({@code [ ]} percent-encoded
 * as the spec requires, dates with milliseconds), 200 per page by record offset. A line is
 * shipped when its {@code lineItemFulfillmentStatus} is FULFILLED; {@code cancelStatus.cancelState}
 * CANCELED cancels the order and releases what was not shipped. <b>Refunds</b>: eBay's refund
 * ({@code lineItems[].refunds[]}) says nothing about goods coming back, so a refund alone never
 * restocks or releases anything; a refund before shipping comes with a cancellation, which
 * releases; returned goods are booked into the hub by hand (a stock adjustment).
 *
 * <h2>Quotas and errors</h2>
 *
 * <p>Requests are paced at {@link Builder#maxRequestsPerSecond(double)} and each API's daily quota
 * is spent evenly (see {@link #callsToday(EbayApi)}); 429 (errorId 2001) and 5xx are retryable; 401
 * (errorId 1001) means the token was refused.
 *
 * <p>Thread-safe. Tokens never appear in logs, exceptions or {@link #toString()}.
 */
public final class EbayConnector implements ChannelConnector {
  /** How often orders are polled at most; see {@link #orderPollInterval()}. */
  static final Duration ORDER_POLL_INTERVAL = Duration.ofMinutes(1);
  /** The channel name in {@link StoreId}s. */
  public static final String CHANNEL = "ebay";
  /** Items per {@code bulkUpdatePriceQuantity} call, and so the engine's batch size. */
  public static final int MAX_BATCH = 25;
  /** The OAuth scopes the connector needs (space-separated, as the token endpoint wants them). */
  public static final String SCOPES = "https://api.ebay.com/oauth/api_scope/sell.inventory"
      + " https://api.ebay.com/oauth/api_scope/sell.fulfillment";
  /** Items or variations per {@code ReviseInventoryStatus} call. */
  public static final int MAX_REVISE = 4;

  static final String INV = "inv:";
  static final String TRD = "trd:";
  private static final Logger log = LoggerFactory.getLogger(EbayConnector.class);
  private static final DateTimeFormatter EBAY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String sellerId;
  private final String marketplaceId;
  private final String contentLanguage;
  private final StoreId storeId;
  private final Clock clock;
  private final int inventoryPageSize;
  private final int tradingPageSize;
  private final int orderPageSize;
  private final boolean tradingListings;
  private final String accessToken;
  private final @Nullable OAuthTokenSource tokenSource;
  private final OkHttpClient http;
  private final OkHttpClient tradingHttp;
  private final boolean ownsClient;
  private final EbayRestApi rest;
  private final RestCalls calls;
  private final TradingClient trading;
  private final CallBudget budget;
  private final RevisionLedger ledger;
  private final Cache<String, List<String>> publishedOffers =
      Caffeine.newBuilder().maximumSize(500_000).expireAfterWrite(Duration.ofHours(6)).build();
  // The offers of each SKU as last read, for incremental listing reads; same lifetime.
  private final Cache<String, List<Map<String, Object>>> offerDetails =
      Caffeine.newBuilder().maximumSize(500_000).expireAfterWrite(Duration.ofHours(6)).build();
  private final Set<String> cappedListings = ConcurrentHashMap.newKeySet();
  private volatile boolean nextListingPageIsTrading;

  private EbayConnector(Builder b) {
    this.sellerId = b.sellerId;
    this.marketplaceId = b.marketplaceId;
    this.contentLanguage = b.contentLanguage;
    this.storeId = StoreId.of(CHANNEL, sellerId + "/" + marketplaceId);
    this.clock = b.clock;
    this.inventoryPageSize = b.inventoryPageSize;
    this.tradingPageSize = b.tradingPageSize;
    this.orderPageSize = b.orderPageSize;
    this.tradingListings = b.tradingListings;
    this.accessToken = b.accessToken;
    Map<EbayApi, Long> limits = new EnumMap<>(EbayApi.class);
    for (EbayApi api : EbayApi.values()) {
      limits.put(api, b.dailyLimits.getOrDefault(api, api.defaultDailyLimit()));
    }
    this.budget = new CallBudget(clock, b.maxRequestsPerSecond, limits);
    this.ledger = new RevisionLedger(clock);
    this.tokenSource = b.tokenSource;
    this.ownsClient = b.client == null;
    OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
    Interceptor common = chain -> {
      okhttp3.Request request = chain.request();
      budget.record(apiOf(request.url()));
      okhttp3.Request.Builder out = request.newBuilder().header("User-Agent", "stocksync/0.1");
      if (!request.url().encodedPath().endsWith("/ws/api.dll")) {
        out.header("X-EBAY-C-MARKETPLACE-ID", marketplaceId);
      }
      return chain.proceed(out.build());
    };
    String token = b.accessToken;
    Interceptor restAuth;
    Interceptor tradingAuth;
    if (tokenSource != null) {
      // The shared OAuth piece: refresh ahead of expiry; on a refused token refresh once and
      // retry once; invalid_grant -> CredentialsException (the store needs re-authorisation).
      restAuth = tokenSource.interceptor(AccessTokenHeader.bearer(), ExpiredTokenSignal.ebay());
      // Trading answers token errors inside HTTP 200 bodies: TradingClient reports those to the
      // source itself; the interceptor only sees transport-level 401s.
      tradingAuth = tokenSource.interceptor(AccessTokenHeader.named("X-EBAY-API-IAF-TOKEN"),
          ExpiredTokenSignal.status(401));
    } else {
      restAuth = chain -> chain.proceed(chain.request().newBuilder()
          .header("Authorization", "Bearer " + token).build());
      tradingAuth = chain -> chain.proceed(chain.request().newBuilder()
          .header("X-EBAY-API-IAF-TOKEN", token).build());
    }
    this.http = base.newBuilder().addInterceptor(common).addInterceptor(restAuth).build();
    this.tradingHttp = base.newBuilder().addInterceptor(common).addInterceptor(tradingAuth).build();
    HttpUrl baseUrl = b.baseUrl != null ? b.baseUrl : HttpUrl.get("https://api.ebay.com/");
    Retrofit retrofit = new Retrofit.Builder().baseUrl(baseUrl).client(http)
        .addConverterFactory(retrofit2.converter.moshi.MoshiConverterFactory.create())
        .build();
    this.rest = retrofit.create(EbayRestApi.class);
    this.calls = new RestCalls(this::redact);
    this.trading = new TradingClient(tradingHttp, baseUrl.resolve("ws/api.dll"), b.siteId,
        tokenSource == null ? null : tokenSource::invalidateAccessToken);
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private static EbayApi apiOf(HttpUrl url) {
    String path = url.encodedPath();
    if (path.endsWith("/ws/api.dll")) {
      return EbayApi.TRADING;
    }
    if (path.startsWith("/sell/fulfillment/")) {
      return EbayApi.FULFILLMENT;
    }
    if (path.startsWith("/commerce/notification/")) {
      return EbayApi.NOTIFICATION;
    }
    return EbayApi.INVENTORY;
  }

  @Override
  public StoreId storeId() {
    return storeId;
  }

  /**
   * Returns the marketplace id, which is also the id of the one implicit location.
   *
   * @return e.g. {@code EBAY_US}
   */
  public String marketplaceId() {
    return marketplaceId;
  }

  @Override
  public ChannelCapabilities capabilities() {
    // The request rate is paced here (pacingDelay), per HTTP request rather than per engine call.
    return new ChannelCapabilities(MAX_BATCH, false, false, true, 0);
  }

  /**
   * Reads the seller with the Trading API's {@code GetUser}
   * (https://developer.ebay.com/Devzone/XML/docs/Reference/eBay/GetUser.html), which also proves
   * the token works.
   *
   * @throws ChannelException if the token belongs to another seller
   */
  @Override
  public StoreIdentity identity() {
    TradingClient.Answer answer = trading.call("GetUser", "");
    Xml.Element user = answer.root().child("User");
    String userId = user == null ? null : user.text("UserID");
    if (userId == null || userId.isEmpty()) {
      throw new MalformedResponseException("eBay GetUser answered without User.UserID", null);
    }
    if (!userId.equalsIgnoreCase(sellerId)) {
      throw new ChannelException("the token belongs to eBay user " + userId + ", not " + sellerId, null);
    }
    return new StoreIdentity(storeId, userId + " on " + marketplaceId);
  }

  @Override
  public List<ChannelLocation> locations() {
    return List.of(new ChannelLocation(marketplaceId, "eBay " + marketplaceId + " (ship to home)",
        true, false));
  }

  // ================================================================ listings

  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    String token = query.pageToken();
    if (token != null && token.startsWith("T:")) {
      return tradingPage(query, parsePositive(token.substring(2), "pageToken"));
    }
    String url = token == null
        ? "sell/inventory/v1/inventory_item?limit=" + inventoryPageSize + "&offset=0"
        : token.substring(2);
    if (token != null && !token.startsWith("I:")) {
      throw new InvalidInputException("pageToken", "not a token this connector handed out");
    }
    Map<String, Object> page = calls.execute(rest.getInventoryItems(url), "getInventoryItems", false).body();
    List<ChannelListing> out = new ArrayList<>();
    for (Object o : Json.list(page, "inventoryItems")) {
      Map<String, Object> item = Json.asObj(o, "inventoryItems[]");
      ChannelListing listing = inventoryListing(item, query);
      if (listing != null) {
        out.add(listing);
      }
    }
    String next = Json.optStr(page, "next");
    String nextToken;
    if (next != null) {
      HttpUrl href = HttpUrl.parse(next);
      if (href == null) {
        throw new MalformedResponseException("eBay getInventoryItems next is not a URL", null);
      }
      // Follow eBay's own href (page-index offset), against our base URL.
      nextToken = "I:" + href.encodedPath().substring(1) + "?" + href.encodedQuery();
    } else {
      nextToken = tradingListings ? "T:1" : null;
    }
    nextListingPageIsTrading = nextToken != null && nextToken.startsWith("T:");
    return new Page<>(out, nextToken);
  }

  private @Nullable ChannelListing inventoryListing(Map<String, Object> item, ListingQuery query) {
    Sku sku = sku(Json.optStr(item, "sku"));
    if (sku == null) {
      return null;
    }
    Map<String, Object> availability = Json.optObj(item, "availability");
    Map<String, Object> ship = availability == null ? null : Json.optObj(availability, "shipToLocationAvailability");
    long quantity = ship == null || !ship.containsKey("quantity") ? 0 : Json.num(ship, "quantity");
    List<Map<String, Object>> offers = query.changedSince() == null ? null
        : offerDetails.getIfPresent(sku.value());
    if (offers == null) {
      offers = offers(sku.value());
    }
    ListingStatus status = ListingStatus.DRAFT;
    boolean anyPublished = false;
    long shown = quantity;
    for (Map<String, Object> offer : offers) {
      if (!"PUBLISHED".equals(Json.optStr(offer, "status"))) {
        continue;
      }
      anyPublished = true;
      if (offer.containsKey("availableQuantity")) {
        shown = Math.min(shown, Json.num(offer, "availableQuantity"));
      }
      Map<String, Object> listing = Json.optObj(offer, "listing");
      String listingStatus = listing == null ? null : Json.optStr(listing, "listingStatus");
      ListingStatus s = offerStatus(listingStatus);
      if (rank(s) > rank(status) || status == ListingStatus.DRAFT) {
        status = s;
      }
    }
    if (!anyPublished) {
      status = ListingStatus.DRAFT;
    }
    // Incremental reads keep drafts, so the engine sees a listing that left ACTIVE (a withdrawn
    // offer) and stops pushing there.
    if (status == ListingStatus.DRAFT && !query.includeDrafts() && query.changedSince() == null) {
      return null;
    }
    Map<String, Object> product = Json.optObj(item, "product");
    String title = product == null ? null : Json.optStr(product, "title");
    String ref = INV + sku.value();
    return new ChannelListing(ref, ref, sku, status, title == null ? "" : title, true,
        Map.of(marketplaceId, Math.max(0, shown)), clock.instant());
  }

  private static ListingStatus offerStatus(@Nullable String listingStatus) {
    if (listingStatus == null) {
      return ListingStatus.INACTIVE;
    }
    switch (listingStatus) {
      case "ACTIVE":
        return ListingStatus.ACTIVE;
      case "OUT_OF_STOCK":
        return ListingStatus.SOLD_OUT;
      default: // INACTIVE, ENDED, EBAY_ENDED, NOT_LISTED
        return ListingStatus.INACTIVE;
    }
  }

  private static int rank(ListingStatus s) {
    switch (s) {
      case ACTIVE:
        return 3;
      case SOLD_OUT:
        return 2;
      case INACTIVE:
        return 1;
      default:
        return 0;
    }
  }

  /** getOffers for one SKU; also refreshes the cache of its published offer ids. */
  private List<Map<String, Object>> offers(String sku) {
    RestCalls.Answer answer = calls.execute(rest.getOffers(sku, marketplaceId), "getOffers", true);
    List<Map<String, Object>> out = new ArrayList<>();
    List<String> published = new ArrayList<>();
    if (answer.status() != 404) {
      for (Object o : Json.list(answer.body(), "offers")) {
        Map<String, Object> offer = Json.asObj(o, "offers[]");
        out.add(offer);
        Map<String, Object> listing = Json.optObj(offer, "listing");
        String listingStatus = listing == null ? null : Json.optStr(listing, "listingStatus");
        if ("PUBLISHED".equals(Json.optStr(offer, "status"))
            && !"ENDED".equals(listingStatus) && !"EBAY_ENDED".equals(listingStatus)) {
          published.add(Json.str(offer, "offerId"));
        }
      }
    }
    publishedOffers.put(sku, List.copyOf(published));
    offerDetails.put(sku, List.copyOf(out));
    return out;
  }

  private Page<ChannelListing> tradingPage(ListingQuery query, int pageNumber) {
    TradingClient.Answer answer = trading.call("GetMyeBaySelling",
        "<ActiveList><Include>true</Include><Pagination><EntriesPerPage>" + tradingPageSize
            + "</EntriesPerPage><PageNumber>" + pageNumber + "</PageNumber></Pagination></ActiveList>"
            + "<DetailLevel>ReturnAll</DetailLevel>");
    Xml.Element active = answer.root().child("ActiveList");
    List<ChannelListing> out = new ArrayList<>();
    int pages = 1;
    if (active != null) {
      Xml.Element array = active.child("ItemArray");
      for (Xml.Element item : array == null ? List.<Xml.Element>of() : array.children("Item")) {
        out.addAll(tradingListings(item));
      }
      Xml.Element pagination = active.child("PaginationResult");
      if (pagination != null && pagination.text("TotalNumberOfPages") != null) {
        pages = parseInt(pagination.text("TotalNumberOfPages"), "TotalNumberOfPages");
      }
    }
    String next = pageNumber < pages ? "T:" + (pageNumber + 1) : null;
    nextListingPageIsTrading = next != null;
    return new Page<>(out, next);
  }

  private List<ChannelListing> tradingListings(Xml.Element item) {
    String itemId = item.text("ItemID");
    if (itemId == null || itemId.isEmpty()) {
      throw new MalformedResponseException("eBay GetMyeBaySelling item without ItemID", null);
    }
    String title = TradingClient.orEmpty(item.text("Title"));
    Instant now = clock.instant();
    List<ChannelListing> out = new ArrayList<>();
    Xml.Element variations = item.child("Variations");
    if (variations != null && !variations.children("Variation").isEmpty()) {
      for (Xml.Element v : variations.children("Variation")) {
        Sku sku = sku(v.text("SKU"));
        if (sku == null) {
          continue;
        }
        long available = available(v);
        String ref = TRD + itemId + "/" + sku.value();
        String vt = v.text("VariationTitle");
        out.add(new ChannelListing(ref, ref, sku, available > 0 ? ListingStatus.ACTIVE : ListingStatus.SOLD_OUT,
            vt == null ? title : vt, true, Map.of(marketplaceId, available), now));
      }
      return out;
    }
    Sku sku = sku(item.text("SKU"));
    if (sku == null) {
      return out;
    }
    long available = item.text("QuantityAvailable") != null
        ? parseInt(item.text("QuantityAvailable"), "QuantityAvailable") : available(item);
    String ref = TRD + itemId;
    out.add(new ChannelListing(ref, ref, sku, available > 0 ? ListingStatus.ACTIVE : ListingStatus.SOLD_OUT,
        title, true, Map.of(marketplaceId, available), now));
    return out;
  }

  /** Quantity minus SellingStatus.QuantitySold: what is still for sale. */
  private static long available(Xml.Element itemOrVariation) {
    long quantity = parseInt(itemOrVariation.text("Quantity"), "Quantity");
    Xml.Element selling = itemOrVariation.child("SellingStatus");
    String sold = selling == null ? null : selling.text("QuantitySold");
    return Math.max(0, quantity - (sold == null ? 0 : parseInt(sold, "QuantitySold")));
  }

  private static @Nullable Sku sku(@Nullable String value) {
    try {
      return Sku.ofNullable(value);
    } catch (InvalidInputException e) {
      return null; // longer than any channel allows: not a SKU we can link
    }
  }

  // ================================================================ orders

  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    int offset = 0;
    String token = query.pageToken();
    if (token != null) {
      if (!token.startsWith("O:")) {
        throw new InvalidInputException("pageToken", "not a token this connector handed out");
      }
      offset = parseInt(token.substring(2), "pageToken");
    }
    Instant now = clock.instant();
    Instant since = query.updatedSince();
    // eBay refuses dates in the future (30850) and more than two years back (30830).
    Instant floor = now.minus(Duration.ofDays(729));
    if (since.isBefore(floor)) {
      since = floor;
    }
    if (since.isAfter(now)) {
      since = now;
    }
    // The spec: "[ ] { | }" must be percent-encoded; the rest of the value is sent as is.
    String filter = "lastmodifieddate:%5B" + EBAY_TIME.format(since) + "..%5D";
    Map<String, Object> page = calls.execute(rest.getOrders(filter, orderPageSize, offset),
        "getOrders", false).body();
    List<ChannelOrder> out = new ArrayList<>();
    List<Object> orders = Json.list(page, "orders");
    for (Object o : orders) {
      out.add(order(Json.asObj(o, "orders[]")));
    }
    out.sort(Comparator.comparing(ChannelOrder::updatedAt));
    String next = Json.optStr(page, "next") != null && !orders.isEmpty()
        ? "O:" + (offset + orders.size()) : null;
    return new Page<>(out, next);
  }

  /**
   * One minute: eBay announces no cancellation (there is no notification topic for it) yet puts
   * a cancelled order's units back on its listing at once, so until the hub reads the
   * cancellation the listing shows units the hub may not have. A poll a minute costs 1,440
   * {@code getOrders} calls a day of the Fulfillment API's 100,000.
   *
   * @return one minute
   */
  @Override
  public Optional<Duration> orderPollInterval() {
    return Optional.of(ORDER_POLL_INTERVAL);
  }

  /**
   * True: an {@code ORDER_CONFIRMATION} notification names its order, which the engine then
   * reads alone with {@code getOrder} instead of searching by modification date.
   *
   * @return true
   */
  @Override
  public boolean readsOrderById() {
    return true;
  }

  /**
   * Reads one order with {@code getOrder} (Fulfillment API, one call of its daily budget), mapped
   * as {@link #orders} maps it.
   *
   * @param orderId the eBay order id
   * @return the order, or empty if eBay answers 404 (no such order for this seller)
   * @throws InvalidInputException if the id is blank
   * @throws io.stocksync.core.CredentialsException if eBay refuses the token
   * @throws io.stocksync.core.RetryLaterException on 429, 5xx or a transport failure
   * @throws ChannelException on any other refusal (e.g. 400 32100 for a malformed id)
   */
  @Override
  public Optional<ChannelOrder> readOrder(String orderId) {
    if (orderId == null || orderId.isBlank()) {
      throw new InvalidInputException("orderId", "required");
    }
    RestCalls.Answer answer = calls.execute(rest.getOrder(orderId), "getOrder", true);
    return answer.status() == 404 ? Optional.empty() : Optional.of(order(answer.body()));
  }

  private ChannelOrder order(Map<String, Object> o) {
    String orderId = Json.str(o, "orderId");
    Instant created = ebayInstant(o, "creationDate");
    Instant modified = ebayInstant(o, "lastModifiedDate");
    Map<String, Object> cancel = Json.optObj(o, "cancelStatus");
    boolean cancelled = cancel != null && "CANCELED".equals(Json.optStr(cancel, "cancelState"));
    List<ChannelOrderLine> lines = new ArrayList<>();
    for (Object l : Json.list(o, "lineItems")) {
      Map<String, Object> line = Json.asObj(l, "lineItems[]");
      long quantity = Json.num(line, "quantity");
      boolean shipped = "FULFILLED".equals(Json.optStr(line, "lineItemFulfillmentStatus"));
      long fulfilled = shipped ? quantity : 0;
      long cancelledUnits = cancelled ? quantity - fulfilled : 0;
      String sku = Json.optStr(line, "sku");
      // Refunds never restock: eBay's refund does not say whether goods came back.
      lines.add(new ChannelOrderLine(Json.str(line, "lineItemId"), sku == null ? "" : sku,
          quantity, fulfilled, cancelledUnits, 0));
    }
    return new ChannelOrder(orderId, EBAY_TIME.format(modified), created, modified, cancelled,
        marketplaceId, lines);
  }

  private static Instant ebayInstant(Map<String, Object> node, String field) {
    String s = Json.str(node, field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new MalformedResponseException("eBay field '" + field + "' is not an ISO-8601 instant", e);
    }
  }

  // ================================================================ quantities

  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    Map<String, Long> found = new HashMap<>();
    List<String> skus = new ArrayList<>();
    Set<String> items = new LinkedHashSet<>();
    for (StockRef ref : refs) {
      if (!ref.locationId().equals(marketplaceId)) {
        continue;
      }
      String r = ref.inventoryRef();
      if (r.startsWith(INV)) {
        skus.add(r.substring(INV.length()));
      } else if (r.startsWith(TRD)) {
        items.add(itemIdOf(r));
      }
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(skus));
    for (int from = 0; from < distinct.size(); from += MAX_BATCH) {
      List<Object> requests = new ArrayList<>();
      for (String sku : distinct.subList(from, Math.min(distinct.size(), from + MAX_BATCH))) {
        requests.add(Map.of("sku", sku));
      }
      Map<String, Object> body = calls.execute(
          rest.bulkGetInventoryItem(Map.of("requests", requests)), "bulkGetInventoryItem", false).body();
      for (Object o : Json.list(body, "responses")) {
        Map<String, Object> r = Json.asObj(o, "responses[]");
        if (Json.num(r, "statusCode") != 200) {
          continue;
        }
        Map<String, Object> item = Json.obj(r, "inventoryItem");
        Map<String, Object> availability = Json.optObj(item, "availability");
        Map<String, Object> ship = availability == null ? null
            : Json.optObj(availability, "shipToLocationAvailability");
        long q = ship == null || !ship.containsKey("quantity") ? 0 : Json.num(ship, "quantity");
        found.put(INV + Json.str(r, "sku"), q);
      }
    }
    for (String itemId : items) {
      TradingClient.Answer answer = trading.call("GetItem", "<ItemID>" + TradingClient.esc(itemId)
          + "</ItemID><DetailLevel>ReturnAll</DetailLevel>");
      Xml.Element item = answer.root().child("Item");
      if (item == null) {
        continue;
      }
      Xml.Element variations = item.child("Variations");
      if (variations != null && !variations.children("Variation").isEmpty()) {
        for (Xml.Element v : variations.children("Variation")) {
          String sku = v.text("SKU");
          if (sku != null) {
            found.put(TRD + itemId + "/" + sku, available(v));
          }
        }
      } else {
        found.put(TRD + itemId, available(item));
      }
    }
    Map<StockRef, Long> out = new LinkedHashMap<>();
    for (StockRef ref : refs) {
      Long q = ref.locationId().equals(marketplaceId) ? found.get(ref.inventoryRef()) : null;
      if (q != null) {
        out.put(ref, q);
      }
    }
    return out;
  }

  // ================================================================ push

  @Override
  public List<PushResult> push(List<PushItem> items) {
    if (items.size() > MAX_BATCH) {
      throw new InvalidInputException("items", "at most " + MAX_BATCH + " per push: " + items.size());
    }
    PushResult[] results = new PushResult[items.size()];
    List<Integer> inventory = new ArrayList<>();
    List<Integer> revise = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      PushItem item = items.get(i);
      String ref = item.ref().inventoryRef();
      if (!item.ref().locationId().equals(marketplaceId)) {
        results[i] = new PushResult.Rejected("eBay has one location per marketplace: "
            + marketplaceId + ", not " + item.ref().locationId());
        continue;
      }
      if (!ref.startsWith(INV) && !ref.startsWith(TRD)) {
        results[i] = new PushResult.Rejected("not an eBay listing ref: " + ref);
        continue;
      }
      RevisionLedger.Hold hold = ledger.check(listingKey(ref), item.quantity());
      if (hold != null) {
        if (hold.capped() && cappedListings.add(listingKey(ref))) {
          log.warn("{}: {}", storeId, hold.reason());
        }
        results[i] = new PushResult.Retryable(hold.reason(), hold.delay());
        continue;
      }
      (ref.startsWith(INV) ? inventory : revise).add(i);
    }
    if (!inventory.isEmpty()) {
      pushInventory(items, inventory, results);
    }
    if (!revise.isEmpty()) {
      pushTrading(items, revise, results);
    }
    for (int i = 0; i < results.length; i++) {
      Objects.requireNonNull(results[i], "no result for item " + i);
    }
    return List.of(results);
  }

  private static String listingKey(String ref) {
    return ref.startsWith(TRD) ? TRD + itemIdOf(ref) : ref;
  }

  private static String itemIdOf(String trdRef) {
    String rest = trdRef.substring(TRD.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static @Nullable String variationSkuOf(String trdRef) {
    String rest = trdRef.substring(TRD.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? null : rest.substring(slash + 1);
  }

  private void pushInventory(List<PushItem> items, List<Integer> indexes, PushResult[] results) {
    List<Object> requests = new ArrayList<>();
    Map<String, Integer> indexBySku = new LinkedHashMap<>();
    for (int i : indexes) {
      PushItem item = items.get(i);
      String sku = item.ref().inventoryRef().substring(INV.length());
      if (indexBySku.containsKey(sku)) {
        results[i] = new PushResult.Retryable("the same SKU twice in one batch", Duration.ZERO);
        continue;
      }
      List<String> offerIds = publishedOffers.getIfPresent(sku);
      if (offerIds == null) {
        offers(sku);
        offerIds = Objects.requireNonNull(publishedOffers.getIfPresent(sku));
      }
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("sku", sku);
      request.put("shipToLocationAvailability", Map.of("quantity", item.quantity()));
      List<Object> offers = new ArrayList<>();
      for (String offerId : offerIds) {
        // availableQuantity only: a price is never sent.
        offers.add(Map.of("offerId", offerId, "availableQuantity", item.quantity()));
      }
      if (!offers.isEmpty()) {
        request.put("offers", offers);
      }
      requests.add(request);
      indexBySku.put(sku, i);
    }
    if (requests.isEmpty()) {
      return;
    }
    Map<String, Object> body = calls.execute(
        rest.bulkUpdatePriceQuantity(contentLanguage, Map.of("requests", requests)),
        "bulkUpdatePriceQuantity", false).body();
    Map<String, PushResult> bySku = new HashMap<>();
    for (Object o : Json.list(body, "responses")) {
      Map<String, Object> r = Json.asObj(o, "responses[]");
      String sku = Json.optStr(r, "sku");
      if (sku == null || !indexBySku.containsKey(sku)) {
        continue;
      }
      PushItem item = items.get(indexBySku.get(sku));
      PushResult result = itemResult(sku, item, r);
      PushResult before = bySku.get(sku);
      // Several offers per SKU: the item is confirmed only when every offer is.
      if (before == null || before instanceof PushResult.Confirmed) {
        bySku.put(sku, result);
      }
    }
    indexBySku.forEach((sku, i) -> {
      PushResult result = bySku.get(sku);
      if (result == null) {
        result = new PushResult.Retryable("eBay did not report on SKU " + sku, null);
      } else if (result instanceof PushResult.Confirmed) {
        ledger.revised(INV + sku, items.get(i).quantity());
      }
      results[i] = result;
    });
  }

  private PushResult itemResult(String sku, PushItem item, Map<String, Object> r) {
    long status = Json.num(r, "statusCode");
    if (status == 200) {
      return new PushResult.Confirmed(item.quantity());
    }
    List<Object> errors = r.get("errors") instanceof List<?> l ? new ArrayList<>(l) : List.of();
    StringBuilder reason = new StringBuilder("eBay statusCode " + status);
    boolean retry = status >= 500;
    boolean offersGone = false;
    boolean cap = false;
    for (Object e : errors) {
      Map<String, Object> error = Json.asObj(e, "errors[]");
      long id = RestCalls.errorId(error);
      String message = String.valueOf(Json.optStr(error, "message"));
      reason.append(": errorId ").append(id).append(' ').append(message);
      if (id == 25001) {
        retry = true;
      } else if (id == 25713) {
        offersGone = true;
      } else if (id == 25002 && message.toLowerCase(Locale.ROOT).contains("maximum number of times")) {
        cap = true;
      }
    }
    if (cap) {
      ledger.capped(INV + sku);
      if (cappedListings.add(INV + sku)) {
        log.warn("{}: eBay reports listing {} at its daily revision cap", storeId, INV + sku);
      }
      RevisionLedger.Hold hold = ledger.check(INV + sku, item.quantity());
      return new PushResult.Retryable(reason.toString(), hold == null ? null : hold.delay());
    }
    if (offersGone) {
      publishedOffers.invalidate(sku); // re-read the offers before the retry
      offerDetails.invalidate(sku);
      return new PushResult.Retryable(reason.toString(), Duration.ZERO);
    }
    return retry ? new PushResult.Retryable(reason.toString(), null)
        : new PushResult.Rejected(reason.toString());
  }

  private void pushTrading(List<PushItem> items, List<Integer> indexes, PushResult[] results) {
    // Variations of one listing side by side, so they share calls (and revisions).
    List<Integer> sorted = new ArrayList<>(indexes);
    sorted.sort(Comparator.comparing(i -> itemIdOf(items.get(i).ref().inventoryRef())));
    for (int from = 0; from < sorted.size(); from += MAX_REVISE) {
      List<Integer> chunk = sorted.subList(from, Math.min(sorted.size(), from + MAX_REVISE));
      StringBuilder xml = new StringBuilder();
      for (int i : chunk) {
        String ref = items.get(i).ref().inventoryRef();
        String variation = variationSkuOf(ref);
        xml.append("<InventoryStatus><ItemID>").append(TradingClient.esc(itemIdOf(ref))).append("</ItemID>");
        if (variation != null) {
          xml.append("<SKU>").append(TradingClient.esc(variation)).append("</SKU>");
        }
        xml.append("<Quantity>").append(items.get(i).quantity()).append("</Quantity></InventoryStatus>");
      }
      TradingClient.Answer answer = trading.call("ReviseInventoryStatus", xml.toString());
      Set<String> confirmed = new LinkedHashSet<>();
      for (Xml.Element s : answer.root().children("InventoryStatus")) {
        String sku = s.text("SKU");
        confirmed.add(s.text("ItemID") + "|" + (sku == null ? "" : sku));
      }
      Set<String> revisedListings = new LinkedHashSet<>();
      for (int i : chunk) {
        PushItem item = items.get(i);
        String ref = item.ref().inventoryRef();
        String itemId = itemIdOf(ref);
        String variation = variationSkuOf(ref);
        if (confirmed.contains(itemId + "|" + (variation == null ? "" : variation))
            || (variation == null && confirmed.stream().anyMatch(c -> c.startsWith(itemId + "|")))) {
          results[i] = new PushResult.Confirmed(item.quantity());
          if (revisedListings.add(listingKey(ref))) {
            ledger.revised(listingKey(ref), item.quantity());
          }
          continue;
        }
        results[i] = tradingItemFailure(answer, item, itemId, variation);
      }
    }
  }

  private PushResult tradingItemFailure(TradingClient.Answer answer, PushItem item, String itemId,
      @Nullable String variation) {
    for (TradingClient.TradingError e : answer.errors()) {
      if (!e.isError() || !e.parameters().contains(itemId)
          || (variation != null && e.parameters().size() > 1 && !e.parameters().contains(variation))) {
        continue;
      }
      String reason = "eBay error " + e.code() + ": " + e.shortMessage();
      if (e.shortMessage().toLowerCase(Locale.ROOT).contains("maximum number of times")) {
        String key = TRD + itemId;
        ledger.capped(key);
        if (cappedListings.add(key)) {
          log.warn("{}: eBay reports listing {} at its daily revision cap", storeId, key);
        }
        RevisionLedger.Hold hold = ledger.check(key, item.quantity());
        return new PushResult.Retryable(reason, hold == null ? null : hold.delay());
      }
      if ("SystemError".equalsIgnoreCase(e.classification())
          || TradingClient.LIMIT_ERRORS.contains(e.code())) {
        return new PushResult.Retryable(reason, null);
      }
      return new PushResult.Rejected(reason);
    }
    return new PushResult.Retryable("eBay did not confirm " + itemId
        + (variation == null ? "" : "/" + variation) + " (Ack " + answer.ack() + ")", null);
  }

  // ================================================================ pacing and reporting

  /**
   * Waits so requests stay within {@link Builder#maxRequestsPerSecond(double)} and each API's
   * daily quota is spent evenly over the day.
   *
   * @param call the kind of call
   * @param items the batch size of a push or quantity read, 0 for a page
   * @return the wait
   */
  @Override
  public Duration pacingDelay(ChannelCall call, int items) {
    Duration wait;
    switch (call) {
      case ORDERS:
      case ORDER:
        wait = budget.delay(EbayApi.FULFILLMENT, 1);
        break;
      case LISTINGS:
        wait = nextListingPageIsTrading ? budget.delay(EbayApi.TRADING, 1)
            : budget.delay(EbayApi.INVENTORY, 1 + inventoryPageSize);
        break;
      case QUANTITIES:
        wait = budget.delay(EbayApi.INVENTORY, Math.max(1, (items + MAX_BATCH - 1) / MAX_BATCH));
        break;
      case PUSH:
      default:
        wait = budget.delay(EbayApi.INVENTORY, 1);
        break;
    }
    EbayApi busy = budget.takeReport();
    if (busy != null) {
      log.warn("{}: {} of {} {} API calls used today; further calls are spread over the rest of"
          + " the day", storeId, budget.usedToday(busy), budget.limit(busy), busy);
    }
    return wait;
  }

  /**
   * Returns the calls made to an API on the current UTC day, for reporting against its quota.
   *
   * @param api the API
   * @return calls today
   */
  public long callsToday(EbayApi api) {
    return budget.usedToday(api);
  }

  /**
   * Returns the calls made to an API since the connector was built.
   *
   * @param api the API
   * @return calls in total
   */
  public long callsTotal(EbayApi api) {
    return budget.usedTotal(api);
  }

  /**
   * Returns an API's daily quota as configured.
   *
   * @param api the API
   * @return calls per day
   */
  public long dailyLimit(EbayApi api) {
    return budget.limit(api);
  }

  /**
   * Returns the request rate the connector paces itself to.
   *
   * @return requests per second
   */
  public double maxRequestsPerSecond() {
    return budget.requestsPerSecond();
  }

  /**
   * Returns how many revisions the connector made to a listing on the current UTC day.
   *
   * @param inventoryRef a listing's inventory ref ({@code inv:{sku}}, {@code trd:{ItemID}} or
   *     {@code trd:{ItemID}/{SKU}}; variations count against their listing)
   * @return the count, at most 250
   */
  public int revisionsToday(String inventoryRef) {
    return ledger.used(listingKey(inventoryRef));
  }

  /**
   * Returns the listings that hit eBay's daily revision cap since the connector was built.
   *
   * @return listing keys ({@code inv:{sku}} or {@code trd:{ItemID}})
   */
  public Set<String> cappedListings() {
    return Set.copyOf(cappedListings);
  }

  /**
   * Creates the handler for Notification API messages to this seller.
   *
   * @param sink receives the engine triggers, typically {@code stockSync::handle}
   * @return the handler
   */
  public EbayNotificationHandler notificationHandler(EbayNotificationHandler.Sink sink) {
    return new EbayNotificationHandler(this, sink, clock);
  }

  /** Fetches a notification public key; used by {@link EbayNotificationHandler}. */
  Map<String, Object> publicKey(String keyId) {
    return calls.execute(rest.getPublicKey(keyId), "getPublicKey", false).body();
  }

  @Override
  public @Nullable String redact(@Nullable String text) {
    String out = tokenSource == null ? text : tokenSource.redact(text);
    if (out == null || accessToken.isEmpty()) {
      return out;
    }
    return out.replace(accessToken, "[redacted]");
  }

  @Override
  public void close() {
    if (ownsClient) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
      tradingHttp.connectionPool().evictAll();
    }
  }

  /** Names the seller and marketplace; never a token. */
  @Override
  public String toString() {
    return "EbayConnector{seller=" + sellerId + ", marketplace=" + marketplaceId + "}";
  }

  private static int parsePositive(String value, String field) {
    int n = parseInt(value, field);
    if (n < 1) {
      throw new InvalidInputException(field, "must be >= 1: " + n);
    }
    return n;
  }

  private static int parseInt(@Nullable String value, String field) {
    if (value == null) {
      throw new MalformedResponseException("eBay field '" + field + "' is missing", null);
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new MalformedResponseException("eBay field '" + field + "' is not a number", e);
    }
  }

  /** Builds an {@link EbayConnector}. Not thread-safe. */
  public static final class Builder {
    private String sellerId = "";
    private String marketplaceId = "EBAY_US";
    private String contentLanguage = "en-US";
    private String siteId = "0";
    private String accessToken = "";
    private @Nullable OAuthTokenSource tokenSource;
    private @Nullable HttpUrl baseUrl;
    private @Nullable OkHttpClient client;
    private Clock clock = Clock.systemUTC();
    private int inventoryPageSize = 200;
    private int tradingPageSize = 200;
    private int orderPageSize = 200;
    private boolean tradingListings = true;
    private double maxRequestsPerSecond = 10;
    private final Map<EbayApi, Long> dailyLimits = new EnumMap<>(EbayApi.class);

    private Builder() {}

    /**
     * Sets the seller's eBay user id. Required; with the marketplace it is the store's external id.
     *
     * @param sellerId the user id
     * @return this builder
     */
    public Builder sellerId(String sellerId) {
      this.sellerId = sellerId == null ? "" : sellerId.strip();
      return this;
    }

    /**
     * Sets the marketplace, default {@code EBAY_US}.
     *
     * @param marketplaceId e.g. {@code EBAY_GB}
     * @return this builder
     */
    public Builder marketplaceId(String marketplaceId) {
      this.marketplaceId = marketplaceId == null ? "" : marketplaceId.strip();
      return this;
    }

    /**
     * Sets the {@code Content-Language} of inventory writes (default {@code en-US}) and the
     * Trading API site id (default {@code 0}, eBay US).
     *
     * @param contentLanguage e.g. {@code en-GB}
     * @param siteId e.g. {@code 3}
     * @return this builder
     */
    public Builder locale(String contentLanguage, String siteId) {
      this.contentLanguage = Objects.requireNonNull(contentLanguage, "contentLanguage");
      this.siteId = Objects.requireNonNull(siteId, "siteId");
      return this;
    }

    /**
     * Sets a fixed OAuth user access token, never refreshed (tests, short jobs). Secret. Either
     * this or {@link #tokenSource(OAuthTokenSource)} is required.
     *
     * @param token the token
     * @return this builder
     */
    public Builder accessToken(String token) {
      this.accessToken = token == null ? "" : token.strip();
      return this;
    }

    /**
     * Sets the seller's OAuth tokens as a refreshing source (the usual way: eBay user tokens live
     * about 2 hours; the refresh token does not rotate). Build it with the token URL {@code
     * https://api.ebay.com/identity/v1/oauth2/token}, {@code ClientAuthentication.BASIC} and the
     * {@code scope} parameter ({@code sell.inventory sell.fulfillment}). Either this or {@link
     * #accessToken(String)} is required.
     *
     * @param source the token source
     * @return this builder
     */
    public Builder tokenSource(OAuthTokenSource source) {
      this.tokenSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Overrides {@code https://api.ebay.com/} (REST and {@code ws/api.dll}), for emulators.
     *
     * @param url the base URL
     * @return this builder
     */
    public Builder baseUrl(HttpUrl url) {
      this.baseUrl = url;
      return this;
    }

    /**
     * Supplies the OkHttp client to derive from. Default: a new client, closed with the connector.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(OkHttpClient client) {
      this.client = client;
      return this;
    }

    /**
     * Sets the clock for pacing, the revision cap's day and listing read times.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the page sizes: inventory items (1..200), Trading listings (1..200), orders (1..200).
     * Default 200 each.
     *
     * @param inventory inventory items per page
     * @param trading Trading listings per page
     * @param orders orders per page
     * @return this builder
     */
    public Builder pageSizes(int inventory, int trading, int orders) {
      this.inventoryPageSize = inventory;
      this.tradingPageSize = trading;
      this.orderPageSize = orders;
      return this;
    }

    /**
     * Sets whether Trading-API listings (Seller Hub and Trading API) are read and pushed. Default
     * true.
     *
     * @param enabled whether to include them
     * @return this builder
     */
    public Builder tradingListings(boolean enabled) {
      this.tradingListings = enabled;
      return this;
    }

    /**
     * Sets the steady request rate the connector paces itself to, default 10 per second.
     *
     * @param rate requests per second, more than 0
     * @return this builder
     */
    public Builder maxRequestsPerSecond(double rate) {
      this.maxRequestsPerSecond = rate;
      return this;
    }

    /**
     * Sets an API's daily call quota when the app has more than eBay's default.
     *
     * @param api the API
     * @param calls calls per day, at least 1
     * @return this builder
     */
    public Builder dailyLimit(EbayApi api, long calls) {
      if (calls < 1) {
        throw new InvalidInputException("dailyLimit", "must be >= 1: " + calls);
      }
      this.dailyLimits.put(Objects.requireNonNull(api, "api"), calls);
      return this;
    }

    /**
     * Builds the connector. Makes no network call.
     *
     * @return the connector
     * @throws InvalidInputException naming the setting that is missing or out of range
     */
    public EbayConnector build() {
      if (sellerId.isEmpty()) {
        throw new InvalidInputException("sellerId", "required: the seller's eBay user id");
      }
      if (!marketplaceId.matches("EBAY_[A-Z_]+")) {
        throw new InvalidInputException("marketplaceId", "not an eBay marketplace id: " + marketplaceId);
      }
      if (accessToken.isEmpty() && tokenSource == null) {
        throw new InvalidInputException("accessToken", "required (or a tokenSource)");
      }
      checkPage(inventoryPageSize, "inventoryPageSize");
      checkPage(tradingPageSize, "tradingPageSize");
      checkPage(orderPageSize, "orderPageSize");
      if (!(maxRequestsPerSecond > 0)) {
        throw new InvalidInputException("maxRequestsPerSecond", "must be > 0: " + maxRequestsPerSecond);
      }
      return new EbayConnector(this);
    }

    private static void checkPage(int size, String field) {
      if (size < 1 || size > 200) {
        throw new InvalidInputException(field, "must be 1..200: " + size);
      }
    }

    /** Names the seller; never the token. */
    @Override
    public String toString() {
      return "EbayConnector.Builder{seller=" + sellerId + ", marketplace=" + marketplaceId + "}";
    }
  }
}
