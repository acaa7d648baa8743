package io.stocksync.core;

/** No warehouse with this id is defined in the hub. */
public class UnknownWarehouseException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String warehouseId;

  /**
   * Creates the exception.
   *
   * @param field the parameter that carried the warehouse id
   * @param warehouseId the id that is not known
   */
  public UnknownWarehouseException(String field, String warehouseId) {
    super(field, "unknown warehouse '" + warehouseId + "'");
    this.warehouseId = warehouseId;
  }

  /**
   * Returns the warehouse id that is not known.
   *
   * @return the unknown id
   */
  public String warehouseId() {
    return warehouseId;
  }
}
