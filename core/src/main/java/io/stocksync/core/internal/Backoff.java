package io.stocksync.core.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Retry delay as a pure function of the attempt number and the peer's retry-after, so the
 * scheduler, not the caller, waits.
 */
public final class Backoff {
  private Backoff() {}

  /**
   * Computes the delay before a retry. Without a retry-after: {@code initial * 2^(attempt-1)},
   * capped at {@code max}, then scaled into [50%, 100%] by {@code jitter} so retries of many
   * items spread out. With a retry-after: at least the retry-after.
   *
   * @param attempt the attempt that failed, 1 for the first
   * @param retryAfter the wait the peer asked for, or null
   * @param initial the first delay
   * @param max the cap
   * @param jitter a number in [0, 1), usually random
   * @return the delay
   */
  public static Duration delay(
      int attempt, @Nullable Duration retryAfter, Duration initial, Duration max, double jitter) {
    int shift = Math.min(Math.max(attempt, 1) - 1, 30);
    long base = Math.min(max.toMillis(), initial.toMillis() << shift);
    if (base < 0) {
      base = max.toMillis();
    }
    long jittered = (long) (base * (0.5 + 0.5 * jitter));
    Duration d = Duration.ofMillis(Math.max(1, jittered));
    return retryAfter != null && retryAfter.compareTo(d) > 0 ? retryAfter : d;
  }
}
