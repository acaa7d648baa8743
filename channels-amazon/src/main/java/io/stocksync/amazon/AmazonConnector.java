package io.stocksync.amazon;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.stocksync.amazon.internal.SpApi;
import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelCapabilities;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.channel.StoreIdentity;
import io.stocksync.oauth.AccessTokenHeader;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.ExpiredTokenSignal;
import io.stocksync.oauth.OAuthTokenSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Response;
import retrofit2.Retrofit;

/**
 * A {@link ChannelConnector} for one Amazon seller on one marketplace, over the Selling Partner
 * API: Listings Items 2021-08-01, Feeds 2021-06-30 ({@code JSON_LISTINGS_FEED}), Orders
 * 2026-01-01 and FBA Inventory v1.
 *
 * <pre>{@code
 * AmazonConnector amazon = AmazonConnector.builder()
 *     .sellerId("A2EXAMPLESELLER")
 *     .marketplaceId("ATVPDKIKX0DER")          // the region endpoint follows from it
 *     .fulfilment(FulfilmentType.BOTH)          // asked first: FBM, FBA or both
 *     .accessTokens(tokenSource)                 // Login with Amazon, see Builder#accessTokens
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Locations</b>: {@code FBM} (merchant-fulfilled, channel code {@code DEFAULT}, pushed)
 *       and {@code FBA} (read-only: copied into the hub by the engine's read-only mirror, never
 *       pushed), as the {@link FulfilmentType} chosen for the store allows. The fulfilment type is
 *       part of the connector's configuration, so listings are only ever imported once it is
 *       chosen and an FBA-only store has no location to push to.
 *   <li><b>Listings</b>: {@code searchListingsItems} with {@code
 *       includedData=summaries,fulfillmentAvailability}, 20 per page, oldest update first. Amazon
 *       stops paging at 1,000 results, so the scan walks windows of {@code lastUpdatedAfter/Before}
 *       and halves any window that holds more than 1,000 listings; page tokens carry the window.
 *       An incremental read starts its first window at the engine's {@code changedSince}. FBA
 *       fulfillable quantities of a page come from one {@code getInventorySummaries} call.
 *   <li><b>Pushes</b>: a few items go one by one through {@code patchListingsItem} ({@code
 *       op: merge} on {@code /attributes/fulfillment_availability}, which leaves lead time and
 *       restock date alone; product type from the listing's summary). Many items, when the patch
 *       budget does not cover them, go through one {@code JSON_LISTINGS_FEED} (at most 25,000
 *       messages, at most 5 feeds per 5 minutes). Amazon's {@code ACCEPTED} and a submitted feed
 *       answer {@link PushResult.Accepted}: the engine reads the figure back before counting it;
 *       {@code INVALID} answers {@link PushResult.Rejected} with Amazon's issues. Feed processing
 *       reports are read later, and their per-message issues are mapped back to SKUs: such SKUs
 *       are pushed item by item next time, so their rejection reaches the engine.
 *   <li><b>Orders</b>: Orders API 2026-01-01 {@code searchOrders}, merchant-fulfilled only (AFN
 *       orders never book the hub's stock), paced to its budget of about one call every 3
 *       minutes (burst 20) through {@link #pacingDelay}.
 *   <li><b>Rate limits</b>: a token bucket per operation at the models' default rate and burst,
 *       corrected by {@code x-amzn-RateLimit-Limit}; 429 is retryable.
 * </ul>
 *
 * <p>Thread-safe. Tokens and the LWA client secret never appear in logs, exceptions or {@link
 * #toString()}; {@link #redact(String)} strips them from any text.
 */
public final class AmazonConnector implements ChannelConnector {
  /** The channel name in {@link StoreId}s. */
  public static final String CHANNEL = "amazon";
  /** The id of the merchant-fulfilled location. */
  public static final String FBM_LOCATION = "FBM";
  /** The id of the Amazon-fulfilled, read-only location. */
  public static final String FBA_LOCATION = "FBA";

