package io.stocksync.testkit.engine;

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
import io.stocksync.core.channel.RequestBudget;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.channel.StoreIdentity;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An {@link InMemoryChannel} with hooks a test sets to act in the middle of a call: while a push
 * is in flight, on the way a listing is reported, or when the connector is closed.
 */
final class HookedConnector implements ChannelConnector {
  final InMemoryChannel channel;
  /** Runs inside every push, before the channel applies it (the push is "in flight"). */
  volatile Runnable duringPush = () -> {};
  /** Rewrites each listing the channel reports. */
  volatile UnaryOperator<ChannelListing> listingMapper = UnaryOperator.identity();
  /** Thrown by every call while set (a transport failure), never by the store half. */
  volatile @Nullable RuntimeException failCalls;
  /** Thrown by {@link #close()} when set. */
  volatile @Nullable RuntimeException closeFailure;
  /** A secret this connector holds; {@link #redact} removes it. */
  volatile @Nullable String secret;

  HookedConnector(InMemoryChannel channel) {
    this.channel = channel;
  }

  private final AtomicInteger failuresLeft =
      new AtomicInteger();
  private volatile @Nullable RuntimeException nextFailure;

  /** Makes the next {@code n} calls fail with {@code failure} (a store outage). */
  void failNext(int n, RuntimeException failure) {
    nextFailure = failure;
    failuresLeft.set(n);
  }

  private void maybeFail() {
    RuntimeException e = failCalls;
    if (e != null) {
      throw e;
    }
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      RuntimeException next = nextFailure;
      if (next != null) {
        throw next;
      }
    }
  }

  @Override
  public StoreId storeId() {
    return channel.storeId();
  }

  @Override
  public ChannelCapabilities capabilities() {
    return channel.capabilities();
  }

  @Override
  public StoreIdentity identity() {
    maybeFail();
    return channel.identity();
  }

  @Override
  public List<ChannelLocation> locations() {
    maybeFail();
    return channel.locations();
  }

  @Override
  public Page<ChannelListing> listings(ListingQuery query) {
    maybeFail();
    Page<ChannelListing> page = channel.listings(query);
    List<ChannelListing> mapped = new ArrayList<>();
    for (ChannelListing l : page.items()) {
      mapped.add(listingMapper.apply(l));
    }
    return new Page<>(mapped, page.nextPageToken());
  }

  /** Order searches ({@link #orders}) made. */
  final AtomicInteger orderSearches =
      new AtomicInteger();
  /** Orders read by id ({@link #readOrder}), in call order. */
  final List<String> orderReads = new CopyOnWriteArrayList<>();

  @Override
  public Page<ChannelOrder> orders(OrderQuery query) {
    orderSearches.incrementAndGet();
    maybeFail();
    return channel.orders(query);
  }

  /** What {@link #orderPollInterval()} suggests; null for none. */
  volatile @Nullable Duration orderPoll;

  @Override
  public Optional<Duration> orderPollInterval() {
    return Optional.ofNullable(orderPoll);
  }

  @Override
  public boolean readsOrderById() {
    return channel.readsOrderById();
  }

  /** Runs inside every read of an order by id, after the channel answered it. */
  volatile Runnable duringOrderRead = () -> {};

  @Override
  public Optional<ChannelOrder> readOrder(String orderId) {
    orderReads.add(orderId);
    maybeFail();
    Optional<ChannelOrder> order = channel.readOrder(orderId);
    duringOrderRead.run();
    return order;
  }

  @Override
  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
    reads.incrementAndGet();
    maybeFail();
    return channel.readQuantities(refs);
  }

  /** Calls of {@link #readQuantities}, made or attempted. */
  final AtomicInteger reads =
      new AtomicInteger();

  /** Items this says yes to are answered "retry after {@link #holdFor}", never applied. */
  volatile Predicate<PushItem> holdItem = item -> false;
  /** The wait a held item asks for. */
  volatile Duration holdFor = Duration.ofMinutes(15);
  /** What {@link #requestBudget()} reports; null for a channel without a slow quota. */
  volatile @Nullable RequestBudget budget;

  @Override
  public List<PushResult> push(List<PushItem> items) {
    maybeFail();
    duringPush.run();
    List<PushItem> applied = new ArrayList<>();
    for (PushItem item : items) {
      if (!holdItem.test(item)) {
        applied.add(item);
      }
    }
    List<PushResult> answers = applied.isEmpty() ? List.of() : channel.push(applied);
    List<PushResult> out = new ArrayList<>(items.size());
    int next = 0;
    for (PushItem item : items) {
      out.add(holdItem.test(item) ? new PushResult.Retryable("held by the test", holdFor)
          : answers.get(next++));
    }
    return out;
  }

  @Override
  public Optional<RequestBudget> requestBudget() {
    return Optional.ofNullable(budget);
  }

  @Override
  public @Nullable String redact(@Nullable String text) {
    String s = secret;
    return text == null || s == null ? text : text.replace(s, "[redacted]");
  }

  @Override
  public void close() {
    RuntimeException e = closeFailure;
    if (e != null) {
      throw e;
    }
  }
}
