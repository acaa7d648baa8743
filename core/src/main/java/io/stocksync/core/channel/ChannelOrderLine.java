package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One line of a channel order, as cumulative quantities.
 *
 * @param lineId the line's id on the channel
 * @param sku the SKU as the channel sent it; may be empty or unknown to the hub (the engine keeps
 *     and reports such lines)
 * @param quantity units ordered
 * @param fulfilled units shipped so far
 * @param cancelled units removed before shipping (order edits, cancellations, refunds of
 *     unshipped units)
 * @param restocked shipped units that came back into stock (refund or return with restock)
 * @param locationId the channel location the line's open units are reserved at, or {@code null}
 *     when the channel does not say per line (the order's {@link ChannelOrder#locationId()}, and
 *     failing that the store's default, applies). When it changes while units are still open,
 *     the engine moves their booking to the new location's warehouse; shipped units stay where
 *     they were booked. A channel that splits one line over several locations reports one line
 *     per location, each with a stable id of its own (e.g. {@code lineId@locationId}).
 */
public record ChannelOrderLine(
    String lineId,
    String sku,
    long quantity,
    long fulfilled,
    long cancelled,
    long restocked,
    @Nullable String locationId) {
  /**
   * Validates and normalises the components.
   *
   * @param lineId see the record description
   * @param sku see the record description
   * @param quantity see the record description
   * @param fulfilled see the record description
   * @param cancelled see the record description
   * @param restocked see the record description
   * @param locationId see the record description
   * @throws io.stocksync.core.InvalidInputException if a quantity is negative, the parts
   *     exceed the whole, or the location id is blank
   */
  public ChannelOrderLine {
    if (locationId != null) {
      Checks.notBlank(locationId, "locationId", 255);
    }
    Checks.notBlank(lineId, "lineId", 255);
    sku = sku == null ? "" : sku.strip();
    Checks.notNegative(quantity, "quantity");
    Checks.notNegative(fulfilled, "fulfilled");
    Checks.notNegative(cancelled, "cancelled");
    Checks.notNegative(restocked, "restocked");
    Checks.require(
        fulfilled + cancelled <= quantity,
        "fulfilled",
        "fulfilled + cancelled > quantity: " + fulfilled + " + " + cancelled + " > " + quantity);
    Checks.require(
        restocked <= fulfilled, "restocked", "restocked > fulfilled: " + restocked + " > " + fulfilled);
  }

  /**
   * A line without a location of its own: it takes stock where the order does.
   *
   * @param lineId see the record description
   * @param sku see the record description
   * @param quantity see the record description
   * @param fulfilled see the record description
   * @param cancelled see the record description
   * @param restocked see the record description
   * @throws io.stocksync.core.InvalidInputException if a quantity is negative or the parts
   *     exceed the whole
   */
  public ChannelOrderLine(
      String lineId, String sku, long quantity, long fulfilled, long cancelled, long restocked) {
    this(lineId, sku, quantity, fulfilled, cancelled, restocked, null);
  }
}
