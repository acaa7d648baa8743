package io.stocksync.core.channel;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.StoreId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An adapter to one store on one channel. The sync engine calls it from one thread at a time per
 * store; implementations need not be thread-safe unless the host shares them.
 *
 * <p>Every network call may throw:
 *
 * <ul>
 *   <li>{@link CredentialsException} when the channel refuses the credentials (HTTP 401/403,
 *       {@code invalid_grant}): the engine moves the store to {@code NEEDS_REAUTH};
 *   <li>{@link RetryLaterException} for rate limits, 5xx and timeouts, with the channel's
 *       retry-after when it gave one: the engine retries later and loses nothing;
 *   <li>{@link ChannelException} (or {@link io.stocksync.core.MalformedResponseException}) when
 *       the answer is unusable: the engine records the error and tries again next cycle.
 * </ul>
 *
 * <p>Messages must never contain tokens, keys or secrets; as a second line of defence the engine
 * passes every message it receives through {@link #redact(String)}.
 *
 * <p>The engine may interrupt the thread of a call that exceeds {@code SyncOptions.callTimeout}
 * (default 2 minutes); a connector should let interrupts end a blocking call (OkHttp does).
 */
public interface ChannelConnector extends AutoCloseable {
  /**
   * Returns the store this connector talks to, known from its configuration without a network
   * call.
   *
   * @return the store id
   */
  StoreId storeId();

  /**
   * Returns what the channel supports; constant for the connector's lifetime.
   *
   * @return the capabilities
   */
  ChannelCapabilities capabilities();

  /**
   * Reads the store's identity, which also proves the credentials work.
   *
   * @return the identity
   * @throws CredentialsException if the credentials are refused
   * @throws RetryLaterException on a transient failure
   * @throws ChannelException if the answer is unusable
   */
  StoreIdentity identity();

  /**
   * Reads the store's locations. Channels without locations return one implicit location.
   *
   * @return the locations, at least one
   * @throws CredentialsException if the credentials are refused
   * @throws RetryLaterException on a transient failure
   * @throws ChannelException if the answer is unusable
   */
  List<ChannelLocation> locations();

  /**
   * Reads one page of listings. Only listings with a SKU are returned; each listing appears on
   * exactly one page of a complete iteration.
   *
   * @param query which listings and which page
   * @return the page
   * @throws CredentialsException if the credentials are refused
   * @throws RetryLaterException on a transient failure
   * @throws ChannelException if the answer is unusable
   */
  Page<ChannelListing> listings(ListingQuery query);

  /**
   * Reads one page of orders updated at or after {@link OrderQuery#updatedSince()}, sorted by
   * update time ascending. An order updated during an iteration may appear again later; the
   * engine applies each version once.
   *
   * @param query the lower bound and page
   * @return the page
   * @throws CredentialsException if the credentials are refused
   * @throws RetryLaterException on a transient failure
   * @throws ChannelException if the answer is unusable
   */
  Page<ChannelOrder> orders(OrderQuery query);

  /**
   * Whether {@link #readOrder} works, so a notification naming one order ({@link
   * ChannelEvent.OrderChanged}) can be served without an order search. The default is false.
   *
   * @return true if this connector reads single orders by id
   */
  default boolean readsOrderById() {
    return false;
  }

  /**
   * Reads one order by its channel id, as {@link #orders} would return it. Only called when
   * {@link #readsOrderById()} is true.
   *
   * @param orderId the channel's order id
   * @return the order, or empty if the channel does not know it or the hub never books it (for
   *     example an order the marketplace fulfils from its own stock)
   * @throws UnsupportedOperationException if the connector does not read orders by id (the
   *     default)
   * @throws CredentialsException if the credentials are refused
   * @throws RetryLaterException on a transient failure
   * @throws ChannelException if the answer is unusable
   */
  default Optional<ChannelOrder> readOrder(String orderId) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " does not read orders by id");
  }

  /**
   * How often this channel's orders are worth polling, when that is more often than the host's
   * {@code SyncOptions.orderSyncInterval()}: for a channel that announces some order changes to
   * nobody (eBay has no notification for a cancellation, yet puts the units back on its listing
   * at once) and whose quota makes frequent reads cheap. The engine polls at the shorter of the
   * two. The default is empty: the host's interval.
   *
   * @return the suggested interval, or empty
   */
  default Optional<Duration> orderPollInterval() {
    return Optional.empty();
  }

  /**
   * Reads current quantities. References the channel does not stock are absent from the result.
   * The connector splits large requests into as many calls as it needs.
   *
   * @param refs the figures to read
   * @return quantity per reference that exists
   * @throws CredentialsException if the credentials are refused
   * @throws RetryLaterException on a transient failure
   * @throws ChannelException if the answer is unusable
   */
  Map<StockRef, Long> readQuantities(List<StockRef> refs);

  /**
   * Sets quantities. The engine never sends more than {@link ChannelCapabilities#maxBatchSize()}
   * items. Returns exactly one result per item, in the same order. Per-item problems are results,
   * not exceptions; an exception means no item is known to have been applied (the engine retries
   * the whole batch with the same idempotency keys). An item the channel cannot set (unknown,
   * untracked, or at a read-only location) answers {@link PushResult.Rejected}. A channel that
   * queues writes and applies them later answers {@link PushResult.Accepted}: the engine then
   * verifies the figure with {@link #readQuantities} after the announced wait, so an accepted
   * write must become readable there once applied.
   *
   * @param items the quantities to set
   * @return one result per item
   * @throws CredentialsException if the credentials are refused
   * @throws RetryLaterException on a transient failure of the whole call
   * @throws ChannelException if the answer is unusable
   */
  List<PushResult> push(List<PushItem> items);

  /**
   * Tells how long to wait before a call so it stays within the channel's budget, from what the
   * connector learned of it (for example Shopify's {@code throttleStatus}). The engine asks before
   * every call and waits on its scheduler, never in the connector.
   *
   * @param call the kind of call about to be made
   * @param items the items it carries: the batch size of a push or quantity read, 0 for a page
   * @return the wait, zero when the call may go now
   */
  default Duration pacingDelay(ChannelCall call, int items) {
    return Duration.ZERO;
  }

  /**
   * Tells what is left of a request quota that refills slowly (a daily quota, not a per-second
   * rate), from what the connector learned of it, so the engine can spend it on the pushes that
   * matter most (see {@link RequestBudget}). Channels whose limits refill within seconds return
   * empty: {@link #pacingDelay} covers them. Called before every push; it must not call the
   * network or throw. The default returns empty.
   *
   * @return the budget, or empty when the channel has no such quota or its figures are not known
   *     yet
   */
  default Optional<RequestBudget> requestBudget() {
    return Optional.empty();
  }

  /**
   * Receives the store's options: the engine calls it when the store is connected or reconnected
   * and whenever {@code StockSync.updateOptions} replaces them, before any other call that could
   * use them. For options that change what a push does on the channel, such as {@link
   * io.stocksync.core.sync.StoreOptions#autoRenewSoldOut()} (renewing an Etsy listing costs the
   * seller a fee). The default ignores them. It must not call the network or throw.
   *
   * @param options the store's current options
   */
  default void storeOptions(io.stocksync.core.sync.StoreOptions options) {}

  /**
   * Removes every secret this connector holds (access and refresh tokens, API keys, client
   * secrets) from a text before the engine logs it, reports it in an event or keeps it in a store
   * status. The engine passes every exception message it received from this connector through
   * here, because a transport library may quote a header value in its own messages.
   *
   * <p>The default returns the text unchanged; a connector that holds secrets must override it.
   * It must not throw.
   *
   * @param text a message that may quote a secret, or null
   * @return the text with every secret replaced by a fixed marker such as {@code [redacted]}, or
   *     null when the text was null
   */
  default @Nullable String redact(@Nullable String text) {
    return text;
  }

  /** Releases resources (connection pools, caches). The default does nothing. */
  @Override
  default void close() {}
}
