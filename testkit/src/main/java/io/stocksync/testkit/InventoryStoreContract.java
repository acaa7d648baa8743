package io.stocksync.testkit;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Movement;
import io.stocksync.core.MovementType;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.OrderRecord;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.store.StoreTransaction;
import io.stocksync.core.sync.StoreOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link InventoryStore} must pass. Extend it in a test class and implement
 * {@link #newStore()}; JUnit 5 runs every test below against the store:
 *
 * <pre>{@code
 * class JdbcInventoryStoreContractTest extends InventoryStoreContract {
 *   protected InventoryStore newStore() {
 *     return new JdbcInventoryStore(freshEmptyDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>Besides the rules stated on {@link InventoryStore}, {@link StoreReader} and {@link
 * StoreTransaction}, the suite requires:
 *
 * <ul>
 *   <li>{@link StoreTransaction#putKnownQuantity} for a listing the store does not hold (never
 *       put, removed, or held by another store) throws {@link IllegalStateException}; thrown from
 *       write work, it rolls the transaction back like any other exception;
 *   <li>{@link StoreTransaction#appendMovement} ignores the given id and assigns ids that grow
 *       strictly across SKUs and transactions (gaps are allowed);
 *   <li>replacing a warehouse, store or listing keeps its position in {@link
 *       StoreReader#warehouses()}, {@link StoreReader#stores()} and {@link
 *       StoreReader#listings(StoreId)}, and a rolled-back removal restores that position;
 *   <li>{@link StoreTransaction#putLocations} and {@link StoreTransaction#putMappings} replace the
 *       store's whole list and keep what they were given, not the caller's list object;
 *   <li>{@link StoreTransaction#removeListing} of an absent listing does nothing;
 *   <li>collections returned by a reader are unmodifiable snapshots, inside {@code read} and
 *       inside {@code write}, and later writes never change them;
 *   <li>a rolled-back write rethrows the very exception (or error) the work threw.
 * </ul>
 *
 * <p>The concurrency tests start their own threads and finish in a few seconds; they never sleep.
 * The isolation tests give a reader {@value #READER_GRACE_MILLIS} ms to finish while a writer on
 * another thread is paused before deciding that the reader blocks until commit.
 */
public abstract class InventoryStoreContract {
  private static final long TIMEOUT_SECONDS = 30;
  private static final long READER_GRACE_MILLIS = 250;
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final StoreId SHOP = StoreId.of("shopify", "shop.myshopify.com");
  private static final StoreId ETSY = StoreId.of("etsy", "12345");

  private static final List<String> SKUS = List.of("A", "B", "C", "X", "Y");
  private static final List<String> WAREHOUSE_IDS = List.of("main", "backup", "new");
  private static final List<String> OPERATION_IDS = List.of("op-1", "op-2");
  private static final List<StoreId> STORE_IDS = List.of(SHOP, ETSY);
  private static final List<String> LISTING_IDS = List.of("L1", "L2", "L3", "L4");
  private static final List<String> LOCATION_IDS = List.of("loc1", "loc2", "e1");
  private static final List<String> ORDER_IDS = List.of("O1", "O2");

  private InventoryStore store;

  /** Creates the suite; the store under test comes from {@link #newStore()}. */
  protected InventoryStoreContract() {}

  /**
   * Creates the store under test. Called before every test.
   *
   * @return a new, empty store that no other test uses
   */
  protected abstract InventoryStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  // ---- products ------------------------------------------------------------------------------

  @Test
  void product_whenNeverPut_isEmpty() {
    assertThat(read((StoreReader r) -> r.product(sku("A")))).isEmpty();
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("A")))).isEmpty();
    assertThat(read(StoreReader::productCount)).isZero();
  }

  @Test
  void putProduct_thenProduct_returnsItAndCountsIt() {
    Product apple = Product.of("A", "Apple");
    Product box = Product.bundle("X", "Box", BundleComponent.of("A", 2));
    write(tx -> {
      tx.putProduct(apple);
      tx.putProduct(box);
    });

    assertThat(read((StoreReader r) -> r.product(sku("A")))).contains(apple);
    assertThat(read((StoreReader r) -> r.product(sku("X")))).contains(box);
    assertThat(read((StoreReader r) -> r.product(sku("B")))).isEmpty();
    assertThat(read(StoreReader::productCount)).isEqualTo(2L);
  }

  @Test
  void putProduct_withExistingSku_replacesIt() {
    write(tx -> tx.putProduct(Product.of("A", "Old name")));
    Product renamed = Product.of("A", "New name");
    write(tx -> tx.putProduct(renamed));

    assertThat(read((StoreReader r) -> r.product(sku("A")))).contains(renamed);
    assertThat(read(StoreReader::productCount)).isEqualTo(1L);
  }

  @Test
  void bundlesContaining_returnsEveryBundleListingTheSkuAsDirectComponent() {
    write(tx -> {
      tx.putProduct(Product.of("A", ""));
      tx.putProduct(Product.of("B", ""));
      tx.putProduct(
          Product.bundle("X", "", BundleComponent.of("A", 1), BundleComponent.of("B", 2)));
      tx.putProduct(Product.bundle("Y", "", BundleComponent.of("A", 3)));
      tx.putProduct(Product.bundle("Z", "", BundleComponent.of("X", 1)));
    });

    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("A"))))
        .containsExactlyInAnyOrder(sku("X"), sku("Y"));
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("B")))).containsExactly(sku("X"));
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("X")))).containsExactly(sku("Z"));
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("Z")))).isEmpty();
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("unknown")))).isEmpty();
  }

  @Test
  void putProduct_whenBundleComponentsChange_updatesBundlesContaining() {
    write(tx -> tx.putProduct(
        Product.bundle("X", "", BundleComponent.of("A", 1), BundleComponent.of("B", 1))));
    write(tx -> tx.putProduct(
        Product.bundle("X", "", BundleComponent.of("B", 2), BundleComponent.of("C", 1))));

    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("A")))).isEmpty();
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("B")))).containsExactly(sku("X"));
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("C")))).containsExactly(sku("X"));

    write(tx -> tx.putProduct(Product.of("X", "no longer a bundle")));

    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("B")))).isEmpty();
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("C")))).isEmpty();
  }

  @Test
  void putProduct_whenBundleChangeRollsBack_restoresBundlesContaining() {
    Product box = Product.bundle("X", "", BundleComponent.of("A", 1), BundleComponent.of("B", 1));
    write(tx -> tx.putProduct(box));

    RuntimeException failure = new IllegalStateException("work fails on purpose");
    Throwable thrown =
        catchThrowable(
            () ->
                store.write(
                    tx -> {
                      tx.putProduct(Product.bundle(
                          "X", "", BundleComponent.of("B", 2), BundleComponent.of("C", 1)));
                      tx.putProduct(Product.bundle("Y", "", BundleComponent.of("A", 1)));
                      tx.putProduct(Product.of("X", "plain"));
                      tx.putProduct(Product.bundle("X", "", BundleComponent.of("C", 1)));
                      assertThat(tx.bundlesContaining(sku("A"))).containsExactly(sku("Y"));
                      assertThat(tx.bundlesContaining(sku("C"))).containsExactly(sku("X"));
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(read((StoreReader r) -> r.product(sku("X")))).contains(box);
    assertThat(read((StoreReader r) -> r.product(sku("Y")))).isEmpty();
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("A")))).containsExactly(sku("X"));
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("B")))).containsExactly(sku("X"));
    assertThat(read((StoreReader r) -> r.bundlesContaining(sku("C")))).isEmpty();
    assertThat(read(StoreReader::productCount)).isEqualTo(1L);
  }

  // ---- warehouses ----------------------------------------------------------------------------

  @Test
  void warehouse_whenNeverPut_isEmpty() {
    assertThat(read((StoreReader r) -> r.warehouse("main"))).isEmpty();
    assertThat(read(StoreReader::warehouses)).isEmpty();
  }

  @Test
  void warehouses_areListedInDefinitionOrder() {
    Warehouse c = Warehouse.of("c", "Charlie");
    Warehouse a = Warehouse.of("a", "Alpha");
    Warehouse b = Warehouse.of("b", "Bravo");
    write(tx -> tx.putWarehouse(c));
    write(tx -> {
      tx.putWarehouse(a);
      tx.putWarehouse(b);
    });

    assertThat(read(StoreReader::warehouses)).containsExactly(c, a, b);
    assertThat(read((StoreReader r) -> r.warehouse("a"))).contains(a);
  }

  @Test
  void putWarehouse_withExistingId_replacesItInPlace() {
    write(tx -> {
      tx.putWarehouse(Warehouse.of("main", "Main"));
      tx.putWarehouse(Warehouse.of("backup", "Backup"));
    });
    Warehouse renamed = Warehouse.of("main", "Main, renamed");
    write(tx -> tx.putWarehouse(renamed));

    assertThat(read((StoreReader r) -> r.warehouse("main"))).contains(renamed);
    assertThat(read(StoreReader::warehouses))
        .containsExactly(renamed, Warehouse.of("backup", "Backup"));
  }

  // ---- stock levels --------------------------------------------------------------------------

  @Test
  void stockLevel_whenNeverPut_isEmpty() {
    assertThat(read((StoreReader r) -> r.stockLevel(sku("A"), "main"))).isEmpty();
    assertThat(read((StoreReader r) -> r.stockLevels(sku("A")))).isEmpty();
  }

  @Test
  void putStockLevel_thenStockLevel_returnsIt() {
    StockLevel level = new StockLevel(sku("A"), "main", 10, 3);
    write(tx -> tx.putStockLevel(level));

    assertThat(read((StoreReader r) -> r.stockLevel(sku("A"), "main"))).contains(level);
    assertThat(read((StoreReader r) -> r.stockLevel(sku("A"), "backup"))).isEmpty();
    assertThat(read((StoreReader r) -> r.stockLevel(sku("B"), "main"))).isEmpty();
  }

  @Test
  void putStockLevel_withExistingSkuAndWarehouse_replacesIt() {
    write(tx -> tx.putStockLevel(new StockLevel(sku("A"), "main", 10, 3)));
    StockLevel changed = new StockLevel(sku("A"), "main", -2, 7);
    write(tx -> tx.putStockLevel(changed));

    assertThat(read((StoreReader r) -> r.stockLevel(sku("A"), "main"))).contains(changed);
    assertThat(read((StoreReader r) -> r.stockLevels(sku("A")))).containsExactly(changed);
  }

  @Test
  void stockLevels_listsTheSkuInEveryWarehouseWhereItHasStock() {
    StockLevel main = level("A", "main", 10);
    StockLevel backup = level("A", "backup", 0);
    StockLevel other = level("B", "main", 4);
    write(tx -> {
      tx.putStockLevel(main);
      tx.putStockLevel(other);
      tx.putStockLevel(backup);
    });

    assertThat(read((StoreReader r) -> r.stockLevels(sku("A"))))
        .containsExactlyInAnyOrder(main, backup);
    assertThat(read((StoreReader r) -> r.stockLevels(sku("B")))).containsExactly(other);
  }

  // ---- ledger --------------------------------------------------------------------------------

  @Test
  void appendMovement_assignsStrictlyIncreasingIdsAcrossSkusAndTransactions() {
    List<Movement> given =
        List.of(movement("A", "main", 1), movement("B", "main", 2), movement("A", "backup", 3),
            movement("C", "main", 4));
    List<Movement> stored = new ArrayList<>();
    write(tx -> {
      for (Movement m : given.subList(0, 3)) {
        stored.add(tx.appendMovement(m));
      }
    });
    write(tx -> stored.add(tx.appendMovement(given.get(3))));

    assertThat(stored).extracting(Movement::id).isSorted().doesNotHaveDuplicates();
    for (int i = 0; i < given.size(); i++) {
      assertThat(stored.get(i)).usingRecursiveComparison().ignoringFields("id")
          .isEqualTo(given.get(i));
    }
  }

  @Test
  void appendMovement_ignoresTheGivenId() {
    Movement first =
        store.write(tx -> tx.appendMovement(withId(movement("A", "main", 1), Long.MAX_VALUE)));
    Movement second = store.write(tx -> tx.appendMovement(withId(movement("A", "main", 1), 0)));

    assertThat(second.id()).isGreaterThan(first.id());
    assertThat(read((StoreReader r) -> r.movements(sku("A"), Long.MAX_VALUE, 10)))
        .containsExactly(second, first);
  }

  @Test
  void appendMovement_afterRolledBackWrite_keepsIdsIncreasing() {
    Movement committed = store.write(tx -> tx.appendMovement(movement("A", "main", 1)));
    catchThrowable(
        () ->
            store.write(
                tx -> {
                  tx.appendMovement(movement("A", "main", 2));
                  tx.appendMovement(movement("B", "main", 3));
                  throw new IllegalStateException("work fails on purpose");
                }));
    Movement next = store.write(tx -> tx.appendMovement(movement("B", "main", 4)));

    assertThat(next.id()).isGreaterThan(committed.id());
    assertThat(read((StoreReader r) -> r.movements(sku("A"), Long.MAX_VALUE, 10)))
        .containsExactly(committed);
    assertThat(read((StoreReader r) -> r.movements(sku("B"), Long.MAX_VALUE, 10)))
        .containsExactly(next);
  }

  @Test
  void movements_forSkuWithoutEntries_isEmpty() {
    write(tx -> tx.appendMovement(movement("A", "main", 1)));

    assertThat(read((StoreReader r) -> r.movements(sku("B"), Long.MAX_VALUE, 10))).isEmpty();
  }

  @Test
  void movements_returnsOnlyTheSkusEntriesNewestFirst() {
    List<Movement> ofA = new ArrayList<>();
    write(tx -> {
      ofA.add(tx.appendMovement(movement("A", "main", 1)));
      tx.appendMovement(movement("B", "main", 1));
      ofA.add(tx.appendMovement(movement("A", "backup", 2)));
    });
    write(tx -> ofA.add(tx.appendMovement(movement("A", "main", -1))));

    assertThat(read((StoreReader r) -> r.movements(sku("A"), Long.MAX_VALUE, 10)))
        .containsExactly(ofA.get(2), ofA.get(1), ofA.get(0));
    assertThat(read((StoreReader r) -> r.movements(sku("A"), Long.MAX_VALUE, 2)))
        .containsExactly(ofA.get(2), ofA.get(1));
  }

  @Test
  void movements_withBeforeId_pagesThroughOlderEntries() {
    List<Movement> ofA = new ArrayList<>();
    List<Movement> ofB = new ArrayList<>();
    write(tx -> {
      for (int i = 1; i <= 7; i++) {
        ofA.add(tx.appendMovement(movement("A", "main", i)));
        ofB.add(tx.appendMovement(movement("B", "main", i)));
      }
    });
    List<Movement> newestFirst = new ArrayList<>(ofA);
    Collections.reverse(newestFirst);

    List<Movement> paged = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    long beforeId = Long.MAX_VALUE;
    while (true) {
      long bound = beforeId;
      List<Movement> page = read(r -> r.movements(sku("A"), bound, 3));
      if (page.isEmpty()) {
        break;
      }
      assertThat(pageSizes).as("pages fetched so far").hasSizeLessThan(10);
      pageSizes.add(page.size());
      paged.addAll(page);
      beforeId = page.get(page.size() - 1).id();
    }

    assertThat(pageSizes).containsExactly(3, 3, 1);
    assertThat(paged).containsExactlyElementsOf(newestFirst);

    long idOfFifth = ofA.get(4).id();
    assertThat(read((StoreReader r) -> r.movements(sku("A"), idOfFifth, 2)))
        .as("beforeId excludes the entry with that id")
        .containsExactly(ofA.get(3), ofA.get(2));
    long idOfFifthB = ofB.get(4).id();
    assertThat(read((StoreReader r) -> r.movements(sku("A"), idOfFifthB, 10)))
        .as("beforeId need not be an id of the SKU")
        .containsExactly(ofA.get(4), ofA.get(3), ofA.get(2), ofA.get(1), ofA.get(0));
    long firstId = ofA.get(0).id();
    assertThat(read((StoreReader r) -> r.movements(sku("A"), firstId, 10))).isEmpty();
  }

  // ---- operations ----------------------------------------------------------------------------

  @Test
  void operation_whenNeverPut_isEmpty() {
    assertThat(read((StoreReader r) -> r.operation("op-1"))).isEmpty();
  }

  @Test
  void putOperation_thenOperation_returnsItsFingerprint() {
    write(tx -> {
      tx.putOperation("op-1", "adjust A main +1");
      tx.putOperation("op-2", "adjust B main -1");
    });

    assertThat(read((StoreReader r) -> r.operation("op-1"))).contains("adjust A main +1");
    assertThat(read((StoreReader r) -> r.operation("op-2"))).contains("adjust B main -1");
    assertThat(read((StoreReader r) -> r.operation("op-3"))).isEmpty();
  }

  // ---- stores, locations, mappings -----------------------------------------------------------

  @Test
  void store_whenNeverPut_isEmpty() {
    assertThat(read((StoreReader r) -> r.store(SHOP))).isEmpty();
    assertThat(read(StoreReader::stores)).isEmpty();
    assertThat(read((StoreReader r) -> r.locations(SHOP))).isEmpty();
    assertThat(read((StoreReader r) -> r.mappings(SHOP))).isEmpty();
  }

  @Test
  void putStore_thenStore_returnsIt() {
    StoreRecord shop = storeRecord(SHOP, "Shop").withSyncOn(AT).withLastError("boom");
    write(tx -> tx.putStore(shop));

    assertThat(read((StoreReader r) -> r.store(SHOP))).contains(shop);
    assertThat(read((StoreReader r) -> r.store(ETSY))).isEmpty();
  }

  @Test
  void stores_areListedInConnectionOrderAndReplacedInPlace() {
    StoreRecord etsy = storeRecord(ETSY, "Etsy");
    StoreRecord shop = storeRecord(SHOP, "Shop");
    write(tx -> tx.putStore(etsy));
    write(tx -> tx.putStore(shop));
    StoreRecord reauth = etsy.withStatus(SyncStatus.NEEDS_REAUTH);
    write(tx -> tx.putStore(reauth));

    assertThat(read(StoreReader::stores)).containsExactly(reauth, shop);
    assertThat(read((StoreReader r) -> r.store(ETSY))).contains(reauth);
  }

  @Test
  void putLocations_replacesTheStoresLocationsKeepingTheirOrder() {
    write(tx -> tx.putLocations(SHOP, List.of(location("loc1"), location("loc2"))));
    write(tx -> tx.putLocations(SHOP, List.of(location("loc3"), location("loc1"))));
    write(tx -> tx.putLocations(ETSY, List.of(location("e1"))));

    assertThat(read((StoreReader r) -> r.locations(SHOP)))
        .containsExactly(location("loc3"), location("loc1"));
    assertThat(read((StoreReader r) -> r.locations(ETSY))).containsExactly(location("e1"));

    write(tx -> tx.putLocations(SHOP, List.of()));

    assertThat(read((StoreReader r) -> r.locations(SHOP))).isEmpty();
    assertThat(read((StoreReader r) -> r.locations(ETSY))).containsExactly(location("e1"));
  }

  @Test
  void putMappings_replacesTheStoresMappings() {
    LocationMapping first = mapping("loc1", "main");
    LocationMapping combined =
        new LocationMapping("loc2", List.of("backup", "main"), InventoryMaster.HUB);
    LocationMapping mirrored = new LocationMapping("loc1", List.of("main"), InventoryMaster.STORE);
    write(tx -> tx.putMappings(SHOP, List.of(first)));
    write(tx -> tx.putMappings(SHOP, List.of(combined, mirrored)));
    write(tx -> tx.putMappings(ETSY, List.of(mapping("e1", "main"))));

    assertThat(read((StoreReader r) -> r.mappings(SHOP)))
        .containsExactlyInAnyOrder(combined, mirrored);
    assertThat(read((StoreReader r) -> r.mappings(ETSY))).containsExactly(mapping("e1", "main"));

    write(tx -> tx.putMappings(SHOP, List.of()));

    assertThat(read((StoreReader r) -> r.mappings(SHOP))).isEmpty();
  }

  @Test
  void putLocationsAndMappings_keepWhatTheyWereGiven() {
    List<ChannelLocation> locations = new ArrayList<>(List.of(location("loc1")));
    List<LocationMapping> mappings = new ArrayList<>(List.of(mapping("loc1", "main")));
    write(tx -> {
      tx.putLocations(SHOP, locations);
      tx.putMappings(SHOP, mappings);
    });
    locations.add(location("loc2"));
    mappings.clear();

    assertThat(read((StoreReader r) -> r.locations(SHOP))).containsExactly(location("loc1"));
    assertThat(read((StoreReader r) -> r.mappings(SHOP))).containsExactly(mapping("loc1", "main"));
  }

  // ---- listings ------------------------------------------------------------------------------

  @Test
  void listing_whenNeverPut_isEmpty() {
    assertThat(read((StoreReader r) -> r.listing(SHOP, "L1"))).isEmpty();
    assertThat(read((StoreReader r) -> r.listings(SHOP))).isEmpty();
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("A")))).isEmpty();
    assertThat(allListingsVisited()).isEmpty();
  }

  @Test
  void putListing_thenListing_returnsIt() {
    ListingRecord l1 =
        new ListingRecord(SHOP, "L1", "inv-1", sku("A"), ListingStatus.DRAFT, "Apple", false);
    write(tx -> tx.putListing(l1));

    assertThat(read((StoreReader r) -> r.listing(SHOP, "L1"))).contains(l1);
    assertThat(read((StoreReader r) -> r.listing(ETSY, "L1"))).isEmpty();
    assertThat(read((StoreReader r) -> r.listing(SHOP, "L2"))).isEmpty();
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("A")))).containsExactly(l1);
  }

  @Test
  void listings_areListedInImportOrderPerStore() {
    ListingRecord l3 = listing(SHOP, "L3", "C");
    ListingRecord l1 = listing(SHOP, "L1", "A");
    ListingRecord e1 = listing(ETSY, "L1", "A");
    ListingRecord l2 = listing(SHOP, "L2", "B");
    write(tx -> {
      tx.putListing(l3);
      tx.putListing(l1);
      tx.putListing(e1);
    });
    write(tx -> tx.putListing(l2));

    assertThat(read((StoreReader r) -> r.listings(SHOP))).containsExactly(l3, l1, l2);
    assertThat(read((StoreReader r) -> r.listings(ETSY))).containsExactly(e1);
  }

  @Test
  void putListing_withExistingId_replacesItInPlace() {
    write(tx -> {
      tx.putListing(listing(SHOP, "L1", "A"));
      tx.putListing(listing(SHOP, "L2", "B"));
      tx.putListing(listing(SHOP, "L3", "C"));
    });
    ListingRecord retitled =
        new ListingRecord(SHOP, "L2", "inv-L2", sku("B"), ListingStatus.SOLD_OUT, "New", true);
    write(tx -> tx.putListing(retitled));

    assertThat(read((StoreReader r) -> r.listing(SHOP, "L2"))).contains(retitled);
    assertThat(read((StoreReader r) -> r.listings(SHOP)))
        .containsExactly(listing(SHOP, "L1", "A"), retitled, listing(SHOP, "L3", "C"));
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("B")))).containsExactly(retitled);
  }

  @Test
  void putListing_withChangedSku_movesItBetweenListingsBySku() {
    ListingRecord shopA = listing(SHOP, "L1", "A");
    ListingRecord etsyA = listing(ETSY, "L1", "A");
    write(tx -> {
      tx.putListing(shopA);
      tx.putListing(etsyA);
    });
    ListingRecord shopB = listing(SHOP, "L1", "B");
    write(tx -> tx.putListing(shopB));

    assertThat(read((StoreReader r) -> r.listingsBySku(sku("A")))).containsExactly(etsyA);
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("B")))).containsExactly(shopB);
    assertThat(read((StoreReader r) -> r.listings(SHOP))).containsExactly(shopB);

    write(tx -> tx.putListing(shopA));

    assertThat(read((StoreReader r) -> r.listingsBySku(sku("A"))))
        .containsExactlyInAnyOrder(shopA, etsyA);
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("B")))).isEmpty();
  }

  @Test
  void listingCount_countsAStoresListings() {
    write(tx -> {
      tx.putListing(listing(SHOP, "L1", "A"));
      tx.putListing(listing(SHOP, "L2", "B"));
      tx.putListing(listing(ETSY, "E1", "A"));
    });
    write(tx -> tx.removeListing(SHOP, "L1"));

    assertThat(read((StoreReader r) -> r.listingCount(SHOP))).isEqualTo(1);
    assertThat(read((StoreReader r) -> r.listingCount(ETSY))).isEqualTo(1);
    assertThat(read((StoreReader r) -> r.listingCount(StoreId.of("shopify", "unknown")))).isZero();
  }

  @Test
  void listingsBySku_findsListingsAcrossStores() {
    ListingRecord shopA = listing(SHOP, "L1", "A");
    ListingRecord shopA2 = listing(SHOP, "L2", "A");
    ListingRecord etsyA = listing(ETSY, "E1", "A");
    ListingRecord shopB = listing(SHOP, "L3", "B");
    write(tx -> {
      tx.putListing(shopA);
      tx.putListing(shopB);
      tx.putListing(etsyA);
      tx.putListing(shopA2);
    });

    assertThat(read((StoreReader r) -> r.listingsBySku(sku("A"))))
        .containsExactlyInAnyOrder(shopA, shopA2, etsyA);
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("B")))).containsExactly(shopB);
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("C")))).isEmpty();
  }

  @Test
  void removeListing_dropsItFromEveryView() {
    ListingRecord l1 = listing(SHOP, "L1", "A");
    ListingRecord l2 = listing(SHOP, "L2", "A");
    ListingRecord e1 = listing(ETSY, "L1", "A");
    write(tx -> {
      tx.putListing(l1);
      tx.putListing(l2);
      tx.putListing(e1);
    });
    write(tx -> tx.removeListing(SHOP, "L1"));

    assertThat(read((StoreReader r) -> r.listing(SHOP, "L1"))).isEmpty();
    assertThat(read((StoreReader r) -> r.listing(ETSY, "L1"))).contains(e1);
    assertThat(read((StoreReader r) -> r.listings(SHOP))).containsExactly(l2);
    assertThat(read((StoreReader r) -> r.listingsBySku(sku("A"))))
        .containsExactlyInAnyOrder(l2, e1);
    assertThat(allListingsVisited()).containsExactlyInAnyOrder(l2, e1);
  }

  @Test
  void removeListing_alsoDropsItsKnownQuantities() {
    write(tx -> {
      tx.putListing(listing(SHOP, "L1", "A"));
      tx.putKnownQuantity(SHOP, "L1", "loc1", 5);
      tx.putKnownQuantity(SHOP, "L1", "loc2", 6);
    });
    write(tx -> tx.removeListing(SHOP, "L1"));

    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc1"))).isEmpty();

    write(tx -> tx.putListing(listing(SHOP, "L1", "A")));

    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc1"))).isEmpty();
    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc2"))).isEmpty();
  }

  @Test
  void removeListing_whenAbsent_doesNothing() {
    ListingRecord l1 = listing(SHOP, "L1", "A");
    write(tx -> tx.putListing(l1));

    write(tx -> {
      tx.removeListing(SHOP, "L2");
      tx.removeListing(ETSY, "L1");
    });

    assertThat(read((StoreReader r) -> r.listings(SHOP))).containsExactly(l1);
  }

  @Test
  void forEachListing_visitsEveryListingOfEveryStoreOnce() {
    List<ListingRecord> all =
        List.of(listing(SHOP, "L1", "A"), listing(SHOP, "L2", "B"), listing(ETSY, "L1", "A"),
            listing(ETSY, "E2", "C"), listing(SHOP, "L3", "A"));
    write(tx -> all.forEach(tx::putListing));
    write(tx -> tx.putListing(listing(SHOP, "L2", "C")));

    List<ListingRecord> expected = new ArrayList<>(all);
    expected.set(1, listing(SHOP, "L2", "C"));
    assertThat(allListingsVisited()).containsExactlyInAnyOrderElementsOf(expected);
  }

  // ---- known quantities ----------------------------------------------------------------------

  @Test
  void knownQuantity_beforeBeingPut_isEmpty() {
    write(tx -> tx.putListing(listing(SHOP, "L1", "A")));

    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc1"))).isEmpty();
    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "unknown", "loc1"))).isEmpty();
    assertThat(read((StoreReader r) -> r.knownQuantity(ETSY, "L1", "loc1"))).isEmpty();
  }

  @Test
  void putKnownQuantity_isKeptPerListingAndLocation() {
    write(tx -> {
      tx.putListing(listing(SHOP, "L1", "A"));
      tx.putListing(listing(SHOP, "L2", "A"));
      tx.putListing(listing(ETSY, "L1", "A"));
      tx.putKnownQuantity(SHOP, "L1", "loc1", 5);
      tx.putKnownQuantity(SHOP, "L1", "loc2", 0);
      tx.putKnownQuantity(SHOP, "L2", "loc1", 9);
    });
    write(tx -> tx.putKnownQuantity(SHOP, "L1", "loc1", -3));

    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc1"))).hasValue(-3);
    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc2"))).hasValue(0);
    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L2", "loc1"))).hasValue(9);
    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L2", "loc2"))).isEmpty();
    assertThat(read((StoreReader r) -> r.knownQuantity(ETSY, "L1", "loc1"))).isEmpty();
  }

  @Test
  void putKnownQuantity_forUnknownListing_throwsIllegalStateException() {
    write(tx -> tx.putListing(listing(SHOP, "L1", "A")));

    assertThatThrownBy(() -> write(tx -> tx.putKnownQuantity(SHOP, "never-put", "loc1", 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> write(tx -> tx.putKnownQuantity(ETSY, "L1", "loc1", 1)))
        .as("a listing of another store")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                write(
                    tx -> {
                      tx.putKnownQuantity(SHOP, "L1", "loc1", 7);
                      tx.removeListing(SHOP, "L1");
                      tx.putKnownQuantity(SHOP, "L1", "loc1", 1);
                    }))
        .as("a listing removed earlier in the same transaction")
        .isInstanceOf(IllegalStateException.class);

    assertThat(read((StoreReader r) -> r.listing(SHOP, "L1"))).as("rolled back").isPresent();
    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc1")))
        .as("rolled back").isEmpty();
    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "never-put", "loc1"))).isEmpty();
  }

  // ---- batch reads ---------------------------------------------------------------------------

  @Test
  void batchReads_answerAsTheSingleReadsDo() {
    seedEveryKindOfRow();
    write(tx -> tx.putKnownQuantity(SHOP, "L1", "loc2", 8));
    List<Sku> asked = List.of(sku("A"), sku("X"), sku("unknown"), sku("A"), sku("B"));
    Consumer<StoreReader> check =
        r -> {
          assertThat(r.productsBySku(asked))
              .as("productsBySku")
              .containsOnly(
                  Map.entry(sku("A"), r.product(sku("A")).orElseThrow()),
                  Map.entry(sku("B"), r.product(sku("B")).orElseThrow()),
                  Map.entry(sku("X"), r.product(sku("X")).orElseThrow()));
          Map<Sku, List<StockLevel>> levels = r.stockLevelsBySku(asked);
          assertThat(levels.keySet()).as("stockLevelsBySku").containsOnly(sku("A"), sku("B"));
          assertThat(levels.get(sku("A")))
              .containsExactlyInAnyOrderElementsOf(r.stockLevels(sku("A")));
          assertThat(levels.get(sku("B"))).containsExactlyElementsOf(r.stockLevels(sku("B")));
          Map<Sku, List<ListingRecord>> listings = r.listingsBySkus(asked);
          assertThat(listings.keySet()).as("listingsBySkus").containsOnly(sku("A"), sku("B"));
          assertThat(listings.get(sku("A")))
              .containsExactlyInAnyOrderElementsOf(r.listingsBySku(sku("A")));
          assertThat(listings.get(sku("B"))).containsExactlyElementsOf(r.listingsBySku(sku("B")));
          assertThat(r.knownQuantities(SHOP, List.of("L1", "L2", "L3", "L1", "none"),
                  List.of("loc1", "loc2", "loc9")))
              .as("knownQuantities")
              .containsOnly(
                  Map.entry("L1", Map.of("loc1", 5L, "loc2", 8L)),
                  Map.entry("L2", Map.of("loc1", 4L)));
          assertThat(r.knownQuantities(SHOP, List.of("L1"), List.of("loc2")))
              .as("only the locations asked for")
              .containsOnly(Map.entry("L1", Map.of("loc2", 8L)));
          assertThat(r.knownQuantities(ETSY, List.of("L1"), List.of("loc1"))).isEmpty();
          assertThat(r.productsBySku(List.of())).isEmpty();
          assertThat(r.stockLevelsBySku(List.of())).isEmpty();
          assertThat(r.listingsBySkus(List.of())).isEmpty();
          assertThat(r.knownQuantities(SHOP, List.of(), List.of("loc1"))).isEmpty();
          assertThat(r.productsBySku(asked)).isUnmodifiable();
          assertThat(r.listingsBySkus(asked)).isUnmodifiable();
        };
    store.read(
        r -> {
          check.accept(r);
          return Boolean.TRUE;
        });
    write(check::accept);
  }

  @Test
  void bundlesContainingAny_answersAsTheSingleReadsDo_insideAndOutsideWrites() {
    write(tx -> {
      tx.putProduct(Product.of("A", "Apple"));
      tx.putProduct(Product.of("B", "Banana"));
      tx.putProduct(new Product(sku("AB"), "Pair",
          List.of(new BundleComponent(sku("A"), 1), new BundleComponent(sku("B"), 1))));
      tx.putProduct(new Product(sku("AA"), "Two apples",
          List.of(new BundleComponent(sku("A"), 2))));
    });
    List<Sku> asked = List.of(sku("A"), sku("B"), sku("AB"), sku("none"), sku("A"));

    Map<Sku, Set<Sku>> found = read((StoreReader r) -> r.bundlesContainingAny(asked));

    assertThat(found).containsOnly(Map.entry(sku("A"), Set.of(sku("AB"), sku("AA"))),
        Map.entry(sku("B"), Set.of(sku("AB"))));
    assertThat(found).isUnmodifiable();
    write(tx -> {
      assertThat(tx.bundlesContainingAny(List.of(sku("B")))).containsOnlyKeys(sku("B"));
      tx.putProduct(new Product(sku("BB"), "Two bananas",
          List.of(new BundleComponent(sku("B"), 2))));
      assertThat(tx.bundlesContainingAny(List.of(sku("B"))))
          .as("sees its own uncommitted bundle")
          .containsOnly(Map.entry(sku("B"), Set.of(sku("AB"), sku("BB"))));
      assertThat(tx.bundlesContaining(sku("B"))).containsExactlyInAnyOrder(sku("AB"), sku("BB"));
    });
  }

  @Test
  void batchReads_insideWrite_seeItsUncommittedWrites() {
    seedEveryKindOfRow();
    write(tx -> {
      tx.putProduct(Product.of("C", "Cherry"));
      tx.putStockLevel(level("C", "main", 7));
      tx.putListing(listing(SHOP, "L9", "C"));
      tx.putKnownQuantity(SHOP, "L9", "loc1", 3);
      tx.removeListing(SHOP, "L2");

      assertThat(tx.productsBySku(List.of(sku("C")))).containsOnlyKeys(sku("C"));
      assertThat(tx.stockLevelsBySku(List.of(sku("C"))))
          .containsOnly(Map.entry(sku("C"), List.of(level("C", "main", 7))));
      assertThat(tx.listingsBySkus(List.of(sku("C"), sku("B"))))
          .containsOnly(Map.entry(sku("C"), List.of(listing(SHOP, "L9", "C"))));
      assertThat(tx.knownQuantities(SHOP, List.of("L9", "L2"), List.of("loc1")))
          .containsOnly(Map.entry("L9", Map.of("loc1", 3L)));
    });
  }

  // ---- orders --------------------------------------------------------------------------------

  @Test
  void order_whenNeverPut_isEmpty() {
    assertThat(read((StoreReader r) -> r.order(SHOP, "O1"))).isEmpty();
  }

  @Test
  void putOrder_thenOrder_returnsItPerStore() {
    OrderRecord shopOrder = order(SHOP, "O1", "v1");
    OrderRecord etsyOrder =
        new OrderRecord(ETSY, "O1", "7", AT.minusSeconds(60), true, List.of());
    write(tx -> {
      tx.putOrder(shopOrder);
      tx.putOrder(etsyOrder);
    });

    assertThat(read((StoreReader r) -> r.order(SHOP, "O1"))).contains(shopOrder);
    assertThat(read((StoreReader r) -> r.order(ETSY, "O1"))).contains(etsyOrder);
    assertThat(read((StoreReader r) -> r.order(SHOP, "O2"))).isEmpty();
  }

  @Test
  void putOrder_withExistingId_replacesIt() {
    write(tx -> tx.putOrder(order(SHOP, "O1", "v1")));
    OrderRecord edited =
        new OrderRecord(SHOP, "O1", "v2", AT, false,
            List.of(new OrderRecord.LineState("line-1", "A", "main", 0, 2, 1),
                new OrderRecord.LineState("line-2", "", null, 0, 0, 0)));
    write(tx -> tx.putOrder(edited));

    assertThat(read((StoreReader r) -> r.order(SHOP, "O1"))).contains(edited);
  }

  @Test
  void ordersById_answersAsTheSingleReadsDo_perStore() {
    OrderRecord o1 = order(SHOP, "O1", "v1");
    OrderRecord o2 = order(SHOP, "O2", "v3");
    write(tx -> {
      tx.putOrder(o1);
      tx.putOrder(o2);
      tx.putOrder(new OrderRecord(ETSY, "O3", "7", AT, true, List.of()));
    });

    Map<String, OrderRecord> found =
        read((StoreReader r) -> r.ordersById(SHOP, List.of("O2", "O3", "none", "O1", "O2")));

    assertThat(found).containsOnly(Map.entry("O1", o1), Map.entry("O2", o2));
    assertThat(found).isUnmodifiable();
    assertThat(read((StoreReader r) -> r.ordersById(SHOP, List.of()))).isEmpty();
    assertThat(read((StoreReader r) -> r.ordersById(
        StoreId.of("memory", "never-seen"), List.of("O1")))).isEmpty();
  }

  @Test
  void ordersById_insideWrite_seesItsUncommittedWrites_andLaterWritesAfterIt() {
    write(tx -> tx.putOrder(order(SHOP, "O1", "v1")));
    OrderRecord edited = order(SHOP, "O1", "v2");
    OrderRecord added = order(SHOP, "O2", "v1");
    write(tx -> {
      // Read first (a store may keep what it read), then write, then read again.
      assertThat(tx.ordersById(SHOP, List.of("O1", "O2"))).containsOnlyKeys("O1");
      assertThat(tx.order(SHOP, "O2")).isEmpty();
      tx.putOrder(edited);
      tx.putOrder(added);
      assertThat(tx.order(SHOP, "O1")).contains(edited);
      assertThat(tx.ordersById(SHOP, List.of("O1", "O2")))
          .containsOnly(Map.entry("O1", edited), Map.entry("O2", added));
    });

    assertThat(read((StoreReader r) -> r.ordersById(SHOP, List.of("O1", "O2"))))
        .containsOnly(Map.entry("O1", edited), Map.entry("O2", added));
  }

  @Test
  void write_whenWorkThrowsAfterReadingAndWriting_rollsBackWritesTheStoreHadQueued() {
    write(tx -> {
      tx.putProduct(Product.of("A", "Apple"));
      tx.putStockLevel(level("A", "main", 5));
      tx.putOrder(order(SHOP, "O1", "v1"));
    });
    RuntimeException failure = new IllegalStateException("work fails on purpose");

    Throwable thrown = catchThrowable(() -> store.write(tx -> {
      assertThat(tx.stockLevel(sku("A"), "main")).contains(level("A", "main", 5));
      tx.putStockLevel(level("A", "main", 9));
      tx.putOrder(order(SHOP, "O1", "v2"));
      assertThat(tx.stockLevel(sku("A"), "main")).contains(level("A", "main", 9));
      assertThat(tx.stockLevels(sku("A"))).containsExactly(level("A", "main", 9));
      throw failure;
    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(read((StoreReader r) -> r.stockLevel(sku("A"), "main")))
        .contains(level("A", "main", 5));
    assertThat(read((StoreReader r) -> r.order(SHOP, "O1"))).contains(order(SHOP, "O1", "v1"));
  }

  // ---- transactions --------------------------------------------------------------------------

  @Test
  void readAndWrite_returnWhatTheWorkReturns() {
    String written = store.write(tx -> "written");
    String read = store.read(r -> "read");

    assertThat(written).isEqualTo("written");
    assertThat(read).isEqualTo("read");
  }

  @Test
  void write_seesItsOwnUncommittedWrites() {
    Product apple = Product.of("A", "Apple");
    ListingRecord l1 = listing(SHOP, "L1", "A");
    write(tx -> {
      tx.putProduct(apple);
      tx.putListing(l1);
      tx.putKnownQuantity(SHOP, "L1", "loc1", 4);
      assertThat(tx.product(sku("A"))).contains(apple);
      assertThat(tx.listingsBySku(sku("A"))).containsExactly(l1);
      assertThat(tx.knownQuantity(SHOP, "L1", "loc1")).hasValue(4);
    });
  }

  @Test
  void write_whenCommitted_isVisibleToReadsOnOtherThreads() throws Exception {
    Product apple = Product.of("A", "Apple");
    write(tx -> tx.putProduct(apple));

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Optional<Product>> seen =
          CompletableFuture.supplyAsync(() -> store.read(r -> r.product(sku("A"))), pool);
      assertThat(seen.get(TIMEOUT_SECONDS, SECONDS)).contains(apple);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void write_whenWorkThrows_rollsBackEveryWrite() {
    seedEveryKindOfRow();
    Map<String, Object> before = read(this::everything);
    RuntimeException failure = new IllegalStateException("work fails on purpose");
    AtomicReference<Map<String, Object>> inside = new AtomicReference<>();

    Throwable thrown =
        catchThrowable(
            () ->
                store.write(
                    tx -> {
                      writeEveryKindOfRow(tx);
                      inside.set(everything(tx));
                      throw failure;
                    }));

    assertThat(thrown).as("the exception is rethrown unchanged").isSameAs(failure);
    assertThat(inside.get()).as("the work did change data").isNotEqualTo(before);
    assertThat(read(this::everything)).containsExactlyInAnyOrderEntriesOf(before);
  }

  @Test
  void write_whenWorkThrowsAnError_rollsBackAndRethrowsIt() {
    seedEveryKindOfRow();
    Map<String, Object> before = read(this::everything);
    Error failure = new AssertionError("work fails on purpose");

    Throwable thrown =
        catchThrowable(
            () ->
                store.write(
                    tx -> {
                      writeEveryKindOfRow(tx);
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(read(this::everything)).containsExactlyInAnyOrderEntriesOf(before);
  }

  @Test
  void write_whenWorkThrowsAfterRemovingListing_restoresImportOrder() {
    ListingRecord l1 = listing(SHOP, "L1", "A");
    ListingRecord l2 = listing(SHOP, "L2", "B");
    ListingRecord l3 = listing(SHOP, "L3", "A");
    write(tx -> {
      tx.putListing(l1);
      tx.putListing(l2);
      tx.putListing(l3);
      tx.putKnownQuantity(SHOP, "L1", "loc1", 5);
    });

    catchThrowable(
        () ->
            store.write(
                tx -> {
                  tx.removeListing(SHOP, "L1");
                  throw new IllegalStateException("work fails on purpose");
                }));

    assertThat(read((StoreReader r) -> r.knownQuantity(SHOP, "L1", "loc1"))).hasValue(5);
    assertThat(read((StoreReader r) -> r.listings(SHOP))).containsExactly(l1, l2, l3);
  }

  @Test
  void write_afterRolledBackWrite_storeKeepsWorking() {
    catchThrowable(
        () ->
            store.write(
                tx -> {
                  tx.putProduct(Product.of("A", ""));
                  throw new IllegalStateException("work fails on purpose");
                }));

    Product apple = Product.of("A", "Apple");
    write(tx -> tx.putProduct(apple));

    assertThat(read((StoreReader r) -> r.product(sku("A")))).contains(apple);
  }

  @Test
  void read_whenWorkThrows_rethrowsTheSameException() {
    RuntimeException failure = new IllegalStateException("work fails on purpose");

    Throwable thrown =
        catchThrowable(
            () ->
                store.read(
                    r -> {
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(read(StoreReader::productCount)).as("the store still works").isZero();
  }

  @Test
  void write_nestedInsideWrite_joinsTheOuterTransaction() {
    Product apple = Product.of("A", "Apple");
    Product banana = Product.of("B", "Banana");

    String result =
        store.write(
            outer -> {
              outer.putProduct(apple);
              String inner =
                  store.write(
                      tx -> {
                        assertThat(tx.product(sku("A"))).as("inner sees outer's write")
                            .contains(apple);
                        tx.putProduct(banana);
                        return "inner";
                      });
              assertThat(outer.product(sku("B"))).as("outer sees inner's write").contains(banana);
              return inner + " then outer";
            });

    assertThat(result).isEqualTo("inner then outer");
    assertThat(read((StoreReader r) -> r.product(sku("A")))).contains(apple);
    assertThat(read((StoreReader r) -> r.product(sku("B")))).contains(banana);
  }

  @Test
  void write_nestedInsideWrite_isRolledBackWithTheOuterTransaction() {
    RuntimeException failure = new IllegalStateException("outer fails after inner returned");

    Throwable thrown =
        catchThrowable(
            () ->
                store.write(
                    outer -> {
                      outer.putProduct(Product.of("A", ""));
                      store.write(
                          tx -> {
                            tx.putProduct(Product.of("B", ""));
                            tx.appendMovement(movement("B", "main", 1));
                            return Boolean.TRUE;
                          });
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(read((StoreReader r) -> r.product(sku("A")))).isEmpty();
    assertThat(read((StoreReader r) -> r.product(sku("B"))))
        .as("the inner write rolled back too").isEmpty();
    assertThat(read((StoreReader r) -> r.movements(sku("B"), Long.MAX_VALUE, 10))).isEmpty();

    RuntimeException innerFailure = new IllegalStateException("inner fails");
    Throwable thrownFromInner =
        catchThrowable(
            () ->
                store.write(
                    outer -> {
                      outer.putProduct(Product.of("A", ""));
                      return store.write(
                          tx -> {
                            tx.putProduct(Product.of("B", ""));
                            throw innerFailure;
                          });
                    }));

    assertThat(thrownFromInner).isSameAs(innerFailure);
    assertThat(read(StoreReader::productCount)).isZero();
  }

  @Test
  @Timeout(value = 2 * TIMEOUT_SECONDS)
  void read_whileWriteOnAnotherThreadIsPaused_neverSeesItsUncommittedWrites() throws Exception {
    assertReadersNeverSeeAPausedWrite(false);
  }

  @Test
  @Timeout(value = 2 * TIMEOUT_SECONDS)
  void read_whileWriteOnAnotherThreadIsPaused_neverSeesWritesThatRollBack() throws Exception {
    assertReadersNeverSeeAPausedWrite(true);
  }

  @Test
  @Timeout(value = 4 * TIMEOUT_SECONDS)
  void write_concurrentReadModifyWrites_areSerializable() throws Exception {
    int threads = 8;
    int perThread = 500;
    Sku a = sku("A");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<CompletableFuture<Void>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            CompletableFuture.runAsync(
                () -> {
                  await(start);
                  for (int i = 0; i < perThread; i++) {
                    store.write(
                        tx -> {
                          long n = tx.stockLevel(a, "main").map(StockLevel::inStock).orElse(0L);
                          tx.putStockLevel(new StockLevel(a, "main", n + 1, 0));
                          return tx.appendMovement(movement("A", "main", 1));
                        });
                  }
                },
                pool));
      }
      start.countDown();
      CompletableFuture.allOf(workers.toArray(new CompletableFuture<?>[0]))
          .get(3 * TIMEOUT_SECONDS, SECONDS);

      assertThat(read((StoreReader r) -> r.stockLevel(a, "main")))
          .contains(new StockLevel(a, "main", (long) threads * perThread, 0));
      List<Movement> ledger = read(r -> r.movements(a, Long.MAX_VALUE, 2 * threads * perThread));
      assertThat(ledger).hasSize(threads * perThread);
      assertThat(ledger).extracting(Movement::id)
          .doesNotHaveDuplicates()
          .isSortedAccordingTo(Comparator.reverseOrder());
    } finally {
      start.countDown();
      pool.shutdownNow();
    }
  }

  // ---- returned collections ------------------------------------------------------------------

  @Test
  void returnedCollections_areSnapshots() {
    seedEveryKindOfRow();
    Sku a = sku("A");
    List<Warehouse> warehouses = read(StoreReader::warehouses);
    Set<Sku> bundles = read(r -> r.bundlesContaining(a));
    List<StockLevel> levels = read(r -> r.stockLevels(a));
    List<Movement> movements = read(r -> r.movements(a, Long.MAX_VALUE, 100));
    List<StoreRecord> stores = read(StoreReader::stores);
    List<ChannelLocation> locations = read(r -> r.locations(SHOP));
    List<LocationMapping> mappings = read(r -> r.mappings(SHOP));
    List<ListingRecord> listings = read(r -> r.listings(SHOP));
    List<ListingRecord> bySku = read(r -> r.listingsBySku(a));
    List<Object> copies =
        List.of(List.copyOf(warehouses), Set.copyOf(bundles), List.copyOf(levels),
            List.copyOf(movements), List.copyOf(stores), List.copyOf(locations),
            List.copyOf(mappings), List.copyOf(listings), List.copyOf(bySku));

    write(tx -> {
      List<Warehouse> insideTx = tx.warehouses();
      List<ListingRecord> listingsInsideTx = tx.listings(SHOP);
      List<Warehouse> copyInsideTx = List.copyOf(insideTx);
      List<ListingRecord> listingsCopyInsideTx = List.copyOf(listingsInsideTx);
      writeEveryKindOfRow(tx);
      tx.putProduct(Product.of("X", "no longer a bundle"));
      tx.putStockLevel(level("A", "new", 1));
      tx.putLocations(SHOP, List.of(location("loc9")));
      tx.putMappings(SHOP, List.of());
      tx.removeListing(SHOP, "L2");
      assertThat(insideTx).as("list read earlier in the same transaction")
          .isEqualTo(copyInsideTx);
      assertThat(listingsInsideTx).as("list read earlier in the same transaction")
          .isEqualTo(listingsCopyInsideTx);
    });

    assertThat(
            List.of(warehouses, bundles, levels, movements, stores, locations, mappings, listings,
                bySku))
        .isEqualTo(copies);
  }

  @Test
  void returnedCollections_areUnmodifiable() {
    seedEveryKindOfRow();
    Map<String, Object> before = read(this::everything);
    Sku a = sku("A");
    Consumer<StoreReader> check =
        r -> {
          assertThat(r.warehouses()).as("warehouses").isUnmodifiable();
          assertThat(r.bundlesContaining(a)).as("bundlesContaining").isUnmodifiable();
          assertThat(r.stockLevels(a)).as("stockLevels").isUnmodifiable();
          assertThat(r.movements(a, Long.MAX_VALUE, 100)).as("movements").isUnmodifiable();
          assertThat(r.stores()).as("stores").isUnmodifiable();
          assertThat(r.locations(SHOP)).as("locations").isUnmodifiable();
          assertThat(r.mappings(SHOP)).as("mappings").isUnmodifiable();
          assertThat(r.listings(SHOP)).as("listings").isUnmodifiable();
          assertThat(r.listingsBySku(a)).as("listingsBySku").isUnmodifiable();
        };

    store.read(
        r -> {
          check.accept(r);
          return Boolean.TRUE;
        });
    write(check::accept);
    assertThat(read(this::everything)).as("nothing changed")
        .containsExactlyInAnyOrderEntriesOf(before);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void assertReadersNeverSeeAPausedWrite(boolean writerFails) throws Exception {
    Sku a = sku("A");
    Sku b = sku("B");
    write(tx -> {
      tx.putStockLevel(level("A", "main", 1));
      tx.putStockLevel(level("B", "main", 1));
    });
    List<Long> before = List.of(1L, 1L);
    List<Long> after = writerFails ? before : List.of(2L, 2L);
    RuntimeException failure = new IllegalStateException("writer fails on purpose");
    CountDownLatch firstRowWritten = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<Boolean> writer =
          CompletableFuture.supplyAsync(
              () ->
                  store.write(
                      tx -> {
                        tx.putStockLevel(level("A", "main", 2));
                        firstRowWritten.countDown();
                        await(resume);
                        tx.putStockLevel(level("B", "main", 2));
                        if (writerFails) {
                          throw failure;
                        }
                        return Boolean.TRUE;
                      }),
              pool);
      await(firstRowWritten);

      // The writer holds an open transaction with one of its two rows written.
      CompletableFuture<List<Long>> reader =
          CompletableFuture.supplyAsync(
              () -> store.read(r -> List.of(inStock(r, a), inStock(r, b))), pool);
      try {
        List<Long> seen = reader.get(READER_GRACE_MILLIS, MILLISECONDS);
        assertThat(seen).as("read that finished while the write was still open").isEqualTo(before);
      } catch (TimeoutException readerBlocks) {
        resume.countDown();
        List<Long> seen = reader.get(TIMEOUT_SECONDS, SECONDS);
        assertThat(seen).as("read that waited for the write to end").isIn(before, after);
      }
      resume.countDown();

      if (writerFails) {
        assertThatThrownBy(() -> writer.get(TIMEOUT_SECONDS, SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isSameAs(failure);
      } else {
        assertThat(writer.get(TIMEOUT_SECONDS, SECONDS)).isTrue();
      }
      assertThat(read((StoreReader r) -> List.of(inStock(r, a), inStock(r, b)))).isEqualTo(after);
    } finally {
      resume.countDown();
      pool.shutdownNow();
    }
  }

  private static long inStock(StoreReader r, Sku sku) {
    return r.stockLevel(sku, "main").map(StockLevel::inStock).orElse(-1L);
  }

  /** Rows of every kind, used as the committed state that rolled-back work must leave as is. */
  private void seedEveryKindOfRow() {
    write(tx -> {
      tx.putProduct(Product.of("A", "Apple"));
      tx.putProduct(Product.of("B", "Banana"));
      tx.putProduct(
          Product.bundle("X", "Box", BundleComponent.of("A", 1), BundleComponent.of("B", 2)));
      tx.putWarehouse(Warehouse.of("main", "Main"));
      tx.putWarehouse(Warehouse.of("backup", "Backup"));
      tx.putStockLevel(level("A", "main", 10));
      tx.putStockLevel(level("A", "backup", 3));
      tx.putStockLevel(level("B", "main", 4));
      tx.appendMovement(movement("A", "main", 10));
      tx.appendMovement(movement("B", "main", 4));
      tx.appendMovement(movement("A", "backup", 3));
      tx.putOperation("op-1", "fingerprint-1");
      tx.putStore(storeRecord(SHOP, "Shop"));
      tx.putLocations(SHOP, List.of(location("loc1")));
      tx.putMappings(SHOP, List.of(mapping("loc1", "main")));
      tx.putListing(listing(SHOP, "L1", "A"));
      tx.putListing(listing(SHOP, "L2", "B"));
      tx.putListing(listing(SHOP, "L3", "A"));
      tx.putKnownQuantity(SHOP, "L1", "loc1", 5);
      tx.putKnownQuantity(SHOP, "L2", "loc1", 4);
      tx.putOrder(order(SHOP, "O1", "v1"));
    });
  }

  /** Inserts, replaces and removes rows of every kind on top of {@link #seedEveryKindOfRow}. */
  private static void writeEveryKindOfRow(StoreTransaction tx) {
    tx.putProduct(Product.of("C", "Cherry"));
    tx.putProduct(Product.of("A", "Apple, renamed"));
    tx.putProduct(
        Product.bundle("X", "Box", BundleComponent.of("B", 1), BundleComponent.of("C", 1)));
    tx.putProduct(Product.bundle("Y", "Other box", BundleComponent.of("A", 1)));
    tx.putWarehouse(Warehouse.of("new", "New"));
    tx.putWarehouse(Warehouse.of("main", "Main, renamed"));
    tx.putStockLevel(level("A", "main", 99));
    tx.putStockLevel(level("C", "new", 5));
    tx.appendMovement(movement("A", "main", 89));
    tx.appendMovement(movement("C", "new", 5));
    tx.putOperation("op-2", "fingerprint-2");
    tx.putStore(storeRecord(ETSY, "Etsy"));
    tx.putStore(storeRecord(SHOP, "Shop").withStatus(SyncStatus.SYNC_ON));
    tx.putLocations(SHOP, List.of(location("loc2"), location("loc1")));
    tx.putLocations(ETSY, List.of(location("e1")));
    tx.putMappings(SHOP, List.of(mapping("loc2", "new")));
    tx.putMappings(ETSY, List.of(mapping("e1", "main")));
    tx.putListing(listing(SHOP, "L4", "C"));
    tx.putListing(listing(ETSY, "L1", "A"));
    tx.putListing(listing(SHOP, "L2", "C"));
    tx.putKnownQuantity(SHOP, "L1", "loc2", 7);
    tx.removeListing(SHOP, "L1");
    tx.putKnownQuantity(SHOP, "L2", "loc1", 11);
    tx.putKnownQuantity(SHOP, "L3", "loc2", 12);
    tx.putKnownQuantity(ETSY, "L1", "e1", 13);
    tx.putOrder(order(SHOP, "O1", "v2"));
    tx.putOrder(order(SHOP, "O2", "v1"));
    tx.putOrder(order(ETSY, "O1", "v1"));
  }

  /** Everything a reader can see about the keys the tests use, for before-and-after checks. */
  private Map<String, Object> everything(StoreReader r) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("productCount", r.productCount());
    for (String s : SKUS) {
      Sku sku = sku(s);
      all.put("product " + s, r.product(sku));
      all.put("bundlesContaining " + s, r.bundlesContaining(sku));
      all.put("stockLevels " + s, Set.copyOf(r.stockLevels(sku)));
      all.put("movements " + s, r.movements(sku, Long.MAX_VALUE, 1000));
      all.put("listingsBySku " + s, Set.copyOf(r.listingsBySku(sku)));
      for (String w : WAREHOUSE_IDS) {
        all.put("stockLevel " + s + "@" + w, r.stockLevel(sku, w));
      }
    }
    all.put("warehouses", r.warehouses());
    for (String w : WAREHOUSE_IDS) {
      all.put("warehouse " + w, r.warehouse(w));
    }
    for (String op : OPERATION_IDS) {
      all.put("operation " + op, r.operation(op));
    }
    all.put("stores", r.stores());
    for (StoreId id : STORE_IDS) {
      all.put("store " + id, r.store(id));
      all.put("locations " + id, r.locations(id));
      all.put("mappings " + id, Set.copyOf(r.mappings(id)));
      // Order is checked by write_whenWorkThrowsAfterRemovingListing_restoresImportOrder.
      all.put("listings " + id, Set.copyOf(r.listings(id)));
      for (String listingId : LISTING_IDS) {
        all.put("listing " + id + "/" + listingId, r.listing(id, listingId));
        for (String loc : LOCATION_IDS) {
          all.put(
              "knownQuantity " + id + "/" + listingId + "@" + loc,
              r.knownQuantity(id, listingId, loc));
        }
      }
      for (String orderId : ORDER_IDS) {
        all.put("order " + id + "/" + orderId, r.order(id, orderId));
      }
    }
    Map<ListingRecord, Integer> visits = new HashMap<>();
    r.forEachListing(l -> visits.merge(l, 1, Integer::sum));
    all.put("forEachListing", visits);
    return all;
  }

  private List<ListingRecord> allListingsVisited() {
    return read(
        r -> {
          List<ListingRecord> visited = new ArrayList<>();
          AtomicInteger calls = new AtomicInteger();
          r.forEachListing(
              l -> {
                calls.incrementAndGet();
                visited.add(l);
              });
          assertThat(calls).hasValue(visited.size());
          return visited;
        });
  }

  private <T> T read(Function<? super StoreReader, ? extends T> work) {
    return store.read(work);
  }

  private void write(Consumer<? super StoreTransaction> work) {
    store.write(
        tx -> {
          work.accept(tx);
          return Boolean.TRUE;
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(TIMEOUT_SECONDS, SECONDS)) {
        throw new IllegalStateException("timed out after " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Sku sku(String value) {
    return Sku.of(value);
  }

  private static StockLevel level(String sku, String warehouseId, long inStock) {
    return new StockLevel(sku(sku), warehouseId, inStock, 0);
  }

  private static Movement movement(String sku, String warehouseId, long delta) {
    return new Movement(
        0, "op-" + sku + "-" + delta, AT, MovementType.ADJUSTMENT, sku(sku), warehouseId, delta, 0,
        "counted", "ref-" + delta);
  }

  private static Movement withId(Movement m, long id) {
    return new Movement(
        id, m.operationId(), m.at(), m.type(), m.sku(), m.warehouseId(), m.inStockDelta(),
        m.bookedDelta(), m.reason(), m.reference());
  }

  private static StoreRecord storeRecord(StoreId id, String name) {
    return StoreRecord.connected(id, name, StoreOptions.DEFAULT);
  }

  private static ChannelLocation location(String id) {
    return new ChannelLocation(id, "Location " + id, true, false);
  }

  private static LocationMapping mapping(String locationId, String warehouseId) {
    return new LocationMapping(locationId, List.of(warehouseId), InventoryMaster.HUB);
  }

  private static ListingRecord listing(StoreId store, String listingId, String sku) {
    return new ListingRecord(
        store, listingId, "inv-" + listingId, sku(sku), ListingStatus.ACTIVE, "Title " + listingId,
        true);
  }

  private static OrderRecord order(StoreId store, String orderId, String version) {
    return new OrderRecord(
        store, orderId, version, AT, false,
        List.of(new OrderRecord.LineState("line-1", "A", "main", 1, 0, 0)));
  }
}
