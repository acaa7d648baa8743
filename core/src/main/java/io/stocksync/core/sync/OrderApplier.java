package io.stocksync.core.sync;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.Inventory;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.internal.Ledger;
import io.stocksync.core.store.OrderRecord;
import io.stocksync.core.store.OrderRecord.LineState;
import io.stocksync.core.store.StoreReader;
import java.time.Instant;
import java.util.ArrayList;
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
    boolean ignored = previous != null ? previous.ignored() : order.createdAt().isBefore(syncOnAt);
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
    List<LineState> after = new ArrayList<>();
    for (ChannelOrderLine line : order.lines()) {
      LineState state = before.remove(line.lineId());
      if (state == null) {
        state = new LineState(line.lineId(), line.sku(), null, 0, 0, 0);
      }
      after.add(applyLine(tx, store, order, line, state, mappings, out));
    }
    // Lines that vanished from the order (edited away) give back their booking.
    for (LineState gone : before.values()) {
      if (gone.booked() > 0 && gone.warehouseId() != null) {
        Sku sku = Sku.of(gone.sku());
        op(tx, new InventoryOperation.Release(sku, gone.warehouseId(), gone.booked(),
            order.orderId(), null), store, order, out);
      }
      after.add(new LineState(gone.lineId(), gone.sku(), gone.warehouseId(), 0, gone.fulfilled(),
          gone.restocked()));
    }
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
    String warehouse = started ? state.warehouseId() : warehouseFor(mappings, order.locationId());
    if (warehouse == null) {
      out.events.add(new SyncEvent.Failure(store, SyncEvent.RunKind.ORDERS,
          "order " + order.orderId() + " line " + line.lineId()
              + ": no warehouse is linked to the store, the line is not booked", null));
      return new LineState(line.lineId(), line.sku(), null, 0, 0, 0);
    }
    String ref = order.orderId();
    long booked = state.booked();
    long fulfilled = state.fulfilled();
    long restocked = state.restocked();

    long shipNow = line.fulfilled() - fulfilled;
    if (shipNow > 0) {
      if (booked < shipNow) {
        long extra = shipNow - booked;
        book(tx, store, order, product, warehouse, extra, out);
        booked += extra;
      }
      op(tx, new InventoryOperation.Fulfil(sku, warehouse, shipNow, ref, null), store, order, out);
      booked -= shipNow;
      fulfilled = line.fulfilled();
    }
    long open = order.cancelled() ? 0 : line.quantity() - line.fulfilled() - line.cancelled();
    if (open > booked) {
      book(tx, store, order, product, warehouse, open - booked, out);
    } else if (open < booked) {
      op(tx, new InventoryOperation.Release(sku, warehouse, booked - open, ref, null), store,
          order, out);
    }
    booked = open;
    long back = Math.min(line.restocked(), fulfilled) - restocked;
    if (back > 0) {
      op(tx, new InventoryOperation.Restock(sku, warehouse, back, ref, null), store, order, out);
      restocked += back;
    }
    return new LineState(line.lineId(), sku.value(), warehouse, booked, fulfilled, restocked);
  }

  private static void book(Inventory.Transaction tx, StoreId store, ChannelOrder order,
      Product product, String warehouse, long quantity, Outcome out) {
    long availableBefore = Ledger.available(tx.store(), product, List.of(warehouse));
    op(tx, new InventoryOperation.Book(product.sku(), warehouse, quantity, order.orderId(), null),
        store, order, out);
    if (availableBefore < quantity) {
      out.events.add(new SyncEvent.Oversell(store, order.orderId(), product.sku(),
          quantity - Math.max(0, availableBefore)));
      collect(tx.store(), product, out.priority);
    }
  }

  /** The oversold SKU, its components, and every bundle that shares them go first. */
  private static void collect(StoreReader reader, Product product, Set<Sku> into) {
    into.add(product.sku());
    for (BundleComponent c : product.components()) {
      reader.product(c.sku()).ifPresent(p -> collect(reader, p, into));
    }
    into.addAll(Ledger.withBundles(reader, List.copyOf(into)));
  }

  private static void op(Inventory.Transaction tx, InventoryOperation operation, StoreId store,
      ChannelOrder order, Outcome out) {
    try {
      tx.apply(operation);
    } catch (InvalidInputException e) {
      // Ledger validates before it writes, so a refused step leaves the transaction intact; the
      // order's other lines still apply and the refusal is reported, never silently dropped.
      out.events.add(new SyncEvent.Failure(store, SyncEvent.RunKind.ORDERS,
          "order " + order.orderId() + ": " + e.getMessage(), null));
    }
  }

  private static @Nullable String warehouseFor(List<LocationMapping> mappings,
      @Nullable String locationId) {
    if (locationId != null) {
      for (LocationMapping m : mappings) {
        if (m.locationId().equals(locationId)) {
          return m.warehouseIds().get(0);
        }
      }
    }
    for (LocationMapping m : mappings) {
      if (m.master() == InventoryMaster.HUB) {
        return m.warehouseIds().get(0);
      }
    }
    return mappings.isEmpty() ? null : mappings.get(0).warehouseIds().get(0);
  }

  private static @Nullable Sku parse(String raw) {
    try {
      return Sku.ofNullable(raw);
    } catch (InvalidInputException e) {
      return null;
    }
  }
}
