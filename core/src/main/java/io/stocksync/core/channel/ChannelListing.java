package io.stocksync.core.channel;

import io.stocksync.core.Sku;
import io.stocksync.core.internal.Checks;
import io.stocksync.core.internal.Ordered;
import java.time.Instant;
import java.util.Map;

/**
 * A listing as the channel reports it.
 *
 * @param listingId the listing's id on the channel (e.g. a Shopify variant gid)
 * @param inventoryRef the id stock is set on (e.g. the variant's inventory item gid); often the
 *     same as {@code listingId}
 * @param sku the SKU (listings without one are never returned)
 * @param status the listing's status
 * @param title a human-readable title
 * @param tracked whether the channel tracks stock for it; untracked listings are reported, never
 *     pushed
 * @param quantities the channel's current quantity per location where the listing is stocked
 * @param updatedAt when the channel last changed the listing
 */
public record ChannelListing(
    String listingId,
    String inventoryRef,
    Sku sku,
    ListingStatus status,
    String title,
    boolean tracked,
    Map<String, Long> quantities,
    Instant updatedAt) {
  /**
   * Validates and normalises the components.
   *
   * @param listingId see the record description
   * @param inventoryRef see the record description
   * @param sku see the record description
   * @param status see the record description
   * @param title see the record description
   * @param tracked see the record description
   * @param quantities see the record description
   * @param updatedAt see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public ChannelListing {
    Checks.notBlank(listingId, "listingId", 255);
    Checks.notBlank(inventoryRef, "inventoryRef", 255);
    Checks.notNull(sku, "sku");
    Checks.notNull(status, "status");
    title = title == null ? "" : title;
    // In the connector's order, not Map.copyOf's per-run salted one: imports iterate it.
    quantities = Ordered.mapCopy(Checks.notNull(quantities, "quantities"));
    Checks.notNull(updatedAt, "updatedAt");
  }
}
