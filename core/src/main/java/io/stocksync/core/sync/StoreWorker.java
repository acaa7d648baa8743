package io.stocksync.core.sync;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
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
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.internal.Backoff;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.SyncEvent.RunKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All work for one store: listing sync, order sync, pushes and mirroring. Every entry point is
 * {@code synchronized}, so a store's work never overlaps while different stores run in parallel.
 * Connector calls that must wait for the channel's budget are rescheduled on the scheduler,
 * never slept through.
 */
final class StoreWorker {
  private static final Logger log = LoggerFactory.getLogger(StoreWorker.class);

  /** The worker's kinds of scheduled task; at most one of each is pending. */
  enum Task { ORDERS, LISTINGS, PUSH, MIRROR, READ_ONLY_COPY }

  private final StockSync engine;
  final StoreId id;
  private ChannelConnector connector;
  final PushQueue queue = new PushQueue();
  private final Map<Task, SyncScheduler.Cancellable> tasks = new EnumMap<>(Task.class);
  private final Map<Task, Instant> taskDue = new EnumMap<>(Task.class);
  private boolean stopped;

  private @Nullable OrderRun orderRun;
  private @Nullable ListingRun listingRun;
  private boolean fullListingRequested;
  private @Nullable Instant blockedUntil;
  private @Nullable Instant lastPushCallAt;
  private int orderFailures;
  private int listingFailures;
  private final Set<Sku> staleSkus = new LinkedHashSet<>();
  // Set while a push run is open (pushes queued and not all confirmed), for its RunFinished.
  private @Nullable Instant pushRunStartedAt;
  private int pushRunItems;

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

  synchronized ChannelConnector connector() {
    return connector;
  }

  synchronized void replaceConnector(ChannelConnector replacement) {
    if (replacement != connector) {
      ChannelConnector old = connector;
      connector = replacement;
      try {
        old.close();
      } catch (RuntimeException e) {
        log.warn("closing the previous connector of {} failed", id, e);
      }
    }
    stopped = false;
  }

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

  // ---- scheduling ------------------------------------------------------------------------------

