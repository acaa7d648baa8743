package io.stocksync.store.jdbc;

import io.stocksync.core.store.ChangeSource;
import io.stocksync.core.Sku;
import io.stocksync.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the SKUs whose stock changed in any instance sharing the database, for the instance
 * that owns the affected stores: every transaction that writes a stock level appends the SKU to
 * {@code ss_change_feed} (so the feed commits or rolls back with the change itself), and each
 * reader polls past its own position.
 *
 * <p>Ids are handed out when a row is inserted, not when it commits, so a later id can become
 * visible before an earlier one. The reader therefore advances its position only over ids it
 * has seen, and keeps polling below a gap until the gap is older than {@code gapTimeout} (a
 * rolled-back transaction leaves a gap for good). Latency is the poll interval plus, for a
 * change committed behind a later one, that later commit's lead. On PostgreSQL {@link #subscribe}
 * adds a fast path: every transaction that appends to the feed sends a {@code NOTIFY} at its
 * commit, and a listener wakes the engine at once (a few milliseconds), holding one connection
 * of the store's pool while subscribed. Not thread-safe: one reader per polling thread.
 */
public final class ChangeFeed implements ChangeSource {
  private final JdbcInventoryStore store;
  private final Clock clock;
  private final Duration gapTimeout;
  private long position;
  /** Ids seen above the position, each with when it was seen. */
  private final TreeMap<Long, Instant> seen = new TreeMap<>();
  /** Gaps below the highest seen id, each with when it was first noticed. */
  private final TreeMap<Long, Instant> gaps = new TreeMap<>();

  /**
   * Creates a reader that starts after the newest change now in the feed.
   *
   * @param store the store
   * @param clock the clock that ages gaps
   * @param gapTimeout how long an unseen id below a seen one is waited for
   * @throws JdbcStoreException if the database fails
   */
  public ChangeFeed(JdbcInventoryStore store, Clock clock, Duration gapTimeout) {
    this.store = Checks.notNull(store, "store");
    this.clock = Checks.notNull(clock, "clock");
    this.gapTimeout = Checks.notNull(gapTimeout, "gapTimeout");
    this.position = store.read(r -> ((JdbcView) r).changeFeedHead());
  }

  /**
   * Returns the SKUs changed since the last poll (each once), and moves past them.
   *
   * @return the SKUs, in the order first changed
   * @throws JdbcStoreException if the database fails
   */
  @Override
  public Set<Sku> poll() {
    Instant now = clock.instant();
    long from = gaps.isEmpty() ? position : Math.min(position, gaps.firstKey() - 1);
    Map<Long, Sku> rows = store.read(r -> ((JdbcView) r).changesAfter(from));
    Set<Sku> out = new LinkedHashSet<>();
    for (Map.Entry<Long, Sku> e : rows.entrySet()) {
      long id = e.getKey();
      if (id <= position && !gaps.containsKey(id)) {
        continue; // seen before
      }
      if (seen.containsKey(id)) {
        continue;
      }
      gaps.remove(id);
      seen.put(id, now);
      out.add(e.getValue());
    }
    if (!seen.isEmpty()) {
      for (long id = position + 1; id < seen.lastKey(); id++) {
        if (!seen.containsKey(id)) {
          gaps.putIfAbsent(id, now);
        }
      }
    }
    List<Long> expired = new ArrayList<>();
    gaps.forEach((id, since) -> {
      if (!since.plus(gapTimeout).isAfter(now)) {
        expired.add(id);
      }
    });
    expired.forEach(gaps::remove);
    // Move the position over every id seen or given up on.
    while (seen.containsKey(position + 1) || (!gaps.containsKey(position + 1)
        && !seen.isEmpty() && position + 1 < seen.lastKey())) {
      position++;
      seen.remove(position);
    }
    return out;
  }

  /**
   * Returns the id up to which every change has been returned or given up on.
   *
   * @return the position
   */
  public long position() {
    return position;
  }

  /**
   * On PostgreSQL, starts a listener thread that calls {@code wake} when another transaction
   * committed changes to the feed; on H2 (one process) it never calls it. The listener holds one
   * connection of the store's pool until the subscription is closed.
   *
   * @param wake what to call when changes may be waiting
   * @return the subscription
   */
  @Override
  public Subscription subscribe(Runnable wake) {
    Checks.notNull(wake, "wake");
    if (store.dialect() != Dialect.POSTGRESQL) {
      return () -> {};
    }
    return PgChangeListener.start(store.dataSource(), wake);
  }
}
