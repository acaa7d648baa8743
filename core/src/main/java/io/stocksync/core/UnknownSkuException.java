package io.stocksync.core;

/** No product with this SKU is defined in the hub. */
public class UnknownSkuException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final Sku sku;

  /**
   * Creates the exception.
   *
   * @param field the parameter that carried the SKU
   * @param sku the SKU that is not known
   */
  public UnknownSkuException(String field, Sku sku) {
    super(field, "unknown SKU '" + sku + "'");
    this.sku = sku;
  }

  /**
   * Returns the SKU that is not known.
   *
   * @return the unknown SKU
   */
  public Sku sku() {
    return sku;
  }
}