  /** Starts the store's regular work according to its status. */
  synchronized void start(boolean resumeNow) {
    stopped = false;
    StoreRecord rec = record();
    if (rec.status() == SyncStatus.NEEDS_REAUTH || rec.status() == SyncStatus.DISCONNECTED) {
      return;
    }
    schedule(Task.LISTINGS, resumeNow ? Duration.ZERO : engine.options().listingSyncInterval());
    if (rec.status() == SyncStatus.SYNC_ON) {
      schedule(Task.ORDERS, resumeNow ? Duration.ZERO : engine.options().orderSyncInterval());
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

  /** Stops all scheduled work; queued pushes are kept. */
  synchronized void stop() {
    stopped = true;
    for (SyncScheduler.Cancellable c : tasks.values()) {
      c.cancel();
    }
    tasks.clear();
    taskDue.clear();
    orderRun = null;
    if (listingRun != null && listingRun.full) {
      fullListingRequested = true; // the refresh the host asked for still happens
    }
    listingRun = null;
  }

  /** Schedules a task unless one of its kind is already due no later. */
  synchronized void schedule(Task task, Duration delay) {
    if (stopped || engine.isClosed()) {
      return;
    }
    Instant due = engine.clock().instant().plus(delay);
    Instant current = taskDue.get(task);
    if (current != null && !current.isAfter(due)) {
      return;
    }
    SyncScheduler.Cancellable previous = tasks.remove(task);
    if (previous != null) {
      previous.cancel();
    }
    taskDue.put(task, due);
    tasks.put(task, engine.scheduler().schedule(delay, () -> run(task)));
  }

  private void run(Task task) {
    synchronized (this) {
      tasks.remove(task);
      taskDue.remove(task);
      if (stopped || engine.isClosed()) {
        return;
      }
      switch (task) {
        case ORDERS:
          syncOrders();
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
        default:
          throw new IllegalStateException(task.name());
      }
    }
  }

  // ---- failures --------------------------------------------------------------------------------

  /** Handles a failed step; returns the retry delay, or null when the step waits for its cycle. */
  private @Nullable Duration failed(RunKind kind, RuntimeException e, int attempt) {
    if (e instanceof CredentialsException) {
      needsReauth(e.getMessage());
      return null;
    }
    Duration retry;
    if (e instanceof RetryLaterException) {
      retry = backoff(attempt, ((RetryLaterException) e).retryAfter().orElse(null));
    } else if (e instanceof ChannelException) {
      retry = backoff(attempt, null);
    } else {
      log.error("{} {} sync failed", id, kind, e);
      retry = backoff(attempt, null);
    }
    String message = String.valueOf(e.getMessage());
    engine.store().write(tx -> {
      tx.store(id).ifPresent(r -> tx.putStore(r.withLastError(kind + ": " + message)));
      return null;
    });
    log.warn("{} {} sync failed, retrying in {}: {}", id, kind, retry, message);
    engine.emit(new SyncEvent.Failure(id, kind, message, retry));
    return retry;
  }

  Duration backoff(int attempt, @Nullable Duration retryAfter) {
    return Backoff.delay(attempt, retryAfter, engine.options().retryInitialBackoff(),
        engine.options().retryMaxBackoff(), ThreadLocalRandom.current().nextDouble());
  }

  synchronized void needsReauth(@Nullable String reason) {
    SyncStatus from = engine.store().write(tx -> {
      StoreRecord r = tx.store(id).orElseThrow();
      if (r.status() == SyncStatus.NEEDS_REAUTH || r.status() == SyncStatus.DISCONNECTED) {
        return null;
      }
      tx.putStore(r.withStatus(SyncStatus.NEEDS_REAUTH).withLastError("credentials refused"));
      return r.status();
    });
    stop();
    if (from != null) {
      log.warn("{} needs re-authorisation: {}", id, reason);
      engine.emit(new SyncEvent.StatusChanged(id, from, SyncStatus.NEEDS_REAUTH,
          reason == null ? "credentials refused" : reason));
    }
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

  synchronized void requestListingSync(boolean full) {
    if (full) {
      fullListingRequested = true;
    }
    schedule(Task.LISTINGS, Duration.ZERO);
  }

  private void syncListings() {
    if (!active(SyncStatus.CONNECTED, SyncStatus.SYNC_ON)) {
      return;
    }
    StoreRecord rec = record();
    ListingRun run = listingRun;
    if (run == null || (fullListingRequested && !run.full)) {
      boolean full = fullListingRequested || rec.listingCursor() == null;
      fullListingRequested = false;
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
        Page<ChannelListing> page = connector.listings(
            new ListingQuery(run.since, rec.options().includeDrafts(), run.token));
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
      Duration retry = failed(RunKind.LISTINGS, e, ++listingFailures);
      if (retry != null) {
        if (run.full) {
          fullListingRequested = true;
        }
        schedule(Task.LISTINGS, retry);
      }
    }
  }

  private void importListings(StoreRecord rec, ListingRun run, List<ChannelListing> items) {
    boolean syncOn = rec.status() == SyncStatus.SYNC_ON;
    Set<Sku> awaiting = new LinkedHashSet<>();
    Set<Sku> changed = new LinkedHashSet<>();
    List<SyncEvent> untracked = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    engine.inventory().transact(tx -> {
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
        if (tx.store().product(l.sku()).isEmpty()) {
          tx.store().putProduct(new Product(l.sku(), l.title(), List.of()));
          if (syncOn) {
            awaiting.add(l.sku());
          }
        }
        ListingRecord previous = tx.store().listing(id, l.listingId()).orElse(null);
        ListingRecord next = new ListingRecord(id, l.listingId(), l.inventoryRef(), l.sku(),
            l.status(), l.title(), l.tracked());
        if (!next.equals(previous)) {
          if (!l.tracked() && (previous == null || previous.tracked())) {
            untracked.add(new SyncEvent.Untracked(id, l.listingId(), l.sku()));
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
    untracked.forEach(engine::emit);
    if (syncOn && !changed.isEmpty()) {
      engine.markDirty(changed, false);
    }
  }

  private void finishListings(ListingRun run) {
    Instant now = engine.clock().instant();
    List<ListingRecord> removed = new ArrayList<>();
    Map<Sku, List<String>> bySku = new LinkedHashMap<>();
    engine.store().write(tx -> {
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
    }
    try {
      while (true) {
        Duration wait = connector.pacingDelay(ChannelCall.ORDERS, 0);
        if (!wait.isZero() && !wait.isNegative()) {
          schedule(Task.ORDERS, wait);
          return;
        }
        Page<ChannelOrder> page = connector.orders(new OrderQuery(run.since, run.token));
        List<LocationMapping> mappings = engine.store().read(r -> r.mappings(id));
        for (ChannelOrder order : page.items()) {
          run.seen++;
          if (run.maxUpdated == null || order.updatedAt().isAfter(run.maxUpdated)) {
            run.maxUpdated = order.updatedAt();
          }
          OrderApplier.Outcome outcome = engine.inventory().transact(
              tx -> OrderApplier.apply(tx, id, syncOnAt, mappings, order));
          if (outcome.applied) {
            run.applied++;
            ordersApplied.incrementAndGet();
          }
          for (SyncEvent e : outcome.events) {
            engine.emit(e);
          }
          if (!outcome.priority.isEmpty()) {
            engine.markDirty(outcome.priority, true);
          }
        }
        if (!page.hasNext()) {
          break;
        }
        run.token = page.nextPageToken();
      }
      Instant now = engine.clock().instant();
      OrderRun done = run;
      // The cursor moves only now that every order up to it is stored.
      engine.store().write(tx -> {
        StoreRecord r = tx.store(id).orElseThrow();
        Instant cursor = r.orderCursor();
        if (done.maxUpdated != null && (cursor == null || done.maxUpdated.isAfter(cursor))) {
          cursor = done.maxUpdated;
        }
        tx.putStore(r.withOrderSync(cursor, now));
        return null;
      });
      orderRun = null;
      orderFailures = 0;
      engine.emit(new SyncEvent.RunFinished(id, RunKind.ORDERS, run.startedAt, now, run.applied,
          false));
      afterOrderSync();
      schedule(Task.ORDERS, engine.options().orderSyncInterval());
    } catch (RuntimeException e) {
      orderRun = null;
      Duration retry = failed(RunKind.ORDERS, e, ++orderFailures);
      afterOrderSync();
      if (retry != null) {
        schedule(Task.ORDERS, retry);
      }
    }
  }

  private void afterOrderSync() {
    if (!staleSkus.isEmpty()) {
      engine.markDirty(new LinkedHashSet<>(staleSkus), true);
      staleSkus.clear();
    }
    engine.planNow();
    // The periodic inventory cycle: whatever differs from the last confirmed push is queued,
    // whatever the reason it was missed.
    engine.scheduleReconcile(id);
  }

  synchronized void requestOrderSync() {
    schedule(Task.ORDERS, Duration.ZERO);
  }

  // ---- pushes ----------------------------------------------------------------------------------

  synchronized void enqueue(List<PlannedPush> pushes, boolean force, Set<Sku> priority) {
    Instant now = engine.clock().instant();
    for (PlannedPush p : pushes) {
      if (force || p.changes()) {
        queue.offer(p, force, priority.contains(p.sku()), now);
      } else {
        queue.cancel(p);
      }
    }
    if (queue.size() > 0) {
      if (pushRunStartedAt == null) {
        pushRunStartedAt = now;
        pushRunItems = 0;
      }
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
    List<PushQueue.Pending> ready = queue.peekReady(now, max);
    if (ready.isEmpty()) {
      queue.nextReadyAt().ifPresentOrElse(
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
    engine.store().read(r -> {
      for (PushQueue.Pending p : ready) {
        OptionalLong known = r.knownQuantity(id, p.push.listingId(), p.push.ref().locationId());
        if (r.listing(id, p.push.listingId()).isEmpty()) {
          queue.complete(p);
          continue;
        }
        Long expected = known.isPresent() ? known.getAsLong() : null;
        if (!p.force && expected != null && expected == p.push.quantity()) {
          queue.complete(p); // already there: nothing to send
          continue;
        }
        batch.add(p);
        items.add(new PushItem(p.push.ref(), p.push.quantity(), expected, p.keyFor(expected)));
      }
      return null;
    });
    if (items.isEmpty()) {
      schedule(Task.PUSH, Duration.ZERO);
      return;
    }
    queue.markInFlight(batch);
    lastPushCallAt = now;
    List<PushResult> results;
    try {
      results = connector.push(items);
      if (results.size() != items.size()) {
        throw new ChannelException("connector " + id + " returned " + results.size()
            + " results for " + items.size() + " items", null);
      }
    } catch (RuntimeException e) {
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
        log.error("{} push failed unexpectedly", id, e);
      }
      // One delay for the whole batch, so it is retried as a batch instead of splintering into
      // many small calls, each jittered differently.
      Instant retryAt = now.plus(backoff(maxAttempts(batch) + 1, retryAfter));
      for (PushQueue.Pending p : batch) {
        queue.retry(p, retryAt);
      }
      retries.addAndGet(batch.size());
      pushBatches.incrementAndGet();
      engine.emit(new SyncEvent.PushBatch(id, batch.size(), 0, 0, 0, batch.size()));
      engine.emit(new SyncEvent.Failure(id, RunKind.INVENTORY, String.valueOf(e.getMessage()),
          Duration.between(now, queue.nextReadyAt().orElse(now))));
      schedule(Task.PUSH, Duration.between(now, queue.nextReadyAt().orElse(now)));
      return;
    }
    Instant retryAt = null;
    int confirmed = 0;
    int stale = 0;
    int rejected = 0;
    int retrying = 0;
    engine.store().write(tx -> {
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
      return null;
    });
    for (int i = 0; i < batch.size(); i++) {
      PushQueue.Pending p = batch.get(i);
      PushResult result = results.get(i);
      if (result instanceof PushResult.Confirmed) {
        confirmed++;
        queue.complete(p);
      } else if (result instanceof PushResult.Accepted) {
        // Queued by the channel, not applied: nothing becomes known until a read shows it.
        queue.accepted(p, now.plus(((PushResult.Accepted) result).verifyAfter()));
      } else if (result instanceof PushResult.Stale) {
        stale++;
        queue.complete(p);
        staleSkus.add(p.push.sku());
      } else if (result instanceof PushResult.Rejected) {
        rejected++;
        queue.complete(p);
        engine.emit(new SyncEvent.Failure(id, RunKind.INVENTORY, "push of " + p.push.sku()
            + " to " + p.push.ref() + " rejected: " + ((PushResult.Rejected) result).reason(),
            null));
      } else {
        retrying++;
        PushResult.Retryable r = (PushResult.Retryable) result;
        if (retryAt == null) {
          retryAt = now.plus(backoff(maxAttempts(batch) + 1, r.retryAfter()));
        }
        if (r.retryAfter() != null) {
          // The channel asked for a pause: it holds for the whole store, not just this item.
          Instant until = now.plus(r.retryAfter());
          if (blockedUntil == null || until.isAfter(blockedUntil)) {
            blockedUntil = until;
          }
        }
        queue.retry(p, retryAt);
      }
    }
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
   * Reads back the figures of accepted pushes: those that show the accepted quantity become
   * known and count as confirmed; the others are pushed again.
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
    queue.markInFlight(due);
    Map<StockRef, Long> figures;
    try {
      figures = connector.readQuantities(refs);
    } catch (RuntimeException e) {
      if (e instanceof CredentialsException) {
        due.forEach(p -> queue.accepted(p, now));
        needsReauth(e.getMessage());
        return;
      }
      Duration retry = backoff(maxAttempts(due) + 1,
          e instanceof RetryLaterException ? ((RetryLaterException) e).retryAfter().orElse(null) : null);
      due.forEach(p -> queue.accepted(p, now.plus(retry)));
      engine.emit(new SyncEvent.Failure(id, RunKind.INVENTORY, String.valueOf(e.getMessage()), retry));
      schedule(Task.PUSH, retry);
      return;
    }
    List<PushQueue.Pending> landed = new ArrayList<>();
    engine.store().write(tx -> {
      for (PushQueue.Pending p : due) {
        Long figure = figures.get(p.push.ref());
        if (figure != null && figure == p.push.quantity()
            && tx.listing(id, p.push.listingId()).isPresent()) {
          tx.putKnownQuantity(id, p.push.listingId(), p.push.ref().locationId(), figure);
          landed.add(p);
        }
      }
      return null;
    });
    Instant again = null;
    for (PushQueue.Pending p : due) {
      if (landed.contains(p)) {
        queue.complete(p);
      } else {
        if (again == null) {
          again = now.plus(backoff(maxAttempts(due) + 1, null));
        }
        queue.notLanded(p, again);
      }
    }
    pushesConfirmed.addAndGet(landed.size());
    pushRunItems += landed.size();
    int missing = due.size() - landed.size();
    retries.addAndGet(missing);
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
    Instant started = pushRunStartedAt;
    if (started == null) {
      return;
    }
    pushRunStartedAt = null;
    Instant now = engine.clock().instant();
    engine.store().write(tx -> {
      tx.store(id).ifPresent(r -> tx.putStore(r.withInventorySync(now)));
      return null;
    });
    engine.emit(new SyncEvent.RunFinished(id, RunKind.INVENTORY, started, now, pushRunItems,
        false));
  }


  // ---- mirroring -------------------------------------------------------------------------------

  synchronized void requestMirror() {
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

  private final Map<Task, MirrorRun> mirrorRuns = new EnumMap<>(Task.class);

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
        run.figures.putAll(connector.readQuantities(part));
        run.next += part.size();
      }
      mirrorRuns.remove(task);
      MirrorRun done = run;
      int copied = engine.inventory().transact(tx -> {
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
        StoreRecord r = tx.store(id).orElseThrow();
        tx.putStore(readOnly ? r.withMirror(r.lastMirror(), now) : r.withMirror(now, r.lastReadOnlyCopy()));
        return null;
      });
      engine.emit(new SyncEvent.RunFinished(id, RunKind.MIRROR, done.startedAt, now, copied, readOnly));
      schedule(task, readOnly ? engine.options().readOnlyCopyInterval()
          : engine.options().mirrorInterval());
    } catch (RuntimeException e) {
      // Figures read so far are kept: the retry continues where this attempt stopped.
      Duration retry = failed(RunKind.MIRROR, e, 1);
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
}
