package io.stocksync.benchmarks.sim;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.LedgerPage;
import io.stocksync.core.Movement;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StockRules;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.SyncScheduler;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs one {@link SalesDay} in one {@link Mode} on virtual time: the real engine (or the
 * baseline) against the store drivers, buyers ordering only what their store shows, and the
 * simulation keeping the merchant's true stock to count what was oversold.
 */
final class SalesDaySimulation {
  /** How the stores are kept in sync. */
  enum Mode {
    /** The engine with its defaults: webhooks and notifications where the channel has them. */
    STOCKSYNC("stocksync"),
    /** The engine without webhooks or notifications: order polling every 10 minutes only. */
    STOCKSYNC_POLLING("stocksync, polling only"),
    /** {@link TenMinuteCycle}: read orders and push every figure every 10 minutes, no CAS. */
    BASELINE("baseline 10-min cycle"),
    /**
     * {@link #STOCKSYNC}, but a store whose channel is slow to tell of sales or to apply a write
     * ({@link #isSlow}) shows 0 once a SKU is down to its last unit ({@link #GUARD}): what a
     * merchant trades in sales for closing the races with those channels' latency. Not in the
     * default run.
     */
    STOCKSYNC_GUARDED("stocksync, last unit off slow stores");

    /** The modes of a default run, the comparison the issue asks for. */
    static final List<Mode> DEFAULT_RUN = List.of(STOCKSYNC, STOCKSYNC_POLLING, BASELINE);

    final String label;

    Mode(String label) {
      this.label = label;
    }

    boolean notified() {
      return this == STOCKSYNC || this == STOCKSYNC_GUARDED;
    }
  }

  /** The rule {@link Mode#STOCKSYNC_GUARDED} gives slow stores: show 0 at 1 unit or fewer. */
  static final StockRules GUARD = StockRules.DEFAULT.withShowZeroAtOrBelow(1);

  /** A channel that tells of sales 30 s or more late, or applies accepted writes later. */
  static boolean isSlow(StoreDriver store) {
    return !store.writeLandsAfter().isZero()
        || store.notificationDelay().compareTo(Duration.ofSeconds(30)) >= 0;
  }

  /** Oversells this long after a fault window ends still count as in the window. */
  static final Duration FAULT_GRACE = Duration.ofMinutes(10);
  /** After the day, time for the sync to catch up before convergence is checked. */
  static final Duration SETTLE = Duration.ofMinutes(30);
  /**
   * In hub modes, how long after the day the simulation keeps going, in {@link #SETTLE_STEP}s,
   * while a store is still behind: a channel's daily quota (Etsy's 10,000 requests per sliding
   * 24 hours) can hold increases back until it refills. The time it took is reported.
   */
  static final Duration SETTLE_CAP = Duration.ofHours(12);
  private static final Duration SETTLE_STEP = Duration.ofMinutes(5);
  private static final String WAREHOUSE = "main";
  private static final boolean DEBUG = Boolean.getBoolean("sim.debug");
  private static final String TRACE = System.getProperty("sim.trace", "");

  /**
   * Builds the stores of a run, in {@link SalesDay#STORES} order. The one place to add a channel:
   * replace a stand-in with the driver over its emulator.
   */
  static List<StoreDriver> drivers(ManualClock clock, long seed, Duration amazonQueueRead) {
    return List.of(
        new ShopifyDriver(clock, seed),
        // Etsy: one listing's inventory per call, 10 requests/s; webhooks (order events).
        new EtsyDriver(clock),
        // eBay: bulkUpdatePriceQuantity takes 25 offers; Notification API for new orders.
        new EbayDriver(clock),
        // Amazon: patchListingsItem per SKU at 5/s; ORDER_CHANGE reaches us through SQS polling.
        new AmazonDriver(clock, amazonQueueRead));
  }

  private final SalesDay day;
  private final Mode mode;
  private final ManualClock clock;
  private final VirtualScheduler virtual;
  private final SyncScheduler scheduler;
  private final List<StoreDriver> stores;
  private final List<ChannelConnector> connectors = new ArrayList<>();
  private final Set<Sku> touched = new LinkedHashSet<>();
  private final Map<Sku, Integer> index = new HashMap<>();
  private final long[] onHand;
  private final long[] open;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final Map<Integer, List<Pending>> pending = new HashMap<>();
  private final List<Long> latencies = new ArrayList<>();
  private long sequence;
  private @Nullable StockSync hub;
  private @Nullable TenMinuteCycle baseline;
  private long engineOversells;
  private Duration settledAfter = Duration.ZERO;
  private long sellNanos;
  private long runNanos;

