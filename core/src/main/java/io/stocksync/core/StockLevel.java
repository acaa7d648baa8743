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
 * @param counted whether the hub has a figure for it: set by adjustments, stocktakes, receipts,
 *     transfers and store copies, never by order bookings alone. Listings of a SKU without a
 *     counted level are not pushed, since pushing zero would wipe the store's figure.
 */
public record StockLevel(Sku sku, String warehouseId, long inStock, long booked, boolean counted) {
  /**
   * Validates and normalises the components.
   *
   * @param sku see the record description
   * @param warehouseId see the record description
   * @param inStock see the record description
   * @param booked see the record description
   * @param counted see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StockLevel {
    Checks.notNull(sku, "sku");
    Checks.notNull(warehouseId, "warehouseId");
    Checks.notNegative(booked, "booked");
  }

  /**
   * Creates a counted level.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @param inStock units physically present
   * @param booked units promised to open orders
   * @throws InvalidInputException if the SKU or warehouse is null or booked is negative
   */
  public StockLevel(Sku sku, String warehouseId, long inStock, long booked) {
    this(sku, warehouseId, inStock, booked, true);
  }

  /**
   * Returns an empty, uncounted level, as for a SKU that never had stock in the warehouse.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @return a level with zero in stock and zero booked
   */
  public static StockLevel empty(Sku sku, String warehouseId) {
    return new StockLevel(sku, warehouseId, 0, 0, false);
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
   * @param nowCounted true when the change sets a figure (it stays counted once counted)
   * @return the new level
   * @throws InvalidInputException if booked would become negative
   */
  public StockLevel plus(long inStockDelta, long bookedDelta, boolean nowCounted) {
    return new StockLevel(sku, warehouseId, Math.addExact(inStock, inStockDelta),
        Math.addExact(booked, bookedDelta), counted || nowCounted);
  }
}
