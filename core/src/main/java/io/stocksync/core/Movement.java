package io.stocksync.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the stock ledger: a change of one SKU's stock level in one warehouse.
 *
 * @param id a store-assigned, strictly increasing sequence number
 * @param operationId the caller's operation id that produced this entry, or null
 * @param at when the operation committed, from the hub's clock
 * @param type what kind of change this is
 * @param sku the SKU whose level changed
 * @param warehouseId the warehouse whose level changed
 * @param inStockDelta the change of the physical count
 * @param bookedDelta the change of the booked quantity
 * @param reason a free-text reason, may be empty
 * @param reference what caused it, e.g. an order or purchase-order reference, may be empty
 */
public record Movement(
    long id,
    @Nullable String operationId,
    Instant at,
    MovementType type,
    Sku sku,
    String warehouseId,
    long inStockDelta,
    long bookedDelta,
    String reason,
    String reference) {

  /**
   * Returns the change of the available quantity.
   *
   * @return {@code inStockDelta - bookedDelta}
   */
  public long availableDelta() {
    return inStockDelta - bookedDelta;
  }
}
