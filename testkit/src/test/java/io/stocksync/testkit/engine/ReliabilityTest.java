package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.Product;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreTransaction;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Issue 9, items 1 to 10, 17 and 19 on virtual time: each named after the behaviour it fixes. */
class ReliabilityTest extends EngineTestSupport {


  private void stockApple(long units) {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", units, "initial");
  }

  // ---- item 1 ----

  @Test
  void changePlannedWhileAPushIsInFlight_isPushedAfterIt_notCancelledAsUnchanged() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    HookedConnector hooked = new HookedConnector(a);
    connectAndSync(hooked);
    AtomicBoolean once = new AtomicBoolean();
    hooked.duringPush = () -> {
      if (once.compareAndSet(false, true)) {
        // +5 is on its way as 15; meanwhile five go and the change is planned.
        hub.inventory().adjust(APPLE, "main", -5, "sold at the counter");
        scheduler.advance(Duration.ofSeconds(2));
      }
    };

    hub.inventory().adjust(APPLE, "main", 5, "found");
    scheduler.advance(Duration.ofSeconds(2)); // the +5 push, with the -5 planned in flight
    scheduler.advance(Duration.ofSeconds(2)); // one debounce after it returned

    assertThat(hub.inventory().available(APPLE)).isEqualTo(10);
    assertThat(a.quantity("l")).isEqualTo(10);
  }

  // ---- item 2 ----

  /** A store that can be taken down, like a database during a failover. */
  static final class FlakyStore implements InventoryStore {
    final InventoryStore delegate = new InMemoryInventoryStore();
    volatile boolean down;

    @Override
    public <T> T read(Function<? super StoreReader, ? extends T> work) {
      if (down) {
        throw new IllegalStateException("database unavailable");
      }
      return delegate.read(work);
    }

    @Override
    public <T> T write(Function<? super StoreTransaction, ? extends T> work) {
      if (down) {
        throw new IllegalStateException("database unavailable");
      }
      return delegate.write(work);
    }
  }

  @Test
  void transientStoreOutageDuringOrderPolling_failsTheRun_andPollingContinuesAfterIt() {
    hub.close();
    FlakyStore flaky = new FlakyStore();
    hub = StockSync.builder().store(flaky).clock(clock).scheduler(scheduler)
        .listener(new SyncListener() {
          @Override
          public void onEvent(SyncEvent event) {
            events.add(event);
          }
        }).build();
    hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a);

    flaky.down = true;
    scheduler.advance(Duration.ofMinutes(12)); // order polls and listing syncs meet the outage
    flaky.down = false;
    a.placeOrder("APPLE", 3);
    scheduler.advance(Duration.ofMinutes(30));

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(3);
    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.SYNC_ON);
  }

  // ---- item 4 ----

  @Test
  void orderTheHubCannotApply_isSetAsideAndReported_andLaterOrdersAreBooked() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a);
    a.placeOrder("APPLE", 2);
    String huge = a.placeOrder("APPLE", Long.MAX_VALUE); // booked 2 + MAX overflows
    a.placeOrder("APPLE", 3);

    hub.syncNow(a.storeId());
    scheduler.advance(Duration.ofMinutes(25)); // several order runs

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(5);
    assertThat(events(SyncEvent.Failure.class))
        .filteredOn(f -> f.message().contains(huge) && f.message().contains("set aside"))
        .hasSize(1);
  }

  // ---- item 5 ----

  @Test
  void listingWithATitleOverTheProductNameLimit_isTruncatedAndReported_andTheRestImports() {
    stockApple(10);
    hub.inventory().defineProduct(Product.of("PEAR", "Pear"));
    InMemoryChannel a = channel("a");
    a.addListing("l-apple", "APPLE", 10);
    a.addListing("l-long", "LONG-TITLE", 4);
    a.addListing("l-pear", "PEAR", 6);
    HookedConnector hooked = new HookedConnector(a);
    String title = "T".repeat(Product.MAX_NAME_LENGTH + 500);
    hooked.listingMapper = l -> l.listingId().equals("l-long")
        ? new ChannelListing(l.listingId(), l.inventoryRef(), l.sku(), l.status(), title,
            l.tracked(), l.quantities(), l.updatedAt())
        : l;

    hub.connect(hooked, StoreOptions.DEFAULT);
    scheduler.runDue();

    assertThat(hub.listings(a.storeId())).extracting(l -> l.listingId())
        .containsExactlyInAnyOrder("l-apple", "l-long", "l-pear");
    assertThat(hub.inventory().product(io.stocksync.core.Sku.of("LONG-TITLE")).orElseThrow()
        .name()).hasSize(Product.MAX_NAME_LENGTH);
    assertThat(events(SyncEvent.Failure.class)).anySatisfy(f ->
        assertThat(f.message()).contains("l-long").contains("truncated"));
    assertThatCode(() -> hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder().build()))
        .doesNotThrowAnyException();
  }

  @Test
  void inMemoryChannel_listingWithASkuOver255Characters_isSkipped_andTheRestIsListed() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l-apple", "APPLE", 10);
    a.addListing("l-long", "S".repeat(300), 4);

    hub.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();

    assertThat(hub.listings(a.storeId())).extracting(l -> l.listingId())
        .containsExactly("l-apple");
    assertThat(a.unlistable()).containsExactly("l-long");
  }

  // ---- item 6 ----

  @Test
  void listenerThrowingAnError_isLoggedAndIgnored_andOrderPollingContinues() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a);
    AtomicBoolean thrown = new AtomicBoolean();
    hook = e -> {
      if (e instanceof SyncEvent.RunFinished r && r.kind() == SyncEvent.RunKind.ORDERS
          && thrown.compareAndSet(false, true)) {
        throw new AssertionError("listener bug");
      }
    };

    scheduler.advance(Duration.ofMinutes(11)); // the first order run meets the throwing listener
    a.placeOrder("APPLE", 4);
    scheduler.advance(Duration.ofMinutes(11));

    assertThat(thrown).isTrue();
    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(4);
  }

  // ---- item 7 ----

  @Test
  void orderRepeatingALineId_isRefusedAsMalformed_andBooksNothing() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a);
    Instant now = clock.instant();
    a.importOrder(new ChannelOrder("dup-1", "v1", now, now, false, null, List.of(
        new ChannelOrderLine("line-1", "APPLE", 3, 0, 0, 0),
        new ChannelOrderLine("line-1", "APPLE", 2, 0, 0, 0))));

    hub.syncNow(a.storeId());
    scheduler.runDue();

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isZero();
    assertThat(events(SyncEvent.Failure.class)).anySatisfy(f ->
        assertThat(f.message()).contains("dup-1").contains("repeats line id"));
  }

  // ---- item 8 ----

  @Test
  void failedBuild_stopsTheWorkersItStarted() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a);
    hub.close();
    InMemoryChannel refused = channel("refused");
    refused.revokeCredentials();

    assertThatThrownBy(() -> newHub(a, refused)).isInstanceOf(CredentialsException.class);
    int calls = a.callCount();
    scheduler.advance(Duration.ofHours(2));

    assertThat(a.callCount()).as("no worker of the failed build still polls").isEqualTo(calls);
    hub = newHub(); // for @AfterEach
  }

  // ---- item 9 ----

  @Test
  void disconnect_whenClosingTheConnectorThrows_stillDisconnects_andReportsTheFailure() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    HookedConnector hooked = new HookedConnector(a);
    connectAndSync(hooked);
    hooked.closeFailure = new IllegalStateException("pool already shut");

    assertThatCode(() -> hub.disconnect(a.storeId())).doesNotThrowAnyException();
    scheduler.runDue();

    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.DISCONNECTED);
    assertThat(hub.status(a.storeId()).attached()).isFalse();
    assertThat(events(SyncEvent.Failure.class)).anySatisfy(f ->
        assertThat(f.message()).contains("closing the connector failed"));
  }

  // ---- item 10 ----

  @Test
  void orderStampedInMillisecondsJustBeforeTurnOnSync_isNotBooked_wholeSecondStampStillIs() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    hub.connect(a, StoreOptions.DEFAULT);
    scheduler.runDue();
    clock.advanceTo(Instant.parse("2026-11-23T09:30:00.700Z"));
    hub.turnOnSync(hub.prepareTurnOnSync(a.storeId(), TurnOnSyncChoices.builder()
        .location("default", LocationChoice.existing("main")).build()));
    a.placeOrder(List.of(new InMemoryChannel.LineSpec("APPLE", 2)), null,
        Instant.parse("2026-11-23T09:30:00.300Z")); // placed 0.4 s before sync-on
    a.placeOrder(List.of(new InMemoryChannel.LineSpec("APPLE", 1)), null,
        Instant.parse("2026-11-23T09:30:00Z")); // a whole-second channel: cannot tell, imported

    hub.syncNow(a.storeId());
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(hub.inventory().stockLevel(APPLE, "main").booked()).isEqualTo(1);
  }

  // ---- item 17 ----

  @Test
  void transportMessageQuotingTheToken_isRedactedInConnectExceptionStatusAndEvents() {
    String token = "shpat_0123456789abcdef";
    InMemoryChannel a = channel("a");
    HookedConnector hooked = new HookedConnector(a);
    hooked.secret = token;
    hooked.failCalls = new IllegalArgumentException("Unexpected char 0xa0 in header value: "
        + token, new IllegalStateException("while sending Authorization " + token));

    assertThatThrownBy(() -> hub.connect(hooked, StoreOptions.DEFAULT))
        .isInstanceOf(ChannelException.class)
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(token);
            assertThat(t.toString()).doesNotContain(token);
          }
        });

    stockApple(10);
    a.addListing("l", "APPLE", 10);
    hooked.failCalls = null;
    connectAndSync(hooked);
    hooked.failCalls = new IllegalArgumentException("bad header: Bearer " + token);
    hub.inventory().adjust(APPLE, "main", 1, "");
    hub.syncNow(a.storeId());
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(events(SyncEvent.Failure.class)).isNotEmpty()
        .allSatisfy(f -> assertThat(f.message()).doesNotContain(token));
    assertThat(hub.status(a.storeId()).lastError()).isNotNull().doesNotContain(token)
        .contains("[redacted]");
  }

  // ---- item 19 ----

  @Test
  void accessRevokedSignal_thatTheChannelContradicts_isReportedAndIgnored() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a);

    hub.handle(a.storeId(), new ChannelEvent.AccessRevoked());
    scheduler.runDue();

    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.SYNC_ON);
    assertThat(events(SyncEvent.Failure.class)).anySatisfy(f ->
        assertThat(f.message()).contains("contradicted"));
  }

  @Test
  void accessRevokedSignal_confirmedByAnIdentityCallRefused_marksTheStoreNeedsReauth() {
    stockApple(10);
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a);
    a.revokeCredentials();

    hub.handle(a.storeId(), new ChannelEvent.AccessRevoked());
    scheduler.runDue();

    assertThat(hub.status(a.storeId()).status()).isEqualTo(SyncStatus.NEEDS_REAUTH);
  }
}
