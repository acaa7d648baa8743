package io.stocksync.core;

import org.jspecify.annotations.Nullable;

/**
 * A stock-keeping unit: the one identifier that links products, stock and listings.
 *
 * <p>The value is trimmed; blank values are not SKUs. After trimming, SKUs compare exactly
 * (case-sensitive), as the channels do. Instances are immutable and safe to share.
 */
public final class Sku implements Comparable<Sku> {
  /** The longest SKU accepted, in characters (Shopify and Amazon allow 255 and 40 respectively). */
  public static final int MAX_LENGTH = 255;

  private final String value;

  private Sku(String value) {
    this.value = value;
  }

  /**
   * Returns the SKU for a value.
   *
   * @param value the raw value; surrounding white space is removed
   * @return the SKU
   * @throws InvalidInputException if the value is null, blank, longer than {@link #MAX_LENGTH}
   *     or holds a control character
   */
  public static Sku of(@Nullable String value) {
    if (value == null) {
      throw new InvalidInputException("sku", "must not be null");
    }
    return new Sku(io.stocksync.core.internal.Checks.identifier(value, "sku", MAX_LENGTH));
  }

  /**
   * Returns the SKU for a value when it is one, for channel data where a missing SKU is normal.
   *
   * @param value the raw value, may be null or blank
   * @return the SKU, or null when the value is null or blank
   * @throws InvalidInputException if the value is longer than {@link #MAX_LENGTH}
   */
  public static @Nullable Sku ofNullable(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return of(value);
  }

  /**
   * Returns the trimmed value.
   *
   * @return the value
   */
  public String value() {
    return value;
  }

  @Override
  public int compareTo(Sku other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Sku && ((Sku) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Returns the value itself. */
  @Override
  public String toString() {
    return value;
  }
}
