package io.stocksync.shopify.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the connector knows of the shop's leaky bucket, from the last {@code throttleStatus}: the
 * points available then, extrapolated with the restore rate on the injected clock. Thread-safe.
 */
public final class Throttle {
  private final Clock clock;
  private double maximum = Double.NaN;
  private double available;
  private double restoreRate;
  private @Nullable Instant observedAt;

  /**
   * Creates an empty state: until the first response, every call may go.
   *
   * @param clock the clock
   */
  public Throttle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records a response's throttle status.
   *
   * @param maximumAvailable the bucket size
   * @param currentlyAvailable the points available after the call
   * @param restorePerSecond points restored per second
   */
  public synchronized void observe(double maximumAvailable, double currentlyAvailable,
      double restorePerSecond) {
    this.maximum = maximumAvailable;
    this.available = currentlyAvailable;
    this.restoreRate = restorePerSecond;
    this.observedAt = clock.instant();
  }

  /**
   * Returns how long to wait until a call of this cost fits in the bucket.
   *
   * @param cost the call's requested cost
   * @return zero when it fits now
   */
  public synchronized Duration delayFor(double cost) {
    if (observedAt == null || restoreRate <= 0) {
      return Duration.ZERO;
    }
    double need = Math.min(cost, maximum);
    double now = projected();
    if (now >= need) {
      return Duration.ZERO;
    }
    // One point of margin: Shopify (and the emulator) restore whole points, so a wait computed
    // to the fraction can arrive a fraction of a point short.
    double seconds = (Math.min(maximum, Math.ceil(need) + 1) - now) / restoreRate;
    return Duration.ofNanos((long) Math.ceil(seconds * 1_000_000_000d));
  }

  /**
   * Returns the bucket size last reported.
   *
   * @return the size, or NaN before the first response
   */
  public synchronized double maximum() {
    return maximum;
  }

  private double projected() {
    Instant at = observedAt;
    if (at == null) {
      return Double.MAX_VALUE;
    }
    double elapsed = Duration.between(at, clock.instant()).toNanos() / 1e9;
    return Math.min(maximum, available + Math.max(0, elapsed) * restoreRate);
  }
}
