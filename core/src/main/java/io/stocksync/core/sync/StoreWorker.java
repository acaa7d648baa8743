package io.stocksync.core.sync;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.LeaseLostException;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Product;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.internal.Backoff;
import io.stocksync.core.internal.Redaction;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.StoreLease;
import io.stocksync.core.store.StoreTransaction;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.SyncEvent.RunKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All work for one store: listing sync, order sync, pushes and mirroring.
 *
 * <p>Concurrency model: the store's work runs in its own <em>lane</em>, a mailbox drained one
 * message at a time on the engine's network executor, so a store's steps never overlap while
 * different stores run in parallel, and a slow or hung store occupies at most one thread. No lock
 * is ever held across a connector call: timers only post messages, planners only offer desired
 * figures to the {@link PushQueue}, and the worker's own state is touched only from its lane.
 * Every periodic task reschedules itself in a {@code finally}, whatever the step threw.
 */
final class StoreWorker {
  private static final Logger log = LoggerFactory.getLogger(StoreWorker.class);
  /** Messages drained per turn before the lane yields its thread to other stores. */
  private static final int DRAIN_BATCH = 16;
  /** Named orders waiting to be read beyond which one order sync serves them instead. */
  static final int MAX_ORDERS_TO_READ = 1_000;
  /** Failed reads of named orders in a row after which they are left to the order sync. */
  static final int MAX_ORDER_READ_ATTEMPTS = 3;
  /** Named orders read in one turn of the lane before it yields to other work (pushes). */
  static final int ORDER_READS_PER_TURN = 4;

  /** The worker's kinds of scheduled task; at most one of each is pending. */
  enum Task { ORDERS, ORDER_READS, LISTINGS, PUSH, MIRROR, READ_ONLY_COPY, RECHECK }

  private final StockSync engine;
  final StoreId id;
  private volatile ChannelConnector connector;
  final PushQueue queue = new PushQueue();
  /** How this store spends a slowly refilling request quota; used on the store's lane only. */
  private final BudgetThrift budgetThrift = new BudgetThrift();
  // Whether the store's last push step found its scarce quota under pressure (the thrift held
  // pushes): order events then wait a little for company. Written on the lane, read by callers
  // of requestOrderSyncFromEvent on any thread.
  private volatile boolean budgetPressed;
  /**
   * How long an order event waits for company while the budget is under pressure. Each wait
   * delays the news of a sale to the other stores: the sales day oversold 69 units at 5 s and
   * 71 at 15 s (Etsy settling 70 and 40 min after the day, from 1,401 and 1,180 receipt reads).
   */
  static final Duration EVENT_COALESCING = Duration.ofSeconds(5);
  private volatile boolean stopped;
  /** This instance's lease on the store, when stores are shared through leases; else null. */
  volatile @Nullable StoreLease lease;
  /** The host settings this owner last acted on; see {@link StockSync#pickUpHostChanges}. */
  volatile StockSync.@Nullable HostState hostState;

  // ---- the lane ----
  private final ArrayDeque<Runnable> mailbox = new ArrayDeque<>();
  private boolean draining; // guarded by mailbox

  // ---- timers, guarded by "timers" ----
  private final Object timers = new Object();
  private final Map<Task, SyncScheduler.Cancellable> tasks = new EnumMap<>(Task.class);
  private final Map<Task, Instant> taskDue = new EnumMap<>(Task.class);
  private final Set<Task> posted = EnumSet.noneOf(Task.class);

  // ---- state touched only from the lane ----
  private @Nullable OrderRun orderRun;
  private @Nullable ListingRun listingRun;
  private @Nullable Instant blockedUntil;
  private @Nullable Instant lastPushCallAt;
  private int orderFailures;
  private int listingFailures;
  private int mirrorFailures;
  private int pushFailures;
  private final Set<Sku> staleSkus = new LinkedHashSet<>();
  // SKUs whose orders changed on this store: the store moved its own figure for their listings,
  // so those figures are read back before the engine trusts what it last confirmed. Lane-only.
  private final Set<Sku> recheckSkus = new LinkedHashSet<>();
  // Of those, the figures a push answered since their order changed (confirmed, or stale with
  // the actual figure): what the store shows is known, so a store with a scarce request quota
  // does not read them again. Lane-only.
  private final Map<Sku, Set<StockRef>> checkedByPush = new HashMap<>();
  private @Nullable RecheckRun recheckRun;
  private int recheckFailures;
  private final Map<String, SetAside> setAside = new LinkedHashMap<>();
  private int orderReadFailures;
  private final Map<Task, MirrorRun> mirrorRuns = new EnumMap<>(Task.class);
  private int pushRunItems;

  // ---- shared with other threads ----
  // Orders a notification named, to read by id (ChannelEvent.OrderChanged); guarded by itself.
  private final Set<String> ordersToRead = new LinkedHashSet<>();
  private final AtomicBoolean fullListingRequested = new AtomicBoolean();
  // Set while a push run is open (pushes queued and not all confirmed), for its RunFinished.
  private final AtomicReference<@Nullable Instant> pushRunStartedAt = new AtomicReference<>();
  // The connector call running in the lane, for the call-timeout watchdog.
  private final AtomicReference<@Nullable RunningCall> runningCall = new AtomicReference<>();

  final AtomicLong ordersApplied = new AtomicLong();
  final AtomicLong pushesConfirmed = new AtomicLong();
  final AtomicLong pushBatches = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong staleResults = new AtomicLong();

  StoreWorker(StockSync engine, StoreId id, ChannelConnector connector) {
    this.engine = engine;
    this.id = id;
    this.connector = connector;
  }

  ChannelConnector connector() {
    return connector;
  }

  /** Swaps in a new connector; the old one is closed in the lane, after any call it is in. */
  void replaceConnector(ChannelConnector replacement) {
    ChannelConnector old = connector;
    connector = replacement;
    stopped = false;
    if (replacement != old) {
      post(() -> closeQuietly(old));
    }
  }

