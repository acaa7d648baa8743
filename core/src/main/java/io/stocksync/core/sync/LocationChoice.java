package io.stocksync.core.sync;

import io.stocksync.core.InventoryMaster;
import io.stocksync.core.Warehouse;
import io.stocksync.core.internal.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What to do with one store location when sync is turned on: link it to a new warehouse, to
 * existing warehouses (several make a combined mapping whose available stock is summed), or leave
 * it unlinked; and which side is the inventory master.
 *
 * @param newWarehouse a warehouse to create and link, or null
 * @param warehouseIds existing warehouses to link, empty when creating or unlinked
 * @param master which side is the truth for the location
 */
public record LocationChoice(
    @Nullable Warehouse newWarehouse, List<String> warehouseIds, InventoryMaster master) {
  /**
   * Validates and normalises the components.
   *
   * @param newWarehouse see the record description
   * @param warehouseIds see the record description
   * @param master see the record description
   * @throws io.stocksync.core.InvalidInputException if both a new and existing warehouses are
   *     given, or the master is null
   */
  public LocationChoice {
    warehouseIds = List.copyOf(Checks.notNull(warehouseIds, "warehouseIds"));
    Checks.require(newWarehouse == null || warehouseIds.isEmpty(), "warehouseIds",
        "give a new warehouse or existing ones, not both");
    Checks.notNull(master, "master");
  }

  /**
   * Links the location to a warehouse created for it.
   *
   * @param id the new warehouse's id
   * @param name its name
   * @return the choice, HUB master
   * @throws io.stocksync.core.InvalidInputException if the id is blank
   */
  public static LocationChoice newWarehouse(String id, String name) {
    return new LocationChoice(Warehouse.of(id, name), List.of(), InventoryMaster.HUB);
  }

  /**
   * Links the location to existing warehouses; with several, their available stock is combined.
   *
   * @param warehouseIds the warehouses, at least one
   * @return the choice, HUB master
   * @throws io.stocksync.core.InvalidInputException if none is given
   */
  public static LocationChoice existing(String... warehouseIds) {
    Checks.require(warehouseIds.length > 0, "warehouseIds", "at least one");
    return new LocationChoice(null, List.of(warehouseIds), InventoryMaster.HUB);
  }

  /**
   * Leaves the location unlinked: nothing is pushed there or copied from it.
   *
   * @return the choice
   */
  public static LocationChoice unlinked() {
    return new LocationChoice(null, List.of(), InventoryMaster.HUB);
  }

  /**
   * Returns this choice with another master.
   *
   * @param newMaster the master
   * @return the copy
   */
  public LocationChoice master(InventoryMaster newMaster) {
    return new LocationChoice(newWarehouse, warehouseIds, newMaster);
  }

  /**
   * Tells whether the location stays unlinked.
   *
   * @return true when no warehouse is linked
   */
  public boolean isUnlinked() {
    return newWarehouse == null && warehouseIds.isEmpty();
  }
}
