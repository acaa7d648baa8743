package io.stocksync.core.store;

import io.stocksync.core.LocationMapping;
import io.stocksync.core.Movement;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Read access to the hub's data inside {@link InventoryStore#read} or {@link
 * InventoryStore#write}. Lists returned are unmodifiable snapshots.
 */
public interface StoreReader {
  // ---- inventory -----------------------------------------------------------------------------

  /**
   * Looks up a product.
   *
   * @param sku the SKU
   * @return the product, or empty if not defined
   */
  Optional<Product> product(Sku sku);

  /**
   * Returns the bundles that list a SKU as a direct component.
   *
   * @param component the component's SKU
   * @return the bundles' SKUs, empty if none
   */
  Set<Sku> bundlesContaining(Sku component);

  /**
   * Returns the number of defined products, bundles included.
   *
   * @return the count
   */
  long productCount();

  /**
   * Looks up a warehouse.
   *
   * @param id the warehouse id
   * @return the warehouse, or empty if not defined
   */
  Optional<Warehouse> warehouse(String id);

  /**
   * Returns all warehouses in the order they were defined.
   *
   * @return the warehouses
   */
  List<Warehouse> warehouses();

  /**
   * Looks up a stock level.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @return the level, or empty if the SKU never had stock there
   */
  Optional<StockLevel> stockLevel(Sku sku, String warehouseId);

  /**
   * Returns a SKU's stock levels in every warehouse where it ever had stock.
   *
   * @param sku the SKU
   * @return the levels, empty if stock was never set for the SKU
   */
  List<StockLevel> stockLevels(Sku sku);

  /**
   * Returns a SKU's ledger entries, newest first.
   *
   * @param sku the SKU
   * @param beforeId only entries with a smaller id; {@link Long#MAX_VALUE} for the newest
   * @param limit the most entries to return, greater than zero
   * @return the entries
   */
  List<Movement> movements(Sku sku, long beforeId, int limit);

  /**
   * Looks up an applied operation id.
   *
   * @param operationId the id
   * @return the fingerprint stored with it, or empty if the id was never applied
   */
  Optional<String> operation(String operationId);

  // ---- stores --------------------------------------------------------------------------------

  /**
   * Looks up a store.
   *
   * @param id the store
   * @return the store, or empty if never connected
   */
  Optional<StoreRecord> store(StoreId id);

  /**
   * Returns every store ever connected, in connection order.
   *
   * @return the stores
   */
  List<StoreRecord> stores();

  /**
   * Returns a store's locations as last read from the channel.
   *
   * @param store the store
   * @return the locations, in the channel's order
   */
  List<ChannelLocation> locations(StoreId store);

  /**
   * Returns a store's location mappings; locations without one are unlinked.
   *
   * @param store the store
   * @return the mappings
   */
  List<LocationMapping> mappings(StoreId store);

  // ---- listings ------------------------------------------------------------------------------

  /**
   * Looks up a listing.
   *
   * @param store the store
   * @param listingId the listing's id on the channel
   * @return the listing, or empty if not imported
   */
  Optional<ListingRecord> listing(StoreId store, String listingId);

  /**
   * Returns a store's listings.
   *
   * @param store the store
   * @return the listings, in import order
   */
  List<ListingRecord> listings(StoreId store);

  /**
   * Returns how many listings a store has. The default counts {@link #listings(StoreId)};
   * implementations should answer without building the list.
   *
   * @param store the store
   * @return the count
   */
  default int listingCount(StoreId store) {
    return listings(store).size();
  }

  /**
   * Returns the listings carrying a SKU, across all stores.
   *
   * @param sku the SKU
   * @return the listings
   */
  List<ListingRecord> listingsBySku(Sku sku);

  /**
   * Calls an action for every listing of every store, without building a list; for hard refresh
   * over large catalogues.
   *
   * @param action called once per listing
   */
  void forEachListing(Consumer<? super ListingRecord> action);

  /**
   * Returns the quantity last known to be at a listing's location on the store: the last
   * confirmed push, or the store's figure when read.
   *
   * @param store the store
   * @param listingId the listing
   * @param locationId the store location
   * @return the quantity, or empty if never known
   */
  OptionalLong knownQuantity(StoreId store, String listingId, String locationId);

  // ---- batch reads ---------------------------------------------------------------------------
  // The planner reads a thousand SKUs at a time. The defaults below call the single reads once
  // per key, which costs nothing in memory; a database store answers each in one query.

