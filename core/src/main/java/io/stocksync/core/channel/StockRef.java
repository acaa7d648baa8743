package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;

/**
 * The address of one stock figure on a channel: what is stocked, and where.
 *
 * @param inventoryRef the id the channel sets stock on (a Shopify inventory item, an Etsy
 *     product, an eBay SKU)
 * @param locationId the store location
 */
public record StockRef(String inventoryRef, String locationId) {
  /**
   * Validates and normalises the components.
   *
   * @param inventoryRef see the record description
   * @param locationId see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StockRef {
    Checks.notNull(inventoryRef, "inventoryRef");
    Checks.notNull(locationId, "locationId");
  }
}
