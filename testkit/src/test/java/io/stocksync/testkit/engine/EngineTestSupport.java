package io.stocksync.testkit.engine;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.core.sync.TurnOnSyncPlan;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A hub on virtual time with warehouse "main", recording every event; stores are {@link
 * InMemoryChannel}s on the same clock.
 */
abstract class EngineTestSupport {
  static final Sku APPLE = Sku.of("APPLE");

  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final InMemoryInventoryStore store = new InMemoryInventoryStore();
  final List<SyncEvent> events = new CopyOnWriteArrayList<>();
  /** Called for every event after it is recorded; lets a test act in the middle of the engine. */
  volatile Consumer<SyncEvent> hook = e -> {};
  StockSync hub;

  @BeforeEach
  void setUpHub() {
    hub = newHub();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
  }

  @AfterEach
  void closeHub() {
    hub.close();
  }

  /** A hub over the same store, with connectors attached as after a restart. */
  StockSync newHub(InMemoryChannel... attach) {
    StockSync.Builder b = StockSync.builder().store(store).clock(clock).scheduler(scheduler)
        .listener(new SyncListener() {
          @Override
          public void onEvent(SyncEvent event) {
            events.add(event);
            hook.accept(event);
          }
        });
    for (InMemoryChannel c : attach) {
      b.connector(c, StoreOptions.DEFAULT);
    }
    return b.build();
  }

  InMemoryChannel channel(String name) {
    return InMemoryChannel.builder(StoreId.of("memory", name)).name(name).clock(clock).build();
  }

  /** Connects a store, lets listing sync run, and turns sync on linked to warehouse "main". */
  TurnOnSyncPlan connectAndSync(InMemoryChannel channel, boolean copy) {
    hub.connect(channel, StoreOptions.DEFAULT);
    scheduler.runDue();
    TurnOnSyncPlan plan = hub.prepareTurnOnSync(channel.storeId(),
        TurnOnSyncChoices.builder().copyInventory(copy)
            .location("default", LocationChoice.existing("main")).build());
    hub.turnOnSync(plan);
    scheduler.runDue();
    return plan;
  }

  /** Connects a store, lets listing sync run, and turns sync on (no copy) linked to "main". */
  void connectAndSync(ChannelConnector connector) {
    hub.connect(connector, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(connector.storeId(), TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    scheduler.runDue();
  }

  void settle() {
    scheduler.advance(Duration.ofSeconds(5));
  }

  <T extends SyncEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
