package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;

/**
 * What is left of a channel's request quota that refills slowly, such as Etsy's 10,000 requests
 * per sliding 24 hours, as far as the connector knows it. The engine uses it to spend a scarce
 * quota well: while it is plentiful nothing changes; as it runs down, pushes that leave buyers a
 * comfortable figure wait longer so several changes share one call, and once only the reserve is
 * left, increases wait for it to refill, so what remains goes to pushes that stop an oversell.
 *
 * @param remaining requests left in the current window, zero or more
 * @param limit the window's whole quota, at least 1
 * @param reserve the part of it kept for decreases and order reads; increases wait while {@code
 *     remaining} is at or below it. Zero or more, at most {@code limit}
 */
public record RequestBudget(long remaining, long limit, long reserve) {
  /**
   * Validates the components.
   *
   * @param remaining see the record description
   * @param limit see the record description
   * @param reserve see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is out of range
   */
  public RequestBudget {
    Checks.require(limit >= 1, "limit", "must be >= 1: " + limit);
    Checks.require(remaining >= 0, "remaining", "must be >= 0: " + remaining);
    Checks.require(reserve >= 0 && reserve <= limit, "reserve",
        "must be between 0 and the limit: " + reserve);
  }

  /**
   * The share of the quota left.
   *
   * @return {@code remaining / limit}, 0 when spent (above 1 is reported as 1)
   */
  public double share() {
    return Math.min(1.0, remaining / (double) limit);
  }

  /**
   * Tells whether only the reserve is left.
   *
   * @return true when {@code remaining <= reserve}
   */
  public boolean atReserve() {
    return remaining <= reserve;
  }
}
