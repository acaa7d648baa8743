package io.stocksync.testkit.shopify;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of an order placed with {@link ShopifyEmulator#createOrder(java.util.List)}.
 *
 * @param variantId the global id of the variant sold; its SKU is copied onto the line
 * @param quantity the units ordered, at least 1
 * @param locationId the global id of the location the units are taken from, or {@code null} for
 *     the first location (lowest id) the item is stocked at
 */
public record OrderLineSpec(String variantId, int quantity, @Nullable String locationId) {
  /**
   * Checks the components.
   *
   * @param variantId the global id of the variant sold
   * @param quantity the units ordered
   * @param locationId the location to take the units from, or {@code null}
   * @throws IllegalArgumentException if {@code quantity} is less than 1
   */
  public OrderLineSpec {
    Objects.requireNonNull(variantId, "variantId");
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity < 1: " + quantity);
    }
  }

  /**
   * A line taken from the first location the item is stocked at.
   *
   * @param variantId the global id of the variant sold
   * @param quantity the units ordered, at least 1
   * @return the line
   */
  public static OrderLineSpec of(String variantId, int quantity) {
    return new OrderLineSpec(variantId, quantity, null);
  }
}
