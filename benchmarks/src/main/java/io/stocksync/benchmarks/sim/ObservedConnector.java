package io.stocksync.benchmarks.sim;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelCapabilities;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.channel.StoreIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A connector that passes every call through unchanged and notes which SKUs a push touched, so
 * the simulation re-examines only those for confirmed sales. It adds no behaviour.
 */
final class ObservedConnector implements ChannelConnector {
  private final ChannelConnector delegate;
  private final Map<StockRef, Sku> skus;
  private final Set<Sku> touched;
  private final java.util.function.Consumer<List<Sku>> landed;

  /**
   * @param landed told the SKUs of each push, for stores that apply a write later than they
   *     answer it (Amazon's ACCEPTED): the simulation looks at them again when it lands
   */
  ObservedConnector(ChannelConnector delegate, Map<StockRef, Sku> skus, Set<Sku> touched,
      java.util.function.Consumer<List<Sku>> landed) {
    this.delegate = delegate;
    this.skus = skus;
    this.touched = touched;
    this.landed = landed;
  }

  @Override
  public StoreId storeId() {
    return delegate.storeId();
  }

  @Override
  public ChannelCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public StoreIdentity identity() {
    return delegate.identity();
  }

  @Override
  public List<ChannelLocation> locations() {
    return delegate.locations();
  }

  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    return delegate.listings(query);
  }

  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    return delegate.orders(query);
  }

  @Override
  public boolean readsOrderById() {
    return delegate.readsOrderById();
  }

  @Override
  public java.util.Optional<ChannelOrder> readOrder(String orderId) {
    return delegate.readOrder(orderId);
  }

  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    return delegate.readQuantities(refs);
  }

  @Override
  public List<PushResult> push(List<PushItem> items) {
    try {
      return delegate.push(items);
    } finally {
      List<Sku> pushed = new java.util.ArrayList<>(items.size());
      for (PushItem item : items) {
        Sku sku = skus.get(item.ref());
        if (sku != null) {
          touched.add(sku);
          pushed.add(sku);
        }
      }
      landed.accept(pushed);
    }
  }

  @Override
  public Duration pacingDelay(ChannelCall call, int items) {
    return delegate.pacingDelay(call, items);
  }

  @Override
  public java.util.Optional<io.stocksync.core.channel.RequestBudget> requestBudget() {
    return delegate.requestBudget();
  }

  @Override
  public void storeOptions(io.stocksync.core.sync.StoreOptions options) {
    delegate.storeOptions(options);
  }

  @Override
  public @Nullable String redact(@Nullable String text) {
    return delegate.redact(text);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
