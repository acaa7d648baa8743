package io.stocksync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InventoryOperation.Book;
import io.stocksync.core.InventoryOperation.Fulfil;
import io.stocksync.core.InventoryOperation.ReceivePurchaseOrder;
import io.stocksync.core.InventoryOperation.Release;
import io.stocksync.core.InventoryOperation.Restock;
import io.stocksync.core.store.InMemoryInventoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InventoryTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final Sku APPLE = Sku.of("APPLE");
  static final Sku A = Sku.of("A");
  static final Sku B = Sku.of("B");

  Inventory inventory;
  final List<Set<Sku>> changes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    inventory = Inventory.create(new InMemoryInventoryStore(), Clock.fixed(NOW, ZoneOffset.UTC));
    inventory.defineWarehouse(Warehouse.of("main", "Main"));
    inventory.defineWarehouse(Warehouse.of("second", "Second"));
    inventory.defineProduct(Product.of("APPLE", "Apple"));
    inventory.defineProduct(Product.of("A", ""));
    inventory.defineProduct(Product.of("B", ""));
    inventory.addChangeListener(changes::add);
  }

  @Test
  void booking_thenFulfilment_movesStockAsOrdersDo() {
    inventory.adjust(APPLE, "main", 50, "initial");

    inventory.apply(new Book(APPLE, "main", 4, "order-1", null));
    assertThat(inventory.stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked, StockLevel::available)
        .containsExactly(50L, 4L, 46L);

    inventory.apply(new Fulfil(APPLE, "main", 4, "order-1", null));
    assertThat(inventory.stockLevel(APPLE, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked, StockLevel::available)
        .containsExactly(46L, 0L, 46L);
  }

  @Test
  void adjust_from10to15_makes15Available() {
    inventory.adjust(APPLE, "main", 10, "");
    inventory.adjust(APPLE, "main", 5, "found more");

    assertThat(inventory.available(APPLE)).isEqualTo(15);
  }

  @Test
  void bundle_availableIsMinimumOverComponentsOfFloorDivision() {
    inventory.adjust(A, "main", 7, "");
    inventory.adjust(B, "main", 5, "");
    inventory.defineProduct(Product.bundle("KIT", "Kit", BundleComponent.of("A", 2), BundleComponent.of("B", 1)));

    assertThat(inventory.available(Sku.of("KIT"))).isEqualTo(3);
  }

  @Test
  void bundle_bookingAndFulfilling_movesComponents() {
    inventory.adjust(A, "main", 7, "");
    inventory.adjust(B, "main", 5, "");
    Sku kit = inventory.defineProduct(
        Product.bundle("KIT", "", BundleComponent.of("A", 2), BundleComponent.of("B", 1))).sku();

    inventory.apply(new Book(kit, "main", 2, "o", null));
    assertThat(inventory.stockLevel(A, "main").booked()).isEqualTo(4);
    assertThat(inventory.stockLevel(B, "main").booked()).isEqualTo(2);
    assertThat(inventory.available(kit)).isEqualTo(1);

    inventory.apply(new Fulfil(kit, "main", 2, "o", null));
    assertThat(inventory.stockLevel(A, "main")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(3L, 0L);
    assertThat(inventory.stockLevel(B, "main")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(3L, 0L);
  }

  @Test
  void nestedBundles_areExpandedAndCyclesRejected() {
    inventory.adjust(A, "main", 12, "");
    inventory.defineProduct(Product.bundle("PAIR", "", BundleComponent.of("A", 2)));
    inventory.defineProduct(Product.bundle("BOX", "", BundleComponent.of("PAIR", 3)));

    assertThat(inventory.available(Sku.of("BOX"))).isEqualTo(2);
    assertThatThrownBy(
            () -> inventory.defineProduct(Product.bundle("PAIR", "", BundleComponent.of("BOX", 1))))
        .isInstanceOf(BundleCycleException.class)
        .hasMessageContaining("PAIR");
    assertThatThrownBy(() -> Product.bundle("SELF", "", BundleComponent.of("SELF", 1)))
        .isInstanceOf(BundleCycleException.class);
    assertThat(inventory.product(Sku.of("PAIR")).orElseThrow().components())
        .containsExactly(BundleComponent.of("A", 2));
  }

  @Test
  void changeFeed_namesChangedSkuAndEveryBundleContainingIt() {
    inventory.defineProduct(Product.bundle("PAIR", "", BundleComponent.of("A", 2)));
    inventory.defineProduct(Product.bundle("BOX", "", BundleComponent.of("PAIR", 3)));
    changes.clear();

    inventory.adjust(A, "main", 1, "");

    assertThat(changes).containsExactly(Set.of(A, Sku.of("PAIR"), Sku.of("BOX")));
  }

  @Test
  void changeFeed_listsSkusInTheOrderTheyChanged_bundlesAfterTheirComponents() {
    // The engine plans (and so pushes) in this order: a per-run salted order (Set.copyOf) made
    // the simulated sales day differ between runs of the same seed (issue 15).
    List<Sku> order = new ArrayList<>();
    List<InventoryOperation> adjustments = new ArrayList<>();
    for (int i = 40; i > 0; i--) {
      Sku sku = Sku.of("S-" + (i * 7919 % 101));
      inventory.defineProduct(new Product(sku, "", List.of()));
      order.add(sku);
      adjustments.add(new InventoryOperation.Adjust(sku, "main", 1, "", null));
    }
    inventory.defineProduct(Product.bundle("PAIR", "", BundleComponent.of("A", 2)));
    inventory.defineProduct(Product.bundle("BOX", "", BundleComponent.of("PAIR", 3)));
    adjustments.add(new InventoryOperation.Adjust(A, "main", 1, "", null));
    changes.clear();

    inventory.applyAll(adjustments);

    List<Sku> expected = new ArrayList<>(order);
    expected.addAll(List.of(A, Sku.of("PAIR"), Sku.of("BOX")));
    assertThat(changes).hasSize(1);
    assertThat(new ArrayList<>(changes.get(0))).containsExactlyElementsOf(expected);
    assertThatThrownBy(() -> changes.get(0).add(B)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void changeFeed_listenerThatThrows_doesNotUndoTheOperation() {
    inventory.addChangeListener(skus -> {
      throw new IllegalStateException("boom");
    });

    inventory.adjust(A, "main", 3, "");

    assertThat(inventory.available(A)).isEqualTo(3);
    assertThat(changes).hasSize(1);
  }

  @Test
  void operationId_appliedTwice_changesStockOnce() {
    InventoryOperation receive =
        new ReceivePurchaseOrder("PO-7", "main",
            List.of(new ReceivePurchaseOrder.Line(A, 10), new ReceivePurchaseOrder.Line(B, 4)),
            "po-7-receipt");

    OperationResult first = inventory.apply(receive);
    OperationResult second = inventory.apply(receive);

    assertThat(first.replayed()).isFalse();
    assertThat(first.movements()).hasSize(2);
    assertThat(second.replayed()).isTrue();
    assertThat(second.movements()).isEmpty();
    assertThat(inventory.available(A)).isEqualTo(10);
    assertThat(inventory.available(B)).isEqualTo(4);
  }

  @Test
  void operationId_reusedForAnotherOperation_isRejected() {
    inventory.apply(new InventoryOperation.Adjust(A, "main", 5, "", "op-1"));

    assertThatThrownBy(() -> inventory.apply(new InventoryOperation.Adjust(A, "main", 6, "", "op-1")))
        .isInstanceOf(IdempotencyConflictException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("operationId");
    assertThat(inventory.available(A)).isEqualTo(5);
  }

  @Test
  void transfer_movesAvailableStock_andIsRejectedBeyondIt() {
    inventory.adjust(A, "main", 10, "");
    inventory.apply(new Book(A, "main", 3, "o", null));

    inventory.transfer(A, "main", "second", 7, "rebalance");
    assertThat(inventory.stockLevel(A, "main").inStock()).isEqualTo(3);
    assertThat(inventory.stockLevel(A, "second").inStock()).isEqualTo(7);

    assertThatThrownBy(() -> inventory.transfer(A, "main", "second", 1, ""))
        .isInstanceOf(InsufficientStockException.class)
        .hasMessageContaining("main");
    assertThat(inventory.stockLevel(A, "main").inStock()).isEqualTo(3);
    assertThat(inventory.stockLevel(A, "second").inStock()).isEqualTo(7);
  }

  @Test
  void purchaseOrder_withAnUnknownSku_changesNothing() {
    InventoryOperation receive =
        new ReceivePurchaseOrder("PO-8", "main",
            List.of(new ReceivePurchaseOrder.Line(A, 10), new ReceivePurchaseOrder.Line(Sku.of("NOPE"), 1)),
            "po-8");

    assertThatThrownBy(() -> inventory.apply(receive))
        .isInstanceOf(UnknownSkuException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("lines.sku");
    assertThat(inventory.stockLevel(A, "main").inStock()).isZero();
    assertThat(inventory.ledger(A, 10, null).movements()).isEmpty();
    // The failed attempt did not burn its operation id.
    inventory.apply(new InventoryOperation.Adjust(A, "main", 1, "", "po-8"));
    assertThat(inventory.available(A)).isEqualTo(1);
  }

  @Test
  void badInput_isRejectedWithTheFieldNamed() {
    assertThatThrownBy(() -> Sku.of("   ")).isInstanceOf(InvalidInputException.class)
        .hasMessage("sku: must not be blank");
    assertThat(Sku.of("  X-1 ")).isEqualTo(Sku.of("X-1"));
    assertThat(Sku.of("x-1")).isNotEqualTo(Sku.of("X-1"));
    assertThatThrownBy(() -> Sku.of("x".repeat(Sku.MAX_LENGTH + 1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> inventory.adjust(A, "main", 0, ""))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("delta:");
    assertThatThrownBy(() -> inventory.apply(new Book(A, "main", -2, "", null)))
        .isInstanceOf(InvalidInputException.class).hasMessage("quantity: must be > 0: -2");
    assertThatThrownBy(() -> inventory.adjust(Sku.of("GHOST"), "main", 1, ""))
        .isInstanceOf(UnknownSkuException.class);
    assertThatThrownBy(() -> inventory.adjust(A, "nowhere", 1, ""))
        .isInstanceOf(UnknownWarehouseException.class)
        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("warehouseId");
    assertThatThrownBy(() -> inventory.adjust(A, "main", -1, ""))
        .isInstanceOf(InsufficientStockException.class);
    assertThatThrownBy(() -> inventory.apply(new Release(A, "main", 1, "", null)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("booked");
    assertThat(inventory.ledger(A, 10, null).movements()).isEmpty();
    assertThat(changes).isEmpty();
  }

  @Test
  void bundle_hasNoStockOfItsOwn() {
    inventory.defineProduct(Product.bundle("KIT", "", BundleComponent.of("A", 1)));

    assertThatThrownBy(() -> inventory.adjust(Sku.of("KIT"), "main", 1, ""))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("bundle");
  }

  @Test
  void ledger_isNewestFirstAndPaged() {
    for (int i = 1; i <= 5; i++) {
      inventory.adjust(A, "main", i, "step " + i);
    }
    inventory.apply(new Book(A, "main", 2, "o-1", null));
    inventory.apply(new Restock(A, "main", 1, "ret-1", null));

    LedgerPage first = inventory.ledger(A, 3, null);
    LedgerPage second = inventory.ledger(A, 3, first.nextPageToken());
    LedgerPage third = inventory.ledger(A, 3, second.nextPageToken());

    List<Movement> all = new ArrayList<>();
    all.addAll(first.movements());
    all.addAll(second.movements());
    all.addAll(third.movements());
    assertThat(all).extracting(Movement::type).containsExactly(
        MovementType.RESTOCK, MovementType.ORDER_BOOKING, MovementType.ADJUSTMENT,
        MovementType.ADJUSTMENT, MovementType.ADJUSTMENT, MovementType.ADJUSTMENT,
        MovementType.ADJUSTMENT);
    assertThat(all).extracting(Movement::inStockDelta).containsExactly(1L, 0L, 5L, 4L, 3L, 2L, 1L);
    assertThat(all).allSatisfy(m -> assertThat(m.at()).isEqualTo(NOW));
    assertThat(third.nextPageToken()).isNull();
    assertThatThrownBy(() -> inventory.ledger(A, 0, null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> inventory.ledger(A, 3, "x")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void copyFromStore_setsAvailableAndKeepsBookings() {
    inventory.adjust(A, "main", 10, "");
    inventory.apply(new Book(A, "main", 3, "o", null));

    inventory.apply(new InventoryOperation.CopyFromStore(A, "main", 20, "shopify:a/loc-1", null));

    assertThat(inventory.stockLevel(A, "main"))
        .extracting(StockLevel::inStock, StockLevel::booked, StockLevel::available)
        .containsExactly(23L, 3L, 20L);
  }

  @Test
  void concurrentAdjustments_ofOneSku_endAtTheExactSum() throws Exception {
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          inventory.adjust(A, "main", 1, "");
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();

    assertThat(inventory.stockLevel(A, "main").inStock()).isEqualTo((long) threads * perThread);
    assertThat(inventory.ledger(A, 1, null).movements().get(0).id())
        .isGreaterThanOrEqualTo((long) threads * perThread);
  }
}
