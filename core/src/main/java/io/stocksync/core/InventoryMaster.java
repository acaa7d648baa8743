package io.stocksync.core;

/** Which side is the truth for a store location's stock figure. */
public enum InventoryMaster {
  /** The hub pushes its figure; changes made on the store are overwritten. */
  HUB,
  /**
   * The store is the truth: the hub mirrors the store's quantity into the mapped warehouse at a
   * regular interval and never pushes to the location.
   */
  STORE
}
