package io.stocksync.core.internal;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.BundleCycleException;
import io.stocksync.core.IdempotencyConflictException;
import io.stocksync.core.InsufficientStockException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.InventoryOperation.Adjust;
import io.stocksync.core.InventoryOperation.Book;
import io.stocksync.core.InventoryOperation.CopyFromStore;
import io.stocksync.core.InventoryOperation.Fulfil;
import io.stocksync.core.InventoryOperation.ReceivePurchaseOrder;
import io.stocksync.core.InventoryOperation.Release;
import io.stocksync.core.InventoryOperation.Restock;
import io.stocksync.core.InventoryOperation.Stocktake;
import io.stocksync.core.InventoryOperation.Transfer;
import io.stocksync.core.Movement;
import io.stocksync.core.MovementType;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.UnknownSkuException;
import io.stocksync.core.UnknownWarehouseException;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link InventoryOperation}s inside a store transaction: validation, stock arithmetic,
 * bundle expansion, ledger movements and operation ids. Shared by the {@code Inventory} facade
 * and the sync engine so both record stock the same way.
 */
public final class Ledger {
  private Ledger() {}

  /**
   * The outcome of one applied operation.
   *
   * @param movements the ledger entries written, empty for a replay
   * @param replayed true when the operation id had already been applied and nothing changed
   */
  public record Applied(List<Movement> movements, boolean replayed) {
    /**
     * Returns the SKUs whose stock changed.
     *
     * @return the SKUs, in movement order
     */
    public Set<Sku> skus() {
      Set<Sku> skus = new LinkedHashSet<>();
      for (Movement m : movements) {
        skus.add(m.sku());
      }
      return skus;
    }
  }

  /**
   * Validates and applies an operation. Throws before writing anything when the input is bad;
   * when it throws later, the caller's transaction rolls back.
   *
   * @param tx the transaction
   * @param at the commit time recorded on movements
   * @param op the operation
   * @return the movements written
   * @throws InvalidInputException (or a subclass) when the operation cannot be applied
   */
  public static Applied apply(StoreTransaction tx, Instant at, InventoryOperation op) {
    String id = op.operationId();
    if (id != null) {
      String fingerprint = op.toString();
      String stored = tx.operation(id).orElse(null);
      if (stored != null) {
        if (!stored.equals(fingerprint)) {
          throw new IdempotencyConflictException(id);
        }
        return new Applied(List.of(), true);
      }
    }
    Writer w = new Writer(tx, at, id);
    if (op instanceof Adjust) {
      Adjust a = (Adjust) op;
      StockLevel level = w.stockable(a.sku(), "sku", a.warehouseId(), "warehouseId");
      Checks.addExact(level.inStock(), a.delta(), "delta");
      if (level.inStock() + a.delta() < 0) {
        throw new InsufficientStockException(
            "delta", a.sku(), a.warehouseId(), -a.delta(), level.inStock());
      }
      w.move(level, MovementType.ADJUSTMENT, a.delta(), 0, a.reason(), "");
    } else if (op instanceof Stocktake) {
      Stocktake s = (Stocktake) op;
      StockLevel level = w.stockable(s.sku(), "sku", s.warehouseId(), "warehouseId");
      w.move(level, MovementType.STOCKTAKE, Checks.addExact(s.counted(), -level.inStock(), "counted"),
          0, s.reason(), "");
    } else if (op instanceof CopyFromStore) {
      CopyFromStore c = (CopyFromStore) op;
      StockLevel level = w.stockable(c.sku(), "sku", c.warehouseId(), "warehouseId");
      long target = Checks.addExact(c.storeQuantity(), level.booked(), "storeQuantity");
      w.move(level, MovementType.STORE_COPY,
          Checks.addExact(target, -level.inStock(), "storeQuantity"), 0, "", c.reference());
    } else if (op instanceof ReceivePurchaseOrder) {
      ReceivePurchaseOrder po = (ReceivePurchaseOrder) op;
      List<StockLevel> targets = new ArrayList<>();
      Map<Sku, Long> received = new LinkedHashMap<>();
      for (ReceivePurchaseOrder.Line line : po.lines()) {
        StockLevel level = w.stockable(line.sku(), "lines.sku", po.warehouseId(), "warehouseId");
        targets.add(level);
        // Every line is checked before any is written; repeated SKUs add up.
        long sum = Checks.addExact(received.getOrDefault(line.sku(), 0L), line.quantity(),
            "lines.quantity");
        received.put(line.sku(), sum);
        Checks.addExact(level.inStock(), sum, "lines.quantity");
      }
      for (int i = 0; i < targets.size(); i++) {
        w.move(targets.get(i), MovementType.PURCHASE_ORDER_RECEIPT, po.lines().get(i).quantity(),
            0, "", po.purchaseOrderRef());
      }
    } else if (op instanceof Transfer) {
      Transfer t = (Transfer) op;
      StockLevel from = w.stockable(t.sku(), "sku", t.fromWarehouseId(), "fromWarehouseId");
      StockLevel to = w.stockable(t.sku(), "sku", t.toWarehouseId(), "toWarehouseId");
      if (from.available() < t.quantity()) {
        throw new InsufficientStockException(
            "quantity", t.sku(), t.fromWarehouseId(), t.quantity(), Math.max(0, from.available()));
      }
      Checks.addExact(to.inStock(), t.quantity(), "quantity");
      String ref = t.fromWarehouseId() + "->" + t.toWarehouseId();
      w.move(from, MovementType.TRANSFER_OUT, -t.quantity(), 0, t.reason(), ref);
      w.move(to, MovementType.TRANSFER_IN, t.quantity(), 0, t.reason(), ref);
    } else if (op instanceof Book) {
      Book b = (Book) op;
      w.orderLine(b.sku(), b.warehouseId(), b.quantity(), MovementType.ORDER_BOOKING,
          b.reference());
    } else if (op instanceof Release) {
      Release r = (Release) op;
      w.orderLine(r.sku(), r.warehouseId(), r.quantity(), MovementType.BOOKING_RELEASE,
          r.reference());
    } else if (op instanceof Fulfil) {
      Fulfil f = (Fulfil) op;
      w.orderLine(f.sku(), f.warehouseId(), f.quantity(), MovementType.FULFILMENT,
          f.reference());
    } else if (op instanceof Restock) {
      Restock r = (Restock) op;
      w.orderLine(r.sku(), r.warehouseId(), r.quantity(), MovementType.RESTOCK, r.reference());
    } else {
      throw new IllegalArgumentException("unsupported operation " + op.getClass());
    }
    if (id != null) {
      // Recorded only once the operation applied: a refusal caught inside a larger transaction
      // must not mark the id as used.
      tx.putOperation(id, op.toString());
    }
    return new Applied(List.copyOf(w.written), false);
  }

