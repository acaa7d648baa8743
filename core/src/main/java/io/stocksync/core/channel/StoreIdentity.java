package io.stocksync.core.channel;

import io.stocksync.core.StoreId;
import io.stocksync.core.internal.Checks;

/**
 * Who a store is, as the channel reports it.
 *
 * @param id the store id
 * @param name the store's display name
 */
public record StoreIdentity(StoreId id, String name) {
  /**
   * Validates and normalises the components.
   *
   * @param id see the record description
   * @param name see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StoreIdentity {
    Checks.notNull(id, "id");
    name = name == null || name.isBlank() ? id.externalId() : name.strip();
  }
}