  private static final Logger log = LoggerFactory.getLogger(AmazonConnector.class);
  private static final String SEARCH = "searchListingsItems";
  private static final String PATCH = "patchListingsItem";
  private static final String FBA_SUMMARIES = "getInventorySummaries";
  private static final int PAGE_SIZE = 20;
  private static final int SEARCH_CAP = 1000;
  private static final int FBA_BATCH = 50;
  /** The most messages a JSON_LISTINGS_FEED may carry. */
  static final int FEED_CAP = 25_000;
  private static final Instant FLOOR = Instant.parse("1995-01-01T00:00:00Z");
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final String FEED_CONTENT_TYPE = "application/json; charset=UTF-8";
  /** How far past our clock a listing scan reaches. */
  private static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);
  /** How long figures read by an interrupted read stay usable for its retry. */
  private static final Duration CONTINUATION = Duration.ofMinutes(5);

  private final String sellerId;
  private final String marketplaceId;
  private final FulfilmentType fulfilment;
  private final StoreId storeId;
  private final String storeName;
  private final Clock clock;
  private final Duration verifyAfter;
  private final Duration feedVerifyAfter;
  private final int feedThreshold;
  private final int maxBatchSize;
  private final AccessTokens tokens;
  private final boolean ownsClient;
  private final OkHttpClient http;
  private final SpApi api;
  private final SpApi plain;
  private final SpClient client;
  private final RateLimits limits;
  private final OrdersReader orders;
  private final Map<String, String> productTypes = new ConcurrentHashMap<>();
  private final Cache<String, String> feedIssues =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(2)).build();
  private final Map<String, PendingFeed> pendingFeeds = new ConcurrentHashMap<>();
  private final Map<StockRef, Read> continuation = new ConcurrentHashMap<>();

  private AmazonConnector(Builder b) {
    this.sellerId = b.sellerId;
    this.marketplaceId = b.marketplaceId;
    this.fulfilment = b.fulfilment;
    this.storeId = storeIdOf(sellerId, marketplaceId);
    this.storeName = b.storeName != null ? b.storeName : "Amazon " + sellerId + " (" + marketplaceId + ")";
    this.clock = b.clock;
    this.verifyAfter = b.verifyAfter;
    this.feedVerifyAfter = b.feedVerifyAfter;
    this.feedThreshold = b.feedThreshold;
    this.maxBatchSize = b.maxBatchSize;
    this.tokens = b.tokens;
    this.ownsClient = b.client == null;
    OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
    this.http = base.newBuilder().addInterceptor(tokens.interceptor())
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .header("User-Agent", "stocksync/0.1 (Language=Java)").build()))
        .build();
    HttpUrl endpoint = b.endpoint;
    this.api = new Retrofit.Builder().baseUrl(endpoint).client(http).build().create(SpApi.class);
    // Pre-signed document URLs are not SP-API: they must never see the access token.
    this.plain = new Retrofit.Builder().baseUrl(endpoint).client(base).build().create(SpApi.class);
    this.limits = new RateLimits(clock);
    this.client = new SpClient(limits, (UnaryOperator<String>) this::redact);
    this.orders = new OrdersApi20260101(api, client, marketplaceId, FBM_LOCATION);
  }

  /**
   * The store id of a seller on a marketplace: {@code amazon:{sellerId}.{marketplaceId}}.
   *
   * @param sellerId the seller id
   * @param marketplaceId the marketplace id
   * @return the store id
   * @throws InvalidInputException if either is blank
   */
  public static StoreId storeIdOf(String sellerId, String marketplaceId) {
    if (sellerId == null || sellerId.isBlank()) {
      throw new InvalidInputException("sellerId", "required");
    }
    if (marketplaceId == null || marketplaceId.isBlank()) {
      throw new InvalidInputException("marketplaceId", "required");
    }
    return StoreId.of(CHANNEL, sellerId.strip() + "." + marketplaceId.strip());
  }

  /** Login with Amazon's token endpoint. */
  public static final String LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token";

  /**
   * Starts a token source preset for Login with Amazon: the LWA token endpoint, client id and
   * secret sent as request fields. Add the client, the credentials store and the clock, then pass
   * it to {@link Builder#accessTokens}.
   *
   * @return an {@link OAuthTokenSource} builder
   */
  public static OAuthTokenSource.Builder lwa() {
    return OAuthTokenSource.builder().tokenUrl(LWA_TOKEN_URL)
        .clientAuthentication(ClientAuthentication.BODY);
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public StoreId storeId() {
    return storeId;
  }

  /**
   * The fulfilment type this store syncs.
   *
   * @return the type
   */
  public FulfilmentType fulfilment() {
    return fulfilment;
  }

  @Override
  public ChannelCapabilities capabilities() {
    // No compare-and-set on Amazon; no HTTPS webhooks (ORDER_CHANGE goes to the host's queue).
    return new ChannelCapabilities(maxBatchSize, false, true, false, 0);
  }

  @Override
  public StoreIdentity identity() {
    // No seller-profile operation in the models we use: one cheap search proves the token and
    // the seller/marketplace pair (a wrong seller id answers 400 or 403).
    Map<String, String> q = new LinkedHashMap<>();
    q.put("marketplaceIds", marketplaceId);
    q.put("pageSize", "1");
    client.call(SEARCH, api.searchListingsItems(sellerId, q));
    return new StoreIdentity(storeId, storeName);
  }

  @Override
  public List<ChannelLocation> locations() {
    List<ChannelLocation> out = new ArrayList<>(2);
    if (fulfilment.fbm()) {
      out.add(new ChannelLocation(FBM_LOCATION, "Amazon FBM (merchant-fulfilled)", true, false));
    }
    if (fulfilment.fba()) {
      out.add(new ChannelLocation(FBA_LOCATION, "Amazon FBA (fulfilled by Amazon)", true, true));
    }
    return out;
  }

  // ================================================================== listings

  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    // The scan ends a little after our now, so a listing Amazon stamped by a clock ahead of ours
    // (or during the first page) is not left for the next incremental read.
    Instant end = clock.instant().plus(CLOCK_MARGIN);
    Window w = query.pageToken() == null
        ? new Window(query.changedSince() == null ? FLOOR : query.changedSince(), end, end, null)
        : Window.decode(query.pageToken());
    Map<String, String> q = new LinkedHashMap<>();
    q.put("marketplaceIds", marketplaceId);
    q.put("includedData", "summaries,fulfillmentAvailability");
    q.put("pageSize", String.valueOf(PAGE_SIZE));
    q.put("sortBy", "lastUpdatedDate");
    q.put("sortOrder", "ASC");
    q.put("lastUpdatedAfter", w.after.toString());
    q.put("lastUpdatedBefore", w.before.toString());
    if (w.amazonToken != null) {
      q.put("pageToken", w.amazonToken);
    }
    Map<String, Object> body = client.call(SEARCH, api.searchListingsItems(sellerId, q));
    Long total = Js.optLong(body, "numberOfResults");
    List<Object> items = Js.list(body, "items");
    if (w.amazonToken == null && total != null && total > SEARCH_CAP
        && Duration.between(w.after, w.before).toMillis() > 1) {
      // Paging would stop at 1,000: narrow the window from its first listing and halve it.
      Instant from = w.after;
      if (!items.isEmpty()) {
        Map<String, Object> summary = summary(Js.obj(items.get(0), "items[]"));
        if (summary != null && summary.get("lastUpdatedDate") != null) {
          Instant first = Js.time(summary, "lastUpdatedDate");
          from = first.isAfter(from) ? first : from;
        }
      }
      Instant mid = from.plusMillis(Math.max(0, Duration.between(from, w.before).toMillis() / 2));
      return new Page<>(List.of(), new Window(from, mid, w.end, null).encode());
    }
    if (w.amazonToken == null && total != null && total > SEARCH_CAP) {
      log.warn("{}: {} listings share one millisecond of lastUpdatedDate; only the first {} are"
          + " reachable through searchListingsItems", storeId, total, SEARCH_CAP);
    }
    List<Map<String, Object>> raw = new ArrayList<>();
    for (Object o : items) {
      raw.add(Js.obj(o, "items[]"));
    }
    Map<String, Long> fba = Map.of();
    if (fulfilment.fba() && !raw.isEmpty()) {
      List<String> skus = new ArrayList<>();
      raw.forEach(i -> skus.add(Js.str(i, "sku")));
      fba = fbaQuantities(skus);
    }
    List<ChannelListing> out = new ArrayList<>();
    for (Map<String, Object> item : raw) {
      ChannelListing l = listing(item, fba);
      if (l != null) {
        out.add(l);
      }
    }
    Map<String, Object> pagination = Js.optObj(body, "pagination");
    String next = pagination == null ? null : Js.optStr(pagination, "nextToken");
    String token;
    if (next != null) {
      token = new Window(w.after, w.before, w.end, next).encode();
    } else if (w.before.isBefore(w.end)) {
      token = new Window(w.before.plusMillis(1), w.end, w.end, null).encode();
    } else {
      token = null;
    }
    return new Page<>(out, token);
  }

  private @Nullable Map<String, Object> summary(Map<String, Object> item) {
    Map<String, Object> first = null;
    for (Object s : Js.list(item, "summaries")) {
      Map<String, Object> summary = Js.obj(s, "summaries[]");
      if (marketplaceId.equals(Js.optStr(summary, "marketplaceId"))) {
        return summary;
      }
      first = first == null ? summary : first;
    }
    return first;
  }

  private @Nullable ChannelListing listing(Map<String, Object> item, Map<String, Long> fba) {
    String rawSku = Js.str(item, "sku");
    Sku sku;
    try {
      sku = Sku.ofNullable(rawSku);
    } catch (InvalidInputException e) {
      log.warn("{}: listing with an unusable SKU skipped: {}", storeId, e.getMessage());
      return null;
    }
    if (sku == null) {
      return null;
    }
    Map<String, Object> summary = summary(item);
    ListingStatus status = ListingStatus.INACTIVE;
    String title = "";
    Instant updated = clock.instant();
    if (summary != null) {
      String productType = Js.optStr(summary, "productType");
      if (productType != null) {
        productTypes.put(rawSku, productType);
      }
      List<Object> states = Js.list(summary, "status");
      status = states.contains("BUYABLE") ? ListingStatus.ACTIVE
          : states.contains("DISCOVERABLE") ? ListingStatus.SOLD_OUT : ListingStatus.INACTIVE;
      title = Objects.requireNonNullElse(Js.optStr(summary, "itemName"), "");
      updated = Js.time(summary, "lastUpdatedDate");
    }
    Map<String, Long> quantities = new HashMap<>();
    Long fbm = fbmQuantity(item);
    if (fulfilment.fbm() && fbm != null) {
      quantities.put(FBM_LOCATION, fbm);
    }
    if (fulfilment.fba() && fba.containsKey(rawSku)) {
      quantities.put(FBA_LOCATION, fba.get(rawSku));
    }
    return new ChannelListing(rawSku, rawSku, sku, status, title, true, quantities, updated);
  }

  private static @Nullable Long fbmQuantity(Map<String, Object> item) {
    for (Object a : Js.list(item, "fulfillmentAvailability")) {
      Map<String, Object> availability = Js.obj(a, "fulfillmentAvailability[]");
      if ("DEFAULT".equals(Js.optStr(availability, "fulfillmentChannelCode"))) {
        Long q = Js.optLong(availability, "quantity");
        return q == null ? 0L : q;
      }
    }
    return null;
  }

  /** FBA fulfillable quantity per SKU, for SKUs Amazon holds; one call per 50 SKUs. */
  private Map<String, Long> fbaQuantities(List<String> skus) {
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i < skus.size(); i += FBA_BATCH) {
      List<String> part = skus.subList(i, Math.min(skus.size(), i + FBA_BATCH));
      Map<String, String> q = new LinkedHashMap<>();
      q.put("details", "true");
      q.put("granularityType", "Marketplace");
      q.put("granularityId", marketplaceId);
      q.put("marketplaceIds", marketplaceId);
      q.put("sellerSkus", String.join(",", part));
      String next = null;
      do {
        if (next != null) {
          q.put("nextToken", next);
        }
        Map<String, Object> body = client.call(FBA_SUMMARIES, api.getInventorySummaries(q));
        Map<String, Object> payload = Js.obj(body.get("payload"), "payload");
        for (Object s : Js.list(payload, "inventorySummaries")) {
          Map<String, Object> summary = Js.obj(s, "inventorySummaries[]");
          String sku = Js.optStr(summary, "sellerSku");
          Map<String, Object> details = Js.optObj(summary, "inventoryDetails");
          if (sku == null || details == null) {
            continue;
          }
          Long fulfillable = Js.optLong(details, "fulfillableQuantity");
          out.put(sku, fulfillable == null ? 0L : fulfillable);
        }
        Map<String, Object> pagination = Js.optObj(body, "pagination");
        next = pagination == null ? null : Js.optStr(pagination, "nextToken");
      } while (next != null);
    }
    return out;
  }

  // ================================================================== orders

  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    if (!fulfilment.fbm()) {
      return new Page<>(List.of(), null); // FBA-only: no order ever books the hub's stock
    }
    return orders.read(query);
  }

  /**
   * True for a merchant-fulfilled store: an {@code ORDER_CHANGE} notification ({@link
   * AmazonNotifications}) then books its order through one {@code getOrder} call (0.5 per
   * second, burst 30) instead of waiting for {@code searchOrders} (one call per 3 minutes).
   *
   * @return whether this store's orders can book the hub's stock
   */
  @Override
  public boolean readsOrderById() {
    return fulfilment.fbm();
  }

  /**
   * Reads one merchant-fulfilled order with {@code getOrder} (Orders API 2026-01-01), mapped as
   * {@link #orders} maps it.
   *
   * @param orderId the Amazon order id
   * @return the order; empty if Amazon does not know it, it is Amazon-fulfilled, or this store
   *     is FBA-only
   * @throws InvalidInputException if the id is blank
   * @throws CredentialsException if Amazon refuses the access token
   * @throws RetryLaterException on 429, 5xx or a transport failure
   * @throws ChannelException on any other refusal or an unreadable answer
   */
  @Override
  public Optional<ChannelOrder> readOrder(String orderId) {
    if (orderId == null || orderId.isBlank()) {
      throw new InvalidInputException("orderId", "required");
    }
    if (!fulfilment.fbm()) {
      return Optional.empty();
    }
    return orders.readOne(orderId);
  }

  // ================================================================== quantities

  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    pollFeeds();
    Instant now = clock.instant();
    continuation.values().removeIf(r -> r.at.plus(CONTINUATION).isBefore(now));
    Map<StockRef, Long> out = new HashMap<>();
    int[] calls = {0};
    List<StockRef> fbm = new ArrayList<>();
    List<StockRef> fba = new ArrayList<>();
    for (StockRef ref : refs) {
      Read cached = continuation.get(ref);
      if (cached != null) {
        if (cached.quantity != null) {
          out.put(ref, cached.quantity);
        }
      } else if (ref.locationId().equals(FBM_LOCATION) && fulfilment.fbm()) {
        fbm.add(ref);
      } else if (ref.locationId().equals(FBA_LOCATION) && fulfilment.fba()) {
        fba.add(ref);
      }
    }
    for (int i = 0; i < fbm.size(); i += PAGE_SIZE) {
      List<StockRef> part = fbm.subList(i, Math.min(fbm.size(), i + PAGE_SIZE));
      budget(SEARCH, refs.size(), out.size(), calls[0]++);
      Map<String, String> q = new LinkedHashMap<>();
      q.put("marketplaceIds", marketplaceId);
      q.put("includedData", "summaries,fulfillmentAvailability");
      q.put("identifiersType", "SKU");
      List<String> skus = new ArrayList<>();
      part.forEach(r -> skus.add(r.inventoryRef()));
      q.put("identifiers", String.join(",", skus));
      q.put("pageSize", String.valueOf(PAGE_SIZE));
      Map<String, Object> body = client.call(SEARCH, api.searchListingsItems(sellerId, q));
      Map<String, Long> found = new HashMap<>();
      for (Object o : Js.list(body, "items")) {
        Map<String, Object> item = Js.obj(o, "items[]");
        Map<String, Object> summary = summary(item);
        String productType = summary == null ? null : Js.optStr(summary, "productType");
        if (productType != null) {
          productTypes.put(Js.str(item, "sku"), productType);
        }
        Long q2 = fbmQuantity(item);
        if (q2 != null) {
          found.put(Js.str(item, "sku"), q2);
        }
      }
      for (StockRef ref : part) {
        Long q2 = found.get(ref.inventoryRef());
        continuation.put(ref, new Read(q2, now));
        if (q2 != null) {
          out.put(ref, q2);
        }
      }
    }
    for (int i = 0; i < fba.size(); i += FBA_BATCH) {
      List<StockRef> part = fba.subList(i, Math.min(fba.size(), i + FBA_BATCH));
      budget(FBA_SUMMARIES, refs.size(), out.size(), calls[0]++);
      List<String> skus = new ArrayList<>();
      part.forEach(r -> skus.add(r.inventoryRef()));
      Map<String, Long> found = fbaQuantities(skus);
      for (StockRef ref : part) {
        Long q2 = found.get(ref.inventoryRef());
        continuation.put(ref, new Read(q2, now));
        if (q2 != null) {
          out.put(ref, q2);
        }
      }
    }
    refs.forEach(continuation::remove); // complete: the next read starts afresh
    return out;
  }

  /**
   * Stops a long read before it runs into a 429: what was read so far is kept for a few minutes,
   * so the engine's retry continues where this attempt stopped instead of starting again.
   */
  private void budget(String operation, int wanted, int done, int callsMade) {
    // The first call always goes (Amazon is the judge, and may have granted a larger plan).
    if (callsMade > 0 && limits.available(operation) < 1) {
      Duration wait = limits.delay(operation, Math.min(5, wanted - done));
      throw new RetryLaterException("Amazon " + operation + " budget spent after " + done + " of "
          + wanted + " figures; the retry continues from there", wait, null);
    }
  }

  // ================================================================== pushes

  @Override
  public List<PushResult> push(List<PushItem> items) {
    pollFeeds();
    PushResult[] results = new PushResult[items.size()];
    List<Integer> fbm = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      PushItem item = items.get(i);
      String location = item.ref().locationId();
      if (location.equals(FBA_LOCATION)) {
        results[i] = new PushResult.Rejected("FBA stock is Amazon's: the FBA location is read-only");
      } else if (!location.equals(FBM_LOCATION) || !fulfilment.fbm()) {
        results[i] = new PushResult.Rejected("no location '" + location + "' on " + storeId);
      } else {
        fbm.add(i);
      }
    }
    if (!fbm.isEmpty()) {
      List<Integer> viaFeed = new ArrayList<>();
      List<Integer> viaPatch = new ArrayList<>();
      boolean feed = useFeed(fbm.size());
      for (int i : fbm) {
        // A SKU whose last feed message failed goes alone, so its rejection reaches the engine.
        (feed && feedIssues.getIfPresent(items.get(i).ref().inventoryRef()) == null
            ? viaFeed : viaPatch).add(i);
      }
      if (viaFeed.size() < feedThreshold) {
        viaPatch.addAll(viaFeed);
        viaFeed.clear();
        viaPatch.sort(Integer::compare);
      }
      if (!viaFeed.isEmpty()) {
        feed(items, viaFeed, results);
      }
      patch(items, viaPatch, results);
    }
    return List.of(results);
  }

  /** Feed when the patch budget cannot carry the items now and a feed may be submitted. */
  private boolean useFeed(int count) {
    return count >= feedThreshold && count > limits.available(PATCH) && limits.feedDelay().isZero();
  }

  private void patch(List<PushItem> items, List<Integer> indexes, PushResult[] results) {
    for (int n = 0; n < indexes.size(); n++) {
      int i = indexes.get(n);
      PushItem item = items.get(i);
      String sku = item.ref().inventoryRef();
      // The first item too: a batch paced for a feed can leave items that must go by PATCH
      // (a SKU whose last feed message failed), and the PATCH bucket may be empty then.
      if (limits.available(PATCH) < 1) {
        Duration wait = limits.delay(PATCH, 1);
        for (int m = n; m < indexes.size(); m++) {
          results[indexes.get(m)] = new PushResult.Retryable("Amazon patch budget spent", wait);
        }
        return;
      }
      try {
        String productType = productType(sku);
        if (productType == null) {
          results[i] = new PushResult.Rejected("no listing '" + sku + "' on " + storeId);
          continue;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("fulfillment_channel_code", "DEFAULT");
        value.put("quantity", item.quantity());
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("op", "merge");
        patch.put("path", "/attributes/fulfillment_availability");
        patch.put("value", List.of(value));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("productType", productType);
        request.put("patches", List.of(patch));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("marketplaceIds", marketplaceId);
        q.put("includedData", "issues");
        Map<String, Object> body = client.callOrNotFound(PATCH, api.patchListingsItem(sellerId, sku,
            q, RequestBody.create(Js.write(request), JSON)));
        if (body == null) {
          results[i] = new PushResult.Rejected("no listing '" + sku + "' on " + storeId);
          continue;
        }
        String status = Js.str(body, "status");
        if (status.equals("ACCEPTED")) {
          feedIssues.invalidate(sku);
          results[i] = new PushResult.Accepted(item.quantity(), verifyAfter);
        } else {
          results[i] = new PushResult.Rejected("Amazon " + status + ": " + issues(body));
        }
      } catch (RetryLaterException e) {
        if (n == 0 && indexes.size() == items.size()) {
          throw e; // nothing sent yet: the whole call failed transiently
        }
        for (int m = n; m < indexes.size(); m++) {
          results[indexes.get(m)] = new PushResult.Retryable(e.getMessage(), e.retryAfter().orElse(null));
        }
        return;
      }
    }
  }

  private static String issues(Map<String, Object> body) {
    StringBuilder sb = new StringBuilder();
    for (Object o : Js.list(body, "issues")) {
      Map<String, Object> issue = Js.obj(o, "issues[]");
      sb.append(sb.length() == 0 ? "" : "; ").append(Js.optStr(issue, "code")).append(' ')
          .append(Js.optStr(issue, "message"));
    }
    return sb.length() == 0 ? "no issues given" : sb.toString();
  }

  /** The listing's product type, from the last summary seen or one getListingsItem call. */
  private @Nullable String productType(String sku) {
    String known = productTypes.get(sku);
    if (known != null) {
      return known;
    }
    Map<String, String> q = new LinkedHashMap<>();
    q.put("marketplaceIds", marketplaceId);
    q.put("includedData", "summaries");
    Map<String, Object> item = client.callOrNotFound("getListingsItem",
        api.getListingsItem(sellerId, sku, q));
    if (item == null) {
      return null;
    }
    Map<String, Object> summary = summary(item);
    String productType = summary == null ? null : Js.optStr(summary, "productType");
    if (productType != null) {
      productTypes.put(sku, productType);
    }
    return productType;
  }

  /** Sends items as one JSON_LISTINGS_FEED; each answers Accepted once the feed is created. */
  private void feed(List<PushItem> items, List<Integer> indexes, PushResult[] results) {
    List<Integer> sendable = new ArrayList<>();
    for (int i : indexes) {
      String sku = items.get(i).ref().inventoryRef();
      if (!productTypes.containsKey(sku)) {
        fillProductTypes(items, indexes);
        break;
      }
    }
    for (int i : indexes) {
      if (productTypes.containsKey(items.get(i).ref().inventoryRef())) {
        sendable.add(i);
      } else {
        results[i] = new PushResult.Rejected("no listing '" + items.get(i).ref().inventoryRef()
            + "' on " + storeId);
      }
    }
    for (int start = 0; start < sendable.size(); start += FEED_CAP) {
      List<Integer> part = sendable.subList(start, Math.min(sendable.size(), start + FEED_CAP));
      if (start > 0 && !limits.feedDelay().isZero()) {
        Duration wait = limits.feedDelay();
        part.forEach(i -> results[i] = new PushResult.Retryable("JSON_LISTINGS_FEED cap reached", wait));
        continue;
      }
      submitFeed(items, part, results);
    }
  }

  private void fillProductTypes(List<PushItem> items, List<Integer> indexes) {
    List<String> missing = new ArrayList<>();
    for (int i : indexes) {
      String sku = items.get(i).ref().inventoryRef();
      if (!productTypes.containsKey(sku)) {
        missing.add(sku);
      }
    }
    for (int i = 0; i < missing.size(); i += PAGE_SIZE) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("marketplaceIds", marketplaceId);
      q.put("includedData", "summaries");
      q.put("identifiersType", "SKU");
      q.put("identifiers", String.join(",", missing.subList(i, Math.min(missing.size(), i + PAGE_SIZE))));
      q.put("pageSize", String.valueOf(PAGE_SIZE));
      Map<String, Object> body = client.call(SEARCH, api.searchListingsItems(sellerId, q));
      for (Object o : Js.list(body, "items")) {
        Map<String, Object> item = Js.obj(o, "items[]");
        Map<String, Object> summary = summary(item);
        String productType = summary == null ? null : Js.optStr(summary, "productType");
        if (productType != null) {
          productTypes.put(Js.str(item, "sku"), productType);
        }
      }
    }
  }

  private void submitFeed(List<PushItem> items, List<Integer> part, PushResult[] results) {
    List<Object> messages = new ArrayList<>(part.size());
    Map<Long, String> skuByMessage = new HashMap<>();
    long messageId = 0;
    for (int i : part) {
      PushItem item = items.get(i);
      String sku = item.ref().inventoryRef();
      messages.add(feedMessage(++messageId, sku, productTypes.get(sku), item.quantity()));
      skuByMessage.put(messageId, sku);
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("sellerId", sellerId);
    header.put("version", "2.0");
    header.put("issueLocale", "en_US");
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("header", header);
    document.put("messages", messages);
    String text = Js.write(document);

    Map<String, Object> created = client.call("createFeedDocument", api.createFeedDocument(
        RequestBody.create(Js.write(Map.of("contentType", FEED_CONTENT_TYPE)), JSON)));
    String documentId = Js.str(created, "feedDocumentId");
    upload(Js.str(created, "url"), text);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("feedType", "JSON_LISTINGS_FEED");
    spec.put("marketplaceIds", List.of(marketplaceId));
    spec.put("inputFeedDocumentId", documentId);
    Map<String, Object> feed = client.call("createFeed",
        api.createFeed(RequestBody.create(Js.write(spec), JSON)));
    limits.feedSubmitted();
    String feedId = Js.str(feed, "feedId");
    pendingFeeds.put(feedId, new PendingFeed(feedId, skuByMessage, clock.instant()));
    log.info("{}: {} quantities sent as JSON_LISTINGS_FEED {}", storeId, part.size(), feedId);
    for (int i : part) {
      results[i] = new PushResult.Accepted(items.get(i).quantity(), feedVerifyAfter);
    }
  }

  /**
   * One JSON_LISTINGS_FEED message setting the FBM quantity, as the listings-feed message schema
   * (v2) shapes it.
   */
  static Map<String, Object> feedMessage(long messageId, String sku, String productType,
      long quantity) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("fulfillment_channel_code", "DEFAULT");
    value.put("quantity", quantity);
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("op", "merge");
    patch.put("path", "/attributes/fulfillment_availability");
    patch.put("value", List.of(value));
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("messageId", messageId);
    message.put("sku", sku);
    message.put("operationType", "PATCH");
    message.put("productType", productType);
    message.put("patches", List.of(patch));
    return message;
  }

  private void upload(String url, String text) {
    Response<ResponseBody> response;
    try {
      response = plain.upload(url, RequestBody.create(text, MediaType.get(FEED_CONTENT_TYPE))).execute();
    } catch (IOException e) {
      throw new RetryLaterException("feed document upload failed: " + e.getClass().getSimpleName(),
          null, null);
    }
    closeQuietly(response);
    {
      if (response.code() >= 500) {
        throw new RetryLaterException("feed document upload: HTTP " + response.code(), null, null);
      }
      if (!response.isSuccessful()) {
        throw new ChannelException("feed document upload refused: HTTP " + response.code(), null);
      }
    }
  }

  private static void closeQuietly(Response<ResponseBody> response) {
    ResponseBody ok = response.body();
    if (ok != null) {
      ok.close();
    }
    ResponseBody error = response.errorBody();
    if (error != null) {
      error.close();
    }
  }

  /** Reads the outcome of submitted feeds when their time has come and the budget allows. */
  private void pollFeeds() {
    Instant now = clock.instant();
    for (PendingFeed f : List.copyOf(pendingFeeds.values())) {
      if (f.submitted.plus(feedVerifyAfter.dividedBy(2)).isAfter(now) || limits.available("getFeed") < 1) {
        continue;
      }
      try {
        Map<String, Object> feed = client.call("getFeed", api.getFeed(f.feedId));
        String status = Js.str(feed, "processingStatus");
        if (status.equals("IN_QUEUE") || status.equals("IN_PROGRESS")) {
          continue;
        }
        pendingFeeds.remove(f.feedId);
        String resultId = Js.optStr(feed, "resultFeedDocumentId");
        if (!status.equals("DONE") || resultId == null) {
          log.warn("{}: JSON_LISTINGS_FEED {} ended {}; its SKUs go item by item next time",
              storeId, f.feedId, status);
          f.skuByMessage.values().forEach(sku -> feedIssues.put(sku, "feed " + f.feedId + " " + status));
          continue;
        }
        if (limits.available("getFeedDocument") < 1) {
          pendingFeeds.put(f.feedId, f); // read the report on a later call
          continue;
        }
        Map<String, Object> doc = client.call("getFeedDocument", api.getFeedDocument(resultId));
        readReport(f, download(Js.str(doc, "url")));
      } catch (RetryLaterException e) {
        log.debug("{}: feed {} not polled: {}", storeId, f.feedId, e.getMessage());
      }
    }
  }

  private String download(String url) {
    try {
      Response<ResponseBody> response = plain.download(url).execute();
      ResponseBody body = response.body();
      if (!response.isSuccessful() || body == null) {
        closeQuietly(response);
        throw new ChannelException("processing report download: HTTP " + response.code(), null);
      }
      try (ResponseBody b = body) {
        return b.string();
      }
    } catch (IOException e) {
      throw new RetryLaterException("processing report download failed", null, null);
    }
  }

  /** Maps a processing report's per-message issues back to SKUs. */
  private void readReport(PendingFeed f, String text) {
    Map<String, Object> report = Js.obj(Js.parse(text, "processing report"), "processing report");
    int errors = 0;
    for (Object o : Js.list(report, "issues")) {
      Map<String, Object> issue = Js.obj(o, "issues[]");
      if (!"ERROR".equals(Js.optStr(issue, "severity"))) {
        continue;
      }
      Long messageId = Js.optLong(issue, "messageId");
      String sku = messageId == null ? Js.optStr(issue, "sku") : f.skuByMessage.get(messageId);
      String message = Js.optStr(issue, "code") + " " + Js.optStr(issue, "message");
      if (sku == null) {
        log.warn("{}: feed {} failed as a whole: {}", storeId, f.feedId, message);
        f.skuByMessage.values().forEach(s -> feedIssues.put(s, message));
        continue;
      }
      feedIssues.put(sku, message);
      errors++;
    }
    log.info("{}: JSON_LISTINGS_FEED {} done, {} of {} messages with errors", storeId, f.feedId,
        errors, f.skuByMessage.size());
  }

  /**
   * The issue Amazon's last feed reported for a SKU, if any; such SKUs are pushed item by item.
   *
   * @param sku the seller SKU
   * @return the issue's code and message, or null
   */
  public @Nullable String lastFeedIssue(String sku) {
    return feedIssues.getIfPresent(sku);
  }

  // ================================================================== pacing, secrets

  @Override
  public Duration pacingDelay(ChannelCall call, int items) {
    return switch (call) {
      case LISTINGS -> max(limits.delay(SEARCH, 1),
          fulfilment.fba() ? limits.delay(FBA_SUMMARIES, 1) : Duration.ZERO);
      case ORDERS -> fulfilment.fbm() ? limits.delay(orders.operation(), 1) : Duration.ZERO;
      case ORDER -> fulfilment.fbm() ? limits.delay(orders.singleOperation(), 1) : Duration.ZERO;
      case QUANTITIES -> fulfilment.fbm() ? limits.delay(SEARCH, 1) : limits.delay(FBA_SUMMARIES, 1);
      case PUSH -> items >= feedThreshold && items > limits.available(PATCH)
          && limits.feedDelay().isZero() ? Duration.ZERO : limits.delay(PATCH, Math.min(items, 5));
    };
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public @Nullable String redact(@Nullable String text) {
    return tokens.redact(text);
  }

  @Override
  public void close() {
    if (ownsClient) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "AmazonConnector{" + storeId + ", " + fulfilment + "}";
  }

  // ================================================================== types

  private record Read(@Nullable Long quantity, Instant at) {}

  private record PendingFeed(String feedId, Map<Long, String> skuByMessage, Instant submitted) {}

  /**
   * A listing scan position: the window {@code [after, before]} (both inclusive, as Amazon's
   * filters are), the scan's end, and Amazon's page token inside the window.
   */
  private record Window(Instant after, Instant before, Instant end, @Nullable String amazonToken) {
    String encode() {
      return "w1~" + after.toEpochMilli() + "~" + before.toEpochMilli() + "~" + end.toEpochMilli()
          + "~" + (amazonToken == null ? "" : amazonToken);
    }

    static Window decode(String token) {
      String[] parts = token.split("~", 5);
      try {
        if (parts.length != 5 || !parts[0].equals("w1")) {
          throw new NumberFormatException();
        }
        return new Window(Instant.ofEpochMilli(Long.parseLong(parts[1])),
            Instant.ofEpochMilli(Long.parseLong(parts[2])), Instant.ofEpochMilli(Long.parseLong(parts[3])),
            parts[4].isEmpty() ? null : parts[4]);
      } catch (NumberFormatException | DateTimeParseException e) {
        throw new InvalidInputException("pageToken", "not a page token of this connector");
      }
    }
  }

  /**
   * Where access tokens come from: a fixed token, or Login with Amazon.
   */
  interface AccessTokens {
    Interceptor interceptor();

    @Nullable String redact(@Nullable String text);
  }

  /** Configures an {@link AmazonConnector}; {@link #build()} validates and names any bad field. */
  public static final class Builder {
    private @Nullable String sellerId;
    private @Nullable String marketplaceId;
    private @Nullable FulfilmentType fulfilment;
    private @Nullable String storeName;
    private @Nullable HttpUrl endpoint;
    private @Nullable AccessTokens tokens;
    private @Nullable OkHttpClient client;
    private Clock clock = Clock.systemUTC();
    private Duration verifyAfter = Duration.ofMinutes(5);
    private Duration feedVerifyAfter = Duration.ofMinutes(15);
    private int feedThreshold = 50;
    private int maxBatchSize;

    private Builder() {}

    /**
     * Sets the seller id (the merchant token). Required.
     *
     * @param sellerId the seller id
     * @return this builder
     */
    public Builder sellerId(String sellerId) {
      this.sellerId = sellerId;
      return this;
    }

    /**
     * Sets the marketplace, e.g. {@code ATVPDKIKX0DER}; the region endpoint follows from it.
     * Required.
     *
     * @param marketplaceId the marketplace id
     * @return this builder
     */
    public Builder marketplaceId(String marketplaceId) {
      this.marketplaceId = marketplaceId;
      return this;
    }

    /**
     * Sets which stock the store syncs: FBM, FBA or both. Required: listings are imported only
     * once it is chosen.
     *
     * @param fulfilment the fulfilment type
     * @return this builder
     */
    public Builder fulfilment(FulfilmentType fulfilment) {
      this.fulfilment = fulfilment;
      return this;
    }

    /**
     * Sets the display name; default {@code Amazon {sellerId} ({marketplaceId})}.
     *
     * @param name the name
     * @return this builder
     */
    public Builder storeName(String name) {
      this.storeName = name;
      return this;
    }

    /**
     * Overrides the SP-API endpoint (an emulator or the sandbox); by default the marketplace's
     * regional endpoint.
     *
     * @param endpoint the base URL
     * @return this builder
     */
    public Builder endpoint(HttpUrl endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /**
     * Uses a fixed access token, sent as {@code x-amz-access-token}; for tests and short scripts
     * (Amazon's tokens live one hour).
     *
     * @param accessToken the token
     * @return this builder
     */
    public Builder accessToken(String accessToken) {
      if (accessToken == null || accessToken.isBlank()) {
        throw new InvalidInputException("accessToken", "required");
      }
      String token = accessToken;
      this.tokens = new AccessTokens() {
        @Override
        public Interceptor interceptor() {
          return chain -> chain.proceed(chain.request().newBuilder()
              .header("x-amz-access-token", token).build());
        }

        @Override
        public @Nullable String redact(@Nullable String text) {
          return text == null ? null : text.replace(token, "[redacted]");
        }
      };
      return this;
    }

    /**
     * Uses Login with Amazon tokens from a shared {@link OAuthTokenSource} (see {@link
     * AmazonConnector#lwa()}): sent as {@code x-amz-access-token}, refreshed ahead of expiry, and
     * refreshed once more when Amazon answers 403 {@code Unauthorized}; {@code invalid_grant}
     * surfaces as a {@link io.stocksync.core.CredentialsException} (NEEDS_REAUTH).
     *
     * @param source the token source
     * @return this builder
     */
    public Builder accessTokens(OAuthTokenSource source) {
      if (source == null) {
        throw new InvalidInputException("accessTokens", "required");
      }
      this.tokens = new AccessTokens() {
        @Override
        public Interceptor interceptor() {
          return source.interceptor(AccessTokenHeader.named("x-amz-access-token"),
              ExpiredTokenSignal.amazon());
        }

        @Override
        public @Nullable String redact(@Nullable String text) {
          return source.redact(text);
        }
      };
      return this;
    }

    /**
     * Sets the HTTP client to share (its pools, timeouts, proxies); the connector adds its own
     * interceptors to a derived client.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(OkHttpClient client) {
      this.client = client;
      return this;
    }

    /**
     * Sets the clock rate limits and windows are timed by.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Sets how long after an ACCEPTED patch the engine reads the figure back; 5 minutes by
     * default.
     *
     * @param wait the wait
     * @return this builder
     */
    public Builder verifyAfter(Duration wait) {
      this.verifyAfter = wait;
      return this;
    }

    /**
     * Sets how long after a feed is submitted the engine reads its figures back; 15 minutes by
     * default (JSON_LISTINGS_FEED usually finishes within minutes).
     *
     * @param wait the wait
     * @return this builder
     */
    public Builder feedVerifyAfter(Duration wait) {
      this.feedVerifyAfter = wait;
      return this;
    }

    /**
     * Sets the fewest items a push must carry before it may go as a feed (when the patch budget
     * cannot carry them at once); 50 by default. {@link Integer#MAX_VALUE} disables feeds.
     *
     * @param items the threshold, at least 1
     * @return this builder
     */
    public Builder feedThreshold(int items) {
      this.feedThreshold = items;
      return this;
    }

    /**
     * Sets the most items one push may carry, at most 25,000 (one feed). By default 10,000, or the
     * patch burst of 5 when feeds are disabled: the engine then hands over no more than one
     * call's worth of PATCH budget at a time instead of items that could only be answered
     * retryable.
     *
     * @param items the batch size
     * @return this builder
     */
    public Builder maxBatchSize(int items) {
      this.maxBatchSize = items;
      return this;
    }

    /**
     * Builds the connector. No network call is made.
     *
     * @return the connector
     * @throws InvalidInputException naming the first missing or invalid field
     */
    public AmazonConnector build() {
      if (sellerId == null || sellerId.isBlank()) {
        throw new InvalidInputException("sellerId", "required");
      }
      if (marketplaceId == null || marketplaceId.isBlank()) {
        throw new InvalidInputException("marketplaceId", "required");
      }
      if (fulfilment == null) {
        throw new InvalidInputException("fulfilment", "required: choose FBM, FBA or BOTH before"
            + " listings are imported");
      }
      if (tokens == null) {
        throw new InvalidInputException("accessTokens", "required");
      }
      if (endpoint == null) {
        String region = Region.of(marketplaceId);
        if (region == null) {
          throw new InvalidInputException("marketplaceId", "unknown marketplace '" + marketplaceId
              + "'; give the endpoint explicitly");
        }
        endpoint = HttpUrl.get(Region.endpoint(region));
      }
      if (verifyAfter == null || verifyAfter.isNegative()) {
        throw new InvalidInputException("verifyAfter", "must be zero or more");
      }
      if (feedVerifyAfter == null || feedVerifyAfter.isNegative()) {
        throw new InvalidInputException("feedVerifyAfter", "must be zero or more");
      }
      if (feedThreshold < 1) {
        throw new InvalidInputException("feedThreshold", "must be >= 1: " + feedThreshold);
      }
      if (maxBatchSize == 0) {
        maxBatchSize = feedThreshold == Integer.MAX_VALUE ? 5 : 10_000;
      }
      if (maxBatchSize < 1 || maxBatchSize > FEED_CAP) {
        throw new InvalidInputException("maxBatchSize", "must be 1.." + FEED_CAP + ": " + maxBatchSize);
      }
      if (clock == null) {
        throw new InvalidInputException("clock", "required");
      }
      return new AmazonConnector(this);
    }
  }
}
