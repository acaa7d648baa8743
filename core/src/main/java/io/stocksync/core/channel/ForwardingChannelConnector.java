package io.stocksync.core.channel;

import io.stocksync.core.StoreId;
import io.stocksync.core.internal.Checks;
import io.stocksync.core.sync.StoreOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A connector that forwards every call to another one: extend it to observe or adjust a few
 * calls (count pushes, add a header, inject faults in a test) and keep all the others.
 *
 * <p>Why not implement {@link ChannelConnector} and delegate by hand: the interface gains
 * optional methods with defaults over time ({@link #readOrder}, {@link #requestBudget}, {@link
 * #storeOptions}); a hand-written decorator silently answers those with the defaults instead of
 * the wrapped connector's, and the engine then loses a fast path or a quota without any error.
 * This class forwards every method, including the ones added later.
 */
public abstract class ForwardingChannelConnector implements ChannelConnector {
  private final ChannelConnector delegate;

  /**
   * Wraps a connector.
   *
   * @param delegate the connector every call goes to
   * @throws io.stocksync.core.InvalidInputException if it is null
   */
  protected ForwardingChannelConnector(ChannelConnector delegate) {
    this.delegate = Checks.notNull(delegate, "delegate");
  }

  /**
   * Returns the wrapped connector.
   *
   * @return the connector calls are forwarded to
   */
  protected final ChannelConnector delegate() {
    return delegate;
  }

  /** Forwards to the wrapped connector. */
  @Override
  public StoreId storeId() {
    return delegate.storeId();
  }

  /** Forwards to the wrapped connector. */
  @Override
  public ChannelCapabilities capabilities() {
    return delegate.capabilities();
  }

  /** Forwards to the wrapped connector. */
  @Override
  public StoreIdentity identity() {
    return delegate.identity();
  }

  /** Forwards to the wrapped connector. */
  @Override
  public List<ChannelLocation> locations() {
    return delegate.locations();
  }

  /** Forwards to the wrapped connector. */
  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    return delegate.listings(query);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    return delegate.orders(query);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public boolean readsOrderById() {
    return delegate.readsOrderById();
  }

  /** Forwards to the wrapped connector. */
  @Override
  public Optional<ChannelOrder> readOrder(String orderId) {
    return delegate.readOrder(orderId);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public Optional<Duration> orderPollInterval() {
    return delegate.orderPollInterval();
  }

  /** Forwards to the wrapped connector. */
  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    return delegate.readQuantities(refs);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public List<PushResult> push(List<PushItem> items) {
    return delegate.push(items);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public Duration pacingDelay(ChannelCall call, int items) {
    return delegate.pacingDelay(call, items);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public Optional<RequestBudget> requestBudget() {
    return delegate.requestBudget();
  }

  /** Forwards to the wrapped connector. */
  @Override
  public void storeOptions(StoreOptions options) {
    delegate.storeOptions(options);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public @Nullable String redact(@Nullable String text) {
    return delegate.redact(text);
  }

  /** Forwards to the wrapped connector. */
  @Override
  public void close() {
    delegate.close();
  }

  /**
   * Names the wrapper and the wrapped connector; the wrapped connector's {@code toString()} is
   * trusted to hold no secret, as the engine's logs already trust it.
   *
   * @return a description for logs
   */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
