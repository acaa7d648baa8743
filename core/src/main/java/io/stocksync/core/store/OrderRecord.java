package io.stocksync.core.store;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.StoreId;
import io.stocksync.core.internal.Checks;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the hub has applied of one channel order: the last applied version and, per line, the
 * quantities already booked, shipped and restocked. Re-reading the order applies only the
 * differences, so each version is applied exactly once.
 *
 * @param store the store
 * @param orderId the order's id on the channel
 * @param version the last applied version
 * @param createdAt when the order was placed
 * @param ignored true when the order was placed before sync was turned on and is never applied
 * @param lines the applied state per line
 */
public record OrderRecord(
    StoreId store,
    String orderId,
    String version,
    Instant createdAt,
    boolean ignored,
    List<LineState> lines) {
  /**
   * Validates and normalises the components.
   *
   * @param store see the record description
   * @param orderId see the record description
   * @param version see the record description
   * @param createdAt see the record description
   * @param ignored see the record description
   * @param lines see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public OrderRecord {
    Checks.notNull(store, "store");
    Checks.notNull(orderId, "orderId");
    Checks.notNull(version, "version");
    Checks.notNull(createdAt, "createdAt");
    lines = List.copyOf(Checks.notNull(lines, "lines"));
  }

  /**
   * The applied state of one order line.
   *
   * @param lineId the line's id on the channel
   * @param sku the line's SKU as the channel sent it, may be empty
   * @param warehouseId the warehouse the line books against, or null while its SKU is unknown
   * @param booked units currently booked for the line
   * @param fulfilled units shipped so far
   * @param restocked units returned to stock so far
   * @param components for a bundle, the components one unit stood for when the line was first
   *     booked (so redefining the bundle later does not change what this order holds); empty
   *     for an ordinary product
   */
  public record LineState(
      String lineId,
      String sku,
      @Nullable String warehouseId,
      long booked,
      long fulfilled,
      long restocked,
      List<BundleComponent> components) {
    /**
     * Validates and normalises the components.
     *
     * @param lineId see the record description
     * @param sku see the record description
     * @param warehouseId see the record description
     * @param booked see the record description
     * @param fulfilled see the record description
     * @param restocked see the record description
     * @param components see the record description
     * @throws io.stocksync.core.InvalidInputException if a field is null or a quantity negative
     */
    public LineState {
      Checks.notNull(lineId, "lineId");
      Checks.notNull(sku, "sku");
      Checks.notNegative(booked, "booked");
      Checks.notNegative(fulfilled, "fulfilled");
      Checks.notNegative(restocked, "restocked");
      components = List.copyOf(Checks.notNull(components, "components"));
    }

    /**
     * Creates the state of a line of an ordinary product.
     *
     * @param lineId the line's id
     * @param sku the SKU as sent
     * @param warehouseId the warehouse, or null
     * @param booked units booked
     * @param fulfilled units shipped
     * @param restocked units restocked
     * @throws io.stocksync.core.InvalidInputException if a field is null or a quantity negative
     */
    public LineState(String lineId, String sku, @Nullable String warehouseId, long booked,
        long fulfilled, long restocked) {
      this(lineId, sku, warehouseId, booked, fulfilled, restocked, List.of());
    }
  }
}
