package io.stocksync.core;

import java.util.Set;

/**
 * Receives the change feed: after each committed operation, the SKUs whose availability may have
 * changed, including every bundle that contains a changed component. Called on the thread that
 * committed, after the commit; a listener that throws is logged and ignored.
 */
@FunctionalInterface
public interface InventoryChangeListener {
  /**
   * Called after a commit that changed stock.
   *
   * @param affected the changed SKUs and the bundles containing them, in the order they were
   *     changed (bundles after their components); never empty; unmodifiable
   */
  void onChange(Set<Sku> affected);
}
