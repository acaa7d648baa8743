package io.stocksync.core.sync;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.Inventory;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.MovementType;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.internal.Ledger;
import io.stocksync.core.store.OrderRecord;
import io.stocksync.core.store.OrderRecord.LineState;
import io.stocksync.core.store.StoreReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Applies one channel order inside a transaction: compares it with the stored applied state and
 * books, releases, fulfils and restocks only the differences, then stores the new state with the
 * same commit. Re-reading an order, in any version, therefore changes nothing twice.
 */
final class OrderApplier {
  /** What applying one order produced, for the engine to report after the commit. */
  static final class Outcome {
    boolean applied;
    final List<SyncEvent> events = new ArrayList<>();
    final Set<Sku> priority = new LinkedHashSet<>();
    // SKUs of a new or changed order: the store moved its own figure for them (its sale, or a
    // cancel or return it restocked itself), so the engine no longer knows what it shows.
    final Set<Sku> touched = new LinkedHashSet<>();
  }

  private OrderApplier() {}

  static Outcome apply(
      Inventory.Transaction tx,
      StoreId store,
      Instant syncOnAt,
      List<LocationMapping> mappings,
      ChannelOrder order) {
    Outcome out = new Outcome();
    OrderRecord previous = tx.store().order(store, order.orderId()).orElse(null);
    if (previous != null && previous.version().equals(order.version())) {
      return out;
    }
    boolean ignored = previous != null ? previous.ignored() : placedBefore(order.createdAt(), syncOnAt);
    Set<String> lineIds = new HashSet<>();
    for (ChannelOrderLine line : order.lines()) {
      if (!lineIds.add(line.lineId())) {
        // Applying it would book the line twice and release it once: refused as malformed.
        throw new InvalidInputException("lines", "order " + order.orderId() + " repeats line id '"
            + line.lineId() + "'; refused as malformed");
      }
    }
    for (ChannelOrderLine line : order.lines()) {
      Sku sku = parse(line.sku());
      if (sku != null) {
        out.touched.add(sku);
      }
    }
    if (previous != null) {
      for (LineState s : previous.lines()) {
        Sku sku = parse(s.sku());
        if (sku != null) {
          out.touched.add(sku);
        }
      }
    }
    if (ignored) {
      tx.store().putOrder(new OrderRecord(store, order.orderId(), order.version(),
          order.createdAt(), true, List.of()));
      return out;
    }
    Map<String, LineState> before = new LinkedHashMap<>();
    if (previous != null) {
      for (LineState s : previous.lines()) {
        before.put(s.lineId(), s);
      }
    }
    Map<String, LineState> present = new LinkedHashMap<>();
    for (ChannelOrderLine line : order.lines()) {
      LineState state = before.remove(line.lineId());
      present.put(line.lineId(), state);
    }
    // Lines that vanished from the order (edited away, or a split line's location that no longer
    // holds units) give back their booking, before the remaining lines book: units that moved
    // from a vanished line to another one are released first, so they are not seen as oversold.
    List<LineState> gave = new ArrayList<>();
    for (LineState gone : before.values()) {
      String warehouse = gone.warehouseId();
      if (gone.booked() > 0 && warehouse != null) {
        List<BundleComponent> units = gone.components().isEmpty()
            ? List.of(new BundleComponent(Sku.of(gone.sku()), 1)) : gone.components();
        if (!applySteps(tx, store, order, gone.lineId(), units, warehouse,
            List.of(new Step(MovementType.BOOKING_RELEASE, gone.booked())), out)) {
          gave.add(gone);
          continue;
        }
      }
      gave.add(new LineState(gone.lineId(), gone.sku(), warehouse, 0, gone.fulfilled(),
          gone.restocked(), gone.components()));
    }
    List<LineState> after = new ArrayList<>();
    for (ChannelOrderLine line : order.lines()) {
      LineState state = present.get(line.lineId());
      if (state == null) {
        state = new LineState(line.lineId(), line.sku(), null, 0, 0, 0);
      }
      after.add(applyLine(tx, store, order, line, state, mappings, out));
    }
    after.addAll(gave);
    tx.store().putOrder(new OrderRecord(store, order.orderId(), order.version(), order.createdAt(),
        false, after));
    out.applied = true;
    return out;
  }

