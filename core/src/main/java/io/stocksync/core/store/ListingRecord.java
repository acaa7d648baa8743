package io.stocksync.core.store;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.internal.Checks;

/**
 * A listing imported from a store and linked to the product with the same SKU.
 *
 * @param store the store
 * @param listingId the listing's id on the channel (e.g. a Shopify variant gid)
 * @param inventoryRef the id the channel sets stock on (e.g. a Shopify inventory item gid)
 * @param sku the SKU
 * @param status the listing's status
 * @param title a human-readable title
 * @param tracked whether the channel tracks stock for it; untracked listings are never pushed
 */
public record ListingRecord(
    StoreId store,
    String listingId,
    String inventoryRef,
    Sku sku,
    ListingStatus status,
    String title,
    boolean tracked) {
  /**
   * Validates and normalises the components.
   *
   * @param store see the record description
   * @param listingId see the record description
   * @param inventoryRef see the record description
   * @param sku see the record description
   * @param status see the record description
   * @param title see the record description
   * @param tracked see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public ListingRecord {
    Checks.notNull(store, "store");
    Checks.notNull(listingId, "listingId");
    Checks.notNull(inventoryRef, "inventoryRef");
    Checks.notNull(sku, "sku");
    Checks.notNull(status, "status");
    Checks.notNull(title, "title");
  }
}
