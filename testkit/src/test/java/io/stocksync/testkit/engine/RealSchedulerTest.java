package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.InsufficientStockException;
import io.stocksync.core.Movement;
import io.stocksync.core.LedgerPage;
import io.stocksync.core.Product;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.StoreStatus;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.SyncOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine on the real {@code ExecutorSyncScheduler} and its network threads: a hung store
 * must not hold up the others, and the hub must end consistent after chaos. Waits are latches or
 * condition waits woken by the engine's events, each with a generous deadline; nothing sleeps.
 */
class RealSchedulerTest {
  static final Sku APPLE = Sku.of("APPLE");
  static final Sku PEAR = Sku.of("PEAR");
  static final Duration DEADLINE = Duration.ofSeconds(30);

  final List<SyncEvent> events = new CopyOnWriteArrayList<>();
  final Object progress = new Object();
  final List<StockSync> hubs = new ArrayList<>();

  @AfterEach
  void closeHubs() {
    hubs.forEach(StockSync::close);
  }

  private StockSync hub(SyncOptions options, SyncListener... more) {
    StockSync.Builder b = StockSync.builder().options(options).listener(new SyncListener() {
      @Override
      public void onEvent(SyncEvent event) {
        events.add(event);
        synchronized (progress) {
          progress.notifyAll();
        }
      }
    });
    for (SyncListener l : more) {
      b.listener(l);
    }
    StockSync hub = b.build();
    hubs.add(hub);
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    return hub;
  }

