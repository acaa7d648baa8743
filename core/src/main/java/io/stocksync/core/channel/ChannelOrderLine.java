package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;

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
 */
public record ChannelOrderLine(
    String lineId, String sku, long quantity, long fulfilled, long cancelled, long restocked) {
  /**
   * Validates and normalises the components.
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
  public ChannelOrderLine {
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
}
