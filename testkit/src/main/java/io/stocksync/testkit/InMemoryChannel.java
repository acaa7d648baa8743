package io.stocksync.testkit;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A complete {@link ChannelConnector} whose "store" lives in this object: the engine's test double
 * and the smallest worked example of an adapter.
 *
 * <p>Read it as two halves. The <em>SPI half</em> ({@link #identity()}, {@link #listings}, {@link
 * #orders}, {@link #readQuantities}, {@link #push}) is what a real adapter implements, with the
 * network replaced by a map; the comments say which rule of the SPI each step honours. The
 * <em>store half</em> ({@link #addListing}, {@link #setQuantity}, {@link #placeOrder(String,
 * long)}, {@link #fulfil(String)}, ...) is what a merchant or a customer would do on the
 * marketplace itself; tests call it to make the store change behind the engine's back. Store-side
 * changes are neither counted as calls nor recorded as pushes.
 *
 * <p>Faults are injected with {@link #failNextPushes}, {@link #failNextCalls} and {@link
 * #revokeCredentials()}; simulated latency with {@link #latency(Duration)}. Every push is recorded
 * ({@link #pushCalls()}) so tests can assert what the engine sent.
 *
 * <p>Thread-safe: every method synchronizes on this object, because the engine's thread and the
 * test's thread use the channel at the same time.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.startingAtEpochOf2026();
 * InMemoryChannel shop = InMemoryChannel.builder(StoreId.of("memory", "shop-1"))
 *     .clock(clock)
 *     .build();
 * shop.addListing("L1", "MUG-RED", 10);
 * String orderId = shop.placeOrder("MUG-RED", 2);   // the store now shows 8
 * }</pre>
 */
public final class InMemoryChannel implements ChannelConnector {

  /** How an injected failure shows itself. */
  public enum Fault {
    /**
     * The whole call fails transiently: {@link RetryLaterException} with a retry-after of one
     * second; nothing is applied.
     */
    RETRYABLE_EXCEPTION,
    /**
     * A push answers {@link PushResult.Retryable} for every item; nothing is applied. Other calls
     * fail as with {@link #RETRYABLE_EXCEPTION}.
     */
    RETRYABLE_RESULTS,
    /**
     * A push answers {@link PushResult.Rejected} for every item; nothing is applied. Other calls
     * throw {@link ChannelException}.
     */
    REJECT,
    /**
     * The store sells one unit of every pushed figure just before the push arrives (the figure
     * drops by one, not below zero), then the push is applied normally, so a compare-and-set push
     * answers {@link PushResult.Stale}. Has no effect on other calls.
     */
    STALE,
    /** The call fails with {@link CredentialsException}; nothing is applied. */
    CREDENTIALS
  }

  /**
   * One line of an order placed with {@link #placeOrder(List, String)}.
   *
   * @param sku the SKU the store sends (may be unknown to the store)
   * @param quantity units ordered, at least 1
   */
  public record LineSpec(String sku, long quantity) {
    /**
     * Validates the components.
     *
     * @param sku see the record description
     * @param quantity see the record description
     * @throws IllegalArgumentException if the quantity is not positive
     * @throws NullPointerException if the SKU is null
     */
    public LineSpec {
      Objects.requireNonNull(sku, "sku");
      if (quantity <= 0) {
        throw new IllegalArgumentException("quantity must be > 0: " + quantity);
      }
    }
  }

  /** The retry-after every injected transient failure asks for. */
  private static final Duration INJECTED_RETRY_AFTER = Duration.ofSeconds(1);

  // --- Configuration: fixed at build time, like a real adapter's settings. ---

  private final StoreId storeId;
  private final String name;
  private final Clock clock;
  private final ChannelCapabilities capabilities;
  private final int pageSize;
  private final List<ChannelLocation> locations;

  // --- The store's state, guarded by "this". ---

  /** By listing id; a TreeMap because listings are served sorted by id (see listings()). */
  private final TreeMap<String, Listing> listingsById = new TreeMap<>();

  private final Map<String, Order> ordersById = new HashMap<>();

  /** Idempotency keys of applied items, with the item that used them. */
  private final Map<String, PushItem> appliedKeys = new HashMap<>();

  private final List<List<PushItem>> pushCalls = new ArrayList<>();
  private final java.util.Set<String> unlistable = new java.util.LinkedHashSet<>();
  private int callCount;
  private int orderSequence;
  private Instant lastOrderStamp = Instant.MIN;
  private boolean revoked;
  private Duration latency = Duration.ZERO;
  private int pushFaultsLeft;
  private @Nullable Fault pushFault;
  private int callFaultsLeft;
  private @Nullable Fault callFault;
  // Asynchronous writes (PushResult.Accepted): null answers Confirmed; otherwise the wait
  // announced in Accepted, and whether accepted writes are ever applied.
  private @Nullable Duration acceptAfter;
  private boolean applyAccepted;
  private final List<QueuedWrite> queuedWrites = new ArrayList<>();

  /** A write the channel accepted and applies once its time has come. */
  private record QueuedWrite(StockRef ref, long quantity, Instant dueAt) {}

  private final boolean readsOrderById;

  private InMemoryChannel(Builder b) {
    this.storeId = b.storeId;
    this.name = b.name == null ? b.storeId.externalId() : b.name;
    this.clock = b.clock;
    this.pageSize = b.pageSize;
    this.readsOrderById = b.readsOrderById;
    this.locations =
        b.locations.isEmpty()
            ? List.of(new ChannelLocation("default", "Default", true, false))
            : List.copyOf(b.locations);
    this.capabilities =
        new ChannelCapabilities(
            b.maxBatchSize, b.compareAndSet, locations.size() > 1, false, b.maxRequestsPerSecond);
  }

  /**
   * Starts a builder.
   *
   * @param storeId the store this channel pretends to be
   * @return a new builder
   * @throws NullPointerException if the id is null
   */
  public static Builder builder(StoreId storeId) {
    return new Builder(storeId);
  }

  // =====================================================================================
  // SPI half: what a real adapter implements.
  // =====================================================================================

  @Override
  public StoreId storeId() {
    // Known from configuration: no call, so not counted and never failing.
    return storeId;
  }

  @Override
  public ChannelCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public synchronized StoreIdentity identity() {
    beginRead();
    return new StoreIdentity(storeId, name);
  }

  @Override
  public synchronized List<ChannelLocation> locations() {
    beginRead();
    return locations;
  }

  @Override
  public synchronized Page<ChannelListing> listings(ListingQuery query) {
    beginRead();
    // Keyset paging: the token is the id of the last listing served and the next page starts
    // after it. Unlike an offset, this cannot skip or repeat a listing when listings are added
    // between two page reads, which is what "each listing appears on exactly one page" needs.
    String after = query.pageToken();
    Map<String, Listing> rest = after == null ? listingsById : listingsById.tailMap(after, false);
    List<ChannelListing> page = new ArrayList<>();
    boolean more = false;
    for (Listing listing : rest.values()) {
      if (!matches(listing, query)) {
        continue;
      }
      ChannelListing snapshot;
      try {
        snapshot = listing.snapshot();
      } catch (InvalidInputException e) {
        // A SKU the hub cannot take (over 255 characters, control characters): this one listing
        // is left out and reported, the rest of the page is served. A real adapter logs it.
        unlistable.add(listing.id);
        continue;
      }
      if (page.size() == pageSize) {
        more = true;
        break;
      }
      page.add(snapshot);
    }
    String next = more ? page.get(page.size() - 1).listingId() : null;
    return new Page<>(page, next);
  }

  private static boolean matches(Listing listing, ListingQuery query) {
    // The engine keys everything by SKU, so the SPI never returns a listing without one.
    if (listing.sku == null || listing.sku.isBlank()) {
      return false;
    }
    if (listing.status == ListingStatus.DRAFT && !query.includeDrafts()) {
      return false;
    }
    Instant since = query.changedSince();
    return since == null || !listing.updatedAt.isBefore(since);
  }

  @Override
  public synchronized Page<ChannelOrder> orders(OrderQuery query) {
    beginRead();
    // Orders are served by (updatedAt, id); the token is the position of the last order served.
    // An order changed mid-iteration moves behind the cursor's end and is served again later,
    // which the SPI allows: the engine applies each version once.
    OrderCursor after = query.pageToken() == null ? null : OrderCursor.parse(query.pageToken());
    List<Order> candidates = new ArrayList<>();
    for (Order order : ordersById.values()) {
      if (!order.updatedAt.isBefore(query.updatedSince())
          && (after == null || after.isBefore(order))) {
        candidates.add(order);
      }
    }
    candidates.sort(ORDER_POSITION);
    boolean more = candidates.size() > pageSize;
    List<ChannelOrder> page = new ArrayList<>();
    for (Order order : candidates.subList(0, Math.min(pageSize, candidates.size()))) {
      page.add(order.snapshot());
    }
    String next = more ? OrderCursor.of(candidates.get(pageSize - 1)) : null;
    return new Page<>(page, next);
  }

  @Override
  public boolean readsOrderById() {
    return readsOrderById;
  }

  /**
   * Reads one order as {@link #orders} would report it; a call, counted and subject to injected
   * faults.
   *
   * @param orderId the order
   * @return the order, or empty if the store has no such order
   * @throws UnsupportedOperationException if built with {@code readsOrderById(false)}
   * @throws io.stocksync.core.CredentialsException if the credentials were revoked
   * @throws RetryLaterException on an injected transient failure
   * @throws ChannelException on an injected refusal
   */
  @Override
  public synchronized Optional<ChannelOrder> readOrder(String orderId) {
    if (!readsOrderById) {
      throw new UnsupportedOperationException("built with readsOrderById(false)");
    }
    beginRead();
    Order order = ordersById.get(orderId);
    return order == null ? Optional.empty() : Optional.of(order.snapshot());
  }

  @Override
  public synchronized Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    beginRead();
    Map<StockRef, Long> result = new LinkedHashMap<>();
    for (StockRef ref : refs) {
      Long figure = figure(ref);
      // The SPI's rule: a reference the store does not stock is absent, not zero.
      if (figure != null) {
        result.put(ref, figure);
      }
    }
    return Collections.unmodifiableMap(result);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Every call is recorded first, even one that then fails, so tests can see the engine's
   * retries.
   *
   * @throws IllegalArgumentException if the batch is larger than {@link
   *     ChannelCapabilities#maxBatchSize()}: the engine must never send one
   */
  @Override
  public synchronized List<PushResult> push(List<PushItem> items) {
    List<PushItem> batch = List.copyOf(items);
    if (batch.size() > capabilities.maxBatchSize()) {
      throw new IllegalArgumentException(
          "batch of " + batch.size() + " > maxBatchSize " + capabilities.maxBatchSize());
    }
    pushCalls.add(batch);
    Fault fault = beginCall(true);
    // One result per item, in order; per-item problems are results, never exceptions.
    List<PushResult> results = new ArrayList<>(batch.size());
    for (PushItem item : batch) {
      results.add(apply(item, fault));
    }
    return List.copyOf(results);
  }

  private PushResult apply(PushItem item, @Nullable Fault fault) {
    if (fault == Fault.RETRYABLE_RESULTS) {
      return new PushResult.Retryable("injected transient failure", INJECTED_RETRY_AFTER);
    }
    if (fault == Fault.REJECT) {
      return new PushResult.Rejected("injected refusal");
    }
    StockRef ref = item.ref();
    Listing listing = listingsById.get(ref.inventoryRef());
    if (listing == null || !listing.quantities.containsKey(ref.locationId())) {
      return new PushResult.Rejected(
          "not stocked: " + ref.inventoryRef() + " at " + ref.locationId());
    }
    if (fault == Fault.STALE) {
      sellOne(listing, ref.locationId());
    }
    // Idempotency: a retry of an item we already applied (its answer was lost) must not apply it
    // again, because a store-side sale may have happened since and would be overwritten.
    PushItem earlier = appliedKeys.get(item.idempotencyKey());
    if (earlier != null) {
      if (earlier.ref().equals(ref) && earlier.quantity() == item.quantity()) {
        return acceptAfter != null
            ? new PushResult.Accepted(item.quantity(), acceptAfter)
            : new PushResult.Confirmed(item.quantity());
      }
      return new PushResult.Rejected(
          "idempotency key " + item.idempotencyKey() + " was used for a different change");
    }
    if (location(ref.locationId()).readOnly()) {
      return new PushResult.Rejected("location " + ref.locationId() + " is managed by the channel");
    }
    if (!listing.tracked) {
      return new PushResult.Rejected("listing " + listing.id + " does not track stock");
    }
    long current = listing.quantities.get(ref.locationId());
    // Compare-and-set: the engine computed the new figure from the one it last saw; if a sale
    // happened on the store since, writing would erase it. Answer with the actual figure instead.
    Long expected = item.expected();
    if (capabilities.compareAndSet() && expected != null && expected != current) {
      return new PushResult.Stale(current);
    }
    if (acceptAfter != null) {
      // Like Amazon's ACCEPTED: queued now, visible to readQuantities only once processed.
      if (applyAccepted) {
        // A dropped write leaves no trace, so a retry with the same key is taken afresh.
        appliedKeys.put(item.idempotencyKey(), item);
        queuedWrites.add(new QueuedWrite(ref, item.quantity(), clock.instant().plus(acceptAfter)));
      }
      return new PushResult.Accepted(item.quantity(), acceptAfter);
    }
    listing.quantities.put(ref.locationId(), item.quantity());
    listing.updatedAt = clock.instant();
    appliedKeys.put(item.idempotencyKey(), item);
    return new PushResult.Confirmed(item.quantity());
  }

  private @Nullable Long figure(StockRef ref) {
    Listing listing = listingsById.get(ref.inventoryRef());
    return listing == null ? null : listing.quantities.get(ref.locationId());
  }

  /** A read call: item-level faults become their whole-call counterparts. */
  private void beginRead() {
    Fault fault = beginCall(false);
    if (fault == Fault.RETRYABLE_RESULTS) {
      throw new RetryLaterException("injected transient failure", INJECTED_RETRY_AFTER, null);
    }
    if (fault == Fault.REJECT) {
      throw new ChannelException("injected refusal", null);
    }
  }

  /**
   * Every SPI call starts here, in the order a real call goes: time passes on the wire, the server
   * checks the credentials, then it fails or serves the request.
   *
   * @return the fault the caller must apply to its items, or null
   */
  private @Nullable Fault beginCall(boolean isPush) {
    callCount++;
    if (!latency.isZero() && clock instanceof ManualClock manual) {
      manual.advance(latency);
    }
    applyDueWrites();
    if (revoked) {
      throw new CredentialsException("access token revoked", null);
    }
    Fault fault = null;
    if (callFaultsLeft > 0) {
      callFaultsLeft--;
      fault = callFault;
    }
    if (isPush && pushFaultsLeft > 0) {
      pushFaultsLeft--;
      fault = fault == null ? pushFault : fault;
    }
    if (fault == Fault.RETRYABLE_EXCEPTION) {
      throw new RetryLaterException("injected transient failure", INJECTED_RETRY_AFTER, null);
    }
    if (fault == Fault.CREDENTIALS) {
      throw new CredentialsException("injected credentials failure", null);
    }
    return fault;
  }

  // =====================================================================================
  // Store half: what happens on the marketplace itself. Not calls, not pushes.
  // =====================================================================================

  /**
   * Adds a listing.
   *
   * @param listingId the listing's id, also its inventory reference
   * @param sku the SKU, or null or blank for a listing without one (stored, never listed)
   * @param status the listing's status
   * @param quantityPerLocation its stock per location id; locations absent here do not stock it
   * @throws IllegalArgumentException if the id is blank or taken, a location is unknown or a
   *     quantity negative
   */
  public synchronized void addListing(
      String listingId,
      @Nullable String sku,
      ListingStatus status,
      Map<String, Long> quantityPerLocation) {
    if (listingId.isBlank()) {
      throw new IllegalArgumentException("blank listing id");
    }
    if (listingsById.containsKey(listingId)) {
      throw new IllegalArgumentException("listing exists: " + listingId);
    }
    for (String locationId : quantityPerLocation.keySet()) {
      location(locationId);
    }
    Listing listing =
        new Listing(listingId, sku, Objects.requireNonNull(status, "status"), clock.instant());
    // Keep the figures in location order so snapshots read naturally.
    for (ChannelLocation location : locations) {
      Long quantity = quantityPerLocation.get(location.id());
      if (quantity != null) {
        listing.quantities.put(location.id(), requireNotNegative(quantity));
      }
    }
    listingsById.put(listingId, listing);
  }

  /**
   * Adds an active, tracked listing stocked at the first location only.
   *
   * @param listingId the listing's id, also its inventory reference
   * @param sku the SKU
   * @param quantityAtFirstLocation its stock at the first location
   * @throws IllegalArgumentException if the id is blank or taken or the quantity negative
   */
  public void addListing(String listingId, String sku, long quantityAtFirstLocation) {
    addListing(
        listingId,
        sku,
        ListingStatus.ACTIVE,
        Map.of(locations.get(0).id(), quantityAtFirstLocation));
  }

  /**
   * Changes a listing's status.
   *
   * @param listingId the listing
   * @param status the new status
   * @throws IllegalArgumentException if the listing is unknown
   */
  public synchronized void setStatus(String listingId, ListingStatus status) {
    Listing listing = listing(listingId);
    listing.status = Objects.requireNonNull(status, "status");
    listing.updatedAt = clock.instant();
  }

  /**
   * Changes a listing's SKU.
   *
   * @param listingId the listing
   * @param sku the new SKU, or null or blank to remove it (the listing disappears from {@link
   *     #listings})
   * @throws IllegalArgumentException if the listing is unknown
   */
  public synchronized void setSku(String listingId, @Nullable String sku) {
    Listing listing = listing(listingId);
    listing.sku = sku;
    listing.updatedAt = clock.instant();
  }

  /**
   * Turns stock tracking on or off for a listing. Pushes to an untracked listing are rejected.
   *
   * @param listingId the listing
   * @param tracked whether the store tracks its stock
   * @throws IllegalArgumentException if the listing is unknown
   */
  public synchronized void setTracked(String listingId, boolean tracked) {
    Listing listing = listing(listingId);
    listing.tracked = tracked;
    listing.updatedAt = clock.instant();
  }

  /**
   * Returns the store's current figure, as the merchant would see it.
   *
   * @param listingId the listing
   * @param locationId the location
   * @return the quantity
   * @throws IllegalArgumentException if the listing is unknown or not stocked at the location
   */
  public synchronized long quantity(String listingId, String locationId) {
    applyDueWrites();
    Long quantity = listing(listingId).quantities.get(locationId);
    if (quantity == null) {
      throw new IllegalArgumentException(listingId + " is not stocked at " + locationId);
    }
    return quantity;
  }

  /**
   * Returns the store's current figure at the first location.
   *
   * @param listingId the listing
   * @return the quantity
   * @throws IllegalArgumentException if the listing is unknown or not stocked there
   */
  public long quantity(String listingId) {
    return quantity(listingId, locations.get(0).id());
  }

  /**
   * Changes a figure on the store side (the merchant edits stock); starts stocking the listing at
   * the location if it did not. Not a push.
   *
   * @param listingId the listing
   * @param locationId the location
   * @param quantity the new figure
   * @throws IllegalArgumentException if the listing or location is unknown or the quantity negative
   */
  public synchronized void setQuantity(String listingId, String locationId, long quantity) {
    Listing listing = listing(listingId);
    location(locationId);
    listing.quantities.put(locationId, requireNotNegative(quantity));
    listing.updatedAt = clock.instant();
  }

  /**
   * Records a sale on the store: an order with one line, fulfilled from the first location, whose
   * units are taken from the first listing (by id) with that SKU at that location, not below zero.
   *
   * @param sku the SKU sold
   * @param quantity units sold, at least 1
   * @return the new order's id
   * @throws IllegalArgumentException if the quantity is not positive
   */
  public String placeOrder(String sku, long quantity) {
    return placeOrder(List.of(new LineSpec(sku, quantity)), locations.get(0).id());
  }

  /**
   * Records a sale on the store. Each line's units are taken from the first listing (by id) with
   * its SKU, at the order's location or at the first location when it has none, not below zero.
   * Lines whose SKU no listing has take nothing. To add an order without touching stock, use {@link
   * #importOrder(ChannelOrder)}.
   *
   * @param lines the lines, at least one
   * @param locationId the location the order names, or null when the channel does not say
   * @return the new order's id
   * @throws IllegalArgumentException if there is no line or the location is unknown
   */
  public String placeOrder(List<LineSpec> lines, @Nullable String locationId) {
    return createOrder(lines, locationId, null);
  }

  /**
   * Records a sale placed at an earlier instant that changes now, for example an order placed
   * before sync was turned on and fulfilled after. Stock is taken as by {@link #placeOrder(List,
   * String)}.
   *
   * @param lines the lines, at least one
   * @param locationId the location the order names, or null when the channel does not say
   * @param createdAt when the order was placed; its update time is now
   * @return the new order's id
   * @throws IllegalArgumentException if there is no line or the location is unknown
   */
  public String placeOrder(List<LineSpec> lines, @Nullable String locationId, Instant createdAt) {
    return createOrder(lines, locationId, Objects.requireNonNull(createdAt, "createdAt"));
  }

  private synchronized String createOrder(
      List<LineSpec> lines, @Nullable String locationId, @Nullable Instant createdAt) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("an order needs at least one line");
    }
    String stockLocation = locationId == null ? locations.get(0).id() : location(locationId).id();
    String orderId = "order-" + ++orderSequence;
    Instant stamp = nextOrderStamp(null);
    Order order = new Order(orderId, createdAt == null ? stamp : createdAt, locationId, stamp);
    int lineNumber = 0;
    for (LineSpec spec : lines) {
      order.lines.add(new Line(orderId + "-line-" + ++lineNumber, spec.sku(), spec.quantity()));
      takeStock(spec.sku(), stockLocation, spec.quantity());
    }
    ordersById.put(orderId, order);
    return orderId;
  }

  private void takeStock(String sku, String locationId, long units) {
    for (Listing listing : listingsById.values()) {
      if (sku.equals(listing.sku) && listing.quantities.containsKey(locationId)) {
        long now = listing.quantities.get(locationId);
        listing.quantities.put(locationId, Math.max(0, now - units));
        listing.updatedAt = clock.instant();
        return;
      }
    }
  }

  private void sellOne(Listing listing, String locationId) {
    long now = listing.quantities.get(locationId);
    listing.quantities.put(locationId, Math.max(0, now - 1));
    listing.updatedAt = clock.instant();
  }

  /**
   * Ships every unshipped unit of an order. Does nothing when nothing is left to ship.
   *
   * @param orderId the order
   * @throws IllegalArgumentException if the order is unknown
   */
  public synchronized void fulfil(String orderId) {
    Order order = order0(orderId);
    boolean changed = false;
    for (Line line : order.lines) {
      long open = line.unshipped();
      if (open > 0) {
        line.fulfilled += open;
        changed = true;
      }
    }
    if (changed) {
      touch(order);
    }
  }

  /**
   * Ships units of one line.
   *
   * @param orderId the order
   * @param lineId the line
   * @param quantity units shipped, at least 1 and at most the line's unshipped units
   * @throws IllegalArgumentException if the order or line is unknown or the quantity out of range
   */
  public synchronized void fulfil(String orderId, String lineId, long quantity) {
    Order order = order0(orderId);
    Line line = order.line(lineId);
    if (quantity <= 0 || quantity > line.unshipped()) {
      throw new IllegalArgumentException(
          "cannot ship " + quantity + " of " + line.unshipped() + " unshipped on " + lineId);
    }
    line.fulfilled += quantity;
    touch(order);
  }

  /**
   * Cancels an order: every unshipped unit counts as cancelled. Shipped units stay shipped (use
   * {@link #refund} for returns). Stock is not put back: the engine owns the figures and will push
   * its own. Does nothing on an order already cancelled.
   *
   * @param orderId the order
   * @throws IllegalArgumentException if the order is unknown
   */
  public synchronized void cancel(String orderId) {
    Order order = order0(orderId);
    if (order.cancelled) {
      return;
    }
    order.cancelled = true;
    for (Line line : order.lines) {
      line.cancelled += line.unshipped();
    }
    touch(order);
  }

  /**
   * Refunds units of a line. Unshipped units are refunded first and count as cancelled; the rest
   * are shipped units, which count as restocked when {@code restock} is true and otherwise only
   * stop being refundable (the customer keeps them). Stock is not put back, as for {@link #cancel}.
   *
   * @param orderId the order
   * @param lineId the line
   * @param quantity units refunded, at least 1 and at most the line's refundable units
   * @param restock whether shipped units come back into stock
   * @throws IllegalArgumentException if the order or line is unknown or the quantity out of range
   */
  public synchronized void refund(String orderId, String lineId, long quantity, boolean restock) {
    Order order = order0(orderId);
    Line line = order.line(lineId);
    long unshipped = line.unshipped();
    long shippedRefundable = line.fulfilled - line.restocked - line.refundedKept;
    if (quantity <= 0 || quantity > unshipped + shippedRefundable) {
      throw new IllegalArgumentException(
          "cannot refund " + quantity + " of " + (unshipped + shippedRefundable) + " on " + lineId);
    }
    long fromUnshipped = Math.min(quantity, unshipped);
    line.cancelled += fromUnshipped;
    long fromShipped = quantity - fromUnshipped;
    if (restock) {
      line.restocked += fromShipped;
    } else {
      line.refundedKept += fromShipped;
    }
    touch(order);
  }

  /**
   * Adds an arbitrary order, or replaces the order with the same id, exactly as given (version and
   * times included). Stock is not touched. Later changes through this class give it new versions.
   *
   * @param order the order as the channel would report it
   */
  public synchronized void importOrder(ChannelOrder order) {
    Order copy =
        new Order(order.orderId(), order.createdAt(), order.locationId(), order.updatedAt());
    copy.version = order.version();
    copy.cancelled = order.cancelled();
    for (ChannelOrderLine l : order.lines()) {
      Line line = new Line(l.lineId(), l.sku(), l.quantity());
      line.fulfilled = l.fulfilled();
      line.cancelled = l.cancelled();
      line.restocked = l.restocked();
      line.locationId = l.locationId();
      copy.lines.add(line);
    }
    ordersById.put(copy.id, copy);
  }

  /**
   * Returns an order as {@link #orders} would report it now.
   *
   * @param orderId the order
   * @return the order
   * @throws IllegalArgumentException if the order is unknown
   */
  public synchronized ChannelOrder order(String orderId) {
    return order0(orderId).snapshot();
  }

  private void touch(Order order) {
    order.updatedAt = nextOrderStamp(order.updatedAt);
    order.version = order.updatedAt.toString();
  }

  /**
   * The update time of an order change: the clock's now, but strictly after every earlier order
   * stamp, so each change gets a new version and a cursor never lands between two changes that
   * happened "at the same time" while a test held the clock still.
   */
  private Instant nextOrderStamp(@Nullable Instant previous) {
    Instant stamp = clock.instant();
    if (!stamp.isAfter(lastOrderStamp)) {
      stamp = lastOrderStamp.plusMillis(1);
    }
    if (previous != null && !stamp.isAfter(previous)) {
      stamp = previous.plusMillis(1);
    }
    lastOrderStamp = stamp;
    return stamp;
  }

  // =====================================================================================
  // Fault injection and observation.
  // =====================================================================================

  /**
   * Makes the next {@code n} push calls fail. Replaces an earlier setting.
   *
   * @param n how many push calls, zero to stop
   * @param fault how they fail
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public synchronized void failNextPushes(int n, Fault fault) {
    pushFaultsLeft = requireCount(n);
    pushFault = Objects.requireNonNull(fault, "fault");
  }

  /**
   * Makes the next {@code n} SPI calls of any kind fail (not {@link #storeId()} or {@link
   * #capabilities()}, which are not calls). Replaces an earlier setting; on a push it takes
   * precedence over {@link #failNextPushes}, whose count still goes down.
   *
   * @param n how many calls, zero to stop
   * @param fault how they fail
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public synchronized void failNextCalls(int n, Fault fault) {
    callFaultsLeft = requireCount(n);
    callFault = Objects.requireNonNull(fault, "fault");
  }

  /**
   * From now on a push answers {@link PushResult.Accepted} (like Amazon's {@code ACCEPTED}): the
   * write is queued and applied once {@code applyAfter} has passed on the channel's clock, so
   * {@link #readQuantities} shows the old figure until then. Undo with {@link #confirmPushes()}.
   *
   * @param applyAfter the processing time, also announced as the answer's {@code verifyAfter}
   * @throws IllegalArgumentException if the wait is negative
   */
  public synchronized void acceptPushes(Duration applyAfter) {
    requireNotNegative(applyAfter);
    acceptAfter = applyAfter;
    applyAccepted = true;
  }

  /**
   * From now on a push answers {@link PushResult.Accepted} announcing {@code verifyAfter}, and
   * the write is never applied (a channel that silently drops queued writes). Undo with {@link
   * #confirmPushes()}.
   *
   * @param verifyAfter the wait announced in each answer
   * @throws IllegalArgumentException if the wait is negative
   */
  public synchronized void acceptPushesWithoutApplying(Duration verifyAfter) {
    requireNotNegative(verifyAfter);
    acceptAfter = verifyAfter;
    applyAccepted = false;
  }

  /**
   * Returns to the default: a push is applied at once and answers {@link PushResult.Confirmed}.
   * Writes already accepted are still applied when their time comes.
   */
  public synchronized void confirmPushes() {
    acceptAfter = null;
  }

  private static void requireNotNegative(Duration wait) {
    if (wait.isNegative()) {
      throw new IllegalArgumentException("negative wait: " + wait);
    }
  }

  /** Applies the accepted writes whose time has come, in the order they were accepted. */
  private void applyDueWrites() {
    Instant now = clock.instant();
    for (java.util.Iterator<QueuedWrite> it = queuedWrites.iterator(); it.hasNext(); ) {
      QueuedWrite w = it.next();
      if (w.dueAt().isAfter(now)) {
        continue;
      }
      it.remove();
      Listing listing = listingsById.get(w.ref().inventoryRef());
      if (listing != null && listing.quantities.containsKey(w.ref().locationId())) {
        listing.quantities.put(w.ref().locationId(), w.quantity());
        listing.updatedAt = now;
      }
    }
  }

  /**
   * Returns the ids of listings left out of {@link #listings} because their SKU is not a valid
   * {@link Sku} (too long, or holding control characters), in the order first met.
   *
   * @return the listing ids
   */
  public synchronized List<String> unlistable() {
    return List.copyOf(unlistable);
  }

  /** Revokes the store's credentials: every call throws {@link CredentialsException}. */
  public synchronized void revokeCredentials() {
    revoked = true;
  }

  /** Accepts the credentials again after {@link #revokeCredentials()}. */
  public synchronized void restoreCredentials() {
    revoked = false;
  }

  /**
   * Sets a simulated latency: when the clock is a {@link ManualClock}, every call advances it by
   * this much before it is served. Other clocks are left alone: the channel never sleeps.
   *
   * @param perCall the latency of one call, zero for none
   * @throws IllegalArgumentException if the duration is negative
   */
  public synchronized void latency(Duration perCall) {
    if (perCall.isNegative()) {
      throw new IllegalArgumentException("negative latency: " + perCall);
    }
    latency = perCall;
  }

  /**
   * Returns how many SPI calls were made, including failed ones.
   *
   * @return the number of calls
   */
  public synchronized int callCount() {
    return callCount;
  }

  /**
   * Returns every push call received, in order, including failed ones.
   *
   * @return immutable copies of the batches
   */
  public synchronized List<List<PushItem>> pushCalls() {
    return List.copyOf(pushCalls);
  }

  /**
   * Returns the items of every push call received, in order.
   *
   * @return the items
   */
  public synchronized List<PushItem> pushedItems() {
    List<PushItem> all = new ArrayList<>();
    pushCalls.forEach(all::addAll);
    return List.copyOf(all);
  }

  /**
   * Returns how many push calls were received, including failed ones.
   *
   * @return the number of push calls
   */
  public synchronized int pushCount() {
    return pushCalls.size();
  }

  /** Forgets the recorded push calls (not the idempotency keys), to assert on later ones only. */
  public synchronized void clearPushCalls() {
    pushCalls.clear();
  }

  @Override
  public String toString() {
    return "InMemoryChannel[" + storeId + "]";
  }

  // =====================================================================================
  // Internals.
  // =====================================================================================

  private Listing listing(String listingId) {
    Listing listing = listingsById.get(listingId);
    if (listing == null) {
      throw new IllegalArgumentException("unknown listing: " + listingId);
    }
    return listing;
  }

  private Order order0(String orderId) {
    Order order = ordersById.get(orderId);
    if (order == null) {
      throw new IllegalArgumentException("unknown order: " + orderId);
    }
    return order;
  }

  private ChannelLocation location(String locationId) {
    for (ChannelLocation location : locations) {
      if (location.id().equals(locationId)) {
        return location;
      }
    }
    throw new IllegalArgumentException("unknown location: " + locationId);
  }

  private static long requireNotNegative(long quantity) {
    if (quantity < 0) {
      throw new IllegalArgumentException("negative quantity: " + quantity);
    }
    return quantity;
  }

  private static int requireCount(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative count: " + n);
    }
    return n;
  }

  private static final Comparator<Order> ORDER_POSITION =
      Comparator.comparing((Order o) -> o.updatedAt).thenComparing(o -> o.id);

  /** A position in the (updatedAt, id) order, serialised as the page token. */
  private record OrderCursor(Instant updatedAt, String orderId) {
    static String of(Order order) {
      return order.updatedAt + "|" + order.id;
    }

    static OrderCursor parse(String token) {
      int bar = token.indexOf('|');
      try {
        if (bar > 0) {
          return new OrderCursor(Instant.parse(token.substring(0, bar)), token.substring(bar + 1));
        }
      } catch (DateTimeParseException e) {
        // fall through
      }
      throw new InvalidInputException("pageToken", "not a token this channel issued");
    }

    boolean isBefore(Order order) {
      int byTime = updatedAt.compareTo(order.updatedAt);
      return byTime < 0 || (byTime == 0 && orderId.compareTo(order.id) < 0);
    }
  }

  /** A listing as the store holds it. */
  private static final class Listing {
    final String id;
    @Nullable String sku;
    ListingStatus status;
    boolean tracked = true;

    /** Per location id, only where the listing is stocked. */
    final Map<String, Long> quantities = new LinkedHashMap<>();

    Instant updatedAt;

    Listing(String id, @Nullable String sku, ListingStatus status, Instant updatedAt) {
      this.id = id;
      this.sku = sku;
      this.status = status;
      this.updatedAt = updatedAt;
    }

    ChannelListing snapshot() {
      // The inventory reference is the listing id: this store sets stock on the listing itself.
      return new ChannelListing(id, id, Sku.of(sku), status, id, tracked, quantities, updatedAt);
    }
  }

  /** An order as the store holds it: mutable; reported through immutable snapshots. */
  private static final class Order {
    final String id;
    final Instant createdAt;
    final @Nullable String locationId;
    final List<Line> lines = new ArrayList<>();
    Instant updatedAt;
    String version;
    boolean cancelled;

    Order(String id, Instant createdAt, @Nullable String locationId, Instant updatedAt) {
      this.id = id;
      this.createdAt = createdAt;
      this.locationId = locationId;
      this.updatedAt = updatedAt;
      this.version = updatedAt.toString();
    }

    Line line(String lineId) {
      for (Line line : lines) {
        if (line.id.equals(lineId)) {
          return line;
        }
      }
      throw new IllegalArgumentException("unknown line " + lineId + " on order " + id);
    }

    ChannelOrder snapshot() {
      List<ChannelOrderLine> out = new ArrayList<>(lines.size());
      for (Line l : lines) {
        out.add(
            new ChannelOrderLine(l.id, l.sku, l.quantity, l.fulfilled, l.cancelled, l.restocked,
                l.locationId));
      }
      return new ChannelOrder(id, version, createdAt, updatedAt, cancelled, locationId, out);
    }
  }

  /** An order line as cumulative counters, as the SPI reports them. */
  private static final class Line {
    final String id;
    final String sku;
    final long quantity;
    long fulfilled;
    long cancelled;
    long restocked;
    /** Where the line's units are reserved, when an imported order said so per line. */
    @Nullable String locationId;

    /** Shipped units refunded without restock: no longer refundable, not reported. */
    long refundedKept;

    Line(String id, String sku, long quantity) {
      this.id = id;
      this.sku = sku;
      this.quantity = quantity;
    }

    long unshipped() {
      return quantity - fulfilled - cancelled;
    }
  }

  /** Builds an {@link InMemoryChannel}. Not thread-safe. */
  public static final class Builder {
    private final StoreId storeId;
    private @Nullable String name;
    private Clock clock = Clock.systemUTC();
    private int maxBatchSize = 50;
    private boolean compareAndSet = true;
    private int pageSize = 25;
    private double maxRequestsPerSecond;
    private boolean readsOrderById = true;
    private final List<ChannelLocation> locations = new ArrayList<>();

    private Builder(StoreId storeId) {
      this.storeId = Objects.requireNonNull(storeId, "storeId");
    }

    /**
     * Sets the store's display name, reported by {@link InMemoryChannel#identity()}.
     *
     * @param name the name; defaults to the store id's external id
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the clock that stamps listings and orders.
     *
     * @param clock the clock; defaults to the system clock in UTC. Pass a {@link ManualClock} to
     *     control time and to make {@link InMemoryChannel#latency(Duration)} effective
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the largest batch {@link InMemoryChannel#push} accepts.
     *
     * @param maxBatchSize at least 1; defaults to 50
     * @return this builder
     */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Sets whether pushes honour {@link PushItem#expected()}.
     *
     * @param compareAndSet defaults to true
     * @return this builder
     */
    public Builder compareAndSet(boolean compareAndSet) {
      this.compareAndSet = compareAndSet;
      return this;
    }

    /**
     * Sets how many listings or orders one page holds.
     *
     * @param pageSize at least 1; defaults to 25
     * @return this builder
     */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1) {
        throw new IllegalArgumentException("pageSize must be >= 1: " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /**
     * Adds a location the engine may push to. Without any location the store has one, {@code
     * "default"}. The first location added is the "first location" of the seeding methods.
     *
     * @param id the location id
     * @param name its display name
     * @return this builder
     * @throws IllegalArgumentException if the id is already used
     */
    public Builder location(String id, String name) {
      return addLocation(id, name, false);
    }

    /**
     * Adds a location whose stock the channel manages itself (like Amazon FBA): reported, but
     * pushes to it are rejected.
     *
     * @param id the location id
     * @param name its display name
     * @return this builder
     * @throws IllegalArgumentException if the id is already used
     */
    public Builder readOnlyLocation(String id, String name) {
      return addLocation(id, name, true);
    }

    private Builder addLocation(String id, String name, boolean readOnly) {
      ChannelLocation location = new ChannelLocation(id, name, true, readOnly);
      for (ChannelLocation other : locations) {
        if (other.id().equals(location.id())) {
          throw new IllegalArgumentException("duplicate location: " + id);
        }
      }
      locations.add(location);
      return this;
    }

    /**
     * Sets the request-rate hint reported in the capabilities. Not enforced.
     *
     * @param maxRequestsPerSecond zero or more; defaults to 0 (no hint)
     * @return this builder
     */
    public Builder maxRequestsPerSecond(double maxRequestsPerSecond) {
      this.maxRequestsPerSecond = maxRequestsPerSecond;
      return this;
    }

    /**
     * Sets whether the channel reads single orders by id ({@link InMemoryChannel#readOrder}), as
     * a connector for a channel without that call would not.
     *
     * @param readsOrderById defaults to true
     * @return this builder
     */
    public Builder readsOrderById(boolean readsOrderById) {
      this.readsOrderById = readsOrderById;
      return this;
    }

    /**
     * Builds the channel, empty.
     *
     * @return the channel
     * @throws InvalidInputException if the batch size or request rate is invalid
     */
    public InMemoryChannel build() {
      return new InMemoryChannel(this);
    }
  }
}
