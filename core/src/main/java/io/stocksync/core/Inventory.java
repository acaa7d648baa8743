package io.stocksync.core;

import io.stocksync.core.internal.Checks;
import io.stocksync.core.internal.Ledger;
import io.stocksync.core.internal.Ordered;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreTransaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's stock: define products and warehouses, apply {@link InventoryOperation}s, query
 * levels, availability and the ledger, and subscribe to the change feed.
 *
 * <pre>{@code
 * Inventory inventory = Inventory.create(new InMemoryInventoryStore(), Clock.systemUTC());
 * inventory.defineWarehouse(Warehouse.of("main", "Main warehouse"));
 * inventory.defineProduct(Product.of("APPLE", "Apple"));
 * inventory.adjust(Sku.of("APPLE"), "main", 50, "initial count");
 * }</pre>
 *
 * <p>Every operation is atomic: it validates, writes its stock levels, ledger movements and
 * operation id in one {@link InventoryStore} transaction, or throws an {@link
 * InvalidInputException} and changes nothing. Thread-safe.
 */
public final class Inventory {
  private static final Logger log = LoggerFactory.getLogger(Inventory.class);
  private static final int MAX_PAGE = 1000;

  private final InventoryStore store;
  private final Clock clock;
  private final List<InventoryChangeListener> listeners = new CopyOnWriteArrayList<>();

  private Inventory(InventoryStore store, Clock clock) {
    this.store = Checks.notNull(store, "store");
    this.clock = Checks.notNull(clock, "clock");
  }

  /**
   * Creates an inventory over a store.
   *
   * @param store where stock is kept
   * @param clock the clock that stamps movements
   * @return the inventory
   * @throws InvalidInputException if either argument is null
   */
  public static Inventory create(InventoryStore store, Clock clock) {
    return new Inventory(store, clock);
  }

  /**
   * Creates an inventory over a new {@link InMemoryInventoryStore} (not durable) and the UTC
   * system clock.
   *
   * @return the inventory
   */
  public static Inventory inMemory() {
    return new Inventory(new InMemoryInventoryStore(), Clock.systemUTC());
  }

  /**
   * Returns the store this inventory keeps its data in.
   *
   * @return the store
   */
  public InventoryStore store() {
    return store;
  }

  /**
   * Returns the clock that stamps movements.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  // ---- catalogue -----------------------------------------------------------------------------

  /**
   * Defines or redefines a product. Redefining keeps its stock; a product holding stock cannot
   * become a bundle.
   *
   * @param product the definition
   * @return the product as stored
   * @throws UnknownSkuException if a bundle component is not defined
   * @throws BundleCycleException if a bundle would contain itself
   * @throws InvalidInputException if the product is null or holds stock and would become a bundle
   */
  public Product defineProduct(Product product) {
    Checks.notNull(product, "product");
    return transact(
        tx -> {
          Ledger.validateDefinition(tx.store(), product);
          boolean availabilityChanged =
              tx.store().product(product.sku()).map(p -> !p.components().equals(product.components()))
                  .orElse(false);
          tx.store().putProduct(product);
          if (availabilityChanged) {
            tx.touched(product.sku());
          }
          return product;
        });
  }

  /**
   * Defines a product unless one with the same SKU exists.
   *
   * @param product the definition
   * @return the stored product: the existing one, or the new one
   * @throws UnknownSkuException if a bundle component is not defined
   * @throws BundleCycleException if a new bundle would contain itself
   */
  public Product defineProductIfAbsent(Product product) {
    Checks.notNull(product, "product");
    return transact(
        tx -> {
          Optional<Product> existing = tx.store().product(product.sku());
          if (existing.isPresent()) {
            return existing.get();
          }
          Ledger.validateDefinition(tx.store(), product);
          tx.store().putProduct(product);
          return product;
        });
  }

  /**
   * Defines or renames a warehouse.
   *
   * @param warehouse the warehouse
   * @return the warehouse as stored
   * @throws InvalidInputException if null
   */
  public Warehouse defineWarehouse(Warehouse warehouse) {
    Checks.notNull(warehouse, "warehouse");
    return store.write(
        tx -> {
          tx.putWarehouse(warehouse);
          return warehouse;
        });
  }

  /**
   * Looks up a product.
   *
   * @param sku the SKU
   * @return the product, or empty if not defined
   * @throws InvalidInputException if the SKU is null
   */
  public Optional<Product> product(Sku sku) {
    Checks.notNull(sku, "sku");
    return store.read(r -> r.product(sku));
  }

  /**
   * Returns all warehouses in definition order.
   *
   * @return the warehouses
   */
  public List<Warehouse> warehouses() {
    return store.read(StoreReader::warehouses);
  }

  // ---- operations ----------------------------------------------------------------------------

