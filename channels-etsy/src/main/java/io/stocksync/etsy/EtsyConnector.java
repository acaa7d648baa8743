package io.stocksync.etsy;

import com.squareup.moshi.JsonAdapter;
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
import io.stocksync.core.channel.RequestBudget;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.channel.StoreIdentity;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.etsy.internal.EtsyApi;
import io.stocksync.etsy.internal.EtsyApiException;
import io.stocksync.etsy.internal.EtsyClient;
import io.stocksync.core.internal.Json;
import io.stocksync.etsy.internal.RateBudget;
import io.stocksync.oauth.AccessTokenHeader;
import io.stocksync.oauth.ExpiredTokenSignal;
import io.stocksync.oauth.OAuthTokenSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Retrofit;

/**
 * A {@link ChannelConnector} for one Etsy shop over Open API v3.
 *
 * <pre>{@code
 * EtsyConnector shop = EtsyConnector.builder()
 *     .shopId(12345678)
 *     .apiKey(keystring, sharedSecret)
 *     .tokens(oauthTokenSource)          // refreshed and rotated by io.stocksync.oauth
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Listings.</b> A shop has one implicit location, {@value #LOCATION_ID}. Every product of
 *       a listing that carries a SKU is one listing to the engine, with id {@code
 *       {listing_id}:{sku}} (Etsy issues new product ids on every inventory write, so they cannot
 *       name a product for long). Listings are read per state in pages of 100, each page's
 *       inventory in one batch read; {@code offset} stops at 12,000, so a state is scanned oldest
 *       first and, past the cap, newest first down to where the first window ended (up to about
 *       24,000 listings per state). States: {@code active} → ACTIVE, {@code sold_out} → SOLD_OUT,
 *       {@code draft} → DRAFT, {@code inactive} → INACTIVE unless the hub deactivated it (then
 *       SOLD_OUT with quantity 0, so stock coming back reaches it), {@code expired} → INACTIVE.
 *   <li><b>Push</b> is a read-modify-write of whole inventories: the batch's listings are re-read
 *       just before writing, only the pushed SKUs' quantities change, and every product goes back
 *       with its offering's {@code price} (as the decimal Etsy wants on write), {@code
 *       is_enabled}, {@code readiness_state_id} and the {@code *_on_property} arrays as read.
 *       Etsy has no compare-and-set: the re-read figure is the prior quantity, and one that moved
 *       since the engine's plan answers {@link PushResult.Stale}. Quantities above {@value
 *       #MAX_QUANTITY} are clamped and reported ({@link EtsyNotice.Clamped}).
 *   <li><b>Zero and sold out.</b> Etsy refuses an inventory of zeros: when every product of a
 *       listing would be 0 it is set {@code inactive} instead, its last unit left in place, and
 *       remembered ({@link DeactivatedListings}); stock returning reactivates it. A listing that
 *       sold out on Etsy is renewed ({@code state=active}, a fee for the seller, {@link
 *       EtsyNotice.Renewed}) only when {@link StoreOptions#autoRenewSoldOut()} is on; else it is
 *       left alone and reported. A listing the seller deactivated is never reactivated.
 *   <li><b>Orders</b> are receipts changed since the cursor ({@code min_last_modified}, oldest
 *       change first, keyset pages). Each transaction is a line by SKU. A shipped receipt is
 *       fulfilled; a canceled one released. Etsy's refunds say nothing about returned goods, so a
 *       refund never restocks; a refunded receipt that is also canceled is released.
 *   <li><b>Rate limits.</b> Calls are paced from {@code x-limit-per-second} over a sliding
 *       second (the builder's figures until Etsy's headers arrive); a 429 blocks until its {@code
 *       retry-after}. What is left of the sliding day's budget is reported to the engine ({@link
 *       #requestBudget()}), which coalesces pushes as it runs down. When it falls to its
 *       reserve, listing and quantity reads wait and pushes that raise stock are deferred, while
 *       decreases and order reads go on ({@link EtsyNotice.DailyBudgetLow}).
 * </ul>
 *
 * <p>Thread-safe. The API key and tokens are sent only in headers and never appear in logs,
 * exceptions or {@link #toString()}; {@link #redact(String)} strips them from any text.
 */
public final class EtsyConnector implements ChannelConnector {
  /** The channel name in {@link StoreId}s. */
  public static final String CHANNEL = "etsy";
  /** The id of the shop's one implicit location. */
  public static final String LOCATION_ID = "shop";
  /** The largest quantity Etsy accepts on an offering. */
  public static final int MAX_QUANTITY = 999;
  /** The fee Etsy publishes for renewing a listing. */
  public static final String RENEWAL_FEE = "USD 0.20";

  private static final Logger log = LoggerFactory.getLogger(EtsyConnector.class);
  private static final int PAGE = 100;
  private static final int MAX_OFFSET = 12_000;
  private static final long MIN_TIMESTAMP = 946_684_800L;
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final List<String> FULL_STATES = List.of("active", "sold_out", "inactive", "expired");
  private static final List<String> ALL_STATES =
      List.of("active", "sold_out", "inactive", "expired", "draft");
  /** How long reads and increases wait when the day's budget is at its reserve. */
  static final Duration LOW_BUDGET_PAUSE = Duration.ofMinutes(15);

