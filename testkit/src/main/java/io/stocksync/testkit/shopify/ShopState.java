package io.stocksync.testkit.shopify;

import io.stocksync.testkit.internal.Json;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The emulated shop's data: locations, products, variants, inventory items and levels, orders, and
 * the idempotency store. Every method must be called while holding this object's monitor (the
 * emulator's single state lock); the methods do not lock themselves.
 *
 * <p>Changes that Shopify would announce by webhook append a {@link WebhookEvent} to an outbox
 * when {@link #eventsEnabled} is set; the caller drains it in the same locked block.
 */
final class ShopState {
  static final long SHOP_ID = 60_000_000_001L;

  private final Clock clock;
  private long nextLocationId = 1_000_000_000_001L;
  private long nextProductId = 8_000_000_000_001L;
  private long nextVariantId = 44_000_000_000_001L;
  private long nextInventoryItemId = 46_000_000_000_001L;
  private long nextOrderId = 5_000_000_000_001L;
  private long nextLineItemId = 13_000_000_000_001L;
  private long nextFulfillmentId = 4_000_000_000_001L;
  private long nextFulfillmentOrderId = 6_000_000_000_001L;
  private long nextFulfillmentOrderLineItemId = 14_000_000_000_001L;
  private long nextRefundId = 900_000_000_001L;
  private long nextAdjustmentGroupId = 300_000_000_001L;
  private int nextOrderNumber = 1001;
  private Instant lastOrderUpdate = Instant.MIN;

  final NavigableMap<Long, Location> locations = new TreeMap<>();
  final Map<Long, Product> products = new HashMap<>();
  final NavigableMap<Long, Variant> variants = new TreeMap<>();
  final Map<Long, InventoryItem> inventoryItems = new HashMap<>();
  final Map<Long, Order> orders = new HashMap<>();
  final Map<Long, FulfillmentOrder> fulfillmentOrders = new HashMap<>();
  final NavigableMap<OrderKey, Order> ordersByUpdatedAt = new TreeMap<>();
  final Map<String, StoredMutation> idempotency = new HashMap<>();

  boolean eventsEnabled;
  private final List<WebhookEvent> outbox = new ArrayList<>();

  /** How long after an online order its fulfilment orders appear (Shopify routes in the background). */
  private final java.time.Duration routingDelay;

  ShopState(Clock clock) {
    this(clock, java.time.Duration.ZERO);
  }

  ShopState(Clock clock, java.time.Duration routingDelay) {
    this.clock = clock;
    this.routingDelay = routingDelay;
  }

  // ---------------------------------------------------------------- model

  static final class Location {
    final long id;
    final String name;
    final boolean active;

    Location(long id, String name, boolean active) {
      this.id = id;
      this.name = name;
      this.active = active;
    }
  }

  static final class Product {
    final long id;
    final String title;
    ProductStatus status;
    Instant updatedAt;
    final List<Variant> variants = new ArrayList<>(1);

    Product(long id, String title, ProductStatus status, Instant updatedAt) {
      this.id = id;
      this.title = title;
      this.status = status;
      this.updatedAt = updatedAt;
    }
  }

  static final class Variant {
    final long id;
    final Product product;
    @Nullable String sku;
    final String title;
    Instant updatedAt;
    final InventoryItem item;

    Variant(
        long id,
        Product product,
        @Nullable String sku,
        String title,
        Instant updatedAt,
        InventoryItem item) {
      this.id = id;
      this.product = product;
      this.sku = sku;
      this.title = title;
      this.updatedAt = updatedAt;
      this.item = item;
    }
  }

  static final class InventoryItem {
    final long id;
    final long variantId;
    final boolean tracked;
    /** Levels by location id, ascending. */
    final NavigableMap<Long, Level> levels = new TreeMap<>();

    InventoryItem(long id, long variantId, boolean tracked) {
      this.id = id;
      this.variantId = variantId;
      this.tracked = tracked;
    }
  }

  /** The quantities of one item at one location; on_hand = available + committed. */
  static final class Level {
    long available;
    long onHand;
    Instant updatedAt;

    Level(long available, long onHand, Instant updatedAt) {
      this.available = available;
      this.onHand = onHand;
      this.updatedAt = updatedAt;
    }
  }

  /** The sort key of the {@code Orders} connection: updatedAt, then id. */
  record OrderKey(Instant updatedAt, long id) implements Comparable<OrderKey> {
    private static final Comparator<OrderKey> ORDER =
        Comparator.comparing(OrderKey::updatedAt).thenComparingLong(OrderKey::id);

    @Override
    public int compareTo(OrderKey other) {
      return ORDER.compare(this, other);
    }
  }

  static final class Order {
    final long id;
    final String name;
    final Instant createdAt;
    Instant updatedAt;
    @Nullable Instant cancelledAt;
    final List<Line> lines = new ArrayList<>(1);
    final List<Fulfillment> fulfillments = new ArrayList<>(0);
    final List<Refund> refunds = new ArrayList<>(0);
    /** The order's fulfilment orders in creation order, including closed ones. */
    final List<FulfillmentOrder> fulfillmentOrders = new ArrayList<>(1);
    /** The point-of-sale location of a POS order; -1 for an online order. */
    long retailLocationId = -1;
    /** When the background routing made the fulfilment orders visible. */
    Instant routedAt;

    Order(long id, String name, Instant createdAt) {
      this.id = id;
      this.name = name;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
      this.routedAt = createdAt;
    }

    /** Whether routing has run at {@code now}: until then the order shows no fulfilment order. */
    boolean routed(Instant now) {
      return !now.isBefore(routedAt);
    }

    String displayFulfillmentStatus() {
      int fulfilled = 0;
      int unfulfilled = 0;
      for (Line line : lines) {
        fulfilled += line.fulfilled;
        unfulfilled += line.unfulfilled();
      }
      if (fulfilled == 0) {
        return "UNFULFILLED";
      }
      return unfulfilled == 0 ? "FULFILLED" : "PARTIALLY_FULFILLED";
    }
  }

  static final class Line {
    final long id;
    final Order order;
    final long variantId;
    final @Nullable String sku;
    /**
     * The location stock was taken from; -1 when no stock was taken (untracked or unstocked).
     * Changes when the line's fulfilment order is moved to another location.
     */
    long locationId;
    final int quantity;
    int fulfilled;
    int removed;
    int returned;
    /** The location the line first shipped from (returns are restocked there); -1 before. */
    long shippedFrom = -1;

    Line(long id, Order order, long variantId, @Nullable String sku, long locationId, int quantity) {
      this.id = id;
      this.order = order;
      this.variantId = variantId;
      this.sku = sku;
      this.locationId = locationId;
      this.quantity = quantity;
    }

    int unfulfilled() {
      return quantity - fulfilled - removed;
    }

    int current() {
      return quantity - removed - returned;
    }
  }

  record FulfillmentLine(Line line, int quantity) {}

  /** A fulfilment ships from one location. */
  record Fulfillment(long id, Instant createdAt, long locationId, List<FulfillmentLine> lines) {}

  /** Shopify's fulfilment order: the units of some lines assigned to one location. */
  static final class FulfillmentOrder {
    final long id;
    final Order order;
    long locationId;
    String status = "OPEN";
    final List<FulfillmentOrderLine> lines = new ArrayList<>(1);

    FulfillmentOrder(long id, Order order, long locationId) {
      this.id = id;
      this.order = order;
      this.locationId = locationId;
    }

    /** Open or part fulfilled: still holds units to ship, and can be moved or cancelled. */
    boolean open() {
      return status.equals("OPEN") || status.equals("IN_PROGRESS");
    }

    int remaining() {
      int sum = 0;
      for (FulfillmentOrderLine l : lines) {
        sum += l.remaining;
      }
      return sum;
    }

    /** Closes it when nothing is left to ship; part fulfilled, it is IN_PROGRESS as in Shopify. */
    void settle() {
      if (!open()) {
        return;
      }
      int left = remaining();
      if (left == 0) {
        status = "CLOSED";
      } else {
        boolean started = false;
        for (FulfillmentOrderLine l : lines) {
          started |= l.remaining < l.total;
        }
        status = started ? "IN_PROGRESS" : "OPEN";
      }
    }
  }

  /** A line's units in one fulfilment order. */
  static final class FulfillmentOrderLine {
    final long id;
    final Line line;
    int total;
    int remaining;

    FulfillmentOrderLine(long id, Line line, int total, int remaining) {
      this.id = id;
      this.line = line;
      this.total = total;
      this.remaining = remaining;
    }
  }

  record RefundLine(Line line, int quantity, RestockType restockType) {}

  record Refund(long id, Instant createdAt, List<RefundLine> lines) {}

  /** A mutation result remembered under its idempotency key. */
  record StoredMutation(Object input, Map<String, @Nullable Object> data) {}

  // ---------------------------------------------------------------- time and events

  long nextAdjustmentGroupId() {
    return nextAdjustmentGroupId++;
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The next order timestamp: now, or 1 ms past the last one when the clock has not moved. */
  private Instant nextOrderTimestamp() {
    Instant now = now();
    if (!now.isAfter(lastOrderUpdate)) {
      now = lastOrderUpdate.plusMillis(1);
    }
    lastOrderUpdate = now;
    return now;
  }

  List<WebhookEvent> drainOutbox() {
    if (outbox.isEmpty()) {
      return List.of();
    }
    List<WebhookEvent> drained = List.copyOf(outbox);
    outbox.clear();
    return drained;
  }

  private void emit(String topic, Map<String, @Nullable Object> payload) {
    outbox.add(new WebhookEvent(topic, payload, now()));
  }

  // ---------------------------------------------------------------- catalogue

  Location addLocation(String name, boolean active) {
    Location location = new Location(nextLocationId++, name, active);
    locations.put(location.id, location);
    return location;
  }

  Product addProduct(String title, ProductStatus status) {
    Product product = new Product(nextProductId++, title, status, now());
    products.put(product.id, product);
    return product;
  }

  Product product(long id) {
    Product product = products.get(id);
    if (product == null) {
      throw new IllegalArgumentException("unknown product " + Gid.of("Product", id));
    }
    return product;
  }

  Variant variant(long id) {
    Variant variant = variants.get(id);
    if (variant == null) {
      throw new IllegalArgumentException("unknown variant " + Gid.of("ProductVariant", id));
    }
    return variant;
  }

  InventoryItem inventoryItem(long id) {
    InventoryItem item = inventoryItems.get(id);
    if (item == null) {
      throw new IllegalArgumentException("unknown inventory item " + Gid.of("InventoryItem", id));
    }
    return item;
  }

  Location location(long id) {
    Location location = locations.get(id);
    if (location == null) {
      throw new IllegalArgumentException("unknown location " + Gid.of("Location", id));
    }
    return location;
  }

  void setProductStatus(long productId, ProductStatus status) {
    Product product = product(productId);
    if (product.status == status) {
      return;
    }
    product.status = status;
    Instant now = now();
    product.updatedAt = now;
    for (Variant variant : product.variants) {
      variant.updatedAt = now;
    }
    emitProductUpdate(product);
  }

  Variant addVariant(long productId, @Nullable String sku, boolean tracked, boolean announce) {
    Product product = product(productId);
    long variantId = nextVariantId++;
    InventoryItem item = new InventoryItem(nextInventoryItemId++, variantId, tracked);
    Instant now = now();
    Variant variant = new Variant(variantId, product, sku, "Default Title", now, item);
    product.variants.add(variant);
    product.updatedAt = now;
    variants.put(variantId, variant);
    inventoryItems.put(item.id, item);
    if (announce) {
      emitProductUpdate(product);
    }
    return variant;
  }

  void setSku(long variantId, @Nullable String sku) {
    Variant variant = variant(variantId);
    variant.sku = sku;
    Instant now = now();
    variant.updatedAt = now;
    variant.product.updatedAt = now;
    emitProductUpdate(variant.product);
  }

  /** Stocks an item at a location or sets its available quantity (on_hand moves by the delta). */
  void stock(long inventoryItemId, long locationId, long available, boolean announce) {
    InventoryItem item = inventoryItem(inventoryItemId);
    location(locationId);
    Level level = item.levels.get(locationId);
    Instant now = now();
    if (level == null) {
      level = new Level(available, available, now);
      item.levels.put(locationId, level);
    } else {
      if (level.available == available) {
        return;
      }
      level.onHand += available - level.available;
      level.available = available;
      level.updatedAt = now;
    }
    if (announce) {
      emitLevelUpdate(item, locationId, level);
    }
  }

  Level level(long inventoryItemId, long locationId) {
    Level level = inventoryItem(inventoryItemId).levels.get(locationId);
    if (level == null) {
      throw new IllegalArgumentException(
          Gid.of("InventoryItem", inventoryItemId)
              + " is not stocked at "
              + Gid.of("Location", locationId));
    }
    return level;
  }

  /** Adds to available (and, for restocks of fulfilled units, on_hand) and announces it. */
  private void moveAvailable(Line line, long availableDelta, long onHandDelta) {
    moveAvailable(line, line.locationId, availableDelta, onHandDelta);
  }

  /** The same at a given location (a line split over fulfilment orders at several). */
  private void moveAvailable(Line line, long locationId, long availableDelta, long onHandDelta) {
    if (locationId < 0 || (availableDelta == 0 && onHandDelta == 0)) {
      return;
    }
    InventoryItem item = variant(line.variantId).item;
    Level level = item.levels.get(locationId);
    if (level == null) {
      return;
    }
    level.available += availableDelta;
    level.onHand += onHandDelta;
    level.updatedAt = now();
    if (availableDelta != 0) {
      emitLevelUpdate(item, locationId, level);
    }
  }

  void emitLevelUpdate(InventoryItem item, long locationId, Level level) {
    if (!eventsEnabled) {
      return;
    }
    Map<String, @Nullable Object> payload = Json.object();
    payload.put("inventory_item_id", item.id);
    payload.put("location_id", locationId);
    payload.put("available", level.available);
    payload.put("updated_at", level.updatedAt.toString());
    payload.put(
        "admin_graphql_api_id",
        Gid.of("InventoryLevel", locationId) + "?inventory_item_id=" + item.id);
    emit("inventory_levels/update", payload);
  }

  private void emitProductUpdate(Product product) {
    if (!eventsEnabled) {
      return;
    }
    Map<String, @Nullable Object> payload = Json.object();
    payload.put("id", product.id);
    payload.put("admin_graphql_api_id", Gid.of("Product", product.id));
    payload.put("title", product.title);
    payload.put("status", product.status.lowerCase());
    payload.put("updated_at", product.updatedAt.toString());
    List<Object> variantList = new ArrayList<>(product.variants.size());
    for (Variant variant : product.variants) {
      Map<String, @Nullable Object> v = Json.object();
      v.put("id", variant.id);
      v.put("admin_graphql_api_id", Gid.of("ProductVariant", variant.id));
      v.put("sku", variant.sku);
      v.put("inventory_item_id", variant.item.id);
      v.put("updated_at", variant.updatedAt.toString());
      variantList.add(v);
    }
    payload.put("variants", variantList);
    emit("products/update", payload);
  }

  /** {@code bulk_operations/finish}: lower-case status and error code, as Shopify sends them. */
  void emitBulkFinish(String gid, String status, @Nullable String errorCode, Instant createdAt,
      Instant completedAt) {
    if (!eventsEnabled) {
      return;
    }
    Map<String, @Nullable Object> payload = Json.object();
    payload.put("admin_graphql_api_id", gid);
    payload.put("completed_at", Timestamps.format(completedAt));
    payload.put("created_at", Timestamps.format(createdAt));
    payload.put("error_code", errorCode == null ? null : errorCode.toLowerCase(java.util.Locale.ROOT));
    payload.put("status", status.toLowerCase(java.util.Locale.ROOT));
    payload.put("type", "query");
    outbox.add(new WebhookEvent("bulk_operations/finish", payload, completedAt));
  }

  void emitAppUninstalled(String shopName, String domain) {
    if (!eventsEnabled) {
      return;
    }
    Map<String, @Nullable Object> payload = Json.object();
    payload.put("id", SHOP_ID);
    payload.put("name", shopName);
    payload.put("domain", domain);
    payload.put("myshopify_domain", domain);
    emit("app/uninstalled", payload);
  }

  // ---------------------------------------------------------------- orders

  Order order(long id) {
    Order order = orders.get(id);
    if (order == null) {
      throw new IllegalArgumentException("unknown order " + Gid.of("Order", id));
    }
    return order;
  }

  private void touch(Order order) {
    ordersByUpdatedAt.remove(new OrderKey(order.updatedAt, order.id));
    order.updatedAt = nextOrderTimestamp();
    ordersByUpdatedAt.put(new OrderKey(order.updatedAt, order.id), order);
  }

  /**
   * Places an order. A POS order ({@code posLocation >= 0}) takes every line's units at its retail
   * location and is routed at once; an online order's lines take their units at their spec's
   * location, and its fulfilment orders (one per location) show only after the routing delay.
   */
  Order createOrder(List<OrderLineSpec> specs, long posLocation) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("an order needs at least one line");
    }
    if (posLocation >= 0) {
      location(posLocation);
    }
    // Validate everything before changing anything.
    List<Variant> lineVariants = new ArrayList<>(specs.size());
    long[] lineLocations = new long[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      OrderLineSpec spec = specs.get(i);
      Variant variant = variant(Gid.require("ProductVariant", spec.variantId()));
      lineVariants.add(variant);
      long locationId = -1;
      if (posLocation >= 0 || spec.locationId() != null) {
        locationId = posLocation >= 0 ? posLocation
            : location(Gid.require("Location", spec.locationId())).id;
        if (variant.item.tracked && !variant.item.levels.containsKey(locationId)) {
          throw new IllegalArgumentException(
              spec.variantId() + " is not stocked at " + Gid.of("Location", locationId));
        }
      } else if (!variant.item.levels.isEmpty()) {
        locationId = variant.item.levels.firstKey();
      }
      lineLocations[i] = variant.item.tracked ? locationId : -1;
    }
    Instant timestamp = nextOrderTimestamp();
    Order order = new Order(nextOrderId++, "#" + nextOrderNumber++, timestamp);
    order.retailLocationId = posLocation;
    order.routedAt = posLocation >= 0 ? now() : now().plus(routingDelay);
    Map<Long, FulfillmentOrder> byLocation = new java.util.LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      Variant variant = lineVariants.get(i);
      Line line =
          new Line(
              nextLineItemId++,
              order,
              variant.id,
              variant.sku,
              lineLocations[i],
              specs.get(i).quantity());
      order.lines.add(line);
      if (line.locationId >= 0) {
        FulfillmentOrder fo = byLocation.computeIfAbsent(line.locationId, l -> newFulfillmentOrder(order, l));
        fo.lines.add(new FulfillmentOrderLine(nextFulfillmentOrderLineItemId++, line, line.quantity, line.quantity));
      }
    }
    orders.put(order.id, order);
    ordersByUpdatedAt.put(new OrderKey(order.updatedAt, order.id), order);
    emitOrder("orders/create", order);
    for (Line line : order.lines) {
      // A sale commits the units: available goes down, on_hand stays until fulfilment.
      moveAvailable(line, -line.quantity, 0);
    }
    return order;
  }

  private FulfillmentOrder newFulfillmentOrder(Order order, long locationId) {
    FulfillmentOrder fo = new FulfillmentOrder(nextFulfillmentOrderId++, order, locationId);
    order.fulfillmentOrders.add(fo);
    fulfillmentOrders.put(fo.id, fo);
    return fo;
  }

  /** The line's units in open fulfilment orders, in fulfilment-order order. */
  private static List<FulfillmentOrderLine> openParts(Line line) {
    List<FulfillmentOrderLine> parts = new ArrayList<>(1);
    for (FulfillmentOrder fo : line.order.fulfillmentOrders) {
      if (fo.open()) {
        for (FulfillmentOrderLine l : fo.lines) {
          if (l.line == line && l.remaining > 0) {
            parts.add(l);
          }
        }
      }
    }
    return parts;
  }

  private static @Nullable FulfillmentOrder fulfillmentOrderOf(FulfillmentOrderLine part) {
    for (FulfillmentOrder fo : part.line.order.fulfillmentOrders) {
      if (fo.lines.contains(part)) {
        return fo;
      }
    }
    return null;
  }

  /** The line's location: where its first open units are, else where it last shipped from. */
  private static void relocate(Line line) {
    List<FulfillmentOrderLine> parts = openParts(line);
    if (!parts.isEmpty()) {
      FulfillmentOrder fo = fulfillmentOrderOf(parts.get(0));
      if (fo != null) {
        line.locationId = fo.locationId;
      }
    }
  }

  Line line(Order order, long lineItemId) {
    for (Line line : order.lines) {
      if (line.id == lineItemId) {
        return line;
      }
    }
    throw new IllegalArgumentException(
        Gid.of("LineItem", lineItemId) + " is not a line of " + Gid.of("Order", order.id));
  }

  /**
   * Moves the open fulfilment orders at {@code from} to {@code to}, as Shopify's {@code
   * fulfillmentOrderMove} without line items: the unshipped units are committed at the new
   * location instead (available goes back up at the old one, down at the new one). A fulfilment
   * order with nothing shipped keeps its id and gets the new assigned location; one that is part
   * shipped is closed with its shipped units, and its unshipped units go to a new fulfilment order
   * at the new location.
   */
  void moveFulfillmentOrder(Order order, long from, long to) {
    location(to);
    if (order.cancelledAt != null) {
      throw new IllegalStateException(Gid.of("Order", order.id) + " is cancelled");
    }
    List<FulfillmentOrder> moving = new ArrayList<>();
    for (FulfillmentOrder fo : order.fulfillmentOrders) {
      if (fo.open() && fo.locationId == from) {
        for (FulfillmentOrderLine l : fo.lines) {
          requireStocked(l.line, to);
        }
        moving.add(fo);
      }
    }
    if (moving.isEmpty()) {
      throw new IllegalArgumentException(Gid.of("Order", order.id) + " has no open fulfilment order at "
          + Gid.of("Location", from));
    }
    for (FulfillmentOrder fo : moving) {
      boolean untouched = fo.lines.stream().allMatch(l -> l.remaining == l.total);
      FulfillmentOrder target = untouched ? fo : newFulfillmentOrder(order, to);
      for (FulfillmentOrderLine l : List.copyOf(fo.lines)) {
        moveAvailable(l.line, from, l.remaining, 0);
        moveAvailable(l.line, to, -l.remaining, 0);
        if (!untouched && l.remaining > 0) {
          target.lines.add(new FulfillmentOrderLine(nextFulfillmentOrderLineItemId++, l.line, l.remaining, l.remaining));
          l.total -= l.remaining;
          l.remaining = 0;
        }
      }
      if (untouched) {
        fo.locationId = to;
      } else {
        fo.status = "CLOSED";
      }
    }
    for (Line line : order.lines) {
      relocate(line);
    }
    touch(order);
    emitOrder("orders/updated", order);
  }

  /**
   * Moves some unshipped units of one line from the open fulfilment order at {@code from} to a new
   * fulfilment order at {@code to} (Shopify's {@code fulfillmentOrderMove} with {@code
   * fulfillmentOrderLineItems}); the line is then split over two locations.
   */
  void moveFulfillmentOrderLine(Order order, long from, long to, Line line, int quantity) {
    location(to);
    if (order.cancelledAt != null) {
      throw new IllegalStateException(Gid.of("Order", order.id) + " is cancelled");
    }
    requireStocked(line, to);
    FulfillmentOrderLine part = null;
    FulfillmentOrder source = null;
    for (FulfillmentOrder fo : order.fulfillmentOrders) {
      if (fo.open() && fo.locationId == from) {
        for (FulfillmentOrderLine l : fo.lines) {
          if (l.line == line && l.remaining > 0) {
            part = l;
            source = fo;
          }
        }
      }
    }
    if (part == null || source == null) {
      throw new IllegalArgumentException(Gid.of("LineItem", line.id) + " has no unshipped units at "
          + Gid.of("Location", from));
    }
    if (quantity < 1 || quantity > part.remaining) {
      throw new IllegalArgumentException("cannot move " + quantity + " of " + Gid.of("LineItem", line.id)
          + ", unshipped at " + Gid.of("Location", from) + ": " + part.remaining);
    }
    FulfillmentOrder target = newFulfillmentOrder(order, to);
    target.lines.add(new FulfillmentOrderLine(nextFulfillmentOrderLineItemId++, line, quantity, quantity));
    part.total -= quantity;
    part.remaining -= quantity;
    if (part.total == 0) {
      source.lines.remove(part);
    }
    source.settle();
    moveAvailable(line, from, quantity, 0);
    moveAvailable(line, to, -quantity, 0);
    relocate(line);
    touch(order);
    emitOrder("orders/updated", order);
  }

  private void requireStocked(Line line, long to) {
    InventoryItem item = variant(line.variantId).item;
    if (!item.levels.containsKey(to)) {
      throw new IllegalArgumentException(Gid.of("InventoryItem", item.id) + " is not stocked at "
          + Gid.of("Location", to));
    }
  }

  /**
   * Fulfils the requested units of the order's lines (zero quantities are skipped), from their
   * open fulfilment orders in order; one fulfilment per location shipped from.
   *
   * @return the first fulfilment created
   */
  Fulfillment fulfil(Order order, List<FulfillmentLine> requested) {
    if (order.cancelledAt != null) {
      throw new IllegalStateException(Gid.of("Order", order.id) + " is cancelled");
    }
    List<FulfillmentLine> lines = new ArrayList<>();
    for (FulfillmentLine f : requested) {
      if (f.quantity() < 0 || f.quantity() > f.line().unfulfilled()) {
        throw new IllegalArgumentException(
            "cannot fulfil "
                + f.quantity()
                + " of "
                + Gid.of("LineItem", f.line().id)
                + ", unfulfilled: "
                + f.line().unfulfilled());
      }
      if (f.quantity() > 0) {
        lines.add(f);
      }
    }
    if (lines.isEmpty()) {
      throw new IllegalStateException(Gid.of("Order", order.id) + " has nothing to fulfil");
    }
    Map<Long, List<FulfillmentLine>> byLocation = new java.util.LinkedHashMap<>();
    for (FulfillmentLine f : lines) {
      int left = f.quantity();
      for (FulfillmentOrderLine part : openParts(f.line())) {
        int q = Math.min(left, part.remaining);
        FulfillmentOrder fo = fulfillmentOrderOf(part);
        long at = fo == null ? f.line().locationId : fo.locationId;
        part.remaining -= q;
        left -= q;
        byLocation.computeIfAbsent(at, k -> new ArrayList<>()).add(new FulfillmentLine(f.line(), q));
        if (fo != null) {
          fo.settle();
        }
        if (left == 0) {
          break;
        }
      }
      if (left > 0) { // untracked lines take stock nowhere and have no fulfilment order
        byLocation.computeIfAbsent(f.line().locationId, k -> new ArrayList<>())
            .add(new FulfillmentLine(f.line(), left));
      }
    }
    Fulfillment first = null;
    for (Map.Entry<Long, List<FulfillmentLine>> group : byLocation.entrySet()) {
      Fulfillment fulfillment = new Fulfillment(nextFulfillmentId++, now(), group.getKey(),
          List.copyOf(group.getValue()));
      for (FulfillmentLine f : group.getValue()) {
        f.line().fulfilled += f.quantity();
        if (f.line().shippedFrom < 0) {
          f.line().shippedFrom = group.getKey();
        }
        // Committed units leave the building: on_hand goes down, available does not move.
        moveAvailable(f.line(), group.getKey(), 0, -f.quantity());
      }
      order.fulfillments.add(fulfillment);
      if (first == null) {
        first = fulfillment;
      }
    }
    for (FulfillmentLine f : lines) {
      relocate(f.line());
    }
    touch(order);
    emitOrder("orders/updated", order);
    return first;
  }

  /** Takes unshipped units off the line's open fulfilment orders, last first; returns them by location. */
  private Map<Long, Integer> takeUnshipped(Line line, int units) {
    Map<Long, Integer> taken = new java.util.LinkedHashMap<>();
    List<FulfillmentOrderLine> parts = openParts(line);
    int left = units;
    for (int i = parts.size() - 1; i >= 0 && left > 0; i--) {
      FulfillmentOrderLine part = parts.get(i);
      int q = Math.min(left, part.remaining);
      part.remaining -= q;
      part.total -= q; // removed units are no longer to be fulfilled at all
      left -= q;
      FulfillmentOrder fo = fulfillmentOrderOf(part);
      if (fo != null) {
        taken.merge(fo.locationId, q, Integer::sum);
        fo.settle();
      }
    }
    if (left > 0) {
      taken.merge(line.locationId, left, Integer::sum);
    }
    return taken;
  }

  void cancel(Order order, boolean restock) {
    if (order.cancelledAt != null) {
      throw new IllegalStateException(Gid.of("Order", order.id) + " is already cancelled");
    }
    touch(order);
    order.cancelledAt = order.updatedAt;
    emitOrder("orders/cancelled", order);
    emitOrder("orders/updated", order);
    List<FulfillmentOrder> open = new ArrayList<>();
    for (FulfillmentOrder fo : order.fulfillmentOrders) {
      if (fo.open()) {
        open.add(fo);
      }
    }
    for (Line line : order.lines) {
      int units = line.unfulfilled();
      line.removed += units;
      takeUnshipped(line, units).forEach((at, q) -> {
        if (restock) {
          moveAvailable(line, at, q, 0);
        } else {
          moveAvailable(line, at, 0, -q);
        }
      });
    }
    for (FulfillmentOrder fo : open) {
      fo.status = "CANCELLED";
    }
  }

  Refund refund(Order order, Line line, int quantity, RestockType type) {
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity < 1: " + quantity);
    }
    int fulfilledKept = line.fulfilled - line.returned;
    int limit =
        switch (type) {
          case RETURN -> fulfilledKept;
          case CANCEL -> line.unfulfilled();
          case NO_RESTOCK, LEGACY_RESTOCK -> line.current();
        };
    if (quantity > limit) {
      throw new IllegalArgumentException(
          "cannot refund "
              + quantity
              + " of "
              + Gid.of("LineItem", line.id)
              + " as "
              + type
              + ", at most "
              + limit);
    }
    int fromUnfulfilled =
        switch (type) {
          case RETURN -> 0;
          case CANCEL -> quantity;
          case NO_RESTOCK, LEGACY_RESTOCK -> Math.min(quantity, line.unfulfilled());
        };
    int fromFulfilled = quantity - fromUnfulfilled;
    line.removed += fromUnfulfilled;
    line.returned += fromFulfilled;
    Refund refund =
        new Refund(nextRefundId++, now(), List.of(new RefundLine(line, quantity, type)));
    order.refunds.add(refund);
    touch(order);
    emitRefund(order, refund);
    emitOrder("orders/updated", order);
    Map<Long, Integer> unshipped = takeUnshipped(line, fromUnfulfilled);
    long returnedTo = line.shippedFrom >= 0 ? line.shippedFrom : line.locationId;
    if (type.restocks()) {
      // Unfulfilled units were committed (in on_hand); returned units come back into on_hand.
      unshipped.forEach((at, q) -> moveAvailable(line, at, q, 0));
      moveAvailable(line, returnedTo, fromFulfilled, fromFulfilled);
    } else {
      unshipped.forEach((at, q) -> moveAvailable(line, at, 0, -q));
    }
    return refund;
  }

  private void emitOrder(String topic, Order order) {
    if (!eventsEnabled) {
      return;
    }
    Map<String, @Nullable Object> payload = Json.object();
    payload.put("id", order.id);
    payload.put("admin_graphql_api_id", Gid.of("Order", order.id));
    payload.put("name", order.name);
    payload.put("created_at", order.createdAt.toString());
    payload.put("updated_at", order.updatedAt.toString());
    payload.put("cancelled_at", order.cancelledAt == null ? null : order.cancelledAt.toString());
    String status = order.displayFulfillmentStatus();
    payload.put(
        "fulfillment_status",
        switch (status) {
          case "FULFILLED" -> "fulfilled";
          case "PARTIALLY_FULFILLED" -> "partial";
          default -> null;
        });
    List<Object> lineList = new ArrayList<>(order.lines.size());
    for (Line line : order.lines) {
      Map<String, @Nullable Object> l = Json.object();
      l.put("id", line.id);
      l.put("admin_graphql_api_id", Gid.of("LineItem", line.id));
      l.put("variant_id", line.variantId);
      l.put("sku", line.sku);
      l.put("quantity", line.quantity);
      l.put("current_quantity", line.current());
      l.put("fulfillable_quantity", line.unfulfilled());
      lineList.add(l);
    }
    payload.put("line_items", lineList);
    emit(topic, payload);
  }

  private void emitRefund(Order order, Refund refund) {
    if (!eventsEnabled) {
      return;
    }
    Map<String, @Nullable Object> payload = Json.object();
    payload.put("id", refund.id());
    payload.put("admin_graphql_api_id", Gid.of("Refund", refund.id()));
    payload.put("order_id", order.id);
    payload.put("created_at", refund.createdAt().toString());
    List<Object> lineList = new ArrayList<>(refund.lines().size());
    for (RefundLine r : refund.lines()) {
      Map<String, @Nullable Object> l = Json.object();
      l.put("line_item_id", r.line().id);
      l.put("quantity", r.quantity());
      l.put("restock_type", r.restockType().lowerCase());
      l.put("location_id", r.line().locationId < 0 ? null : r.line().locationId);
      lineList.add(l);
    }
    payload.put("refund_line_items", lineList);
    emit("refunds/create", payload);
  }

  OrderSnapshot snapshot(Order order) {
    List<OrderSnapshot.Line> lines = new ArrayList<>(order.lines.size());
    for (Line line : order.lines) {
      lines.add(
          new OrderSnapshot.Line(
              Gid.of("LineItem", line.id),
              Gid.of("ProductVariant", line.variantId),
              line.sku,
              line.locationId < 0 ? null : Gid.of("Location", line.locationId),
              line.quantity,
              line.fulfilled,
              line.removed,
              line.returned));
    }
    return new OrderSnapshot(
        Gid.of("Order", order.id),
        order.name,
        order.createdAt,
        order.updatedAt,
        order.cancelledAt,
        order.displayFulfillmentStatus(),
        lines);
  }
}
