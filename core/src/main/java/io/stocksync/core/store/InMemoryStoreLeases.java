package io.stocksync.core.store;

import io.stocksync.core.StoreId;
import io.stocksync.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StoreLeases} in memory, for a single instance (the default) and for tests: leases live as
 * long as the object. Thread-safe.
 */
public final class InMemoryStoreLeases implements StoreLeases {
  private final Clock clock;
  private final Map<StoreId, StoreLease> leases = new LinkedHashMap<>();

  /**
   * Creates the leases.
   *
   * @param clock the clock that decides expiry
   */
  public InMemoryStoreLeases(Clock clock) {
    this.clock = Checks.notNull(clock, "clock");
  }

  @Override
  public synchronized Optional<StoreLease> acquire(StoreId store, String owner, Duration ttl) {
    Checks.require(ttl != null && !ttl.isNegative() && !ttl.isZero(), "ttl", "must be positive");
    Instant now = clock.instant();
    StoreLease held = leases.get(store);
    long token;
    if (held == null) {
      token = 1;
    } else if (held.owner().equals(owner)) {
      token = held.token();
    } else if (held.expiresAt().isAfter(now)) {
      return Optional.empty();
    } else {
      token = held.token() + 1;
    }
    StoreLease lease = new StoreLease(store, owner, token, now.plus(ttl));
    leases.put(store, lease);
    return Optional.of(lease);
  }

  @Override
  public synchronized boolean release(StoreLease lease) {
    StoreLease held = leases.get(lease.store());
    if (held == null || !held.owner().equals(lease.owner()) || held.token() != lease.token()) {
      return false;
    }
    leases.put(lease.store(), new StoreLease(held.store(), held.owner(), held.token(),
        Instant.EPOCH));
    return true;
  }

  @Override
  public synchronized List<StoreLease> leases() {
    return List.copyOf(leases.values());
  }
}
