package io.stocksync.core.sync;

import io.stocksync.core.channel.RequestBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * How the engine spends a request quota that refills slowly (a {@link RequestBudget}, such as
 * Etsy's 10,000 requests per sliding day, where every push also costs a re-read). One push per
 * change would spend it by mid-afternoon on a busy day and leave the store behind until it
 * refills. Instead, changes that leave buyers a comfortable figure wait for company, so one call
 * carries several listings and a listing changed twice is written once with its latest figure:
 * {@value #BUSY_HOLD_SECONDS} s while the store spends the quota faster than half an even share
 * of it per hour (over the last hour, net of what refilled), and longer once half of it is gone,
 * whatever the pace. Half, because the window slides: what a quiet morning spends still counts
 * against the evening, so a pace that would just last a flat day runs out on a day with peaks.
 * A quiet store with plenty left pushes as fast as pacing allows. A decrease
 * to {@value #LOW_FIGURE} units or fewer never waits (that is where an oversell happens), and
 * takes the waiting ones along. Once only the reserve is left, increases wait until the quota
 * refills above it; nothing is dropped, so the store converges once it does.
 *
 * <p>One per store; called from the store's lane only.
 */
final class BudgetThrift {
  /** A decrease to this many units or fewer is pushed at once, whatever the budget. */
  static final long LOW_FIGURE = 3;
  /**
   * Long enough for a busy store's call to carry several listings (at 30 s most of the sales
   * day's Etsy calls carried one to three); a comfortable figure loses little by waiting it.
   */
  static final long BUSY_HOLD_SECONDS = 120;
  /** While more than half is left but the store spends it faster than it refills. */
  static final Duration BUSY_HOLD = Duration.ofSeconds(BUSY_HOLD_SECONDS);
  /** While a quarter to a half of the quota is left. */
  static final Duration HALF_HOLD = Duration.ofMinutes(2);
  /** While less than a quarter is left, and at the reserve. */
  static final Duration SCARCE_HOLD = Duration.ofMinutes(5);
  /** How often increases held at the reserve are looked at again. */
  static final Duration RECHECK = Duration.ofMinutes(5);
  /** The quotas this serves refill over a day; an even share is a 24th of it per hour. */
  static final Duration WINDOW = Duration.ofDays(1);
  /** How far back the pace of spending is measured. */
  static final Duration LOOKBACK = Duration.ofHours(1);
  /**
   * Spending more than this many even shares in the look-back counts as busy: 1 is spending
   * faster than the quota refills (the sales day oversold 79 units at 1.5, 74 at 1). At 0.5 the
   * sales day's Etsy shop settled 70 min after the day instead of 140, oversold unchanged (69).
   */
  static final double BUSY_FACTOR = 0.5;
  private static final long SAMPLE_EVERY_MILLIS = 10_000;

  /** (epoch millis, remaining) samples, oldest first, covering the look-back and one before. */
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  /**
   * The thrift for a store's budget now, remembering it to judge the pace of spending.
   *
   * @param budget what the connector knows of its slow quota, or null when it has none
   * @param now the engine's clock
   * @return how to spend it, or null to push as soon as pacing allows (no slow quota, or a quiet
   *     store with more than half of it left)
   */
  PushQueue.@Nullable Thrift next(@Nullable RequestBudget budget, Instant now) {
    if (budget == null) {
      samples.clear();
      return null;
    }
    long at = now.toEpochMilli();
    long[] last = samples.peekLast();
    if (last == null || at - last[0] >= SAMPLE_EVERY_MILLIS || at < last[0]) {
      samples.addLast(new long[] {at, budget.remaining()});
    }
    // Keep one sample at or before the look-back's start as the baseline.
    long from = at - LOOKBACK.toMillis();
    while (samples.size() > 1 && nextAfterFirst(samples)[0] <= from) {
      samples.removeFirst();
    }
    long spent = samples.peekFirst()[1] - budget.remaining();
    double evenShare = budget.limit() * (LOOKBACK.toMillis() / (double) WINDOW.toMillis());
    boolean busy = spent > evenShare * BUSY_FACTOR;
    double share = budget.share();
    if (share > 0.5) {
      return busy ? new PushQueue.Thrift(BUSY_HOLD, false, LOW_FIGURE, RECHECK) : null;
    }
    Duration hold = share > 0.25 ? HALF_HOLD : SCARCE_HOLD;
    return new PushQueue.Thrift(hold, budget.atReserve(), LOW_FIGURE, RECHECK);
  }

  private static long[] nextAfterFirst(ArrayDeque<long[]> samples) {
    var it = samples.iterator();
    it.next();
    return it.next();
  }
}
