package io.stocksync.testkit.shopify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Shopify's calculated-query-cost bucket: {@code restoreRate} points per second of clock time flow
 * back in, up to {@code maximumAvailable}. Not thread-safe: callers hold the state lock.
 */
final class LeakyBucket {
  private final Clock clock;
  private final int maximumAvailable;
  private final int restoreRate;
  private double available;
  private Instant lastRefill;

  LeakyBucket(Clock clock, int maximumAvailable, int restoreRate) {
    if (maximumAvailable < 1 || restoreRate < 1) {
      throw new IllegalArgumentException(
          "bucket must be positive: " + maximumAvailable + "/" + restoreRate);
    }
    this.clock = clock;
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.available = maximumAvailable;
    this.lastRefill = clock.instant();
  }

  /** Adds the points restored since the last call; returns the points now available. */
  double refill() {
    Instant now = clock.instant();
    if (now.isAfter(lastRefill)) {
      Duration elapsed = Duration.between(lastRefill, now);
      double seconds = elapsed.getSeconds() + elapsed.getNano() / 1e9;
      available = Math.min(maximumAvailable, available + seconds * restoreRate);
      lastRefill = now;
    }
    return available;
  }

  /** Takes points; the caller has checked they are available. */
  void take(int points) {
    available -= points;
  }

  /** Gives back points charged in excess, never above the maximum. */
  void refund(int points) {
    available = Math.min(maximumAvailable, available + points);
  }

  int maximumAvailable() {
    return maximumAvailable;
  }

  int restoreRate() {
    return restoreRate;
  }

  /** The points available as Shopify reports them: an integer, rounded down. */
  int currentlyAvailable() {
    return (int) Math.floor(available);
  }
}
