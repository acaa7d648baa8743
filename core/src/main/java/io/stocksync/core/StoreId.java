package io.stocksync.core;

import io.stocksync.core.internal.Checks;

/**
 * Identifies one connected store: a channel name and the store's id on that channel (a Shopify
 * shop domain, an Etsy shop id, an eBay user id, an Amazon seller id plus marketplace). A store
 * can be connected once per hub.
 *
 * @param channel the channel name, e.g. {@code "shopify"}; lower case
 * @param externalId the store's id on the channel
 */
public record StoreId(String channel, String externalId) {
  /**
   * Validates and normalises the components.
   *
   * @param channel see the record description
   * @param externalId see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StoreId {
    channel = Checks.identifier(channel, "channel", 64);
    externalId = Checks.identifier(externalId, "externalId", 255);
  }

  /**
   * Creates an id.
   *
   * @param channel the channel name
   * @param externalId the store's id on the channel
   * @return the id
   * @throws InvalidInputException if either part is blank
   */
  public static StoreId of(String channel, String externalId) {
    return new StoreId(channel, externalId);
  }

  /** Returns {@code channel:externalId}. */
  @Override
  public String toString() {
    return channel + ":" + externalId;
  }
}
