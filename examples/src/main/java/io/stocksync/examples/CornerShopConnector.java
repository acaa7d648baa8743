package io.stocksync.examples;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.MalformedResponseException;
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
import io.stocksync.examples.CornerShopPos.PosException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChannelConnector} for one shop on "Corner Shop POS": the adapter an integration team
 * writes for a channel stocksync does not ship. Everything channel-specific lives here; the engine
 * only sees the SPI.
 *
 * <p>The POS has one stock figure per item (no locations), reports sales as orders, and accepts
 * stock updates with an optional expected figure, which this adapter uses for compare-and-set.
 * Each method's comments say which SPI rule it honours and why the engine needs it. {@code
 * CornerShopConnectorContractTest} holds it to {@code ChannelConnectorContract}, the suite every
 * connector passes.
 *
 * <p>Not thread-safe beyond what the engine needs: the engine calls a connector from one thread
 * at a time per store. The API key never appears in messages, exceptions or {@link #toString()}.
 */
public final class CornerShopConnector implements ChannelConnector {
  /** The channel name in {@link StoreId}s. */
  public static final String CHANNEL = "cornershop";
  /** The id of the one implicit location: the shop floor. */
  public static final String LOCATION_ID = "shop-floor";
  /** Items or sales per page; the POS serves up to 100, half keeps each call quick. */
  private static final int PAGE_SIZE = 50;

  private final CornerShopPos pos;
  private final StoreId storeId;
  private final String apiKey;
  private final Clock clock;
  private final Duration minGap;
  private @Nullable Instant lastCallAt;

  /**
   * Creates a connector; makes no call (the engine checks the key through {@link #identity()}).
   *
   * @param pos the POS API client
   * @param shopId the shop's id on the POS, the store's external id
   * @param apiKey the shop's API key; secret
   * @param clock the clock used to pace calls
   * @throws InvalidInputException if the shop id or key is blank
   */
  public CornerShopConnector(CornerShopPos pos, String shopId, String apiKey, Clock clock) {
    this.pos = Objects.requireNonNull(pos, "pos");
    this.storeId = StoreId.of(CHANNEL, shopId);
    if (apiKey == null || apiKey.isBlank()) {
      // Name the field, never echo the value.
      throw new InvalidInputException("apiKey", "required");
    }
    this.apiKey = apiKey;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.minGap = Duration.ofNanos((long) (1e9 / CornerShopPos.REQUESTS_PER_SECOND));
  }

  // Known from configuration, no call: the engine uses it to find the store's records before
  // anything touches the network, and to check that identity() reached the same shop.
  @Override
  public StoreId storeId() {
    return storeId;
  }

  // Constant for the connector's lifetime. The engine trusts these numbers: it never sends more
  // than maxBatchSize items per push, sends expected figures only when compareAndSet is true, and
  // spaces push calls by maxRequestsPerSecond. Overclaiming any of them breaks pushes.
  @Override
  public ChannelCapabilities capabilities() {
    return new ChannelCapabilities(CornerShopPos.MAX_STOCK_UPDATES, true, false, false,
        CornerShopPos.REQUESTS_PER_SECOND);
  }

  // The cheapest authenticated call: connecting a store calls it first, so a wrong key fails
  // there with a CredentialsException instead of half-way through a listing import.
  @Override
  public StoreIdentity identity() {
    return new StoreIdentity(storeId, call("read the shop", () -> pos.shopName(apiKey)));
  }

  // A channel without locations reports one implicit location. Its id is stored in the hub's
  // location mapping, so it must never change.
  @Override
  public List<ChannelLocation> locations() {
    return List.of(new ChannelLocation(LOCATION_ID, "Shop floor", true, false));
  }

  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    // The page token is the POS's own keyset cursor (the last item id), passed through untouched:
    // keyset paging cannot skip or repeat an item when staff add items mid-import, which an
    // offset could, and the contract requires each listing on exactly one page.
    CornerShopPos.ItemPage page = call("list items",
        () -> pos.items(apiKey, query.changedSince(), query.pageToken(), PAGE_SIZE));
    List<ChannelListing> out = new ArrayList<>();
    for (CornerShopPos.Item item : page.items()) {
      Sku sku = skuOf(item.sku());
      if (sku == null) {
        // The SKU is what links a listing to stock: a listing without one is never reported.
        // A page may end up shorter, even empty; the engine follows the token regardless.
        continue;
      }
      // The POS has no drafts, so query.includeDrafts() changes nothing here.
      out.add(new ChannelListing(item.id(), item.id(), sku,
          item.active() ? ListingStatus.ACTIVE : ListingStatus.INACTIVE, item.name(),
          item.trackStock(),
          // Only where the item is stocked: an untracked item has no figure at all, not zero.
          item.trackStock() ? Map.of(LOCATION_ID, item.onShelf()) : Map.of(),
          item.updatedAt()));
    }
    return new Page<>(out, page.nextAfter());
  }

  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    // Sorted by update time, lower bound inclusive: the engine moves its cursor to the newest
    // update it stored and reads again from there (minus a look-back), so nothing falls between
    // two runs. Re-reading is harmless: the engine applies each (order, version) once.
    CornerShopPos.SalePage page = call("list sales",
        () -> pos.sales(apiKey, query.updatedSince(), query.pageToken(), PAGE_SIZE));
    List<ChannelOrder> out = new ArrayList<>();
    for (CornerShopPos.Sale sale : page.sales()) {
      out.add(order(sale));
    }
    return new Page<>(out, page.nextCursor());
  }

  /**
   * Lines are cumulative figures, not events: the engine compares them with what it applied
   * before and books, releases, fulfils or restocks only the difference.
   */
  private static ChannelOrder order(CornerShopPos.Sale sale) {
    boolean completed = sale.state() == CornerShopPos.SaleState.COMPLETED;
    boolean voided = sale.state() == CornerShopPos.SaleState.VOIDED;
    List<ChannelOrderLine> lines = new ArrayList<>();
    for (CornerShopPos.SaleLine l : sale.lines()) {
      long shipped = completed ? l.quantity() : 0;
      lines.add(new ChannelOrderLine(l.id(), l.sku(), l.quantity(), shipped,
          voided ? l.quantity() : 0, Math.min(l.returnedToShelf(), shipped)));
    }
    // The version must change whenever the sale changes: the POS's revision counter does.
    return new ChannelOrder(sale.id(), Long.toString(sale.revision()), sale.createdAt(),
        sale.updatedAt(), voided, LOCATION_ID, lines);
  }

  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    // Split into calls the POS accepts; the engine asks for as many figures as it needs.
    Set<String> ids = new LinkedHashSet<>();
    for (StockRef ref : refs) {
      if (LOCATION_ID.equals(ref.locationId())) {
        ids.add(ref.inventoryRef());
      }
    }
    List<String> all = new ArrayList<>(ids);
    Map<String, Long> figures = new LinkedHashMap<>();
    for (int from = 0; from < all.size(); from += CornerShopPos.MAX_STOCK_UPDATES) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CornerShopPos.MAX_STOCK_UPDATES));
      figures.putAll(call("read stock", () -> pos.onShelf(apiKey, List.copyOf(chunk))));
    }
    Map<StockRef, Long> out = new LinkedHashMap<>();
    for (StockRef ref : refs) {
      Long figure = LOCATION_ID.equals(ref.locationId()) ? figures.get(ref.inventoryRef()) : null;
      // Absent, not zero, for what the POS does not stock: a zero would be pushed as truth.
      if (figure != null) {
        out.put(ref, figure);
      }
    }
    return out;
  }

  @Override
  public List<PushResult> push(List<PushItem> items) {
    // Rule 1: exactly one result per item, in the same order. The engine matches results to its
    // queue by position; a missing or shifted result would confirm the wrong figure.
    PushResult[] results = new PushResult[items.size()];
    List<CornerShopPos.StockUpdate> updates = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      PushItem item = items.get(i);
      if (!LOCATION_ID.equals(item.ref().locationId())) {
        // Rule 2: a per-item problem is a result, not an exception, so one bad item does not
        // hold back the rest. Rejected means "retrying will not help": the engine drops it.
        results[i] = new PushResult.Rejected("the POS has one location, " + LOCATION_ID);
        continue;
      }
      // The expected figure makes the update compare-and-set: if a customer bought one since
      // the engine last looked, the POS refuses instead of silently erasing that sale. The
      // idempotency key is reused by the engine on every retry of the same change; passing it
      // on lets the POS answer a retry whose first answer was lost without applying it again.
      updates.add(new CornerShopPos.StockUpdate(item.ref().inventoryRef(), item.quantity(),
          item.expected(), item.idempotencyKey()));
      positions.add(i);
    }
    if (!updates.isEmpty()) {
      // Rule 3: an exception means the whole call failed and nothing is known to be applied;
      // the engine retries every item with the same keys. See call() for which exception.
      List<CornerShopPos.StockUpdateResult> answers = call("update stock",
          () -> pos.updateStock(apiKey, updates));
      if (answers.size() != updates.size()) {
        throw new MalformedResponseException("Corner Shop POS answered " + answers.size()
            + " results for " + updates.size() + " stock updates", null);
      }
      for (int k = 0; k < answers.size(); k++) {
        results[positions.get(k)] = result(answers.get(k));
      }
    }
    return List.of(results);
  }

  private static PushResult result(CornerShopPos.StockUpdateResult answer) {
    switch (answer.status()) {
      case APPLIED:
        // Only a confirmed figure counts as pushed: the engine stores it as the store's figure.
        return new PushResult.Confirmed(answer.onShelf());
      case CONFLICT:
        // Stale carries the actual figure; the engine imports the sale that caused it, then
        // pushes again from the right number.
        return new PushResult.Stale(answer.onShelf());
      default:
        // NOT_FOUND, NOT_TRACKED, INVALID: the same request would fail the same way.
        return new PushResult.Rejected("Corner Shop POS: " + answer.status() + ": " + answer.message());
    }
  }

  // Pacing: the engine asks before every page read (items = 0) and push how long to wait, then
  // waits on its scheduler. A connector must never sleep itself: it would hold one of the
  // engine's few threads and stall every other store's work. This POS publishes a fixed rate,
  // so the wait is simply the gap since the last call.
  @Override
  public Duration pacingDelay(ChannelCall call, int items) {
    Instant last = lastCallAt;
    if (last == null) {
      return Duration.ZERO;
    }
    Duration wait = Duration.between(clock.instant(), last.plus(minGap));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /**
   * Makes one API call and turns its failure into the exception the engine acts on: 401/403 →
   * {@link CredentialsException} (the store moves to NEEDS_REAUTH until reconnected; retrying
   * would only lock the account), 429/5xx → {@link RetryLaterException} with the POS's wait (the
   * engine backs off and loses nothing), anything else → {@link ChannelException} (recorded,
   * tried again next cycle).
   */
  private <T> T call(String what, Supplier<T> request) {
    lastCallAt = clock.instant();
    try {
      return request.get();
    } catch (PosException e) {
      // No secrets in messages: the POS echoes the key in some errors, so its text is scrubbed,
      // and the PosException is not attached as the cause, because loggers print causes too.
      String message = "Corner Shop POS " + what + " for " + storeId + " failed: HTTP " + e.status()
          + " " + redact(String.valueOf(e.getMessage()));
      int status = e.status();
      if (status == 401 || status == 403) {
        throw new CredentialsException(message, null);
      }
      if (status == 429 || status >= 500) {
        throw new RetryLaterException(message, e.retryAfter(), null);
      }
      throw new ChannelException(message, null);
    }
  }

  @Override
  public @Nullable String redact(@Nullable String text) {
    return text == null ? null : text.replace(apiKey, "[redacted]");
  }

  private static @Nullable Sku skuOf(@Nullable String raw) {
    try {
      return Sku.ofNullable(raw); // null for missing or blank
    } catch (InvalidInputException e) {
      return null; // longer than any SKU can be: nothing to link it to
    }
  }

  /** Names the shop; never the key. */
  @Override
  public String toString() {
    return "CornerShopConnector{shop=" + storeId.externalId() + "}";
  }
}
