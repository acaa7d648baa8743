package io.stocksync.core.store;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Movement;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ListingStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link InventoryStore}: everything in memory, <strong>not durable</strong>: all
 * stock, ledger and sync state is lost when the JVM exits. Use it for tests, demos and hosts that
 * rebuild state on start; implement {@link InventoryStore} over a database for anything else.
 *
 * <p>Thread-safe. Write transactions are serialized by one lock and roll back through an undo
 * log when the work throws; read work runs concurrently with other reads.
 */
public final class InMemoryInventoryStore implements InventoryStore {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ThreadLocal<@Nullable View> current = new ThreadLocal<>();

  private final Map<Sku, Product> products = new HashMap<>();
  private final Map<Sku, Set<Sku>> bundleParents = new HashMap<>();
  private final Map<String, Warehouse> warehouses = new LinkedHashMap<>();
  // Most SKUs are stocked in one or two warehouses: a small array per SKU, replaced on write so
  // undo restores the previous array, costs far less than a hash map per SKU.
  private final Map<Sku, StockLevel[]> levels = new HashMap<>();
  private final Map<Sku, ArrayList<Movement>> movements = new HashMap<>();
  private final Map<String, String> operations = new HashMap<>();
  private long movementSequence;
  private long listingSequence;

  private final Map<StoreId, StoreRecord> stores = new LinkedHashMap<>();
  private final Map<StoreId, List<ChannelLocation>> locations = new HashMap<>();
  private final Map<StoreId, List<LocationMapping>> mappings = new HashMap<>();
  private final Map<StoreId, LinkedHashMap<Object, Slot>> listings = new HashMap<>();
  private final Map<Sku, List<Slot>> listingsBySku = new HashMap<>();
  private final Map<StoreId, Map<String, OrderRecord>> orders = new HashMap<>();
  // Location ids repeat on every listing of a store; one instance each is enough.
  private final Map<String, String> interned = new HashMap<>();

  private String intern(String value) {
    String known = interned.putIfAbsent(value, value);
    return known != null ? known : value;
  }

