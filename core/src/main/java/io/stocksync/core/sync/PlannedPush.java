package io.stocksync.core.sync;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.StockRef;
import org.jspecify.annotations.Nullable;

/**
 * One desired quantity for one listing at one store location, with the quantity last known to
 * be there.
 *
 * @param store the store
 * @param listingId the listing
 * @param ref where the quantity is set
 * @param sku the listing's SKU
 * @param quantity the desired quantity, zero or more
 * @param known the quantity last confirmed or read there, or null if never known
 */
public record PlannedPush(
    StoreId store, String listingId, StockRef ref, Sku sku, long quantity, @Nullable Long known) {

  /**
   * Tells whether the push lowers the store's figure; decreases are pushed first so a shrinking
   * stock is never oversold while increases wait.
   *
   * @return true when the desired quantity is below the known one, or nothing is known
   */
  public boolean decrease() {
    return known == null || quantity < known;
  }

  /**
   * Tells whether the push changes the store's figure.
   *
   * @return true when the desired quantity differs from the known one
   */
  public boolean changes() {
    return known == null || quantity != known;
  }
}
