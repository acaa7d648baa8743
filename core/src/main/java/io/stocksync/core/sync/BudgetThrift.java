package io.stocksync.core.sync;

import io.stocksync.core.channel.RequestBudget;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the engine spends a request quota that refills slowly (a {@link RequestBudget}, such as
 * Etsy's 10,000 requests per sliding day, where every push also costs a re-read). One push per
 * change would spend it by mid-afternoon on a busy day and leave the store behind until it
 * refills; instead, once half of it is spent, the engine lets changes that leave buyers a
 * comfortable figure wait for company, longer as the quota runs down, so one call carries several
 * listings and a listing changed twice is written once with its latest figure. While more than
 * half is left nothing waits: a small shop, or the morning of a busy day, pushes as fast as
 * pacing allows. A decrease to {@value #LOW_FIGURE} units
 * or fewer never waits (that is where an oversell happens), and takes the waiting ones along.
 * Once only the reserve is left, increases wait until the quota refills above it; nothing is
 * dropped, so the store converges once it does.
 */
final class BudgetThrift {
  /** A decrease to this many units or fewer is pushed at once, whatever the budget. */
  static final long LOW_FIGURE = 3;
  /** While a quarter to a half of the quota is left. */
  static final Duration HALF_HOLD = Duration.ofMinutes(2);
  /** While less than a quarter is left, and at the reserve. */
  static final Duration SCARCE_HOLD = Duration.ofMinutes(5);
  /** How often increases held at the reserve are looked at again. */
  static final Duration RECHECK = Duration.ofMinutes(5);

  private BudgetThrift() {}

  /**
   * The thrift for a store's budget now.
   *
   * @param budget what the connector knows of its slow quota, or null when it has none
   * @return how to spend it, or null to push as soon as pacing allows (no slow quota, or more
   *     than half of it left)
   */
  static PushQueue.@Nullable Thrift of(@Nullable RequestBudget budget) {
    if (budget == null || budget.share() > 0.5) {
      return null;
    }
    Duration hold = budget.share() > 0.25 ? HALF_HOLD : SCARCE_HOLD;
    return new PushQueue.Thrift(hold, budget.atReserve(), LOW_FIGURE, RECHECK);
  }
}
