package io.stocksync.etsy;

import io.stocksync.core.StoreId;
import io.stocksync.core.channel.StockRef;
import java.util.List;

/**
 * Something an {@link EtsyConnector} did or declined to do on Etsy that the host should know of
 * beyond the engine's own events: renewals that cost the seller a fee, listings the hub
 * deactivated or reactivated, quantities clamped to Etsy's limit, a daily request budget running
 * low. Receive them with {@link EtsyConnector.Builder#notices}; by default they are logged.
 */
public sealed interface EtsyNotice {
  /**
   * Returns the shop the notice concerns.
   *
   * @return the store
   */
  StoreId store();

  /**
   * A sold-out listing was renewed because stock returned ({@code StoreOptions.autoRenewSoldOut}
   * on). Etsy charges the seller a listing fee for the new four-month term.
   *
   * @param store the shop
   * @param listingId the Etsy listing id
   * @param skus the SKUs whose stock returned
   * @param fee the fee Etsy publishes for a renewal, e.g. {@code "USD 0.20"}
   */
  record Renewed(StoreId store, long listingId, List<String> skus, String fee)
      implements EtsyNotice {}

  /**
   * A sold-out listing has stock again but was left sold out because auto-renew is off for the
   * store; renew it on etsy.com or turn the option on.
   *
   * @param store the shop
   * @param listingId the Etsy listing id
   * @param skus the SKUs whose stock returned
   */
  record NotRenewed(StoreId store, long listingId, List<String> skus) implements EtsyNotice {}

  /**
   * Every SKU of a listing reached 0 in the hub: the listing was set {@code inactive} (Etsy
   * refuses an inventory of zeros), with its last unit left in place.
   *
   * @param store the shop
   * @param listingId the Etsy listing id
   */
  record Deactivated(StoreId store, long listingId) implements EtsyNotice {}

  /**
   * A listing the hub had deactivated got stock again and was set {@code active}.
   *
   * @param store the shop
   * @param listingId the Etsy listing id
   */
  record Reactivated(StoreId store, long listingId) implements EtsyNotice {}

  /**
   * A quantity above Etsy's limit was pushed as the limit instead.
   *
   * @param store the shop
   * @param ref the figure
   * @param requested what the hub wanted
   * @param pushed what was set
   */
  record Clamped(StoreId store, StockRef ref, long requested, long pushed) implements EtsyNotice {}

  /**
   * The shop's sliding-day request budget fell to its reserve: listing reads and stock increases
   * wait; decreases and order reads go on.
   *
   * @param store the shop
   * @param remaining requests left in the sliding day
   * @param limit requests per day
   */
  record DailyBudgetLow(StoreId store, long remaining, long limit) implements EtsyNotice {}
}
