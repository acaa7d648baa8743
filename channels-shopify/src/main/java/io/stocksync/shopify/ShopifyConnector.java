package io.stocksync.shopify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.squareup.moshi.Moshi;
import io.stocksync.core.ChannelException;
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
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.channel.StoreIdentity;
import io.stocksync.shopify.internal.BulkImport;
import io.stocksync.shopify.internal.GraphQlClient;
import io.stocksync.shopify.internal.OrderLocations;
import io.stocksync.core.internal.Json;
import io.stocksync.shopify.internal.PageSizer;
import io.stocksync.shopify.internal.QueryCostException;
import io.stocksync.shopify.internal.Queries;
import io.stocksync.shopify.internal.ShopifyApi;
import io.stocksync.shopify.internal.Throttle;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;

/**
 * A {@link ChannelConnector} for one Shopify shop over the Admin GraphQL API.
 *
 * <pre>{@code
 * ShopifyConnector shop = ShopifyConnector.builder()
 *     .shopDomain("example.myshopify.com")
 *     .accessToken(System.getenv("SHOPIFY_TOKEN"))
 *     .build();
 * }</pre>
 *
 * <p>It talks to API version {@value #API_VERSION}, the newest stable quarterly release on
 * 2026-11-23: from {@code 2026-04} on, {@code inventorySetQuantities} requires {@code
 * changeFromQuantity} on every quantity and an {@code @idempotent} key, which is exactly the
 * compare-and-set and retry safety the engine wants, and {@code 2026-10} is supported until
 * late 2027.
 *
 * <ul>
 *   <li>Listings are product variants with a SKU; ACTIVE products, plus DRAFT when asked. Pages
 *       are as large as the 1,000-point query cap and the shop's bucket allow, learned from the
 *       cost Shopify reports.
 *   <li>A full import of a shop with more than {@link Builder#bulkThreshold(int)} variants
 *       (default {@value #DEFAULT_BULK_THRESHOLD}) reads the catalogue with one bulk query
 *       instead of paging: no query cost beyond the first page, the bucket stays free for pushes.
 *       While it runs, {@code listings} returns empty pages and {@link #pacingDelay(ChannelCall,
 *       int)} tells the engine when the next poll is due; the JSONL result is streamed, never held
 *       as text. When the shop's bulk queries are busy, or the query fails (its partial data is
 *       never taken for the catalogue) or is cancelled, the import pages on; an expired result is
 *       run again once. The whole download is one {@code listings} call and must fit the engine's
 *       {@code callTimeout}.
 *   <li>Pushes set {@code available} for up to 250 quantities per call, each compared with the
 *       quantity the engine last confirmed; a {@code *_STALE} answer is re-read and reported as
 *       {@link PushResult.Stale}. The mutation's idempotency key is derived from the engine's
 *       per-change keys, so a retry of the same change reuses it.
 *   <li>Calls are paced from {@code extensions.cost.throttleStatus} (see {@link
 *       #pacingDelay(ChannelCall, int)}) so a steady workload never meets {@code THROTTLED}.
 * </ul>
 *
 * <p>Where an order takes stock: a point-of-sale order at its {@code retailLocation}; an online
 * order, per line, where its open fulfilment orders are assigned (read only for online orders
 * that still have units to ship). An order read before Shopify routed it books at the store's
 * default location and is read again at the start of each order sync until it is routed; a moved
 * fulfilment order moves the booking; a line split over several locations is reported as one line
 * per location (see {@link io.stocksync.shopify.internal.OrderLocations}).
 *
 * <p>Access scopes the app needs: {@code read_products} (listings), {@code read_inventory} and
 * {@code write_inventory} (quantities), {@code read_locations}, {@code read_orders}, and to see
 * every fulfilment order {@code read_merchant_managed_fulfillment_orders}, {@code
 * read_assigned_fulfillment_orders} and {@code read_third_party_fulfillment_orders} (without them
 * Shopify silently returns fewer fulfilment orders, and units at those locations book at the
 * store's default location).
 *
 * <p>Thread-safe. The access token is sent only in the {@code X-Shopify-Access-Token} header and
 * never appears in logs, exceptions or {@link #toString()}.
 */
public final class ShopifyConnector implements ChannelConnector {
  /** The Admin API version every request uses. */
  public static final String API_VERSION = "2026-10";
  /** The channel name in {@link StoreId}s. */
  public static final String CHANNEL = "shopify";

  static final int MAX_BATCH = 250;
  /**
   * Above this many variants a full listing import runs as a bulk query (see {@link
   * Builder#bulkThreshold(int)}): below it, paging costs less than a minute of bucket time.
   */
  public static final int DEFAULT_BULK_THRESHOLD = 2000;
  private static final int MAX_QUERY_COST = 1000;
  private volatile int locationCount;
  // Page and batch sizes learned from the requested cost Shopify reports; no cost is hard-coded.
  private final PageSizer variantPages = new PageSizer(50, MAX_BATCH);
  private final PageSizer orderPages = new PageSizer(25, MAX_BATCH);
  private final PageSizer quantityReads = new PageSizer(50, MAX_BATCH);

