package io.stocksync.core.sync;

import io.stocksync.core.internal.Checks;
import java.time.Duration;

/**
 * Engine-wide timing. Build with {@link #builder()}; {@link #DEFAULT} holds the documented
 * defaults.
 *
 * @param orderSyncInterval how often orders are synced per store (default 10 minutes); each run is
 *     followed at once by an inventory push
 * @param pushDebounce how long a change waits for more changes before it is planned and pushed
 *     (default 1 second)
 * @param mirrorInterval how often STORE-master locations are copied into the hub (default 15
 *     minutes)
 * @param readOnlyCopyInterval how often read-only locations such as Amazon FBA are copied
 *     (default 24 hours)
 * @param listingSyncInterval how often listings changed on the store are synced (default 1 hour)
 * @param listingHardRefreshMinInterval the least time between two full listing refreshes of a
 *     store (default 4 hours)
 * @param orderLookback how far before the order cursor each order sync starts reading, to catch
 *     orders the channel indexed late (default 2 minutes; re-reading is harmless)
 * @param retryInitialBackoff the first retry delay of a failed push (default 1 second), doubled
 *     per attempt with jitter
 * @param retryMaxBackoff the longest retry delay (default 5 minutes)
 * @param callTimeout how long one connector call may take before the engine interrupts the
 *     thread running it and reports the store's step as failed (default 2 minutes). A connector
 *     that ignores interrupts keeps that store's serial lane busy, never another store's
 *
 * <p>Every duration is at most {@link #MAX_DURATION} (one year): a longer one is refused when
 * built, never overflowed into a busy retry loop. Intervals have no "never" value; turn sync off
 * per store instead.
 */
public record SyncOptions(
    Duration orderSyncInterval,
    Duration pushDebounce,
    Duration mirrorInterval,
    Duration readOnlyCopyInterval,
    Duration listingSyncInterval,
    Duration listingHardRefreshMinInterval,
    Duration orderLookback,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    Duration callTimeout) {
  /** The longest duration any option accepts: 366 days. */
  public static final Duration MAX_DURATION = Duration.ofDays(366);

  /** The defaults. */
  public static final SyncOptions DEFAULT = builder().build();

  /**
   * Validates and normalises the components.
   *
   * @param orderSyncInterval see the record description
   * @param pushDebounce see the record description
   * @param mirrorInterval see the record description
   * @param readOnlyCopyInterval see the record description
   * @param listingSyncInterval see the record description
   * @param listingHardRefreshMinInterval see the record description
   * @param orderLookback see the record description
   * @param retryInitialBackoff see the record description
   * @param retryMaxBackoff see the record description
   * @param callTimeout see the record description
   * @throws io.stocksync.core.InvalidInputException if a duration is null, negative, or an
   *     interval is zero
   */
  public SyncOptions {
    positive(orderSyncInterval, "orderSyncInterval");
    notNegative(pushDebounce, "pushDebounce");
    positive(mirrorInterval, "mirrorInterval");
    positive(readOnlyCopyInterval, "readOnlyCopyInterval");
    positive(listingSyncInterval, "listingSyncInterval");
    notNegative(listingHardRefreshMinInterval, "listingHardRefreshMinInterval");
    notNegative(orderLookback, "orderLookback");
    positive(retryInitialBackoff, "retryInitialBackoff");
    positive(retryMaxBackoff, "retryMaxBackoff");
    positive(callTimeout, "callTimeout");
  }

  private static void positive(Duration d, String field) {
    Checks.notNull(d, field);
    Checks.require(!d.isNegative() && !d.isZero(), field, "must be > 0: " + d);
    atMostMax(d, field);
  }

  private static void atMostMax(Duration d, String field) {
    Checks.require(d.compareTo(MAX_DURATION) <= 0, field, "must be at most " + MAX_DURATION + ": "
        + d);
  }

  private static void notNegative(Duration d, String field) {
    Checks.notNull(d, field);
    Checks.require(!d.isNegative(), field, "must be >= 0: " + d);
    atMostMax(d, field);
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SyncOptions}. Not thread-safe. */
  public static final class Builder {
    private Duration orderSyncInterval = Duration.ofMinutes(10);
    private Duration pushDebounce = Duration.ofSeconds(1);
    private Duration mirrorInterval = Duration.ofMinutes(15);
    private Duration readOnlyCopyInterval = Duration.ofHours(24);
    private Duration listingSyncInterval = Duration.ofHours(1);
    private Duration listingHardRefreshMinInterval = Duration.ofHours(4);
    private Duration orderLookback = Duration.ofMinutes(2);
    private Duration retryInitialBackoff = Duration.ofSeconds(1);
    private Duration retryMaxBackoff = Duration.ofMinutes(5);
    private Duration callTimeout = Duration.ofMinutes(2);

    private Builder() {}

    /**
     * Sets how often orders are synced.
     *
     * @param d greater than zero
     * @return this builder
     */
    public Builder orderSyncInterval(Duration d) {
      orderSyncInterval = d;
      return this;
    }

    /**
     * Sets the debounce of change-driven pushes.
     *
     * @param d zero or more
     * @return this builder
     */
    public Builder pushDebounce(Duration d) {
      pushDebounce = d;
      return this;
    }

    /**
     * Sets how often STORE-master locations are mirrored.
     *
     * @param d greater than zero
     * @return this builder
     */
    public Builder mirrorInterval(Duration d) {
      mirrorInterval = d;
      return this;
    }

    /**
     * Sets how often read-only locations are copied.
     *
     * @param d greater than zero
     * @return this builder
     */
    public Builder readOnlyCopyInterval(Duration d) {
      readOnlyCopyInterval = d;
      return this;
    }

    /**
     * Sets how often changed listings are synced.
     *
     * @param d greater than zero
     * @return this builder
     */
    public Builder listingSyncInterval(Duration d) {
      listingSyncInterval = d;
      return this;
    }

    /**
     * Sets the least time between full listing refreshes.
     *
     * @param d zero or more
     * @return this builder
     */
    public Builder listingHardRefreshMinInterval(Duration d) {
      listingHardRefreshMinInterval = d;
      return this;
    }

    /**
     * Sets how far before the cursor order reads start.
     *
     * @param d zero or more
     * @return this builder
     */
    public Builder orderLookback(Duration d) {
      orderLookback = d;
      return this;
    }

    /**
     * Sets the first retry delay.
     *
     * @param d greater than zero
     * @return this builder
     */
    public Builder retryInitialBackoff(Duration d) {
      retryInitialBackoff = d;
      return this;
    }

    /**
     * Sets the longest retry delay.
     *
     * @param d greater than zero
     * @return this builder
     */
    public Builder retryMaxBackoff(Duration d) {
      retryMaxBackoff = d;
      return this;
    }

    /**
     * Sets how long one connector call may take before it is interrupted.
     *
     * @param d more than zero, at most {@link SyncOptions#MAX_DURATION}
     * @return this builder
     */
    public Builder callTimeout(Duration d) {
      callTimeout = d;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws io.stocksync.core.InvalidInputException if a value is out of range
     */
    public SyncOptions build() {
      return new SyncOptions(orderSyncInterval, pushDebounce, mirrorInterval, readOnlyCopyInterval,
          listingSyncInterval, listingHardRefreshMinInterval, orderLookback, retryInitialBackoff,
          retryMaxBackoff, callTimeout);
    }
  }
}