  /**
   * Tells callers such as the planner whether to read through the batch reads below rather than
   * many single reads: true for stores where every read is a round trip to a database. The
   * default, false, suits in-memory stores, whose single reads cost less than gathering keys.
   *
   * @return true to prefer batch reads
   */
  default boolean prefersBatchReads() {
    return false;
  }

  /**
   * Looks up many products at once.
   *
   * @param skus the SKUs; repeats are allowed
   * @return the defined products by SKU; SKUs not defined are absent. Unmodifiable.
   */
  default Map<Sku, Product> productsBySku(Collection<Sku> skus) {
    Map<Sku, Product> out = new LinkedHashMap<>();
    for (Sku sku : skus) {
      product(sku).ifPresent(p -> out.put(sku, p));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Looks up, for many components at once, the bundles that contain each directly.
   *
   * @param components the component SKUs; repeats are allowed
   * @return each component's bundles as {@link #bundlesContaining(Sku)} returns them; components
   *     in no bundle are absent. Unmodifiable.
   */
  default Map<Sku, Set<Sku>> bundlesContainingAny(Collection<Sku> components) {
    Map<Sku, Set<Sku>> out = new LinkedHashMap<>();
    for (Sku sku : components) {
      Set<Sku> bundles = bundlesContaining(sku);
      if (!bundles.isEmpty()) {
        out.put(sku, bundles);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the stock levels of many SKUs at once.
   *
   * @param skus the SKUs; repeats are allowed
   * @return each SKU's levels as {@link #stockLevels(Sku)} returns them; SKUs without any level
   *     are absent. Unmodifiable.
   */
  default Map<Sku, List<StockLevel>> stockLevelsBySku(Collection<Sku> skus) {
    Map<Sku, List<StockLevel>> out = new LinkedHashMap<>();
    for (Sku sku : skus) {
      List<StockLevel> levels = stockLevels(sku);
      if (!levels.isEmpty()) {
        out.put(sku, levels);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the listings carrying any of many SKUs, across all stores.
   *
   * @param skus the SKUs; repeats are allowed
   * @return each SKU's listings as {@link #listingsBySku(Sku)} returns them; SKUs without
   *     listings are absent. Unmodifiable.
   */
  default Map<Sku, List<ListingRecord>> listingsBySkus(Collection<Sku> skus) {
    Map<Sku, List<ListingRecord>> out = new LinkedHashMap<>();
    for (Sku sku : skus) {
      List<ListingRecord> listings = listingsBySku(sku);
      if (!listings.isEmpty()) {
        out.put(sku, listings);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the known quantities of many listings of one store at once.
   *
   * @param store the store
   * @param listingIds the listings; repeats are allowed
   * @param locationIds the store locations to report
   * @return listing id → (location id → quantity) as {@link #knownQuantity} reports them;
   *     listings without a known quantity at those locations are absent. Unmodifiable.
   */
  default Map<String, Map<String, Long>> knownQuantities(
      StoreId store, Collection<String> listingIds, Collection<String> locationIds) {
    Map<String, Map<String, Long>> out = new HashMap<>();
    for (String listingId : listingIds) {
      Map<String, Long> byLocation = new HashMap<>();
      for (String locationId : locationIds) {
        OptionalLong q = knownQuantity(store, listingId, locationId);
        if (q.isPresent()) {
          byLocation.put(locationId, q.getAsLong());
        }
      }
      if (!byLocation.isEmpty()) {
        out.put(listingId, Map.copyOf(byLocation));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  // ---- orders --------------------------------------------------------------------------------

  /**
   * Looks up the applied state of an order.
   *
   * @param store the store
   * @param orderId the order's id on the channel
   * @return the state, or empty if never seen
   */
  Optional<OrderRecord> order(StoreId store, String orderId);

  /**
   * Looks up the applied state of many orders of one store at once: the engine reads a page of
   * orders' previous states this way before applying the page. The default calls {@link
   * #order(StoreId, String)} once per id.
   *
   * @param store the store
   * @param orderIds the orders' ids on the channel; repeats are allowed
   * @return the states of the orders seen before, by order id; ids never seen are absent.
   *     Unmodifiable.
   */
  default Map<String, OrderRecord> ordersById(StoreId store, Collection<String> orderIds) {
    Map<String, OrderRecord> out = new LinkedHashMap<>();
    for (String orderId : orderIds) {
      order(store, orderId).ifPresent(o -> out.put(orderId, o));
    }
    return Collections.unmodifiableMap(out);
  }
}