  /**
   * Applies one operation atomically and notifies change listeners after it commits.
   *
   * @param operation the operation
   * @return the movements written, or a replay marker when its operation id was already applied
   * @throws UnknownSkuException if a SKU is not defined
   * @throws UnknownWarehouseException if a warehouse is not defined
   * @throws InsufficientStockException if the operation would take more than is there
   * @throws IdempotencyConflictException if the operation id was used for another operation
   * @throws InvalidInputException for any other invalid input
   */
  public OperationResult apply(InventoryOperation operation) {
    Checks.notNull(operation, "operation");
    return transact(tx -> tx.apply(operation));
  }

  /**
   * Applies several operations in one transaction: all of them or, if any fails, none.
   *
   * @param operations the operations, applied in order
   * @return one result per operation
   * @throws InvalidInputException (or a subclass) if any operation is invalid; nothing changes
   */
  public List<OperationResult> applyAll(List<? extends InventoryOperation> operations) {
    Checks.notNull(operations, "operations");
    return transact(
        tx -> {
          List<OperationResult> results = new ArrayList<>();
          for (InventoryOperation op : operations) {
            results.add(tx.apply(Checks.notNull(op, "operations")));
          }
          return results;
        });
  }

  /**
   * Runs work that applies operations and writes its own rows in one store transaction. Change
   * listeners are notified after the commit. The sync engine uses this to apply an order's
   * movements together with the order's applied state.
   *
   * @param <T> the result type
   * @param work the work
   * @return what the work returned
   * @throws RuntimeException whatever the work throws, after rolling everything back
   */
  public <T> T transact(Function<? super Transaction, ? extends T> work) {
    Checks.notNull(work, "work");
    Set<Sku> affected = new LinkedHashSet<>();
    T result =
        store.write(
            stx -> {
              Transaction tx = new Transaction(stx, affected);
              T r = work.apply(tx);
              if (!affected.isEmpty()) {
                Set<Sku> withBundles = Ledger.withBundles(stx, affected);
                affected.clear();
                affected.addAll(withBundles);
              }
              return r;
            });
    if (!affected.isEmpty()) {
      // Not Set.copyOf: its iteration order is salted per JVM run, and listeners (the engine's
      // dirty set, hence push batch order) must see the SKUs in the order they were changed, so
      // the same operations give the same pushes in every run.
      publish(Ordered.setCopy(affected));
    }
    return result;
  }

  /** Access to one {@link #transact} transaction; valid only inside the work. */
  public final class Transaction {
    private final StoreTransaction tx;
    private final Set<Sku> affected;

    private Transaction(StoreTransaction tx, Set<Sku> affected) {
      this.tx = tx;
      this.affected = affected;
    }

    /**
     * Applies an operation inside this transaction.
     *
     * @param operation the operation
     * @return the movements written, or a replay marker
     * @throws InvalidInputException (or a subclass) if the operation is invalid; the whole
     *     transaction rolls back if the work lets it propagate
     */
    public OperationResult apply(InventoryOperation operation) {
      Ledger.Applied applied = Ledger.apply(tx, clock.instant(), operation);
      affected.addAll(applied.skus());
      return new OperationResult(applied.movements(), applied.replayed());
    }

    /**
     * Marks a SKU as changed so listeners hear of it after the commit.
     *
     * @param sku the SKU
     */
    public void touched(Sku sku) {
      affected.add(sku);
    }

    /**
     * Returns the underlying store transaction for reads and writes of the caller's own rows.
     *
     * @return the store transaction
     */
    public StoreTransaction store() {
      return tx;
    }
  }

  /**
   * Changes the physical count by a delta.
   *
   * @param sku the SKU, not a bundle
   * @param warehouseId the warehouse
   * @param delta the change, non-zero
   * @param reason why, may be empty
   * @return the new stock level
   * @throws InsufficientStockException if the count would drop below zero
   * @throws InvalidInputException (or a subclass) for unknown SKU or warehouse, or a zero delta
   */
  public StockLevel adjust(Sku sku, String warehouseId, long delta, String reason) {
    apply(new InventoryOperation.Adjust(sku, warehouseId, delta, reason, null));
    return stockLevel(sku, warehouseId);
  }

  /**
   * Replaces the physical count with a counted quantity.
   *
   * @param sku the SKU, not a bundle
   * @param warehouseId the warehouse
   * @param counted the counted quantity
   * @param reason why, may be empty
   * @return the new stock level
   * @throws InvalidInputException (or a subclass) for unknown SKU or warehouse, or a negative
   *     count
   */
  public StockLevel stocktake(Sku sku, String warehouseId, long counted, String reason) {
    apply(new InventoryOperation.Stocktake(sku, warehouseId, counted, reason, null));
    return stockLevel(sku, warehouseId);
  }