  private static final class Writer {
    final StoreTransaction tx;
    final Instant at;
    final @Nullable String operationId;
    final List<Movement> written = new ArrayList<>();

    Writer(StoreTransaction tx, Instant at, @Nullable String operationId) {
      this.tx = tx;
      this.at = at;
      this.operationId = operationId;
    }

    StockLevel stockable(Sku sku, String skuField, String warehouseId, String warehouseField) {
      Product p = product(tx, sku, skuField);
      if (p.isBundle()) {
        throw new InvalidInputException(
            skuField, "'" + sku + "' is a bundle; bundles have no stock of their own");
      }
      warehouse(tx, warehouseId, warehouseField);
      return tx.stockLevel(sku, warehouseId).orElse(StockLevel.empty(sku, warehouseId));
    }

    void move(StockLevel level, MovementType type, long inStockDelta, long bookedDelta,
        String reason, String reference) {
      // Only movements that establish a figure make a level counted; an order booking against
      // a SKU whose stock was never set must not turn "unknown" into "zero".
      boolean setsFigure = type != MovementType.ORDER_BOOKING && type != MovementType.BOOKING_RELEASE
          && type != MovementType.FULFILMENT && type != MovementType.RESTOCK;
      StockLevel next = level.plus(inStockDelta, bookedDelta, setsFigure);
      tx.putStockLevel(next);
      // Zero-delta entries are kept: a stocktake that confirms the count is still an audit fact.
      written.add(tx.appendMovement(new Movement(0, operationId, at, type, level.sku(),
          level.warehouseId(), inStockDelta, bookedDelta, reason, reference)));
    }

