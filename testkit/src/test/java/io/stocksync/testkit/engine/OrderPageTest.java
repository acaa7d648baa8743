package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Product;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.OrderRecord;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.store.StoreTransaction;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the engine applies a page of orders in one store transaction, with the cursor of the
 * last page in it, and falls back to order-by-order when the hub refuses one order of the page.
 */
class OrderPageTest extends EngineTestSupport {

  /**
   * Records, per committed write transaction, the orders and store records it wrote; and can
   * make one write run its work and then fail like a serialization conflict, so that the work
   * is re-run (as a database store does).
   */
  static final class RecordingStore implements InventoryStore {
    final InventoryStore delegate = new InMemoryInventoryStore();
    final List<List<String>> orderWrites = new ArrayList<>();
    final List<List<StoreRecord>> storeWrites = new ArrayList<>();
    volatile boolean conflictOnNextOrderWrite;
    int orderBatchReads;

    @Override
    public <T> T read(Function<? super StoreReader, ? extends T> work) {
      return delegate.read(work);
    }

    @Override
    public <T> T write(Function<? super StoreTransaction, ? extends T> work) {
      if (conflictOnNextOrderWrite) {
        try {
          delegate.write(tx -> {
            Recording r = new Recording(tx);
            work.apply(r.proxy());
            if (!r.orders.isEmpty()) {
              conflictOnNextOrderWrite = false;
              throw new Conflict();
            }
            return null;
          });
        } catch (Conflict expected) {
          // rolled back; re-run below like a store retrying a serialization failure
        }
      }
      List<String> orders = new ArrayList<>();
      List<StoreRecord> stores = new ArrayList<>();
      T result = delegate.write(tx -> {
        Recording r = new Recording(tx);
        T out = work.apply(r.proxy());
        orders.addAll(r.orders);
        stores.addAll(r.stores);
        return out;
      });
      if (!orders.isEmpty() || !stores.isEmpty()) {
        orderWrites.add(orders);
        storeWrites.add(stores);
      }
      return result;
    }

    private static final class Conflict extends RuntimeException {
      private static final long serialVersionUID = 1L;
    }

    /** Wraps a transaction, noting putOrder and putStore; prefers batch reads like a database. */
    final class Recording {
      final StoreTransaction tx;
      final List<String> orders = new ArrayList<>();
      final List<StoreRecord> stores = new ArrayList<>();

      Recording(StoreTransaction tx) {
        this.tx = tx;
      }

      StoreTransaction proxy() {
        return (StoreTransaction) java.lang.reflect.Proxy.newProxyInstance(
            StoreTransaction.class.getClassLoader(), new Class<?>[] {StoreTransaction.class},
            (p, m, args) -> {
              if (m.getName().equals("prefersBatchReads")) {
                return true;
              }
              if (m.getName().equals("ordersById")) {
                orderBatchReads++;
              }
              if (m.getName().equals("putOrder")) {
                orders.add(((OrderRecord) args[0]).orderId());
              }
              if (m.getName().equals("putStore")) {
                stores.add((StoreRecord) args[0]);
              }
              try {
                return m.invoke(tx, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
      }
    }
  }

  RecordingStore recording;
  InMemoryChannel pos;

  @BeforeEach
  void hubOverARecordingStore() {
    hub.close();
    recording = new RecordingStore();
    hub = StockSync.builder().store(recording).clock(clock).scheduler(scheduler)
        .listener(new SyncListener() {
          @Override
          public void onEvent(SyncEvent event) {
            events.add(event);
          }
        }).build();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 100, "initial");
    pos = InMemoryChannel.builder(StoreId.of("memory", "pos")).name("pos").clock(clock)
        .pageSize(4).build();
    pos.addListing("l", "APPLE", 100);
    hub.connect(pos, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(pos.storeId(), TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    scheduler.runDue();
    clock.advance(Duration.ofSeconds(1));
  }

  private void syncOrders() {
    recording.orderWrites.clear();
    recording.storeWrites.clear();
    hub.syncNow(pos.storeId());
    scheduler.runDue();
  }

  private @Nullable Instant cursorIn(List<StoreRecord> written) {
    return written.stream().filter(r -> r.id().equals(pos.storeId()))
        .map(StoreRecord::orderCursor).filter(c -> c != null).reduce((a, b) -> b).orElse(null);
  }

  @Test
  void pagesOfOrders_areEachAppliedInOneTransaction_withTheCursorInTheLastPagesTransaction() {
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // pages of 4 and 2
      placed.add(pos.placeOrder("APPLE", 1));
    }
    Instant before = recording.read(r -> r.store(pos.storeId()).orElseThrow().orderCursor());

    syncOrders();

    List<List<String>> withOrders = recording.orderWrites.stream()
        .filter(w -> !w.isEmpty()).toList();
    assertThat(withOrders).containsExactly(placed.subList(0, 4), placed.subList(4, 6));
    int first = recording.orderWrites.indexOf(withOrders.get(0));
    int last = recording.orderWrites.indexOf(withOrders.get(1));
    assertThat(cursorIn(recording.storeWrites.get(first)))
        .as("the first page does not move the cursor").isNull();
    Instant stored = recording.read(r -> r.store(pos.storeId()).orElseThrow().orderCursor());
    assertThat(cursorIn(recording.storeWrites.get(last)))
        .as("the cursor moves in the transaction of the last page's orders")
        .isEqualTo(stored)
        .isAfter(before == null ? Instant.MIN : before);
    assertThat(recording.orderBatchReads).as("one batch read of previous states per page")
        .isGreaterThanOrEqualTo(2);
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(6);
    assertThat(hub.status(pos.storeId()).ordersApplied()).isEqualTo(6);
  }

  @Test
  void pageWithAnOrderTheHubRefuses_appliesEveryOtherOrderOnce_andSetsTheRefusedOneAside() {
    pos.placeOrder("APPLE", 2);
    String huge = pos.placeOrder("APPLE", Long.MAX_VALUE); // 2 + MAX overflows
    pos.placeOrder("APPLE", 3);

    syncOrders();
    scheduler.advance(Duration.ofMinutes(25)); // later runs meet the refused one again

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(5);
    assertThat(hub.status(pos.storeId()).ordersApplied()).isEqualTo(2);
    assertThat(events(SyncEvent.Failure.class))
        .filteredOn(f -> f.message().contains(huge) && f.message().contains("set aside"))
        .hasSize(1);
    Map<String, OrderRecord> stored = recording.read(r -> r.ordersById(pos.storeId(),
        List.of(huge)));
    assertThat(stored).isEmpty();
  }

  @Test
  void pageWhoseTransactionIsReRunAfterAConflict_reportsEachOrderOnce() {
    pos.placeOrder("APPLE", 2);
    pos.placeOrder("APPLE", 99); // leaves 100 - 101 available: an oversell event
    recording.conflictOnNextOrderWrite = true;

    syncOrders();

    assertThat(recording.conflictOnNextOrderWrite).as("the conflict happened").isFalse();
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(101);
    assertThat(hub.status(pos.storeId()).ordersApplied()).isEqualTo(2);
    assertThat(events(SyncEvent.Oversell.class)).hasSize(1);
    Optional<Instant> cursor = Optional.ofNullable(
        recording.read(r -> r.store(pos.storeId()).orElseThrow().orderCursor()));
    assertThat(cursor).isPresent();
  }
}
