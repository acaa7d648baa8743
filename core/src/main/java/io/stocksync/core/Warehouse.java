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
  /** The longest name accepted, in characters: as for product names. */
  public static final int MAX_NAME_LENGTH = Product.MAX_NAME_LENGTH;
  /**
   * Validates and normalises the components.
   *
   * @param id see the record description
   * @param name see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public Warehouse {
    id = Checks.identifier(id, "warehouseId", MAX_ID_LENGTH);
    name = name == null || name.isBlank() ? id : name.strip();
    Checks.require(name.length() <= MAX_NAME_LENGTH, "name",
        "longer than " + MAX_NAME_LENGTH + " characters: " + name.length());
    Checks.noControlCharacters(name, "name");
  }

  /**
   * Creates a warehouse.
   *
   * @param id the id
   * @param name the name, or blank to use the id
   * @return the warehouse
   * @throws InvalidInputException if the id is blank, too long or holds a control character, or
   *     the name is too long or holds a control character
   */
  public static Warehouse of(String id, String name) {
    return new Warehouse(id, name);
  }
}
