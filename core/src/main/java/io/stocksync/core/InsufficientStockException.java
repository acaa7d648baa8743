package io.stocksync.core;

/**
 * An operation would take more stock than the warehouse holds (for example a transfer beyond the
 * available quantity, or an adjustment below zero). Nothing was changed.
 */
public class InsufficientStockException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final Sku sku;
  private final String warehouseId;
  private final long requested;
  private final long present;

  /**
   * Creates the exception.
   *
   * @param field the parameter whose value is too large
   * @param sku the SKU concerned
   * @param warehouseId the warehouse concerned
   * @param requested the quantity the operation needed
   * @param present the quantity that was there
   */
  public InsufficientStockException(
      String field, Sku sku, String warehouseId, long requested, long present) {
    super(
        field,
        "needs " + requested + " of '" + sku + "' in warehouse '" + warehouseId
            + "' but only " + present + " is there");
    this.sku = sku;
    this.warehouseId = warehouseId;
    this.requested = requested;
    this.present = present;
  }

  /**
   * Returns the SKU concerned.
   *
   * @return the SKU
   */
  public Sku sku() {
    return sku;
  }

  /**
   * Returns the warehouse concerned.
   *
   * @return the warehouse id
   */
  public String warehouseId() {
    return warehouseId;
  }

  /**
   * Returns the quantity the operation needed.
   *
   * @return the requested quantity
   */
  public long requested() {
    return requested;
  }

  /**
   * Returns the quantity that was there.
   *
   * @return the present quantity
   */
  public long present() {
    return present;
  }
}
