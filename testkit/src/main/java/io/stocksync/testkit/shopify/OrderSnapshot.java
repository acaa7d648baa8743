package io.stocksync.testkit.shopify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable copy of an emulated order, for assertions.
 *
 * @param id the order's global id, {@code gid://shopify/Order/N}
 * @param name the order's display name, e.g. {@code #1001}
 * @param createdAt when the order was created
 * @param updatedAt when the order last changed
 * @param cancelledAt when the order was cancelled, or {@code null}
 * @param displayFulfillmentStatus {@code UNFULFILLED}, {@code PARTIALLY_FULFILLED} or {@code
 *     FULFILLED}
 * @param lineItems the order's lines in creation order
 */
public record OrderSnapshot(
    String id,
    String name,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant cancelledAt,
    String displayFulfillmentStatus,
    List<Line> lineItems) {

  /**
   * Copies the line list.
   *
   * @param id the order's global id
   * @param name the order's display name
   * @param createdAt when the order was created
   * @param updatedAt when the order last changed
   * @param cancelledAt when the order was cancelled, or {@code null}
   * @param displayFulfillmentStatus the fulfilment status
   * @param lineItems the order's lines
   */
  public OrderSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(displayFulfillmentStatus, "displayFulfillmentStatus");
    lineItems = List.copyOf(lineItems);
  }

  /**
   * One line of an order snapshot.
   *
   * @param id the line's global id, {@code gid://shopify/LineItem/N}
   * @param variantId the global id of the variant sold
   * @param sku the SKU copied from the variant when the order was placed, or {@code null}
   * @param locationId the location the units were taken from, or {@code null} when the item was
   *     untracked or stocked nowhere
   * @param quantity the units ordered
   * @param fulfilledQuantity the units fulfilled
   * @param removedQuantity the units removed before fulfilment (cancelled or refunded unfulfilled)
   * @param returnedQuantity the fulfilled units refunded afterwards
   */
  public record Line(
      String id,
      String variantId,
      @Nullable String sku,
      @Nullable String locationId,
      int quantity,
      int fulfilledQuantity,
      int removedQuantity,
      int returnedQuantity) {
    /**
     * Checks the components.
     *
     * @param id the line's global id
     * @param variantId the global id of the variant sold
     * @param sku the SKU, or {@code null}
     * @param locationId the location, or {@code null}
     * @param quantity the units ordered
     * @param fulfilledQuantity the units fulfilled
     * @param removedQuantity the units removed before fulfilment
     * @param returnedQuantity the fulfilled units refunded afterwards
     */
    public Line {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(variantId, "variantId");
    }

    /**
     * Shopify's {@code unfulfilledQuantity}: ordered minus fulfilled minus removed.
     *
     * @return the units still to fulfil
     */
    public int unfulfilledQuantity() {
      return quantity - fulfilledQuantity - removedQuantity;
    }

    /**
     * Shopify's {@code currentQuantity}: ordered minus removed minus returned.
     *
     * @return the units the customer still has or will get
     */
    public int currentQuantity() {
      return quantity - removedQuantity - returnedQuantity;
    }
  }
}
