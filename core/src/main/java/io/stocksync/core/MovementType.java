package io.stocksync.core;

/** Why a stock level changed: the kinds of entries in the stock ledger. */
public enum MovementType {
  /** A manual correction by a delta. */
  ADJUSTMENT,
  /** A counted quantity replaced the physical count. */
  STOCKTAKE,
  /** Goods of a purchase order arrived. */
  PURCHASE_ORDER_RECEIPT,
  /** Stock left this warehouse for another. */
  TRANSFER_OUT,
  /** Stock arrived from another warehouse. */
  TRANSFER_IN,
  /** An order line reserved stock. */
  ORDER_BOOKING,
  /** A reservation was released (order cancelled or edited down). */
  BOOKING_RELEASE,
  /** Booked units were shipped: physical count and booking both drop. */
  FULFILMENT,
  /** Shipped units came back into stock (refund or return with restock). */
  RESTOCK,
  /** The hub copied a store's quantity (turn-on-sync copy, STORE-master mirror, read-only copy). */
  STORE_COPY
}