    /** Books, releases, fulfils or restocks a SKU, expanding bundles to their components. */
    void orderLine(Sku sku, String warehouseId, long quantity, MovementType type, String ref) {
      Product p = product(tx, sku, "sku");
      warehouse(tx, warehouseId, "warehouseId");
      // Validate every leaf before writing any, so a bad component leaves nothing half-applied.
      List<long[]> amounts = new ArrayList<>();
      List<Sku> leaves = new ArrayList<>();
      expand(p, quantity, leaves, amounts);
      List<StockLevel> levels = new ArrayList<>();
      for (int i = 0; i < leaves.size(); i++) {
        Sku leaf = leaves.get(i);
        long q = amounts.get(i)[0];
        StockLevel level = tx.stockLevel(leaf, warehouseId).orElse(StockLevel.empty(leaf, warehouseId));
        if ((type == MovementType.BOOKING_RELEASE || type == MovementType.FULFILMENT)
            && level.booked() < q) {
          throw new InvalidInputException(
              "quantity",
              q + " of '" + leaf + "' exceeds the " + level.booked() + " booked in warehouse '"
                  + warehouseId + "'");
        }
        if (type == MovementType.ORDER_BOOKING) {
          Checks.addExact(level.booked(), q, "quantity");
        } else if (type == MovementType.RESTOCK) {
          Checks.addExact(level.inStock(), q, "quantity");
        }
        levels.add(level);
      }
      String reason = p.isBundle() ? "bundle " + sku : "";
      for (int i = 0; i < levels.size(); i++) {
        long q = amounts.get(i)[0];
        switch (type) {
          case ORDER_BOOKING:
            move(levels.get(i), type, 0, q, reason, ref);
            break;
          case BOOKING_RELEASE:
            move(levels.get(i), type, 0, -q, reason, ref);
            break;
          case FULFILMENT:
            move(levels.get(i), type, -q, -q, reason, ref);
            break;
          case RESTOCK:
            move(levels.get(i), type, q, 0, reason, ref);
            break;
          default:
            throw new IllegalArgumentException(type.name());
        }
      }
    }

    private void expand(Product p, long quantity, List<Sku> leaves, List<long[]> amounts) {
      if (!p.isBundle()) {
        int index = leaves.indexOf(p.sku());
        if (index >= 0) {
          amounts.get(index)[0] = Math.addExact(amounts.get(index)[0], quantity);
        } else {
          leaves.add(p.sku());
          amounts.add(new long[] {quantity});
        }
        return;
      }
      for (BundleComponent c : p.components()) {
        expand(product(tx, c.sku(), "components"), Math.multiplyExact(quantity, c.quantity()),
            leaves, amounts);
      }
    }
  }

  /**
   * Expands a product into the ordinary products one unit of it consists of.
   *
   * @param reader the reader
   * @param product the product
   * @return for a bundle, its leaf components with quantities per bundle (nested bundles
   *     multiplied out, repeated leaves summed); for an ordinary product, itself times one
   */
  public static List<BundleComponent> leaves(StoreReader reader, Product product) {
    Map<Sku, Long> out = new LinkedHashMap<>();
    addLeaves(reader, product, 1, out);
    List<BundleComponent> list = new ArrayList<>();
    out.forEach((sku, q) -> list.add(new BundleComponent(sku, q)));
    return list;
  }

  private static void addLeaves(StoreReader reader, Product p, long factor, Map<Sku, Long> out) {
    if (!p.isBundle()) {
      out.merge(p.sku(), factor, Math::addExact);
      return;
    }
    for (BundleComponent c : p.components()) {
      addLeaves(reader, product(reader, c.sku(), "components"),
          Math.multiplyExact(factor, c.quantity()), out);
    }
  }

  /**
   * Looks up a product or throws.
   *
   * @param reader the reader
   * @param sku the SKU
   * @param field the field name for the exception
   * @return the product
   * @throws UnknownSkuException if not defined
   */
  public static Product product(StoreReader reader, Sku sku, String field) {
    Checks.notNull(sku, field);
    return reader.product(sku).orElseThrow(() -> new UnknownSkuException(field, sku));
  }

  /**
   * Checks that a warehouse exists.
   *
   * @param reader the reader
   * @param warehouseId the id
   * @param field the field name for the exception
   * @throws UnknownWarehouseException if not defined
   */
  public static void warehouse(StoreReader reader, String warehouseId, String field) {
    Checks.notNull(warehouseId, field);
    if (reader.warehouse(warehouseId).isEmpty()) {
      throw new UnknownWarehouseException(field, warehouseId);
    }
  }

