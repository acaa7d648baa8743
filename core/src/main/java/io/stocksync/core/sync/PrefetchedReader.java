package io.stocksync.core.sync;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Movement;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.OrderRecord;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A reader for one plan that answers the planner's per-listing questions (product, stock
 * levels, known quantities) from batch reads made up front, one per kind per chunk of listings,
 * so that planning costs a bounded number of round trips on a database store instead of a few
 * per listing. Everything else goes to the underlying reader. Read-only views never change under
 * it, so what it remembers stays true for the plan.
 */
final class PrefetchedReader implements StoreReader {
  private final StoreReader reader;
  private final Map<Sku, Optional<Product>> products = new HashMap<>();
  private final Map<Sku, List<StockLevel>> levels = new HashMap<>();
  private final Map<StoreId, Map<String, Map<String, Long>>> known = new HashMap<>();
  private final Map<StoreId, List<String>> targetLocations = new HashMap<>();

  PrefetchedReader(StoreReader reader) {
    this.reader = reader;
  }

  /**
   * Loads what planning these listings will read; the known quantities of earlier chunks go.
   *
   * @param listings the listings about to be planned
   * @param locationsOf the store locations the planner will ask known quantities for
   */
  void prefetch(Collection<ListingRecord> listings, Function<StoreId, List<String>> locationsOf) {
    known.clear();
    Set<Sku> wanted = new LinkedHashSet<>();
    Map<StoreId, List<String>> idsByStore = new LinkedHashMap<>();
    for (ListingRecord l : listings) {
      wanted.add(l.sku());
      idsByStore.computeIfAbsent(l.store(), k -> new ArrayList<>()).add(l.listingId());
    }
    // Products, then their bundle components level by level (bundles may nest).
    Set<Sku> stocked = new HashSet<>();
    while (!wanted.isEmpty()) {
      wanted.removeAll(products.keySet());
      if (wanted.isEmpty()) {
        break;
      }
      Map<Sku, Product> found = reader.productsBySku(wanted);
      Set<Sku> next = new LinkedHashSet<>();
      for (Sku sku : wanted) {
        Product p = found.get(sku);
        products.put(sku, Optional.ofNullable(p));
        if (p != null) {
          if (!p.isBundle() && !levels.containsKey(sku)) {
            stocked.add(sku);
          }
          for (BundleComponent c : p.components()) {
            next.add(c.sku());
          }
        }
      }
      wanted = next;
    }
    if (!stocked.isEmpty()) {
      Map<Sku, List<StockLevel>> found = reader.stockLevelsBySku(stocked);
      for (Sku sku : stocked) {
        levels.put(sku, found.getOrDefault(sku, List.of()));
      }
    }
    idsByStore.forEach((store, ids) -> {
      List<String> locations =
          targetLocations.computeIfAbsent(store, k -> List.copyOf(locationsOf.apply(k)));
      if (!locations.isEmpty()) {
        known.put(store, reader.knownQuantities(store, ids, locations));
      }
    });
  }

  @Override
  public Optional<Product> product(Sku sku) {
    Optional<Product> p = products.get(sku);
    return p != null ? p : reader.product(sku);
  }

  @Override
  public List<StockLevel> stockLevels(Sku sku) {
    List<StockLevel> l = levels.get(sku);
    return l != null ? l : reader.stockLevels(sku);
  }

  @Override
  public Optional<StockLevel> stockLevel(Sku sku, String warehouseId) {
    List<StockLevel> l = levels.get(sku);
    if (l == null) {
      return reader.stockLevel(sku, warehouseId);
    }
    for (StockLevel level : l) {
      if (level.warehouseId().equals(warehouseId)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }

  @Override
  public OptionalLong knownQuantity(StoreId store, String listingId, String locationId) {
    Map<String, Map<String, Long>> byListing = known.get(store);
    List<String> prefetched = targetLocations.get(store);
    if (byListing == null || prefetched == null || !prefetched.contains(locationId)) {
      return reader.knownQuantity(store, listingId, locationId);
    }
    Long q = byListing.getOrDefault(listingId, Map.of()).get(locationId);
    return q == null ? OptionalLong.empty() : OptionalLong.of(q);
  }

  // ---- everything else is asked of the store -------------------------------------------------

  @Override
  public Set<Sku> bundlesContaining(Sku component) {
    return reader.bundlesContaining(component);
  }

  @Override
  public long productCount() {
    return reader.productCount();
  }

  @Override
  public Optional<Warehouse> warehouse(String id) {
    return reader.warehouse(id);
  }

  @Override
  public List<Warehouse> warehouses() {
    return reader.warehouses();
  }

  @Override
  public List<Movement> movements(Sku sku, long beforeId, int limit) {
    return reader.movements(sku, beforeId, limit);
  }

  @Override
  public Optional<String> operation(String operationId) {
    return reader.operation(operationId);
  }

  @Override
  public Optional<StoreRecord> store(StoreId id) {
    return reader.store(id);
  }

  @Override
  public List<StoreRecord> stores() {
    return reader.stores();
  }

  @Override
  public List<ChannelLocation> locations(StoreId store) {
    return reader.locations(store);
  }

  @Override
  public List<LocationMapping> mappings(StoreId store) {
    return reader.mappings(store);
  }

  @Override
  public Optional<ListingRecord> listing(StoreId store, String listingId) {
    return reader.listing(store, listingId);
  }

  @Override
  public List<ListingRecord> listings(StoreId store) {
    return reader.listings(store);
  }

  @Override
  public List<ListingRecord> listingsBySku(Sku sku) {
    return reader.listingsBySku(sku);
  }

  @Override
  public void forEachListing(Consumer<? super ListingRecord> action) {
    reader.forEachListing(action);
  }

  @Override
  public Optional<OrderRecord> order(StoreId store, String orderId) {
    return reader.order(store, orderId);
  }
}