  /** Waits, woken by every engine event, until the condition holds or the deadline passes. */
  private boolean await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    synchronized (progress) {
      while (!condition.getAsBoolean()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
      }
    }
    return true;
  }

  private void connectAndTurnOn(StockSync hub, HookedConnector c) throws InterruptedException {
    hub.connect(c, StoreOptions.DEFAULT);
    StoreId id = c.storeId();
    assertThat(await(() -> hub.status(id).lastListingSync() != null)).as("listing sync").isTrue();
    hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder().copyInventory(false)
        .location("default", LocationChoice.existing("main")).build()));
  }

  private static HookedConnector store(String name, long apple, long pear) {
    InMemoryChannel channel = InMemoryChannel.builder(StoreId.of("memory", name)).name(name)
        .build();
    channel.addListing(name + "-apple", "APPLE", apple);
    channel.addListing(name + "-pear", "PEAR", pear);
    return new HookedConnector(channel);
  }

  /** A push that hangs until released or interrupted (the engine's call timeout). */
  private static Runnable hangUntil(CountDownLatch release, CountDownLatch entered) {
    return () -> {
      entered.countDown();
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new RetryLaterException("still hung", null, null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetryLaterException("interrupted", null, e);
      }
    };
  }

  @Test
  @Timeout(60)
  void hungPushOnOneStore_doesNotDelayPlanningOrPushesOfAnotherStore() throws Exception {
    StockSync hub = hub(SyncOptions.builder().pushDebounce(Duration.ZERO).build());
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().defineProduct(Product.of("PEAR", "Pear"));
    hub.inventory().adjust(APPLE, "main", 10, "");
    hub.inventory().adjust(PEAR, "main", 10, "");
    HookedConnector slow = store("slow", 10, 10);
    HookedConnector fast = store("fast", 10, 10);
    connectAndTurnOn(hub, slow);
    connectAndTurnOn(hub, fast);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch hung = new CountDownLatch(1);
    slow.duringPush = hangUntil(release, hung);
    try {
      hub.inventory().adjust(APPLE, "main", 5, "found");
      assertThat(hung.await(30, TimeUnit.SECONDS)).as("the slow store's push hangs").isTrue();
      assertThat(await(() -> fast.channel.quantity("fast-apple") == 15)).isTrue();

      hub.inventory().adjust(APPLE, "main", 1, "found one more");

      assertThat(await(() -> fast.channel.quantity("fast-apple") == 16))
          .as("the fast store's push leaves while the slow store is still hung").isTrue();
      assertThat(hung.getCount()).isZero();
      assertThat(release.getCount()).isEqualTo(1);
    } finally {
      release.countDown();
    }
    assertThat(await(() -> slow.channel.quantity("slow-apple") == 16)).isTrue();
  }

  @Test
  @Timeout(60)
  void callThatNeverReturns_isInterruptedAfterTheCallTimeout_andTheStoreKeepsWorking()
      throws Exception {
    StockSync hub = hub(SyncOptions.builder().pushDebounce(Duration.ZERO)
        .orderSyncInterval(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofMillis(500))
        .callTimeout(Duration.ofMillis(200)).build());
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().defineProduct(Product.of("PEAR", "Pear"));
    hub.inventory().adjust(APPLE, "main", 10, "");
    hub.inventory().adjust(PEAR, "main", 10, "");
    HookedConnector stuck = store("stuck", 10, 10);
    connectAndTurnOn(hub, stuck);
    CountDownLatch never = new CountDownLatch(1);
    stuck.duringPush = hangUntil(never, new CountDownLatch(1));

    hub.inventory().adjust(APPLE, "main", 5, "found");

    assertThat(await(() -> events.stream().anyMatch(e -> e instanceof SyncEvent.Failure f
        && f.store().equals(stuck.storeId()) && f.message().contains("timed out"))))
        .as("the hung push is interrupted and reported").isTrue();
    stuck.channel.placeOrder("PEAR", 2);
    assertThat(await(() -> hub.inventory().stockLevel(PEAR, "main").booked() == 2))
        .as("the store's lane is free again: its orders are still polled").isTrue();
    never.countDown();
  }

  /** Everything written to System.err (slf4j-simple's target) while a test runs. */
  private static final class CapturedErr implements AutoCloseable {
    final PrintStream original = System.err;
    final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    CapturedErr() {
      OutputStream tee = new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (copy) {
            copy.write(b);
          }
          original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (copy) {
            copy.write(b, off, len);
          }
          original.write(b, off, len);
        }
      };
      System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    String text() {
      synchronized (copy) {
        return copy.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }

  @Test
  @Timeout(90)
  void stress_manyStoresOneHung_outagesListenerErrorsConcurrentOpsAndOrders_endConsistent()
      throws Exception {
    Random random = new Random(42);
    SyncOptions options = SyncOptions.builder()
        .pushDebounce(Duration.ofMillis(5))
        .orderSyncInterval(Duration.ofMillis(100))
        .orderLookback(Duration.ofSeconds(5))
        .listingSyncInterval(Duration.ofSeconds(2))
        .retryInitialBackoff(Duration.ofMillis(10))
        .retryMaxBackoff(Duration.ofMillis(200))
        .callTimeout(Duration.ofMillis(300))
        .build();
    SyncListener chaos = new SyncListener() {
      final Random r = new Random(7);

      @Override
      public void onEvent(SyncEvent event) {
        int roll;
        synchronized (r) {
          roll = r.nextInt(10);
        }
        if (roll == 0) {
          throw new AssertionError("listener chaos (an Error)");
        }
        if (roll == 1) {
          throw new IllegalStateException("listener chaos");
        }
      }
    };
    try (CapturedErr err = new CapturedErr()) {
      StockSync hub = hub(options, chaos);
      hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
      hub.inventory().defineProduct(Product.of("PEAR", "Pear"));
      hub.inventory().adjust(APPLE, "main", 1000, "");
      hub.inventory().adjust(PEAR, "main", 1000, "");
      List<HookedConnector> stores = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        HookedConnector c = store("s" + i, 1000, 1000);
        c.secret = "tok_secret_" + i + "_XYZ";
        stores.add(c);
        connectAndTurnOn(hub, c);
      }
      HookedConnector hungStore = stores.get(0);
      CountDownLatch release = new CountDownLatch(1);
      hungStore.duringPush = hangUntil(release, new CountDownLatch(1));
      Map<HookedConnector, List<String>> orders = new ConcurrentHashMap<>();
      stores.forEach(s -> orders.put(s, new CopyOnWriteArrayList<>()));

      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> work = new ArrayList<>();
      try {
        for (int t = 0; t < 2; t++) {
          long seed = random.nextLong();
          work.add(pool.submit(() -> {
            Random r = new Random(seed);
            for (int i = 0; i < 150; i++) {
              Sku sku = r.nextBoolean() ? APPLE : PEAR;
              try {
                int delta = r.nextInt(20) - 10;
                hub.inventory().adjust(sku, "main", delta >= 0 ? delta + 1 : delta, "chaos");
              } catch (InsufficientStockException e) {
                // fine: the hub refused to go below zero
              }
            }
          }));
        }
        long orderSeed = random.nextLong();
        work.add(pool.submit(() -> {
          Random r = new Random(orderSeed);
          for (int i = 0; i < 120; i++) {
            HookedConnector s = stores.get(r.nextInt(stores.size()));
            String id = s.channel.placeOrder(r.nextBoolean() ? "APPLE" : "PEAR", 1 + r.nextInt(3));
            orders.get(s).add(id);
            List<String> placed = orders.get(s);
            int pick = r.nextInt(10);
            if (pick == 0) {
              s.channel.cancel(placed.get(r.nextInt(placed.size())));
            } else if (pick == 1) {
              String o = placed.get(r.nextInt(placed.size()));
              if (!s.channel.order(o).cancelled()) {
                s.channel.fulfil(o);
              }
            }
          }
        }));
        long outageSeed = random.nextLong();
        work.add(pool.submit(() -> {
          Random r = new Random(outageSeed);
          for (int i = 0; i < 60; i++) {
            HookedConnector s = stores.get(r.nextInt(stores.size()));
            s.failNext(1 + r.nextInt(3), r.nextBoolean()
                ? new RetryLaterException("HTTP 503 for Bearer " + s.secret, null, null)
                : new IllegalArgumentException("bad header value " + s.secret));
            hub.syncNow(s.storeId());
          }
        }));
        for (Future<?> f : work) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      stores.forEach(s -> s.failNext(0, new IllegalStateException("none")));
      release.countDown(); // the hung store recovers

      BooleanSupplier quiescent = () -> consistent(hub, stores, orders);
      assertThat(await(quiescent)).as("quiescence: " + describe(hub, stores, orders)).isTrue();

      // Invariants at quiescence.
      for (Sku sku : List.of(APPLE, PEAR)) {
        long[] sums = ledgerSums(hub, sku);
        StockLevel level = hub.inventory().stockLevel(sku, "main");
        assertThat(sums).as("ledger of " + sku).containsExactly(level.inStock(), level.booked());
        assertThat(level.booked()).as("booked " + sku).isEqualTo(openUnits(orders, sku.value()));
      }
      for (HookedConnector s : stores) {
        StoreStatus st = hub.status(s.storeId());
        assertThat(st.status()).isEqualTo(SyncStatus.SYNC_ON);
        assertThat(st.pendingPushes()).isZero();
      }
      // No store's polling stopped: one more order on each is booked.
      long bookedBefore = hub.inventory().stockLevel(APPLE, "main").booked();
      for (HookedConnector s : stores) {
        orders.get(s).add(s.channel.placeOrder("APPLE", 1));
      }
      assertThat(await(() -> hub.inventory().stockLevel(APPLE, "main").booked()
          == bookedBefore + stores.size())).as("every store still polls orders").isTrue();
      assertThat(await(quiescent)).isTrue();

      // One more outage quoting a secret, so the log surely holds a redacted failure line.
      HookedConnector probe = stores.get(1);
      probe.failNext(1, new RetryLaterException("HTTP 503 for Bearer " + probe.secret, null, null));
      hub.syncNow(probe.storeId());
      assertThat(await(() -> events.stream().anyMatch(e -> e instanceof SyncEvent.Failure f
          && f.store().equals(probe.storeId()) && f.message().contains("[redacted]")))).isTrue();

      String log = err.text();
      assertThat(log).as("the capture works and failures were logged redacted").contains("[redacted]");
      for (HookedConnector s : stores) {
        assertThat(log).as("log").doesNotContain(s.secret);
        assertThat(String.valueOf(hub.status(s.storeId()).lastError())).doesNotContain(s.secret);
      }
      assertThat(events).filteredOn(e -> e instanceof SyncEvent.Failure)
          .allSatisfy(e -> stores.forEach(s ->
              assertThat(((SyncEvent.Failure) e).message()).doesNotContain(s.secret)));
      assertThat(events).filteredOn(e -> e instanceof SyncEvent.Failure).isNotEmpty();
    }
  }

  private static boolean consistent(StockSync hub, List<HookedConnector> stores,
      Map<HookedConnector, List<String>> orders) {
    for (Sku sku : List.of(APPLE, PEAR)) {
      StockLevel level = hub.inventory().stockLevel(sku, "main");
      if (level.booked() != openUnits(orders, sku.value())) {
        return false;
      }
      long desired = Math.max(0, level.available());
      for (HookedConnector s : stores) {
        String listing = s.channel.storeId().externalId() + "-" + sku.value().toLowerCase();
        if (s.channel.quantity(listing) != desired) {
          return false;
        }
      }
    }
    for (HookedConnector s : stores) {
      if (hub.status(s.storeId()).pendingPushes() != 0) {
        return false;
      }
    }
    return true;
  }

  private static String describe(StockSync hub, List<HookedConnector> stores,
      Map<HookedConnector, List<String>> orders) {
    StringBuilder b = new StringBuilder();
    for (Sku sku : List.of(APPLE, PEAR)) {
      b.append(sku).append(' ').append(hub.inventory().stockLevel(sku, "main"))
          .append(" open=").append(openUnits(orders, sku.value())).append('\n');
      for (HookedConnector s : stores) {
        String listing = s.channel.storeId().externalId() + "-" + sku.value().toLowerCase();
        b.append("  ").append(listing).append('=').append(s.channel.quantity(listing))
            .append(" pending=").append(hub.status(s.storeId()).pendingPushes()).append('\n');
      }
    }
    return b.toString();
  }

  private static long openUnits(Map<HookedConnector, List<String>> orders, String sku) {
    long open = 0;
    for (Map.Entry<HookedConnector, List<String>> e : orders.entrySet()) {
      for (String id : e.getValue()) {
        ChannelOrder o = e.getKey().channel.order(id);
        if (o.cancelled()) {
          continue;
        }
        for (ChannelOrderLine l : o.lines()) {
          if (l.sku().equals(sku)) {
            open += l.quantity() - l.fulfilled() - l.cancelled();
          }
        }
      }
    }
    return open;
  }

  private static long[] ledgerSums(StockSync hub, Sku sku) {
    long inStock = 0;
    long booked = 0;
    String token = null;
    do {
      LedgerPage page = hub.inventory().ledger(sku, 1000, token);
      for (Movement m : page.movements()) {
        if (m.warehouseId().equals("main")) {
          inStock += m.inStockDelta();
          booked += m.bookedDelta();
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return new long[] {inStock, booked};
  }
}
