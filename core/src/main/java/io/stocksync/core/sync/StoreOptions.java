package io.stocksync.core.sync;

import io.stocksync.core.Sku;
import io.stocksync.core.internal.Checks;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-store settings. Build with {@link #builder()}; {@link #DEFAULT} imports active listings
 * only and pushes available stock unchanged.
 *
 * @param includeDrafts whether draft listings (Shopify DRAFT products) are imported and pushed
 * @param autoRenewSoldOut whether sold-out listings are renewed when stock returns (Etsy; renewal
 *     costs the seller a fee)
 * @param rules the store's stock rules
 * @param skuRules per-SKU rules that replace {@code rules} for those SKUs
 */
public record StoreOptions(
    boolean includeDrafts, boolean autoRenewSoldOut, StockRules rules, Map<Sku, StockRules> skuRules) {
  /** Active listings only, auto-renew on, default rules, no per-SKU overrides. */
  public static final StoreOptions DEFAULT = builder().build();
  /**
   * Validates and normalises the components.
   *
   * @param includeDrafts see the record description
   * @param autoRenewSoldOut see the record description
   * @param rules see the record description
   * @param skuRules see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StoreOptions {
    Checks.notNull(rules, "rules");
    Checks.notNull(skuRules, "skuRules");
    skuRules = Map.copyOf(skuRules);
  }

  /**
   * Returns the rules for one SKU: its override if any, else the store's rules.
   *
   * @param sku the SKU
   * @return the rules to apply
   */
  public StockRules rulesFor(Sku sku) {
    return skuRules.getOrDefault(sku, rules);
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.includeDrafts = includeDrafts;
    b.autoRenewSoldOut = autoRenewSoldOut;
    b.rules = rules;
    b.skuRules.putAll(skuRules);
    return b;
  }

  /** Builds {@link StoreOptions}. Not thread-safe. */
  public static final class Builder {
    private boolean includeDrafts;
    private boolean autoRenewSoldOut = true;
    private StockRules rules = StockRules.DEFAULT;
    private final Map<Sku, StockRules> skuRules = new HashMap<>();

    private Builder() {}

    /**
     * Sets whether draft listings are imported and pushed. Default false.
     *
     * @param include true to include drafts
     * @return this builder
     */
    public Builder includeDrafts(boolean include) {
      this.includeDrafts = include;
      return this;
    }

    /**
     * Sets whether sold-out listings are renewed when stock returns. Default true.
     *
     * @param renew true to renew
     * @return this builder
     */
    public Builder autoRenewSoldOut(boolean renew) {
      this.autoRenewSoldOut = renew;
      return this;
    }

    /**
     * Sets the store's stock rules. Default {@link StockRules#DEFAULT}.
     *
     * @param rules the rules
     * @return this builder
     * @throws io.stocksync.core.InvalidInputException if null
     */
    public Builder rules(StockRules rules) {
      this.rules = Checks.notNull(rules, "rules");
      return this;
    }

    /**
     * Overrides the rules for one SKU.
     *
     * @param sku the SKU
     * @param rules the rules for it
     * @return this builder
     * @throws io.stocksync.core.InvalidInputException if either is null
     */
    public Builder rules(Sku sku, StockRules rules) {
      skuRules.put(Checks.notNull(sku, "sku"), Checks.notNull(rules, "rules"));
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public StoreOptions build() {
      return new StoreOptions(includeDrafts, autoRenewSoldOut, rules, skuRules);
    }
  }
}