  private static LineState applyLine(
      Inventory.Transaction tx,
      StoreId store,
      ChannelOrder order,
      ChannelOrderLine line,
      LineState state,
      List<LocationMapping> mappings,
      Outcome out) {
    boolean started = state.warehouseId() != null;
    // Once a line booked stock under a SKU, it keeps that SKU so its bookings can be undone.
    String rawSku = started ? state.sku() : line.sku();
    Sku sku = parse(rawSku);
    Product product = sku == null ? null : tx.store().product(sku).orElse(null);
    if (product == null || sku == null) {
      out.events.add(new SyncEvent.UnknownSku(store, order.orderId(), line.lineId(), line.sku()));
      return new LineState(line.lineId(), line.sku(), null, 0, 0, 0);
    }
    String location = line.locationId() != null ? line.locationId() : order.locationId();
    long openNow = order.cancelled() ? 0 : line.quantity() - line.fulfilled() - line.cancelled();
    LineState applied = state; // what the ledger holds for the line if nothing below applies
    if (started && (state.booked() > 0 || openNow > 0)
        && movedAway(mappings, location, state.warehouseId())) {
      // The units are now reserved at another location (a moved fulfilment order): the open
      // booking moves to that location's warehouse; what shipped stays where it shipped from.
      String to = warehouseFor(tx, product, Math.max(openNow, 1), mappings, location);
      List<BundleComponent> held = state.components().isEmpty()
          ? List.of(new BundleComponent(sku, 1)) : state.components();
      if (to != null && state.booked() > 0 && !applySteps(tx, store, order, line.lineId(), held,
          state.warehouseId(), List.of(new Step(MovementType.BOOKING_RELEASE, state.booked())),
          out)) {
        return state;
      }
      if (to != null) {
        // Booked again below, at the new warehouse, as open units: checked for oversell there.
        state = new LineState(state.lineId(), state.sku(), to, 0, state.fulfilled(),
            state.restocked(), state.components());
        applied = state;
      }
    }
    String warehouse = started ? state.warehouseId()
        : warehouseFor(tx, product, line.quantity(), mappings, location);
    if (warehouse == null) {
      out.events.add(new SyncEvent.Failure(store, SyncEvent.RunKind.ORDERS,
          "order " + order.orderId() + " line " + line.lineId()
              + ": no warehouse is linked to the store, the line is not booked", null));
      return new LineState(line.lineId(), line.sku(), null, 0, 0, 0);
    }
    // What one unit of the line holds: fixed when the line is first booked, so redefining a
    // bundle later cannot change what this order books, ships or releases.
    List<BundleComponent> units = started
        ? (state.components().isEmpty() ? List.of(new BundleComponent(sku, 1)) : state.components())
        : Ledger.leaves(tx.store(), product);

    long booked = state.booked();
    long fulfilled = state.fulfilled();
    long restocked = state.restocked();
    List<Step> steps = new ArrayList<>();
    long bookTotal = 0;
    long shipNow = line.fulfilled() - fulfilled;
    if (shipNow < 0) {
      // A fulfilment cancelled on the store: those units never left, so they return to stock
      // and are booked again below as open units.
      steps.add(new Step(MovementType.RESTOCK, -shipNow));
      fulfilled = line.fulfilled();
      restocked = Math.min(restocked, fulfilled);
    }
    if (shipNow > 0) {
      if (booked < shipNow) {
        steps.add(new Step(MovementType.ORDER_BOOKING, shipNow - booked));
        bookTotal += shipNow - booked;
        booked = shipNow;
      }
      steps.add(new Step(MovementType.FULFILMENT, shipNow));
      booked -= shipNow;
      fulfilled = line.fulfilled();
    }
    long open = openNow;
    if (open > booked) {
      steps.add(new Step(MovementType.ORDER_BOOKING, open - booked));
      bookTotal += open - booked;
    } else if (open < booked) {
      steps.add(new Step(MovementType.BOOKING_RELEASE, booked - open));
    }
    booked = open;
    long back = Math.min(line.restocked(), fulfilled) - restocked;
    if (back > 0) {
      steps.add(new Step(MovementType.RESTOCK, back));
      restocked += back;
    }
    List<BundleComponent> recorded = product.isBundle() || !state.components().isEmpty()
        ? units : List.of();
    LineState next = new LineState(line.lineId(), sku.value(), warehouse, booked, fulfilled,
        restocked, recorded);
    if (steps.isEmpty()) {
      return next;
    }
    List<String> pool = poolFor(mappings, warehouse);
    long availableBefore = Ledger.available(tx.store(), product, pool);
    boolean known = Ledger.stockKnown(tx.store(), product);
    if (!applySteps(tx, store, order, line.lineId(), units, warehouse, steps, out)) {
      return applied; // nothing applied; the next version of the order tries again
    }
    // Without a figure for the SKU there is nothing to oversell; its listings are not pushed.
    if (known && bookTotal > 0 && availableBefore < bookTotal) {
      out.events.add(new SyncEvent.Oversell(store, order.orderId(), product.sku(),
          bookTotal - Math.max(0, availableBefore)));
      collect(tx.store(), product, out.priority);
    }
    return next;
  }

  /** One change of a line, in units of the line's SKU. */
  private record Step(MovementType type, long quantity) {}

