package io.stocksync.core;

import io.stocksync.core.internal.Checks;

/**
 * The stock of one SKU in one warehouse.
 *
 * <p>{@code inStock} is the physical count; {@code booked} is the unfulfilled quantity of open
 * orders. {@link #available()} is what may still be sold. It is negative when orders booked more
 * than was there (an oversell); channels are then shown zero.
 *
 * @param sku the SKU
 * @param warehouseId the warehouse
 * @param inStock units physically present; negative only when a channel reported shipping units
 *     the hub did not know it had
 * @param booked units promised to open orders, never negative
 */
public record StockLevel(Sku sku, String warehouseId, long inStock, long booked) {
  /**
   * Validates and normalises the components.
   *
   * @param sku see the record description
   * @param warehouseId see the record description
   * @param inStock see the record description
   * @param booked see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StockLevel {
    Checks.notNull(sku, "sku");
    Checks.notNull(warehouseId, "warehouseId");
    Checks.notNegative(booked, "booked");
  }

  /**
   * Returns an empty level, as for a SKU that never had stock in the warehouse.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @return a level with zero in stock and zero booked
   */
  public static StockLevel empty(Sku sku, String warehouseId) {
    return new StockLevel(sku, warehouseId, 0, 0);
  }

  /**
   * Returns the quantity that may still be sold.
   *
   * @return {@code inStock - booked}, negative when oversold
   */
  public long available() {
    return inStock - booked;
  }

  /**
   * Returns this level with the given changes applied.
   *
   * @param inStockDelta change of the physical count
   * @param bookedDelta change of the booked quantity
   * @return the new level
   * @throws InvalidInputException if booked would become negative
   */
  public StockLevel plus(long inStockDelta, long bookedDelta) {
    return new StockLevel(
        sku, warehouseId, Math.addExact(inStock, inStockDelta), Math.addExact(booked, bookedDelta));
  }
}
