package io.stocksync.testkit;

import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.StockRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

class InMemoryChannelContractTest extends ChannelConnectorContract {

  @Override
  protected Fixture newFixture() {
    ManualClock clock = ManualClock.startingAtEpochOf2026();
    return new InMemoryFixture(
        InMemoryChannel.builder(StoreId.of("memory", "contract-shop"))
            .clock(clock)
            .location("warehouse", "Warehouse")
            .location("shop-floor", "Shop floor")
            .build(),
        clock,
        InMemoryChannel.Fault.RETRYABLE_EXCEPTION);
  }

  /** The fixture for InMemoryChannel: the "backend" is the channel's own store-side API. */
  static final class InMemoryFixture implements Fixture {
    final InMemoryChannel channel;
    final List<String> listingsWithoutSku = new ArrayList<>();
    private final ManualClock clock;
    private final InMemoryChannel.Fault retryableFault;
    private final ChannelConnector connector;
    private int listings;

    InMemoryFixture(
        InMemoryChannel channel, ManualClock clock, InMemoryChannel.Fault retryableFault) {
      this(channel, clock, retryableFault, Function.identity());
    }

    /** A fixture whose connector wraps the channel, e.g. to break it on purpose. */
    InMemoryFixture(
        InMemoryChannel channel,
        ManualClock clock,
        InMemoryChannel.Fault retryableFault,
        Function<? super InMemoryChannel, ? extends ChannelConnector> wrap) {
      this.channel = channel;
      this.clock = clock;
      this.retryableFault = retryableFault;
      this.connector = wrap.apply(channel);
    }

    @Override
    public ChannelConnector connector() {
      return connector;
    }

    @Override
    public String seedListing(String sku, long quantity) {
      String id = String.format("L-%04d", ++listings);
      channel.addListing(id, sku, quantity);
      return id;
    }

    @Override
    public void seedListingWithoutSku() {
      String id = String.format("L-%04d", ++listings);
      String first = channel.locations().get(0).id();
      channel.addListing(id, null, ListingStatus.ACTIVE, Map.of(first, 4L));
      listingsWithoutSku.add(id);
    }

    @Override
    public String placeOrder(String sku, long quantity) {
      return channel.placeOrder(sku, quantity);
    }

    @Override
    public long storeQuantity(StockRef ref) {
      return channel.quantity(ref.inventoryRef(), ref.locationId());
    }

    @Override
    public void failNextPushRetryably() {
      channel.failNextPushes(1, retryableFault);
    }

    @Override
    public void advanceTime(Duration duration) {
      clock.advance(duration);
    }

    @Override
    public void close() {}
  }
}