  /** Creates an empty store. */
  public InMemoryInventoryStore() {}

  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    View active = current.get();
    if (active != null) {
      return work.apply(active);
    }
    lock.readLock().lock();
    View view = new View(false);
    current.set(view);
    try {
      return work.apply(view);
    } finally {
      current.remove();
      lock.readLock().unlock();
    }
  }

  @Override
  public <T> T write(Function<? super StoreTransaction, ? extends T> work) {
    View active = current.get();
    if (active != null) {
      if (!active.writable) {
        throw new IllegalStateException("write transaction started inside read work");
      }
      return work.apply(active);
    }
    lock.writeLock().lock();
    View tx = new View(true);
    current.set(tx);
    try {
      T result = work.apply(tx);
      tx.undo.clear();
      return result;
    } catch (RuntimeException | Error e) {
      tx.rollback();
      throw e;
    } finally {
      current.remove();
      lock.writeLock().unlock();
    }
  }

  /**
   * One listing and its known quantities per location. The listing's fields are held here, ids
   * packed (see {@link #pack}), and a {@link ListingRecord} is built when read: a hub holds a
   * million of these, and the ids alone would otherwise take most of its memory.
   */
  private static final class Slot {
    final long seq;
    final StoreId store;
    final Object id;
    Object inventoryRef;
    Sku sku;
    ListingStatus status;
    String title;
    boolean tracked;
    // Most listings are stocked at one location: keep it inline, further ones in arrays.
    @Nullable String location0;
    long known0;
    String[] locationIds = NO_LOCATIONS;
    long[] known = NO_QUANTITIES;

    Slot(long seq, StoreId store, Object id, Object inventoryRef, ListingRecord l) {
      this.seq = seq;
      this.store = store;
      this.id = id;
      this.inventoryRef = inventoryRef;
      this.sku = l.sku();
      this.status = l.status();
      this.title = l.title();
      this.tracked = l.tracked();
    }
  }

  /** An id of the form {@code <prefix><digits>}, such as a Shopify gid, as a prefix and a number. */
  private record PackedId(int prefix, long number) {}

  /** The inventory ref of a listing whose ref is its own id. */
  private static final Object SAME_AS_ID = new Object();

  private final List<String> idPrefixes = new ArrayList<>();
  private final Map<String, Integer> idPrefixIndex = new HashMap<>();

  /**
   * Packs an id like {@code gid://shopify/ProductVariant/40000000001} into 24 bytes instead of
   * about 80. Ids of another shape stay strings. With {@code learn} false (reads), an unseen
   * prefix cannot match any stored id, so the string is returned.
   */
  private Object pack(String id, boolean learn) {
    int start = id.lastIndexOf('/') + 1;
    int digits = id.length() - start;
    if (start == 0 || digits < 1 || digits > 18 || (digits > 1 && id.charAt(start) == '0')) {
      return id;
    }
    long number = 0;
    for (int i = start; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return id;
      }
      number = number * 10 + (c - '0');
    }
    // Nearly every id shares the last prefix seen: match it in place, without a substring.
    PrefixHit hit = lastPrefix;
    if (hit != null && hit.prefix.length() == start && id.regionMatches(0, hit.prefix, 0, start)) {
      return new PackedId(hit.index, number);
    }
    String prefix = id.substring(0, start);
    Integer index = idPrefixIndex.get(prefix);
    if (index == null) {
      if (!learn) {
        return id;
      }
      index = idPrefixes.size();
      idPrefixes.add(prefix);
      idPrefixIndex.put(prefix, index);
    }
    lastPrefix = new PrefixHit(idPrefixes.get(index), index);
    return new PackedId(index, number);
  }

  /** The last prefix matched, swapped as one immutable object so readers never see half of it. */
  private record PrefixHit(String prefix, int index) {}

  private volatile @Nullable PrefixHit lastPrefix;

  private String unpack(Object packed) {
    if (packed instanceof PackedId) {
      PackedId p = (PackedId) packed;
      return idPrefixes.get(p.prefix()) + p.number();
    }
    return (String) packed;
  }

  private ListingRecord record(Slot s) {
    String id = unpack(s.id);
    String ref = s.inventoryRef == SAME_AS_ID ? id : unpack(s.inventoryRef);
    return new ListingRecord(s.store, id, ref, s.sku, s.status, s.title, s.tracked);
  }

  /** Sets a slot's fields from a record, sharing strings the store already holds. */
  private void fill(Slot s, ListingRecord l) {
    Product product = products.get(l.sku());
    s.sku = product != null ? product.sku() : l.sku();
    s.title = product != null && product.name().equals(l.title()) ? product.name() : l.title();
    s.status = l.status();
    s.tracked = l.tracked();
    s.inventoryRef = l.inventoryRef().equals(l.listingId()) ? SAME_AS_ID : pack(l.inventoryRef(), true);
  }

  private static final String[] NO_LOCATIONS = new String[0];
  private static final long[] NO_QUANTITIES = new long[0];

  private final class View implements StoreTransaction {
    final boolean writable;
    final ArrayList<Runnable> undo = new ArrayList<>();
    // Callers look a listing up right after reading it (the planner asks for its known
    // quantities): the id strings this view just built find their slot without re-parsing.
    private final String[] recentIds = new String[8];
    private final Slot[] recentSlots = new Slot[8];
    private int recent;

    ListingRecord recordOf(Slot slot) {
      ListingRecord r = record(slot);
      int i = recent++ & 7;
      recentIds[i] = r.listingId();
      recentSlots[i] = slot;
      return r;
    }

    View(boolean writable) {
      this.writable = writable;
    }

    void rollback() {
      for (int i = undo.size() - 1; i >= 0; i--) {
        undo.get(i).run();
      }
      undo.clear();
    }

    private void checkWritable() {
      if (!writable) {
        throw new IllegalStateException("write inside read work");
      }
    }

    private <K, V> void put(Map<K, V> map, K key, @Nullable V value) {
      checkWritable();
      V previous = value == null ? map.remove(key) : map.put(key, value);
      undo.add(
          () -> {
            if (previous == null) {
              map.remove(key);
            } else {
              map.put(key, previous);
            }
          });
    }

    // ---- inventory ---------------------------------------------------------------------------

    @Override
    public Optional<Product> product(Sku sku) {
      return Optional.ofNullable(products.get(sku));
    }

    @Override
    public Set<Sku> bundlesContaining(Sku component) {
      Set<Sku> parents = bundleParents.get(component);
      return parents == null ? Set.of() : Set.copyOf(parents);
    }

    @Override
    public long productCount() {
      return products.size();
    }

    @Override
    public Optional<Warehouse> warehouse(String id) {
      return Optional.ofNullable(warehouses.get(id));
    }

    @Override
    public List<Warehouse> warehouses() {
      return List.copyOf(warehouses.values());
    }

    @Override
    public Optional<StockLevel> stockLevel(Sku sku, String warehouseId) {
      StockLevel[] bySku = levels.get(sku);
      if (bySku != null) {
        for (StockLevel level : bySku) {
          if (level.warehouseId().equals(warehouseId)) {
            return Optional.of(level);
          }
        }
      }
      return Optional.empty();
    }

    @Override
    public List<StockLevel> stockLevels(Sku sku) {
      StockLevel[] bySku = levels.get(sku);
      return bySku == null ? List.of() : List.of(bySku);
    }

    @Override
    public List<Movement> movements(Sku sku, long beforeId, int limit) {
      ArrayList<Movement> all = movements.get(sku);
      if (all == null || limit <= 0) {
        return List.of();
      }
      // Ids grow with the list, so the first entry at or after beforeId bounds the page.
      int lo = 0;
      int hi = all.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (all.get(mid).id() < beforeId) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      List<Movement> page = new ArrayList<>(Math.min(limit, lo));
      for (int i = lo - 1; i >= 0 && page.size() < limit; i--) {
        page.add(all.get(i));
      }
      return Collections.unmodifiableList(page);
    }

    @Override
    public Optional<String> operation(String operationId) {
      return Optional.ofNullable(operations.get(operationId));
    }

    @Override
    public void putProduct(Product product) {
      checkWritable();
      Product previous = products.get(product.sku());
      if (previous != null) {
        for (BundleComponent c : previous.components()) {
          unlinkParent(c.sku(), product.sku());
        }
      }
      put(products, product.sku(), product);
      for (BundleComponent c : product.components()) {
        Set<Sku> parents = bundleParents.computeIfAbsent(c.sku(), k -> new HashSet<>());
        if (parents.add(product.sku())) {
          undo.add(() -> parents.remove(product.sku()));
        }
      }
    }

    private void unlinkParent(Sku component, Sku bundle) {
      Set<Sku> parents = bundleParents.get(component);
      if (parents != null && parents.remove(bundle)) {
        undo.add(() -> parents.add(bundle));
      }
    }

    @Override
    public void putWarehouse(Warehouse warehouse) {
      put(warehouses, warehouse.id(), warehouse);
    }

    @Override
    public void putStockLevel(StockLevel level) {
      checkWritable();
      StockLevel[] old = levels.get(level.sku());
      StockLevel[] next;
      if (old == null) {
        next = new StockLevel[] {level};
      } else {
        int index = -1;
        for (int i = 0; i < old.length; i++) {
          if (old[i].warehouseId().equals(level.warehouseId())) {
            index = i;
            break;
          }
        }
        next = Arrays.copyOf(old, index < 0 ? old.length + 1 : old.length);
        next[index < 0 ? old.length : index] = level;
      }
      put(levels, level.sku(), next);
    }

    @Override
    public Movement appendMovement(Movement m) {
      checkWritable();
      long previousSequence = movementSequence;
      Movement stored =
          new Movement(
              ++movementSequence, m.operationId(), m.at(), m.type(), m.sku(), m.warehouseId(),
              m.inStockDelta(), m.bookedDelta(), m.reason(), m.reference());
      ArrayList<Movement> list = movements.computeIfAbsent(m.sku(), k -> new ArrayList<>());
      list.add(stored);
      undo.add(
          () -> {
            list.remove(list.size() - 1);
            movementSequence = previousSequence;
          });
      return stored;
    }

    @Override
    public void putOperation(String operationId, String fingerprint) {
      put(operations, operationId, fingerprint);
    }

    // ---- stores ------------------------------------------------------------------------------

    @Override
    public Optional<StoreRecord> store(StoreId id) {
      return Optional.ofNullable(stores.get(id));
    }

    @Override
    public List<StoreRecord> stores() {
      return List.copyOf(stores.values());
    }

    @Override
    public List<ChannelLocation> locations(StoreId store) {
      return locations.getOrDefault(store, List.of());
    }

    @Override
    public List<LocationMapping> mappings(StoreId store) {
      return mappings.getOrDefault(store, List.of());
    }

    @Override
    public void putStore(StoreRecord store) {
      put(stores, store.id(), store);
    }

    @Override
    public void putLocations(StoreId store, List<ChannelLocation> list) {
      put(locations, store, List.copyOf(list));
    }

    @Override
    public void putMappings(StoreId store, List<LocationMapping> list) {
      put(mappings, store, List.copyOf(list));
    }

    // ---- listings ----------------------------------------------------------------------------

    @Override
    public Optional<ListingRecord> listing(StoreId store, String listingId) {
      Slot slot = slot(store, listingId);
      return slot == null ? Optional.empty() : Optional.of(recordOf(slot));
    }

    private @Nullable Slot slot(StoreId store, String listingId) {
      if (!writable) { // nothing changes under a read view, so a remembered slot stays valid
        for (int i = 0; i < recentIds.length; i++) {
          if (recentIds[i] == listingId && recentSlots[i].store.equals(store)) {
            return recentSlots[i];
          }
        }
      }
      Map<Object, Slot> byId = listings.get(store);
      return byId == null ? null : byId.get(pack(listingId, false));
    }

    @Override
    public List<ListingRecord> listings(StoreId store) {
      Map<Object, Slot> byId = listings.get(store);
      if (byId == null) {
        return List.of();
      }
      List<ListingRecord> out = new ArrayList<>(byId.size());
      for (Slot s : byId.values()) {
        out.add(recordOf(s));
      }
      return Collections.unmodifiableList(out);
    }

    @Override
    public int listingCount(StoreId store) {
      Map<Object, Slot> byId = listings.get(store);
      return byId == null ? 0 : byId.size();
    }

    @Override
    public List<ListingRecord> listingsBySku(Sku sku) {
      List<Slot> slots = listingsBySku.get(sku);
      if (slots == null) {
        return List.of();
      }
      List<ListingRecord> out = new ArrayList<>(slots.size());
      for (Slot s : slots) {
        out.add(recordOf(s));
      }
      return Collections.unmodifiableList(out);
    }

    @Override
    public void forEachListing(Consumer<? super ListingRecord> action) {
      for (Map<Object, Slot> byId : listings.values()) {
        for (Slot s : byId.values()) {
          action.accept(recordOf(s));
        }
      }
    }

    @Override
    public OptionalLong knownQuantity(StoreId store, String listingId, String locationId) {
      Slot slot = slot(store, listingId);
      if (slot != null) {
        if (locationId.equals(slot.location0)) {
          return OptionalLong.of(slot.known0);
        }
        for (int i = 0; i < slot.locationIds.length; i++) {
          if (slot.locationIds[i].equals(locationId)) {
            return OptionalLong.of(slot.known[i]);
          }
        }
      }
      return OptionalLong.empty();
    }

    @Override
    public void putListing(ListingRecord listing) {
      checkWritable();
      LinkedHashMap<Object, Slot> byId =
          listings.computeIfAbsent(listing.store(), k -> new LinkedHashMap<>());
      Object key = pack(listing.listingId(), true);
      Slot slot = byId.get(key);
      if (slot == null) {
        Slot created = new Slot(++listingSequence, listing.store(), key, SAME_AS_ID, listing);
        fill(created, listing);
        byId.put(key, created);
        addBySku(created.sku, created);
        undo.add(
            () -> {
              byId.remove(key);
              removeBySku(created.sku, created);
            });
        return;
      }
      ListingRecord previous = record(slot);
      fill(slot, listing);
      Sku before = previous.sku();
      Sku after = slot.sku;
      if (!before.equals(after)) {
        removeBySku(before, slot);
        addBySku(after, slot);
      }
      undo.add(
          () -> {
            if (!before.equals(after)) {
              removeBySku(after, slot);
              addBySku(before, slot);
            }
            fill(slot, previous);
          });
    }

    /** Puts a re-inserted listing back in import order; runs only on rollback. */
    private void restoreImportOrder(LinkedHashMap<Object, Slot> byId) {
      List<Map.Entry<Object, Slot>> entries = new ArrayList<>();
      byId.forEach((k, v) -> entries.add(Map.entry(k, v)));
      entries.sort((x, y) -> Long.compare(x.getValue().seq, y.getValue().seq));
      byId.clear();
      for (Map.Entry<Object, Slot> e : entries) {
        byId.put(e.getKey(), e.getValue());
      }
    }

    private void addBySku(Sku sku, Slot slot) {
      listingsBySku.computeIfAbsent(sku, k -> new ArrayList<>(2)).add(slot);
    }

    private void removeBySku(Sku sku, Slot slot) {
      List<Slot> slots = listingsBySku.get(sku);
      if (slots != null) {
        slots.remove(slot);
        if (slots.isEmpty()) {
          listingsBySku.remove(sku);
        }
      }
    }

    @Override
    public void removeListing(StoreId store, String listingId) {
      checkWritable();
      LinkedHashMap<Object, Slot> byId = listings.get(store);
      Object key = pack(listingId, false);
      Slot slot = byId == null ? null : byId.remove(key);
      if (slot == null) {
        return;
      }
      removeBySku(slot.sku, slot);
      undo.add(
          () -> {
            byId.put(key, slot);
            addBySku(slot.sku, slot);
            restoreImportOrder(byId);
          });
    }

    @Override
    public void putKnownQuantity(StoreId store, String listingId, String locationId, long qty) {
      checkWritable();
      Slot slot = slot(store, listingId);
      if (slot == null) {
        throw new IllegalStateException("no listing " + listingId + " in " + store);
      }
      String location0 = slot.location0;
      if (location0 == null || location0.equals(locationId)) {
        long old0 = slot.known0;
        slot.location0 = location0 != null ? location0 : intern(locationId);
        slot.known0 = qty;
        undo.add(
            () -> {
              slot.location0 = location0;
              slot.known0 = old0;
            });
        return;
      }
      String[] oldIds = slot.locationIds;
      long[] oldKnown = slot.known;
      int index = Arrays.asList(oldIds).indexOf(locationId);
      if (index >= 0) {
        slot.known = oldKnown.clone();
        slot.known[index] = qty;
      } else {
        slot.locationIds = Arrays.copyOf(oldIds, oldIds.length + 1);
        slot.locationIds[oldIds.length] = intern(locationId);
        slot.known = Arrays.copyOf(oldKnown, oldKnown.length + 1);
        slot.known[oldKnown.length] = qty;
      }
      undo.add(
          () -> {
            slot.locationIds = oldIds;
            slot.known = oldKnown;
          });
    }

    // ---- orders ------------------------------------------------------------------------------

    @Override
    public Optional<OrderRecord> order(StoreId store, String orderId) {
      Map<String, OrderRecord> byId = orders.get(store);
      return byId == null ? Optional.empty() : Optional.ofNullable(byId.get(orderId));
    }

    @Override
    public void putOrder(OrderRecord order) {
      checkWritable();
      put(orders.computeIfAbsent(order.store(), k -> new HashMap<>()), order.orderId(), order);
    }
  }
}
