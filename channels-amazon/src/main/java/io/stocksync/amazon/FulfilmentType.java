package io.stocksync.amazon;

/**
 * Which of a seller's stock the hub syncs, chosen before listings are imported (the turn-on-sync
 * plan asks for it first). It decides the locations the connector reports.
 */
public enum FulfilmentType {
  /** Merchant-fulfilled only: one location, {@code FBM}, pushed like any store. */
  FBM,
  /**
   * Fulfilled by Amazon only: one read-only location, {@code FBA}, copied into the hub every 24
   * hours and never pushed.
   */
  FBA,
  /** Both locations. */
  BOTH;

  /**
   * Tells whether the FBM location is synced.
   *
   * @return true for FBM and BOTH
   */
  public boolean fbm() {
    return this != FBA;
  }

  /**
   * Tells whether the FBA location is synced.
   *
   * @return true for FBA and BOTH
   */
  public boolean fba() {
    return this != FBM;
  }
}
