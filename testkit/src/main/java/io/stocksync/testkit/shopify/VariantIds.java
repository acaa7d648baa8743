package io.stocksync.testkit.shopify;

import java.util.Objects;

/**
 * The ids of a variant created in the emulator.
 *
 * @param variantId the variant's global id, {@code gid://shopify/ProductVariant/N}
 * @param inventoryItemId the global id of its inventory item, {@code gid://shopify/InventoryItem/N}
 */
public record VariantIds(String variantId, String inventoryItemId) {
  /**
   * Checks the components.
   *
   * @param variantId the variant's global id
   * @param inventoryItemId the global id of its inventory item
   */
  public VariantIds {
    Objects.requireNonNull(variantId, "variantId");
    Objects.requireNonNull(inventoryItemId, "inventoryItemId");
  }
}
