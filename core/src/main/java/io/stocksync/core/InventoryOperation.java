package io.stocksync.core;

import io.stocksync.core.internal.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One atomic change of hub stock, applied with {@link Inventory#apply(InventoryOperation)} and
 * recorded as one or more {@link Movement}s.
 *
 * <p>Every operation may carry a caller-chosen {@linkplain #operationId() operation id}: applying
 * an operation whose id was already applied is a no-op, so a caller may retry after a timeout
 * without double-counting. Reusing an id for a <em>different</em> operation throws {@link
 * IdempotencyConflictException}.
 *
 * <p>Operations are immutable values validated at construction; constructors throw {@link
 * InvalidInputException} naming the offending field.
 */
public sealed interface InventoryOperation
    permits InventoryOperation.Adjust,
        InventoryOperation.Stocktake,
        InventoryOperation.ReceivePurchaseOrder,
        InventoryOperation.Transfer,
        InventoryOperation.Book,
        InventoryOperation.Release,
        InventoryOperation.Fulfil,
        InventoryOperation.Restock,
        InventoryOperation.CopyFromStore {

  /** The longest operation id, reason or reference accepted, in characters. */
  int MAX_TEXT_LENGTH = 255;

  /**
   * Returns the caller's operation id.
   *
   * @return the id, or null when the operation is not idempotent
   */
  @Nullable String operationId();

  /**
   * Returns this operation with an operation id that makes retries a no-op.
   *
   * @param operationId a non-blank id, unique per logical operation
   * @return a copy carrying the id
   * @throws InvalidInputException if the id is blank or too long
   */
  InventoryOperation withOperationId(String operationId);

  private static @Nullable String opId(@Nullable String operationId) {
    return operationId == null
        ? null
        : Checks.notBlank(operationId, "operationId", MAX_TEXT_LENGTH);
  }

  private static String text(@Nullable String value, String field) {
    if (value == null) {
      return "";
    }
    String v = value.strip();
    Checks.require(
        v.length() <= MAX_TEXT_LENGTH, field, "longer than " + MAX_TEXT_LENGTH + " characters");
    return v;
  }

  /**
   * Changes the physical count by a delta (a manual correction).
   *
   * @param sku the SKU, not a bundle
   * @param warehouseId the warehouse
   * @param delta the change, non-zero; the count may not drop below zero
   * @param reason why, may be empty
   * @param operationId idempotency id, or null
   */
  record Adjust(
      Sku sku, String warehouseId, long delta, String reason, @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param delta see the record description
     * @param reason see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public Adjust {
      Checks.notNull(sku, "sku");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.require(delta != 0, "delta", "must not be 0");
      reason = text(reason, "reason");
      operationId = opId(operationId);
    }

    @Override
    public Adjust withOperationId(String operationId) {
      return new Adjust(sku, warehouseId, delta, reason, operationId);
    }
  }

  /**
   * Replaces the physical count with a counted quantity (a stocktake).
   *
   * @param sku the SKU, not a bundle
   * @param warehouseId the warehouse
   * @param counted the counted quantity, zero or more
   * @param reason why, may be empty
   * @param operationId idempotency id, or null
   */
  record Stocktake(
      Sku sku, String warehouseId, long counted, String reason, @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param counted see the record description
     * @param reason see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public Stocktake {
      Checks.notNull(sku, "sku");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.notNegative(counted, "counted");
      reason = text(reason, "reason");
      operationId = opId(operationId);
    }

    @Override
    public Stocktake withOperationId(String operationId) {
      return new Stocktake(sku, warehouseId, counted, reason, operationId);
    }
  }

  /**
   * Receives the goods of a purchase order into one warehouse, all lines at once.
   *
   * @param purchaseOrderRef the purchase order's reference, recorded on every movement
   * @param warehouseId the receiving warehouse
   * @param lines one line per SKU, at least one
   * @param operationId idempotency id, or null
   */
  record ReceivePurchaseOrder(
      String purchaseOrderRef,
      String warehouseId,
      List<Line> lines,
      @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param purchaseOrderRef see the record description
     * @param warehouseId see the record description
     * @param lines see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public ReceivePurchaseOrder {
      purchaseOrderRef = text(purchaseOrderRef, "purchaseOrderRef");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.notNull(lines, "lines");
      Checks.require(!lines.isEmpty(), "lines", "must not be empty");
      Set<Sku> seen = new HashSet<>();
      for (Line line : lines) {
        Checks.notNull(line, "lines");
        Checks.require(seen.add(line.sku()), "lines", "SKU '" + line.sku() + "' repeated");
      }
      lines = List.copyOf(lines);
      operationId = opId(operationId);
    }

    @Override
    public ReceivePurchaseOrder withOperationId(String operationId) {
      return new ReceivePurchaseOrder(purchaseOrderRef, warehouseId, lines, operationId);
    }

    /**
     * One received SKU.
     *
     * @param sku the SKU, not a bundle
     * @param quantity units received, greater than zero
     */
    public record Line(Sku sku, long quantity) {
      /**
       * Validates and normalises the components.
       *
       * @param sku see the record description
       * @param quantity see the record description
       * @throws io.stocksync.core.InvalidInputException if a component is invalid
       */
      public Line {
        Checks.notNull(sku, "sku");
        Checks.positive(quantity, "quantity");
      }
    }
  }

  /**
   * Moves available stock from one warehouse to another; rejected when the source lacks it.
   *
   * @param sku the SKU, not a bundle
   * @param fromWarehouseId the source
   * @param toWarehouseId the destination, different from the source
   * @param quantity units moved, greater than zero, at most the source's available quantity
   * @param reason why, may be empty
   * @param operationId idempotency id, or null
   */
  record Transfer(
      Sku sku,
      String fromWarehouseId,
      String toWarehouseId,
      long quantity,
      String reason,
      @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param fromWarehouseId see the record description
     * @param toWarehouseId see the record description
     * @param quantity see the record description
     * @param reason see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public Transfer {
      Checks.notNull(sku, "sku");
      Checks.notNull(fromWarehouseId, "fromWarehouseId");
      Checks.notNull(toWarehouseId, "toWarehouseId");
      Checks.require(
          !fromWarehouseId.equals(toWarehouseId), "toWarehouseId", "must differ from the source");
      Checks.positive(quantity, "quantity");
      reason = text(reason, "reason");
      operationId = opId(operationId);
    }

    @Override
    public Transfer withOperationId(String operationId) {
      return new Transfer(sku, fromWarehouseId, toWarehouseId, quantity, reason, operationId);
    }
  }

  /**
   * Reserves stock for an order line. Booking more than is available is allowed (the channel
   * already sold it) and makes {@link StockLevel#available()} negative. A bundle books its
   * components.
   *
   * @param sku the SKU (a bundle books its components)
   * @param warehouseId the warehouse
   * @param quantity units, greater than zero
   * @param reference the order reference, may be empty
   * @param operationId idempotency id, or null
   */
  record Book(
      Sku sku, String warehouseId, long quantity, String reference, @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param quantity see the record description
     * @param reference see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public Book {
      Checks.notNull(sku, "sku");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.positive(quantity, "quantity");
      reference = text(reference, "reference");
      operationId = opId(operationId);
    }

    @Override
    public Book withOperationId(String operationId) {
      return new Book(sku, warehouseId, quantity, reference, operationId);
    }
  }

  /**
   * Releases a reservation (order cancelled or edited down). A bundle releases its components.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @param quantity units, greater than zero, at most the booked quantity
   * @param reference the order reference, may be empty
   * @param operationId idempotency id, or null
   */
  record Release(
      Sku sku, String warehouseId, long quantity, String reference, @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param quantity see the record description
     * @param reference see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public Release {
      Checks.notNull(sku, "sku");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.positive(quantity, "quantity");
      reference = text(reference, "reference");
      operationId = opId(operationId);
    }

    @Override
    public Release withOperationId(String operationId) {
      return new Release(sku, warehouseId, quantity, reference, operationId);
    }
  }

  /**
   * Ships booked units: the physical count and the booking both drop. A bundle fulfils its
   * components.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @param quantity units, greater than zero, at most the booked quantity
   * @param reference the order reference, may be empty
   * @param operationId idempotency id, or null
   */
  record Fulfil(
      Sku sku, String warehouseId, long quantity, String reference, @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param quantity see the record description
     * @param reference see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public Fulfil {
      Checks.notNull(sku, "sku");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.positive(quantity, "quantity");
      reference = text(reference, "reference");
      operationId = opId(operationId);
    }

    @Override
    public Fulfil withOperationId(String operationId) {
      return new Fulfil(sku, warehouseId, quantity, reference, operationId);
    }
  }

  /**
   * Puts shipped units back into stock (refund or return with restock). A bundle restocks its
   * components.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @param quantity units, greater than zero
   * @param reference the order or return reference, may be empty
   * @param operationId idempotency id, or null
   */
  record Restock(
      Sku sku, String warehouseId, long quantity, String reference, @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param quantity see the record description
     * @param reference see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public Restock {
      Checks.notNull(sku, "sku");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.positive(quantity, "quantity");
      reference = text(reference, "reference");
      operationId = opId(operationId);
    }

    @Override
    public Restock withOperationId(String operationId) {
      return new Restock(sku, warehouseId, quantity, reference, operationId);
    }
  }

  /**
   * Makes the warehouse's <em>available</em> quantity equal a store's figure, keeping bookings:
   * the physical count becomes {@code storeQuantity + booked}. Used for copy-inventory at
   * turn-on-sync and for mirroring STORE-master and read-only locations.
   *
   * @param sku the SKU, not a bundle
   * @param warehouseId the warehouse
   * @param storeQuantity the store's available quantity, zero or more
   * @param reference where the figure came from (store and location), may be empty
   * @param operationId idempotency id, or null
   */
  record CopyFromStore(
      Sku sku,
      String warehouseId,
      long storeQuantity,
      String reference,
      @Nullable String operationId)
      implements InventoryOperation {
    /**
     * Validates and normalises the components.
     *
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param storeQuantity see the record description
     * @param reference see the record description
     * @param operationId see the record description
     * @throws io.stocksync.core.InvalidInputException if a component is invalid
     */
    public CopyFromStore {
      Checks.notNull(sku, "sku");
      Checks.notNull(warehouseId, "warehouseId");
      Checks.notNegative(storeQuantity, "storeQuantity");
      reference = text(reference, "reference");
      operationId = opId(operationId);
    }

    @Override
    public CopyFromStore withOperationId(String operationId) {
      return new CopyFromStore(sku, warehouseId, storeQuantity, reference, operationId);
    }
  }
}
