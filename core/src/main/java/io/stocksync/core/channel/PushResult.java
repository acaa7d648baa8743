package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The outcome of one {@link PushItem}. */
public sealed interface PushResult
    permits PushResult.Confirmed, PushResult.Stale, PushResult.Rejected, PushResult.Retryable {

  /**
   * The channel now holds this quantity.
   *
   * @param quantity the quantity the channel confirmed
   */
  record Confirmed(long quantity) implements PushResult {}

  /**
   * Compare-and-set failed: the store's figure was not the expected one (a sale on the store
   * between our read and our write). Nothing was written; the engine re-plans.
   *
   * @param actualQuantity the figure the store holds now
   */
  record Stale(long actualQuantity) implements PushResult {}

  /**
   * The channel refused the item and retrying will not help (e.g. item not stocked at the
   * location).
   *
   * @param reason the channel's explanation, without secrets
   */
  record Rejected(String reason) implements PushResult {
    /**
     * Validates and normalises the components.
     *
     * @param reason see the record description
     */
    public Rejected {
      reason = reason == null ? "" : reason;
    }
  }

  /**
   * A transient failure; the engine keeps the item queued and retries with backoff.
   *
   * @param reason what happened
   * @param retryAfter the wait the channel asked for, or null
   */
  record Retryable(String reason, @Nullable Duration retryAfter) implements PushResult {
    /**
     * Validates and normalises the components.
     *
     * @param reason see the record description
     * @param retryAfter see the record description
     * @throws io.stocksync.core.InvalidInputException if the wait is negative
     */
    public Retryable {
      reason = reason == null ? "" : reason;
      Checks.require(retryAfter == null || !retryAfter.isNegative(), "retryAfter", "negative");
    }
  }
}