  /**
   * Applies a line's steps to its units, all or none: each release and shipment is checked
   * against what is booked before anything is written, so a refusal cannot leave half a line
   * applied.
   */
  private static boolean applySteps(Inventory.Transaction tx, StoreId store, ChannelOrder order,
      String lineId, List<BundleComponent> units, String warehouse, List<Step> steps, Outcome out) {
    Map<Sku, Long> bookedNow = new HashMap<>();
    for (BundleComponent u : units) {
      bookedNow.put(u.sku(), tx.store().stockLevel(u.sku(), warehouse).map(StockLevel::booked).orElse(0L));
    }
    for (Step step : steps) {
      for (BundleComponent u : units) {
        long q = Math.multiplyExact(step.quantity(), u.quantity());
        long b = bookedNow.get(u.sku());
        if (step.type() == MovementType.ORDER_BOOKING) {
          bookedNow.put(u.sku(), b + q);
        } else if (step.type() == MovementType.FULFILMENT || step.type() == MovementType.BOOKING_RELEASE) {
          if (b < q) {
            out.events.add(new SyncEvent.Failure(store, SyncEvent.RunKind.ORDERS, "order "
                + order.orderId() + " line " + lineId + ": needs " + q + " of '" + u.sku()
                + "' booked in warehouse '" + warehouse + "' but " + b
                + " is; the line is kept as it was and retried with the order's next version",
                null));
            return false;
          }
          bookedNow.put(u.sku(), b - q);
        }
      }
    }
    String ref = order.orderId();
    for (Step step : steps) {
      for (BundleComponent u : units) {
        long q = Math.multiplyExact(step.quantity(), u.quantity());
        switch (step.type()) {
          case ORDER_BOOKING:
            tx.apply(new InventoryOperation.Book(u.sku(), warehouse, q, ref, null));
            break;
          case FULFILMENT:
            tx.apply(new InventoryOperation.Fulfil(u.sku(), warehouse, q, ref, null));
            break;
          case BOOKING_RELEASE:
            tx.apply(new InventoryOperation.Release(u.sku(), warehouse, q, ref, null));
            break;
          default:
            tx.apply(new InventoryOperation.Restock(u.sku(), warehouse, q, ref, null));
            break;
        }
      }
    }
    return true;
  }

  /**
   * Tells whether a booked line's location is now mapped to warehouses that do not include the
   * one the line is booked at. A location without a mapping moves nothing (the line keeps its
   * warehouse, as an order from an unmapped location books the default one).
   */
  private static boolean movedAway(List<LocationMapping> mappings, @Nullable String location,
      @Nullable String warehouse) {
    if (location == null || warehouse == null) {
      return false;
    }
    for (LocationMapping m : mappings) {
      if (m.locationId().equals(location)) {
        return !m.warehouseIds().contains(warehouse);
      }
    }
    return false;
  }

  /** The warehouses whose stock the order's location offers: its mapping's, or just its own. */
  private static List<String> poolFor(List<LocationMapping> mappings, String warehouse) {
    for (LocationMapping m : mappings) {
      if (m.warehouseIds().contains(warehouse)) {
        return m.warehouseIds();
      }
    }
    return List.of(warehouse);
  }

  /** The oversold SKU, its components, and every bundle that shares them go first. */
  private static void collect(StoreReader reader, Product product, Set<Sku> into) {
    into.add(product.sku());
    for (BundleComponent c : product.components()) {
      reader.product(c.sku()).ifPresent(p -> collect(reader, p, into));
    }
    into.addAll(Ledger.withBundles(reader, List.copyOf(into)));
  }

  /**
   * Picks the warehouse a new line books against: among the warehouses mapped to the order's
   * location (or the store's first HUB location), the first that has the whole line available,
   * else the first one. Combined mappings thus ship from where the stock is.
   */
  private static @Nullable String warehouseFor(Inventory.Transaction tx, Product product,
      long quantity, List<LocationMapping> mappings, @Nullable String locationId) {
    LocationMapping chosen = null;
    if (locationId != null) {
      for (LocationMapping m : mappings) {
        if (m.locationId().equals(locationId)) {
          chosen = m;
          break;
        }
      }
    }
    if (chosen == null) {
      for (LocationMapping m : mappings) {
        if (m.master() == InventoryMaster.HUB) {
          chosen = m;
          break;
        }
      }
    }
    if (chosen == null) {
      if (mappings.isEmpty()) {
        return null;
      }
      chosen = mappings.get(0);
    }
    for (String w : chosen.warehouseIds()) {
      if (Ledger.available(tx.store(), product, List.of(w)) >= quantity) {
        return w;
      }
    }
    return chosen.warehouseIds().get(0);
  }

  /**
   * Tells whether an order was placed before sync was turned on. A channel that stamps whole
   * seconds cannot tell an order placed in the sync-on second before the moment from one after
   * it, so such an order is compared with the moment rounded down (and imported: a missed order
   * is the worse error); a stamp with sub-second precision is compared exactly.
   */
  static boolean placedBefore(Instant createdAt, Instant syncOnAt) {
    Instant bound = createdAt.getNano() == 0
        ? syncOnAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) : syncOnAt;
    return createdAt.isBefore(bound);
  }

  private static @Nullable Sku parse(String raw) {
    try {
      return Sku.ofNullable(raw);
    } catch (InvalidInputException e) {
      return null;
    }
  }
}