  /** Closes a connector; a failure is logged (redacted) and reported, never thrown. */
  void closeQuietly(ChannelConnector c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      String message = Redaction.message(c, e);
      log.warn("{} closing the connector failed: {}", id, message);
      engine.emit(new SyncEvent.Failure(id, RunKind.LISTINGS, "closing the connector failed: "
          + message, null));
    }
  }

  // ---- the lane ----------------------------------------------------------------------------------

  /** Adds a message to the store's lane; it runs after every message posted before it. */
  void post(Runnable message) {
    synchronized (mailbox) {
      mailbox.add(message);
      if (draining) {
        return;
      }
      draining = true;
    }
    dispatch();
  }

  private void dispatch() {
    try {
      engine.runOnLane(this::drain);
    } catch (RuntimeException e) {
      // The executor is shut down (engine closing): nothing will drain this lane again.
      synchronized (mailbox) {
        draining = false;
        mailbox.clear();
      }
      if (!engine.isClosed()) {
        log.error("{} could not schedule its work", id, e);
      }
    }
  }

  private void drain() {
    for (int i = 0; i < DRAIN_BATCH; i++) {
      Runnable next;
      synchronized (mailbox) {
        next = mailbox.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (VirtualMachineError e) {
        dispatch(); // keep the lane alive for what is queued, then let the JVM's handler see it
        throw e;
      } catch (Throwable e) {
        log.error("{} step failed unexpectedly: {}", id, Redaction.sanitized(connector, e));
      } finally {
        Thread.interrupted(); // a watchdog interrupt must not leak into the next message
      }
    }
    dispatch(); // let other stores' lanes have the thread, then continue
  }

  /** A connector call in progress, for the watchdog. */
  private static final class RunningCall {
    final Thread thread;
    volatile boolean timedOut;

    RunningCall(Thread thread) {
      this.thread = thread;
    }
  }

  /**
   * Runs one connector call under the call timeout: past it, the lane's thread is interrupted
   * and the call reported as a transient failure. Its exception messages are redacted at once.
   */
  private <T> T call(Supplier<T> work) {
    RunningCall running = new RunningCall(Thread.currentThread());
    runningCall.set(running);
    Duration timeout = engine.options().callTimeout();
    SyncScheduler.Cancellable watchdog = engine.scheduler().schedule(timeout, () -> {
      if (runningCall.get() == running) {
        running.timedOut = true;
        running.thread.interrupt();
      }
    });
    try {
      T result = work.get();
      if (running.timedOut) {
        throw new RetryLaterException("call to " + id + " timed out after " + timeout, null, null);
      }
      return result;
    } catch (RuntimeException e) {
      if (running.timedOut) {
        throw new RetryLaterException("call to " + id + " timed out after " + timeout, null, null);
      }
      throw Redaction.forHost(connector, e);
    } finally {
      runningCall.compareAndSet(running, null);
      watchdog.cancel();
      Thread.interrupted();
    }
  }

  // ---- scheduling --------------------------------------------------------------------------------

  private StoreRecord record() {
    return engine.store().read(r -> r.store(id)).orElseThrow(
        () -> new IllegalStateException("store " + id + " vanished"));
  }

  private boolean active(SyncStatus... allowed) {
    if (stopped || engine.isClosed()) {
      return false;
    }
    SyncStatus status = record().status();
    for (SyncStatus s : allowed) {
      if (s == status) {
        return true;
      }
    }
    return false;
  }

  /** Starts the store's regular work according to its status. */
  void start(boolean resumeNow) {
    if (engine.leased() && lease == null) {
      stopped = true; // another instance owns the store (or none yet): no work here
      return;
    }
    stopped = false;
    StoreRecord rec = record();
    if (rec.status() == SyncStatus.NEEDS_REAUTH || rec.status() == SyncStatus.DISCONNECTED) {
      return;
    }
    schedule(Task.LISTINGS, resumeNow ? Duration.ZERO : engine.options().listingSyncInterval());
    if (rec.status() == SyncStatus.SYNC_ON) {
      schedule(Task.ORDERS, resumeNow ? Duration.ZERO : orderPollInterval());
      scheduleMirrors(resumeNow);
      schedule(Task.PUSH, Duration.ZERO);
    }
  }

  private void scheduleMirrors(boolean now) {
    boolean store = false;
    boolean readOnly = false;
    Set<String> readOnlyIds = readOnlyLocations();
    for (LocationMapping m : engine.store().read(r -> r.mappings(id))) {
      if (readOnlyIds.contains(m.locationId())) {
        readOnly = true;
      } else if (m.master() == InventoryMaster.STORE) {
        store = true;
      }
    }
    if (store) {
      schedule(Task.MIRROR, now ? Duration.ZERO : engine.options().mirrorInterval());
    }
    if (readOnly) {
      schedule(Task.READ_ONLY_COPY, now ? Duration.ZERO : engine.options().readOnlyCopyInterval());
    }
  }

  private Set<String> readOnlyLocations() {
    Set<String> ids = new HashSet<>();
    for (ChannelLocation l : engine.store().read(r -> r.locations(id))) {
      if (l.readOnly()) {
        ids.add(l.id());
      }
    }
    return ids;
  }

  /**
   * Fences a write of the store's sync state with this instance's lease, in the write's own
   * transaction: a write after the lease was lost (here or by a takeover elsewhere) is refused
   * and the store's work stops here.
   */
  private void fence(StoreTransaction tx) {
    if (!engine.leased()) {
      return;
    }
    StoreLease l = lease;
    if (l == null) {
      throw new LeaseLostException(id, 0, -1);
    }
    try {
      tx.requireLease(id, l.token());
    } catch (LeaseLostException e) {
      engine.leaseLost(this, e.getMessage());
      throw e;
    }
  }

  /** Stops all scheduled work; queued pushes are kept. Runs in progress are dropped in the lane. */
  void stop() {
    stopped = true;
    synchronized (timers) {
      for (SyncScheduler.Cancellable c : tasks.values()) {
        c.cancel();
      }
      tasks.clear();
      taskDue.clear();
    }
    post(() -> {
      orderRun = null;
      if (listingRun != null && listingRun.full) {
        fullListingRequested.set(true); // the refresh the host asked for still happens
      }
      listingRun = null;
      mirrorRuns.clear();
    });
  }

  /** Schedules a task unless one of its kind is already due no later. */
  void schedule(Task task, Duration delay) {
    if (stopped || engine.isClosed()) {
      return;
    }
    synchronized (timers) {
      Instant due = engine.clock().instant().plus(delay);
      Instant current = taskDue.get(task);
      if (current != null && !current.isAfter(due)) {
        return;
      }
      if (delay.isZero() && posted.contains(task)) {
        return; // a run is already waiting in the lane
      }
      SyncScheduler.Cancellable previous = tasks.remove(task);
      if (previous != null) {
        previous.cancel();
      }
      taskDue.put(task, due);
      Object[] self = new Object[1];
      SyncScheduler.Cancellable c = engine.scheduler().schedule(delay, () -> fire(task, self[0]));
      self[0] = c;
      tasks.put(task, c);
    }
  }

  /** A timer fired: hand the task to the lane (cheap; the scheduler thread never waits). */
  private void fire(Task task, @Nullable Object timer) {
    synchronized (timers) {
      if (timer != null && tasks.get(task) != timer) {
        return; // replaced or cancelled meanwhile
      }
      tasks.remove(task);
      taskDue.remove(task);
      if (!posted.add(task)) {
        return;
      }
    }
    post(() -> run(task));
  }

  private boolean hasTimer(Task task) {
    synchronized (timers) {
      return tasks.containsKey(task);
    }
  }

  private void run(Task task) {
    synchronized (timers) {
      posted.remove(task);
    }
    if (stopped || engine.isClosed()) {
      return;
    }
    Throwable failure = null;
    try {
      switch (task) {
        case ORDERS:
          syncOrders();
          break;
        case ORDER_READS:
          readNamedOrders();
          break;
        case LISTINGS:
          syncListings();
          break;
        case PUSH:
          pushStep();
          break;
        case MIRROR:
          mirror(false);
          break;
        case READ_ONLY_COPY:
          mirror(true);
          break;
        case RECHECK:
          recheck();
          break;
        default:
          throw new IllegalStateException(task.name());
      }
    } catch (VirtualMachineError e) {
      failure = e;
      throw e;
    } catch (Throwable e) {
      failure = e;
      reportUnexpected(task, e);
    } finally {
      // Whatever happened (a store outage, a listener's Error, a bug), a periodic task that
      // did not schedule its next run gets one, so no fault ends a store's polling for good.
      if (!stopped && !engine.isClosed() && !hasTimer(task)) {
        rescheduleAfter(task, failure);
      }
    }
  }

  private void rescheduleAfter(Task task, @Nullable Throwable failure) {
    if (task == Task.PUSH || task == Task.RECHECK || task == Task.ORDER_READS) {
      if (failure != null) {
        int attempt = task == Task.PUSH ? ++pushFailures
            : task == Task.RECHECK ? ++recheckFailures : ++orderReadFailures;
        schedule(task, backoff(attempt, null));
      }
      return;
    }
    boolean wanted;
    try {
      SyncStatus status = record().status();
      wanted = task == Task.LISTINGS
          ? status == SyncStatus.CONNECTED || status == SyncStatus.SYNC_ON
          : status == SyncStatus.SYNC_ON;
    } catch (RuntimeException e) {
      wanted = true; // the store cannot be read now; try again later
    }
    if (!wanted) {
      return;
    }
    if (failure != null) {
      int attempt = task == Task.ORDERS ? ++orderFailures
          : task == Task.LISTINGS ? ++listingFailures : ++mirrorFailures;
      schedule(task, backoff(attempt, null));
    } else {
      schedule(task, interval(task));
    }
  }

  private Duration interval(Task task) {
    switch (task) {
      case ORDERS:
        return orderPollInterval();
      case LISTINGS:
        return engine.options().listingSyncInterval();
      case MIRROR:
        return engine.options().mirrorInterval();
      default:
        return engine.options().readOnlyCopyInterval();
    }
  }

  /** Reports a step's unexpected failure (store outage, listener error, bug); never throws. */
  private void reportUnexpected(Task task, Throwable e) {
    RunKind kind = task == Task.ORDERS ? RunKind.ORDERS : task == Task.LISTINGS ? RunKind.LISTINGS
        : task == Task.PUSH ? RunKind.INVENTORY : RunKind.MIRROR;
    String message = Redaction.message(connector, e);
    try {
      log.error("{} {} step failed", id, kind, Redaction.sanitized(connector, e));
      recordError(kind, e.getClass().getSimpleName() + ": " + message);
      engine.emit(new SyncEvent.Failure(id, kind, message, null));
    } catch (RuntimeException | Error again) {
      log.error("{} reporting a failed {} step failed too", id, kind);
    }
  }

  /** Keeps the last error in the store's status; a store outage must not make it throw. */
  private void recordError(RunKind kind, String message) {
    try {
      engine.store().write(tx -> {
      fence(tx);
        tx.store(id).ifPresent(r -> tx.putStore(r.withLastError(kind + ": " + message)));
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("{} could not record its last error: {}", id, e.getClass().getSimpleName());
    }
  }

  // ---- failures --------------------------------------------------------------------------------

  /**
   * Handles a failed step's exception (already redacted by {@link #call}); returns the retry
   * delay, or null when the step waits for re-authorisation.
   */
  private @Nullable Duration failed(RunKind kind, RuntimeException e, int attempt) {
    if (e instanceof CredentialsException) {
      needsReauth(e.getMessage());
      return null;
    }
    Duration retry;
    String message = Redaction.message(connector, e);
    if (e instanceof RetryLaterException) {
      retry = backoff(attempt, ((RetryLaterException) e).retryAfter().orElse(null));
    } else {
      if (!(e instanceof ChannelException)) {
        log.error("{} {} sync failed", id, kind, Redaction.sanitized(connector, e));
      }
      retry = backoff(attempt, null);
    }
    recordError(kind, message);
    log.warn("{} {} sync failed, retrying in {}: {}", id, kind, retry, message);
    engine.emit(new SyncEvent.Failure(id, kind, message, retry));
    return retry;
  }

  Duration backoff(int attempt, @Nullable Duration retryAfter) {
    Duration d = Backoff.delay(attempt, retryAfter, engine.options().retryInitialBackoff(),
        engine.options().retryMaxBackoff(), engine.nextJitter());
    // A channel's retry-after is honoured, but never beyond what a scheduler can represent.
    return d.compareTo(SyncOptions.MAX_DURATION) > 0 ? SyncOptions.MAX_DURATION : d;
  }

  void needsReauth(@Nullable String reason) {
    SyncStatus from = engine.store().write(tx -> {
      fence(tx);
      StoreRecord r = tx.store(id).orElseThrow();
      if (r.status() == SyncStatus.NEEDS_REAUTH || r.status() == SyncStatus.DISCONNECTED) {
        return null;
      }
      tx.putStore(r.withStatus(SyncStatus.NEEDS_REAUTH).withLastError("credentials refused"));
      return r.status();
    });
    StockSync.HostState seen = hostState;
    if (seen != null && from != null) {
      // This instance's own change: not to be taken for a host call made elsewhere.
      hostState = new StockSync.HostState(SyncStatus.NEEDS_REAUTH, seen.syncOnAt(),
          seen.options(), seen.listingHardRefresh(), seen.mappings());
    }
    stop();
    if (from != null) {
      String why = reason == null ? "credentials refused" : Redaction.text(connector, reason);
      log.warn("{} needs re-authorisation: {}", id, why);
      engine.emit(new SyncEvent.StatusChanged(id, from, SyncStatus.NEEDS_REAUTH, why));
    }
  }

  /**
   * A signal (e.g. a webhook) says the store revoked our access. Webhook topics can be replayed
   * by anyone holding one signed delivery, so the revocation is confirmed with the channel first:
   * only an identity call refused as unauthorised marks the store; otherwise the signal is
   * reported and ignored.
   */
  void confirmRevocation() {
    post(() -> {
      if (stopped || engine.isClosed()) {
        return;
      }
      try {
        call(() -> connector.identity());
        log.warn("{} reported access revoked, but the channel still accepts the credentials;"
            + " ignored", id);
        engine.emit(new SyncEvent.Failure(id, RunKind.LISTINGS, "access-revoked signal"
            + " contradicted by the channel (credentials still work); ignored", null));
      } catch (CredentialsException e) {
        needsReauth("access revoked by the store");
      } catch (RuntimeException e) {
        // Cannot tell now: polling will meet the refusal if the access really is gone.
        engine.emit(new SyncEvent.Failure(id, RunKind.LISTINGS, "access-revoked signal could not"
            + " be confirmed: " + Redaction.message(connector, e) + "; ignored", null));
      }
    });
  }

  // ---- listings --------------------------------------------------------------------------------

  private static final class ListingRun {
    final boolean full;
    final Instant startedAt;
    final @Nullable Instant since;
    @Nullable String token;
    final Set<String> seen = new HashSet<>();
    @Nullable Instant maxUpdated;
    int count;

    ListingRun(boolean full, Instant startedAt, @Nullable Instant since) {
      this.full = full;
      this.startedAt = startedAt;
      this.since = since;
    }
  }

  void requestListingSync(boolean full) {
    if (full) {
      fullListingRequested.set(true);
    }
    schedule(Task.LISTINGS, Duration.ZERO);
  }

  private void syncListings() {
    if (!active(SyncStatus.CONNECTED, SyncStatus.SYNC_ON)) {
      return;
    }
    StoreRecord rec = record();
    ListingRun run = listingRun;
    if (run == null || (fullListingRequested.get() && !run.full)) {
      boolean full = fullListingRequested.getAndSet(false) || rec.listingCursor() == null;
      run = new ListingRun(full, engine.clock().instant(), full ? null : rec.listingCursor());
      listingRun = run;
    }
    try {
      while (true) {
        Duration wait = connector.pacingDelay(ChannelCall.LISTINGS, 0);
        if (!wait.isZero() && !wait.isNegative()) {
          schedule(Task.LISTINGS, wait);
          return;
        }
        ListingRun current = run;
        Page<ChannelListing> page = call(() -> connector.listings(
            new ListingQuery(current.since, rec.options().includeDrafts(), current.token)));
        importListings(rec, run, page.items());
        if (!page.hasNext()) {
          break;
        }
        run.token = page.nextPageToken();
      }
      finishListings(run);
      listingFailures = 0;
      listingRun = null;
      schedule(Task.LISTINGS, engine.options().listingSyncInterval());
    } catch (RuntimeException e) {
      listingRun = null;
      if (run.full) {
        fullListingRequested.set(true);
      }
      Duration retry = failed(RunKind.LISTINGS, e, ++listingFailures);
      if (retry != null) {
        schedule(Task.LISTINGS, retry);
      }
    }
  }

  /** A product name from a listing title: the channel's limit may exceed ours. */
  private static String productName(String title) {
    String name = title.strip();
    if (name.length() > Product.MAX_NAME_LENGTH) {
      int end = Product.MAX_NAME_LENGTH;
      if (Character.isHighSurrogate(name.charAt(end - 1))) {
        end--; // never split a surrogate pair
      }
      name = name.substring(0, end);
    }
    return name;
  }

  private void importListings(StoreRecord rec, ListingRun run, List<ChannelListing> items) {
    boolean syncOn = rec.status() == SyncStatus.SYNC_ON;
    Set<Sku> awaiting = new LinkedHashSet<>();
    Set<Sku> changed = new LinkedHashSet<>();
    List<SyncEvent> reports = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    engine.inventory().transact(tx -> {
      fence(tx.store());
      for (ChannelListing l : items) {
        run.seen.add(l.listingId());
        run.count++;
        if (run.maxUpdated == null || l.updatedAt().isAfter(run.maxUpdated)) {
          run.maxUpdated = l.updatedAt();
        }
        if (l.status() == ListingStatus.DRAFT && !rec.options().includeDrafts()) {
          if (tx.store().listing(id, l.listingId()).isPresent()) {
            tx.store().removeListing(id, l.listingId());
            dropped.add(l.listingId());
          }
          continue;
        }
        // Everything is validated before anything of this listing is written: one listing the
        // hub cannot take is skipped and reported, the rest of the page still imports.
        Product fresh;
        ListingRecord next;
        try {
          String name = productName(l.title());
          fresh = tx.store().product(l.sku()).isEmpty() ? new Product(l.sku(), name, List.of()) : null;
          next = new ListingRecord(id, l.listingId(), l.inventoryRef(), l.sku(), l.status(),
              l.title(), l.tracked());
          if (name.length() < l.title().strip().length()) {
            reports.add(new SyncEvent.Failure(id, RunKind.LISTINGS, "listing " + l.listingId()
                + ": title longer than " + Product.MAX_NAME_LENGTH
                + " characters; the product name was truncated", null));
          }
        } catch (InvalidInputException e) {
          reports.add(new SyncEvent.Failure(id, RunKind.LISTINGS, "listing " + l.listingId()
              + " skipped: " + e.getMessage(), null));
          continue;
        }
        if (fresh != null) {
          tx.store().putProduct(fresh);
          if (syncOn) {
            awaiting.add(l.sku());
          }
        }
        ListingRecord previous = tx.store().listing(id, l.listingId()).orElse(null);
        if (!next.equals(previous)) {
          if (!l.tracked() && (previous == null || previous.tracked())) {
            reports.add(new SyncEvent.Untracked(id, l.listingId(), l.sku()));
          }
          tx.store().putListing(next);
          changed.add(l.sku());
          if (previous != null && !previous.sku().equals(l.sku())) {
            changed.add(previous.sku());
          }
        }
        // The store's figure is taken only where nothing is known yet: afterwards the known
        // quantity is what we confirmed, so compare-and-set notices sales made on the store.
        for (Map.Entry<String, Long> q : l.quantities().entrySet()) {
          if (tx.store().knownQuantity(id, l.listingId(), q.getKey()).isEmpty()) {
            tx.store().putKnownQuantity(id, l.listingId(), q.getKey(), q.getValue());
            changed.add(l.sku());
          }
        }
      }
      return null;
    });
    // Queue edits follow the commit: a rolled-back import must not drop pushes.
    dropped.forEach(queue::removeListing);
    for (Sku sku : awaiting) {
      engine.emit(new SyncEvent.AwaitingStock(id, sku));
    }
    reports.forEach(engine::emit);
    if (syncOn && !changed.isEmpty()) {
      engine.markDirty(changed, false);
    }
  }

  private void finishListings(ListingRun run) {
    Instant now = engine.clock().instant();
    List<ListingRecord> removed = new ArrayList<>();
    Map<Sku, List<String>> bySku = new LinkedHashMap<>();
    engine.store().write(tx -> {
      fence(tx);
      for (ListingRecord l : tx.listings(id)) {
        if (run.full && !run.seen.contains(l.listingId())) {
          tx.removeListing(id, l.listingId());
          removed.add(l);
        } else {
          bySku.computeIfAbsent(l.sku(), k -> new ArrayList<>()).add(l.listingId());
        }
      }
      StoreRecord r = tx.store(id).orElseThrow();
      Instant cursor = run.maxUpdated != null ? run.maxUpdated : r.listingCursor();
      if (cursor == null && run.full) {
        cursor = run.startedAt;
      }
      tx.putStore(r.withListingSync(cursor, now));
      return null;
    });
    for (ListingRecord l : removed) {
      queue.removeListing(l.listingId());
    }
    for (Map.Entry<Sku, List<String>> e : bySku.entrySet()) {
      if (e.getValue().size() > 1 && run.full) {
        engine.emit(new SyncEvent.DuplicateSkus(id, e.getKey(), e.getValue()));
      }
    }
    engine.emit(new SyncEvent.RunFinished(id, RunKind.LISTINGS, run.startedAt, now, run.count,
        run.full));
  }



  // ---- orders ----------------------------------------------------------------------------------

  private static final class OrderRun {
    final Instant startedAt;
    final Instant since;
    @Nullable String token;
    @Nullable Instant maxUpdated;
    int seen;
    int applied;

    OrderRun(Instant startedAt, Instant since) {
      this.startedAt = startedAt;
      this.since = since;
    }
  }

  /**
   * An order the hub cannot apply (malformed, or a booking that overflows): kept aside so it
   * does not block the orders after it, retried on a slower cadence, replaced by a newer version.
   */
  private static final class SetAside {
    final ChannelOrder order;
    Instant retryAt;
    int attempts;

    SetAside(ChannelOrder order, Instant retryAt) {
      this.order = order;
      this.retryAt = retryAt;
    }
  }

  /** The slower cadence of set-aside orders: the order interval, doubling, at most a day. */
  private Instant setAsideRetryAt(int attempts) {
    Duration base = engine.options().orderSyncInterval();
    Duration wait = base.multipliedBy(1L << Math.min(attempts, 8));
    Duration cap = Duration.ofDays(1);
    return engine.clock().instant().plus(wait.compareTo(cap) > 0 ? cap : wait);
  }

  /** Whether this very version of the order is set aside: it waits for its slower cadence. */
  private boolean waitsSetAside(ChannelOrder order) {
    SetAside aside = setAside.get(order.orderId());
    return aside != null && aside.order.version().equals(order.version());
  }

  /** Orders set aside now, by id, for tests and status. */
  Set<String> setAsideOrders() {
    return Set.copyOf(setAside.keySet());
  }

  private void syncOrders() {
    if (!active(SyncStatus.SYNC_ON)) {
      return;
    }
    StoreRecord rec = record();
    Instant syncOnAt = rec.syncOnAt();
    if (syncOnAt == null) {
      return;
    }
    OrderRun run = orderRun;
    if (run == null) {
      // From the cursor, not from the sync-on moment: after sync was off and on again, changes
      // to orders applied before (cancellations, shipments) must still be read.
      Instant cursor = rec.orderCursor() == null ? syncOnAt : rec.orderCursor();
      run = new OrderRun(engine.clock().instant(), cursor.minus(engine.options().orderLookback()));
      orderRun = run;
      retrySetAside(syncOnAt);
    }
    try {
      while (true) {
        Duration wait = connector.pacingDelay(ChannelCall.ORDERS, 0);
        if (!wait.isZero() && !wait.isNegative()) {
          schedule(Task.ORDERS, wait);
          return;
        }
        OrderRun current = run;
        Page<ChannelOrder> page = call(() -> connector.orders(
            new OrderQuery(current.since, current.token)));
        List<LocationMapping> mappings = engine.store().read(r -> r.mappings(id));
        List<ChannelOrder> todo = new ArrayList<>(page.items().size());
        for (ChannelOrder order : page.items()) {
          run.seen++;
          if (run.maxUpdated == null || order.updatedAt().isAfter(run.maxUpdated)) {
            run.maxUpdated = order.updatedAt();
          }
          if (!waitsSetAside(order)) {
            todo.add(order);
          }
        }
        // The cursor moves only with the last page, once every order up to it is stored (or
        // set aside), and in the same transaction as that page's orders.
        Instant now = engine.clock().instant();
        OrderRun done = run;
        @Nullable Consumer<StoreTransaction> cursor = page.hasNext() ? null
            : tx -> moveOrderCursor(tx, done, now);
        run.applied += applyPage(todo, syncOnAt, mappings, cursor);
        if (!page.hasNext()) {
          break;
        }
        run.token = page.nextPageToken();
      }
      Instant now = engine.clock().instant();
      orderRun = null;
      orderFailures = 0;
      engine.emit(new SyncEvent.RunFinished(id, RunKind.ORDERS, run.startedAt, now, run.applied,
          false));
      afterOrderSync();
      schedule(Task.ORDERS, orderPollInterval());
    } catch (RuntimeException e) {
      orderRun = null;
      Duration retry = failed(RunKind.ORDERS, e, ++orderFailures);
      afterOrderSync();
      if (retry != null) {
        schedule(Task.ORDERS, retry);
      }
    }
  }

  private static @Nullable Sku parseSku(@Nullable String raw) {
    try {
      return Sku.ofNullable(raw);
    } catch (InvalidInputException e) {
      return null; // the applier reports it
    }
  }

  /** Moves the order cursor to the newest update the run read; the caller's transaction. */
  private void moveOrderCursor(StoreTransaction tx, OrderRun done, Instant now) {
    StoreRecord r = tx.store(id).orElseThrow();
    Instant cursor = r.orderCursor();
    if (done.maxUpdated != null && (cursor == null || done.maxUpdated.isAfter(cursor))) {
      cursor = done.maxUpdated;
    }
    tx.putStore(r.withOrderSync(cursor, now));
  }

  /**
   * Applies a page of orders in ONE store transaction (one commit instead of one per order),
   * fenced in that transaction, with the cursor move of the last page ({@code alsoInTx}) in it
   * too. Events, priorities and touched SKUs are reported only after the commit. If the hub
   * refuses one order of the page (bad input, overflow), the page's transaction rolls back whole,
   * so nothing of it was written, and the page is re-run order by order: the refused order is set
   * aside, every other one is applied once. Any other failure (the store is down, the lease is
   * lost) fails the run with nothing of the page written.
   *
   * @return how many orders changed the hub
   */
  private int applyPage(List<ChannelOrder> orders, Instant syncOnAt,
      List<LocationMapping> mappings, @Nullable Consumer<StoreTransaction> alsoInTx) {
    if (orders.isEmpty() && alsoInTx == null) {
      return 0;
    }
    List<OrderApplier.Outcome> outcomes;
    try {
      outcomes = engine.inventory().transact(tx -> {
        fence(tx.store());
        if (orders.size() > 1 && tx.store().prefersBatchReads()) {
          // One statement for the page's previous order records instead of one per order; a
          // database store keeps what it read for the rest of the transaction.
          List<String> ids = new ArrayList<>(orders.size());
          Set<Sku> skus = new LinkedHashSet<>();
          for (ChannelOrder o : orders) {
            ids.add(o.orderId());
            for (ChannelOrderLine line : o.lines()) {
              Sku sku = parseSku(line.sku());
              if (sku != null) {
                skus.add(sku);
              }
            }
          }
          tx.store().ordersById(id, ids);
          // Likewise the products and stock levels the page's lines book against.
          tx.store().productsBySku(skus);
          tx.store().stockLevelsBySku(skus);
        }
        // Created inside the work: a store that re-runs the work after a conflict starts over.
        List<OrderApplier.Outcome> out = new ArrayList<>(orders.size());
        for (ChannelOrder order : orders) {
          out.add(OrderApplier.apply(tx, id, syncOnAt, mappings, order));
        }
        if (alsoInTx != null) {
          alsoInTx.accept(tx.store());
        }
        return out;
      });
    } catch (InvalidInputException | ArithmeticException e) {
      int applied = 0;
      for (ChannelOrder order : orders) {
        if (applyOrder(order, syncOnAt, mappings)) {
          applied++;
        }
      }
      if (alsoInTx != null) {
        engine.store().write(tx -> {
          fence(tx);
          alsoInTx.accept(tx);
          return null;
        });
      }
      return applied;
    }
    int applied = 0;
    for (int i = 0; i < orders.size(); i++) {
      if (report(orders.get(i), outcomes.get(i))) {
        applied++;
      }
    }
    return applied;
  }

  /**
   * Applies one order in its own transaction. An order the hub refuses (bad input, overflow) is
   * set aside and reported once; any other failure (the store is down) fails the run.
   *
   * @return true when the order changed the hub
   */
  private boolean applyOrder(ChannelOrder order, Instant syncOnAt, List<LocationMapping> mappings) {
    OrderApplier.Outcome outcome;
    try {
      outcome = engine.inventory().transact(
          tx -> {
              fence(tx.store());
              return OrderApplier.apply(tx, id, syncOnAt, mappings, order);
            });
    } catch (InvalidInputException | ArithmeticException e) {
      SetAside previous = setAside.get(order.orderId());
      int attempts = previous == null ? 0 : previous.attempts + 1;
      SetAside aside = new SetAside(order, setAsideRetryAt(attempts));
      aside.attempts = attempts;
      setAside.put(order.orderId(), aside);
      String reason = e instanceof ArithmeticException ? "quantities overflow" : e.getMessage();
      log.warn("{} order {} set aside: {}", id, order.orderId(), reason);
      engine.emit(new SyncEvent.Failure(id, RunKind.ORDERS, "order " + order.orderId()
          + " (version " + order.version() + ") cannot be applied and is set aside: " + reason
          + "; later orders are booked, this one is retried on a slower cadence",
          Duration.between(engine.clock().instant(), aside.retryAt)));
      return false;
    }
    return report(order, outcome);
  }

  /** Reports a committed order's outcome: counts, events, priorities, SKUs to re-check. */
  private boolean report(ChannelOrder order, OrderApplier.Outcome outcome) {
    if (setAside.remove(order.orderId()) != null) {
      log.info("{} order {} applied after being set aside", id, order.orderId());
    }
    if (outcome.applied) {
      ordersApplied.incrementAndGet();
    }
    touched(outcome.touched);
    for (SyncEvent e : outcome.events) {
      engine.emit(e);
    }
    if (!outcome.priority.isEmpty()) {
      engine.markDirty(outcome.priority, true);
    }
    return outcome.applied;
  }

  /** Retries set-aside orders whose time has come; a refusal again is not reported again. */
  private void retrySetAside(Instant syncOnAt) {
    Instant now = engine.clock().instant();
    List<SetAside> due = new ArrayList<>();
    for (SetAside aside : setAside.values()) {
      if (!aside.retryAt.isAfter(now)) {
        due.add(aside);
      }
    }
    if (due.isEmpty()) {
      return;
    }
    List<LocationMapping> mappings = engine.store().read(r -> r.mappings(id));
    for (SetAside aside : due) {
      try {
        OrderApplier.Outcome outcome = engine.inventory().transact(
            tx -> {
              fence(tx.store());
              return OrderApplier.apply(tx, id, syncOnAt, mappings, aside.order);
            });
        setAside.remove(aside.order.orderId());
        touched(outcome.touched);
        if (outcome.applied) {
          ordersApplied.incrementAndGet();
        }
        outcome.events.forEach(engine::emit);
        if (!outcome.priority.isEmpty()) {
          engine.markDirty(outcome.priority, true);
        }
      } catch (InvalidInputException | ArithmeticException e) {
        aside.attempts++;
        aside.retryAt = setAsideRetryAt(aside.attempts);
      }
    }
  }

  /** SKUs whose orders changed on this store: their figures here are to be re-read. */
  private void touched(Set<Sku> skus) {
    recheckSkus.addAll(skus);
    // The store moved them again: what a push saw before is no longer what it shows.
    checkedByPush.keySet().removeAll(skus);
  }

  private void afterOrderSync() {
    boolean recheckDue = !recheckSkus.isEmpty() || recheckRun != null;
    // A store with a scarce request quota re-reads after the plan instead, so that figures the
    // plan queues anyway are checked by their own push's answer rather than by a read of their
    // own (on Etsy a push re-reads its listings before writing: a store's sale answers as
    // confirmed without a write). Elsewhere the read is cheap, and comes first so the plan
    // already judges against what the store shows.
    boolean afterPlan = recheckDue && connector.requestBudget().isPresent();
    if (recheckDue && !afterPlan) {
      recheck();
    }
    if (!staleSkus.isEmpty()) {
      engine.markDirty(new LinkedHashSet<>(staleSkus), true);
      staleSkus.clear();
    }
    engine.planNow();
    if (afterPlan) {
      schedule(Task.RECHECK, Duration.ZERO); // behind the plan just asked for
    }
    // The periodic inventory cycle: whatever differs from the last confirmed push is queued,
    // whatever the reason it was missed.
    engine.scheduleReconcile(id);
  }

  /** The host's order interval, or the channel's suggestion where that is shorter. */
  private Duration orderPollInterval() {
    Duration host = engine.options().orderSyncInterval();
    Duration channel = connector.orderPollInterval().orElse(host);
    return channel.compareTo(host) < 0 && !channel.isNegative() && !channel.isZero() ? channel : host;
  }

  void requestOrderSync() {
    schedule(Task.ORDERS, Duration.ZERO);
  }

  /**
   * A channel event says orders changed: sync them now, or, while the store's scarce request
   * quota is under pressure (its thrift holds pushes), within {@link #EVENT_COALESCING}, so that
   * the events of a busy spell share one order read and one re-read.
   */
  void requestOrderSyncFromEvent() {
    schedule(Task.ORDERS, budgetPressed ? EVENT_COALESCING : Duration.ZERO);
  }

  /**
   * Reads the named order by id if the connector can, else syncs orders as for any order event.
   * Any thread; the read runs in the lane.
   */
  void requestOrderRead(String orderId) {
    if (!connector.readsOrderById()) {
      requestOrderSyncFromEvent();
      return;
    }
    synchronized (ordersToRead) {
      if (ordersToRead.size() >= MAX_ORDERS_TO_READ) {
        // A flood of notifications: one order sync serves them all; polling stays the truth.
        ordersToRead.clear();
        requestOrderSyncFromEvent();
        return;
      }
      ordersToRead.add(orderId);
    }
    schedule(Task.ORDER_READS, Duration.ZERO);
  }

  /**
   * Reads and applies the orders notifications named, one call each, paced like any call, at most
   * {@link #ORDER_READS_PER_TURN} per turn of the lane so the pushes they cause are not kept
   * waiting behind a burst of reads. The order cursor stays where it is: the next order sync
   * reads these orders again and, their versions already applied, changes nothing. An order the
   * channel does not know (yet) is left to that sync. A failing read keeps its order for the
   * retry; after {@link #MAX_ORDER_READ_ATTEMPTS} failures in a row the named orders are left to
   * the order sync.
   */
  private void readNamedOrders() {
    if (!active(SyncStatus.SYNC_ON)) {
      synchronized (ordersToRead) {
        ordersToRead.clear();
      }
      return;
    }
    Instant syncOnAt = record().syncOnAt();
    if (syncOnAt == null) {
      return;
    }
    boolean appliedAny = false;
    String reading = null;
    try {
      List<LocationMapping> mappings = null;
      for (int n = 0; n < ORDER_READS_PER_TURN; n++) {
        Duration wait = connector.pacingDelay(ChannelCall.ORDER, 1);
        if (!wait.isZero() && !wait.isNegative()) {
          schedule(Task.ORDER_READS, wait);
          return;
        }
        // Taken out before the call, so a notification of a newer version arriving meanwhile
        // names the order again instead of being swallowed.
        synchronized (ordersToRead) {
          if (ordersToRead.isEmpty()) {
            return;
          }
          reading = ordersToRead.iterator().next();
          ordersToRead.remove(reading);
        }
        String orderId = reading;
        Optional<ChannelOrder> read = call(() -> connector.readOrder(orderId));
        reading = null;
        orderReadFailures = 0;
        if (read.isEmpty()) {
          continue;
        }
        ChannelOrder order = read.get();
        if (waitsSetAside(order)) {
          continue;
        }
        if (mappings == null) {
          mappings = engine.store().read(r -> r.mappings(id));
        }
        applyPage(List.of(order), syncOnAt, mappings, null);
        appliedAny = true;
      }
      boolean more;
      synchronized (ordersToRead) {
        more = !ordersToRead.isEmpty();
      }
      if (more) {
        schedule(Task.ORDER_READS, Duration.ZERO); // the rest after the lane's other work
      }
    } catch (RuntimeException e) {
      if (reading != null) {
        synchronized (ordersToRead) {
          ordersToRead.add(reading);
        }
      }
      Duration retry = failed(RunKind.ORDERS, e, ++orderReadFailures);
      if (retry == null || orderReadFailures >= MAX_ORDER_READ_ATTEMPTS) {
        synchronized (ordersToRead) {
          ordersToRead.clear();
        }
        orderReadFailures = 0;
        if (retry != null) {
          schedule(Task.ORDERS, retry);
        }
      } else {
        schedule(Task.ORDER_READS, retry);
      }
    } finally {
      if (appliedAny) {
        afterOrderSync();
      }
    }
  }

  // ---- pushes ----------------------------------------------------------------------------------

  /**
   * Offers desired figures planned from generation {@code generation}. Called by planners under
   * the engine's desired-state lock; only touches the queue and a timer, never waits for the lane.
   */
  void enqueue(List<PlannedPush> pushes, long generation, boolean force, Set<Sku> priority) {
    Instant now = engine.clock().instant();
    for (PlannedPush p : pushes) {
      queue.offer(p, generation, force, priority.contains(p.sku()), now);
    }
    if (queue.size() > 0) {
      pushRunStartedAt.compareAndSet(null, now);
      schedule(Task.PUSH, Duration.ZERO);
    }
  }

  private void pushStep() {
    if (!active(SyncStatus.SYNC_ON)) {
      return;
    }
    Instant now = engine.clock().instant();
    if (blockedUntil != null && now.isBefore(blockedUntil)) {
      schedule(Task.PUSH, Duration.between(now, blockedUntil));
      return;
    }
    int max = connector.capabilities().maxBatchSize();
    List<PushQueue.Pending> verify = queue.dueVerifications(now, max);
    if (!verify.isEmpty()) {
      verifyAccepted(verify, now);
      return;
    }
    PushQueue.Thrift thrift = budgetThrift.next(connector.requestBudget().orElse(null), now);
    budgetPressed = thrift != null;
    List<PushQueue.Pending> ready = queue.peekReady(now, max, thrift);
    if (ready.isEmpty()) {
      queue.nextReadyAt(now, thrift).ifPresentOrElse(
          at -> schedule(Task.PUSH, Duration.between(now, at).isNegative()
              ? Duration.ZERO : Duration.between(now, at)),
          this::closePushRun);
      return;
    }
    Duration wait = connector.pacingDelay(ChannelCall.PUSH, ready.size());
    double rate = connector.capabilities().maxRequestsPerSecond();
    if (rate > 0 && lastPushCallAt != null) {
      Instant permitted = lastPushCallAt.plusNanos((long) (1_000_000_000L / rate));
      if (permitted.isAfter(now) && Duration.between(now, permitted).compareTo(wait) > 0) {
        wait = Duration.between(now, permitted);
      }
    }
    if (!wait.isZero() && !wait.isNegative()) {
      schedule(Task.PUSH, wait);
      return;
    }
    List<PushQueue.Pending> batch = new ArrayList<>(ready.size());
    List<PushItem> items = new ArrayList<>(ready.size());
    // Reading the known figures and taking the batch is one step against the desired state, so
    // no planner can judge "unchanged" between them.
    engine.atomically(() -> engine.store().read(r -> {
      List<PushQueue.Pending> send = new ArrayList<>(ready.size());
      for (PushQueue.Pending p : ready) {
        if (r.listing(id, p.push.listingId()).isEmpty()) {
          queue.dropQueued(p);
          continue;
        }
        OptionalLong known = r.knownQuantity(id, p.push.listingId(), p.push.ref().locationId());
        // Judged against what the store will hold: an accepted figure still on its way lands
        // over the last confirmed one, so equal to the confirmed figure is not "already there".
        Long onItsWay = queue.sendingQuantity(p.push.listingId(), p.push.ref());
        Long willHold = onItsWay != null ? onItsWay
            : known.isPresent() ? Long.valueOf(known.getAsLong()) : null;
        if (!p.force && willHold != null && willHold == p.push.quantity()) {
          queue.dropQueued(p); // already there: nothing to send
          continue;
        }
        send.add(p);
      }
      for (PushQueue.Pending p : queue.markInFlight(send)) {
        OptionalLong known = r.knownQuantity(id, p.push.listingId(), p.push.ref().locationId());
        Long expected = known.isPresent() ? known.getAsLong() : null;
        batch.add(p);
        items.add(new PushItem(p.push.ref(), p.push.quantity(), expected, p.keyFor(expected)));
      }
      return null;
    }));
    if (items.isEmpty()) {
      schedule(Task.PUSH, Duration.ZERO);
      return;
    }
    lastPushCallAt = now;
    List<PushResult> results;
    boolean settled = false;
    try {
      results = call(() -> connector.push(items));
      if (results.size() != items.size()) {
        throw new ChannelException("connector " + id + " returned " + results.size()
            + " results for " + items.size() + " items", null);
      }
      settle(batch, results, now);
      settled = true;
    } catch (RuntimeException e) {
      settled = true;
      pushFailed(batch, e, now);
    } finally {
      if (!settled) {
        // An Error thrown mid-way: nothing is known to have been applied; send it again.
        batch.forEach(queue::release);
      }
    }
  }

  private void pushFailed(List<PushQueue.Pending> batch, RuntimeException e, Instant now) {
    if (e instanceof CredentialsException) {
      batch.forEach(queue::release);
      needsReauth(e.getMessage());
      return;
    }
    Duration retryAfter = e instanceof RetryLaterException
        ? ((RetryLaterException) e).retryAfter().orElse(null) : null;
    if (retryAfter != null) {
      blockedUntil = now.plus(retryAfter);
    }
    if (!(e instanceof RetryLaterException) && !(e instanceof ChannelException)) {
      log.error("{} push failed unexpectedly: {}", id, Redaction.sanitized(connector, e));
    }
    // One delay for the whole batch, so it is retried as a batch instead of splintering into
    // many small calls, each jittered differently.
    Instant retryAt = now.plus(backoff(maxAttempts(batch) + 1, retryAfter));
    for (PushQueue.Pending p : batch) {
      queue.retry(p, retryAt);
    }
    retries.addAndGet(batch.size());
    pushBatches.incrementAndGet();
    String message = Redaction.message(connector, e);
    recordError(RunKind.INVENTORY, message);
    log.warn("{} push of {} items failed, retrying: {}", id, batch.size(), message);
    engine.emit(new SyncEvent.PushBatch(id, batch.size(), 0, 0, 0, batch.size()));
    engine.emit(new SyncEvent.Failure(id, RunKind.INVENTORY, message,
        Duration.between(now, queue.nextReadyAt().orElse(now))));
    schedule(Task.PUSH, Duration.between(now, queue.nextReadyAt().orElse(now)));
  }

  private void settle(List<PushQueue.Pending> batch, List<PushResult> results, Instant now) {
    Instant retryAt = null;
    Instant pauseUntil = null;
    boolean pausedForStore = true;
    int confirmed = 0;
    int stale = 0;
    int rejected = 0;
    int retrying = 0;
    // Writing what became known and completing the sends is one step against the desired
    // state: a planner sees either the old known figure with the send in flight, or the new one.
    engine.atomically(() -> engine.store().write(tx -> {
      fence(tx);
      for (int i = 0; i < batch.size(); i++) {
        PushQueue.Pending p = batch.get(i);
        PushResult result = results.get(i);
        if (tx.listing(id, p.push.listingId()).isEmpty()) {
          continue;
        }
        // Only what the channel confirmed, or reported as its actual figure, becomes known.
        if (result instanceof PushResult.Confirmed) {
          tx.putKnownQuantity(id, p.push.listingId(), p.push.ref().locationId(),
              ((PushResult.Confirmed) result).quantity());
        } else if (result instanceof PushResult.Stale) {
          tx.putKnownQuantity(id, p.push.listingId(), p.push.ref().locationId(),
              ((PushResult.Stale) result).actualQuantity());
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        PushResult result = results.get(i);
        if (result instanceof PushResult.Confirmed || result instanceof PushResult.Stale
            || result instanceof PushResult.Rejected) {
          queue.complete(batch.get(i));
        }
      }
      return null;
    }));
    for (int i = 0; i < batch.size(); i++) {
      PushQueue.Pending p = batch.get(i);
      PushResult result = results.get(i);
      if ((result instanceof PushResult.Confirmed || result instanceof PushResult.Stale)
          && recheckSkus.contains(p.push.sku())) {
        // Answered after the order sync that asked for the re-read: as good as reading it.
        checkedByPush.computeIfAbsent(p.push.sku(), k -> new HashSet<>()).add(p.push.ref());
      }
      if (result instanceof PushResult.Confirmed) {
        confirmed++;
      } else if (result instanceof PushResult.Accepted) {
        // Queued by the channel, not applied: nothing becomes known until a read shows it.
        queue.accepted(p, now.plus(((PushResult.Accepted) result).verifyAfter()));
      } else if (result instanceof PushResult.Stale) {
        stale++;
        staleSkus.add(p.push.sku());
      } else if (result instanceof PushResult.Rejected) {
        rejected++;
        engine.emit(new SyncEvent.Failure(id, RunKind.INVENTORY, "push of " + p.push.sku()
            + " to " + p.push.ref() + " rejected: "
            + Redaction.text(connector, ((PushResult.Rejected) result).reason()), null));
      } else {
        retrying++;
        PushResult.Retryable r = (PushResult.Retryable) result;
        if (retryAt == null) {
          // One backoff for the batch, so its retries go together instead of splintering.
          retryAt = now.plus(backoff(maxAttempts(batch) + 1, null));
        }
        Instant at = retryAt;
        if (r.retryAfter() != null && now.plus(r.retryAfter()).isAfter(at)) {
          at = now.plus(r.retryAfter());
        }
        if (r.retryAfter() == null) {
          pausedForStore = false;
        } else {
          pauseUntil = pauseUntil == null || at.isAfter(pauseUntil) ? at : pauseUntil;
        }
        queue.retry(p, at);
      }
    }
    if (retrying == batch.size() && pausedForStore && pauseUntil != null) {
      // The channel took nothing and asked every item to wait: a pause for the whole store.
      // When it took some, a wait is that item's own (an Etsy increase kept back for the daily
      // budget, an eBay listing at its revision cap) and must not hold back a decrease to 0.
      blockedUntil = blockedUntil == null || pauseUntil.isAfter(blockedUntil)
          ? pauseUntil : blockedUntil;
    }
    pushFailures = 0;
    pushesConfirmed.addAndGet(confirmed);
    staleResults.addAndGet(stale);
    retries.addAndGet(retrying);
    pushBatches.incrementAndGet();
    pushRunItems += confirmed;
    engine.emit(new SyncEvent.PushBatch(id, batch.size(), confirmed, stale, rejected, retrying));
    if (stale > 0) {
      // A sale on the store raced our push: import it before re-planning, so the next push
      // carries the right number instead of overwriting the sale.
      schedule(Task.ORDERS, Duration.ZERO);
    }
    schedule(Task.PUSH, Duration.ZERO);
  }

  /**
   * Reads back the figures of accepted pushes, batched: those that show the accepted quantity
   * become known and count as confirmed; the others are sent again (unless a newer figure is
   * queued, which then goes instead).
   */
  private void verifyAccepted(List<PushQueue.Pending> due, Instant now) {
    List<StockRef> refs = new ArrayList<>(due.size());
    for (PushQueue.Pending p : due) {
      refs.add(p.push.ref());
    }
    Duration wait = connector.pacingDelay(ChannelCall.QUANTITIES, refs.size());
    if (!wait.isZero() && !wait.isNegative()) {
      schedule(Task.PUSH, wait);
      return;
    }
    Map<StockRef, Long> figures;
    try {
      figures = call(() -> connector.readQuantities(refs));
    } catch (RuntimeException e) {
      if (e instanceof CredentialsException) {
        needsReauth(e.getMessage());
        return;
      }
      Duration retry = backoff(maxAttempts(due) + 1,
          e instanceof RetryLaterException ? ((RetryLaterException) e).retryAfter().orElse(null) : null);
      due.forEach(p -> queue.accepted(p, now.plus(retry)));
      String message = Redaction.message(connector, e);
      recordError(RunKind.INVENTORY, message);
      log.warn("{} verifying {} accepted pushes failed, retrying in {}: {}", id, due.size(), retry,
          message);
      engine.emit(new SyncEvent.Failure(id, RunKind.INVENTORY, message, retry));
      schedule(Task.PUSH, retry);
      return;
    }
    List<PushQueue.Pending> landed = new ArrayList<>();
    engine.atomically(() -> engine.store().write(tx -> {
      fence(tx);
      for (PushQueue.Pending p : due) {
        Long figure = figures.get(p.push.ref());
        if (figure != null && figure == p.push.quantity()
            && tx.listing(id, p.push.listingId()).isPresent()) {
          tx.putKnownQuantity(id, p.push.listingId(), p.push.ref().locationId(), figure);
          landed.add(p);
        }
      }
      landed.forEach(queue::complete);
      return null;
    }));
    Instant again = null;
    for (PushQueue.Pending p : due) {
      if (!landed.contains(p)) {
        if (again == null) {
          again = now.plus(backoff(maxAttempts(due) + 1, null));
        }
        queue.retry(p, again);
      }
    }
    pushesConfirmed.addAndGet(landed.size());
    pushRunItems += landed.size();
    int missing = due.size() - landed.size();
    retries.addAndGet(missing);
    pushBatches.incrementAndGet();
    engine.emit(new SyncEvent.PushBatch(id, due.size(), landed.size(), 0, 0, missing));
    schedule(Task.PUSH, Duration.ZERO);
  }

  private static int maxAttempts(List<PushQueue.Pending> batch) {
    int max = 0;
    for (PushQueue.Pending p : batch) {
      max = Math.max(max, p.attempts);
    }
    return max;
  }

  private void closePushRun() {
    Instant started = pushRunStartedAt.getAndSet(null);
    if (started == null) {
      return;
    }
    Instant now = engine.clock().instant();
    engine.store().write(tx -> {
      fence(tx);
      tx.store(id).ifPresent(r -> tx.putStore(r.withInventorySync(now)));
      return null;
    });
    int items = pushRunItems;
    pushRunItems = 0;
    engine.emit(new SyncEvent.RunFinished(id, RunKind.INVENTORY, started, now, items, false));
  }

  // ---- mirroring -------------------------------------------------------------------------------

  void requestMirror() {
    schedule(Task.MIRROR, Duration.ZERO);
  }

  /** A mirror in progress: the figures to read, read in chunks paced to the channel's budget. */
  private static final class MirrorRun {
    final Instant startedAt;
    final Map<String, String> warehouseByLocation;
    final List<StockRef> refs;
    final Map<StockRef, ListingRecord> owner;
    final Map<StockRef, Long> figures = new HashMap<>();
    int next;

    MirrorRun(Instant startedAt, Map<String, String> warehouseByLocation, List<StockRef> refs,
        Map<StockRef, ListingRecord> owner) {
      this.startedAt = startedAt;
      this.warehouseByLocation = warehouseByLocation;
      this.refs = refs;
      this.owner = owner;
    }
  }

  /** Copies the store's figures of STORE-master (or read-only) locations into their warehouse. */
  private void mirror(boolean readOnly) {
    if (!active(SyncStatus.SYNC_ON)) {
      return;
    }
    Task task = readOnly ? Task.READ_ONLY_COPY : Task.MIRROR;
    MirrorRun run = mirrorRuns.get(task);
    if (run == null) {
      run = startMirror(readOnly);
      if (run == null) {
        return;
      }
      mirrorRuns.put(task, run);
    }
    try {
      int chunk = Math.max(1, connector.capabilities().maxBatchSize());
      while (run.next < run.refs.size()) {
        List<StockRef> part = run.refs.subList(run.next, Math.min(run.refs.size(), run.next + chunk));
        Duration wait = connector.pacingDelay(ChannelCall.QUANTITIES, part.size());
        if (!wait.isZero() && !wait.isNegative()) {
          schedule(task, wait);
          return;
        }
        run.figures.putAll(call(() -> connector.readQuantities(part)));
        run.next += part.size();
      }
      mirrorRuns.remove(task);
      MirrorRun done = run;
      int copied = engine.inventory().transact(tx -> {
      fence(tx.store());
        int n = 0;
        Set<String> seen = new HashSet<>();
        for (StockRef ref : done.refs) {
          Long figure = done.figures.get(ref);
          ListingRecord l = done.owner.get(ref);
          if (figure == null || l == null || tx.store().listing(id, l.listingId()).isEmpty()) {
            continue;
          }
          tx.store().putKnownQuantity(id, l.listingId(), ref.locationId(), figure);
          String warehouse = done.warehouseByLocation.get(ref.locationId());
          Product product = tx.store().product(l.sku()).orElse(null);
          // One figure per SKU and warehouse: listings sharing a SKU share stock.
          if (product == null || product.isBundle() || !seen.add(l.sku() + "\u0000" + warehouse)) {
            continue;
          }
          long available = tx.store().stockLevel(l.sku(), warehouse)
              .map(StockLevel::available).orElse(Long.MIN_VALUE);
          if (available != figure) {
            tx.apply(new InventoryOperation.CopyFromStore(l.sku(), warehouse, Math.max(0, figure),
                id + "/" + ref.locationId(), null));
            n++;
          }
        }
        return n;
      });
      Instant now = engine.clock().instant();
      engine.store().write(tx -> {
      fence(tx);
        StoreRecord r = tx.store(id).orElseThrow();
        tx.putStore(readOnly ? r.withMirror(r.lastMirror(), now) : r.withMirror(now, r.lastReadOnlyCopy()));
        return null;
      });
      mirrorFailures = 0;
      engine.emit(new SyncEvent.RunFinished(id, RunKind.MIRROR, done.startedAt, now, copied, readOnly));
      schedule(task, readOnly ? engine.options().readOnlyCopyInterval()
          : engine.options().mirrorInterval());
    } catch (RuntimeException e) {
      // Figures read so far are kept: the retry continues where this attempt stopped.
      Duration retry = failed(RunKind.MIRROR, e, ++mirrorFailures);
      if (retry != null) {
        schedule(task, retry);
      } else {
        mirrorRuns.remove(task);
      }
    }
  }

  private @Nullable MirrorRun startMirror(boolean readOnly) {
    Set<String> readOnlyIds = readOnlyLocations();
    Map<String, String> warehouseByLocation = new HashMap<>();
    for (LocationMapping m : engine.store().read(r -> r.mappings(id))) {
      boolean ro = readOnlyIds.contains(m.locationId());
      if (ro == readOnly && (ro || m.master() == InventoryMaster.STORE)) {
        warehouseByLocation.put(m.locationId(), m.warehouseIds().get(0));
      }
    }
    if (warehouseByLocation.isEmpty()) {
      return null;
    }
    List<StockRef> refs = new ArrayList<>();
    Map<StockRef, ListingRecord> owner = new LinkedHashMap<>();
    engine.store().read(r -> {
      for (ListingRecord l : r.listings(id)) {
        for (String location : warehouseByLocation.keySet()) {
          // Only figures the listing has at that location: reading the rest wastes budget.
          if (r.knownQuantity(id, l.listingId(), location).isEmpty()) {
            continue;
          }
          StockRef ref = new StockRef(l.inventoryRef(), location);
          if (owner.putIfAbsent(ref, l) == null) {
            refs.add(ref);
          }
        }
      }
      return null;
    });
    return new MirrorRun(engine.clock().instant(), warehouseByLocation, refs, owner);
  }

  // ---- re-reading figures the store moved itself -----------------------------------------------

  /** A re-read in progress: the figures of changed SKUs' listings, read in paced batches. */
  private static final class RecheckRun {
    final Set<Sku> skus;
    final List<StockRef> refs;
    final Map<StockRef, ListingRecord> owner;
    int next;

    RecheckRun(Set<Sku> skus, List<StockRef> refs, Map<StockRef, ListingRecord> owner) {
      this.skus = skus;
      this.refs = refs;
      this.owner = owner;
    }
  }

  /**
   * Re-reads the hub-mastered figures of listings whose SKU had an order change on this store
   * and records them as known, then re-plans those SKUs. An order sync tells the hub what the
   * store sold or restocked, not what the listing now shows: a sale and a cancel read together
   * net to no change in the hub while the store shows one less, and a cancel the store restocks
   * itself can show a unit the hub does not have. Runs on the lane, so no push of this store is
   * sent between a read and its recording; a figure with a push on its way is left to that push.
   *
   * <p>On a store with a scarce request quota ({@link ChannelConnector#requestBudget()}) a push
   * to the figure counts as its re-read: the push is compare-and-set (or re-reads before
   * writing), so its answer, confirmed or stale with the actual figure, tells what the store
   * shows. Figures a push answered since their order changed are not read, and figures with a
   * push queued are left to it, forced so that it is sent even if the hub's figure comes back to
   * the confirmed one (the sale and cancel above). Only the rest is read.
   */
  private void recheck() {
    if (!active(SyncStatus.SYNC_ON)) {
      recheckSkus.clear();
      recheckRun = null;
      return;
    }
    RecheckRun run = recheckRun;
    if (run == null) {
      if (recheckSkus.isEmpty()) {
        return;
      }
      run = startRecheck(new LinkedHashSet<>(recheckSkus),
          connector.requestBudget().isPresent() && connector.capabilities().compareAndSet());
      recheckSkus.clear();
      recheckRun = run;
    }
    try {
      int chunk = Math.max(1, connector.capabilities().maxBatchSize());
      while (run.next < run.refs.size()) {
        List<StockRef> part = List.copyOf(
            run.refs.subList(run.next, Math.min(run.refs.size(), run.next + chunk)));
        Duration wait = connector.pacingDelay(ChannelCall.QUANTITIES, part.size());
        if (!wait.isZero() && !wait.isNegative()) {
          schedule(Task.RECHECK, wait);
          return;
        }
        Map<StockRef, Long> figures = call(() -> connector.readQuantities(part));
        RecheckRun current = run;
        engine.atomically(() -> engine.store().write(tx -> {
          for (StockRef ref : part) {
            Long figure = figures.get(ref);
            ListingRecord l = current.owner.get(ref);
            // A figure with a push on its way is settled by that push (or its verification).
            if (figure == null || l == null || tx.listing(id, l.listingId()).isEmpty()
                || queue.sendingQuantity(l.listingId(), ref) != null) {
              continue;
            }
            tx.putKnownQuantity(id, l.listingId(), ref.locationId(), figure);
          }
          return null;
        }));
        run.next += part.size();
      }
      recheckRun = null;
      recheckFailures = 0;
      if (!run.refs.isEmpty()) {
        engine.markDirty(run.skus, true); // re-plan against what was read
      }
      if (!recheckSkus.isEmpty()) {
        schedule(Task.RECHECK, Duration.ZERO);
      }
    } catch (RuntimeException e) {
      // Figures recorded so far stay; the retry continues where this attempt stopped.
      Duration retry = failed(RunKind.INVENTORY, e, ++recheckFailures);
      if (retry != null) {
        schedule(Task.RECHECK, retry);
      } else {
        recheckRun = null;
      }
    }
  }

  private RecheckRun startRecheck(Set<Sku> skus, boolean pushesAnswer) {
    Set<String> readOnlyIds = readOnlyLocations();
    Set<String> pushed = new HashSet<>();
    for (LocationMapping m : engine.store().read(r -> r.mappings(id))) {
      if (m.master() == InventoryMaster.HUB && !readOnlyIds.contains(m.locationId())) {
        pushed.add(m.locationId());
      }
    }
    List<StockRef> refs = new ArrayList<>();
    Map<StockRef, ListingRecord> owner = new LinkedHashMap<>();
    engine.store().read(r -> {
      for (ListingRecord l : r.listings(id)) {
        if (!skus.contains(l.sku())) {
          continue;
        }
        for (String location : pushed) {
          if (r.knownQuantity(id, l.listingId(), location).isEmpty()) {
            continue; // never pushed there: nothing the engine could trust wrongly
          }
          StockRef ref = new StockRef(l.inventoryRef(), location);
          if (pushesAnswer && (checkedByPush.getOrDefault(l.sku(), Set.of()).contains(ref)
              || queue.standIn(l.listingId(), ref))) {
            continue; // a push answered it since, or will
          }
          if (owner.putIfAbsent(ref, l) == null) {
            refs.add(ref);
          }
        }
      }
      return null;
    });
    checkedByPush.keySet().removeAll(skus);
    return new RecheckRun(skus, refs, owner);
  }
}