  /**
   * Validates a product definition against the stored catalogue: components must exist, no
   * cycle may form, and a product with stock cannot become a bundle.
   *
   * @param reader the reader
   * @param product the definition
   * @throws UnknownSkuException if a component is not defined
   * @throws BundleCycleException if the bundle would contain itself
   * @throws InvalidInputException if a product with stock would become a bundle
   */
  public static void validateDefinition(StoreReader reader, Product product) {
    for (BundleComponent c : product.components()) {
      product(reader, c.sku(), "components");
      List<Sku> path = pathTo(reader, c.sku(), product.sku());
      if (path != null) {
        List<Sku> cycle = new ArrayList<>();
        cycle.add(product.sku());
        cycle.addAll(path);
        throw new BundleCycleException(cycle);
      }
    }
    if (product.isBundle()) {
      for (StockLevel level : reader.stockLevels(product.sku())) {
        if (level.inStock() != 0 || level.booked() != 0) {
          throw new InvalidInputException(
              "components", "'" + product.sku() + "' holds stock and cannot become a bundle");
        }
      }
    }
  }

  /** Depth-first search from a SKU through bundle components to a target, returning the path. */
  private static @Nullable List<Sku> pathTo(StoreReader reader, Sku from, Sku target) {
    if (from.equals(target)) {
      return new ArrayList<>(List.of(from));
    }
    Product p = reader.product(from).orElse(null);
    if (p == null) {
      return null;
    }
    for (BundleComponent c : p.components()) {
      List<Sku> rest = pathTo(reader, c.sku(), target);
      if (rest != null) {
        rest.add(0, from);
        return rest;
      }
    }
    return null;
  }

  /**
   * Returns the given SKUs plus every bundle that contains one of them, directly or through
   * other bundles.
   *
   * @param reader the reader
   * @param skus the changed SKUs
   * @return the affected SKUs
   */
  public static Set<Sku> withBundles(StoreReader reader, Collection<Sku> skus) {
    Set<Sku> out = new LinkedHashSet<>(skus);
    if (reader.prefersBatchReads()) {
      // Level by level, one batch read each, instead of one read per SKU.
      Set<Sku> level = new LinkedHashSet<>(skus);
      while (!level.isEmpty()) {
        Set<Sku> next = new LinkedHashSet<>();
        for (Set<Sku> parents : reader.bundlesContainingAny(level).values()) {
          for (Sku parent : parents) {
            if (out.add(parent)) {
              next.add(parent);
            }
          }
        }
        level = next;
      }
      return out;
    }
    Deque<Sku> queue = new ArrayDeque<>(skus);
    while (!queue.isEmpty()) {
      for (Sku parent : reader.bundlesContaining(queue.poll())) {
        if (out.add(parent)) {
          queue.add(parent);
        }
      }
    }
    return out;
  }

  /**
   * Returns a SKU's available quantity over a set of warehouses. Ordinary products sum their
   * warehouses (negative when oversold); a bundle is the minimum over its components of the
   * component's availability divided by its quantity, rounded down.
   *
   * @param reader the reader
   * @param product the product
   * @param warehouseIds the warehouses to count
   * @return the available quantity, saturated at {@code Long.MAX_VALUE} / {@code Long.MIN_VALUE}
   *     rather than wrapped round
   */
  public static long available(StoreReader reader, Product product, Collection<String> warehouseIds) {
    if (!product.isBundle()) {
      long sum = 0;
      // A warehouse named twice is counted once.
      for (String w : new LinkedHashSet<>(warehouseIds)) {
        StockLevel level = reader.stockLevel(product.sku(), w).orElse(null);
        if (level != null) {
          sum = Checks.saturatedAdd(sum, level.available());
        }
      }
      return sum;
    }
    long min = Long.MAX_VALUE;
    for (BundleComponent c : product.components()) {
      Product component = reader.product(c.sku()).orElse(null);
      long a = component == null ? 0 : available(reader, component, warehouseIds);
      min = Math.min(min, Math.floorDiv(a, c.quantity()));
    }
    return min;
  }

  /**
   * Tells whether stock was ever set for a product: a counted level exists for it (see {@link
   * StockLevel#counted()}), or for a bundle, for every component. Listings of products without stock are never pushed, since pushing
   * zero would wipe the store's figure.
   *
   * @param reader the reader
   * @param product the product
   * @return true when the hub knows the product's stock
   */
  public static boolean stockKnown(StoreReader reader, Product product) {
    if (!product.isBundle()) {
      for (StockLevel level : reader.stockLevels(product.sku())) {
        if (level.counted()) {
          return true;
        }
      }
      return false;
    }
    for (BundleComponent c : product.components()) {
      Product component = reader.product(c.sku()).orElse(null);
      if (component == null || !stockKnown(reader, component)) {
        return false;
      }
    }
    return true;
  }
}
