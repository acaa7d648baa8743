package io.stocksync.testkit.shopify;

import java.util.Locale;

/** The status of a product, as in Shopify's {@code ProductStatus} enum. */
public enum ProductStatus {
  /** Sold on the sales channels the product is published to. */
  ACTIVE,
  /** Not yet ready to sell. */
  DRAFT,
  /** No longer sold. */
  ARCHIVED,
  /** Sellable by direct link only (recent API versions). */
  UNLISTED;

  /** The lower-case spelling used in search queries and REST webhook payloads. */
  String lowerCase() {
    return name().toLowerCase(Locale.ROOT);
  }
}