  // Counters of the day.
  private long arrivals;
  private long blocked;
  private long placed;
  private long sold;
  private long oversold;
  private long affected;
  private long oversoldInWindows;
  private long oversoldInNotificationDelay;
  private long oversoldRateLimited;
  private long[] refusedSeen;
  private @Nullable Instant[] saturatedAt;
  private long oversoldBeforeWriteLanded;
  /** Per SKU, the sales of the last few minutes: {at epoch ms, store, units}. */
  private final Map<Integer, java.util.ArrayDeque<long[]>> recentSales = new HashMap<>();
  /** Per store, when a push last carried each SKU (written by the workers' pushes). */
  private final List<Map<Sku, Instant>> lastPush = new ArrayList<>();
  private final long[] oversoldByStore;
  private final long[] oversoldTimeline = new long[96];
  private final long[][] callsPerHour;
  private final long[] pointsPerHour = new long[24];
  private long[] callsAtHour;
  private long pointsAtHour;

  private SalesDaySimulation(SalesDay day, Mode mode, Duration amazonQueueRead) {
    this.day = day;
    this.mode = mode;
    this.clock = new ManualClock(day.start().minus(Duration.ofHours(2)));
    this.virtual = new VirtualScheduler(clock);
    // Every task the engine or the baseline runs is followed by a look at the stores, so a
    // confirmation is timed at the virtual instant of the push that made it.
    this.scheduler = new SyncScheduler() {
      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        return virtual.schedule(delay, () -> {
          task.run();
          afterTask();
        });
      }

      @Override
      public void close() {
        virtual.close();
      }
    };
    this.stores = drivers(clock, day.seed(), amazonQueueRead);
    for (int i = 0; i < day.skus().size(); i++) {
      index.put(day.skus().get(i), i);
    }
    this.onHand = new long[day.skus().size()];
    this.open = new long[day.skus().size()];
    this.oversoldByStore = new long[stores.size()];
    this.callsPerHour = new long[stores.size()][24];
    this.callsAtHour = new long[stores.size()];
    this.refusedSeen = new long[stores.size()];
    this.saturatedAt = new Instant[stores.size()];
  }

  /** The connectors the hub or the baseline use: each store's own, observed for pushes. */
  private void observeConnectors() {
    for (int s = 0; s < stores.size(); s++) {
      StoreDriver store = stores.get(s);
      Map<StockRef, Sku> refs = new HashMap<>();
      for (int i = 0; i < day.skus().size(); i++) {
        if (day.listed()[s][i]) {
          refs.put(store.ref(day.skus().get(i)), day.skus().get(i));
        }
      }
      Duration lands = store.writeLandsAfter();
      Map<Sku, Instant> pushedAt = new java.util.concurrent.ConcurrentHashMap<>();
      lastPush.add(pushedAt);
      connectors.add(new ObservedConnector(store.connector(), refs, touched, pushed -> {
        Instant now = clock.instant();
        for (Sku sku : pushed) {
          pushedAt.put(sku, now);
        }
        if (!lands.isZero() && !pushed.isEmpty()) {
          // Look again once the store applies the write (the task's afterTask checks them).
          scheduler.schedule(lands.plusMillis(1), () -> touched.addAll(pushed));
        }
      }));
    }
  }

  /**
   * Runs a day in a mode.
   *
   * @param day the day
   * @param mode the mode
   * @return what happened
   */
  static DayResult run(SalesDay day, Mode mode) {
    return run(day, mode, AmazonDriver.QUEUE_READ_INTERVAL);
  }

  /**
   * Runs a day in a mode, with the host reading Amazon's {@code ORDER_CHANGE} queue at another
   * interval than {@link AmazonDriver#QUEUE_READ_INTERVAL}.
   *
   * @param day the day
   * @param mode the mode
   * @param amazonQueueRead how late the host reads a message off its queue
   * @return the result
   */
  static DayResult run(SalesDay day, Mode mode, Duration amazonQueueRead) {
    long wallStart = System.nanoTime();
    SalesDaySimulation sim = new SalesDaySimulation(day, mode, amazonQueueRead);
    try {
      return sim.run(wallStart);
    } finally {
      sim.close();
    }
  }

  private DayResult run(long wallStart) {
    seedStores();
    observeConnectors();
    if (mode == Mode.BASELINE) {
      baseline = new TenMinuteCycle(stores, connectors, day.skus(), day.initialStock(), scheduler,
          clock);
      baseline.start(day.start());
    } else {
      startHub();
    }
    virtual.runUntil(day.start());
    touched.clear();
    for (int s = 0; s < stores.size(); s++) {
      callsAtHour[s] = stores.get(s).apiCalls();
      refusedSeen[s] = stores.get(s).refusedForLimits();
      stores.get(s).quotaSpent(); // the first sample of the sliding day
    }
    pointsAtHour = stores.get(0).costPoints();

    for (SalesDay.Arrival a : day.arrivals()) {
      add(new Event(a.at(), () -> arrive(a)));
    }
    add(new Event(day.start().plus(SalesDay.STOCKTAKE_AT), this::stocktake));
    add(new Event(day.start().plus(SalesDay.RECEIPT_AT), this::receive));
    for (SalesDay.FaultWindow w : day.faults()) {
      add(new Event(w.from(), () -> stores.get(w.store()).fault(w.fault(), true)));
      add(new Event(w.until(), () -> stores.get(w.store()).fault(w.fault(), false)));
    }
    for (int q = 1; q <= 96; q++) {
      int quarter = q;
      add(new Event(day.start().plus(Duration.ofMinutes(15L * q)), () -> tick(quarter)));
    }
    while (!queue.isEmpty()) {
      Event e = queue.poll();
      long t0 = System.nanoTime();
      virtual.runUntil(e.at);
      runNanos += System.nanoTime() - t0;
      e.action.run();
      afterTask();
    }
    virtual.runUntil(day.end().plus(SETTLE));
    if (hub != null) {
      while (!convergedNow() && clock.instant().isBefore(day.end().plus(SETTLE_CAP))) {
        virtual.runUntil(clock.instant().plus(SETTLE_STEP));
        afterTask();
      }
    }
    settledAfter = Duration.between(day.end(), clock.instant());
    checkPending();
    if (DEBUG) {
      System.err.printf("%s sell %.1fs run %.1fs%n", mode, sellNanos / 1e9, runNanos / 1e9);
    }
    return result(wallStart);
  }

  // ---- setup --------------------------------------------------------------------------------

  private void seedStores() {
    for (int i = 0; i < day.skus().size(); i++) {
      onHand[i] = day.initialStock()[i];
      for (int s = 0; s < stores.size(); s++) {
        if (day.listed()[s][i]) {
          stores.get(s).list(day.skus().get(i), day.initialStock()[i]);
        }
      }
    }
  }

  private void startHub() {
    StockSync engine = StockSync.builder().clock(clock).scheduler(scheduler)
        .jitter(new Random(day.seed()))
        .listener(new SyncListener() {
          @Override
          public void onEvent(SyncEvent event) {
            if (event instanceof SyncEvent.Oversell) {
              engineOversells++;
            }
          }
        }).build();
    hub = engine;
    engine.inventory().defineWarehouse(Warehouse.of(WAREHOUSE, "Main warehouse"));
    List<InventoryOperation> counts = new ArrayList<>();
    for (int i = 0; i < day.skus().size(); i++) {
      Sku sku = day.skus().get(i);
      engine.inventory().defineProduct(new Product(sku, sku.value(), List.of()));
      counts.add(new InventoryOperation.Stocktake(sku, WAREHOUSE, day.initialStock()[i],
          "opening count", null));
    }
    engine.inventory().applyAll(counts);
    List<StoreId> ids = new ArrayList<>();
    for (int s = 0; s < connectors.size(); s++) {
      StoreOptions options = guarded(s)
          ? StoreOptions.builder().rules(GUARD).build() : StoreOptions.DEFAULT;
      ids.add(engine.connect(connectors.get(s), options).store());
    }
    Instant deadline = day.start().minus(Duration.ofMinutes(30));
    for (int s = 0; s < stores.size(); s++) {
      int expected = countListed(s);
      while (engine.status(ids.get(s)).listings() < expected) {
        requireBefore(deadline, "listing sync of " + stores.get(s).name());
        virtual.advance(Duration.ofSeconds(1));
      }
    }
    for (int s = 0; s < stores.size(); s++) {
      TurnOnSyncChoices choices = TurnOnSyncChoices.builder().copyInventory(false)
          .location(stores.get(s).location(), LocationChoice.existing(WAREHOUSE)).build();
      while (true) {
        try {
          engine.turnOnSync(engine.prepareTurnOnSync(ids.get(s), choices));
          break;
        } catch (InvalidInputException stillImporting) {
          // Every listing is known, but the first listing sync has not finished its run (eBay
          // scans its Trading listings after the Inventory API's).
          requireBefore(deadline, "first listing sync of " + stores.get(s).name());
          virtual.advance(Duration.ofSeconds(1));
        }
      }
    }
    for (StoreId id : ids) {
      while (engine.status(id).pendingPushes() > 0) {
        requireBefore(deadline, "turn-on pushes of " + id);
        virtual.advance(Duration.ofSeconds(1));
      }
    }
    if (mode.notified()) {
      for (StoreDriver store : stores) {
        store.sendNotificationsTo(engine, scheduler);
      }
    }
  }

  private boolean guarded(int store) {
    return mode == Mode.STOCKSYNC_GUARDED && isSlow(stores.get(store));
  }

  /** What a store should show once in sync, given the merchant's true available figure. */
  private long expectedShown(int store, long truth) {
    return guarded(store) ? GUARD.apply(Math.max(0, truth)) : Math.max(0, truth);
  }

  private void requireBefore(Instant deadline, String what) {
    if (clock.instant().isAfter(deadline)) {
      throw new IllegalStateException(what + " did not finish before the day started");
    }
  }

  private int countListed(int store) {
    int n = 0;
    for (boolean listed : day.listed()[store]) {
      n += listed ? 1 : 0;
    }
    return n;
  }

  // ---- the day's events ---------------------------------------------------------------------

  /** Something that happens at an instant; ties run in the order they were added. */
  private final class Event implements Comparable<Event> {
    final Instant at;
    final long seq = sequence++;
    final Runnable action;

    Event(Instant at, Runnable action) {
      this.at = at;
      this.action = action;
    }

    @Override
    public int compareTo(Event o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private void add(Event e) {
    queue.add(e);
  }

  private void arrive(SalesDay.Arrival a) {
    arrivals++;
    StoreDriver store = stores.get(a.store());
    int i = index.get(a.sku());
    long shown = store.shown(a.sku());
    if (shown < 1) {
      blocked++; // a store cannot sell what it shows as 0
      return;
    }
    int units = (int) Math.min(a.wanted(), shown);
    long available = onHand[i] - open[i];
    long over = Math.max(0, units - Math.max(0, available));
    if (over > 0) {
      oversold += over;
      affected++;
      oversoldByStore[a.store()] += over;
      if (DEBUG) {
        System.err.printf("oversell %s %s on %s at %s shown=%d available=%d units=%d%n", mode,
            a.sku(), store.name(), a.at(), shown, available, units);
      }
      if (day.inFaultWindow(a.at(), FAULT_GRACE)) {
        oversoldInWindows += over;
      } else {
        classify(a, i, over);
      }
    }
    placed++;
    sold += units;
    open[i] += units;
    recentSales.computeIfAbsent(i, k -> new java.util.ArrayDeque<>())
        .add(new long[] {a.at().toEpochMilli(), a.store(), units});
    long t0 = System.nanoTime();
    String order = store.sell(a.sku(), units);
    sellNanos += System.nanoTime() - t0;
    trace(a.sku(), "sell " + units + " on " + store.name() + " " + order + " avail " + available);
    long target = Math.max(0, available - units);
    boolean stale = false;
    for (int s = 0; s < stores.size(); s++) {
      if (s != a.store() && day.listed()[s][i] && stores.get(s).shown(a.sku()) > target) {
        stale = true;
      }
    }
    if (stale) {
      pending.computeIfAbsent(i, k -> new ArrayList<>())
          .add(new Pending(a.at(), a.store(), target));
    }
    if (a.cancelAfter() != null && a.at().plus(a.cancelAfter()).isBefore(day.end())) {
      add(new Event(a.at().plus(a.cancelAfter()), () -> {
        store.cancel(order);
        open[i] -= units;
        trace(a.sku(), "cancel " + order + " on " + store.name());
        checkPending(i);
      }));
    }
    if (a.shipAt() != null && a.returnAt() != null) {
      add(new Event(a.shipAt(), () -> {
        store.fulfil(order);
        open[i] -= units;
        onHand[i] -= units;
        trace(a.sku(), "ship " + order + " on " + store.name());
      }));
      add(new Event(a.returnAt(), () -> {
        store.refundReturn(order, units);
        onHand[i] += units;
        if (!store.restocksReturns()) {
          // The refund told nobody about stock: the merchant books the parcel's units in.
          if (baseline != null) {
            baseline.receive(a.sku(), units);
          }
          if (hub != null) {
            hub.inventory().adjust(a.sku(), WAREHOUSE, units, "return");
          }
        }
        trace(a.sku(), "return " + order + " on " + store.name());
        checkPending(i);
      }));
    }
    checkPending(i);
  }

  /**
   * Splits an oversell outside the fault windows by what made it unavoidable, if anything.
   *
   * <p><b>Inside a channel's notification delay</b>: the units other stores sold of this SKU
   * less than their channel's {@link StoreDriver#notificationDelay()} ago, i.e. sales nobody had
   * been told of yet when this buyer ordered; as many oversold units as those (at most) count
   * here. <b>Before the write landed</b>: of the rest, units sold on a store that applies writes
   * late (Amazon's ACCEPTED) while a push of this SKU it had accepted was still within that
   * delay. What remains is the engine's to close (debounce, pacing, order reading).
   */
  private void classify(SalesDay.Arrival a, int i, long over) {
    if (limitSaturated(a.at(), i)) {
      oversoldRateLimited += over;
      if (DEBUG) {
        System.err.printf("  cause: rate limit saturated %d%n", over);
      }
      return;
    }
    long now = a.at().toEpochMilli();
    long unnotified = 0;
    java.util.ArrayDeque<long[]> recent = recentSales.get(i);
    if (recent != null) {
      while (!recent.isEmpty() && now - recent.peekFirst()[0] > Duration.ofMinutes(10).toMillis()) {
        recent.pollFirst();
      }
      for (long[] sale : recent) {
        int by = (int) sale[1];
        if (by != a.store() && now - sale[0] < stores.get(by).notificationDelay().toMillis()) {
          unnotified += sale[2];
        }
      }
    }
    long inDelay = Math.min(over, unnotified);
    oversoldInNotificationDelay += inDelay;
    long rest = over - inDelay;
    Duration lands = stores.get(a.store()).writeLandsAfter();
    Instant pushed = lastPush.get(a.store()).get(a.sku());
    if (rest > 0 && !lands.isZero() && pushed != null
        && Duration.between(pushed, a.at()).compareTo(lands) < 0) {
      oversoldBeforeWriteLanded += rest;
      rest = 0;
    }
    if (DEBUG) {
      System.err.printf("  cause: in notification delay %d, before write landed %d, engine %d%n",
          inDelay, over - inDelay - rest, rest);
    }
  }

  /**
   * Notes which stores refused requests for their own limits since the last look, and says
   * whether a store listing the SKU did so within {@link #FAULT_GRACE}: a rate-limit-saturated
   * window, which counts like a fault window.
   */
  private boolean limitSaturated(Instant at, int i) {
    sampleLimits(at);
    boolean saturated = false;
    for (int s = 0; s < stores.size(); s++) {
      Instant last = saturatedAt[s];
      if (day.listed()[s][i] && last != null
          && Duration.between(last, at).compareTo(FAULT_GRACE) <= 0) {
        saturated = true;
      }
    }
    return saturated;
  }

  /** Looks at every store's limits now (also every 15 minutes, so quotas are tracked). */
  private void sampleLimits(Instant at) {
    for (int s = 0; s < stores.size(); s++) {
      long refused = stores.get(s).refusedForLimits();
      if (stores.get(s).quotaSpent() || refused > refusedSeen[s]) {
        refusedSeen[s] = refused;
        saturatedAt[s] = at;
      }
    }
  }

  private void trace(Sku sku, String what) {
    if (sku.value().equals(TRACE)) {
      StringBuilder shown = new StringBuilder();
      for (int s = 0; s < stores.size(); s++) {
        if (day.listed()[s][index.get(sku)]) {
          shown.append(' ').append(stores.get(s).name()).append('=')
              .append(stores.get(s).shown(sku));
        }
      }
      System.err.println(clock.instant() + " " + mode + " " + what + " |" + shown + " hub="
          + (hub == null ? "-" : hub.inventory().stockLevel(sku, WAREHOUSE)));
    }
  }

  private void stocktake() {
    List<InventoryOperation> counts = new ArrayList<>();
    for (SalesDay.Count c : day.stocktake()) {
      int i = index.get(c.sku());
      long counted = Math.max(0, onHand[i] - c.shrinkage());
      onHand[i] = counted;
      if (baseline != null) {
        baseline.stocktake(c.sku(), counted);
      }
      counts.add(new InventoryOperation.Stocktake(c.sku(), WAREHOUSE, counted, "stocktake", null));
    }
    if (hub != null) {
      hub.inventory().applyAll(counts);
    }
    checkPending();
  }

  private void receive() {
    for (SalesDay.Receipt r : day.receipts()) {
      int i = index.get(r.sku());
      onHand[i] += r.units();
      if (baseline != null) {
        baseline.receive(r.sku(), r.units());
      }
      if (hub != null) {
        hub.inventory().adjust(r.sku(), WAREHOUSE, r.units(), "PO receipt");
      }
    }
    checkPending();
  }

  private void tick(int quarter) {
    oversoldTimeline[quarter - 1] = oversold;
    sampleLimits(clock.instant());
    for (StoreDriver store : stores) {
      store.pushCalls(); // lets a stand-in drop the push calls it recorded
    }
    if (quarter % 4 == 0) {
      int hour = quarter / 4 - 1;
      for (int s = 0; s < stores.size(); s++) {
        long calls = stores.get(s).apiCalls();
        callsPerHour[s][hour] = calls - callsAtHour[s];
        callsAtHour[s] = calls;
      }
      long points = stores.get(0).costPoints();
      pointsPerHour[hour] = points - pointsAtHour;
      pointsAtHour = points;
    }
  }

  // ---- confirmation latency -----------------------------------------------------------------

  /** A sale whose figure has not yet reached every other listing of its SKU. */
  private record Pending(Instant at, int store, long target) {}

  private void afterTask() {
    for (StoreDriver store : stores) {
      store.deliverNotifications();
    }
    if (!touched.isEmpty()) {
      for (Sku sku : touched) {
        checkPending(index.get(sku));
      }
      touched.clear();
    }
  }

  private void checkPending() {
    for (Integer i : new ArrayList<>(pending.keySet())) {
      checkPending(i);
    }
  }

  /**
   * Confirms the pending sales of a SKU whose figure every other listing now shows: the figure
   * the sale left or lower, or the merchant's current figure (a later receipt may have raised it).
   */
  private void checkPending(int i) {
    List<Pending> list = pending.get(i);
    if (list == null) {
      return;
    }
    Sku sku = day.skus().get(i);
    long current = Math.max(0, onHand[i] - open[i]);
    long[] shown = new long[stores.size()];
    for (int s = 0; s < stores.size(); s++) {
      shown[s] = day.listed()[s][i] ? stores.get(s).shown(sku) : Long.MIN_VALUE;
    }
    Instant now = clock.instant();
    for (Iterator<Pending> it = list.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      boolean confirmed = true;
      String lagging = "";
      for (int s = 0; s < stores.size(); s++) {
        if (s != p.store() && shown[s] != Long.MIN_VALUE && shown[s] > p.target()
            && shown[s] != current) {
          confirmed = false;
          lagging = stores.get(s).name();
          break;
        }
      }
      if (DEBUG && !confirmed && Duration.between(p.at(), now).toMinutes() >= 30) {
        System.err.printf("lagging %s %s sold on %s at %s: %s shows %s, target %d%n", mode, sku,
            stores.get(p.store()).name(), p.at(), lagging, java.util.Arrays.toString(shown),
            p.target());
      }
      if (confirmed) {
        latencies.add(Duration.between(p.at(), now).toMillis());
        if (DEBUG && Duration.between(p.at(), now).toMinutes() >= 30) {
          System.err.printf("slow %s %s sold on %s at %s confirmed %s target %d%n", mode, sku,
              stores.get(p.store()).name(), p.at(), now, p.target());
        }
        it.remove();
      }
    }
    if (list.isEmpty()) {
      pending.remove(i);
    }
  }

  // ---- the end ------------------------------------------------------------------------------

  private DayResult result(long wallStart) {
    long storeMismatches = 0;
    long hubMismatches = 0;
    long ledgerMismatches = 0;
    for (int i = 0; i < day.skus().size(); i++) {
      Sku sku = day.skus().get(i);
      long truth = onHand[i] - open[i];
      for (int s = 0; s < stores.size(); s++) {
        if (!storeInSync(s, i)) {
          storeMismatches++;
          if (DEBUG) {
            System.err.printf("mismatch %s %s shown=%d truth=%d onHand=%d open=%d hub=%s%n", mode,
                stores.get(s).name() + ":" + sku, stores.get(s).shown(sku), truth, onHand[i],
                open[i], hub == null ? "-" : hub.inventory().stockLevel(sku, WAREHOUSE));
          }
        }
      }
      if (hub != null) {
        StockLevel level = hub.inventory().stockLevel(sku, WAREHOUSE);
        if (!hubInSync(i, level)) {
          hubMismatches++;
          if (DEBUG) {
            System.err.printf("hub mismatch %s %s truth=%d onHand=%d open=%d hub=%s%n", mode, sku,
                truth, onHand[i], open[i], level);
          }
        }
        if (!ledgerAddsUp(hub, sku, level)) {
          ledgerMismatches++;
        }
      }
    }
    long negative = 0;
    for (StoreDriver store : stores) {
      negative += store.negativePushes();
    }
    long unconfirmed = pending.values().stream().mapToLong(List::size).sum();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    ShopifyDriver shopify = (ShopifyDriver) stores.get(0);
    return new DayResult(mode, stores.stream().map(StoreDriver::name).toList(), arrivals,
        blocked, placed, sold, oversold, affected,
        mode == Mode.BASELINE ? baseline.oversellEvents() : engineOversells, oversoldInWindows,
        oversoldRateLimited, oversoldInNotificationDelay, oversoldBeforeWriteLanded,
        oversoldByStore, sorted, unconfirmed, callsPerHour, pointsPerHour, shopify.throttled(),
        shopify.webhooksDelivered(), oversoldTimeline, storeMismatches, hubMismatches,
        ledgerMismatches, negative, settledAfter,
        stores.stream().map(st -> st.name() + ": " + st.limitNotes())
            .filter(n -> !n.endsWith(": ")).toList(), (System.nanoTime() - wallStart) / 1e9);
  }

  /** Whether every listing and the hub show the merchant's true figures now. */
  private boolean convergedNow() {
    for (int i = 0; i < day.skus().size(); i++) {
      for (int s = 0; s < stores.size(); s++) {
        if (!storeInSync(s, i)) {
          return false;
        }
      }
      if (!hubInSync(i, hub.inventory().stockLevel(day.skus().get(i), WAREHOUSE))) {
        return false;
      }
    }
    return true;
  }

  /** Whether store {@code s} shows SKU {@code i} as it should now (or does not list it). */
  private boolean storeInSync(int s, int i) {
    return !day.listed()[s][i]
        || stores.get(s).shown(day.skus().get(i)) == expectedShown(s, onHand[i] - open[i]);
  }

  /** Whether the hub's level of SKU {@code i} is the merchant's true one. */
  private boolean hubInSync(int i, StockLevel level) {
    return level.available() == onHand[i] - open[i] && level.inStock() == onHand[i];
  }

  /** Whether the SKU's stock level is the sum of its movements in the ledger. */
  private static boolean ledgerAddsUp(StockSync hub, Sku sku, StockLevel level) {
    long inStock = 0;
    long booked = 0;
    String token = null;
    do {
      LedgerPage page = hub.inventory().ledger(sku, 1000, token);
      for (Movement m : page.movements()) {
        if (m.warehouseId().equals(WAREHOUSE)) {
          inStock += m.inStockDelta();
          booked += m.bookedDelta();
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return inStock == level.inStock() && booked == level.booked();
  }

  private void close() {
    if (hub != null) {
      hub.close();
    }
    scheduler.close();
    for (StoreDriver store : stores) {
      store.close();
    }
  }

}
