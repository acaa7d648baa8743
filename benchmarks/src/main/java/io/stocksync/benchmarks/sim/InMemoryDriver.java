package io.stocksync.benchmarks.sim;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.StockSync;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.core.sync.SyncScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for a channel whose connector and emulator are not in the simulation yet: an {@link
 * InMemoryChannel} with that channel's batch size and request rate, no compare-and-set, its
 * order notification modelled as a call to {@link StockSync#handle} after a fixed delay, and
 * cancelled or returned units put back on the listing by the store, as those marketplaces do.
 */
final class InMemoryDriver implements StoreDriver {
  private static final String LOCATION = "default";
  /** Recorded push calls are tallied and dropped past this many, to bound memory over a day. */
  private static final int DRAIN_AT = 2_000;

  private final String name;
  private final InMemoryChannel channel;
  private final @Nullable Duration notificationDelay;
  private final Map<Sku, String> listings = new HashMap<>();
  private @Nullable StockSync hub;
  private @Nullable SyncScheduler scheduler;
  private long drainedPushCalls;
  private long negative;

  /**
   * Creates a stand-in.
   *
   * @param name the channel it stands in for, e.g. {@code etsy}
   * @param clock the simulation clock
   * @param maxBatchSize quantities per push call on the real channel
   * @param maxRequestsPerSecond the real channel's request rate, which the hub paces to
   * @param notificationDelay how late the channel's order notification reaches the hub, or null
   *     when it has none
   */
  InMemoryDriver(String name, Clock clock, int maxBatchSize, double maxRequestsPerSecond,
      @Nullable Duration notificationDelay) {
    this.name = name;
    this.channel = InMemoryChannel.builder(StoreId.of("memory", name)).name(name).clock(clock)
        .maxBatchSize(maxBatchSize).compareAndSet(false)
        .maxRequestsPerSecond(maxRequestsPerSecond).build();
    this.notificationDelay = notificationDelay;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void list(Sku sku, int quantity) {
    String id = name + "-" + sku.value();
    channel.addListing(id, sku.value(), quantity);
    listings.put(sku, id);
  }

  @Override
  public boolean lists(Sku sku) {
    return listings.containsKey(sku);
  }

  @Override
  public String location() {
    return LOCATION;
  }

  @Override
  public StockRef ref(Sku sku) {
    return new StockRef(listings.get(sku), LOCATION);
  }

  @Override
  public ChannelConnector connector() {
    return channel;
  }

  @Override
  public long shown(Sku sku) {
    return channel.quantity(listings.get(sku), LOCATION);
  }

  @Override
  public String sell(Sku sku, int quantity) {
    String order = channel.placeOrder(sku.value(), quantity);
    notifyHub();
    return order;
  }

  @Override
  public void cancel(String orderId) {
    long units = channel.order(orderId).lines().get(0).quantity();
    Sku sku = Sku.of(channel.order(orderId).lines().get(0).sku());
    channel.cancel(orderId);
    // Etsy, eBay and Amazon put a cancelled order's units back on the listing themselves;
    // InMemoryChannel leaves that to the engine, so the stand-in does it here.
    restock(sku, units);
    notifyHub();
  }

  private void restock(Sku sku, long units) {
    String listing = listings.get(sku);
    channel.setQuantity(listing, LOCATION, channel.quantity(listing, LOCATION) + units);
  }

  @Override
  public void fulfil(String orderId) {
    channel.fulfil(orderId);
    notifyHub();
  }

  @Override
  public void refundReturn(String orderId, int quantity) {
    String line = channel.order(orderId).lines().get(0).lineId();
    channel.refund(orderId, line, quantity, true);
    restock(Sku.of(channel.order(orderId).lines().get(0).sku()), quantity);
    notifyHub();
  }

  private void notifyHub() {
    StockSync h = hub;
    SyncScheduler s = scheduler;
    if (h != null && s != null && notificationDelay != null) {
      StoreId id = channel.storeId();
      s.schedule(notificationDelay, () -> h.handle(id, new ChannelEvent.OrdersChanged()));
    }
  }

  @Override
  public void fault(Fault fault, boolean on) {
    if (fault != Fault.SERVER_ERRORS) {
      throw new UnsupportedOperationException(name + " stand-in has no " + fault);
    }
    channel.failNextCalls(on ? Integer.MAX_VALUE : 0, InMemoryChannel.Fault.RETRYABLE_EXCEPTION);
  }

  @Override
  public void sendNotificationsTo(StockSync hub, SyncScheduler scheduler) {
    this.hub = hub;
    this.scheduler = scheduler;
  }

  @Override
  public void deliverNotifications() {
    // Nothing queued: notifications are scheduled tasks on the simulation's scheduler.
  }

  @Override
  public long apiCalls() {
    return channel.callCount();
  }

  @Override
  public long pushCalls() {
    int recorded = channel.pushCount();
    if (recorded >= DRAIN_AT) {
      for (PushItem item : channel.pushedItems()) {
        if (item.quantity() < 0) {
          negative++;
        }
      }
      channel.clearPushCalls();
      drainedPushCalls += recorded;
      recorded = 0;
    }
    return drainedPushCalls + recorded;
  }

  @Override
  public long costPoints() {
    return 0;
  }

  @Override
  public long negativePushes() {
    long now = negative;
    for (PushItem item : channel.pushedItems()) {
      if (item.quantity() < 0) {
        now++;
      }
    }
    return now;
  }

  @Override
  public void close() {
    channel.close();
  }
}
