package io.stocksync.core.store;

import io.stocksync.core.StoreId;
import io.stocksync.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one instance's share of the store leases: call {@link #tick} about every third of the
 * lease time. Each tick renews the leases held, gives up any beyond a fair share and takes free or
 * lapsed ones up to it, so that stores spread evenly over the live instances (those holding a
 * live lease) and an instance that stops ticking is replaced within the lease time plus one tick.
 * Thread-safe.
 */
public final class LeaseKeeper {
  private final StoreLeases leases;
  private final String owner;
  private final Duration ttl;
  private final Clock clock;
  private final Map<StoreId, StoreLease> held = new LinkedHashMap<>();

  /** The channel of the pseudo-stores whose leases mark instances as live. */
  public static final String PRESENCE_CHANNEL = "stocksync-instance";

  /**
   * Creates a keeper.
   *
   * @param leases the shared leases
   * @param owner this instance's id, unique among the instances
   * @param ttl the lease time
   * @param clock the clock
   * @throws io.stocksync.core.InvalidInputException if an argument is null or ttl not positive
   */
  public LeaseKeeper(StoreLeases leases, String owner, Duration ttl, Clock clock) {
    this.leases = Checks.notNull(leases, "leases");
    this.owner = Checks.notBlank(owner, "owner", 255);
    Checks.require(ttl != null && !ttl.isNegative() && !ttl.isZero(), "ttl", "must be positive");
    this.ttl = ttl;
    this.clock = Checks.notNull(clock, "clock");
  }

  /**
   * Renews, balances and acquires leases over the given stores.
   *
   * @param stores every store to be run by some instance
   * @return the leases this instance holds now, by store
   */
  public synchronized Map<StoreId, StoreLease> tick(Collection<StoreId> stores) {
    leases.acquire(StoreId.of(PRESENCE_CHANNEL, owner), owner, ttl);
    Instant now = clock.instant();
    Map<StoreId, StoreLease> all = new HashMap<>();
    Set<String> live = new HashSet<>();
    live.add(owner);
    for (StoreLease l : leases.leases()) {
      all.put(l.store(), l);
      if (l.expiresAt().isAfter(now)) {
        live.add(l.owner());
      }
    }
    int share = (stores.size() + live.size() - 1) / live.size();

    held.clear();
    for (StoreId store : stores) {
      StoreLease l = all.get(store);
      if (l != null && l.owner().equals(owner)) {
        leases.acquire(store, owner, ttl).ifPresent(renewed -> held.put(store, renewed));
      }
    }
    List<StoreId> surplus = new ArrayList<>(held.keySet());
    for (int i = share; i < surplus.size(); i++) {
      StoreLease giveUp = held.remove(surplus.get(i));
      leases.release(giveUp);
    }
    for (StoreId store : stores) {
      if (held.size() >= share) {
        break;
      }
      StoreLease l = all.get(store);
      if (!held.containsKey(store) && (l == null || !l.expiresAt().isAfter(now))) {
        leases.acquire(store, owner, ttl).ifPresent(taken -> held.put(store, taken));
      }
    }
    return Map.copyOf(held);
  }

  /**
   * Returns the leases held after the last tick.
   *
   * @return the leases by store
   */
  public synchronized Map<StoreId, StoreLease> held() {
    return Map.copyOf(held);
  }
}
