package io.stocksync.ebay;

/**
 * The eBay APIs the connector calls, each with its own daily call quota per application (defaults
 * from developer.ebay.com's API call limits page: Inventory 2,000,000; Fulfillment 100,000; Trading
 * 5,000; Notification 10,000; more after an Application Growth Check).
 */
public enum EbayApi {
  /** Sell Inventory API: inventory items, offers, bulk price/quantity updates. */
  INVENTORY(2_000_000),
  /** Sell Fulfillment API: orders. */
  FULFILLMENT(100_000),
  /** Trading API: listings made in Seller Hub or with the Trading API, and their revisions. */
  TRADING(5_000),
  /** Notification API: the public keys that verify notifications. */
  NOTIFICATION(10_000);

  private final long defaultDailyLimit;

  EbayApi(long defaultDailyLimit) {
    this.defaultDailyLimit = defaultDailyLimit;
  }

  /**
   * Returns eBay's default daily call limit for this API.
   *
   * @return calls per day
   */
  public long defaultDailyLimit() {
    return defaultDailyLimit;
  }
}
