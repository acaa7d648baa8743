package io.stocksync.core;

import java.time.Instant;

/** A rate-limited manual action (such as a full listing refresh) was asked for too soon. */
public class ActionTooSoonException extends StockSyncException {
  private static final long serialVersionUID = 1L;

  private final Instant nextAllowedAt;

  /**
   * Creates the exception.
   *
   * @param action the action's name
   * @param nextAllowedAt when it may be asked for again
   */
  public ActionTooSoonException(String action, Instant nextAllowedAt) {
    super(action + " is allowed again at " + nextAllowedAt);
    this.nextAllowedAt = nextAllowedAt;
  }

  /**
   * Returns when the action may be asked for again.
   *
   * @return the instant
   */
  public Instant nextAllowedAt() {
    return nextAllowedAt;
  }
}
