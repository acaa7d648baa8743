package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.store.ChangeSource;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Changes made by other instances ({@code changesFromElsewhere}): polled every interval, and at
 * once when the source's fast path says changes are waiting; many wakes make one poll; the
 * subscription ends with the engine.
 */
class ChangesFromElsewhereTest {
  private static final Duration HOURLY = Duration.ofHours(1);
  private static final Sku MUG = Sku.of("MUG");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T09:00:00Z"));
  private final VirtualScheduler scheduler = new VirtualScheduler(clock);
  // Shared with a second instance in spirit: changes written here are not seen by the engine
  // except through the change source.
  private final InMemoryInventoryStore store = new InMemoryInventoryStore();
  private final List<StockSync> hubs = new ArrayList<>();
  private final InMemoryChannel shop = InMemoryChannel.builder(StoreId.of("memory", "shop"))
      .name("shop").clock(clock).build();

  /** A change source fed by the test, counting polls, remembering its subscriber. */
  private static final class Source implements ChangeSource {
    final Deque<Set<Sku>> waiting = new ArrayDeque<>();
    final AtomicReference<Runnable> wake = new AtomicReference<>();
    final AtomicBoolean unsubscribed = new AtomicBoolean();
    int polls;

    @Override
    public synchronized Set<Sku> poll() {
      polls++;
      Set<Sku> next = waiting.poll();
      return next == null ? Set.of() : next;
    }

    @Override
    public Subscription subscribe(Runnable wake) {
      this.wake.set(wake);
      return () -> unsubscribed.set(true);
    }
  }

  private StockSync hub(ChangeSource source) {
    StockSync hub = StockSync.builder().store(store).clock(clock).scheduler(scheduler)
        .changesFromElsewhere(source, HOURLY).build();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    hub.inventory().defineProduct(Product.of("MUG", "Mug"));
    hub.inventory().adjust(MUG, "main", 4, "opening stock");
    shop.addListing("mug", "MUG", 4);
    hub.connect(shop, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(shop.storeId(), TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    scheduler.advance(Duration.ofSeconds(5));
    return hub;
  }

  @AfterEach
  void closeHubs() {
    hubs.forEach(StockSync::close);
  }

  /** Another instance's stock change: in the shared store, not through this engine. */
  private void changedElsewhere(long inStock) {
    store.write(tx -> {
      tx.putStockLevel(new StockLevel(MUG, "main", inStock, 0, true));
      return null;
    });
  }

  @Test
  void wake_pollsAtOnce_andTheChangeIsPushed() {
    Source source = new Source();
    hubs.add(hub(source));
    int before = source.polls;
    changedElsewhere(1);
    source.waiting.add(Set.of(MUG));

    source.wake.get().run();
    scheduler.runDue();
    assertThat(source.polls).isEqualTo(before + 1);
    scheduler.advance(Duration.ofSeconds(2)); // the push debounce, far below the hourly poll

    assertThat(shop.quantity("mug")).isEqualTo(1);
  }

  @Test
  void manyWakesBeforeThePollRuns_makeOnePoll() {
    Source source = new Source();
    hubs.add(hub(source));
    int before = source.polls;

    for (int i = 0; i < 5; i++) {
      source.wake.get().run();
    }
    scheduler.runDue();

    assertThat(source.polls).isEqualTo(before + 1);
    source.wake.get().run();
    scheduler.runDue();
    assertThat(source.polls).as("a wake after the poll polls again").isEqualTo(before + 2);
  }

  @Test
  void withoutWakes_theIntervalStillPolls() {
    Source source = new Source();
    hubs.add(hub(source));
    changedElsewhere(2);
    source.waiting.add(Set.of(MUG));

    scheduler.advance(HOURLY.plusSeconds(2));

    assertThat(shop.quantity("mug")).isEqualTo(2);
  }

  @Test
  void close_endsTheSubscription() {
    Source source = new Source();
    StockSync hub = hub(source);
    assertThat(source.unsubscribed).isFalse();

    hub.close();

    assertThat(source.unsubscribed).isTrue();
  }
}
