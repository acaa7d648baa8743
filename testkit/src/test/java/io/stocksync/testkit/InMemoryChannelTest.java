package io.stocksync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelCapabilities;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ConnectorConfig;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.InMemoryChannel.Fault;
import io.stocksync.testkit.InMemoryChannel.LineSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InMemoryChannelTest {
  static final StoreId STORE = StoreId.of("memory", "shop-1");
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final ManualClock clock = new ManualClock(START);
  final InMemoryChannel shop = InMemoryChannel.builder(STORE).clock(clock).build();

  static StockRef ref(String listingId) {
    return new StockRef(listingId, "default");
  }

  static PushItem set(String listingId, long quantity, Long expected, String key) {
    return new PushItem(ref(listingId), quantity, expected, key);
  }

  static List<ChannelListing> readAll(ChannelConnector c, ListingQuery first) {
    List<ChannelListing> all = new ArrayList<>();
    ListingQuery query = first;
    while (true) {
      Page<ChannelListing> page = c.listings(query);
      all.addAll(page.items());
      if (!page.hasNext()) {
        return all;
      }
      query = query.next(page.nextPageToken());
    }
  }

  static List<ChannelOrder> readAll(ChannelConnector c, Instant since) {
    List<ChannelOrder> all = new ArrayList<>();
    OrderQuery query = new OrderQuery(since, null);
    while (true) {
      Page<ChannelOrder> page = c.orders(query);
      all.addAll(page.items());
      if (!page.hasNext()) {
        return all;
      }
      query = query.next(page.nextPageToken());
    }
  }

  @Nested
  class Configuration {
    @Test
    void defaultsToOneLocationBatchesOf50AndCompareAndSet() {
      InMemoryChannel plain = InMemoryChannel.builder(STORE).build();

      assertThat(plain.capabilities())
          .isEqualTo(new ChannelCapabilities(50, true, false, false, 0));
      assertThat(plain.locations())
          .containsExactly(new ChannelLocation("default", "Default", true, false));
      assertThat(plain.identity().id()).isEqualTo(STORE);
      assertThat(plain.identity().name()).isEqualTo("shop-1");
      assertThat(plain.storeId()).isEqualTo(STORE);
    }

    @Test
    void builderSettingsShowInCapabilitiesLocationsAndIdentity() {
      InMemoryChannel custom =
          InMemoryChannel.builder(STORE)
              .name("My Shop")
              .maxBatchSize(3)
              .compareAndSet(false)
              .maxRequestsPerSecond(2.5)
              .location("wh", "Warehouse")
              .readOnlyLocation("fba", "Amazon FBA")
              .build();

      assertThat(custom.capabilities())
          .isEqualTo(new ChannelCapabilities(3, false, true, false, 2.5));
      assertThat(custom.locations())
          .extracting(ChannelLocation::id, ChannelLocation::readOnly)
          .containsExactly(tuple("wh", false), tuple("fba", true));
      assertThat(custom.identity().name()).isEqualTo("My Shop");
    }

    @Test
    void invalidSettingsAreRefused() {
      assertThatThrownBy(() -> InMemoryChannel.builder(STORE).pageSize(0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> InMemoryChannel.builder(STORE).maxBatchSize(0).build())
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> InMemoryChannel.builder(STORE).location("a", "A").location("a", "B"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Listings {
    @Test
    void areSortedByIdPagedByPageSizeAndReportTheirFigures() {
      InMemoryChannel small =
          InMemoryChannel.builder(STORE)
              .clock(clock)
              .pageSize(2)
              .location("a", "A")
              .location("b", "B")
              .build();
      small.addListing("L3", "C", ListingStatus.ACTIVE, Map.of("a", 3L, "b", 30L));
      small.addListing("L1", "A", ListingStatus.SOLD_OUT, Map.of("a", 0L));
      small.addListing("L2", "B", ListingStatus.INACTIVE, Map.of("b", 2L));

      Page<ChannelListing> first = small.listings(new ListingQuery(null, false, null));
      Page<ChannelListing> second =
          small.listings(new ListingQuery(null, false, first.nextPageToken()));

      assertThat(first.items()).extracting(ChannelListing::listingId).containsExactly("L1", "L2");
      assertThat(second.items()).extracting(ChannelListing::listingId).containsExactly("L3");
      assertThat(second.hasNext()).isFalse();
      ChannelListing l3 = second.items().get(0);
      assertThat(l3.inventoryRef()).isEqualTo("L3");
      assertThat(l3.sku().value()).isEqualTo("C");
      assertThat(l3.quantities()).isEqualTo(Map.of("a", 3L, "b", 30L));
      assertThat(l3.tracked()).isTrue();
      assertThat(l3.updatedAt()).isEqualTo(START);
    }

    @Test
    void aListingAddedBetweenPagesIsNeitherSkippedNorRepeated() {
      InMemoryChannel small = InMemoryChannel.builder(STORE).clock(clock).pageSize(2).build();
      small.addListing("B", "B", 1);
      small.addListing("C", "C", 1);
      small.addListing("D", "D", 1);

      Page<ChannelListing> first = small.listings(new ListingQuery(null, false, null));
      small.addListing("A", "A", 1); // sorts before the cursor: belongs to a page already read
      small.addListing("E", "E", 1);
      List<ChannelListing> rest =
          readAll(small, new ListingQuery(null, false, first.nextPageToken()));

      assertThat(first.items()).extracting(ChannelListing::listingId).containsExactly("B", "C");
      assertThat(rest).extracting(ChannelListing::listingId).containsExactly("D", "E");
    }

    @Test
    void draftsAreReportedOnlyWhenAskedFor() {
      shop.addListing("L1", "A", ListingStatus.DRAFT, Map.of("default", 1L));
      shop.addListing("L2", "B", 1);

      assertThat(readAll(shop, new ListingQuery(null, false, null)))
          .extracting(ChannelListing::listingId)
          .containsExactly("L2");
      assertThat(readAll(shop, new ListingQuery(null, true, null)))
          .extracting(ChannelListing::listingId)
          .containsExactly("L1", "L2");
    }

    @Test
    void listingsWithoutSkuAreKeptButNeverReported() {
      shop.addListing("L1", null, ListingStatus.ACTIVE, Map.of("default", 1L));
      shop.addListing("L2", "  ", ListingStatus.ACTIVE, Map.of("default", 1L));
      shop.addListing("L3", "C", 1);

      assertThat(readAll(shop, new ListingQuery(null, true, null)))
          .extracting(ChannelListing::listingId)
          .containsExactly("L3");
      assertThat(shop.quantity("L1")).isEqualTo(1);

      shop.setSku("L1", "A");
      shop.setSku("L3", null);
      assertThat(readAll(shop, new ListingQuery(null, true, null)))
          .extracting(ChannelListing::listingId)
          .containsExactly("L1");
    }

    @Test
    void changedSinceKeepsListingsUpdatedAtOrAfterIt() {
      shop.addListing("L1", "A", 1);
      shop.addListing("L2", "B", 1);
      shop.addListing("L3", "C", 1);
      shop.addListing("L4", "D", 1);
      Instant t1 = clock.advance(Duration.ofMinutes(1));
      shop.setQuantity("L1", "default", 5);
      shop.setStatus("L2", ListingStatus.SOLD_OUT);
      shop.setTracked("L3", false);
      clock.advance(Duration.ofMinutes(1));

      List<ChannelListing> changed = readAll(shop, new ListingQuery(t1, false, null));

      assertThat(changed)
          .extracting(
              ChannelListing::listingId,
              ChannelListing::status,
              ChannelListing::tracked,
              l -> l.quantities().get("default"))
          .containsExactly(
              tuple("L1", ListingStatus.ACTIVE, true, 5L),
              tuple("L2", ListingStatus.SOLD_OUT, true, 1L),
              tuple("L3", ListingStatus.ACTIVE, false, 1L));
      assertThat(changed).extracting(ChannelListing::updatedAt).containsOnly(t1);
    }

    @Test
    void seedingMistakesAreRefused() {
      shop.addListing("L1", "A", 1);

      assertThatThrownBy(() -> shop.addListing("L1", "B", 1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> shop.addListing("L2", "B", ListingStatus.ACTIVE, Map.of("nowhere", 1L)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> shop.addListing("L3", "B", -1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> shop.quantity("nope")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> shop.setQuantity("L1", "nowhere", 1))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storeSideChangesAreNeitherCallsNorPushes() {
      shop.addListing("L1", "A", 1);
      shop.setQuantity("L1", "default", 9);

      assertThat(shop.quantity("L1", "default")).isEqualTo(9);
      assertThat(shop.callCount()).isZero();
      assertThat(shop.pushCount()).isZero();
    }
  }

  @Nested
  class Reads {
    @Test
    void readQuantitiesOmitsFiguresTheStoreDoesNotHave() {
      shop.addListing("L1", "A", 4);

      Map<StockRef, Long> read =
          shop.readQuantities(List.of(ref("L1"), ref("missing"), new StockRef("L1", "elsewhere")));

      assertThat(read).isEqualTo(Map.of(ref("L1"), 4L));
    }

    @Test
    void everyCallIsCounted() {
      shop.identity();
      shop.locations();
      shop.listings(new ListingQuery(null, false, null));
      shop.orders(new OrderQuery(START, null));
      shop.readQuantities(List.of());
      shop.push(List.of());
      shop.storeId();
      shop.capabilities();

      assertThat(shop.callCount()).isEqualTo(6);
    }
  }

  @Nested
  class Pushes {
    @Test
    void setsTheFigureConfirmsAndRecordsTheCall() {
      shop.addListing("L1", "A", 4);
      clock.advance(Duration.ofMinutes(1));

      List<PushResult> results = shop.push(List.of(set("L1", 7, 4L, "k1")));

      assertThat(results).containsExactly(new PushResult.Confirmed(7));
      assertThat(shop.quantity("L1")).isEqualTo(7);
      assertThat(shop.pushCalls()).containsExactly(List.of(set("L1", 7, 4L, "k1")));
      assertThat(readAll(shop, new ListingQuery(null, false, null)).get(0).updatedAt())
          .isEqualTo(START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void compareAndSetAnswersStaleWithTheActualFigureAndChangesNothing() {
      shop.addListing("L1", "A", 4);

      assertThat(shop.push(List.of(set("L1", 7, 5L, "k1"))))
          .containsExactly(new PushResult.Stale(4));
      assertThat(shop.quantity("L1")).isEqualTo(4);
      assertThat(shop.push(List.of(set("L1", 7, null, "k2"))))
          .containsExactly(new PushResult.Confirmed(7));
    }

    @Test
    void withoutCompareAndSetTheExpectationIsIgnored() {
      InMemoryChannel noCas = InMemoryChannel.builder(STORE).compareAndSet(false).build();
      noCas.addListing("L1", "A", 4);

      assertThat(noCas.push(List.of(set("L1", 7, 5L, "k1"))))
          .containsExactly(new PushResult.Confirmed(7));
    }

    @Test
    void figuresTheStoreCannotTakeAreRejected() {
      InMemoryChannel two =
          InMemoryChannel.builder(STORE)
              .location("wh", "Warehouse")
              .readOnlyLocation("fba", "FBA")
              .build();
      two.addListing("L1", "A", ListingStatus.ACTIVE, Map.of("wh", 1L, "fba", 2L));
      two.addListing("L2", "B", ListingStatus.ACTIVE, Map.of("fba", 2L));
      two.addListing("L3", "C", ListingStatus.ACTIVE, Map.of("wh", 3L));
      two.setTracked("L3", false);

      List<PushResult> results =
          two.push(
              List.of(
                  new PushItem(new StockRef("nope", "wh"), 1, null, "k1"),
                  new PushItem(new StockRef("L2", "wh"), 1, null, "k2"),
                  new PushItem(new StockRef("L1", "fba"), 1, null, "k3"),
                  new PushItem(new StockRef("L3", "wh"), 1, null, "k4"),
                  new PushItem(new StockRef("L1", "wh"), 5, null, "k5")));

      assertThat(results.subList(0, 4)).allMatch(r -> r instanceof PushResult.Rejected);
      assertThat(results.get(4)).isEqualTo(new PushResult.Confirmed(5));
      assertThat(two.quantity("L1", "fba")).isEqualTo(2);
      assertThat(two.quantity("L3", "wh")).isEqualTo(3);
    }

    @Test
    void aBatchOverTheLimitIsAProgrammingError() {
      InMemoryChannel tiny = InMemoryChannel.builder(STORE).maxBatchSize(2).build();
      tiny.addListing("L1", "A", 1);
      List<PushItem> three =
          List.of(set("L1", 1, null, "a"), set("L1", 2, null, "b"), set("L1", 3, null, "c"));

      assertThatThrownBy(() -> tiny.push(three)).isInstanceOf(IllegalArgumentException.class);
      assertThat(tiny.quantity("L1")).isEqualTo(1);
    }

    @Test
    void replayingAnAppliedKeyConfirmsWithoutApplyingAgain() {
      shop.addListing("L1", "A", 4);
      shop.push(List.of(set("L1", 7, 4L, "k1")));
      shop.setQuantity("L1", "default", 6); // a sale after our push landed

      // The engine lost the answer and retries the same item, expectation and all.
      List<PushResult> replay = shop.push(List.of(set("L1", 7, 4L, "k1")));

      assertThat(replay).containsExactly(new PushResult.Confirmed(7));
      assertThat(shop.quantity("L1")).as("the later sale is kept").isEqualTo(6);
    }

    @Test
    void reusingAKeyForAnotherChangeIsRejected() {
      shop.addListing("L1", "A", 4);
      shop.push(List.of(set("L1", 7, null, "k1")));

      assertThat(shop.push(List.of(set("L1", 8, null, "k1"))))
          .singleElement()
          .isInstanceOf(PushResult.Rejected.class);
      assertThat(shop.quantity("L1")).isEqualTo(7);
    }

    @Test
    void aStaleItemsKeyIsNotRemembered() {
      shop.addListing("L1", "A", 4);
      shop.push(List.of(set("L1", 7, 5L, "k1")));

      assertThat(shop.push(List.of(set("L1", 7, 4L, "k1"))))
          .containsExactly(new PushResult.Confirmed(7));
    }

    @Test
    void recordsImmutableCopiesOfEveryBatch() {
      shop.addListing("L1", "A", 4);
      List<PushItem> batch = new ArrayList<>(List.of(set("L1", 1, null, "a")));
      shop.push(batch);
      batch.add(set("L1", 2, null, "b"));
      shop.push(batch);

      assertThat(shop.pushCount()).isEqualTo(2);
      assertThat(shop.pushCalls().get(0)).containsExactly(set("L1", 1, null, "a"));
      assertThat(shop.pushedItems())
          .extracting(PushItem::idempotencyKey)
          .containsExactly("a", "a", "b");
      assertThatThrownBy(() -> shop.pushCalls().get(0).clear())
          .isInstanceOf(UnsupportedOperationException.class);

      shop.clearPushCalls();
      assertThat(shop.pushCount()).isZero();
      assertThat(shop.pushedItems()).isEmpty();
    }
  }

  @Nested
  class Faults {
    @Test
    void retryableExceptionAppliesNothingAndAsksForOneSecond() {
      shop.addListing("L1", "A", 4);
      shop.failNextPushes(1, Fault.RETRYABLE_EXCEPTION);

      assertThatThrownBy(() -> shop.push(List.of(set("L1", 7, null, "k1"))))
          .isInstanceOfSatisfying(
              RetryLaterException.class,
              e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)));
      assertThat(shop.quantity("L1")).isEqualTo(4);
      assertThat(shop.pushCount()).as("failed calls are recorded").isEqualTo(1);

      assertThat(shop.push(List.of(set("L1", 7, null, "k1"))))
          .containsExactly(new PushResult.Confirmed(7));
    }

    @Test
    void retryableResultsAndRejectAnswerEveryItemAndApplyNothing() {
      shop.addListing("L1", "A", 4);
      shop.addListing("L2", "B", 4);
      List<PushItem> batch = List.of(set("L1", 1, null, "a"), set("L2", 2, null, "b"));

      shop.failNextPushes(1, Fault.RETRYABLE_RESULTS);
      assertThat(shop.push(batch))
          .containsExactly(
              new PushResult.Retryable("injected transient failure", Duration.ofSeconds(1)),
              new PushResult.Retryable("injected transient failure", Duration.ofSeconds(1)));
      shop.failNextPushes(1, Fault.REJECT);
      assertThat(shop.push(batch)).hasSize(2).allMatch(r -> r instanceof PushResult.Rejected);

      assertThat(shop.quantity("L1")).isEqualTo(4);
      assertThat(shop.quantity("L2")).isEqualTo(4);
      assertThat(shop.push(batch))
          .containsExactly(new PushResult.Confirmed(1), new PushResult.Confirmed(2));
    }

    @Test
    void staleSellsOneUnitJustBeforeThePush() {
      shop.addListing("L1", "A", 4);
      shop.addListing("L2", "B", 0);
      shop.failNextPushes(1, Fault.STALE);

      List<PushResult> results = shop.push(List.of(set("L1", 9, 4L, "a"), set("L2", 5, 0L, "b")));

      assertThat(results).containsExactly(new PushResult.Stale(3), new PushResult.Confirmed(5));
      assertThat(shop.quantity("L1")).isEqualTo(3);
      assertThat(shop.quantity("L2")).as("floor 0, so the expectation still holds").isEqualTo(5);
    }

    @Test
    void faultsLastForTheGivenNumberOfPushes() {
      shop.addListing("L1", "A", 4);
      shop.failNextPushes(2, Fault.REJECT);

      shop.push(List.of(set("L1", 1, null, "a")));
      shop.push(List.of(set("L1", 1, null, "a")));

      assertThat(shop.push(List.of(set("L1", 1, null, "a"))))
          .containsExactly(new PushResult.Confirmed(1));
    }

    @Test
    void pushFaultsWaitForAPushAndCallFaultsHitAnyCall() {
      shop.addListing("L1", "A", 4);
      shop.failNextPushes(1, Fault.CREDENTIALS);
      shop.readQuantities(List.of(ref("L1")));
      assertThatThrownBy(() -> shop.push(List.of(set("L1", 1, null, "a"))))
          .isInstanceOf(CredentialsException.class);

      shop.failNextCalls(4, Fault.RETRYABLE_RESULTS);
      assertThatThrownBy(shop::identity).isInstanceOf(RetryLaterException.class);
      assertThatThrownBy(shop::locations).isInstanceOf(RetryLaterException.class);
      assertThatThrownBy(() -> shop.orders(new OrderQuery(START, null)))
          .isInstanceOf(RetryLaterException.class);
      assertThat(shop.push(List.of(set("L1", 1, null, "a"))))
          .singleElement()
          .isInstanceOf(PushResult.Retryable.class);
      assertThat(shop.identity().id()).isEqualTo(STORE);

      shop.failNextCalls(1, Fault.REJECT);
      assertThatThrownBy(() -> shop.listings(new ListingQuery(null, false, null)))
          .isInstanceOf(ChannelException.class);
      shop.failNextCalls(1, Fault.STALE);
      assertThat(shop.readQuantities(List.of(ref("L1")))).isEqualTo(Map.of(ref("L1"), 4L));
    }

    @Test
    void revokedCredentialsFailEveryCallUntilRestored() {
      shop.addListing("L1", "A", 4);
      shop.revokeCredentials();

      assertThatThrownBy(shop::identity).isInstanceOf(CredentialsException.class);
      assertThatThrownBy(shop::locations).isInstanceOf(CredentialsException.class);
      assertThatThrownBy(() -> shop.listings(new ListingQuery(null, false, null)))
          .isInstanceOf(CredentialsException.class);
      assertThatThrownBy(() -> shop.orders(new OrderQuery(START, null)))
          .isInstanceOf(CredentialsException.class);
      assertThatThrownBy(() -> shop.readQuantities(List.of(ref("L1"))))
          .isInstanceOf(CredentialsException.class);
      assertThatThrownBy(() -> shop.push(List.of(set("L1", 1, null, "a"))))
          .isInstanceOf(CredentialsException.class);
      assertThat(shop.storeId()).isEqualTo(STORE);
      assertThat(shop.quantity("L1")).isEqualTo(4);

      shop.restoreCredentials();
      assertThat(shop.push(List.of(set("L1", 1, null, "a"))))
          .containsExactly(new PushResult.Confirmed(1));
    }

    @Test
    void latencyAdvancesAManualClockOnEveryCall() {
      shop.addListing("L1", "A", 4);
      shop.latency(Duration.ofMillis(250));

      shop.identity();
      shop.push(List.of(set("L1", 1, null, "a")));

      assertThat(clock.instant()).isEqualTo(START.plusMillis(500));
      assertThat(readAll(shop, new ListingQuery(null, false, null)).get(0).updatedAt())
          .as("the push landed after its latency")
          .isEqualTo(START.plusMillis(500));
      assertThatThrownBy(() -> shop.latency(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latencyLeavesOtherClocksAlone() {
      InMemoryChannel real = InMemoryChannel.builder(STORE).build();
      real.latency(Duration.ofDays(1));

      assertThat(real.identity().id()).isEqualTo(STORE);
    }
  }

  @Nested
  class Orders {
    @Test
    void aSaleTakesUnitsFromTheFirstListingWithTheSkuAtTheFirstLocation() {
      InMemoryChannel two =
          InMemoryChannel.builder(STORE).clock(clock).location("a", "A").location("b", "B").build();
      two.addListing("L2", "MUG", ListingStatus.ACTIVE, Map.of("a", 5L, "b", 5L));
      two.addListing("L1", "MUG", ListingStatus.ACTIVE, Map.of("a", 1L, "b", 5L));

      String orderId = two.placeOrder("MUG", 3);

      assertThat(two.quantity("L1", "a")).as("floor 0").isZero();
      assertThat(two.quantity("L2", "a")).isEqualTo(5);
      assertThat(two.quantity("L1", "b")).isEqualTo(5);
      ChannelOrder order = two.order(orderId);
      assertThat(order.locationId()).isEqualTo("a");
      assertThat(order.createdAt()).isEqualTo(START);
      assertThat(order.updatedAt()).isEqualTo(START);
      assertThat(order.cancelled()).isFalse();
      assertThat(order.lines())
          .containsExactly(new ChannelOrderLine(orderId + "-line-1", "MUG", 3, 0, 0, 0));
    }

    @Test
    void aMultiLineSaleTakesStockAtItsLocationAndIgnoresUnknownSkus() {
      InMemoryChannel two =
          InMemoryChannel.builder(STORE).clock(clock).location("a", "A").location("b", "B").build();
      two.addListing("L1", "MUG", ListingStatus.ACTIVE, Map.of("a", 5L, "b", 5L));

      String atB = two.placeOrder(List.of(new LineSpec("MUG", 2), new LineSpec("GHOST", 1)), "b");
      String nowhere = two.placeOrder(List.of(new LineSpec("MUG", 1)), null);

      assertThat(two.quantity("L1", "b")).isEqualTo(3);
      assertThat(two.quantity("L1", "a")).isEqualTo(4);
      assertThat(two.order(atB).lines())
          .extracting(ChannelOrderLine::sku)
          .containsExactly("MUG", "GHOST");
      assertThat(two.order(nowhere).locationId()).isNull();
      assertThatThrownBy(() -> two.placeOrder(List.of(new LineSpec("MUG", 1)), "c"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> two.placeOrder(List.of(), null))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOrderCanBeBackdated() {
      Instant before = START.minus(Duration.ofDays(3));

      String id = shop.placeOrder(List.of(new LineSpec("MUG", 1)), null, before);

      assertThat(shop.order(id).createdAt()).isEqualTo(before);
      assertThat(shop.order(id).updatedAt()).isEqualTo(START);
    }

    @Test
    void fulfilmentCancellationAndRefundsKeepCumulativeCounts() {
      String id = shop.placeOrder(List.of(new LineSpec("A", 10), new LineSpec("B", 4)), null);
      String a = id + "-line-1";
      String b = id + "-line-2";

      shop.fulfil(id, a, 6);
      shop.refund(id, a, 3, false); // 3 of the 4 unshipped: removed before shipping
      shop.refund(id, a, 3, true); // 1 unshipped, then 2 shipped units come back
      shop.refund(id, a, 2, false); // shipped units the customer keeps
      assertThatThrownBy(() -> shop.refund(id, a, 3, true))
          .isInstanceOf(IllegalArgumentException.class);
      shop.cancel(id);

      assertThat(shop.order(id).lines())
          .containsExactly(
              new ChannelOrderLine(a, "A", 10, 6, 4, 2), new ChannelOrderLine(b, "B", 4, 0, 4, 0));
      assertThat(shop.order(id).cancelled()).isTrue();
    }

    @Test
    void fulfillingAnOrderShipsEveryOpenUnit() {
      String id = shop.placeOrder(List.of(new LineSpec("A", 3), new LineSpec("B", 2)), null);
      shop.fulfil(id, id + "-line-1", 1);

      shop.fulfil(id);

      assertThat(shop.order(id).lines())
          .extracting(ChannelOrderLine::fulfilled)
          .containsExactly(3L, 2L);
      assertThatThrownBy(() -> shop.fulfil(id, id + "-line-1", 1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> shop.fulfil("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyChangeGetsANewVersionAndALaterUpdateTimeEvenWhenTheClockStands() {
      String id = shop.placeOrder("A", 5);
      String other = shop.placeOrder("A", 1);
      ChannelOrder placed = shop.order(id);

      shop.fulfil(id, id + "-line-1", 1);
      ChannelOrder fulfilled = shop.order(id);
      shop.refund(id, id + "-line-1", 1, true);
      ChannelOrder refunded = shop.order(id);
      shop.cancel(id);
      ChannelOrder cancelled = shop.order(id);
      shop.cancel(id); // already cancelled: no change

      assertThat(List.of(placed, fulfilled, refunded, cancelled))
          .extracting(ChannelOrder::version)
          .doesNotHaveDuplicates();
      assertThat(
              List.of(
                  placed.updatedAt(),
                  shop.order(other).updatedAt(),
                  fulfilled.updatedAt(),
                  refunded.updatedAt(),
                  cancelled.updatedAt()))
          .containsExactly(
              START,
              START.plusMillis(1),
              START.plusMillis(2),
              START.plusMillis(3),
              START.plusMillis(4));
      assertThat(shop.order(id)).isEqualTo(cancelled);
    }

    @Test
    void ordersAreReadSinceAnInclusiveBoundSortedByUpdateTimeThenIdAndPaged() {
      InMemoryChannel small = InMemoryChannel.builder(STORE).clock(clock).pageSize(2).build();
      String o1 = small.placeOrder("A", 1);
      clock.advance(Duration.ofMinutes(1));
      String o2 = small.placeOrder("A", 1);
      clock.advance(Duration.ofMinutes(1));
      String o3 = small.placeOrder("A", 1);
      String o4 = small.placeOrder("A", 1);
      small.fulfil(o1);

      List<ChannelOrder> all = readAll(small, START);
      List<ChannelOrder> recent = readAll(small, START.plus(Duration.ofMinutes(2)));

      assertThat(all).extracting(ChannelOrder::orderId).containsExactly(o2, o3, o4, o1);
      assertThat(recent).extracting(ChannelOrder::orderId).containsExactly(o3, o4, o1);
      assertThat(small.orders(new OrderQuery(START, null)).items()).hasSize(2);
    }

    @Test
    void equalUpdateTimesAreOrderedById() {
      Instant t = START.plusSeconds(60);
      InMemoryChannel small = InMemoryChannel.builder(STORE).pageSize(1).build();
      for (String id : List.of("b", "a", "c")) {
        small.importOrder(new ChannelOrder(id, "1", START, t, false, null, List.of()));
      }

      assertThat(readAll(small, START))
          .extracting(ChannelOrder::orderId)
          .containsExactly("a", "b", "c");
    }

    @Test
    void anOrderChangedDuringAnIterationIsServedAgainLater() {
      InMemoryChannel small = InMemoryChannel.builder(STORE).clock(clock).pageSize(1).build();
      String o1 = small.placeOrder("A", 1);
      String o2 = small.placeOrder("A", 1);

      Page<ChannelOrder> first = small.orders(new OrderQuery(START, null));
      small.fulfil(o1);
      List<ChannelOrder> rest = new ArrayList<>();
      OrderQuery query = new OrderQuery(START, first.nextPageToken());
      while (true) {
        Page<ChannelOrder> page = small.orders(query);
        rest.addAll(page.items());
        if (!page.hasNext()) {
          break;
        }
        query = query.next(page.nextPageToken());
      }

      assertThat(first.items()).extracting(ChannelOrder::orderId).containsExactly(o1);
      assertThat(rest).extracting(ChannelOrder::orderId).containsExactly(o2, o1);
      assertThat(rest.get(1).lines().get(0).fulfilled()).isEqualTo(1);
    }

    @Test
    void aTokenTheChannelDidNotIssueIsRefused() {
      assertThatThrownBy(() -> shop.orders(new OrderQuery(START, "garbage")))
          .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void importedOrdersAreReportedAsGivenAndChangeLikeOthers() {
      shop.addListing("L1", "A", 4);
      ChannelOrder given =
          new ChannelOrder(
              "ext-1",
              "rev-7",
              START.minusSeconds(60),
              START.minusSeconds(30),
              false,
              "default",
              List.of(new ChannelOrderLine("x", "A", 3, 1, 0, 0)));

      shop.importOrder(given);

      assertThat(shop.order("ext-1")).isEqualTo(given);
      assertThat(shop.quantity("L1")).as("import does not touch stock").isEqualTo(4);
      shop.fulfil("ext-1");
      assertThat(shop.order("ext-1").version()).isNotEqualTo("rev-7");
      assertThat(shop.order("ext-1").lines().get(0).fulfilled()).isEqualTo(3);
    }
  }

  @Nested
  class Factory {
    @AfterEach
    void forget() {
      InMemoryChannelFactory.clear();
    }

    @Test
    void isDiscoveredAndHandsOutRegisteredChannels() {
      InMemoryChannelFactory.register(shop);
      ChannelConnectorFactory factory =
          ServiceLoader.load(ChannelConnectorFactory.class).stream()
              .map(ServiceLoader.Provider::get)
              .filter(f -> f.channel().equals("memory"))
              .findFirst()
              .orElseThrow();

      ChannelConnector created =
          factory.create(ConnectorConfig.builder().set("storeId", "shop-1").build());

      assertThat(created).isSameAs(shop);
    }

    @Test
    void refusesUnknownOrMissingStores() {
      InMemoryChannelFactory factory = new InMemoryChannelFactory();
      InMemoryChannelFactory.register(shop);
      InMemoryChannelFactory.unregister(shop);

      assertThatThrownBy(
              () -> factory.create(ConnectorConfig.builder().set("storeId", "shop-1").build()))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> factory.create(ConnectorConfig.builder().build()))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void engineAndTestThreadsCanUseTheChannelAtOnce() throws Exception {
    shop.addListing("L1", "A", 1_000);
    int threads = 4;
    int perThread = 200;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Void> work =
            () -> {
              start.await();
              for (int i = 0; i < perThread; i++) {
                if (thread % 2 == 0) {
                  shop.placeOrder("A", 1);
                } else {
                  shop.readQuantities(List.of(ref("L1")));
                  shop.push(List.of(set("L1", 1_000, null, "k-" + thread + "-" + i)));
                }
              }
              return null;
            };
        done.add(pool.submit(work));
      }
      start.countDown();
      for (Future<Void> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(shop.callCount()).isEqualTo(4 * perThread);
    assertThat(shop.pushCount()).isEqualTo(2 * perThread);
    assertThat(readAll(shop, START)).hasSize(2 * perThread);
    assertThat(shop.quantity("L1")).isBetween(0L, 1_000L);
  }
}
