package io.stocksync.core.store;

import io.stocksync.core.Sku;
import java.util.Set;

/**
 * The SKUs whose stock was changed by other instances sharing the same database, so that the
 * instance owning a store pushes them (changes made through this instance's own {@link
 * io.stocksync.core.Inventory} are seen directly). A single instance needs none; a database store
 * supplies one over its change feed. The engine polls it from one thread at a time.
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
}
