package io.stocksync.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * "Corner Shop POS", an imaginary till system, as an in-memory stand-in for its HTTP API. It is
 * the backend that {@link CornerShopConnector} adapts; it knows nothing about stocksync.
 *
 * <p>It has two faces. The <em>API</em> ({@link #shopName}, {@link #items}, {@link #sales},
 * {@link #onShelf(String, List)}, {@link #updateStock}) is what an integration calls with an API
 * key; like a real HTTP API it fails with a {@link PosException} carrying an HTTP status. The
 * <em>shop floor</em> ({@link #addItem}, {@link #ringUp}, {@link #park}, {@link #voidSale},
 * {@link #returnToShelf}, {@link #recount}, {@link #discontinue}) is what staff do at the till.
 *
 * <p>The shop has one stock figure per item: what is on the shelf. Selling takes units off the
 * shelf at once (parked sales too: the goods are put aside); voiding a parked sale and returning
 * goods to the shelf put them back. Stock updates may carry the figure the caller expects
 * (compare-and-set) and a request id that makes a repeated update a replay, not a second change.
 *
 * <p>Thread-safe: every method synchronizes on this object.
 */
public final class CornerShopPos {
  /** The largest page {@link #items} and {@link #sales} serve. */
  public static final int MAX_PAGE_SIZE = 100;
  /** The most items one {@link #updateStock} or {@link #onShelf(String, List)} call takes. */
  public static final int MAX_STOCK_UPDATES = 100;
  /** The request rate the POS vendor documents; beyond it the API answers HTTP 429. */
  public static final double REQUESTS_PER_SECOND = 5;

  private final String shopName;
  private final String apiKey;
  private final Clock clock;
  private final TreeMap<String, ItemRow> items = new TreeMap<>();
  private final Map<String, SaleRow> sales = new HashMap<>();
  private final Map<String, Applied> appliedRequests = new HashMap<>();
  private int itemSequence;
  private int saleSequence;
  private Instant lastStamp = Instant.MIN;
  private int failuresLeft;
  private int failureStatus;
  private int stockUpdateFailuresLeft;
  private int stockUpdateFailureStatus;

  /**
   * Creates an empty shop.
   *
   * @param shopName the shop's display name
   * @param apiKey the key API calls must present
   * @param clock stamps items and sales
   */
  public CornerShopPos(String shopName, String apiKey, Clock clock) {
    this.shopName = Objects.requireNonNull(shopName, "shopName");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---- API types ------------------------------------------------------------------------------

  /**
   * An item as the API reports it.
   *
   * @param id the item's id, e.g. {@code item-000001}; ids sort in creation order
   * @param sku the SKU, or null when staff never entered one
   * @param name the name on the till
   * @param active whether the item is on sale
   * @param trackStock whether the POS counts it (services such as gift wrapping are not counted)
   * @param onShelf units on the shelf; meaningless when not tracked
   * @param updatedAt when the item last changed
   */
  public record Item(String id, @Nullable String sku, String name, boolean active,
      boolean trackStock, long onShelf, Instant updatedAt) {}

  /**
   * One page of items.
   *
   * @param items the items, by id
   * @param nextAfter the id to pass as {@code after} for the next page, or null on the last page
   */
  public record ItemPage(List<Item> items, @Nullable String nextAfter) {}

  /** Where a sale stands. */
  public enum SaleState {
    /** Paid and put aside for collection; the goods are off the shelf but not handed over. */
    PARKED,
    /** Handed over to the customer. */
    COMPLETED,
    /** Cancelled before hand-over; the goods went back on the shelf. */
    VOIDED
  }

  /**
   * One line of a sale.
   *
   * @param id the line's id
   * @param sku the SKU rung up
   * @param quantity units sold
   * @param returnedToShelf units brought back and put on the shelf again
   */
  public record SaleLine(String id, String sku, long quantity, long returnedToShelf) {}

  /**
   * A sale as the API reports it.
   *
   * @param id the sale's id
   * @param state where it stands
   * @param createdAt when it was rung up
   * @param updatedAt when it last changed
   * @param revision goes up by one on every change
   * @param lines its lines
   */
  public record Sale(String id, SaleState state, Instant createdAt, Instant updatedAt,
      long revision, List<SaleLine> lines) {}

  /**
   * One page of sales.
   *
   * @param sales the sales, by update time then id
   * @param nextCursor the cursor for the next page, or null on the last page
   */
  public record SalePage(List<Sale> sales, @Nullable String nextCursor) {}

  /**
   * One requested stock change.
   *
   * @param itemId the item
   * @param onShelf the new shelf figure
   * @param ifOnShelf apply only if the shelf shows this now; null to apply unconditionally
   * @param requestId the caller's id for this change; a repeat is answered as the first time
   */
  public record StockUpdate(String itemId, long onShelf, @Nullable Long ifOnShelf, String requestId) {}

  /** The outcome of one {@link StockUpdate}. */
  public enum UpdateStatus {
    /** The shelf figure was set. */
    APPLIED,
    /** {@code ifOnShelf} did not match; nothing changed. */
    CONFLICT,
    /** No such item. */
    NOT_FOUND,
    /** The item is not counted by the POS. */
    NOT_TRACKED,
    /** The request id was used before for a different change. */
    INVALID
  }

  /**
   * The answer to one {@link StockUpdate}.
   *
   * @param status what happened
   * @param onShelf the shelf figure after the call (the actual one on a conflict)
   * @param message a human-readable explanation
   */
  public record StockUpdateResult(UpdateStatus status, long onShelf, String message) {}

  /** An API call failed as a whole, with the HTTP status the real API would answer. */
  public static final class PosException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status. */
    private final int status;
    /** The wait the API asked for, from its {@code Retry-After} header. */
    private final @Nullable Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status
     * @param retryAfter the wait the API asked for, or null
     * @param message the API's error text (which may echo what the caller sent)
     */
    public PosException(int status, @Nullable Duration retryAfter, String message) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }

    /**
     * Returns the HTTP status.
     *
     * @return the status
     */
    public int status() {
      return status;
    }

    /**
     * Returns the wait the API asked for.
     *
     * @return the wait, or null
     */
    public @Nullable Duration retryAfter() {
      return retryAfter;
    }
  }

  // ---- API ------------------------------------------------------------------------------------

  /**
   * {@code GET /v1/shop}: the shop's name; also the cheapest way to test a key.
   *
   * @param key the API key
   * @return the shop's name
   * @throws PosException 401 for a wrong key, or an injected failure
   */
  public synchronized String shopName(String key) {
    enter(key);
    return shopName;
  }

  /**
   * {@code GET /v1/items}: items by id, optionally only those changed since an instant.
   *
   * @param key the API key
   * @param changedSince only items updated at or after this, or null for all
   * @param after only items with a larger id (the previous page's {@code nextAfter}), or null
   * @param limit the page size, 1 to {@link #MAX_PAGE_SIZE}
   * @return the page
   * @throws PosException 400 for a bad limit, 401 for a wrong key, or an injected failure
   */
  public synchronized ItemPage items(String key, @Nullable Instant changedSince,
      @Nullable String after, int limit) {
    enter(key);
    requireLimit(limit, MAX_PAGE_SIZE);
    List<Item> page = new ArrayList<>();
    boolean more = false;
    for (ItemRow row : (after == null ? items : items.tailMap(after, false)).values()) {
      if (changedSince != null && row.updatedAt.isBefore(changedSince)) {
        continue;
      }
      if (page.size() == limit) {
        more = true;
        break;
      }
      page.add(row.snapshot());
    }
    return new ItemPage(List.copyOf(page), more ? page.get(page.size() - 1).id() : null);
  }

  /**
   * {@code GET /v1/sales}: sales updated at or after an instant, oldest change first.
   *
   * @param key the API key
   * @param updatedSince the inclusive lower bound
   * @param cursor the previous page's {@code nextCursor}, or null
   * @param limit the page size, 1 to {@link #MAX_PAGE_SIZE}
   * @return the page
   * @throws PosException 400 for a bad limit or cursor, 401 for a wrong key, or an injected
   *     failure
   */
  public synchronized SalePage sales(String key, Instant updatedSince, @Nullable String cursor,
      int limit) {
    enter(key);
    requireLimit(limit, MAX_PAGE_SIZE);
    Instant afterTime = null;
    String afterId = "";
    if (cursor != null) {
      int tilde = cursor.indexOf('~');
      try {
        afterTime = Instant.parse(cursor.substring(0, Math.max(0, tilde)));
        afterId = cursor.substring(tilde + 1);
      } catch (DateTimeParseException e) {
        throw new PosException(400, null, "malformed cursor");
      }
    }
    List<SaleRow> matching = new ArrayList<>();
    for (SaleRow row : sales.values()) {
      boolean afterCursor = afterTime == null || row.updatedAt.isAfter(afterTime)
          || (row.updatedAt.equals(afterTime) && row.id.compareTo(afterId) > 0);
      if (!row.updatedAt.isBefore(updatedSince) && afterCursor) {
        matching.add(row);
      }
    }
    matching.sort(Comparator.comparing((SaleRow s) -> s.updatedAt).thenComparing(s -> s.id));
    List<Sale> page = new ArrayList<>();
    for (SaleRow row : matching.subList(0, Math.min(limit, matching.size()))) {
      page.add(row.snapshot());
    }
    String next = null;
    if (matching.size() > limit) {
      SaleRow last = matching.get(limit - 1);
      next = last.updatedAt + "~" + last.id;
    }
    return new SalePage(List.copyOf(page), next);
  }

  /**
   * {@code POST /v1/stock/query}: shelf figures of tracked items; unknown and untracked items are
   * left out.
   *
   * @param key the API key
   * @param itemIds up to {@link #MAX_STOCK_UPDATES} item ids
   * @return the figure per item id
   * @throws PosException 400 for too many ids, 401 for a wrong key, or an injected failure
   */
  public synchronized Map<String, Long> onShelf(String key, List<String> itemIds) {
    enter(key);
    requireLimit(itemIds.size(), MAX_STOCK_UPDATES);
    Map<String, Long> out = new LinkedHashMap<>();
    for (String id : itemIds) {
      ItemRow row = items.get(id);
      if (row != null && row.trackStock) {
        out.put(id, row.onShelf);
      }
    }
    return out;
  }

  /**
   * {@code POST /v1/stock}: sets shelf figures, one answer per update in order. A request id seen
   * before is answered as the first time without changing anything.
   *
   * @param key the API key
   * @param updates up to {@link #MAX_STOCK_UPDATES} updates
   * @return one result per update
   * @throws PosException 400 for too many updates, 401 for a wrong key, or an injected failure
   *     (then nothing was applied)
   */
  public synchronized List<StockUpdateResult> updateStock(String key, List<StockUpdate> updates) {
    if (stockUpdateFailuresLeft > 0) {
      stockUpdateFailuresLeft--;
      throw failure(stockUpdateFailureStatus);
    }
    enter(key);
    requireLimit(updates.size(), MAX_STOCK_UPDATES);
    List<StockUpdateResult> results = new ArrayList<>();
    for (StockUpdate u : updates) {
      results.add(update(u));
    }
    return List.copyOf(results);
  }

  private StockUpdateResult update(StockUpdate u) {
    Applied earlier = appliedRequests.get(u.requestId());
    if (earlier != null) {
      return earlier.itemId.equals(u.itemId()) && earlier.result.onShelf() == u.onShelf()
          ? earlier.result
          : new StockUpdateResult(UpdateStatus.INVALID, 0, "request id reused for another change");
    }
    ItemRow row = items.get(u.itemId());
    if (row == null) {
      return new StockUpdateResult(UpdateStatus.NOT_FOUND, 0, "no item " + u.itemId());
    }
    if (!row.trackStock) {
      return new StockUpdateResult(UpdateStatus.NOT_TRACKED, 0, "item " + u.itemId() + " is not counted");
    }
    if (u.onShelf() < 0) {
      return new StockUpdateResult(UpdateStatus.INVALID, row.onShelf, "negative shelf figure");
    }
    if (u.ifOnShelf() != null && u.ifOnShelf() != row.onShelf) {
      return new StockUpdateResult(UpdateStatus.CONFLICT, row.onShelf,
          "shelf shows " + row.onShelf + ", not " + u.ifOnShelf());
    }
    row.onShelf = u.onShelf();
    row.updatedAt = clock.instant();
    StockUpdateResult applied = new StockUpdateResult(UpdateStatus.APPLIED, row.onShelf, "set");
    appliedRequests.put(u.requestId(), new Applied(u.itemId(), applied));
    return applied;
  }

  private void enter(String key) {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw failure(failureStatus);
    }
    if (!apiKey.equals(key)) {
      // Like many real APIs, the error echoes what was sent: adapters must not pass it on as is.
      throw new PosException(401, null, "API key '" + key + "' is not valid for this shop");
    }
  }

  private static PosException failure(int status) {
    boolean transientFailure = status == 429 || status >= 500;
    return new PosException(status, transientFailure ? Duration.ofSeconds(1) : null,
        "injected failure " + status);
  }

  private static void requireLimit(int n, int max) {
    if (n < 0 || n > max) {
      throw new PosException(400, null, "limit must be 0.." + max + ": " + n);
    }
  }

  // ---- shop floor -----------------------------------------------------------------------------

  /**
   * Adds a counted item.
   *
   * @param sku its SKU, or null or blank for none
   * @param name its name on the till
   * @param onShelf units on the shelf
   * @return the item's id
   */
  public synchronized String addItem(@Nullable String sku, String name, long onShelf) {
    String id = String.format("item-%06d", ++itemSequence);
    items.put(id, new ItemRow(id, sku, name, true, onShelf, clock.instant()));
    return id;
  }

  /**
   * Adds an item the POS does not count (a service such as gift wrapping).
   *
   * @param sku its SKU, or null or blank for none
   * @param name its name on the till
   * @return the item's id
   */
  public synchronized String addUntrackedItem(@Nullable String sku, String name) {
    String id = String.format("item-%06d", ++itemSequence);
    items.put(id, new ItemRow(id, sku, name, false, 0, clock.instant()));
    return id;
  }

  /**
   * Sells units that leave the shop at once.
   *
   * @param sku the SKU rung up
   * @param quantity units, at least 1
   * @return the sale's id
   * @throws IllegalArgumentException if the quantity is not positive
   */
  public synchronized String ringUp(String sku, long quantity) {
    return sell(sku, quantity, SaleState.COMPLETED);
  }

  /**
   * Sells units that are put aside for collection later.
   *
   * @param sku the SKU rung up
   * @param quantity units, at least 1
   * @return the sale's id
   * @throws IllegalArgumentException if the quantity is not positive
   */
  public synchronized String park(String sku, long quantity) {
    return sell(sku, quantity, SaleState.PARKED);
  }

  /**
   * Voids a parked sale; its goods go back on the shelf.
   *
   * @param saleId the sale
   * @throws IllegalArgumentException if the sale is unknown
   * @throws IllegalStateException if it is not parked
   */
  public synchronized void voidSale(String saleId) {
    SaleRow sale = sale0(saleId);
    requireState(sale, SaleState.PARKED);
    sale.state = SaleState.VOIDED;
    for (LineRow line : sale.lines) {
      shelf(line.sku, line.quantity);
    }
    touch(sale);
  }

  /**
   * Takes back units of a completed sale and puts them on the shelf.
   *
   * @param saleId the sale
   * @param lineId the line
   * @param quantity units, at most those not yet returned
   * @throws IllegalArgumentException if the sale or line is unknown or the quantity out of range
   * @throws IllegalStateException if the sale is not completed
   */
  public synchronized void returnToShelf(String saleId, String lineId, long quantity) {
    SaleRow sale = sale0(saleId);
    requireState(sale, SaleState.COMPLETED);
    LineRow line = sale.lines.stream().filter(l -> l.id.equals(lineId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no line " + lineId + " on " + saleId));
    if (quantity <= 0 || line.returned + quantity > line.quantity) {
      throw new IllegalArgumentException("cannot return " + quantity + " on " + lineId);
    }
    line.returned += quantity;
    shelf(line.sku, quantity);
    touch(sale);
  }

  /**
   * Takes an item off sale; it stays in the API with {@code active = false}.
   *
   * @param itemId the item
   * @throws IllegalArgumentException if the item is unknown
   */
  public synchronized void discontinue(String itemId) {
    ItemRow row = item0(itemId);
    row.active = false;
    row.updatedAt = clock.instant();
  }

  /**
   * Replaces an item's shelf figure after staff counted it.
   *
   * @param itemId the item
   * @param onShelf the counted units
   * @throws IllegalArgumentException if the item is unknown
   */
  public synchronized void recount(String itemId, long onShelf) {
    ItemRow row = item0(itemId);
    row.onShelf = onShelf;
    row.updatedAt = clock.instant();
  }

  /**
   * Reads an item's shelf figure, as staff would see it.
   *
   * @param itemId the item
   * @return units on the shelf
   * @throws IllegalArgumentException if the item is unknown
   */
  public synchronized long onShelf(String itemId) {
    return item0(itemId).onShelf;
  }

  /**
   * Reads a sale, as staff would see it.
   *
   * @param saleId the sale
   * @return the sale
   * @throws IllegalArgumentException if the sale is unknown
   */
  public synchronized Sale sale(String saleId) {
    return sale0(saleId).snapshot();
  }

  /**
   * Makes the next API calls fail as a whole with an HTTP status (429 and 5xx ask to retry after
   * one second).
   *
   * @param calls how many calls
   * @param httpStatus the status
   */
  public synchronized void failNext(int calls, int httpStatus) {
    failuresLeft = calls;
    failureStatus = httpStatus;
  }

  /**
   * Makes the next {@link #updateStock} calls fail as a whole with an HTTP status; other calls
   * are not affected.
   *
   * @param calls how many stock update calls
   * @param httpStatus the status
   */
  public synchronized void failNextStockUpdates(int calls, int httpStatus) {
    stockUpdateFailuresLeft = calls;
    stockUpdateFailureStatus = httpStatus;
  }

  // ---- internals ------------------------------------------------------------------------------

  private String sell(String sku, long quantity, SaleState state) {
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be > 0: " + quantity);
    }
    String id = String.format("sale-%06d", ++saleSequence);
    Instant now = stamp(null);
    SaleRow sale = new SaleRow(id, state, now);
    sale.lines.add(new LineRow(id + "-1", sku, quantity));
    shelf(sku, -quantity);
    sales.put(id, sale);
    return id;
  }

  /** Moves units on or off the shelf of the first counted item with the SKU, never below 0. */
  private void shelf(String sku, long delta) {
    for (ItemRow row : items.values()) {
      if (sku.equals(row.sku) && row.trackStock) {
        row.onShelf = Math.max(0, row.onShelf + delta);
        row.updatedAt = clock.instant();
        return;
      }
    }
  }

  private void touch(SaleRow sale) {
    sale.updatedAt = stamp(sale.updatedAt);
    sale.revision++;
  }

  /** Now, but strictly after every earlier sale stamp, so every change sorts after the last. */
  private Instant stamp(@Nullable Instant previous) {
    Instant now = clock.instant();
    if (!now.isAfter(lastStamp)) {
      now = lastStamp.plusMillis(1);
    }
    if (previous != null && !now.isAfter(previous)) {
      now = previous.plusMillis(1);
    }
    lastStamp = now;
    return now;
  }

  private ItemRow item0(String itemId) {
    ItemRow row = items.get(itemId);
    if (row == null) {
      throw new IllegalArgumentException("no item " + itemId);
    }
    return row;
  }

  private SaleRow sale0(String saleId) {
    SaleRow sale = sales.get(saleId);
    if (sale == null) {
      throw new IllegalArgumentException("no sale " + saleId);
    }
    return sale;
  }

  private static void requireState(SaleRow sale, SaleState state) {
    if (sale.state != state) {
      throw new IllegalStateException("sale " + sale.id + " is " + sale.state + ", not " + state);
    }
  }

  private record Applied(String itemId, StockUpdateResult result) {}

  private static final class ItemRow {
    final String id;
    final @Nullable String sku;
    final String name;
    final boolean trackStock;
    boolean active = true;
    long onShelf;
    Instant updatedAt;

    ItemRow(String id, @Nullable String sku, String name, boolean trackStock, long onShelf,
        Instant updatedAt) {
      this.id = id;
      this.sku = sku;
      this.name = name;
      this.trackStock = trackStock;
      this.onShelf = onShelf;
      this.updatedAt = updatedAt;
    }

    Item snapshot() {
      return new Item(id, sku, name, active, trackStock, onShelf, updatedAt);
    }
  }

  private static final class SaleRow {
    final String id;
    final Instant createdAt;
    final List<LineRow> lines = new ArrayList<>();
    SaleState state;
    Instant updatedAt;
    long revision = 1;

    SaleRow(String id, SaleState state, Instant createdAt) {
      this.id = id;
      this.state = state;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }

    Sale snapshot() {
      List<SaleLine> out = new ArrayList<>();
      for (LineRow l : lines) {
        out.add(new SaleLine(l.id, l.sku, l.quantity, l.returned));
      }
      return new Sale(id, state, createdAt, updatedAt, revision, List.copyOf(out));
    }
  }

  private static final class LineRow {
    final String id;
    final String sku;
    final long quantity;
    long returned;

    LineRow(String id, String sku, long quantity) {
      this.id = id;
      this.sku = sku;
      this.quantity = quantity;
    }
  }
}
