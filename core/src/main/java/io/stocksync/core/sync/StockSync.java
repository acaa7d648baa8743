package io.stocksync.core.sync;

import io.stocksync.core.ActionTooSoonException;
import io.stocksync.core.ChannelException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.Inventory;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.UnknownStoreException;
import io.stocksync.core.UnknownWarehouseException;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ConnectorConfig;
import io.stocksync.core.channel.StoreIdentity;
import io.stocksync.core.internal.Checks;
import io.stocksync.core.store.ChangeSource;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.LeaseKeeper;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.StoreLease;
import io.stocksync.core.store.StoreLeases;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.store.StoreTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import io.stocksync.core.internal.Redaction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory hub and sync engine in one facade.
 *
 * <pre>{@code
 * StockSync hub = StockSync.builder().build();          // in-memory store, 2 scheduler threads
 * hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
 * StoreId shop = hub.connect(connector, StoreOptions.DEFAULT).store();  // listing sync starts
 * // ... once the first listing sync has finished (SyncEvent.RunFinished of kind LISTINGS):
 * TurnOnSyncPlan plan = hub.prepareTurnOnSync(shop,
 *     TurnOnSyncChoices.builder().copyInventory(true).build());
 * System.out.println(plan.summary());                    // review, then confirm
 * hub.turnOnSync(plan);
 * hub.inventory().adjust(Sku.of("APPLE"), "main", 5, "found");  // pushed to every store
 * }</pre>
 *
 * <p>Stock changes (hub operations and imported orders) are planned after a short debounce and
 * pushed through a per-store queue that coalesces, batches to the channel's size, paces to its
 * budget and retries with backoff. Orders are imported every {@link
 * SyncOptions#orderSyncInterval()} and applied exactly once per version. All state lives in the
 * {@link InventoryStore}; a new {@code StockSync} over the same store resumes where the last one
 * stopped (it re-derives queued pushes by comparing desired and last confirmed quantities).
 *
 * <p>Threads: each store's work (listing and order sync, pushes, mirroring) runs in its own
 * serial lane on a network executor (see {@link Builder#networkExecutor}), so one slow, hung or
 * rate-limited store never delays another; the scheduler only fires timers and plans. No lock is
 * held across a connector call, a call that exceeds {@link SyncOptions#callTimeout()} is
 * interrupted, and every periodic task reschedules itself whatever its step threw. Planning is one
 * atomic step against each store's desired state, so a change planned while a push is in flight
 * is pushed after it, never lost.
 *
 * <p>Thread-safe. {@link #close()} stops scheduled work after the running step.
 */
public final class StockSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StockSync.class);

  private final InventoryStore store;
  private final Clock clock;
  private final SyncScheduler scheduler;
  private final boolean ownsScheduler;
  private final SyncOptions options;
  private final @Nullable RandomGenerator jitter;
  private final Inventory inventory;
  private final List<SyncListener> listeners;
  private final Map<String, ChannelConnectorFactory> factories;
  private final Map<StoreId, StoreWorker> workers = new ConcurrentHashMap<>();

  private final Object planLock = new Object();
  // The desired-state lock: planning (read the hub, offer to the queues) is one atomic step, and
  // so is settling a push (write what became known, complete the send). Held only for memory and
  // store work, never across a connector call. Each planning step gets the next generation.
  private final Object desiredLock = new Object();
  private long generation;
  private volatile int planFailures;
  // Runs the stores' lanes: every connector call happens there, never on the scheduler's threads.
  private final Executor lanes;
  private final @Nullable ExecutorService ownedLanes;
  private final Set<Sku> dirty = new LinkedHashSet<>();
  private final Set<Sku> priority = new LinkedHashSet<>();
  private SyncScheduler.@Nullable Cancellable planTask;
  private @Nullable Instant planDue;
  private volatile boolean closed;
  /** Null when this is the only instance: every store is then owned, with no fencing. */
  private final @Nullable LeaseKeeper keeper;
  private final @Nullable StoreLeases leases;
  private final String instanceId;
  private final Duration leaseTime;
  private final @Nullable ChangeSource changes;
  private final Duration changePollInterval;
  /** Serializes polls of {@link #changes}: by the interval loop and by wakes of its fast path. */
  private final Object changeLock = new Object();
  private final AtomicBoolean changeWakeQueued = new AtomicBoolean();
  private volatile ChangeSource.@Nullable Subscription changeSubscription;

  private StockSync(Builder b) {
    this.store = b.store != null ? b.store : new InMemoryInventoryStore();
    this.clock = b.clock;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = b.scheduler != null ? b.scheduler : new ExecutorSyncScheduler(2);
    this.options = b.options;
    this.jitter = b.jitter;
    if (b.networkExecutor != null) {
      this.lanes = b.networkExecutor;
      this.ownedLanes = null;
    } else if (ownsScheduler) {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(b.networkThreads, b.networkThreads, 30,
          TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("stocksync-net-"));
      pool.allowCoreThreadTimeOut(true);
      this.lanes = pool;
      this.ownedLanes = pool;
    } else {
      // A host's scheduler runs the lanes too (deterministic under a virtual scheduler); give
      // the builder a network executor to keep slow stores off the scheduler's threads.
      SyncScheduler s = this.scheduler;
      this.lanes = task -> s.schedule(Duration.ZERO, task);
      this.ownedLanes = null;
    }
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.factories = new LinkedHashMap<>(b.factories);
    this.inventory = Inventory.create(store, clock);
    inventory.addChangeListener(skus -> markDirty(skus, false));
    this.leaseTime = b.leaseTime;
    this.leases = b.leases;
    this.instanceId = b.instanceId;
    this.keeper = b.leases == null ? null
        : new LeaseKeeper(b.leases, b.instanceId, b.leaseTime, clock);
    this.changes = b.changes;
    this.changePollInterval = b.changePollInterval;
  }

  // ---- leases and changes made elsewhere ---------------------------------------------------------

  /** True if stores are shared with other instances through leases (and writes are fenced). */
  boolean leased() {
    return keeper != null;
  }

  /**
   * Renews, balances and takes this instance's leases, then starts the workers of stores newly
   * owned (re-deriving their pushes from the store) and stops those whose lease was lost.
   */
  void tickLeases() {
    LeaseKeeper k = keeper;
    if (k == null || closed) {
      return;
    }
    // From the scheduler and from connect(): one tick at a time, so a worker is started once.
    synchronized (k) {
      tickLeasesLocked(k);
    }
  }

  private void tickLeasesLocked(LeaseKeeper k) {
    Map<StoreId, StoreLease> held = k.tick(new ArrayList<>(workers.keySet()));
    List<StoreWorker> owned = new ArrayList<>();
    for (StoreWorker w : workers.values()) {
      StoreLease now = held.get(w.id);
      StoreLease before = w.lease;
      if (now != null) {
        w.lease = now;
        if (before == null || before.token() != now.token()) {
          log.info("{} owned by this instance (token {})", w.id, now.token());
          w.hostState = store.read(r -> HostState.of(r, w.id));
          w.start(true);
          if (record(w.id).status() == SyncStatus.SYNC_ON) {
            reconcile(w.id);
          }
        } else {
          owned.add(w);
        }
      } else if (before != null) {
        leaseLost(w, "lease not renewed");
      }
    }
    if (!owned.isEmpty()) {
      pickUpHostChanges(owned);
    }
  }

  /**
   * What host calls set on a store (status, sync window, options, mappings, a requested listing
   * refresh): an owner compares it at every lease tick with what it last acted on, so that a
   * call made on another instance (which writes only the store's rows) takes effect here.
   */
  record HostState(@Nullable SyncStatus status, @Nullable Instant syncOnAt,
      @Nullable StoreOptions options, @Nullable Instant listingHardRefresh,
      List<LocationMapping> mappings) {
    static HostState of(io.stocksync.core.store.StoreReader r, StoreId id) {
      StoreRecord rec = r.store(id).orElse(null);
      return rec == null ? new HostState(null, null, null, null, List.of())
          : new HostState(rec.status(), rec.syncOnAt(), rec.options(),
              rec.lastListingHardRefresh(), r.mappings(id));
    }
  }

  /** Applies, in the owner, what host calls on other instances changed since the last tick. */
  private void pickUpHostChanges(List<StoreWorker> owned) {
    Map<StoreId, HostState> now = store.read(r -> {
      Map<StoreId, HostState> out = new HashMap<>();
      for (StoreWorker w : owned) {
        out.put(w.id, HostState.of(r, w.id));
      }
      return out;
    });
    for (StoreWorker w : owned) {
      HostState before = w.hostState;
      HostState after = now.get(w.id);
      if (after == null || after.equals(before)) {
        continue;
      }
      w.hostState = after;
      if (before == null) {
        continue;
      }
      log.info("{} changed by a call on another instance; applying it here", w.id);
      applyHostChange(w, before, after);
    }
  }

  private void applyHostChange(StoreWorker w, HostState before, HostState after) {
    StoreId id = w.id;
    if (after.status() != before.status() && after.status() != null) {
      emit(new SyncEvent.StatusChanged(id, before.status(), after.status(),
          "changed on another instance"));
    }
    if (after.status() == SyncStatus.DISCONNECTED) {
      // As disconnect() does here: this instance lets the store go (its lease lapses).
      if (workers.remove(id, w)) {
        w.stop();
        w.queue.clear();
        w.closeQuietly(w.connector());
        StoreLease held = w.lease;
        w.lease = null;
        StoreLeases l = leases;
        if (held != null && l != null) {
          l.release(held);
        }
      }
      return;
    }
    StoreOptions options = after.options();
    if (options != null && !options.equals(before.options())) {
      w.connector().storeOptions(options);
    }
    boolean restart = after.status() != before.status()
        || !java.util.Objects.equals(after.syncOnAt(), before.syncOnAt())
        || !after.mappings().equals(before.mappings());
    if (restart && after.status() != SyncStatus.NEEDS_REAUTH) {
      w.stop();
      if (after.status() != SyncStatus.SYNC_ON) {
        w.queue.clear(); // sync turned off: queued pushes go, as in turnOffSync()
      }
      w.start(before.status() == SyncStatus.NEEDS_REAUTH);
    }
    if (!java.util.Objects.equals(after.listingHardRefresh(), before.listingHardRefresh())) {
      w.requestListingSync(true);
    }
    if (after.status() == SyncStatus.SYNC_ON) {
      reconcile(id);
    }
  }

  /**
   * Runs a host call's write of a store's rows (its record, locations, mappings). In the
   * instance holding the store's lease the write carries the lease's fencing token, checked in
   * the same transaction: if the lease moved to another instance meanwhile, nothing is written,
   * the store's work stops here and {@link io.stocksync.core.LeaseLostException} reaches the
   * host. In any other instance it writes only those rows, read and written in one transaction,
   * and the owner applies the change at its next lease tick.
   */
  private <T> T hostWrite(StoreId id, Function<? super Inventory.Transaction, ? extends T> work) {
    StoreWorker w = workers.get(id);
    StoreLease held = w == null ? null : w.lease;
    try {
      T result = inventory.transact(tx -> {
        if (held != null) {
          tx.store().requireLease(id, held.token());
        }
        return work.apply(tx);
      });
      if (held != null && w != null) {
        // The owner acts on its own call now, not again at its next tick.
        w.hostState = store.read(r -> HostState.of(r, id));
      }
      return result;
    } catch (io.stocksync.core.LeaseLostException e) {
      if (w != null) {
        leaseLost(w, "a host call's write was refused: " + e.getMessage());
      }
      throw e;
    }
  }

  /** Stops a store's work here: another instance owns it now. */
  void leaseLost(StoreWorker w, String why) {
    if (w.lease == null) {
      return;
    }
    w.lease = null;
    w.stop();
    log.warn("{} no longer owned by this instance ({}); its work stopped here", w.id, why);
  }

  /**
   * Gives this instance's leases up on close, so that the other instances take its stores at
   * their next tick rather than after the lease time. Best effort: a lease not released lapses.
   */
  private void releaseLeases() {
    StoreLeases l = leases;
    if (l == null) {
      return;
    }
    try {
      for (StoreWorker w : workers.values()) {
        StoreLease held = w.lease;
        w.lease = null;
        if (held != null) {
          l.release(held);
        }
      }
      l.acquire(StoreId.of(LeaseKeeper.PRESENCE_CHANNEL, instanceId), instanceId, leaseTime)
          .ifPresent(l::release);
    } catch (RuntimeException e) {
      log.warn("releasing store leases failed, they lapse instead: {}", e.getClass().getName());
    }
  }

  private void leaseLoop() {
    try {
      tickLeases();
    } catch (RuntimeException e) {
      // The database may be unreachable: the leases lapse and fencing refuses late writes, so
      // trying again at the next tick is safe.
      log.warn("renewing store leases failed: {}", e.getClass().getName());
    } finally {
      if (!closed) {
        scheduler.schedule(leaseTime.dividedBy(3), this::leaseLoop);
      }
    }
  }

  private void changeLoop() {
    try {
      pollChanges();
    } finally {
      if (!closed) {
        scheduler.schedule(changePollInterval, this::changeLoop);
      }
    }
  }

  private void pollChanges() {
    ChangeSource c = changes;
    try {
      synchronized (changeLock) {
        if (c != null && !closed) {
          markDirty(c.poll(), false);
        }
      }
    } catch (RuntimeException e) {
      log.warn("reading changes made elsewhere failed: {}", e.getClass().getName());
    }
  }

  /** The change source's fast path: one poll soon, however many wakes arrive meanwhile. */
  private void wakeForChanges() {
    if (!closed && changeWakeQueued.compareAndSet(false, true)) {
      scheduler.schedule(Duration.ZERO, () -> {
        changeWakeQueued.set(false);
        pollChanges();
      });
    }
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- accessors -------------------------------------------------------------------------------

  /**
   * Returns the hub's stock: define products and warehouses, adjust, receive, transfer, count.
   * Every change is planned and pushed to the stores that list the SKU.
   *
   * @return the inventory
   */
  public Inventory inventory() {
    return inventory;
  }

  InventoryStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  SyncScheduler scheduler() {
    return scheduler;
  }

  /** The source of retry jitter, a number in [0, 1) per draw. */
  double nextJitter() {
    // ThreadLocalRandom must be fetched on the thread that draws from it.
    return jitter != null ? jitter.nextDouble() : ThreadLocalRandom.current().nextDouble();
  }

  SyncOptions options() {
    return options;
  }

  boolean isClosed() {
    return closed;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Runs a store lane's turn on the network executor. */
  void runOnLane(Runnable task) {
    lanes.execute(task);
  }

  /** Runs a step against the stores' desired state atomically with planning. */
  <T> T atomically(Supplier<T> step) {
    synchronized (desiredLock) {
      return step.get();
    }
  }

  // ---- stores ----------------------------------------------------------------------------------

  /**
   * Connects a store, or reconnects it if it was connected before (credentials replaced,
   * mappings, listings, stock, queued pushes and sync state kept). Validates the credentials by
   * reading the store's identity and locations, then starts listing sync at once. Sync stays off
   * for a new store until {@link #turnOnSync}; a reconnected store returns to where it was.
   *
   * @param connector the store's connector
   * @param storeOptions the store's options
   * @return the store's status
   * @throws io.stocksync.core.CredentialsException if the channel refuses the credentials
   * @throws io.stocksync.core.RetryLaterException if the channel is unavailable
   * @throws ChannelException if the channel reports another store than the connector's id, or
   *     the connector failed in another way (its message redacted)
   * @throws InvalidInputException if an argument is null
   */
  public StoreStatus connect(ChannelConnector connector, StoreOptions storeOptions) {
    Checks.notNull(connector, "connector");
    Checks.notNull(storeOptions, "storeOptions");
    ensureOpen();
    StoreId id = connector.storeId();
    connector.storeOptions(storeOptions);
    StoreIdentity identity;
    List<ChannelLocation> locations;
    try {
      identity = connector.identity();
      if (!identity.id().equals(id)) {
        throw new ChannelException("connector for " + id + " reached store " + identity.id()
            + "; check its configuration", null);
      }
      locations = connector.locations();
    } catch (RuntimeException e) {
      // A transport library may quote the token in its message: the host gets a typed exception
      // whose message and cause chain passed the connector's redaction.
      throw Redaction.forHost(connector, e);
    }
    SyncStatus[] change = new SyncStatus[2];
    hostWrite(id, itx -> {
      StoreTransaction tx = itx.store();
      StoreRecord existing = tx.store(id).orElse(null);
      StoreRecord next;
      if (existing == null) {
        next = StoreRecord.connected(id, identity.name(), storeOptions);
      } else {
        next = existing.withNameAndOptions(identity.name(), storeOptions);
        if (existing.status() == SyncStatus.NEEDS_REAUTH) {
          next = next.withStatus(existing.syncOnAt() != null ? SyncStatus.SYNC_ON : SyncStatus.CONNECTED)
              .withLastError(null);
        } else if (existing.status() == SyncStatus.DISCONNECTED) {
          next = next.withStatus(SyncStatus.CONNECTED).withLastError(null);
        }
      }
      tx.putStore(next);
      tx.putLocations(id, locations);
      change[0] = existing == null ? null : existing.status();
      change[1] = next.status();
      return null;
    });
    StoreWorker worker = workers.compute(id, (k, w) -> {
      if (w == null) {
        return new StoreWorker(this, id, connector);
      }
      w.replaceConnector(connector);
      return w;
    });
    if (change[0] != change[1]) {
      emit(new SyncEvent.StatusChanged(id, change[0], change[1],
          change[0] == null ? "connected" : "reconnected"));
    }
    log.info("{} connected as '{}' with {} locations", id, identity.name(), locations.size());
    worker.start(true);
    if (keeper != null) {
      tickLeases(); // starts the worker here if this instance gets the store's lease
    } else if (change[1] == SyncStatus.SYNC_ON) {
      reconcile(id);
    }
    return status(id);
  }

  /**
   * Connects a store through a registered {@link ChannelConnectorFactory}.
   *
   * @param channel the channel name, e.g. {@code "shopify"}
   * @param config the connector's settings and secrets
   * @param storeOptions the store's options
   * @return the store's status
   * @throws InvalidInputException if no factory serves the channel or a setting is missing
   * @throws io.stocksync.core.CredentialsException if the channel refuses the credentials
   */
  public StoreStatus connect(String channel, ConnectorConfig config, StoreOptions storeOptions) {
    ChannelConnectorFactory factory = factories.get(Checks.notNull(channel, "channel"));
    if (factory == null) {
      throw new InvalidInputException("channel",
          "no connector factory for '" + channel + "'; registered: " + factories.keySet());
    }
    return connect(factory.create(Checks.notNull(config, "config")), storeOptions);
  }

  /**
   * Disconnects a store: nothing more is read or pushed and queued pushes are dropped. Its
   * listings, mappings and history stay; {@link #connect} brings it back with sync off.
   *
   * @param id the store
   * @throws UnknownStoreException if the store was never connected
   */
  public void disconnect(StoreId id) {
    StoreRecord rec = record(id);
    hostWrite(id, tx -> {
      tx.store().putStore(tx.store().store(id).orElseThrow().withSyncOff(SyncStatus.DISCONNECTED));
      return null;
    });
    StoreWorker worker = workers.remove(id);
    if (worker != null) {
      StoreLease held = worker.lease;
      worker.lease = null;
      StoreLeases l = leases;
      if (held != null && l != null) {
        l.release(held); // nothing left to own here
      }
    }
    if (worker != null) {
      worker.stop();
      worker.queue.clear();
      // A connector that fails to close must not leave the store half-disconnected.
      worker.closeQuietly(worker.connector());
    }
    emit(new SyncEvent.StatusChanged(id, rec.status(), SyncStatus.DISCONNECTED, "disconnected"));
  }

  /**
   * Replaces a store's options (drafts, stock rules). Listings and quantities are re-planned.
   *
   * @param id the store
   * @param storeOptions the new options
   * @throws UnknownStoreException if the store was never connected
   */
  public void updateOptions(StoreId id, StoreOptions storeOptions) {
    Checks.notNull(storeOptions, "storeOptions");
    record(id);
    hostWrite(id, itx -> {
      StoreTransaction tx = itx.store();
      StoreRecord r = tx.store(id).orElseThrow();
      tx.putStore(r.withNameAndOptions(r.name(), storeOptions));
      return null;
    });
    StoreWorker worker = workers.get(id);
    if (worker != null) {
      worker.connector().storeOptions(storeOptions);
    }
    reconcile(id);
  }

  /**
   * Returns a store's status and counters.
   *
   * @param id the store
   * @return the status
   * @throws UnknownStoreException if the store was never connected
   */
  public StoreStatus status(StoreId id) {
    StoreRecord r = record(id);
    int listings = store.read(tx -> tx.listingCount(id));
    StoreWorker w = workers.get(id);
    return new StoreStatus(id, r.name(), r.status(), w != null, r.syncOnAt(), r.lastOrderSync(),
        r.lastInventorySync(), r.lastListingSync(), listings, w == null ? 0 : w.queue.size(),
        w == null ? 0 : w.ordersApplied.get(), w == null ? 0 : w.pushesConfirmed.get(),
        w == null ? 0 : w.pushBatches.get(), w == null ? 0 : w.retries.get(),
        w == null ? 0 : w.staleResults.get(), r.lastError());
  }

  /**
   * Returns the status of every store ever connected, in connection order.
   *
   * @return the statuses
   */
  public List<StoreStatus> stores() {
    List<StoreStatus> out = new ArrayList<>();
    for (StoreRecord r : store.read(tx -> tx.stores())) {
      out.add(status(r.id()));
    }
    return out;
  }

  /**
   * Returns the listings imported from a store.
   *
   * @param id the store
   * @return the listings
   * @throws UnknownStoreException if the store was never connected
   */
  public List<ListingRecord> listings(StoreId id) {
    record(id);
    return store.read(tx -> tx.listings(id));
  }

  // ---- turn on sync ----------------------------------------------------------------------------

  /**
   * Previews turning sync on: nothing is changed. Review the plan, then pass it to {@link
   * #turnOnSync}.
   *
   * @param id the store
   * @param choices copy or not, and the choice per location
   * @return the preview
   * @throws UnknownStoreException if the store is unknown or has no connector attached
   * @throws InvalidInputException if a choice names an unknown location or warehouse, the store
   *     needs re-authorisation, or its first listing sync has not finished yet
   */
  public TurnOnSyncPlan prepareTurnOnSync(StoreId id, TurnOnSyncChoices choices) {
    Checks.notNull(choices, "choices");
    requireWorker(id);
    if (record(id).lastListingSync() == null) {
      // A plan made now would find no listings, copy nothing and leave them waiting for stock.
      throw new InvalidInputException("store", "'" + id + "' is still importing its listings;"
          + " prepare the plan after its first listing sync (SyncEvent.RunFinished, LISTINGS)");
    }
    try {
      inventory.transact(tx -> {
        throw new Preview(buildPlan(tx, id, choices, syncOnInstant(), new ArrayList<>()));
      });
    } catch (Preview p) {
      return p.plan;
    }
    throw new IllegalStateException("unreachable");
  }

  /** Carries a preview out of a transaction that must roll back. */
  private static final class Preview extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient TurnOnSyncPlan plan;

    Preview(TurnOnSyncPlan plan) {
      super(null, null, false, false);
      this.plan = plan;
    }
  }

  /**
   * Turns sync on as previewed: creates the new warehouses, stores the location mappings,
   * copies inventory if chosen (reporting duplicate-SKU conflicts), marks the store SYNC_ON from
   * now (earlier orders are never imported), and queues the previewed pushes.
   *
   * @param plan a plan from {@link #prepareTurnOnSync}
   * @return the store's status
   * @throws InvalidInputException if the store's listings changed since the plan was prepared
   *     (prepare it again), or a choice became invalid
   * @throws UnknownStoreException if the store is unknown or has no connector attached
   */
  public StoreStatus turnOnSync(TurnOnSyncPlan plan) {
    Checks.notNull(plan, "plan");
    StoreId id = plan.store();
    StoreWorker worker = requireWorker(id);
    SyncStatus from = record(id).status();
    List<SyncEvent.CopyConflict> conflicts = new ArrayList<>();
    TurnOnSyncPlan applied = hostWrite(id, tx -> {
      if (!fingerprint(tx.store().store(id).orElseThrow(), tx.store().listingCount(id))
          .equals(plan.listingFingerprint())) {
        throw new InvalidInputException("plan",
            "the store's listings changed since the plan was prepared; prepare it again");
      }
      return buildPlan(tx, id, plan.choices(), syncOnInstant(), conflicts);
    });
    conflicts.forEach(this::emit);
    for (Sku sku : applied.awaitingStock()) {
      emit(new SyncEvent.AwaitingStock(id, sku));
    }
    emit(new SyncEvent.StatusChanged(id, from, SyncStatus.SYNC_ON, "sync turned on"));
    log.info("{} sync on: {}", id, applied.summary());
    worker.stop();
    worker.start(false);
    // Planned afresh under the plan lock, not from the preview's read, so a stock change that
    // landed meanwhile is not overwritten by an older number.
    reconcile(id);
    return status(id);
  }

  /**
   * Turns sync off: orders are no longer imported and nothing is pushed; listings keep syncing.
   * Queued pushes are dropped. Turning sync on again starts a new order window.
   *
   * @param id the store
   * @throws UnknownStoreException if the store was never connected
   */
  public void turnOffSync(StoreId id) {
    record(id);
    boolean wasOn = hostWrite(id, itx -> {
      StoreTransaction tx = itx.store();
      StoreRecord r = tx.store(id).orElseThrow();
      if (r.syncOnAt() == null) {
        return false;
      }
      // A store waiting for re-authorisation stays so; it will come back with sync off.
      tx.putStore(r.withSyncOff(r.status() == SyncStatus.SYNC_ON ? SyncStatus.CONNECTED : r.status()));
      return r.status() == SyncStatus.SYNC_ON;
    });
    if (!wasOn) {
      return;
    }
    StoreWorker w = workers.get(id);
    if (w != null) {
      w.stop();
      w.queue.clear();
      w.start(false);
    }
    emit(new SyncEvent.StatusChanged(id, SyncStatus.SYNC_ON, SyncStatus.CONNECTED, "sync turned off"));
  }

  /**
   * The moment sync starts, exactly. Channels stamp orders in whole seconds (Shopify) or finer;
   * {@link OrderApplier} compares a whole-second stamp with this moment rounded down, and a finer
   * stamp exactly, so an order placed just after turn-on never looks older than it.
   */
  private Instant syncOnInstant() {
    return clock.instant();
  }

  private static String fingerprint(StoreRecord r, int listings) {
    return listings + "|" + r.lastListingSync() + "|" + r.listingCursor();
  }

  private TurnOnSyncPlan buildPlan(Inventory.Transaction tx, StoreId id, TurnOnSyncChoices choices,
      Instant now, List<SyncEvent.CopyConflict> conflicts) {
    StoreRecord rec = tx.store().store(id).orElseThrow(
        () -> new UnknownStoreException(id, "was never connected"));
    if (rec.status() == SyncStatus.NEEDS_REAUTH || rec.status() == SyncStatus.DISCONNECTED) {
      throw new InvalidInputException("store", "'" + id + "' is " + rec.status()
          + "; reconnect it first");
    }
    List<ChannelLocation> locations = tx.store().locations(id);
    Map<String, ChannelLocation> byId = new LinkedHashMap<>();
    locations.forEach(l -> byId.put(l.id(), l));
    for (String locationId : choices.locations().keySet()) {
      if (!byId.containsKey(locationId)) {
        throw new InvalidInputException("locations", "store '" + id + "' has no location '"
            + locationId + "'; it has " + byId.keySet());
      }
    }
    Map<String, LocationMapping> previous = new HashMap<>();
    tx.store().mappings(id).forEach(m -> previous.put(m.locationId(), m));
    List<Warehouse> created = new ArrayList<>();
    List<LocationMapping> mappings = new ArrayList<>();
    for (ChannelLocation location : locations) {
      LocationChoice choice = choices.locations().get(location.id());
      if (choice == null) {
        choice = proposal(id, location, previous.get(location.id()));
      }
      if (choice.isUnlinked()) {
        continue;
      }
      if (location.readOnly() && choice.master() != InventoryMaster.STORE) {
        choice = choice.master(InventoryMaster.STORE); // the channel owns read-only stock
      }
      List<String> warehouseIds;
      Warehouse fresh = choice.newWarehouse();
      if (fresh != null) {
        if (tx.store().warehouse(fresh.id()).isEmpty()) {
          tx.store().putWarehouse(fresh);
          created.add(fresh);
        }
        warehouseIds = List.of(fresh.id());
      } else {
        for (String w : choice.warehouseIds()) {
          if (tx.store().warehouse(w).isEmpty()) {
            throw new UnknownWarehouseException("locations", w);
          }
        }
        warehouseIds = choice.warehouseIds();
      }
      mappings.add(new LocationMapping(location.id(), warehouseIds, choice.master()));
    }
    tx.store().putMappings(id, mappings);

    List<ListingRecord> listings = tx.store().listings(id);
    Map<Sku, List<ListingRecord>> bySku = new LinkedHashMap<>();
    for (ListingRecord l : listings) {
      bySku.computeIfAbsent(l.sku(), k -> new ArrayList<>()).add(l);
    }
    Set<Sku> duplicates = new LinkedHashSet<>();
    bySku.forEach((sku, ls) -> {
      if (ls.size() > 1) {
        duplicates.add(sku);
      }
    });
    List<TurnOnSyncPlan.Copy> copies = new ArrayList<>();
    for (LocationMapping m : mappings) {
      boolean storeTruth = m.master() == InventoryMaster.STORE || byId.get(m.locationId()).readOnly();
      if (!choices.copyInventory() && !storeTruth) {
        continue;
      }
      String warehouse = m.warehouseIds().get(0);
      for (Map.Entry<Sku, List<ListingRecord>> e : bySku.entrySet()) {
        Product product = tx.store().product(e.getKey()).orElse(null);
        if (product == null || product.isBundle()) {
          continue;
        }
        Map<String, Long> figures = new LinkedHashMap<>();
        for (ListingRecord l : e.getValue()) {
          OptionalLong q = tx.store().knownQuantity(id, l.listingId(), m.locationId());
          if (q.isPresent()) {
            figures.put(l.listingId(), q.getAsLong());
          }
        }
        if (figures.isEmpty()) {
          continue;
        }
        Map.Entry<String, Long> chosen = figures.entrySet().iterator().next();
        if (new LinkedHashSet<>(figures.values()).size() > 1) {
          conflicts.add(new SyncEvent.CopyConflict(id, e.getKey(), m.locationId(), figures,
              chosen.getKey()));
        }
        long quantity = Math.max(0, chosen.getValue());
        tx.apply(new InventoryOperation.CopyFromStore(e.getKey(), warehouse, quantity,
            id + "/" + m.locationId(), null));
        copies.add(new TurnOnSyncPlan.Copy(e.getKey(), warehouse, m.locationId(), quantity));
        // Sibling listings now hold a figure that may differ; the planner pushes them level.
      }
    }
    // Re-running turn-on on a synced store only changes mappings: its order window stays.
    tx.store().putStore(rec.status() == SyncStatus.SYNC_ON && rec.syncOnAt() != null
        ? rec : rec.withSyncOn(now));
    Planner.Plan plan = Planner.forStore(tx.store(), id, false);
    return new TurnOnSyncPlan(id, choices, now, listings.size(), bySku.size(), duplicates,
        List.copyOf(conflicts), created, mappings, copies, plan.pushes(), plan.awaitingStock(),
        fingerprint(rec, listings.size()));
  }

  private LocationChoice proposal(StoreId id, ChannelLocation location,
      @Nullable LocationMapping before) {
    if (before != null) {
      return new LocationChoice(null, before.warehouseIds(), before.master());
    }
    if (!location.active()) {
      return LocationChoice.unlinked();
    }
    String warehouseId = (id.channel() + "-" + id.externalId() + "-" + location.id())
        .replaceAll("[^A-Za-z0-9._-]+", "-");
    if (warehouseId.length() > Warehouse.MAX_ID_LENGTH) {
      warehouseId = warehouseId.substring(warehouseId.length() - Warehouse.MAX_ID_LENGTH);
    }
    LocationChoice choice = LocationChoice.newWarehouse(warehouseId, location.name());
    return location.readOnly() ? choice.master(InventoryMaster.STORE) : choice;
  }

  // ---- manual actions --------------------------------------------------------------------------

  /**
   * Syncs a store's orders now, then pushes what changed.
   *
   * @param id the store
   * @throws UnknownStoreException if the store is unknown or has no connector attached
   */
  public void syncNow(StoreId id) {
    requireWorker(id).requestOrderSync();
  }

  /**
   * Pushes every linked listing of a store, whether or not its quantity changed.
   *
   * @param id the store
   * @throws UnknownStoreException if the store is unknown or has no connector attached
   */
  public void hardRefreshInventory(StoreId id) {
    StoreWorker worker = requireWorker(id);
    synchronized (desiredLock) {
      Planner.Plan plan = store.read(r -> Planner.forStore(r, id, true));
      worker.enqueue(plan.pushes(), ++generation, true, Set.of());
    }
  }

  /**
   * Syncs listings changed on the store since the last listing sync.
   *
   * @param id the store
   * @throws UnknownStoreException if the store is unknown or has no connector attached
   */
  public void syncListings(StoreId id) {
    requireWorker(id).requestListingSync(false);
  }

  /**
   * Re-reads every listing of the store; listings gone from the store are removed. Allowed once
   * per {@link SyncOptions#listingHardRefreshMinInterval()} per store.
   *
   * @param id the store
   * @throws ActionTooSoonException if the last full refresh was too recent; it carries the next
   *     allowed time
   * @throws UnknownStoreException if the store is unknown or has no connector attached
   */
  public void hardRefreshListings(StoreId id) {
    StoreWorker worker = requireWorker(id);
    Instant now = clock.instant();
    hostWrite(id, itx -> {
      StoreTransaction tx = itx.store();
      StoreRecord r = tx.store(id).orElseThrow();
      Instant last = r.lastListingHardRefresh();
      if (last != null) {
        Instant next = last.plus(options.listingHardRefreshMinInterval());
        if (now.isBefore(next)) {
          throw new ActionTooSoonException("hard refresh of listings of " + id, next);
        }
      }
      tx.putStore(r.withListingHardRefresh(now));
      return null;
    });
    worker.requestListingSync(true);
  }

  /**
   * Hands the engine a channel's notification (a verified webhook). It only makes the engine
   * look sooner; polling stays the source of truth. Returns at once: the work happens in the
   * store's lane. {@link ChannelEvent.OrderChanged} reads just the named order when the
   * connector reads orders by id (an order sync otherwise). While a store's scarce request quota
   * ({@link io.stocksync.core.channel.ChannelConnector#requestBudget()}) is under pressure, an
   * {@link ChannelEvent.OrdersChanged} waits a few seconds for company, so a busy spell's events
   * share one order read. {@link ChannelEvent.AccessRevoked} is confirmed with the channel (an identity
   * call refused as unauthorised) before the store moves to {@code NEEDS_REAUTH}; a signal the
   * channel contradicts is reported as a {@link SyncEvent.Failure} and ignored.
   *
   * @param id the store it concerns
   * @param event what the channel said
   * @throws UnknownStoreException if the store is unknown or has no connector attached
   */
  public void handle(StoreId id, ChannelEvent event) {
    Checks.notNull(event, "event");
    StoreWorker worker = requireWorker(id);
    if (event instanceof ChannelEvent.OrdersChanged) {
      worker.requestOrderSyncFromEvent();
    } else if (event instanceof ChannelEvent.OrderChanged) {
      worker.requestOrderRead(((ChannelEvent.OrderChanged) event).orderId());
    } else if (event instanceof ChannelEvent.ListingsChanged) {
      worker.requestListingSync(false);
    } else if (event instanceof ChannelEvent.AccessRevoked) {
      // Confirmed with the channel before the store is marked: a replayed or forged signal
      // whose revocation the identity call contradicts is reported and ignored.
      worker.confirmRevocation();
    } else if (event instanceof ChannelEvent.StockChanged) {
      String location = ((ChannelEvent.StockChanged) event).ref().locationId();
      boolean storeMaster = store.read(r -> r.mappings(id)).stream()
          .anyMatch(m -> m.locationId().equals(location) && m.master() == InventoryMaster.STORE);
      // A store-side change at a HUB location is usually a sale: import it rather than overwrite.
      if (storeMaster) {
        worker.requestMirror();
      } else {
        worker.requestOrderSync();
      }
    }
  }

  // ---- engine internals ------------------------------------------------------------------------

  void markDirty(Collection<Sku> skus, boolean urgent) {
    if (closed || skus.isEmpty()) {
      return;
    }
    synchronized (planLock) {
      dirty.addAll(skus);
      if (urgent) {
        priority.addAll(skus);
      }
    }
    schedulePlan(urgent ? Duration.ZERO : options.pushDebounce());
  }

  void planNow() {
    schedulePlan(Duration.ZERO);
  }

  private void schedulePlan(Duration delay) {
    synchronized (planLock) {
      if (dirty.isEmpty() || closed) {
        return;
      }
      Instant due = clock.instant().plus(delay);
      if (planDue != null && !planDue.isAfter(due)) {
        return;
      }
      if (planTask != null) {
        planTask.cancel();
      }
      planDue = due;
      planTask = scheduler.schedule(delay, this::runPlan);
    }
  }

  private void runPlan() {
    Set<Sku> skus;
    Set<Sku> urgent;
    synchronized (planLock) {
      planTask = null;
      planDue = null;
      skus = new LinkedHashSet<>(dirty);
      urgent = new LinkedHashSet<>(priority);
      dirty.clear();
      priority.clear();
    }
    if (skus.isEmpty() || closed) {
      return;
    }
    try {
      planAndOffer(skus, urgent);
      planFailures = 0;
    } catch (RuntimeException e) {
      // The store is unreachable (or planning failed): the changes stay dirty and are planned
      // again after a backoff, never dropped.
      synchronized (planLock) {
        dirty.addAll(skus);
        priority.addAll(urgent);
      }
      Duration retry = options.retryInitialBackoff().multipliedBy(1L << Math.min(++planFailures, 8));
      if (retry.compareTo(options.retryMaxBackoff()) > 0) {
        retry = options.retryMaxBackoff();
      }
      log.warn("planning {} SKUs failed, retrying in {}: {}", skus.size(), retry,
          e.getClass().getName());
      schedulePlan(retry);
    }
  }

  private void planAndOffer(Set<Sku> skus, Set<Sku> urgent) {
    synchronized (desiredLock) {
      long gen = ++generation;
      Planner.Plan plan = store.read(r -> Planner.forSkus(r, skus, true));
      Map<StoreId, List<PlannedPush>> byStore = new LinkedHashMap<>();
      for (PlannedPush p : plan.pushes()) {
        byStore.computeIfAbsent(p.store(), k -> new ArrayList<>()).add(p);
      }
      byStore.forEach((id, pushes) -> {
        StoreWorker w = workers.get(id);
        if (w != null) {
          w.enqueue(pushes, gen, false, urgent);
        }
      });
    }
  }

  /** Queues every listing whose desired quantity differs from the last confirmed one. */
  private void reconcile(StoreId id) {
    StoreWorker w = workers.get(id);
    if (w == null || closed) {
      return;
    }
    synchronized (desiredLock) {
      // Unchanged targets included: they cancel pushes queued under older numbers or rules.
      Planner.Plan plan = store.read(r -> Planner.forStore(r, id, true));
      w.enqueue(plan.pushes(), ++generation, false, Set.of());
    }
  }

  /** Reconciles from a scheduled task: a failure (store unreachable) is retried, not lost. */
  private void reconcileLater(StoreId id, int attempt) {
    try {
      reconcile(id);
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      Duration retry = options.retryInitialBackoff().multipliedBy(1L << Math.min(attempt, 8));
      if (retry.compareTo(options.retryMaxBackoff()) > 0) {
        retry = options.retryMaxBackoff();
      }
      log.warn("{} reconcile failed, retrying in {}: {}", id, retry, e.getClass().getName());
      scheduler.schedule(retry, () -> reconcileLater(id, attempt + 1));
    }
  }

  /** Reconciles a store on a scheduler thread, outside its lane. */
  void scheduleReconcile(StoreId id) {
    if (!closed) {
      scheduler.schedule(Duration.ZERO, () -> reconcileLater(id, 1));
    }
  }

  void emit(SyncEvent event) {
    if (log.isDebugEnabled()) {
      log.debug("{}", event);
    }
    for (SyncListener l : listeners) {
      try {
        if (event instanceof SyncEvent.RunFinished) {
          l.onRunFinished((SyncEvent.RunFinished) event);
        } else if (event instanceof SyncEvent.PushBatch) {
          l.onPushBatch((SyncEvent.PushBatch) event);
        } else if (event instanceof SyncEvent.Failure) {
          l.onFailure((SyncEvent.Failure) event);
        } else if (event instanceof SyncEvent.DuplicateSkus) {
          l.onDuplicateSkus((SyncEvent.DuplicateSkus) event);
        } else if (event instanceof SyncEvent.CopyConflict) {
          l.onCopyConflict((SyncEvent.CopyConflict) event);
        } else if (event instanceof SyncEvent.Oversell) {
          l.onOversell((SyncEvent.Oversell) event);
        } else if (event instanceof SyncEvent.UnknownSku) {
          l.onUnknownSku((SyncEvent.UnknownSku) event);
        } else if (event instanceof SyncEvent.AwaitingStock) {
          l.onAwaitingStock((SyncEvent.AwaitingStock) event);
        } else if (event instanceof SyncEvent.Untracked) {
          l.onUntracked((SyncEvent.Untracked) event);
        } else if (event instanceof SyncEvent.StatusChanged) {
          l.onStatusChanged((SyncEvent.StatusChanged) event);
        }
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // Errors too (an AssertionError, a LinkageError): a listener never stops the engine.
        log.warn("sync listener {} failed on {}: {}", l.getClass().getName(),
            event.getClass().getSimpleName(), e.getClass().getName());
      }
    }
  }

  private StoreRecord record(StoreId id) {
    Checks.notNull(id, "store");
    return store.read(r -> r.store(id))
        .orElseThrow(() -> new UnknownStoreException(id, "was never connected"));
  }

  private StoreWorker requireWorker(StoreId id) {
    record(id);
    ensureOpen();
    StoreWorker w = workers.get(id);
    if (w == null) {
      throw new UnknownStoreException(id, "has no connector attached; connect it first");
    }
    return w;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("StockSync is closed");
    }
  }

  /**
   * Stops all scheduled work after the step that is running, closes the connectors and, if the
   * engine created it, the scheduler. Queued pushes are not lost: they are re-derived from the
   * store when a new engine starts over it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (planLock) {
      if (planTask != null) {
        planTask.cancel();
      }
    }
    for (StoreWorker w : workers.values()) {
      w.stop();
      try {
        w.connector().close();
      } catch (RuntimeException e) {
        log.warn("closing connector of {} failed: {}", w.id, Redaction.message(w.connector(), e));
      }
    }
    ChangeSource.Subscription subscription = changeSubscription;
    if (subscription != null) {
      subscription.close();
    }
    releaseLeases();
    if (ownsScheduler) {
      scheduler.close();
    }
    if (ownedLanes != null) {
      ownedLanes.shutdownNow();
      try {
        if (!ownedLanes.awaitTermination(10, TimeUnit.SECONDS)) {
          log.warn("stocksync network threads still running after 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Builds a {@link StockSync}. Not thread-safe. */
  public static final class Builder {
    private @Nullable InventoryStore store;
    private Clock clock = Clock.systemUTC();
    private @Nullable SyncScheduler scheduler;
    private SyncOptions options = SyncOptions.DEFAULT;
    private @Nullable RandomGenerator jitter;
    private final List<SyncListener> listeners = new ArrayList<>();
    private final Map<String, ChannelConnectorFactory> factories = new LinkedHashMap<>();
    private final List<ChannelConnector> connectors = new ArrayList<>();
    private @Nullable Executor networkExecutor;
    private int networkThreads = 8;
    private final List<StoreOptions> connectorOptions = new ArrayList<>();
    private @Nullable StoreLeases leases;
    private String instanceId = "local";
    private Duration leaseTime = Duration.ofSeconds(30);
    private @Nullable ChangeSource changes;
    private Duration changePollInterval = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Shares the stores with other instances over one database: a store's sync (polling,
     * pushing, and every write of its sync state) runs only in the instance holding its lease,
     * renewed every third of {@code leaseTime}; stores spread over the live instances, and the
     * stores of an instance that stops renewing are taken over within {@code leaseTime} plus one
     * renewal. Every write of a store's sync state carries the lease's fencing token, so an old
     * owner's late write is refused ({@link io.stocksync.core.LeaseLostException}) and its work on
     * the store stops. {@link StockSync#close()} releases the leases held, so the others take
     * the stores at their next renewal. Default: none (this instance runs every store, no
     * fencing).
     *
     * @param leases the shared leases, e.g. the database store
     * @param instanceId this instance's id, unique among the instances
     * @param leaseTime how long a lease lasts without renewal; at least 3 ms
     * @return this builder
     * @throws InvalidInputException if an argument is null or blank, or the lease time too short
     */
    public Builder leases(StoreLeases leases, String instanceId, Duration leaseTime) {
      Checks.require(leaseTime != null && leaseTime.toMillis() >= 3, "leaseTime",
          "must be at least 3 ms");
      this.leases = Checks.notNull(leases, "leases");
      this.instanceId = Checks.notBlank(instanceId, "instanceId", 255);
      this.leaseTime = leaseTime;
      return this;
    }

    /**
     * Polls the stock changes made by other instances sharing the database, every {@code
     * interval} and whenever the source's fast path ({@link ChangeSource#subscribe}) says changes
     * are waiting, and plans pushes for them as for local changes. The subscription is closed
     * with this engine. Default: none.
     *
     * @param changes the changes made elsewhere, e.g. the database store's change feed
     * @param interval the poll interval (the cross-instance latency when the source has no fast
     *     path, 1 s suggested); positive
     * @return this builder
     * @throws InvalidInputException if an argument is null or the interval not positive
     */
    public Builder changesFromElsewhere(ChangeSource changes, Duration interval) {
      Checks.require(interval != null && !interval.isNegative() && !interval.isZero(),
          "interval", "must be positive");
      this.changes = Checks.notNull(changes, "changes");
      this.changePollInterval = interval;
      return this;
    }

    /**
     * Sets where stock and sync state are kept. Default: a new {@link InMemoryInventoryStore}
     * (not durable).
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(InventoryStore store) {
      this.store = Checks.notNull(store, "store");
      return this;
    }

    /**
     * Sets the clock. Default: the UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /**
     * Sets the scheduler. Default: an {@link ExecutorSyncScheduler} with two daemon threads,
     * closed with the engine. A scheduler given here is not closed by the engine.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(SyncScheduler scheduler) {
      this.scheduler = Checks.notNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the executor that runs the stores' work, including every connector call. Each store
     * uses at most one of its threads at a time, so one slow or hung store never holds up
     * another. Default: with the engine's own scheduler, a pool of {@link #networkThreads} daemon
     * threads closed with the engine; with a scheduler given to {@link #scheduler}, that
     * scheduler (tasks submitted with zero delay). An executor given here is not shut down by
     * the engine.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder networkExecutor(Executor executor) {
      this.networkExecutor = Checks.notNull(executor, "executor");
      return this;
    }

    /**
     * Sets the size of the engine's own network pool (see {@link #networkExecutor}). Default 8:
     * that many stores can wait on their channels at once while the rest queue.
     *
     * @param threads 1 to 256
     * @return this builder
     * @throws InvalidInputException if out of range
     */
    public Builder networkThreads(int threads) {
      Checks.require(threads >= 1 && threads <= 256, "networkThreads", "must be 1..256: " + threads);
      this.networkThreads = threads;
      return this;
    }

    /**
     * Sets the engine's timing options. Default {@link SyncOptions#DEFAULT}.
     *
     * @param options the options
     * @return this builder
     */
    public Builder options(SyncOptions options) {
      this.options = Checks.notNull(options, "options");
      return this;
    }

    /**
     * Sets where the jitter of retry backoff comes from. Default: {@link ThreadLocalRandom}. A
     * seeded, thread-safe source such as {@code new java.util.Random(seed)} makes the retry
     * timing, and so a run on a virtual scheduler, repeatable.
     *
     * @param jitter the source; called from the engine's threads, so it must be thread-safe
     * @return this builder
     */
    public Builder jitter(RandomGenerator jitter) {
      this.jitter = Checks.notNull(jitter, "jitter");
      return this;
    }

    /**
     * Adds a listener.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(SyncListener listener) {
      listeners.add(Checks.notNull(listener, "listener"));
      return this;
    }

    /**
     * Registers a connector factory for {@link StockSync#connect(String, ConnectorConfig,
     * StoreOptions)}.
     *
     * @param factory the factory
     * @return this builder
     */
    public Builder connectorFactory(ChannelConnectorFactory factory) {
      Checks.notNull(factory, "factory");
      factories.put(factory.channel(), factory);
      return this;
    }

    /**
     * Registers every {@link ChannelConnectorFactory} on the class path via {@link
     * ServiceLoader}. Opt-in; factories registered by hand win over discovered ones.
     *
     * @return this builder
     */
    public Builder discoverConnectorFactories() {
      for (ChannelConnectorFactory f : ServiceLoader.load(ChannelConnectorFactory.class)) {
        factories.putIfAbsent(f.channel(), f);
      }
      return this;
    }

    /**
     * Attaches a connector when the engine is built. For a store already in the inventory store
     * (a restart), the engine resumes it without a network call; a store never connected is
     * connected (its credentials validated) during {@link #build()}.
     *
     * @param connector the connector
     * @param storeOptions options used if the store is connected for the first time
     * @return this builder
     */
    public Builder connector(ChannelConnector connector, StoreOptions storeOptions) {
      connectors.add(Checks.notNull(connector, "connector"));
      connectorOptions.add(Checks.notNull(storeOptions, "storeOptions"));
      return this;
    }

    /**
     * Builds and starts the engine.
     *
     * @return the engine
     * @throws io.stocksync.core.CredentialsException if a new store's credentials are refused;
     *     the engine is then closed again (workers stopped, attached connectors closed)
     */
    public StockSync build() {
      StockSync engine = new StockSync(this);
      try {
        for (int i = 0; i < connectors.size(); i++) {
          ChannelConnector c = connectors.get(i);
          StoreId id = c.storeId();
          boolean known = engine.store.read(r -> r.store(id)).isPresent();
          if (!known) {
            engine.connect(c, connectorOptions.get(i));
            continue;
          }
          StoreWorker w = new StoreWorker(engine, id, c);
          engine.workers.put(id, w);
          w.start(true);
          if (engine.keeper == null && engine.record(id).status() == SyncStatus.SYNC_ON) {
            engine.reconcile(id);
          }
        }
        if (engine.keeper != null) {
          engine.leaseLoop();
        }
        if (engine.changes != null) {
          engine.scheduler.schedule(engine.changePollInterval, engine::changeLoop);
          try {
            engine.changeSubscription = engine.changes.subscribe(engine::wakeForChanges);
          } catch (RuntimeException e) {
            log.warn("changes made elsewhere are polled only: {}", e.getClass().getName());
          }
        }
      } catch (RuntimeException | Error e) {
        // All or nothing: stop every worker started so far (and the threads the engine made)
        // rather than leave them running with no handle to close them.
        engine.close();
        throw e;
      }
      return engine;
    }
  }
}
