package io.stocksync.amazon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.amazon.Exchange;
import io.stocksync.testkit.amazon.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AmazonConnector} against the emulator, over real HTTP, at the models' rate limits. */
class AmazonConnectorTest {
  AmazonTestbed bed = new AmazonTestbed();

  @AfterEach
  void close() {
    bed.close();
  }

  static PushItem item(String sku, long quantity) {
    return new PushItem(new StockRef(sku, AmazonConnector.FBM_LOCATION), quantity, null,
        UUID.randomUUID().toString());
  }

  /** Reads every page as the engine would: waiting for the connector's pacing before each call. */
  List<ChannelListing> readAll(AmazonConnector c, ListingQuery first, int[] pages) {
    List<ChannelListing> all = new ArrayList<>();
    ListingQuery q = first;
    while (true) {
      bed.clock.advance(c.pacingDelay(ChannelCall.LISTINGS, 0));
      Page<ChannelListing> page = c.listings(q);
      pages[0]++;
      all.addAll(page.items());
      if (page.nextPageToken() == null) {
        return all;
      }
      q = q.next(page.nextPageToken());
    }
  }

  // ---- listings

  @Test
  void listings_ofA5000SkuSeller_areAllImportedThroughWindowsUnderTheThousandResultCap() {
    bed.clock.advance(Duration.ofDays(30));
    bed.amazon.addListings("BIG-", 5000, "LUGGAGE", 3, Duration.ofSeconds(7));
    AmazonConnector c = bed.connector(FulfilmentType.FBM);

    int[] pages = {0};
    List<ChannelListing> all = readAll(c, new ListingQuery(null, false, null), pages);

    Set<String> ids = new HashSet<>();
    all.forEach(l -> ids.add(l.listingId()));
    assertThat(all).hasSize(5000);
    assertThat(ids).hasSize(5000);
    assertThat(all).allSatisfy(l -> assertThat(l.quantities()).containsEntry("FBM", 3L));
    // 250 full pages plus the windows halved on the way; never a 429 at the models' 5/s.
    assertThat(pages[0]).isBetween(250, 300);
    assertThat(bed.amazon.exchanges()).noneMatch(e -> e.status() == 429);
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.operation().equals("searchListingsItems"))
        .allSatisfy(e -> assertThat(e.query().get("pageSize")).containsExactly("20"));
  }

  @Test
  void listings_incrementalRead_startsAtChangedSince() {
    bed.amazon.addListing("OLD", "LUGGAGE", 1L, null);
    bed.clock.advance(Duration.ofHours(1));
    Instant since = bed.clock.instant();
    bed.clock.advance(Duration.ofMinutes(1));
    bed.amazon.addListing("NEW", "LUGGAGE", 2L, null);
    bed.clock.advance(Duration.ofSeconds(1));
    AmazonConnector c = bed.connector(FulfilmentType.FBM);

    List<ChannelListing> changed = readAll(c, new ListingQuery(since, false, null), new int[1]);

    assertThat(changed).extracting(ChannelListing::listingId).containsExactly("NEW");
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.operation().equals("searchListingsItems"))
        .first().satisfies(e -> assertThat(e.query().get("lastUpdatedAfter"))
            .containsExactly(since.toString()));
  }

  @Test
  void listings_carryFbmQuantity_andFbaFulfillableFromInventorySummaries() {
    bed.amazon.addListing("BOTH-1", "LUGGAGE", 4L, 9L);
    bed.amazon.addListing("FBA-ONLY", "LUGGAGE", null, 6L);
    bed.amazon.addListing("ZERO", "LUGGAGE", 0L, null);
    bed.clock.advance(Duration.ofSeconds(1));
    AmazonConnector c = bed.connector(FulfilmentType.BOTH);

    List<ChannelListing> all = readAll(c, new ListingQuery(null, false, null), new int[1]);

    assertThat(all).filteredOn(l -> l.listingId().equals("BOTH-1")).singleElement()
        .satisfies(l -> assertThat(l.quantities()).isEqualTo(Map.of("FBM", 4L, "FBA", 9L)));
    assertThat(all).filteredOn(l -> l.listingId().equals("FBA-ONLY")).singleElement()
        .satisfies(l -> assertThat(l.quantities()).isEqualTo(Map.of("FBA", 6L)));
    assertThat(all).filteredOn(l -> l.listingId().equals("ZERO")).singleElement()
        .satisfies(l -> assertThat(l.status()).isEqualTo(ListingStatus.SOLD_OUT));
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.operation().equals("getInventorySummaries"))
        .allSatisfy(e -> assertThat(e.query().get("details")).containsExactly("true"));
  }

  @Test
  void locations_followTheChosenFulfilmentType_fbaIsReadOnly() {
    assertThat(bed.connector(FulfilmentType.FBM).locations()).extracting(l -> l.id())
        .containsExactly("FBM");
    assertThat(bed.connector(FulfilmentType.FBA).locations()).singleElement()
        .satisfies(l -> assertThat(l.readOnly()).isTrue());
    assertThat(bed.connector(FulfilmentType.BOTH).locations()).extracting(l -> l.readOnly())
        .containsExactly(false, true);
  }

  @Test
  void builder_withoutFulfilmentType_isRefusedNamingTheField() {
    assertThatThrownBy(() -> AmazonConnector.builder().sellerId("S").marketplaceId("ATVPDKIKX0DER")
        .accessToken("t").build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.getMessage()).contains("fulfilment"));
    assertThatThrownBy(() -> AmazonConnector.builder().sellerId("S").marketplaceId("XX")
        .fulfilment(FulfilmentType.FBM).accessToken("t").build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.getMessage()).contains("marketplaceId"));
  }

  // ---- pushes

  @Test
  void push_fewItems_patchesFulfillmentAvailabilityWithMerge_andAnswersAcceptedNotConfirmed() {
    bed.amazon.addListing("MUG", "DRINKING_CUP", 5L, null);
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    readAll(c, new ListingQuery(null, false, null), new int[1]);

    List<PushResult> results = c.push(List.of(item("MUG", 12)));

    assertThat(results).containsExactly(new PushResult.Accepted(12, Duration.ofMinutes(5)));
    assertThat(bed.amazon.fbmQuantity("MUG")).as("queued, not applied yet").isEqualTo(5);
    Exchange patch = bed.amazon.exchanges().stream()
        .filter(e -> e.operation().equals("patchListingsItem")).findFirst().orElseThrow();
    assertThat(patch.requestBody()).contains("\"productType\":\"DRINKING_CUP\"")
        .contains("\"op\":\"merge\"").contains("\"path\":\"/attributes/fulfillment_availability\"")
        .contains("\"fulfillment_channel_code\":\"DEFAULT\"").contains("\"quantity\":12");
    assertThat(patch.query().get("marketplaceIds")).containsExactly(bed.amazon.marketplaceId());

    bed.clock.advance(Duration.ofMinutes(5));
    StockRef ref = new StockRef("MUG", "FBM");
    assertThat(c.readQuantities(List.of(ref))).isEqualTo(Map.of(ref, 12L));
  }

  @Test
  void push_invalidAnswer_isARejectionWithAmazonsIssues() {
    bed.amazon.addListing("BAD", "LUGGAGE", 5L, null);
    bed.amazon.rejectNextPatch("BAD", "The listing is suppressed");
    AmazonConnector c = bed.connector(FulfilmentType.FBM);

    List<PushResult> results = c.push(List.of(item("BAD", 3)));

    assertThat(results).singleElement().isInstanceOfSatisfying(PushResult.Rejected.class,
        r -> assertThat(r.reason()).contains("INVALID").contains("The listing is suppressed"));
    assertThat(bed.amazon.fbmQuantity("BAD")).isEqualTo(5);
  }

  @Test
  void push_toTheFbaLocation_isRejectedWithoutACall() {
    bed.amazon.addListing("F", "LUGGAGE", null, 5L);
    AmazonConnector c = bed.connector(FulfilmentType.BOTH);

    List<PushResult> results = c.push(List.of(new PushItem(new StockRef("F", "FBA"), 1, null, "k")));

    assertThat(results).singleElement().isInstanceOf(PushResult.Rejected.class);
    assertThat(bed.amazon.calls()).doesNotContainKey("patchListingsItem");
  }

  @Test
  void push_moreItemsThanThePatchBudget_goesAsOneJsonListingsFeed_andLandsWhenProcessed() {
    bed.amazon.addListings("F-", 300, "LUGGAGE", 1, Duration.ofMillis(10));
    bed.amazon.rejectNextPatch("F-7", "Quantity locked by a promotion");
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    readAll(c, new ListingQuery(null, false, null), new int[1]);
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      items.add(item("F-" + i, 100 + i));
    }

    assertThat(c.pacingDelay(ChannelCall.PUSH, items.size())).isZero();
    List<PushResult> results = c.push(items);

    assertThat(results).hasSize(300).allSatisfy(r -> assertThat(r).isInstanceOf(PushResult.Accepted.class));
    assertThat(bed.amazon.feedIds()).hasSize(1);
    assertThat(bed.amazon.calls()).doesNotContainKey("patchListingsItem");
    String doc = bed.amazon.feedDocument(bed.amazon.feedIds().get(0));
    assertThat(doc).contains("\"version\":\"2.0\"").contains("\"sellerId\":\"" + bed.amazon.sellerId())
        .contains("\"operationType\":\"PATCH\"");
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.operation().equals("uploadFeedDocument"))
        .singleElement().satisfies(e -> assertThat(e.requestHeaders())
            .doesNotContainKey("x-amz-access-token"));

    bed.clock.advance(Duration.ofMinutes(15));
    StockRef ref = new StockRef("F-0", "FBM");
    assertThat(c.readQuantities(List.of(ref))).isEqualTo(Map.of(ref, 100L));
    assertThat(bed.amazon.fbmQuantity("F-299")).isEqualTo(399);
    // The report's issue for F-7 is mapped back to the SKU: its next push goes alone, by PATCH,
    // and the engine hears the rejection.
    assertThat(bed.amazon.fbmQuantity("F-7")).isEqualTo(1);
    assertThat(c.lastFeedIssue("F-7")).contains("Quantity locked by a promotion");
    bed.amazon.rejectNextPatch("F-7", "Quantity locked by a promotion");
    assertThat(c.push(List.of(item("F-7", 107)))).singleElement()
        .isInstanceOf(PushResult.Rejected.class);
  }

  @Test
  void push_patchBudgetSpentMidBatch_answersRetryableForTheRest() {
    for (int i = 0; i < 8; i++) {
      bed.amazon.addListing("P-" + i, "LUGGAGE", 0L, null);
    }
    AmazonConnector c = bed.connectorBuilder(FulfilmentType.FBM).feedThreshold(Integer.MAX_VALUE).build();
    readAll(c, new ListingQuery(null, false, null), new int[1]);
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      items.add(item("P-" + i, 1));
    }

    List<PushResult> results = c.push(items);

    assertThat(results.subList(0, 5)).allSatisfy(r -> assertThat(r).isInstanceOf(PushResult.Accepted.class));
    assertThat(results.subList(5, 8)).allSatisfy(r -> assertThat(r).isInstanceOf(PushResult.Retryable.class));
    assertThat(bed.amazon.exchanges()).noneMatch(e -> e.status() == 429);
    assertThat(c.pacingDelay(ChannelCall.PUSH, 3)).isPositive();
  }

  @Test
  void push_aFeedBatchWithASkuThatMustGoAlone_neverPatchesIntoAnEmptyBucket() {
    bed.amazon.addListings("F-", 300, "LUGGAGE", 1, Duration.ofMillis(10));
    bed.amazon.rejectNextPatch("F-7", "Quantity locked by a promotion");
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    readAll(c, new ListingQuery(null, false, null), new int[1]);
    List<PushItem> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      all.add(item("F-" + i, 100 + i));
    }
    c.push(all); // one feed; its report marks F-7, whose next push goes alone by PATCH
    bed.clock.advance(Duration.ofMinutes(15));
    c.readQuantities(List.of(new StockRef("F-0", "FBM")));
    assertThat(c.lastFeedIssue("F-7")).isNotNull();
    List<PushItem> five = new ArrayList<>();
    for (int i = 10; i < 15; i++) {
      five.add(item("F-" + i, 1));
    }
    c.push(five); // the PATCH bucket (burst 5) is empty now

    assertThat(c.pacingDelay(ChannelCall.PUSH, all.size())).as("a feed may go").isZero();
    List<PushResult> results = c.push(all);

    assertThat(results.get(7)).isInstanceOf(PushResult.Retryable.class);
    assertThat(results.get(8)).isInstanceOf(PushResult.Accepted.class);
    assertThat(bed.amazon.exchanges()).extracting(Exchange::status).doesNotContain(429);
  }

  @Test
  void push_whenTheBudgetLooksExactlySpentOut_isNotSentIntoA429() {
    bed.amazon.addListing("Q", "LUGGAGE", 0L, null);
    AmazonConnector c = bed.connectorBuilder(FulfilmentType.FBM).feedThreshold(Integer.MAX_VALUE).build();
    readAll(c, new ListingQuery(null, false, null), new int[1]);
    bed.clock.advance(Duration.ofSeconds(10)); // a full bucket of 5

    // The sales day's pattern at 5/s: refills worth exactly two tokens by the end, counted in
    // more steps by us (we also looked 1 ms after the third step) than by Amazon, whose floating-point sum comes
    // out a hair under two.
    int sent = 0;
    for (int[] step : new int[][] {{0, 5}, {795, 1}, {118, 3}, {1, 0}, {286, 2}}) {
      bed.clock.advance(Duration.ofMillis(step[0]));
      c.pacingDelay(ChannelCall.PUSH, 1); // the engine looks before it sends
      for (int k = 0; k < step[1]; k++) {
        if (c.pacingDelay(ChannelCall.PUSH, 1).isZero()) {
          c.push(List.of(item("Q", sent++)));
        }
      }
    }

    assertThat(sent).as("the budget was used, not idled").isGreaterThanOrEqualTo(10);
    assertThat(bed.amazon.exchanges()).extracting(Exchange::status).doesNotContain(429);
  }

  // ---- orders

  @Test
  void orders_mfnAreReportedWithStatusFromFulfillment_afnNever() {
    bed.amazon.addListing("TEE", "SHIRT", 10L, 10L);
    bed.clock.advance(Duration.ofSeconds(1));
    String mfn = bed.amazon.placeOrder("MERCHANT", Map.of("TEE", 3L));
    bed.clock.advance(Duration.ofSeconds(1));
    String afn = bed.amazon.placeOrder("AMAZON", Map.of("TEE", 2L));
    bed.clock.advance(Duration.ofSeconds(1));
    String cancelled = bed.amazon.placeOrder("MERCHANT", Map.of("TEE", 1L));
    bed.amazon.shipPartially(mfn, "TEE", 1);
    bed.amazon.cancel(cancelled);
    AmazonConnector c = bed.connector(FulfilmentType.BOTH);

    Page<ChannelOrder> page = c.orders(new OrderQuery(Instant.EPOCH, null));

    assertThat(page.items()).extracting(ChannelOrder::orderId).containsExactlyInAnyOrder(mfn, cancelled)
        .doesNotContain(afn);
    ChannelOrder shipped = page.items().stream().filter(o -> o.orderId().equals(mfn)).findFirst().orElseThrow();
    assertThat(shipped.locationId()).isEqualTo("FBM");
    assertThat(shipped.lines()).singleElement().satisfies(l -> {
      assertThat(l.sku()).isEqualTo("TEE");
      assertThat(l.quantity()).isEqualTo(3);
      assertThat(l.fulfilled()).isEqualTo(1);
      assertThat(l.cancelled()).isZero();
    });
    ChannelOrder gone = page.items().stream().filter(o -> o.orderId().equals(cancelled)).findFirst().orElseThrow();
    assertThat(gone.cancelled()).isTrue();
    assertThat(gone.lines().get(0).cancelled()).isEqualTo(1);
    Exchange search = bed.amazon.exchanges().stream()
        .filter(e -> e.operation().equals("searchOrders")).findFirst().orElseThrow();
    assertThat(search.query().get("includedData")).containsExactly("FULFILLMENT,CANCELLATION");
    assertThat(search.query().get("fulfilledBy")).containsExactly("MERCHANT");
  }

  @Test
  void orders_arePacedToSearchOrdersBudget_aboutOneCallEveryThreeMinutes() {
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    for (int i = 0; i < 20; i++) {
      assertThat(c.pacingDelay(ChannelCall.ORDERS, 0)).as("call %s within the burst", i).isZero();
      c.orders(new OrderQuery(Instant.EPOCH, null));
    }

    Duration wait = c.pacingDelay(ChannelCall.ORDERS, 0);

    // 1 / 0.0056 s, estimated 2% slow (RateLimits.REFILL_MARGIN)
    assertThat(wait).isBetween(Duration.ofSeconds(178), Duration.ofSeconds(183));
    assertThatThrownBy(() -> c.orders(new OrderQuery(Instant.EPOCH, null)))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("429");
  }

  // ---- quantities, rate limits, tokens

  @Test
  void readQuantities_fbaFiguresComeFromFulfillableQuantity_fiftyPerCall() {
    for (int i = 0; i < 120; i++) {
      bed.amazon.addListing("A-" + i, "LUGGAGE", null, (long) i);
    }
    AmazonConnector c = bed.connector(FulfilmentType.FBA);
    List<StockRef> refs = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      refs.add(new StockRef("A-" + i, "FBA"));
    }

    Map<StockRef, Long> figures = new java.util.HashMap<>();
    while (figures.size() < 120) {
      bed.clock.advance(c.pacingDelay(ChannelCall.QUANTITIES, refs.size()));
      try {
        figures.putAll(c.readQuantities(refs));
      } catch (RetryLaterException e) {
        bed.clock.advance(e.retryAfter().orElseThrow()); // budget of 2/s, burst 2: continues
      }
    }

    assertThat(figures).containsEntry(new StockRef("A-77", "FBA"), 77L);
    assertThat(bed.amazon.calls().get("getInventorySummaries")).isEqualTo(3);
    assertThat(bed.amazon.exchanges()).noneMatch(e -> e.status() == 429);
  }

  @Test
  void rateLimitHeader_replacesTheModelsDefaultRate() {
    bed.close();
    bed = new AmazonTestbed(b -> b.rate("searchListingsItems", 0.5, 5));
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    for (int i = 0; i < 5; i++) {
      c.listings(new ListingQuery(null, false, null));
    }

    assertThat(c.pacingDelay(ChannelCall.LISTINGS, 0)).as("one token at 0.5/s, not 5/s")
        .isBetween(Duration.ofMillis(2000), Duration.ofMillis(2050));
  }

  @Test
  void tooManyRequests_isRetryable() {
    bed.amazon.addListing("X", "LUGGAGE", 1L, null);
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    bed.amazon.failNext(1, Fault.TOO_MANY_REQUESTS);

    assertThatThrownBy(() -> c.listings(new ListingQuery(null, false, null)))
        .isInstanceOfSatisfying(RetryLaterException.class,
            e -> assertThat(e.retryAfter()).isPresent());
  }

  @Test
  void expiredAccessToken_isRefreshedOnce_andTheCallSucceeds() {
    bed.amazon.addListing("X", "LUGGAGE", 1L, null);
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    c.identity();
    int refreshes = bed.amazon.lwa().refreshesServed();

    bed.amazon.expireAccessTokens();
    Page<ChannelListing> page = c.listings(new ListingQuery(null, false, null));

    assertThat(page.items()).hasSize(1);
    assertThat(bed.amazon.lwa().refreshesServed()).isEqualTo(refreshes + 1);
    assertThat(bed.amazon.exchanges()).anyMatch(e -> e.status() == 403);
  }

  @Test
  void revokedRefreshToken_isACredentialsFailure_withoutSecretsInTheMessage() {
    AmazonConnector c = bed.connector(FulfilmentType.FBM);
    c.identity();
    bed.amazon.revokeRefreshToken();

    assertThatThrownBy(c::identity).isInstanceOfSatisfying(CredentialsException.class, e -> {
      assertThat(e.getMessage()).doesNotContain(bed.amazon.refreshToken())
          .doesNotContain(io.stocksync.testkit.amazon.AmazonEmulator.DEFAULT_CLIENT_SECRET);
    });
    assertThat(c.redact("x " + bed.amazon.refreshToken() + " y")).doesNotContain(bed.amazon.refreshToken());
    assertThat(c.toString()).doesNotContain(bed.amazon.refreshToken());
  }
}
