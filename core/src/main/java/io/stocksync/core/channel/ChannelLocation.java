package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;

/**
 * A place inside a store with its own stock figure (a Shopify location, Amazon FBM or FBA).
 * Channels without locations report one implicit location.
 *
 * @param id the location's id on the channel
 * @param name a human-readable name
 * @param active whether the channel uses the location; inactive locations are not proposed for
 *     mapping
 * @param readOnly whether the channel manages the stock itself (Amazon FBA): copied into the hub
 *     every 24 hours, never pushed
 */
public record ChannelLocation(String id, String name, boolean active, boolean readOnly) {
  /**
   * Validates and normalises the components.
   *
   * @param id see the record description
   * @param name see the record description
   * @param active see the record description
   * @param readOnly see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public ChannelLocation {
    id = Checks.identifier(id, "locationId", 255);
    name = name == null || name.isBlank() ? id : name.strip();
  }
}
