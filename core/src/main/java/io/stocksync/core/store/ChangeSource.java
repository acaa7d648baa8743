package io.stocksync.core.store;

import io.stocksync.core.Sku;
import java.util.Set;

/**
 * The SKUs whose stock was changed by other instances sharing the same database, so that the
 * instance owning a store pushes them (changes made through this instance's own {@link
 * io.stocksync.core.Inventory} are seen directly). A single instance needs none; a database store
 * supplies one over its change feed. The engine polls it from one thread at a time, every
 * interval and, if the source offers a fast path ({@link #subscribe}), as soon as it is told of
 * new changes.
 */
@FunctionalInterface
public interface ChangeSource {
  /**
   * Returns the SKUs changed since the last poll, each once, and moves past them.
   *
   * @return the SKUs; empty if none
   * @throws io.stocksync.core.StockSyncException if the changes cannot be read now (the engine
   *     polls again at its next interval)
   */
  Set<Sku> poll();

  /**
   * Asks to be told when new changes may be waiting, so that the engine polls at once instead of
   * at its next interval. A fast path only: {@link #poll} stays the truth, and a missed call
   * costs at most one interval. {@code wake} may be called from any thread, any number of times,
   * also when nothing changed; it must return quickly. The default never calls it.
   *
   * @param wake what to call when changes may be waiting
   * @return a subscription that stops the calls when closed
   * @throws io.stocksync.core.StockSyncException if the fast path cannot be set up (the engine
   *     then polls at its interval only)
   */
  default Subscription subscribe(Runnable wake) {
    return () -> {};
  }

  /** Stops the calls a {@link #subscribe} started. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    /** Stops the calls; idempotent, never throws. */
    @Override
    void close();
  }
}
