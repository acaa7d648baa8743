package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link PushItem}.
 *
 * <p>For adapter authors: answer {@link Confirmed} only when the channel's response says the
 * figure is now set. A channel that queues writes and applies them later (Amazon's Listings Items
 * API answers {@code ACCEPTED}, feeds are processed asynchronously) answers {@link Accepted}: the
 * engine then reads the figure back with {@link ChannelConnector#readQuantities} after the given
 * wait and counts it as pushed only when the read shows it. Such an adapter must make an applied
 * write readable through {@code readQuantities} eventually; {@code ChannelConnectorContract} in
 * the testkit checks it.
 */
public sealed interface PushResult
    permits PushResult.Confirmed,
        PushResult.Accepted,
        PushResult.Stale,
        PushResult.Rejected,
        PushResult.Retryable {

  /**
   * The channel now holds this quantity.
   *
   * @param quantity the quantity the channel confirmed
   */
  record Confirmed(long quantity) implements PushResult {}

  /**
   * The channel queued the write but has not applied it yet (e.g. Amazon's {@code ACCEPTED}).
   * The engine must not count it as confirmed: it keeps the item in flight, unconfirmed, and
   * after {@code verifyAfter} re-reads the figure with {@link ChannelConnector#readQuantities}
   * (batched with the store's other due verifications). It confirms the quantity only if the read
   * shows it; otherwise it re-plans and pushes again. An item that is never verified is never
   * counted as confirmed: after a restart the engine still sees the old figure as the last
   * confirmed one and derives the push again.
   *
   * @param quantity the quantity the channel accepted to set, zero or more
   * @param verifyAfter how long to wait before reading it back, zero or more (the channel's
   *     typical processing time)
   */
  record Accepted(long quantity, Duration verifyAfter) implements PushResult {
    /**
     * Validates the components.
     *
     * @param quantity see the record description
     * @param verifyAfter see the record description
     * @throws io.stocksync.core.InvalidInputException if the quantity is negative or the wait is
     *     null or negative
     */
    public Accepted {
      Checks.require(quantity >= 0, "quantity", "negative: " + quantity);
      Checks.notNull(verifyAfter, "verifyAfter");
      Checks.require(!verifyAfter.isNegative(), "verifyAfter", "negative");
    }
  }

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
   * A transient failure; the engine keeps the item queued and retries with backoff. A wait the
   * channel asked for holds this item only (an Etsy increase kept back for the daily reserve, an
   * eBay listing at its revision cap), so the store's other figures, a drop to 0 among them, go
   * on; only when every item of a call answers with a wait does the whole store pause for it. A
   * connector paced for the whole store says so through {@link ChannelConnector#pacingDelay} or
   * by throwing {@link io.stocksync.core.RetryLaterException}.
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
