package io.stocksync.core.sync;

import io.stocksync.core.internal.Checks;

/**
 * How a store's pushed quantity is shaped from the hub's available stock. Applied in this order:
 * take {@link #sharePercent()} percent (rounded down), subtract {@link #buffer()}, show zero when
 * the result is at or below {@link #showZeroAtOrBelow()}, cap at {@link #maxQuantity()}, never
 * below zero.
 *
 * @param sharePercent the share of stock offered, 0 to 100
 * @param buffer units held back, zero or more
 * @param showZeroAtOrBelow push zero when the shaped quantity is at or below this, zero or more
 * @param maxQuantity the largest quantity ever pushed, zero or more
 */
public record StockRules(int sharePercent, long buffer, long showZeroAtOrBelow, long maxQuantity) {
  /** The rules that push the available stock unchanged (capped at one billion, Shopify's limit). */
  public static final StockRules DEFAULT = new StockRules(100, 0, 0, 1_000_000_000L);
  /**
   * Validates and normalises the components.
   *
   * @param sharePercent see the record description
   * @param buffer see the record description
   * @param showZeroAtOrBelow see the record description
   * @param maxQuantity see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StockRules {
    Checks.require(
        sharePercent >= 0 && sharePercent <= 100, "sharePercent", "must be 0..100: " + sharePercent);
    Checks.notNegative(buffer, "buffer");
    Checks.notNegative(showZeroAtOrBelow, "showZeroAtOrBelow");
    Checks.notNegative(maxQuantity, "maxQuantity");
  }

  /**
   * Returns these rules with another share.
   *
   * @param percent 0 to 100
   * @return the new rules
   * @throws io.stocksync.core.InvalidInputException if out of range
   */
  public StockRules withSharePercent(int percent) {
    return new StockRules(percent, buffer, showZeroAtOrBelow, maxQuantity);
  }

  /**
   * Returns these rules with another buffer.
   *
   * @param units zero or more
   * @return the new rules
   * @throws io.stocksync.core.InvalidInputException if negative
   */
  public StockRules withBuffer(long units) {
    return new StockRules(sharePercent, units, showZeroAtOrBelow, maxQuantity);
  }

  /**
   * Returns these rules with another show-zero threshold.
   *
   * @param units zero or more
   * @return the new rules
   * @throws io.stocksync.core.InvalidInputException if negative
   */
  public StockRules withShowZeroAtOrBelow(long units) {
    return new StockRules(sharePercent, buffer, units, maxQuantity);
  }

  /**
   * Returns these rules with another cap.
   *
   * @param units zero or more
   * @return the new rules
   * @throws io.stocksync.core.InvalidInputException if negative
   */
  public StockRules withMaxQuantity(long units) {
    return new StockRules(sharePercent, buffer, showZeroAtOrBelow, units);
  }

  /**
   * Shapes an available quantity into the quantity to push.
   *
   * @param available the hub's available stock for the location, may be negative
   * @return the quantity to push, zero or more
   */
  public long apply(long available) {
    long q = Math.max(0, available);
    if (sharePercent < 100) {
      // Divide first so huge stocks cannot overflow: floor(q * s / 100) exactly.
      q = q / 100 * sharePercent + q % 100 * sharePercent / 100;
    }
    q -= buffer;
    if (q <= showZeroAtOrBelow) {
      return 0;
    }
    return Math.max(0, Math.min(q, maxQuantity));
  }
}
