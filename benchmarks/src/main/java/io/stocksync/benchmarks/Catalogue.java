package io.stocksync.benchmarks;

import io.stocksync.core.InventoryMaster;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.StoreOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic synthetic catalogue written straight into an {@link InMemoryInventoryStore}
 * through {@code store.write(...)}, without the engine: fast enough to build a million
 * listing-locations in a few seconds.
 *
 * <p>The hub has {@code skus} plain products, each with stock in the single warehouse {@value
 * #WAREHOUSE}. Each of {@code stores} Shopify-like stores is {@code SYNC_ON} with one location,
 * mapped to {@value #WAREHOUSE} as a HUB location, and lists every SKU once. Every listing's known
 * quantity equals the SKU's available stock, which is also the desired quantity under the default
 * rules, so a delta plan of an untouched SKU pushes nothing and a hard refresh re-pushes
 * everything. Every string is a fresh instance, as it would be after parsing a channel response.
 */
public final class Catalogue {
  /** The default number of SKUs. */
  public static final int DEFAULT_SKUS = 250_000;
  /** The default number of stores. */
  public static final int DEFAULT_STORES = 4;
  /** The hub's only warehouse. */
  public static final String WAREHOUSE = "main";
  /** When every store's sync was turned on. */
  public static final Instant SYNC_ON_AT = Instant.parse("2026-01-05T09:00:00Z");

  /** SKUs are written in transactions of this many, so the undo log stays small. */
  private static final int BATCH = 10_000;

  private final InMemoryInventoryStore store;
  private final int skuCount;
  private final List<StoreId> storeIds;
  private final List<String> locationIds;

  private Catalogue(InMemoryInventoryStore store, int skuCount, List<StoreId> storeIds,
      List<String> locationIds) {
    this.store = store;
    this.skuCount = skuCount;
    this.storeIds = List.copyOf(storeIds);
    this.locationIds = List.copyOf(locationIds);
  }

  /**
   * Builds the default catalogue: {@value #DEFAULT_SKUS} SKUs on {@value #DEFAULT_STORES} stores.
   *
   * @return the catalogue
   */
  public static Catalogue build() {
    return build(DEFAULT_SKUS, DEFAULT_STORES);
  }

  /**
   * Builds a catalogue into a new store.
   *
   * @param skus the number of SKUs, at least 1
   * @param stores the number of stores, at least 1
   * @return the catalogue
   * @throws IllegalArgumentException if a count is below 1
   */
  public static Catalogue build(int skus, int stores) {
    if (skus < 1 || stores < 1) {
      throw new IllegalArgumentException("skus and stores must be >= 1: " + skus + ", " + stores);
    }
    InMemoryInventoryStore store = new InMemoryInventoryStore();
    List<StoreId> ids = new ArrayList<>(stores);
    List<String> locations = new ArrayList<>(stores);
    for (int s = 0; s < stores; s++) {
      ids.add(StoreId.of("shopify", "shop-" + s + ".myshopify.com"));
      locations.add("gid://shopify/Location/" + (60_000_000_000L + s));
    }
    store.write(tx -> {
      tx.putWarehouse(Warehouse.of(WAREHOUSE, "Main warehouse"));
      for (int s = 0; s < stores; s++) {
        StoreId id = ids.get(s);
        tx.putStore(StoreRecord.connected(id, "Shop " + s, StoreOptions.DEFAULT)
            .withSyncOn(SYNC_ON_AT));
        tx.putLocations(id, List.of(new ChannelLocation(locations.get(s), "Main", true, false)));
        tx.putMappings(id, List.of(
            new LocationMapping(locations.get(s), List.of(WAREHOUSE), InventoryMaster.HUB)));
      }
      return null;
    });
    for (int from = 0; from < skus; from += BATCH) {
      int to = Math.min(skus, from + BATCH);
      int first = from;
      store.write(tx -> {
        for (int n = first; n < to; n++) {
          Sku sku = Sku.of(skuValue(n));
          long stock = initialStock(n);
          tx.putProduct(new Product(sku, "Product " + n, List.of()));
          tx.putStockLevel(new StockLevel(sku, WAREHOUSE, stock, 0));
          for (int s = 0; s < stores; s++) {
            StoreId id = ids.get(s);
            long k = (long) s * skus + n;
            String listingId = "gid://shopify/ProductVariant/" + (40_000_000_000L + k);
            tx.putListing(new ListingRecord(id, listingId,
                "gid://shopify/InventoryItem/" + (45_000_000_000L + k), sku, ListingStatus.ACTIVE,
                "Product " + n, true));
            tx.putKnownQuantity(id, listingId, locations.get(s), stock);
          }
        }
        return null;
      });
    }
    return new Catalogue(store, skus, ids, locations);
  }

  /**
   * Returns the SKU string of the n-th product.
   *
   * @param n 0-based
   * @return the SKU, e.g. {@code "SKU-0000042"}
   */
  public static String skuValue(int n) {
    String digits = Integer.toString(n);
    return "SKU-" + "0000000".substring(Math.min(7, digits.length())) + digits;
  }

  /**
   * Returns the n-th product's initial stock: deterministic, between 1 and 500.
   *
   * @param n 0-based
   * @return the stock
   */
  public static long initialStock(int n) {
    return 1 + (n * 7919L) % 500;
  }

  /**
   * Returns {@code count} SKUs spread evenly over the catalogue.
   *
   * @param count how many, at most the catalogue's size
   * @return the SKUs, in catalogue order
   */
  public List<Sku> spread(int count) {
    if (count < 1 || count > skuCount) {
      throw new IllegalArgumentException("count must be 1.." + skuCount + ": " + count);
    }
    List<Sku> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(Sku.of(skuValue((int) ((long) i * skuCount / count))));
    }
    return out;
  }

  /**
   * Returns the store.
   *
   * @return the store holding the catalogue
   */
  public InMemoryInventoryStore store() {
    return store;
  }

  /**
   * Returns the number of SKUs.
   *
   * @return the count
   */
  public int skuCount() {
    return skuCount;
  }

  /**
   * Returns the stores, in creation order.
   *
   * @return the store ids
   */
  public List<StoreId> storeIds() {
    return storeIds;
  }

  /**
   * Returns each store's only location id, in the order of {@link #storeIds()}.
   *
   * @return the location ids
   */
  public List<String> locationIds() {
    return locationIds;
  }

  /**
   * Returns the number of listing-locations: SKUs times stores.
   *
   * @return the count
   */
  public long listingLocations() {
    return (long) skuCount * storeIds.size();
  }
}