  /**
   * Moves available stock between warehouses.
   *
   * @param sku the SKU, not a bundle
   * @param fromWarehouseId the source
   * @param toWarehouseId the destination
   * @param quantity units to move
   * @param reason why, may be empty
   * @return the movements written (out, then in)
   * @throws InsufficientStockException if the source has less available
   * @throws InvalidInputException (or a subclass) for unknown SKU or warehouses
   */
  public OperationResult transfer(
      Sku sku, String fromWarehouseId, String toWarehouseId, long quantity, String reason) {
    return apply(
        new InventoryOperation.Transfer(sku, fromWarehouseId, toWarehouseId, quantity, reason, null));
  }

  // ---- queries -------------------------------------------------------------------------------

  /**
   * Returns the stock level of a SKU in a warehouse.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @return the level; zeros when the SKU never had stock there
   * @throws UnknownSkuException if the SKU is not defined
   * @throws UnknownWarehouseException if the warehouse is not defined
   */
  public StockLevel stockLevel(Sku sku, String warehouseId) {
    return store.read(
        r -> {
          Ledger.product(r, sku, "sku");
          Ledger.warehouse(r, warehouseId, "warehouseId");
          return r.stockLevel(sku, warehouseId).orElse(StockLevel.empty(sku, warehouseId));
        });
  }

  /**
   * Returns the available quantity of a SKU over all warehouses. For a bundle: the minimum over
   * its components of {@code floor(available(component) / quantity)}.
   *
   * @param sku the SKU
   * @return the available quantity, negative when oversold
   * @throws UnknownSkuException if the SKU is not defined
   */
  public long available(Sku sku) {
    return store.read(
        r -> {
          Product p = Ledger.product(r, sku, "sku");
          List<String> all = new ArrayList<>();
          r.warehouses().forEach(w -> all.add(w.id()));
          return Ledger.available(r, p, all);
        });
  }

  /**
   * Returns the available quantity of a SKU over some warehouses.
   *
   * @param sku the SKU
   * @param warehouseIds the warehouses to count, at least one
   * @return the available quantity, negative when oversold
   * @throws UnknownSkuException if the SKU is not defined
   * @throws UnknownWarehouseException if a warehouse is not defined
   * @throws InvalidInputException if no warehouse is given
   */
  public long available(Sku sku, Collection<String> warehouseIds) {
    Checks.notNull(warehouseIds, "warehouseIds");
    Checks.require(!warehouseIds.isEmpty(), "warehouseIds", "must not be empty");
    return store.read(
        r -> {
          Product p = Ledger.product(r, sku, "sku");
          for (String w : warehouseIds) {
            Ledger.warehouse(r, w, "warehouseIds");
          }
          return Ledger.available(r, p, warehouseIds);
        });
  }

  /**
   * Returns one page of a SKU's ledger, newest entry first.
   *
   * @param sku the SKU
   * @param limit entries per page, 1 to 1000
   * @param pageToken null for the first page, else the previous page's next-page token
   * @return the page
   * @throws UnknownSkuException if the SKU is not defined
   * @throws InvalidInputException if the limit is out of range or the token malformed
   */
  public LedgerPage ledger(Sku sku, int limit, @org.jspecify.annotations.Nullable String pageToken) {
    Checks.require(limit >= 1 && limit <= MAX_PAGE, "limit", "must be 1.." + MAX_PAGE + ": " + limit);
    long before;
    try {
      before = pageToken == null ? Long.MAX_VALUE : Long.parseLong(pageToken);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("pageToken", "malformed");
    }
    return store.read(
        r -> {
          Ledger.product(r, sku, "sku");
          List<Movement> page = r.movements(sku, before, limit + 1);
          if (page.size() <= limit) {
            return new LedgerPage(page, null);
          }
          List<Movement> head = page.subList(0, limit);
          return new LedgerPage(head, Long.toString(head.get(limit - 1).id()));
        });
  }

  // ---- change feed ---------------------------------------------------------------------------

  /**
   * Subscribes to the change feed.
   *
   * @param listener called after each commit that changed stock
   * @throws InvalidInputException if null
   */
  public void addChangeListener(InventoryChangeListener listener) {
    listeners.add(Checks.notNull(listener, "listener"));
  }

  /**
   * Unsubscribes from the change feed.
   *
   * @param listener a listener previously added
   */
  public void removeChangeListener(InventoryChangeListener listener) {
    listeners.remove(listener);
  }

  private void publish(Set<Sku> affected) {
    for (InventoryChangeListener l : listeners) {
      try {
        l.onChange(affected);
      } catch (RuntimeException e) {
        // A listener must not break stock operations that already committed.
        log.warn("change listener {} failed", l, e);
      }
    }
  }
}
