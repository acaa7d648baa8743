package io.stocksync.core;

import io.stocksync.core.internal.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the hub stocks, keyed by SKU. A product with components is a <em>bundle</em>: it has no
 * stock of its own, its availability is derived from its components', and selling it books them.
 *
 * @param sku the product's SKU
 * @param name a human-readable name; defaults to the SKU when blank
 * @param components the bundle's components, empty for an ordinary product
 */
public record Product(Sku sku, String name, List<BundleComponent> components) {
  /** The longest name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = 1024;
  /**
   * Validates and normalises the components.
   *
   * @param sku see the record description
   * @param name see the record description
   * @param components see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public Product {
    Checks.notNull(sku, "sku");
    name = name == null || name.isBlank() ? sku.value() : name.strip();
    Checks.require(
        name.length() <= MAX_NAME_LENGTH, "name", "longer than " + MAX_NAME_LENGTH + " characters");
    Checks.notNull(components, "components");
    Set<Sku> seen = new HashSet<>();
    for (BundleComponent c : components) {
      Checks.notNull(c, "components");
      if (c.sku().equals(sku)) {
        throw new BundleCycleException(List.of(sku, sku));
      }
      Checks.require(seen.add(c.sku()), "components", "component '" + c.sku() + "' repeated");
    }
    components = List.copyOf(components);
  }

  /**
   * Creates an ordinary (non-bundle) product.
   *
   * @param sku the SKU
   * @param name the name, or blank to use the SKU
   * @return the product
   * @throws InvalidInputException if the SKU is blank
   */
  public static Product of(String sku, String name) {
    return new Product(Sku.of(sku), name, List.of());
  }

  /**
   * Creates a bundle.
   *
   * @param sku the bundle's SKU
   * @param name the name, or blank to use the SKU
   * @param components at least one component
   * @return the bundle
   * @throws InvalidInputException if the SKU is blank, there are no components, or the bundle
   *     contains itself
   */
  public static Product bundle(String sku, String name, BundleComponent... components) {
    Checks.require(components.length > 0, "components", "a bundle needs at least one component");
    return new Product(Sku.of(sku), name, List.of(components));
  }

  /**
   * Tells whether this product is a bundle.
   *
   * @return true when it has components
   */
  public boolean isBundle() {
    return !components.isEmpty();
  }
}
