package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One quantity to set.
 *
 * @param ref where to set it
 * @param quantity the quantity, zero or more
 * @param expected the quantity the engine believes is there now, for compare-and-set; null to
 *     set unconditionally
 * @param idempotencyKey chosen once per logical change and reused unchanged on every retry of it.
 *     The engine never reuses a key for a different change; a connector that meets a key it
 *     already applied should answer as it did the first time without applying again (or pass the
 *     key to a channel that does so, like Shopify's {@code @idempotent})
 */
public record PushItem(StockRef ref, long quantity, @Nullable Long expected, String idempotencyKey) {
  /**
   * Validates and normalises the components.
   *
   * @param ref see the record description
   * @param quantity see the record description
   * @param expected see the record description
   * @param idempotencyKey see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public PushItem {
    Checks.notNull(ref, "ref");
    Checks.notNegative(quantity, "quantity");
    Checks.notBlank(idempotencyKey, "idempotencyKey", 255);
  }
}
