package io.stocksync.benchmarks.sim;

import io.stocksync.core.Sku;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.SyncScheduler;

/**
 * One store of the simulated day, seen from both sides: the connector the hub (or the baseline)
 * talks to, and the store front where buyers order and the merchant cancels, ships and refunds.
 * Adding a channel to the simulation means writing one of these over its emulator.
 *
 * <p>Every store has one location, linked to the hub's one warehouse.
 */
interface StoreDriver extends AutoCloseable {
  /** Which store faults the scenario can switch on and off. */
  enum Fault {
    /** Every call answers a server error (HTTP 5xx): the store is down for its API clients. */
    SERVER_ERRORS,
    /** Half the calls answer HTTP 429 with a retry-after. */
    RATE_LIMIT_STORM
  }

  /**
   * The store's short name, used in reports.
   *
   * @return e.g. {@code shopify}
   */
  String name();

  /**
   * Lists a SKU with a starting figure, on the store side, before the day starts.
   *
   * @param sku the SKU
   * @param quantity the figure shown
   */
  void list(Sku sku, int quantity);

  /**
   * Whether the store lists the SKU.
   *
   * @param sku the SKU
   * @return true when listed
   */
  boolean lists(Sku sku);

  /**
   * The id of the store's one location, as the connector names it.
   *
   * @return the location id
   */
  String location();

  /**
   * The reference of the SKU's figure on this store, as the connector names it.
   *
   * @param sku a listed SKU
   * @return its stock reference
   */
  StockRef ref(Sku sku);

  /**
   * The connector the hub or the baseline uses; the same instance for the whole run.
   *
   * @return the connector
   */
  ChannelConnector connector();

  /**
   * The figure a buyer sees now, read from the store itself, never through the connector.
   *
   * @param sku a listed SKU
   * @return the shown figure (may be negative where the store lets itself oversell)
   */
  long shown(Sku sku);

  /**
   * Places an order of one line on the store front.
   *
   * @param sku a listed SKU
   * @param quantity units, at least 1
   * @return the store's order id
   */
  String sell(Sku sku, int quantity);

  /**
   * Cancels an unshipped order on the store, with restock where the store does it.
   *
   * @param orderId the order
   */
  void cancel(String orderId);

  /**
   * Ships every unit of an order.
   *
   * @param orderId the order
   */
  void fulfil(String orderId);

  /**
   * Refunds shipped units that came back, restocking them.
   *
   * @param orderId a shipped order
   * @param quantity the units returned
   */
  void refundReturn(String orderId, int quantity);

  /**
   * Whether the store itself puts a cancelled order's units back on the listing (Shopify with
   * restock, eBay, Amazon). Where it does not (Etsy), the hub restocks from the cancelled order it
   * reads and pushes the figure back.
   *
   * @return true when the store restocks on cancel
   */
  default boolean restocksCancellations() {
    return true;
  }

  /**
   * Whether a refund for returned units restocks them on the store and tells the hub so through
   * the order (Shopify's restock type RETURN). Where the channel's refund carries no restock
   * (Etsy, eBay), the merchant books the returned units into the hub's warehouse by hand, as they
   * would after unpacking the parcel.
   *
   * @return true when the refund restocks
   */
  default boolean restocksReturns() {
    return true;
  }

  /**
   * How long after answering a quantity write the store shows it to buyers: zero where the
   * answer means it is applied; Amazon's {@code ACCEPTED} lands minutes later.
   *
   * @return the delay
   */
  default java.time.Duration writeLandsAfter() {
    return java.time.Duration.ZERO;
  }

  /**
   * How long after a sale the channel's own notification of it reaches a subscriber, as this
   * driver delivers it: the part of an oversell race no engine can close, since nobody has been
   * told of the sale yet. Zero where the emulator delivers at once (Shopify, Etsy).
   *
   * @return the delay
   */
  default java.time.Duration notificationDelay() {
    return java.time.Duration.ZERO;
  }

  /**
   * Switches a fault on or off.
   *
   * @param fault the fault
   * @param on whether it is on from now
   */
  void fault(Fault fault, boolean on);

  /**
   * Starts telling the hub about store-side changes the way the channel does (webhooks,
   * notifications). Called only in the mode that uses them; stores without any do nothing.
   *
   * @param hub the engine
   * @param scheduler the simulation's scheduler, for channels whose notifications arrive later
   */
  void sendNotificationsTo(StockSync hub, SyncScheduler scheduler);

  /**
   * Hands the hub what the channel sent since the last call (webhooks received and queued).
   * Called by the simulation on its own thread after every engine task and event.
   */
  void deliverNotifications();

  /**
   * API requests the store received so far, failed ones included, counted by the store.
   *
   * @return the count
   */
  long apiCalls();

  /**
   * Requests that set quantities, counted by the store. Called every 15 simulated minutes, so a
   * driver may also trim what its store records.
   *
   * @return the count
   */
  long pushCalls();

  /**
   * Rate-limit cost points spent so far, for channels that charge them (Shopify); 0 otherwise.
   *
   * @return the points
   */
  long costPoints();

  /**
   * The number of pushed quantities below zero the store received; must stay 0.
   *
   * @return the count
   */
  long negativePushes();

  /**
   * Requests the store refused so far for a spent rate limit or quota (its own limiter, not the
   * scenario's injected faults): a store whose count grew recently has its limit saturated.
   *
   * @return the count
   */
  default long refusedForLimits() {
    return 0;
  }

  /**
   * Whether the store's daily request quota is (nearly) spent now, so the connector paces every
   * call to the quota's sliding window: a rate-limit-saturated window without any refusal.
   *
   * @return true when saturated
   */
  default boolean quotaSpent() {
    return false;
  }

  /**
   * What the report should say about this store's limits over the day (refusals, caps), or
   * empty.
   *
   * @return e.g. {@code "429 answers 12"}
   */
  default String limitNotes() {
    return "";
  }

  @Override
  void close();
}
