package io.stocksync.benchmarks.sim;

import io.stocksync.core.Sku;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ForwardingChannelConnector;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A connector that passes every call through unchanged and notes which SKUs a push touched, so
 * the simulation re-examines only those for confirmed sales. It adds no behaviour.
 */
final class ObservedConnector extends ForwardingChannelConnector {
  private final Map<StockRef, Sku> skus;
  private final Set<Sku> touched;
  private final Consumer<List<Sku>> landed;

  /**
   * @param landed told the SKUs of each push, for stores that apply a write later than they
   *     answer it (Amazon's ACCEPTED): the simulation looks at them again when it lands
   */
  ObservedConnector(ChannelConnector delegate, Map<StockRef, Sku> skus, Set<Sku> touched,
      Consumer<List<Sku>> landed) {
    super(delegate);
    this.skus = skus;
    this.touched = touched;
    this.landed = landed;
  }

  @Override
  public List<PushResult> push(List<PushItem> items) {
    try {
      return delegate().push(items);
    } finally {
      List<Sku> pushed = new ArrayList<>(items.size());
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
}
