package io.stocksync.core;

import io.stocksync.core.internal.Checks;

/**
 * A physical place that holds stock in the hub.
 *
 * @param id a stable identifier chosen by the host, e.g. {@code "main"}; trimmed, non-blank
 * @param name a human-readable name; defaults to the id when blank
 */
public record Warehouse(String id, String name) {
  /** The longest id accepted, in characters. */
  public static final int MAX_ID_LENGTH = 128;
  /**
   * Validates and normalises the components.
   *
   * @param id see the record description
   * @param name see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public Warehouse {
    id = Checks.notBlank(id, "warehouseId", MAX_ID_LENGTH);
    name = name == null || name.isBlank() ? id : name.strip();
  }

  /**
   * Creates a warehouse.
   *
   * @param id the id
   * @param name the name, or blank to use the id
   * @return the warehouse
   * @throws InvalidInputException if the id is blank or too long
   */
  public static Warehouse of(String id, String name) {
    return new Warehouse(id, name);
  }
}
