package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.StoreId;
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
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.testkit.InMemoryChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The engine hands a store's options to its connector (Etsy renews sold-out listings by them). */
class StoreOptionsReachConnectorTest extends EngineTestSupport {

  /** Delegates to an in-memory channel and records the options it is given. */
  static final class Recording implements ChannelConnector {
    final InMemoryChannel inner;
    final List<StoreOptions> received = new CopyOnWriteArrayList<>();

    Recording(InMemoryChannel inner) {
      this.inner = inner;
    }

    @Override public StoreId storeId() { return inner.storeId(); }
    @Override public ChannelCapabilities capabilities() { return inner.capabilities(); }
    @Override public StoreIdentity identity() { return inner.identity(); }
    @Override public List<ChannelLocation> locations() { return inner.locations(); }
    @Override public Page<ChannelListing> listings(ListingQuery q) { return inner.listings(q); }
    @Override public Page<ChannelOrder> orders(OrderQuery q) { return inner.orders(q); }
    @Override public Map<StockRef, Long> readQuantities(List<StockRef> r) { return inner.readQuantities(r); }
    @Override public List<PushResult> push(List<PushItem> items) { return inner.push(items); }
    @Override public void storeOptions(StoreOptions options) { received.add(options); }
  }

  @Test
  void connectAndUpdateOptions_handTheStoresOptionsToItsConnector() {
    Recording connector = new Recording(channel("shop"));
    StoreOptions off = StoreOptions.builder().autoRenewSoldOut(false).build();

    hub.connect(connector, off);
    assertThat(connector.received).containsExactly(off);

    StoreOptions on = off.toBuilder().autoRenewSoldOut(true).build();
    hub.updateOptions(connector.storeId(), on);
    assertThat(connector.received).containsExactly(off, on);
  }
}