  private final long shopId;
  private final StoreId storeId;
  private final String apiKey;
  private final @Nullable OAuthTokenSource tokens;
  private final String staticToken;
  private final EtsyApi api;
  private final EtsyClient client;
  private final RateBudget budget;
  private final OkHttpClient http;
  private final boolean ownsClient;
  private final int maxBatch;
  private final double dailyReserve;
  private final DeactivatedListings deactivated;
  private final Consumer<EtsyNotice> notices;
  private final JsonAdapter<Object> json;
  private volatile boolean autoRenewSoldOut = true;
  private volatile boolean budgetLowReported;
  /** Writes (inventory PUTs and state PATCHes) per listing pushed, learned; 1 until known. */
  private volatile double writeShare = 1.0;

  private EtsyConnector(Builder b) {
    this.shopId = b.shopId;
    this.storeId = StoreId.of(CHANNEL, Long.toString(shopId));
    this.apiKey = b.keystring + ":" + b.sharedSecret;
    this.tokens = b.tokens;
    this.staticToken = b.staticToken;
    this.maxBatch = b.maxBatch;
    this.dailyReserve = b.dailyReserve;
    this.deactivated = b.deactivated;
    this.notices = b.notices != null ? b.notices : EtsyConnector::logNotice;
    this.ownsClient = b.client == null;
    OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
    String key = apiKey;
    OkHttpClient.Builder hb = base.newBuilder()
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .header("x-api-key", key)
            .header("User-Agent", "stocksync/0.1")
            .build()));
    if (tokens != null) {
      // Bearer from the shared OAuth piece: refreshed ahead of expiry, rotated, and on a 401
      // refreshed once and the call retried once.
      hb.addInterceptor(tokens.interceptor(AccessTokenHeader.bearer(), ExpiredTokenSignal.etsy()));
    } else {
      String t = staticToken;
      hb.addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
          .header("Authorization", "Bearer " + t).build()));
    }
    this.http = hb.build();
    HttpUrl baseUrl = b.baseUrl != null ? b.baseUrl : HttpUrl.get("https://openapi.etsy.com/");
    Moshi moshi = new Moshi.Builder().build();
    this.json = moshi.adapter(Object.class).serializeNulls();
    this.api = new Retrofit.Builder().baseUrl(baseUrl).client(http).build().create(EtsyApi.class);
    this.budget = new RateBudget(b.clock, b.requestsPerSecond, b.requestsPerDay);
    this.client = new EtsyClient(budget, moshi, text -> String.valueOf(redact(text)));
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
    // compareAndSet: emulated by the re-read just before each write (Etsy has none of its own).
    return new ChannelCapabilities(maxBatch, true, false, true, 0);
  }

  @Override
  public void storeOptions(StoreOptions options) {
    this.autoRenewSoldOut = options.autoRenewSoldOut();
  }

  @Override
  public StoreIdentity identity() {
    Map<String, Object> me = client.execute("getMe", api.getMe());
    long ownShop = Json.num(me, "shop_id");
    if (ownShop != shopId) {
      throw new ChannelException("the token belongs to the owner of shop " + ownShop + ", not "
          + shopId, null);
    }
    Map<String, Object> shop = client.execute("getShop", api.getShop(shopId));
    return new StoreIdentity(storeId, Json.optStr(shop, "shop_name"));
  }

  @Override
  public List<ChannelLocation> locations() {
    return List.of(new ChannelLocation(LOCATION_ID, "Etsy shop", true, false));
  }

  // ================================================================= listings

  /** Where a listing scan stands: state, window (0 oldest first, 1 newest first), offset. */
  private record ScanToken(int state, int window, int offset, long boundary) {
    static ScanToken parse(@Nullable String token) {
      if (token == null) {
        return new ScanToken(0, 0, 0, 0);
      }
      String[] p = token.split(":");
      try {
        return new ScanToken(Integer.parseInt(p[0]), Integer.parseInt(p[1]),
            Integer.parseInt(p[2]), Long.parseLong(p[3]));
      } catch (RuntimeException e) {
        throw new InvalidInputException("pageToken", "not a token of this connector");
      }
    }

    String format() {
      return state + ":" + window + ":" + offset + ":" + boundary;
    }
  }

  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    List<String> states = query.changedSince() != null ? ALL_STATES
        : query.includeDrafts() ? ALL_STATES : FULL_STATES;
    ScanToken t = ScanToken.parse(query.pageToken());
    if (t.state >= states.size()) {
      return new Page<>(List.of(), null);
    }
    String state = states.get(t.state);
    boolean incremental = query.changedSince() != null;
    String sortOn = incremental ? "updated" : "created";
    String sortOrder = incremental || t.window == 1 ? "desc" : "asc";
    Map<String, Object> page = client.execute("getListingsByShop",
        api.getListingsByShop(shopId, state, PAGE, t.offset, sortOn, sortOrder));
    List<Object> results = Json.list(page, "results");
    List<Long> ids = new ArrayList<>();
    boolean done = results.size() < PAGE;
    long lastKey = t.boundary;
    for (Object o : results) {
      Map<String, Object> l = Json.asObj(o, "results[]");
      long id = Json.num(l, "listing_id");
      if (incremental) {
        if (Json.num(l, "last_modified_timestamp") < query.changedSince().getEpochSecond()) {
          done = true;
          break;
        }
      } else if (t.window == 1 && id <= t.boundary) {
        done = true; // reached what the oldest-first window already covered
        break;
      }
      ids.add(id);
      if (t.window == 0) {
        lastKey = Math.max(lastKey, id); // window 1 keeps window 0's end as its boundary
      }
    }
    List<ChannelListing> out = new ArrayList<>();
    for (Inventory inv : readInventories(ids).values()) {
      out.addAll(toListings(inv));
    }
    ScanToken next;
    int nextOffset = t.offset + PAGE;
    if (!done && nextOffset + PAGE <= MAX_OFFSET) {
      next = new ScanToken(t.state, t.window, nextOffset, lastKey);
    } else if (!done && t.window == 0 && !incremental) {
      // Past the offset cap: continue newest first, down to the newest listing seen so far.
      next = new ScanToken(t.state, 1, 0, lastKey);
    } else {
      if (!done) {
        log.warn("{} more listings in state {} than Etsy's offset cap lets us read; the rest"
            + " are skipped this run", storeId, state);
      }
      next = t.state + 1 < states.size() ? new ScanToken(t.state + 1, 0, 0, 0) : null;
    }
    return new Page<>(out, next == null ? null : next.format());
  }

  private List<ChannelListing> toListings(Inventory inv) {
    ListingStatus status = status(inv);
    boolean hubOff = hubDeactivated(inv);
    List<ChannelListing> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Product p : inv.products) {
      Sku sku;
      try {
        sku = Sku.ofNullable(p.sku);
      } catch (InvalidInputException e) {
        sku = null;
      }
      if (sku == null || !seen.add(sku.value())) {
        continue; // no SKU: not imported; a SKU repeated within a listing: reported once
      }
      String id = inv.listingId + ":" + sku.value();
      String title = p.values.isEmpty() ? inv.title : inv.title + " / " + String.join(", ", p.values);
      long quantity = hubOff ? 0 : p.quantity();
      out.add(new ChannelListing(id, id, sku, status, title, true,
          Map.of(LOCATION_ID, quantity), Instant.ofEpochSecond(inv.modified)));
    }
    return out;
  }

  private ListingStatus status(Inventory inv) {
    switch (inv.state) {
      case "active":
        return ListingStatus.ACTIVE;
      case "sold_out":
        return ListingStatus.SOLD_OUT;
      case "draft":
        return ListingStatus.DRAFT;
      case "inactive":
        return hubDeactivated(inv) ? ListingStatus.SOLD_OUT : ListingStatus.INACTIVE;
      default:
        return ListingStatus.INACTIVE;
    }
  }

  private boolean hubDeactivated(Inventory inv) {
    return inv.state.equals("inactive") && deactivated.contains(inv.listingId);
  }

  // ================================================================= inventory reads

  /** Reads listings with their inventories, 100 per request; absent ids are left out. */
  private Map<Long, Inventory> readInventories(Iterable<Long> listingIds) {
    List<Long> ids = new ArrayList<>();
    listingIds.forEach(ids::add);
    Map<Long, Inventory> out = new LinkedHashMap<>();
    for (int from = 0; from < ids.size(); from += PAGE) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + PAGE));
      Map<String, Object> page;
      try {
        page = client.execute("getListingsInventoryByListingIds",
            api.getListingsInventoryByListingIds(chunk));
      } catch (EtsyApiException e) {
        if (e.status() != 404) {
          throw e;
        }
        // One of them is gone and Etsy fails the whole batch: read them one by one.
        for (long id : chunk) {
          Inventory one = readOne(id);
          if (one != null) {
            out.put(id, one);
          }
        }
        continue;
      }
      for (Object o : Json.list(page, "results")) {
        Map<String, Object> l = Json.asObj(o, "results[]");
        Inventory inv = Inventory.parse(l, Json.obj(l, "inventory"));
        out.put(inv.listingId, inv);
      }
    }
    return out;
  }

  private @Nullable Inventory readOne(long listingId) {
    try {
      Map<String, Object> page = client.execute("getListingsInventoryByListingIds",
          api.getListingsInventoryByListingIds(List.of(listingId)));
      for (Object o : Json.list(page, "results")) {
        Map<String, Object> l = Json.asObj(o, "results[]");
        return Inventory.parse(l, Json.obj(l, "inventory"));
      }
      return null;
    } catch (EtsyApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    Map<Long, List<StockRef>> byListing = new LinkedHashMap<>();
    for (StockRef ref : refs) {
      Ref r = Ref.parse(ref);
      if (r != null) {
        byListing.computeIfAbsent(r.listingId, k -> new ArrayList<>()).add(ref);
      }
    }
    Map<Long, Inventory> inventories = readInventories(byListing.keySet());
    Map<StockRef, Long> out = new LinkedHashMap<>();
    for (StockRef ref : refs) {
      Ref r = Ref.parse(ref);
      Inventory inv = r == null ? null : inventories.get(r.listingId);
      if (inv == null) {
        continue;
      }
      List<Integer> products = inv.productsWithSku(r.sku);
      if (!products.isEmpty()) {
        out.put(ref, hubDeactivated(inv) ? 0 : inv.products.get(products.get(0)).quantity());
      }
    }
    return out;
  }

  // ================================================================= push

  @Override
  public List<PushResult> push(List<PushItem> items) {
    if (items.size() > maxBatch) {
      throw new InvalidInputException("items", "at most " + maxBatch + " per push: " + items.size());
    }
    PushResult[] results = new PushResult[items.size()];
    Map<Long, List<Integer>> byListing = new LinkedHashMap<>();
    boolean low = dailyBudgetLow();
    for (int i = 0; i < items.size(); i++) {
      PushItem item = items.get(i);
      Ref r = Ref.parse(item.ref());
      if (r == null) {
        results[i] = new PushResult.Rejected("not an Etsy listing-location: " + item.ref());
      } else if (low && !isDecrease(item)) {
        results[i] = new PushResult.Retryable(
            "Etsy daily request budget is kept for decreases and order reads", LOW_BUDGET_PAUSE);
      } else {
        byListing.computeIfAbsent(r.listingId, k -> new ArrayList<>()).add(i);
      }
    }
    if (byListing.isEmpty()) {
      return List.of(results);
    }
    // The re-read just before writing: one request for up to 100 listings.
    Map<Long, Inventory> current = readInventories(byListing.keySet());
    int[] sent = {0};
    int processed = 0;
    RetryLaterException stopped = null;
    for (Map.Entry<Long, List<Integer>> e : byListing.entrySet()) {
      List<Integer> idx = e.getValue();
      if (stopped == null) {
        try {
          processed++;
          pushListing(e.getKey(), idx, items, current.get(e.getKey()), results, sent);
        } catch (RetryLaterException ex) {
          stopped = ex; // the per-second budget is spent, or Etsy answered 429/5xx
        } catch (EtsyApiException ex) {
          for (int i : idx) {
            if (results[i] == null) {
              results[i] = new PushResult.Rejected(String.valueOf(ex.getMessage()));
            }
          }
        }
      }
      if (stopped != null) {
        // What was answered stands; the rest waits. A listing cut off half way is re-read on
        // the retry, so a renewal or deactivation that landed is seen and not repeated.
        for (int i : idx) {
          if (results[i] == null) {
            results[i] = new PushResult.Retryable(String.valueOf(stopped.getMessage()),
                stopped.retryAfter().orElse(null));
          }
        }
      }
    }
    // Learn how many writes a listing needs, so pacing asks for what the next batch will use:
    // a hard refresh of unchanged listings needs only the batch read.
    double observed = processed == 0 ? writeShare : Math.min(2.0, sent[0] / (double) processed);
    writeShare = (writeShare + observed) / 2;
    return List.of(results);
  }

  private static boolean isDecrease(PushItem item) {
    return item.quantity() == 0 || (item.expected() != null && item.quantity() < item.expected());
  }

  /** Pushes one listing's items; returns whether anything was sent that changes Etsy. */
  private boolean pushListing(long listingId, List<Integer> idx, List<PushItem> items,
      @Nullable Inventory inv, PushResult[] results, int[] sent) {
    if (inv == null) {
      idx.forEach(i -> results[i] = new PushResult.Rejected("listing " + listingId + " not found on Etsy"));
      return false;
    }
    if (deactivated.contains(listingId) && !inv.state.equals("inactive")) {
      deactivated.remove(listingId); // the seller changed it since: no longer ours
    }
    boolean hubOff = hubDeactivated(inv);
    if (inv.state.equals("inactive") && !hubOff) {
      idx.forEach(i -> results[i] = new PushResult.Rejected(
          "listing " + listingId + " was deactivated by the seller on Etsy; the hub never reactivates it"));
      return false;
    }
    if (inv.state.equals("expired")) {
      idx.forEach(i -> results[i] = new PushResult.Rejected(
          "listing " + listingId + " expired on Etsy; renew it on etsy.com"));
      return false;
    }
    long[] now = new long[inv.products.size()];
    for (int p = 0; p < now.length; p++) {
      now[p] = hubOff ? 0 : inv.products.get(p).quantity();
    }
    long[] next = now.clone();
    List<Integer> writing = new ArrayList<>();
    Map<Integer, Long> confirmed = new LinkedHashMap<>();
    List<String> skus = new ArrayList<>();
    for (int i : idx) {
      PushItem item = items.get(i);
      Ref r = Ref.parse(item.ref());
      List<Integer> products = inv.productsWithSku(r.sku);
      if (products.isEmpty()) {
        results[i] = new PushResult.Rejected("listing " + listingId + " has no product with SKU " + r.sku);
        continue;
      }
      long actual = now[products.get(0)];
      long q = Math.min(item.quantity(), MAX_QUANTITY);
      if (item.expected() != null && actual != item.expected() && actual != q) {
        results[i] = new PushResult.Stale(actual); // moved since the plan: the engine re-plans
        continue;
      }
      if (q < item.quantity()) {
        notices.accept(new EtsyNotice.Clamped(storeId, item.ref(), item.quantity(), q));
      }
      products.forEach(p -> next[p] = q);
      writing.add(i);
      confirmed.put(i, q);
      skus.add(r.sku);
    }
    if (writing.isEmpty()) {
      return false;
    }
    boolean allZero = Arrays.stream(next).allMatch(q -> q == 0);
    boolean changed = false;
    switch (inv.state) {
      case "sold_out" -> {
        if (allZero) {
          break; // already unavailable
        }
        if (!autoRenewSoldOut) {
          notices.accept(new EtsyNotice.NotRenewed(storeId, listingId, skus));
          writing.forEach(i -> results[i] = new PushResult.Rejected("listing " + listingId
              + " sold out on Etsy and auto-renew is off for this store; renew it on etsy.com"));
          return false;
        }
        // Renew first (Etsy sets quantity 1 on renewal), then set the real quantities.
        setState(listingId, "active", sent);
        changed = true;
        notices.accept(new EtsyNotice.Renewed(storeId, listingId, skus, RENEWAL_FEE));
        writeInventory(inv, next, sent);
      }
      case "inactive" -> { // deactivated by the hub
        if (allZero) {
          break;
        }
        writeInventory(inv, next, sent);
        changed = true;
        setState(listingId, "active", sent);
        deactivated.remove(listingId);
        notices.accept(new EtsyNotice.Reactivated(storeId, listingId));
      }
      default -> { // active, draft
        if (allZero) {
          if (inv.state.equals("draft")) {
            writing.forEach(i -> results[i] = new PushResult.Rejected("Etsy refuses 0 on every"
                + " offering, and the hub does not deactivate drafts"));
            return false;
          }
          setState(listingId, "inactive", sent);
          changed = true;
          deactivated.add(listingId);
          notices.accept(new EtsyNotice.Deactivated(storeId, listingId));
          // Keep one unit where the most stock was: Etsy accepts no inventory of zeros.
          int keeper = 0;
          for (int p = 1; p < now.length; p++) {
            if (now[p] > now[keeper]) {
              keeper = p;
            }
          }
          next[keeper] = 1;
          if (!Arrays.equals(next, now)) {
            writeInventory(inv, next, sent);
          }
        } else if (!Arrays.equals(next, now)) {
          writeInventory(inv, next, sent);
          changed = true;
        }
      }
    }
    confirmed.forEach((i, q) -> results[i] = new PushResult.Confirmed(q));
    return changed;
  }

  private void setState(long listingId, String state, int[] sent) {
    ensureRoom();
    sent[0]++;
    client.execute("updateListing", api.updateListingState(shopId, listingId, state));
  }

  private void writeInventory(Inventory inv, long[] quantities, int[] sent) {
    ensureRoom();
    sent[0]++;
    String body = json.toJson(inv.toWriteBody(quantities));
    client.execute("updateListingInventory",
        api.updateListingInventory(inv.listingId, RequestBody.create(body, JSON_TYPE)));
  }

  /** Stops a batch before a write that would go over the per-second limit. */
  private void ensureRoom() {
    Duration wait = budget.delayFor(1);
    if (!wait.isZero()) {
      throw new RetryLaterException("Etsy per-second budget used up within this batch", wait, null);
    }
  }

  // ================================================================= orders

  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    long min = Math.max(MIN_TIMESTAMP, query.updatedSince().getEpochSecond());
    int skip = 0;
    if (query.pageToken() != null) {
      String[] p = query.pageToken().split(":");
      try {
        min = Long.parseLong(p[0]);
        skip = Integer.parseInt(p[1]);
      } catch (RuntimeException e) {
        throw new InvalidInputException("pageToken", "not a token of this connector");
      }
    }
    // Keyset paging on the update time: a receipt that changes while we page moves ahead of
    // us instead of shifting an offset under our feet.
    Map<String, Object> page = client.execute("getShopReceipts",
        api.getShopReceipts(shopId, min, "updated", "asc", PAGE, Math.min(skip, MAX_OFFSET)));
    List<Object> results = Json.list(page, "results");
    List<ChannelOrder> out = new ArrayList<>();
    long last = min;
    int sameAsLast = skip;
    for (Object o : results) {
      Map<String, Object> r = Json.asObj(o, "results[]");
      ChannelOrder order = order(r);
      out.add(order);
      long updated = order.updatedAt().getEpochSecond();
      if (updated == last) {
        sameAsLast++;
      } else {
        last = updated;
        sameAsLast = 1;
      }
    }
    String next = results.size() < PAGE ? null : last + ":" + sameAsLast;
    return new Page<>(out, next);
  }

  private ChannelOrder order(Map<String, Object> r) {
    String status = String.valueOf(Json.optStr(r, "status")).toLowerCase(Locale.ROOT);
    boolean canceled = status.equals("canceled");
    boolean shipped = Json.bool(r, "is_shipped");
    List<ChannelOrderLine> lines = new ArrayList<>();
    for (Object o : Json.list(r, "transactions")) {
      Map<String, Object> t = Json.asObj(o, "transactions[]");
      long quantity = Json.num(t, "quantity");
      String sku = Json.optStr(t, "sku");
      lines.add(new ChannelOrderLine(String.valueOf(Json.num(t, "transaction_id")),
          sku == null ? "" : sku, quantity, shipped && !canceled ? quantity : 0, 0, 0));
    }
    long updated = Json.num(r, "updated_timestamp");
    // Several changes may share a second: the version also carries what changed.
    String version = updated + ":" + status + ":" + shipped + ":" + Json.list(r, "refunds").size();
    return new ChannelOrder(String.valueOf(Json.num(r, "receipt_id")), version,
        Instant.ofEpochSecond(Json.num(r, "created_timestamp")), Instant.ofEpochSecond(updated),
        canceled, LOCATION_ID, lines);
  }

  // ================================================================= pacing

  /**
   * Tells how long to wait so the call's requests fit in Etsy's per-second limit, and holds
   * listing and quantity reads while the day's budget is at its reserve.
   *
   * @param call the kind of call
   * @param items the batch size of a push or quantity read, 0 for a page
   * @return the wait, zero when the call may go now
   */
  @Override
  public Duration pacingDelay(ChannelCall call, int items) {
    int requests = switch (call) {
      case LISTINGS -> 2;
      case ORDERS, ORDER -> 1;
      case QUANTITIES -> Math.max(1, (items + PAGE - 1) / PAGE);
      case PUSH -> 1 + Math.max(1, (int) Math.ceil(Math.max(1, items) * writeShare));
    };
    Duration wait = budget.delayFor(requests);
    if ((call == ChannelCall.LISTINGS || call == ChannelCall.QUANTITIES) && dailyBudgetLow()) {
      wait = wait.compareTo(LOW_BUDGET_PAUSE) > 0 ? wait : LOW_BUDGET_PAUSE;
    }
    return wait;
  }

  /**
   * Tells what is left of Etsy's requests per sliding day, from the last {@code
   * x-remaining-today} counted down by every request since, with this connector's reserve for
   * decreases and order reads ({@link Builder#dailyReserve}), so the engine coalesces pushes as
   * the day's budget runs down and keeps increases back at the reserve.
   *
   * @return the budget, or empty before Etsy first told it
   */
  @Override
  public Optional<RequestBudget> requestBudget() {
    long remaining = budget.remainingToday();
    if (remaining < 0) {
      return Optional.empty();
    }
    long perDay = budget.perDay();
    long reserve = Math.min(perDay, (long) Math.ceil(perDay * dailyReserve));
    return Optional.of(new RequestBudget(remaining, perDay, reserve));
  }

  private boolean dailyBudgetLow() {
    long remaining = budget.remainingToday();
    if (remaining < 0) {
      return false;
    }
    long reserve = (long) Math.ceil(budget.perDay() * dailyReserve);
    boolean low = remaining <= reserve;
    if (low && !budgetLowReported) {
      notices.accept(new EtsyNotice.DailyBudgetLow(storeId, remaining, budget.perDay()));
    }
    budgetLowReported = low;
    return low;
  }

  // ================================================================= webhooks, secrets

  /**
   * Creates the handler for this shop's Standard-Webhooks-signed order events.
   *
   * @param signingSecret the subscription's secret, {@code whsec_...}
   * @param clock the clock to judge timestamps by
   * @param sink receives the engine triggers, typically {@code stockSync::handle}
   * @return the handler
   * @throws InvalidInputException if the secret is not base64
   */
  public EtsyWebhookHandler webhookHandler(String signingSecret, Clock clock,
      EtsyWebhookHandler.Sink sink) {
    return new EtsyWebhookHandler(storeId, shopId, signingSecret, clock, sink);
  }

  @Override
  public @Nullable String redact(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String out = text.replace(apiKey, "[redacted]");
    int colon = apiKey.indexOf(':');
    String secret = apiKey.substring(colon + 1);
    if (!secret.isEmpty()) {
      out = out.replace(secret, "[redacted]");
    }
    if (!staticToken.isEmpty()) {
      out = out.replace(staticToken, "[redacted]");
    }
    return tokens == null ? out : tokens.redact(out);
  }

  @Override
  public void close() {
    if (ownsClient) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /** Names the shop; never the key or tokens. */
  @Override
  public String toString() {
    return "EtsyConnector{shop=" + shopId + "}";
  }

  private static void logNotice(EtsyNotice notice) {
    if (notice instanceof EtsyNotice.Renewed || notice instanceof EtsyNotice.DailyBudgetLow
        || notice instanceof EtsyNotice.NotRenewed) {
      log.warn("{}", notice);
    } else {
      log.info("{}", notice);
    }
  }

  // ================================================================= model

  /** A listing-location reference, {@code {listing_id}:{sku}}. */
  private record Ref(long listingId, String sku) {
    static @Nullable Ref parse(StockRef ref) {
      if (!LOCATION_ID.equals(ref.locationId())) {
        return null;
      }
      String s = ref.inventoryRef();
      int colon = s.indexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        return null;
      }
      try {
        return new Ref(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** One product as read, with what must go back unchanged. */
  private static final class Product {
    @Nullable String sku;
    final List<Map<String, Object>> propertyValues = new ArrayList<>();
    final List<String> values = new ArrayList<>();
    final List<Map<String, Object>> offerings = new ArrayList<>();

    long quantity() {
      return offerings.isEmpty() ? 0 : Json.num(offerings.get(0), "quantity");
    }
  }

  /** A listing's state and whole inventory as read. */
  private static final class Inventory {
    long listingId;
    String state = "";
    String title = "";
    long modified;
    final List<Product> products = new ArrayList<>();
    final Map<String, @Nullable Object> onProperty = new LinkedHashMap<>();

    static Inventory parse(Map<String, Object> listing, Map<String, Object> inventory) {
      Inventory inv = new Inventory();
      inv.listingId = Json.num(listing, "listing_id");
      inv.state = Json.str(listing, "state");
      String title = Json.optStr(listing, "title");
      inv.title = title == null ? "" : title;
      Object modified = listing.get("last_modified_timestamp");
      inv.modified = modified instanceof Number n ? n.longValue() : 0;
      for (Object o : Json.list(inventory, "products")) {
        Map<String, Object> p = Json.asObj(o, "products[]");
        if (Json.bool(p, "is_deleted")) {
          continue;
        }
        Product product = new Product();
        product.sku = Json.optStr(p, "sku");
        for (Object v : Json.list(p, "property_values")) {
          Map<String, Object> pv = Json.asObj(v, "property_values[]");
          product.propertyValues.add(pv);
          for (Object value : Json.list(pv, "values")) {
            product.values.add(String.valueOf(value));
          }
        }
        for (Object v : Json.list(p, "offerings")) {
          Map<String, Object> offering = Json.asObj(v, "offerings[]");
          if (!Json.bool(offering, "is_deleted")) {
            Json.num(offering, "quantity");
            Json.obj(offering, "price");
            product.offerings.add(offering);
          }
        }
        if (product.offerings.isEmpty()) {
          throw new io.stocksync.core.MalformedResponseException(
              "listing " + inv.listingId + " has a product without offerings", null);
        }
        inv.products.add(product);
      }
      for (String key : List.of("price_on_property", "quantity_on_property", "sku_on_property",
          "readiness_state_on_property")) {
        if (inventory.get(key) != null) {
          inv.onProperty.put(key, Json.list(inventory, key));
        }
      }
      return inv;
    }

    List<Integer> productsWithSku(String sku) {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < products.size(); i++) {
        String s = products.get(i).sku;
        if (s != null && s.strip().equals(sku)) {
          out.add(i);
        }
      }
      return out;
    }

    /** The whole inventory as updateListingInventory wants it, with new quantities. */
    Map<String, Object> toWriteBody(long[] quantities) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < products.size(); i++) {
        Product p = products.get(i);
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("sku", p.sku == null ? "" : p.sku);
        List<Object> pvs = new ArrayList<>();
        for (Map<String, Object> pv : p.propertyValues) {
          Map<String, Object> w = new LinkedHashMap<>();
          w.put("property_id", Json.num(pv, "property_id"));
          if (pv.get("property_name") != null) {
            w.put("property_name", pv.get("property_name"));
          }
          if (pv.get("scale_id") instanceof Number scale) {
            w.put("scale_id", scale.longValue());
          }
          // Integers in the spec: written as integers, not as the doubles JSON was read into.
          List<Object> valueIds = new ArrayList<>();
          for (Object id : Json.list(pv, "value_ids")) {
            if (!(id instanceof Number n)) {
              throw new io.stocksync.core.MalformedResponseException("value_ids[] not a number", null);
            }
            valueIds.add(n.longValue());
          }
          w.put("value_ids", valueIds);
          w.put("values", Json.list(pv, "values"));
          pvs.add(w);
        }
        product.put("property_values", pvs);
        List<Object> offerings = new ArrayList<>();
        for (int o = 0; o < p.offerings.size(); o++) {
          Map<String, Object> read = p.offerings.get(o);
          Map<String, Object> price = Json.obj(read, "price");
          long divisor = Json.num(price, "divisor");
          Map<String, @Nullable Object> w = new LinkedHashMap<>();
          // Read as Money, written as a decimal: amount / divisor.
          w.put("price", Json.num(price, "amount") / (double) (divisor == 0 ? 1 : divisor));
          w.put("quantity", o == 0 ? quantities[i] : Json.num(read, "quantity"));
          w.put("is_enabled", read.get("is_enabled") instanceof Boolean b ? b : Boolean.TRUE);
          Object readiness = read.get("readiness_state_id");
          w.put("readiness_state_id", readiness instanceof Number n ? (Object) n.longValue() : null);
          offerings.add(w);
        }
        product.put("offerings", offerings);
        out.add(product);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("products", out);
      onProperty.forEach((k, v) -> {
        List<Object> ids = new ArrayList<>();
        if (v instanceof List<?> l) {
          for (Object id : l) {
            ids.add(id instanceof Number n ? (Object) n.longValue() : id);
          }
        }
        body.put(k, ids);
      });
      return body;
    }
  }

  /** Builds an {@link EtsyConnector}. Not thread-safe. */
  public static final class Builder {
    private long shopId;
    private String keystring = "";
    private String sharedSecret = "";
    private @Nullable OAuthTokenSource tokens;
    private String staticToken = "";
    private @Nullable HttpUrl baseUrl;
    private @Nullable OkHttpClient client;
    private Clock clock = Clock.systemUTC();
    private int requestsPerSecond = 10;
    private long requestsPerDay = 10_000;
    private int maxBatch = -1;
    private double dailyReserve = 0.1;
    private DeactivatedListings deactivated = DeactivatedListings.inMemory();
    private @Nullable Consumer<EtsyNotice> notices;

    private Builder() {}

    /**
     * Sets the shop's numeric id. Required; it is the store's external id.
     *
     * @param id the shop id
     * @return this builder
     */
    public Builder shopId(long id) {
      this.shopId = id;
      return this;
    }

    /**
     * Sets the app's keystring and shared secret, sent as {@code x-api-key:
     * keystring:shared_secret}. Required; secret.
     *
     * @param keystring the keystring
     * @param sharedSecret the shared secret
     * @return this builder
     */
    public Builder apiKey(String keystring, String sharedSecret) {
      this.keystring = keystring == null ? "" : keystring.strip();
      this.sharedSecret = sharedSecret == null ? "" : sharedSecret.strip();
      return this;
    }

    /**
     * Sets where access tokens come from: the shared OAuth source, which refreshes them ahead of
     * {@code expires_in}, persists Etsy's rotated refresh tokens before use, and refreshes once on
     * a 401. Required unless a fixed token is given.
     *
     * @param source the token source, built with Etsy's token URL and the keystring as client id
     * @return this builder
     */
    public Builder tokens(OAuthTokenSource source) {
      this.tokens = java.util.Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Sets a fixed access token, {@code {user_id}.{token}}, for short scripts and tests; it is
     * never refreshed, so the store needs reconnecting within the hour. Secret.
     *
     * @param accessToken the token
     * @return this builder
     */
    public Builder accessToken(String accessToken) {
      this.staticToken = accessToken == null ? "" : accessToken.strip();
      return this;
    }

    /**
     * Overrides {@code https://openapi.etsy.com/}, for tests against an emulator.
     *
     * @param url the base URL
     * @return this builder
     */
    public Builder baseUrl(HttpUrl url) {
      this.baseUrl = url;
      return this;
    }

    /**
     * Supplies the OkHttp client to derive from. Default: a new client, closed with the
     * connector.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(OkHttpClient client) {
      this.client = client;
      return this;
    }

    /**
     * Sets the clock used for pacing. Default: the UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = java.util.Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the rate limits assumed until Etsy's headers tell (default 10 per second, 10,000 per
     * day, the figures of Etsy's older docs).
     *
     * @param perSecond requests per second
     * @param perDay requests per day
     * @return this builder
     */
    public Builder rateLimits(int perSecond, long perDay) {
      this.requestsPerSecond = perSecond;
      this.requestsPerDay = perDay;
      return this;
    }

    /**
     * Sets the most quantities per push. Default: one less than the per-second figure, so one
     * push (a batch read and a write per listing) fits in a second.
     *
     * @param size the batch size, at least 1
     * @return this builder
     */
    public Builder maxBatchSize(int size) {
      this.maxBatch = size;
      return this;
    }

    /**
     * Sets the share of the daily budget kept for decreases and order reads. Default 0.1.
     *
     * @param share between 0 and 1
     * @return this builder
     */
    public Builder dailyReserve(double share) {
      this.dailyReserve = share;
      return this;
    }

    /**
     * Sets where the listings the hub deactivated are remembered. Default: in memory.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder deactivatedListings(DeactivatedListings registry) {
      this.deactivated = java.util.Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the receiver of {@link EtsyNotice}s. Default: logged (renewals and a low budget at
     * WARN).
     *
     * @param receiver the receiver
     * @return this builder
     */
    public Builder notices(Consumer<EtsyNotice> receiver) {
      this.notices = receiver;
      return this;
    }

    /**
     * Builds the connector. Makes no network call.
     *
     * @return the connector
     * @throws InvalidInputException naming the first missing or invalid setting
     */
    public EtsyConnector build() {
      if (shopId <= 0) {
        throw new InvalidInputException("shopId", "required, a positive number");
      }
      if (keystring.isEmpty()) {
        throw new InvalidInputException("keystring", "required");
      }
      if (sharedSecret.isEmpty()) {
        throw new InvalidInputException("sharedSecret",
            "required: Etsy wants x-api-key as keystring:shared_secret");
      }
      if (tokens == null && staticToken.isEmpty()) {
        throw new InvalidInputException("tokens", "required: an OAuthTokenSource (or a fixed accessToken)");
      }
      if (requestsPerSecond < 1) {
        throw new InvalidInputException("requestsPerSecond", "must be >= 1: " + requestsPerSecond);
      }
      if (requestsPerDay < 1) {
        throw new InvalidInputException("requestsPerDay", "must be >= 1: " + requestsPerDay);
      }
      if (!(dailyReserve >= 0 && dailyReserve < 1)) {
        throw new InvalidInputException("dailyReserve", "must be in [0, 1): " + dailyReserve);
      }
      if (maxBatch == -1) {
        maxBatch = Math.max(1, requestsPerSecond - 1);
      }
      if (maxBatch < 1) {
        throw new InvalidInputException("maxBatchSize", "must be >= 1: " + maxBatch);
      }
      return new EtsyConnector(this);
    }

    /** Names the shop; never the key or token. */
    @Override
    public String toString() {
      return "EtsyConnector.Builder{shop=" + shopId + "}";
    }
  }
}
