package io.stocksync.core;

import io.stocksync.core.internal.Checks;
import java.util.HashSet;
import java.util.List;

/**
 * Links a store location to hub warehouses. The quantity pushed to the location is the sum of the
 * available stock of all linked warehouses (a "combined" mapping when there are several). A
 * location without a mapping is unlinked: nothing is pushed there.
 *
 * @param locationId the store location's id on the channel
 * @param warehouseIds the linked warehouses, at least one, in booking priority order
 * @param master which side is the truth; {@link InventoryMaster#STORE} needs exactly one warehouse
 */
public record LocationMapping(String locationId, List<String> warehouseIds, InventoryMaster master) {
  /**
   * Validates and normalises the components.
   *
   * @param locationId see the record description
   * @param warehouseIds see the record description
   * @param master see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public LocationMapping {
    locationId = Checks.identifier(locationId, "locationId", 255);
    Checks.notNull(warehouseIds, "warehouseIds");
    Checks.require(!warehouseIds.isEmpty(), "warehouseIds", "must not be empty");
    Checks.require(
        new HashSet<>(warehouseIds).size() == warehouseIds.size(), "warehouseIds", "repeated");
    warehouseIds = List.copyOf(warehouseIds);
    Checks.notNull(master, "master");
    Checks.require(
        master == InventoryMaster.HUB || warehouseIds.size() == 1,
        "warehouseIds",
        "a STORE-master location mirrors into exactly one warehouse");
  }
}
