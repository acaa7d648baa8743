package io.stocksync.core;

import io.stocksync.core.internal.Checks;

/**
 * One line of a bundle: a component SKU and how many of it one bundle contains.
 *
 * @param sku the component's SKU
 * @param quantity units of the component per bundle, greater than zero
 */
public record BundleComponent(Sku sku, long quantity) {
  /**
   * Validates and normalises the components.
   *
   * @param sku see the record description
   * @param quantity see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public BundleComponent {
    Checks.notNull(sku, "sku");
    Checks.positive(quantity, "quantity");
  }

  /**
   * Creates a component.
   *
   * @param sku the component's SKU
   * @param quantity units per bundle
   * @return the component
   * @throws InvalidInputException if the SKU is blank or the quantity is not positive
   */
  public static BundleComponent of(String sku, long quantity) {
    return new BundleComponent(Sku.of(sku), quantity);
  }
}
