package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ForwardingChannelConnector;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.store.ChangeSource;
import io.stocksync.core.store.StoreLease;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines ({@code StockSync}, each with its own pool, store object and scheduler) sharing one
 * PostgreSQL through store leases and the change feed: a store's sync runs only in the instance
 * holding its lease, a change made in either reaches the owner's pushes, an instance that stops
 * renewing is replaced within the lease time, and a fenced-out owner's late write is refused.
 */
class SharedStoresTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration FEED_POLL = Duration.ofSeconds(1);
  private static final Sku SKU = Sku.of("P0");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final StoreId shopId = StoreId.of("memory", "shared");
  private final InMemoryChannel shop =
      InMemoryChannel.builder(shopId).name("shared").clock(clock).build();
  private final VirtualScheduler schedulerA = new VirtualScheduler(clock);
  private final VirtualScheduler schedulerB = new VirtualScheduler(clock);
  private HikariDataSource poolA;
  private HikariDataSource poolB;
  private JdbcInventoryStore storeA;
  private JdbcInventoryStore storeB;

  @BeforeEach
  void databases() {
    String url = Databases.newPostgresDatabase();
    poolA = Databases.pool(url, 4);
    poolB = Databases.pool(url, 4);
    storeA = JdbcInventoryStore.builder().dataSource(poolA).clock(clock).migrate(true).build();
    storeB = JdbcInventoryStore.builder().dataSource(poolB).clock(clock).migrate(true).build();
    shop.addListing("s-0", "P0", 0);
  }

  @AfterEach
  void close() {
    poolA.close();
    poolB.close();
  }

  private StockSync hub(JdbcInventoryStore store, VirtualScheduler scheduler, String instance) {
    return hub(store, scheduler, instance, FEED_POLL);
  }

  private StockSync hub(JdbcInventoryStore store, VirtualScheduler scheduler, String instance,
      Duration feedPoll) {
    return StockSync.builder().store(store).clock(clock).scheduler(scheduler)
        .leases(store, instance, LEASE)
        .changesFromElsewhere(new ChangeFeed(store, clock, Duration.ofSeconds(10)), feedPoll)
        .build();
  }

  private static void defineStock(StockSync hub) {
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    hub.inventory().defineProduct(Product.of("P0", "Product 0"));
    hub.inventory().adjust(SKU, "main", 10, "opening stock");
  }

  private void connectAndTurnOn(StockSync owner, VirtualScheduler scheduler,
      ChannelConnector connector) {
    owner.connect(connector, StoreOptions.DEFAULT);
    scheduler.runDue();
    owner.turnOnSync(owner.prepareTurnOnSync(shopId, TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    scheduler.advance(Duration.ofSeconds(5));
  }

  private StoreLease lease() {
    return storeA.leases().stream().filter(l -> l.store().equals(shopId)).findFirst()
        .orElseThrow();
  }

  @Test
  void adjustmentInOneInstance_isPushedByTheInstanceOwningTheStore() {
    try (StockSync hubB = hub(storeB, schedulerB, "b");
        StockSync hubA = hub(storeA, schedulerA, "a")) {
      defineStock(hubB);
      connectAndTurnOn(hubB, schedulerB, shop);
      assertThat(shop.quantity("s-0")).isEqualTo(10);
      hubA.connect(shop, StoreOptions.DEFAULT);
      schedulerA.runDue();
      assertThat(lease().owner()).isEqualTo("b");
      int callsBefore = shop.pushCount();

      hubA.inventory().adjust(SKU, "main", 5, "delivery");
      schedulerA.advance(Duration.ofSeconds(5)); // A plans, but does not own the store
      assertThat(shop.quantity("s-0")).as("not pushed by the non-owner").isEqualTo(10);
      schedulerB.advance(FEED_POLL.plus(Duration.ofSeconds(2)));

      assertThat(shop.quantity("s-0")).as("pushed by the owner after its feed poll")
          .isEqualTo(15);
      assertThat(shop.pushCount()).isGreaterThan(callsBefore);
    }
  }

  @Test
  void adjustmentInOneInstance_reachesTheOwnerThroughNotify_withoutWaitingForItsPoll()
      throws InterruptedException {
    Duration hourlyPoll = Duration.ofHours(1);
    ChangeFeed feedB = new ChangeFeed(storeB, clock, Duration.ofSeconds(10));
    AtomicInteger pollsB = new AtomicInteger();
    Semaphore wakes = new Semaphore(0);
    ChangeSource countingB = new ChangeSource() {
      @Override
      public Set<Sku> poll() {
        pollsB.incrementAndGet();
        return feedB.poll();
      }

      @Override
      public Subscription subscribe(Runnable wake) {
        return feedB.subscribe(() -> {
          wake.run(); // first: the test runs B's scheduler as soon as it holds the permit
          wakes.release();
        });
      }
    };
    try (StockSync hubB = StockSync.builder().store(storeB).clock(clock).scheduler(schedulerB)
            .leases(storeB, "b", LEASE).changesFromElsewhere(countingB, hourlyPoll).build();
        StockSync hubA = hub(storeA, schedulerA, "a", hourlyPoll)) {
      defineStock(hubB);
      connectAndTurnOn(hubB, schedulerB, shop);
      hubA.connect(shop, StoreOptions.DEFAULT);
      schedulerA.runDue();
      assertThat(lease().owner()).isEqualTo("b");
      schedulerB.runDue();
      wakes.drainPermits();
      int pollsBefore = pollsB.get();

      hubA.inventory().adjust(SKU, "main", 5, "delivery");
      // B's listener thread is woken for real; B's virtual time stands still meanwhile, so
      // nothing but a notification can make it poll (any wake after A's commit sees A's change).
      assertThat(wakes.tryAcquire(10, TimeUnit.SECONDS)).as("B's listener woke").isTrue();
      schedulerB.runDue();
      assertThat(pollsB.get()).as("B polled its feed when notified").isGreaterThan(pollsBefore);
      schedulerB.advance(Duration.ofSeconds(2)); // the push debounce

      assertThat(shop.quantity("s-0")).as("pushed by the owner").isEqualTo(15);
    }
  }

  @Test
  void closingTheEngine_stopsItsChangeListener() {
    StockSync hubB = hub(storeB, schedulerB, "b");
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .contains("stocksync-change-listener");

    hubB.close();

    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .doesNotContain("stocksync-change-listener");
  }

  @Test
  void instanceStoppingWithoutReleasing_itsStoreIsTakenOverWithinTheLeaseTimeAndConverges() {
    try (StockSync hubB = hub(storeB, schedulerB, "b");
        StockSync hubA = hub(storeA, schedulerA, "a")) {
      defineStock(hubA);
      connectAndTurnOn(hubA, schedulerA, shop);
      hubB.connect(shop, StoreOptions.DEFAULT);
      schedulerB.runDue();
      assertThat(lease().owner()).isEqualTo("a");
      long tokenBefore = lease().token();

      hubA.inventory().adjust(SKU, "main", -3, "breakage"); // made, never pushed by A
      // A stops like a crash: from now on its scheduler never runs (no renewal, no push).
      schedulerB.advance(LEASE.plus(LEASE.dividedBy(3)).plus(Duration.ofSeconds(2)));

      assertThat(lease().owner()).isEqualTo("b");
      assertThat(lease().token()).isEqualTo(tokenBefore + 1);
      assertThat(shop.quantity("s-0")).isEqualTo(7);
      hubB.inventory().adjust(SKU, "main", 1, "found one");
      schedulerB.advance(Duration.ofSeconds(5));
      assertThat(shop.quantity("s-0")).isEqualTo(8);
    }
  }

  @Test
  void closedInstance_releasesItsLeases_soTheStoreIsTakenOverAtTheNextRenewal() {
    try (StockSync hubB = hub(storeB, schedulerB, "b")) {
      StockSync hubA = hub(storeA, schedulerA, "a");
      defineStock(hubA);
      connectAndTurnOn(hubA, schedulerA, shop);
      hubB.connect(shop, StoreOptions.DEFAULT);
      schedulerB.runDue();
      assertThat(lease().owner()).isEqualTo("a");

      hubA.inventory().adjust(SKU, "main", 2, "delivery");
      hubA.close();
      schedulerB.advance(LEASE.dividedBy(3).plus(Duration.ofSeconds(2)));

      assertThat(lease().owner()).as("taken well before the lease time").isEqualTo("b");
      assertThat(shop.quantity("s-0")).isEqualTo(12);
    }
  }

  @Test
  void ownerFencedOutDuringACall_itsLateWriteIsRefusedAndItsWorkStops() {
    AtomicReference<@Nullable Runnable> duringOrders = new AtomicReference<>();
    ChannelConnector pausing = new Pausing(shop, duringOrders);
    try (StockSync hubA = hub(storeA, schedulerA, "a")) {
      defineStock(hubA);
      connectAndTurnOn(hubA, schedulerA, pausing);
      assertThat(lease().owner()).isEqualTo("a");
      shop.placeOrder("P0", 2);
      // While A waits on the channel, its lease lapses and another instance takes the store.
      duringOrders.set(() -> {
        clock.advance(LEASE.plus(Duration.ofSeconds(1)));
        assertThat(storeB.acquire(shopId, "b", LEASE)).isPresent();
      });

      hubA.syncNow(shopId);
      schedulerA.runDue();

      assertThat(lease().owner()).isEqualTo("b");
      assertThat(hubA.inventory().stockLevel(SKU, "main").booked())
          .as("the order read by the fenced-out owner is not booked by it").isZero();
      int calls = shop.callCount();
      hubA.syncNow(shopId);
      schedulerA.advance(Duration.ofSeconds(10));
      assertThat(shop.callCount()).as("no more work on the store in A").isEqualTo(calls);
    }
  }

  /** Forwards to a channel, running a hook once inside the next orders call. */
  private static final class Pausing extends ForwardingChannelConnector {
    private final AtomicReference<@Nullable Runnable> hook;

    Pausing(InMemoryChannel shop, AtomicReference<@Nullable Runnable> hook) {
      super(shop);
      this.hook = hook;
    }

    @Override
    public Page<ChannelOrder> orders(OrderQuery query) {
      Page<ChannelOrder> page = delegate().orders(query);
      Runnable r = hook.getAndSet(null);
      if (r != null) {
        r.run();
      }
      return page;
    }
  }
}
