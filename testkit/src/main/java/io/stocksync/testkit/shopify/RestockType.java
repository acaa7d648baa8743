package io.stocksync.testkit.shopify;

import java.util.Locale;

/** How a refunded line item affects stock, as in Shopify's {@code RefundLineItemRestockType}. */
public enum RestockType {
  /** Refunds fulfilled units that came back; they are put back into {@code available}. */
  RETURN,
  /** Refunds unfulfilled units; they are removed from the order and put back into {@code available}. */
  CANCEL,
  /** Refunds units without touching stock (unfulfilled units first, then fulfilled ones). */
  NO_RESTOCK,
  /**
   * Legacy restock: like {@link #NO_RESTOCK} in which units it takes (unfulfilled first), but the
   * units are put back into {@code available}. Present in old orders only.
   */
  LEGACY_RESTOCK;

  /** The lower-case spelling used in REST webhook payloads. */
  String lowerCase() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this type puts units back into {@code available}. */
  boolean restocks() {
    return this != NO_RESTOCK;
  }
}
