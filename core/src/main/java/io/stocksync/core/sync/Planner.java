package io.stocksync.core.sync;

import io.stocksync.core.InventoryMaster;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.internal.Ledger;
import io.stocksync.core.internal.Ordered;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides what to push: a pure function of the hub's stock, bundles, listings, location mappings,
 * last known store quantities and per-store rules, read from one consistent {@link StoreReader}
 * view. It writes nothing.
 *
 * <p>For every listing of a SKU on a {@code SYNC_ON} store, at every location mapped with
 * {@link InventoryMaster#HUB} that is not read-only and where the listing is stocked, the desired
 * quantity is the SKU's available stock summed over the mapped warehouses, shaped by the store's
 * {@link StockRules} (or the SKU's override), never below zero. Skipped: STORE-master and
 * unlinked locations, read-only locations, untracked and inactive listings, drafts unless the
 * store includes them, and products whose stock was never set (reported in {@link
 * Plan#awaitingStock()}).
 *
 * <p>{@link #forSkus} costs time in proportion to the SKUs given and their listings, not to the
 * catalogue; {@link #forStore} and {@link #forAll} visit every listing (hard refresh).
 */
public final class Planner {
  /** Listings planned per round of batch reads; bounds memory on a hard refresh. */
  private static final int CHUNK = 1000;

  private final StoreReader reader;
  /** Non-null for stores that prefer batch reads; then also {@link #reader}. */
  private final @Nullable PrefetchedReader prefetched;
  private final boolean includeUnchanged;
  private final Map<StoreId, StoreContext> stores = new HashMap<>();
  private final Map<Sku, SkuContext> skus = new HashMap<>();
  private final List<PlannedPush> decreases = new ArrayList<>();
  private final List<PlannedPush> increases = new ArrayList<>();
  private final Set<Sku> awaitingStock = new LinkedHashSet<>();

  private Planner(StoreReader reader, boolean includeUnchanged) {
    this.prefetched = reader.prefersBatchReads() ? new PrefetchedReader(reader) : null;
    this.reader = prefetched != null ? prefetched : reader;
    this.includeUnchanged = includeUnchanged;
  }

  /**
   * The planner's output.
   *
   * @param pushes the pushes, every decrease before every increase
   * @param awaitingStock SKUs with listings that were skipped because their stock was never set
   */
  public record Plan(List<PlannedPush> pushes, Set<Sku> awaitingStock) {
    /**
     * Validates and normalises the components.
     *
     * @param pushes see the record description
     * @param awaitingStock see the record description
     */
    public Plan {
      pushes = List.copyOf(pushes);
      awaitingStock = Ordered.setCopy(awaitingStock); // planning order, the same every run
    }
  }

  /**
   * Plans the listings of some SKUs (delta mode).
   *
   * @param reader a consistent view of the hub
   * @param changed the SKUs whose availability may have changed, bundles included
   * @param includeUnchanged true to also return pushes whose desired quantity equals the known one
   * @return the plan
   */
  public static Plan forSkus(StoreReader reader, Collection<Sku> changed, boolean includeUnchanged) {
    Planner p = new Planner(reader, includeUnchanged);
    Set<Sku> unique = new LinkedHashSet<>(changed);
    if (p.prefetched == null) {
      for (Sku sku : unique) {
        for (ListingRecord listing : reader.listingsBySku(sku)) {
          p.evaluate(listing);
        }
      }
      return p.result();
    }
    Map<Sku, List<ListingRecord>> bySku = reader.listingsBySkus(unique);
    List<ListingRecord> listings = new ArrayList<>();
    for (Sku sku : unique) {
      listings.addAll(bySku.getOrDefault(sku, List.of()));
    }
    p.evaluateAll(listings);
    return p.result();
  }

  /**
   * Plans every listing of one store (hard refresh).
   *
   * @param reader a consistent view of the hub
   * @param store the store
   * @param includeUnchanged true to also return pushes whose desired quantity equals the known one
   * @return the plan
   */
  public static Plan forStore(StoreReader reader, StoreId store, boolean includeUnchanged) {
    Planner p = new Planner(reader, includeUnchanged);
    p.evaluateAll(reader.listings(store));
    return p.result();
  }

  /**
   * Plans every listing of every store (hard refresh of the whole hub).
   *
   * @param reader a consistent view of the hub
   * @param includeUnchanged true to also return pushes whose desired quantity equals the known one
   * @return the plan
   */
  public static Plan forAll(StoreReader reader, boolean includeUnchanged) {
    Planner p = new Planner(reader, includeUnchanged);
    if (p.prefetched == null) {
      reader.forEachListing(p::evaluate);
      return p.result();
    }
    List<ListingRecord> chunk = new ArrayList<>(CHUNK);
    reader.forEachListing(
        listing -> {
          chunk.add(listing);
          if (chunk.size() == CHUNK) {
            p.evaluateChunk(chunk);
            chunk.clear();
          }
        });
    p.evaluateChunk(chunk);
    return p.result();
  }

  private void evaluateAll(List<ListingRecord> listings) {
    if (prefetched == null) {
      for (ListingRecord listing : listings) {
        evaluate(listing);
      }
      return;
    }
    for (int from = 0; from < listings.size(); from += CHUNK) {
      evaluateChunk(listings.subList(from, Math.min(listings.size(), from + CHUNK)));
    }
  }

  /** Plans listings after reading what they need in a few batch reads. */
  private void evaluateChunk(List<ListingRecord> listings) {
    PrefetchedReader batch = prefetched;
    if (listings.isEmpty() || batch == null) {
      return;
    }
    batch.prefetch(listings, store -> {
      List<String> ids = new ArrayList<>();
      for (LocationMapping m : stores.computeIfAbsent(store, this::storeContext).targets) {
        ids.add(m.locationId());
      }
      return ids;
    });
    for (ListingRecord listing : listings) {
      evaluate(listing);
    }
  }

  private Plan result() {
    List<PlannedPush> all = new ArrayList<>(decreases.size() + increases.size());
    all.addAll(decreases);
    all.addAll(increases);
    return new Plan(all, awaitingStock);
  }

  private void evaluate(ListingRecord listing) {
    StoreContext store = stores.computeIfAbsent(listing.store(), this::storeContext);
    StoreRecord record = store.record;
    if (record == null
        || store.targets.isEmpty()
        || !listing.tracked()
        || !listing.status().pushable()
        || (listing.status() == ListingStatus.DRAFT && !record.options().includeDrafts())) {
      return;
    }
    SkuContext sku = skus.get(listing.sku());
    if (sku == null) {
      Product product = reader.product(listing.sku()).orElse(null);
      sku = new SkuContext(product, product != null && Ledger.stockKnown(reader, product));
      skus.put(listing.sku(), sku);
    }
    Product product = sku.product;
    if (product == null) {
      return;
    }
    if (!sku.stockKnown) {
      awaitingStock.add(listing.sku());
      return;
    }
    StockRules rules = record.options().rulesFor(listing.sku());
    for (LocationMapping mapping : store.targets) {
      OptionalLong known = reader.knownQuantity(listing.store(), listing.listingId(), mapping.locationId());
      if (known.isEmpty()) {
        continue; // not stocked at this location on the store
      }
      long desired = rules.apply(sku.available(reader, product, mapping.warehouseIds()));
      long was = known.getAsLong();
      if (desired == was && !includeUnchanged) {
        continue;
      }
      PlannedPush push = new PlannedPush(listing.store(), listing.listingId(),
          new StockRef(listing.inventoryRef(), mapping.locationId()), listing.sku(), desired, was);
      (desired < was ? decreases : increases).add(push);
    }
  }

  private StoreContext storeContext(StoreId id) {
    StoreRecord record = reader.store(id).orElse(null);
    if (record == null || record.status() != SyncStatus.SYNC_ON) {
      return new StoreContext(record, List.of());
    }
    Set<String> readOnly = new HashSet<>();
    for (ChannelLocation location : reader.locations(id)) {
      if (location.readOnly()) {
        readOnly.add(location.id());
      }
    }
    List<LocationMapping> targets = new ArrayList<>();
    for (LocationMapping m : reader.mappings(id)) {
      if (m.master() == InventoryMaster.HUB && !readOnly.contains(m.locationId())) {
        targets.add(m);
      }
    }
    return new StoreContext(record, targets);
  }

  private static final class StoreContext {
    // Null only for stores that are not SYNC_ON, whose targets are empty and never read.
    final @Nullable StoreRecord record;
    final List<LocationMapping> targets;

    StoreContext(@Nullable StoreRecord record, List<LocationMapping> targets) {
      this.record = record;
      this.targets = targets;
    }
  }

  private static final class SkuContext {
    final @Nullable Product product;
    final boolean stockKnown;
    // Most stores map their locations to the same warehouses, so one remembered answer serves
    // nearly every lookup; other warehouse sets fall back to a small map.
    private @Nullable List<String> lastWarehouses;
    private long lastAvailable;
    private @Nullable Map<List<String>, Long> more;

    SkuContext(@Nullable Product product, boolean stockKnown) {
      this.product = product;
      this.stockKnown = stockKnown;
    }

    long available(StoreReader reader, Product product, List<String> warehouses) {
      List<String> last = lastWarehouses;
      if (last != null && (last == warehouses || last.equals(warehouses))) {
        return lastAvailable;
      }
      if (last == null) {
        lastWarehouses = warehouses;
        lastAvailable = Ledger.available(reader, product, warehouses);
        return lastAvailable;
      }
      if (more == null) {
        more = new HashMap<>(4);
      }
      return more.computeIfAbsent(warehouses, w -> Ledger.available(reader, product, w));
    }
  }
}