  private final String shopDomain;
  private final StoreId storeId;
  private final GraphQlClient client;
  private final Throttle throttle;
  private final Clock throttleClock;
  private final @Nullable String webhookSecret;
  private final String accessToken;
  private final boolean ownsClient;
  private final OkHttpClient http;
  private final BulkImport bulk;
  private final int bulkThreshold;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ShopifyConnector.class);
  // Our own recent pushes, so the webhook handler can recognise their echo.
  private final java.util.concurrent.ConcurrentMap<String, Integer> keyGenerations =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofDays(1))
          .<String, Integer>build().asMap();
  private final Cache<String, Long> recentPushes =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  private ShopifyConnector(Builder b) {
    this.shopDomain = b.shopDomain;
    this.storeId = StoreId.of(CHANNEL, shopDomain);
    this.webhookSecret = b.webhookSecret;
    this.accessToken = b.accessToken;
    this.ownsClient = b.client == null;
    OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
    String token = b.accessToken;
    this.http = base.newBuilder()
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .header("X-Shopify-Access-Token", token)
            .header("User-Agent", "stocksync/0.1")
            .build()))
        .build();
    HttpUrl baseUrl = b.baseUrl != null ? b.baseUrl : HttpUrl.get("https://" + shopDomain + "/");
    Moshi moshi = new Moshi.Builder().build();
    Retrofit retrofit = new Retrofit.Builder()
        .baseUrl(baseUrl)
        .client(http)
        .addConverterFactory(MoshiConverterFactory.create(moshi).withNullSerialization())
        .build();
    this.throttle = new Throttle(b.clock);
    this.throttleClock = b.clock;
    this.client = new GraphQlClient(retrofit.create(ShopifyApi.class), API_VERSION, throttle, moshi);
    // Result links point to cloud storage: the token header must never go there.
    this.bulk = new BulkImport(client, base, moshi);
    this.bulkThreshold = b.bulkThreshold;
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

  @Override
  public ChannelCapabilities capabilities() {
    return new ChannelCapabilities(MAX_BATCH, true, true, true, 0);
  }

  @Override
  public StoreIdentity identity() {
    Map<String, Object> shop = Json.obj(client.execute("Shop", Queries.SHOP, Map.of()), "shop");
    String domain = Json.optStr(shop, "myshopifyDomain");
    if (domain != null && !domain.equalsIgnoreCase(shopDomain)) {
      throw new ChannelException("token belongs to shop " + domain + ", not " + shopDomain, null);
    }
    return new StoreIdentity(storeId, Json.str(shop, "name"));
  }

  /**
   * Levels to request per inventory item in the first page: the shop's location count (Shopify
   * charges for every level requested); 10 until the locations are known. Items with more levels
   * are followed up, so this is a cost choice, not a limit.
   */
  private int levelsPerItem() {
    int known = locationCount;
    return known <= 0 ? 10 : Math.min(MAX_BATCH, known);
  }

  /** The most one call may cost: the single-query cap, or the bucket when it is smaller. */
  private double costCap() {
    double bucket = throttle.maximum();
    return Double.isNaN(bucket) ? MAX_QUERY_COST : Math.min(MAX_QUERY_COST, bucket);
  }

  /**
   * Runs a sized call, shrinking on {@code MAX_COST_EXCEEDED} until it fits, and learns the size
   * for the next call from the requested cost Shopify reported.
   */
  private Map<String, Object> sized(String operation, PageSizer sizer,
      java.util.function.IntFunction<Map<String, Object>> call) {
    while (true) {
      int n = sizer.size();
      try {
        Map<String, Object> data = call.apply(n);
        Double cost = client.lastRequestedCost(operation);
        if (cost != null) {
          sizer.observe(n, cost, costCap());
        }
        return data;
      } catch (RetryLaterException e) {
        // THROTTLED by a call larger than the whole bucket would never go: learn to shrink.
        Double cost = client.lastRequestedCost(operation);
        if (cost != null && cost > throttle.maximum()) {
          sizer.observe(n, cost, costCap());
        }
        throw e;
      } catch (QueryCostException e) {
        if (n <= 1 || Double.isNaN(e.cost())) {
          throw e;
        }
        sizer.observe(n, e.cost(), Math.min(costCap(), e.maxCost()));
        if (sizer.size() >= n) {
          throw e;
        }
      }
    }
  }

  /**
   * Completes a nested connection whose first page the parent holds: appends the nodes of the
   * following pages, fetched with {@code more(after)}, to the parent's {@code nodes}.
   */
  private static void complete(Map<String, Object> parent, String connection,
      java.util.function.Function<String, Map<String, Object>> more) {
    Map<String, Object> conn = Json.optObj(parent, connection);
    if (conn == null) {
      return;
    }
    List<Object> nodes = new ArrayList<>(Json.list(conn, "nodes"));
    String after = nextCursor(conn);
    while (after != null) {
      Map<String, Object> next = more.apply(after);
      nodes.addAll(Json.list(next, "nodes"));
      after = nextCursor(next);
    }
    conn.put("nodes", nodes);
  }

  private final PageSizer levelsCost = new PageSizer(10, MAX_BATCH);

  private Map<String, Object> sizedLevels(Map<String, Object> vars) {
    Map<String, Object> data = client.execute("ItemLevels", Queries.ITEM_LEVELS, vars);
    Double cost = client.lastRequestedCost("ItemLevels");
    if (cost != null) {
      levelsCost.observe((Integer) vars.get("first"), cost, costCap());
    }
    return data;
  }

  /** Follows up an inventory item's levels beyond the first page. */
  private void completeLevels(Map<String, Object> item) {
    String id = Json.str(item, "id");
    complete(item, "inventoryLevels", after -> {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("id", id);
      // As many as the first page held: Shopify charges for every level requested.
      vars.put("first", Math.max(10, levelsPerItem()));
      vars.put("after", after);
      // Until a follow-up was priced, assume it costs what one item's first levels page did.
      double estimate = levelsCost.estimate(Math.max(10, levelsPerItem()));
      Duration wait = throttle.delayFor(Double.isNaN(estimate)
          ? Math.max(1, estimate(quantityReads, 1)) : estimate);
      if (!wait.isZero()) {
        throw new RetryLaterException("Shopify level read paused for the rate limit", wait, null);
      }
      return Json.obj(Json.obj(sizedLevels(vars),
          "inventoryItem"), "inventoryLevels");
    });
  }

  @Override
  public List<ChannelLocation> locations() {
    List<ChannelLocation> out = new ArrayList<>();
    String after = null;
    do {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("first", 250);
      vars.put("after", after);
      Map<String, Object> conn = Json.obj(client.execute("Locations", Queries.LOCATIONS, vars), "locations");
      for (Object n : Json.list(conn, "nodes")) {
        Map<String, Object> l = Json.asObj(n, "locations.nodes[]");
        out.add(new ChannelLocation(Json.str(l, "id"), Json.optStr(l, "name"),
            Json.bool(l, "isActive"), false));
      }
      after = nextCursor(conn);
    } while (after != null);
    locationCount = out.size();
    return out;
  }

  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    if (query.changedSince() == null) {
      String token = query.pageToken();
      if (token != null && token.startsWith(BULK_TOKEN)) {
        return bulkPage(query, token);
      }
      if (token == null && bulkThreshold < Integer.MAX_VALUE) {
        return firstFullPage(query);
      }
    }
    return pagedListings(query);
  }

  private static String search(ListingQuery query) {
    if (query.changedSince() == null) {
      return query.includeDrafts() ? "product_status:active,draft" : "product_status:active";
    }
    // Changes include products that left ACTIVE (archived, back to draft): the engine must
    // see them to stop pushing there, so no status filter on incremental reads.
    return "updated_at:>='" + query.changedSince() + "'";
  }

  private Page<ChannelListing> pagedListings(ListingQuery query) {
    return pagedListings(query, null).page();
  }

  /** A page, and the shop's variant count when it was asked for (else -1). */
  private record Counted(Page<ChannelListing> page, long variants) {}

  private Counted pagedListings(ListingQuery query, @Nullable Integer countLimit) {
    String search = search(query);
    Map<String, Object> data = sized("ProductVariants", variantPages, first -> {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("first", first);
      vars.put("after", query.pageToken());
      vars.put("query", search);
      if (countLimit != null) {
        vars.put("countLimit", countLimit);
        return client.execute("ProductVariants", Queries.productVariantsCounted(levelsPerItem()), vars);
      }
      return client.execute("ProductVariants", Queries.productVariants(levelsPerItem()), vars);
    });
    Map<String, Object> count = countLimit == null ? null : Json.optObj(data, "productVariantsCount");
    Map<String, Object> conn = Json.obj(data, "productVariants");
    List<ChannelListing> out = new ArrayList<>();
    for (Object n : Json.list(conn, "nodes")) {
      ChannelListing listing = listing(Json.asObj(n, "productVariants.nodes[]"), query);
      if (listing != null) {
        out.add(listing);
      }
    }
    return new Counted(new Page<>(out, nextCursor(conn)), count == null ? -1 : Json.num(count, "count"));
  }

  /**
   * A variant as a listing, or null when it is not one to import (no usable SKU; a draft nobody
   * asked for). Paged and bulk reads both come through here, so they cannot disagree.
   */
  private @Nullable ChannelListing listing(Map<String, Object> v, ListingQuery query) {
    Sku sku;
    try {
      sku = Sku.ofNullable(Json.optStr(v, "sku"));
    } catch (InvalidInputException e) {
      sku = null; // longer than any channel allows: not a SKU we can link
    }
    if (sku == null) {
      return null;
    }
    Map<String, Object> product = Json.obj(v, "product");
    ListingStatus status = status(Json.str(product, "status"));
    if (status == ListingStatus.DRAFT && !query.includeDrafts() && query.changedSince() == null) {
      return null;
    }
    Map<String, Object> item = Json.obj(v, "inventoryItem");
    completeLevels(item);
    String title = Json.optStr(product, "title");
    String variantTitle = Json.optStr(v, "title");
    if (variantTitle != null && !variantTitle.isBlank() && !"Default Title".equals(variantTitle)) {
      title = title == null ? variantTitle : title + " / " + variantTitle;
    }
    return new ChannelListing(Json.str(v, "id"), Json.str(item, "id"), sku, status,
        title == null ? "" : title, Json.bool(item, "tracked"), levels(item),
        Json.instant(v, "updatedAt"));
  }

  // ---- bulk import -----------------------------------------------------------------------------

  /** Page tokens of a bulk import: {@code bulk:<operation gid>[#<offset>]}. */
  private static final String BULK_TOKEN = "bulk:";
  /** Listings per page handed to the engine from a downloaded bulk result. */
  static final int BULK_PAGE = 1000;
  /** Expired links are re-run once; after that the import pages. */
  private static final int MAX_BULK_RERUNS = 1;
  /** A downloaded result is served again to a retried import for this long. */
  private static final Duration BULK_RESULT_REUSE = Duration.ofMinutes(10);
  /** An own operation is resumed by a restarted import only this long after it started. */
  private static final Duration BULK_RESUME = Duration.ofMinutes(30);
  private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(10);

  /** This connector's bulk import in progress (one listing read at a time per store). */
  private static final class BulkRun {
    final String id;
    final boolean includeDrafts;
    final int reruns;
    /** The import's first page, read while counting: already returned, left out of the result. */
    final Page<ChannelListing> firstPage;
    final Set<String> returned = new java.util.HashSet<>();
    final Instant startedAt;
    int polls;
    Instant nextPollAt;
    @Nullable List<ChannelListing> result;
    @Nullable Instant downloadedAt;

    BulkRun(String id, boolean includeDrafts, int reruns, Page<ChannelListing> firstPage,
        Instant nextPollAt) {
      this.id = id;
      this.includeDrafts = includeDrafts;
      this.reruns = reruns;
      this.firstPage = firstPage;
      this.nextPollAt = nextPollAt;
      this.startedAt = nextPollAt.minus(pollDelay(0));
      firstPage.items().forEach(l -> returned.add(l.listingId()));
    }
  }

  private volatile @Nullable BulkRun bulkRun;

  /**
   * The first page of a full import. It also asks how many variants the shop has; above the
   * threshold the rest of the import is one bulk query, started here.
   */
  private Page<ChannelListing> firstFullPage(ListingQuery query) {
    BulkRun own = bulkRun;
    Instant now = throttleClock.instant();
    if (own != null && own.includeDrafts == query.includeDrafts() && (own.result == null
        && own.startedAt.plus(BULK_RESUME).isAfter(now) || own.downloadedAt != null
            && own.downloadedAt.plus(BULK_RESULT_REUSE).isAfter(now))) {
      // The engine gave up on this import and started again: resume our own operation rather
      // than spend one more of the shop's concurrent bulk queries, from the first page on.
      return new Page<>(own.firstPage.items(), BULK_TOKEN + own.id);
    }
    Counted first = pagedListings(query, bulkThreshold + 1);
    if (first.variants() <= bulkThreshold || !first.page().hasNext()) {
      return first.page();
    }
    Page<ChannelListing> started = launchBulk(query.includeDrafts(), 0, first.page());
    return started != null ? started : first.page();
  }

  private @Nullable Page<ChannelListing> launchBulk(boolean includeDrafts, int reruns,
      Page<ChannelListing> firstPage) {
    String id = bulk.start(Queries.bulkVariants(search(new ListingQuery(null, includeDrafts, null))));
    if (id == null) {
      // Other bulk queries of this app hold the shop's limit. Waiting could take hours (they may
      // be someone's full export); paging is always correct, so the import pages now.
      log.info("{}: the shop's bulk queries are busy; the listing import pages instead", storeId);
      bulkRun = null;
      return null;
    }
    BulkRun run = new BulkRun(id, includeDrafts, reruns, firstPage,
        throttleClock.instant().plus(pollDelay(0)));
    bulkRun = run;
    return new Page<>(firstPage.items(), BULK_TOKEN + id);
  }

  private static Duration pollDelay(int polls) {
    Duration d = Duration.ofSeconds(1L << Math.min(polls, 4));
    return d.compareTo(MAX_POLL_INTERVAL) > 0 ? MAX_POLL_INTERVAL : d;
  }

  private Page<ChannelListing> bulkPage(ListingQuery query, String token) {
    String rest = token.substring(BULK_TOKEN.length());
    int hash = rest.indexOf('#');
    String id = hash < 0 ? rest : rest.substring(0, hash);
    int offset;
    try {
      offset = hash < 0 ? 0 : Integer.parseInt(rest.substring(hash + 1));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("pageToken", "not a token this connector issued");
    }
    BulkRun run = bulkRun;
    if (run == null || !run.id.equals(id)) {
      // A token from before this connector knew the run (e.g. after a restart): adopt it.
      run = new BulkRun(id, query.includeDrafts(), 0, new Page<>(List.of(), null),
          throttleClock.instant());
      bulkRun = run;
    }
    if (run.result == null) {
      BulkImport.Status status = bulk.poll(id);
      if (status.running()) {
        run.polls++;
        run.nextPollAt = throttleClock.instant().plus(pollDelay(run.polls));
        return new Page<>(List.of(), BULK_TOKEN + id);
      }
      switch (status.status()) {
        case "COMPLETED": {
          String url = status.url();
          List<Map<String, Object>> variants;
          try {
            variants = url == null ? List.of() : bulk.variants(url);
          } catch (io.stocksync.core.MalformedResponseException e) {
            // A broken file would break every retry the same way: page instead.
            log.warn("{}: bulk listing import {}: {}; paging instead", storeId, id, e.getMessage());
            bulkRun = null;
            return afterFirstPage(run, query);
          }
          if (variants == null) {
            return rerunOrPage(run, query, "its result link has expired");
          }
          List<ChannelListing> listings = new ArrayList<>(variants.size());
          for (Map<String, Object> v : variants) {
            ChannelListing listing = run.returned.contains(Json.str(v, "id")) ? null : listing(v, query);
            if (listing != null) {
              listings.add(listing);
            }
          }
          run.result = listings;
          run.downloadedAt = throttleClock.instant();
          break;
        }
        case "EXPIRED":
          return rerunOrPage(run, query, "its result has expired");
        default:
          // FAILED (partial data is never a complete catalogue), CANCELED by someone else, or a
          // status this version does not know: the import pages instead.
          log.warn("{}: bulk listing import {} ended {}{}; paging instead", storeId, id,
              status.status(), status.errorCode() == null ? "" : " (" + status.errorCode() + ")");
          bulkRun = null;
          return afterFirstPage(run, query);
      }
    }
    return servePage(run, offset);
  }

  private Page<ChannelListing> rerunOrPage(BulkRun run, ListingQuery query, String why) {
    log.info("{}: bulk listing import {}: {}", storeId, run.id, why);
    if (run.reruns < MAX_BULK_RERUNS) {
      String id = bulk.start(Queries.bulkVariants(search(new ListingQuery(null, query.includeDrafts(), null))));
      if (id != null) {
        BulkRun again = new BulkRun(id, run.includeDrafts, run.reruns + 1, run.firstPage,
            throttleClock.instant().plus(pollDelay(0)));
        bulkRun = again;
        return new Page<>(List.of(), BULK_TOKEN + id);
      }
    }
    bulkRun = null;
    return afterFirstPage(run, query);
  }

  /** Paging instead of the bulk query: the pages after the first, which was returned already. */
  private Page<ChannelListing> afterFirstPage(BulkRun run, ListingQuery query) {
    String cursor = run.firstPage.nextPageToken();
    if (cursor == null && !run.firstPage.items().isEmpty()) {
      return new Page<>(List.of(), null);
    }
    return pagedListings(new ListingQuery(null, query.includeDrafts(), cursor));
  }

  private Page<ChannelListing> servePage(BulkRun run, int offset) {
    List<ChannelListing> all = java.util.Objects.requireNonNull(run.result);
    int from = Math.min(Math.max(0, offset), all.size());
    int to = Math.min(all.size(), from + BULK_PAGE);
    List<ChannelListing> items = all.subList(from, to);
    if (to >= all.size()) {
      bulkRun = null; // served: let the memory go
      return new Page<>(items, null);
    }
    return new Page<>(items, BULK_TOKEN + run.id + "#" + to);
  }

  private static ListingStatus status(String productStatus) {
    switch (productStatus.toUpperCase(Locale.ROOT)) {
      case "ACTIVE":
      case "UNLISTED":
        return ListingStatus.ACTIVE;
      case "DRAFT":
        return ListingStatus.DRAFT;
      default:
        return ListingStatus.INACTIVE;
    }
  }

  private static Map<String, Long> levels(Map<String, Object> inventoryItem) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Object n : Json.nodes(inventoryItem, "inventoryLevels")) {
      Map<String, Object> level = Json.asObj(n, "inventoryLevels.nodes[]");
      String location = Json.str(Json.obj(level, "location"), "id");
      for (Object q : Json.list(level, "quantities")) {
        Map<String, Object> quantity = Json.asObj(q, "quantities[]");
        if ("available".equals(Json.optStr(quantity, "name"))) {
          out.put(location, Json.num(quantity, "quantity"));
        }
      }
    }
    return out;
  }

  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    Map<String, Object> conn = Json.obj(sized("Orders", orderPages, first -> {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("first", first);
      vars.put("after", query.pageToken());
      vars.put("query", "updated_at:>='" + query.updatedSince() + "'");
      return client.execute("Orders", Queries.ORDERS, vars);
    }), "orders");
    List<Map<String, Object>> read = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Object n : Json.list(conn, "nodes")) {
      Map<String, Object> o = Json.asObj(n, "orders.nodes[]");
      completeOrder(o);
      read.add(o);
      ids.add(Json.str(o, "id"));
    }
    if (query.pageToken() == null) {
      // Shopify routes an online order a moment after creating it and does not move the order's
      // updatedAt for that: orders read before routing are read again at the start of each sync
      // until their units have a location.
      List<String> again = new ArrayList<>();
      for (String id : unrouted.asMap().keySet()) {
        if (!ids.contains(id)) {
          again.add(id);
        }
      }
      for (int from = 0; from < again.size(); from += ORDERS_BY_ID_BATCH) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("ids", again.subList(from, Math.min(again.size(), from + ORDERS_BY_ID_BATCH)));
        for (Object n : Json.list(client.execute("OrdersById", Queries.ORDERS_BY_ID, vars), "nodes")) {
          if (n == null) {
            continue; // deleted meanwhile
          }
          Map<String, Object> o = Json.asObj(n, "nodes[]");
          completeOrder(o);
          read.add(o);
        }
      }
    }
    Map<String, Map<String, Map<String, Long>>> open = openUnits(read);
    List<ChannelOrder> out = new ArrayList<>(read.size());
    for (Map<String, Object> o : read) {
      String id = Json.str(o, "id");
      Map<String, Map<String, Long>> byLine = open.get(id);
      if (byLine != null && byLine.isEmpty()) {
        unrouted.put(id, Boolean.TRUE);
      } else {
        unrouted.invalidate(id);
      }
      out.add(order(o, byLine == null ? Map.of() : byLine));
    }
    return new Page<>(out, nextCursor(conn));
  }

  private static final int ORDERS_BY_ID_BATCH = 25;
  // Online orders with open units read before Shopify routed them (bounded; a day at most).
  private final Cache<String, Boolean> unrouted =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofDays(1)).build();
  private final PageSizer fulfillmentOrderBatches = new PageSizer(10, MAX_BATCH);

  /** Whether an order is online (no retail location), not cancelled, and has units to ship. */
  private static boolean needsRouting(Map<String, Object> o) {
    if (Json.optObj(o, "retailLocation") != null || Json.optStr(o, "cancelledAt") != null) {
      return false;
    }
    for (Object n : Json.nodes(o, "lineItems")) {
      if (Json.num(Json.asObj(n, "lineItems.nodes[]"), "unfulfilledQuantity") > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads where the open units of the online orders that still have some are reserved: per order,
   * per line item, the units still to ship per assigned location of its open fulfilment orders
   * (an empty map: not routed yet). Orders that need no routing are absent. Every nested
   * connection is paged; batches are sized from the cost Shopify reports.
   */
  private Map<String, Map<String, Map<String, Long>>> openUnits(List<Map<String, Object>> orders) {
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> o : orders) {
      if (needsRouting(o)) {
        ids.add(Json.str(o, "id"));
      }
    }
    Map<String, Map<String, Map<String, Long>>> out = new HashMap<>();
    int from = 0;
    while (from < ids.size()) {
      int start = from;
      int[] taken = new int[1];
      Map<String, Object> data = sized("OrderFulfillmentOrders", fulfillmentOrderBatches, n -> {
        List<String> chunk = ids.subList(start, Math.min(ids.size(), start + n));
        taken[0] = chunk.size();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("ids", chunk);
        return client.execute("OrderFulfillmentOrders", Queries.ORDER_FULFILLMENT_ORDERS, vars);
      });
      from += taken[0];
      for (Object n : Json.list(data, "nodes")) {
        if (n == null) {
          continue;
        }
        Map<String, Object> o = Json.asObj(n, "nodes[]");
        String orderId = Json.str(o, "id");
        complete(o, "fulfillmentOrders", after -> Json.obj(Json.obj(client.execute(
            "MoreFulfillmentOrders", Queries.MORE_FULFILLMENT_ORDERS, idAfter(orderId, after)),
            "order"), "fulfillmentOrders"));
        Map<String, Map<String, Long>> byLine = new LinkedHashMap<>();
        for (Object f : Json.nodes(o, "fulfillmentOrders")) {
          Map<String, Object> fo = Json.asObj(f, "fulfillmentOrders.nodes[]");
          Map<String, Object> assigned = Json.optObj(fo, "assignedLocation");
          Map<String, Object> location = assigned == null ? null : Json.optObj(assigned, "location");
          if (!OrderLocations.holdsUnits(Json.optStr(fo, "status")) || location == null) {
            continue;
          }
          String foId = Json.str(fo, "id");
          complete(fo, "lineItems", after -> Json.obj(Json.obj(client.execute(
              "FulfillmentOrderLines", Queries.FULFILLMENT_ORDER_LINES, idAfter(foId, after)),
              "node"), "lineItems"));
          String at = Json.str(location, "id");
          for (Object li : Json.nodes(fo, "lineItems")) {
            Map<String, Object> item = Json.asObj(li, "lineItems.nodes[]");
            long remaining = Json.num(item, "remainingQuantity");
            if (remaining > 0) {
              byLine.computeIfAbsent(Json.str(Json.obj(item, "lineItem"), "id"),
                  k -> new LinkedHashMap<>()).merge(at, remaining, Long::sum);
            }
          }
        }
        out.put(orderId, byLine);
      }
    }
    return out;
  }

  /** Follows up the order's lines, fulfilment lines and refund lines beyond their first page. */
  private void completeOrder(Map<String, Object> o) {
    String orderId = Json.str(o, "id");
    complete(o, "lineItems", after -> Json.obj(Json.obj(
        client.execute("OrderLines", Queries.ORDER_LINES, idAfter(orderId, after)), "order"),
        "lineItems"));
    for (Object f : Json.list(o, "fulfillments")) {
      Map<String, Object> fulfillment = Json.asObj(f, "fulfillments[]");
      String id = Json.str(fulfillment, "id");
      complete(fulfillment, "fulfillmentLineItems", after -> Json.obj(Json.obj(
          client.execute("FulfillmentLines", Queries.FULFILLMENT_LINES, idAfter(id, after)), "node"),
          "fulfillmentLineItems"));
    }
    for (Object r : Json.list(o, "refunds")) {
      Map<String, Object> refund = Json.asObj(r, "refunds[]");
      String id = Json.str(refund, "id");
      complete(refund, "refundLineItems", after -> Json.obj(Json.obj(
          client.execute("RefundLines", Queries.REFUND_LINES, idAfter(id, after)), "node"),
          "refundLineItems"));
    }
  }

  private static Map<String, Object> idAfter(String id, String after) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("id", id);
    vars.put("after", after);
    return vars;
  }

  private static ChannelOrder order(Map<String, Object> o,
      Map<String, Map<String, Long>> openByLine) {
    Map<String, Long> fulfilled = new HashMap<>();
    Map<String, Map<String, Long>> shippedAt = new HashMap<>();
    for (Object f : Json.list(o, "fulfillments")) {
      Map<String, Object> fulfillment = Json.asObj(f, "fulfillments[]");
      String status = String.valueOf(Json.optStr(fulfillment, "status")).toUpperCase(Locale.ROOT);
      if (status.equals("CANCELLED") || status.equals("ERROR") || status.equals("FAILURE")) {
        continue; // nothing left the building
      }
      Map<String, Object> from = Json.optObj(fulfillment, "location");
      String fromId = from == null ? null : Json.optStr(from, "id");
      for (Object n : Json.nodes(fulfillment, "fulfillmentLineItems")) {
        Map<String, Object> fli = Json.asObj(n, "fulfillmentLineItems.nodes[]");
        String lineId = Json.str(Json.obj(fli, "lineItem"), "id");
        fulfilled.merge(lineId, Json.num(fli, "quantity"), Long::sum);
        if (fromId != null) {
          shippedAt.computeIfAbsent(lineId, k -> new LinkedHashMap<>())
              .merge(fromId, Json.num(fli, "quantity"), Long::sum);
        }
      }
    }
    Map<String, Long> returned = new HashMap<>();
    for (Object r : Json.list(o, "refunds")) {
      for (Object n : Json.nodes(Json.asObj(r, "refunds[]"), "refundLineItems")) {
        Map<String, Object> rli = Json.asObj(n, "refundLineItems.nodes[]");
        String type = String.valueOf(Json.optStr(rli, "restockType")).toUpperCase(Locale.ROOT);
        // Only shipped units that came back count as restocked; CANCEL refunds of unshipped
        // units already show as removed through unfulfilledQuantity.
        if (type.equals("RETURN") || type.equals("LEGACY_RESTOCK")) {
          returned.merge(Json.str(Json.obj(rli, "lineItem"), "id"), Json.num(rli, "quantity"), Long::sum);
        }
      }
    }
    // Where the sale took stock, so the hub books it against that location's warehouse (a
    // STORE-master till must not be booked against the online warehouse too): a POS order's
    // retail location; for an online order, per line, its fulfilment orders' locations.
    Map<String, Object> retail = Json.optObj(o, "retailLocation");
    String location = retail == null ? null : Json.optStr(retail, "id");
    List<ChannelOrderLine> lines = new ArrayList<>();
    for (Object n : Json.nodes(o, "lineItems")) {
      Map<String, Object> li = Json.asObj(n, "lineItems.nodes[]");
      String lineId = Json.str(li, "id");
      long quantity = Json.num(li, "quantity");
      long shipped = Math.min(quantity, fulfilled.getOrDefault(lineId, 0L));
      long unfulfilled = Math.max(0, Json.num(li, "unfulfilledQuantity"));
      long removed = Math.max(0, quantity - shipped - unfulfilled);
      // Shipped units refunded = what left the order beyond the unshipped removals; of those,
      // only as many as restocking refunds covered came back. A LEGACY_RESTOCK refund of
      // unshipped units is already counted in 'removed' and must not count twice.
      long current = Json.num(li, "currentQuantity");
      long refundedShipped = Math.max(0, Math.min(shipped, shipped + unfulfilled - current));
      long restocked = Math.min(refundedShipped, returned.getOrDefault(lineId, 0L));
      String sku = Json.optStr(li, "sku");
      if (location != null) {
        lines.add(new ChannelOrderLine(lineId, sku == null ? "" : sku, quantity, shipped, removed,
            restocked));
      } else {
        lines.addAll(OrderLocations.split(lineId, sku == null ? "" : sku, quantity, shipped,
            removed, restocked, shippedAt.getOrDefault(lineId, Map.of()),
            openByLine.getOrDefault(lineId, Map.of())));
      }
    }
    Instant updatedAt = Json.instant(o, "updatedAt");
    boolean cancelled = Json.optStr(o, "cancelledAt") != null;
    return new ChannelOrder(Json.str(o, "id"), version(updatedAt, cancelled, location, lines),
        Json.instant(o, "createdAt"), updatedAt, cancelled, location, lines);
  }

  /**
   * The order's version: {@code updatedAt} plus a digest of everything stock-relevant. Shopify's
   * {@code updatedAt} has whole seconds, so two changes within one second share it; the digest
   * still tells them apart, and the engine does not skip the second as already seen.
   */
  static String version(Instant updatedAt, boolean cancelled, @Nullable String location,
      List<ChannelOrderLine> lines) {
    StringBuilder content = new StringBuilder().append(cancelled).append('|').append(location);
    for (ChannelOrderLine line : lines) {
      content.append('|').append(line.lineId()).append(',').append(line.sku()).append(',')
          .append(line.quantity()).append(',').append(line.fulfilled()).append(',')
          .append(line.cancelled()).append(',').append(line.restocked()).append(',')
          .append(line.locationId());
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(content.toString().getBytes(StandardCharsets.UTF_8));
      return updatedAt + "#" + java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * Reads levels in chunks sized from the reported cost. A read that needs more points than the
   * bucket holds now pauses with a {@link RetryLaterException} before meeting {@code THROTTLED};
   * the items already read are carried over to the retry (once, for at most ten minutes), so a read
   * larger than the whole bucket still completes over several attempts.
   */
  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    Set<String> items = new LinkedHashSet<>();
    refs.forEach(r -> items.add(r.inventoryRef()));
    Map<StockRef, Long> found = new HashMap<>();
    Instant now = throttleClock.instant();
    List<String> all = new ArrayList<>();
    Map<String, CarriedRead> readNow = new LinkedHashMap<>();
    for (String item : items) {
      CarriedRead carried = carriedReads.remove(item);
      if (carried != null && carried.readAt().isAfter(now.minus(CARRY_FOR))) {
        carried.levels().forEach((location, q) -> found.put(new StockRef(item, location), q));
        readNow.put(item, carried); // carried again, with its own age, if this attempt pauses too
      } else {
        all.add(item);
      }
    }
    int from = 0;
    while (from < all.size()) {
      if (from > 0) {
        // Later chunks of one read: wait for the bucket rather than meet THROTTLED.
        int next = Math.min(all.size() - from, quantityReads.size());
        Duration wait = throttle.delayFor(estimate(quantityReads, next));
        if (!wait.isZero()) {
          carriedReads.putAll(readNow);
          throw new RetryLaterException("Shopify quantity read paused for the rate limit", wait, null);
        }
      }
      int start = from;
      int[] taken = {0};
      Map<String, Object> data = sized("InventoryItems", quantityReads, size -> {
        List<String> ids = all.subList(start, Math.min(all.size(), start + size));
        taken[0] = ids.size();
        return client.execute("InventoryItems", Queries.inventoryItems(levelsPerItem()),
            Map.of("ids", ids));
      });
      from += taken[0];
      for (Object n : Json.list(data, "nodes")) {
        if (n == null) {
          continue;
        }
        Map<String, Object> item = Json.asObj(n, "nodes[]");
        completeLevels(item);
        String id = Json.str(item, "id");
        Map<String, Long> levels = levels(item);
        readNow.put(id, new CarriedRead(now, levels));
        levels.forEach((location, q) -> found.put(new StockRef(id, location), q));
      }
    }
    Map<StockRef, Long> out = new LinkedHashMap<>();
    for (StockRef r : refs) {
      Long q = found.get(r);
      if (q != null) {
        out.put(r, q);
      }
    }
    return out;
  }

  @Override
  public List<PushResult> push(List<PushItem> items) {
    if (items.size() > MAX_BATCH) {
      throw new InvalidInputException("items", "at most " + MAX_BATCH + " per push: " + items.size());
    }
    PushResult[] results = new PushResult[items.size()];
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      todo.add(i);
    }
    // Shopify applies a mutation all or nothing: items without an error of their own were not
    // applied and go again without the failed ones, at most a few rounds.
    for (int round = 0; round < 3 && !todo.isEmpty(); round++) {
      todo = pushRound(items, todo, results);
    }
    for (int i : todo) {
      results[i] = new PushResult.Retryable("not applied after repeated batch errors", null);
    }
    return List.of(results);
  }

  private List<Integer> pushRound(List<PushItem> items, List<Integer> indexes, PushResult[] results) {
    List<Map<String, Object>> quantities = new ArrayList<>();
    StringBuilder keys = new StringBuilder();
    for (int i : indexes) {
      PushItem item = items.get(i);
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("inventoryItemId", item.ref().inventoryRef());
      q.put("locationId", item.ref().locationId());
      q.put("quantity", item.quantity());
      q.put("changeFromQuantity", item.expected()); // explicit null means "don't compare"
      quantities.add(q);
      keys.append(item.idempotencyKey()).append('\n');
    }
    String base = keys.toString();
    // Shopify refuses a key whose earlier attempt failed; a retry of the same change then needs
    // a new key, so keys carry a generation bumped on that answer.
    int generation = keyGenerations.getOrDefault(base, 0);
    String key = UUID.nameUUIDFromBytes((base + "#" + generation).getBytes(StandardCharsets.UTF_8))
        .toString();
    lastPushSize = indexes.size();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", "available");
    input.put("reason", "correction");
    input.put("referenceDocumentUri", "stocksync://push/" + key);
    input.put("quantities", quantities);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("input", input);
    vars.put("idempotencyKey", key);
    Map<String, Object> payload = Json.obj(
        client.execute("InventorySet", Queries.INVENTORY_SET, vars), "inventorySetQuantities");
    List<Object> errors = Json.list(payload, "userErrors");
    if (errors.isEmpty()) {
      for (int i : indexes) {
        PushItem item = items.get(i);
        results[i] = new PushResult.Confirmed(item.quantity());
        recentPushes.put(echoKey(item.ref()), item.quantity());
      }
      return List.of();
    }
    Map<Integer, String> failed = new LinkedHashMap<>();
    List<Integer> stale = new ArrayList<>();
    boolean retryAll = false;
    String general = null;
    for (Object e : errors) {
      Map<String, Object> error = Json.asObj(e, "userErrors[]");
      String code = String.valueOf(Json.optStr(error, "code"));
      String message = code + ": " + Json.optStr(error, "message");
      Integer position = position(error);
      if (code.equals("IDEMPOTENCY_CONCURRENT_REQUEST")) {
        retryAll = true;
      } else if (code.equals("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED")) {
        keyGenerations.merge(base, 1, Integer::sum);
        retryAll = true;
      } else if (position == null || position < 0 || position >= indexes.size()) {
        general = message;
      } else if (code.equals("CHANGE_FROM_QUANTITY_STALE") || code.equals("COMPARE_QUANTITY_STALE")) {
        stale.add(indexes.get(position));
      } else {
        failed.put(indexes.get(position), message);
      }
    }
    if (retryAll) {
      for (int i : indexes) {
        results[i] = new PushResult.Retryable("Shopify: same change still in flight", Duration.ofSeconds(1));
      }
      return List.of();
    }
    if (general != null && failed.isEmpty() && stale.isEmpty()) {
      throw new ChannelException("Shopify inventorySetQuantities failed: " + general, null);
    }
    failed.forEach((i, message) -> results[i] = new PushResult.Rejected(message));
    if (!stale.isEmpty()) {
      List<StockRef> refs = new ArrayList<>();
      stale.forEach(i -> refs.add(items.get(i).ref()));
      Map<StockRef, Long> actual;
      try {
        actual = readQuantities(refs);
      } catch (RetryLaterException e) {
        actual = Map.of();
      }
      for (int i : stale) {
        Long q = actual.get(items.get(i).ref());
        results[i] = q == null
            ? new PushResult.Retryable("stale, and the re-read failed", null)
            : new PushResult.Stale(q);
      }
    }
    List<Integer> again = new ArrayList<>();
    for (int i : indexes) {
      if (results[i] == null) {
        again.add(i);
      }
    }
    return again;
  }

  private static @Nullable Integer position(Map<String, Object> error) {
    List<Object> field = Json.list(error, "field");
    // ["input", "quantities", "3", "changeFromQuantity"]
    for (int i = 0; i + 1 < field.size(); i++) {
      if ("quantities".equals(field.get(i))) {
        try {
          return Integer.parseInt(String.valueOf(field.get(i + 1)));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * Estimates the wait before the next call so it fits in the shop's bucket, from the costs
   * Shopify reported for earlier calls of the same kind. Before a kind's first call the bucket
   * must have room for the largest query (1,000 points); the real cost is learned from the
   * answer.
   *
   * @param call the kind of call
   * @param items the batch size of a push or quantity read, 0 for a page
   * @return the wait, zero when the call fits now
   */
  @Override
  public Duration pacingDelay(ChannelCall call, int items) {
    double cost;
    switch (call) {
      case LISTINGS:
        BulkRun run = bulkRun;
        if (run != null) {
          if (run.result != null) {
            return Duration.ZERO; // served from memory
          }
          Duration untilPoll = Duration.between(throttleClock.instant(), run.nextPollAt);
          Duration bucket = throttle.delayFor(1);
          Duration wait = untilPoll.compareTo(bucket) > 0 ? untilPoll : bucket;
          return wait.isNegative() ? Duration.ZERO : wait;
        }
        // The next variant page may be larger than the last one: estimate it from the learned
        // cost curve, not from the last call's cost.
        cost = estimate(variantPages, variantPages.size());
        break;
      case ORDERS:
      case ORDER:
        cost = estimate(orderPages, orderPages.size());
        break;
      case QUANTITIES:
        // A read of n items takes ceil(n / chunk) calls of the learned chunk; the bucket must
        // hold them all (at most its size: Throttle caps the need there).
        int chunk = quantityReads.size();
        int calls = Math.max(1, (Math.max(1, items) + chunk - 1) / chunk);
        cost = estimate(quantityReads, Math.min(Math.max(1, items), chunk)) * calls;
        break;
      case PUSH:
      default:
        Double last = client.lastRequestedCost("InventorySet");
        // Assume base 10 + 1 per item until a cost is known. Then scale the last mutation's cost
        // up for a larger batch, never down: costs have a fixed part, so a smaller batch costs
        // more per item and scaling down would under-estimate and meet THROTTLED.
        if (last == null) {
          cost = 10 + items;
        } else {
          cost = items <= lastPushSize ? last : last * items / Math.max(1, lastPushSize);
        }
        break;
    }
    return cost <= 0 ? Duration.ZERO : throttle.delayFor(cost);
  }

  private static double estimate(PageSizer sizer, int n) {
    double e = sizer.estimate(n);
    return Double.isNaN(e) ? UNKNOWN_COST : e;
  }

  /**
   * Before a kind of call was ever answered its cost is unknown: wait until the bucket could take
   * the largest query Shopify allows (a wait only when the bucket is nearly empty, and once).
   */
  private static final double UNKNOWN_COST = MAX_QUERY_COST;

  /** Levels read by an attempt that paused for the rate limit, for its retry. */
  private record CarriedRead(Instant readAt, Map<String, Long> levels) {}

  private static final Duration CARRY_FOR = Duration.ofMinutes(10);
  private final java.util.concurrent.ConcurrentMap<String, CarriedRead> carriedReads =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile int lastPushSize = 1;

  /**
   * Tells whether an {@code inventory_levels/update} webhook is the echo of one of our own
   * recent pushes.
   *
   * @param inventoryItemId the inventory item's numeric id or gid
   * @param locationId the location's numeric id or gid
   * @param available the quantity the webhook reports
   * @return true when we pushed exactly this quantity there in the last ten minutes
   */
  public boolean isEchoOfOwnPush(String inventoryItemId, String locationId, long available) {
    // Consumed on its first match: a later store-side change landing on the same figure is real.
    return recentPushes.asMap().remove(numeric(inventoryItemId) + ":" + numeric(locationId),
        available);
  }

  /**
   * Creates the webhook handler for this shop.
   *
   * @param sink receives the engine triggers, typically {@code stockSync::handle}
   * @return the handler
   * @throws InvalidInputException if no webhook secret was configured
   */
  public ShopifyWebhookHandler webhookHandler(ShopifyWebhookHandler.Sink sink) {
    if (webhookSecret == null) {
      throw new InvalidInputException("webhookSecret", "configure the app's client secret first");
    }
    return new ShopifyWebhookHandler(this, webhookSecret, sink);
  }

  private static String echoKey(StockRef ref) {
    return numeric(ref.inventoryRef()) + ":" + numeric(ref.locationId());
  }

  static String numeric(String gidOrNumber) {
    int slash = gidOrNumber.lastIndexOf('/');
    return slash < 0 ? gidOrNumber : gidOrNumber.substring(slash + 1);
  }

  private static @Nullable String nextCursor(Map<String, Object> connection) {
    Map<String, Object> info = Json.optObj(connection, "pageInfo");
    if (info == null || !Json.bool(info, "hasNextPage")) {
      return null;
    }
    return Json.str(info, "endCursor");
  }

  @Override
  public void close() {
    if (ownsClient) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /**
   * Replaces the access token and the webhook secret wherever they occur in the text (OkHttp and
   * other transport layers may quote a header value in their own messages).
   *
   * @param text a message that may quote a secret, or null
   * @return the text with each secret replaced by {@code [redacted]}, or null
   */
  @Override
  public @Nullable String redact(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String out = text.replace(accessToken, REDACTED);
    if (webhookSecret != null && !webhookSecret.isEmpty()) {
      out = out.replace(webhookSecret, REDACTED);
    }
    return out;
  }

  private static final String REDACTED = "[redacted]";

  /** Names the shop and API version; never the token or secret. */
  @Override
  public String toString() {
    return "ShopifyConnector{shop=" + shopDomain + ", apiVersion=" + API_VERSION + "}";
  }

  /** Builds a {@link ShopifyConnector}. Not thread-safe. */
  public static final class Builder {
    private static final java.util.regex.Pattern BARE_HOST = java.util.regex.Pattern.compile(
        "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private String shopDomain = "";
    private String accessToken = "";
    private @Nullable String webhookSecret;
    private @Nullable HttpUrl baseUrl;
    private @Nullable OkHttpClient client;
    private Clock clock = Clock.systemUTC();
    private int bulkThreshold = DEFAULT_BULK_THRESHOLD;

    private Builder() {}

    /**
     * Sets from how many variants a full listing import (no {@code changedSince}) reads the
     * catalogue with one Shopify bulk query instead of paging. The import's first page also asks
     * {@code productVariantsCount} (one point more); above the threshold the rest of the import is
     * a bulk query (the first page is not read twice): the connector starts it, polls
     * it while the engine waits on its scheduler ({@link ShopifyConnector#pacingDelay}), and
     * streams the JSONL result. If the shop's bulk queries are busy, or the query fails or is
     * cancelled, the import pages as below the threshold. Default {@value
     * ShopifyConnector#DEFAULT_BULK_THRESHOLD}; {@link Integer#MAX_VALUE} always pages.
     *
     * @param variants the threshold, zero or more
     * @return this builder
     * @throws InvalidInputException naming {@code bulkThreshold} when negative
     */
    public Builder bulkThreshold(int variants) {
      if (variants < 0) {
        throw new InvalidInputException("bulkThreshold", "must be 0 or more: " + variants);
      }
      this.bulkThreshold = variants;
      return this;
    }

    /**
     * Sets the shop's permanent domain, e.g. {@code example.myshopify.com}. Required; it is the
     * store's external id.
     *
     * @param domain the domain
     * @return this builder
     */
    public Builder shopDomain(String domain) {
      this.shopDomain = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the Admin API access token (custom app or OAuth offline token). Required; secret.
     *
     * @param token the token
     * @return this builder
     */
    public Builder accessToken(String token) {
      this.accessToken = token == null ? "" : token.strip();
      return this;
    }

    /**
     * Sets the app's client secret, used to verify webhooks. Optional; secret.
     *
     * @param secret the secret
     * @return this builder
     */
    public Builder webhookSecret(@Nullable String secret) {
      this.webhookSecret = secret;
      return this;
    }

    /**
     * Overrides {@code https://{shopDomain}/}, for tests against an emulator. Only with this
     * override may the shop domain be something other than {@code *.myshopify.com}.
     *
     * @param url the base URL
     * @return this builder
     * @throws InvalidInputException naming {@code baseUrl} when it is null
     */
    public Builder baseUrl(HttpUrl url) {
      if (url == null) {
        throw new InvalidInputException("baseUrl", "required when set");
      }
      this.baseUrl = url;
      return this;
    }

    /**
     * Supplies the OkHttp client to derive from (its pool, timeouts, proxies). Default: a new
     * client, closed with the connector.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(OkHttpClient client) {
      this.client = client;
      return this;
    }

    /**
     * Sets the clock used to extrapolate the rate-limit bucket. Default: the UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     * @throws InvalidInputException naming {@code clock} when it is null
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new InvalidInputException("clock", "required; leave unset for the UTC system clock");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Builds the connector. Makes no network call.
     *
     * @return the connector
     * @throws InvalidInputException naming {@code shopDomain} when the domain is missing or not a
     *     bare host name (no scheme, user info, port, path, query or fragment; {@code
     *     *.myshopify.com} unless a test {@link #baseUrl(HttpUrl)} is set), {@code accessToken}
     *     when the token is missing or holds a character an HTTP header cannot carry (the message
     *     never quotes the token), {@code webhookSecret} when a secret was given but is blank
     */
    public ShopifyConnector build() {
      if (shopDomain.isEmpty()) {
        throw new InvalidInputException("shopDomain", "required, e.g. example.myshopify.com");
      }
      if (!BARE_HOST.matcher(shopDomain).matches() || shopDomain.length() > 253) {
        // The domain becomes the request URL's host: anything but a bare host name could send
        // the token elsewhere ("shop.myshopify.com@attacker", "attacker#.myshopify.com").
        throw new InvalidInputException("shopDomain",
            "must be a bare host name such as example.myshopify.com (letters, digits, '-' and '.';"
                + " no scheme, user info, port, path, query or fragment)");
      }
      if (baseUrl == null && !shopDomain.endsWith(".myshopify.com")) {
        throw new InvalidInputException("shopDomain",
            "must be the shop's permanent *.myshopify.com domain, not a custom domain");
      }
      if (accessToken.isEmpty()) {
        throw new InvalidInputException("accessToken", "required");
      }
      int bad = firstNonHeaderChar(accessToken);
      if (bad >= 0) {
        // Never quote the token or the character: a pasted token is a secret even when mangled.
        throw new InvalidInputException("accessToken",
            "holds a character an HTTP header cannot carry at position " + bad
                + " (a pasted space or non-ASCII character?)");
      }
      if (webhookSecret != null && webhookSecret.isBlank()) {
        throw new InvalidInputException("webhookSecret",
            "must not be blank; leave it unset to receive no webhooks");
      }
      return new ShopifyConnector(this);
    }

    /** The index of the first character outside visible ASCII, or -1. */
    private static int firstNonHeaderChar(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x21 || c > 0x7e) {
          return i;
        }
      }
      return -1;
    }

    /** Names the shop; never the token or secret. */
    @Override
    public String toString() {
      return "ShopifyConnector.Builder{shop=" + shopDomain + "}";
    }
  }
}
