package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.Product;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A notification that names one order ({@link ChannelEvent.OrderChanged}) books that order at
 * once by reading it by id, without an order search and without moving the order cursor; a
 * connector that cannot read by id gets an order sync instead.
 */
class OrderByIdTest extends EngineTestSupport {


  private @Nullable Instant cursorOf(ChannelConnector c) {
    return store.read(r -> r.store(c.storeId())).map(StoreRecord::orderCursor).orElse(null);
  }

  private HookedConnector twoStoresListingFiveApples(InMemoryChannel a, InMemoryChannel b) {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 5, "initial");
    a.addListing("la", "APPLE", 5);
    b.addListing("lb", "APPLE", 5);
    HookedConnector hooked = new HookedConnector(a);
    connectAndSync(hooked);
    connectAndSync(b);
    scheduler.advance(Duration.ofSeconds(30)); // the first order syncs and pushes are done
    return hooked;
  }

  @Test
  void aNamedOrder_isReadById_bookedAndPushedToTheOtherStore_withoutAnOrderSearch() {
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    HookedConnector hooked = twoStoresListingFiveApples(a, b);
    int searches = hooked.orderSearches.get();
    Instant cursor = cursorOf(hooked);

    String order = a.placeOrder("APPLE", 2);
    hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
    settle();

    assertThat(hooked.orderReads).containsExactly(order);
    assertThat(hooked.orderSearches.get()).isEqualTo(searches);
    assertThat(hub.inventory().available(APPLE)).isEqualTo(3);
    assertThat(b.quantity("lb")).isEqualTo(3);
    assertThat(cursorOf(hooked)).isEqualTo(cursor);
  }

  @Test
  void theNextOrderSync_readsTheOrderAgain_andBooksNothingTwice() {
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    HookedConnector hooked = twoStoresListingFiveApples(a, b);
    String order = a.placeOrder("APPLE", 2);
    hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
    settle();
    int searches = hooked.orderSearches.get();

    hub.handle(a.storeId(), new ChannelEvent.OrdersChanged());
    settle();

    assertThat(hooked.orderSearches.get()).isGreaterThan(searches);
    assertThat(hub.inventory().available(APPLE)).isEqualTo(3);
    assertThat(b.quantity("lb")).isEqualTo(3);
  }

  @Test
  void aCancellationNamedByItsOrder_releasesTheBooking() {
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    twoStoresListingFiveApples(a, b);
    String order = a.placeOrder("APPLE", 2);
    hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
    settle();

    a.cancel(order);
    hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
    settle();

    assertThat(hub.inventory().available(APPLE)).isEqualTo(5);
    assertThat(b.quantity("lb")).isEqualTo(5);
  }

  @Test
  void aNotificationArrivingWhileItsOrderIsBeingRead_isNotSwallowed() {
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    HookedConnector hooked = twoStoresListingFiveApples(a, b);
    String order = a.placeOrder("APPLE", 2);
    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
    hooked.duringOrderRead = () -> {
      if (once.compareAndSet(false, true)) {
        a.cancel(order); // after the channel answered: the read carries the booked version
        hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
      }
    };

    hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
    settle();

    assertThat(hooked.orderReads).containsExactly(order, order);
    assertThat(hub.inventory().available(APPLE)).isEqualTo(5);
    assertThat(b.quantity("lb")).isEqualTo(5);
  }

  @Test
  void anOrderTheChannelDoesNotKnow_changesNothing() {
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    HookedConnector hooked = twoStoresListingFiveApples(a, b);

    hub.handle(a.storeId(), new ChannelEvent.OrderChanged("no-such-order"));
    settle();

    assertThat(hooked.orderReads).containsExactly("no-such-order");
    assertThat(hub.inventory().available(APPLE)).isEqualTo(5);
    assertThat(events(SyncEvent.Failure.class)).isEmpty();
  }

  @Test
  void aConnectorThatCannotReadById_getsAnOrderSyncInstead() {
    InMemoryChannel a = InMemoryChannel.builder(io.stocksync.core.StoreId.of("memory", "a"))
        .clock(clock).readsOrderById(false).build();
    InMemoryChannel b = channel("b");
    HookedConnector hooked = twoStoresListingFiveApples(a, b);
    int searches = hooked.orderSearches.get();

    String order = a.placeOrder("APPLE", 2);
    hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
    settle();

    assertThat(hooked.orderReads).isEmpty();
    assertThat(hooked.orderSearches.get()).isGreaterThan(searches);
    assertThat(hub.inventory().available(APPLE)).isEqualTo(3);
  }

  @Test
  void aFailingRead_isRetried_andAfterThreeFailuresTheOrderSyncTakesOver() {
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    HookedConnector hooked = twoStoresListingFiveApples(a, b);
    int searches = hooked.orderSearches.get();
    String order = a.placeOrder("APPLE", 2);
    hooked.failNext(3, new RetryLaterException("the channel is down", Duration.ofSeconds(1), null));

    hub.handle(a.storeId(), new ChannelEvent.OrderChanged(order));
    scheduler.advance(Duration.ofMinutes(2));

    assertThat(hooked.orderReads).hasSize(3).containsOnly(order);
    assertThat(events(SyncEvent.Failure.class)).hasSize(3);
    assertThat(hooked.orderSearches.get()).isGreaterThan(searches);
    assertThat(hub.inventory().available(APPLE)).isEqualTo(3);
  }

  @Test
  void aChannelSuggestingAShorterOrderPoll_isPolledThatOften_aLongerSuggestionIsIgnored() {
    InMemoryChannel a = channel("a");
    InMemoryChannel b = channel("b");
    HookedConnector fast = twoStoresListingFiveApples(a, b);
    fast.orderPoll = Duration.ofMinutes(1);
    scheduler.advance(Duration.ofMinutes(10)); // the host's 10-minute poll picks the hint up

    String order = a.placeOrder("APPLE", 2); // no notification: only a poll finds it
    scheduler.advance(Duration.ofSeconds(61));
    assertThat(hub.inventory().available(APPLE)).isEqualTo(3);

    fast.orderPoll = Duration.ofHours(1);
    scheduler.advance(Duration.ofMinutes(1)); // the last 1-minute poll
    a.cancel(order);
    scheduler.advance(Duration.ofMinutes(9));
    assertThat(hub.inventory().available(APPLE)).as("not before the host's 10 minutes").isEqualTo(3);
    scheduler.advance(Duration.ofMinutes(2));
    assertThat(hub.inventory().available(APPLE)).isEqualTo(5);
  }

  @Test
  void aBlankOrderId_isRefused() {
    assertThatThrownBy(() -> new ChannelEvent.OrderChanged(" "))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("orderId");
  }
}
