package io.stocksync.etsy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.MalformedResponseException;
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
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.etsy.EtsyEmulator;
import io.stocksync.testkit.etsy.EtsyEmulator.Variation;
import io.stocksync.testkit.etsy.EtsyFault;
import io.stocksync.testkit.etsy.Exchange;
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

/** {@link EtsyConnector} against the Etsy emulator over real HTTP. */
class EtsyConnectorTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  EtsyTestShop shop = new EtsyTestShop(clock, b -> b.limits(100, 100_000));
  EtsyEmulator etsy = shop.etsy;
  EtsyConnector connector = shop.connector();

  @AfterEach
  void close() {
    shop.close();
  }

  static StockRef ref(long listingId, String sku) {
    return new StockRef(listingId + ":" + sku, EtsyConnector.LOCATION_ID);
  }

  static PushItem item(long listingId, String sku, long quantity, Long expected) {
    return new PushItem(ref(listingId, sku), quantity, expected, UUID.randomUUID().toString());
  }

  long tshirt() {
    return etsy.addListing("T-shirt", "Color", List.of(new Variation("Red", "TEE-R", 5, 1500),
        new Variation("Green", "TEE-G", 3, 1700), new Variation("Blue", "TEE-B", 2, 1900)));
  }

  List<ChannelListing> allListings(boolean drafts) {
    List<ChannelListing> out = new ArrayList<>();
    ListingQuery q = new ListingQuery(null, drafts, null);
    while (true) {
      Page<ChannelListing> page = connector.listings(q);
      out.addAll(page.items());
      if (!page.hasNext()) {
        return out;
      }
      q = q.next(page.nextPageToken());
    }
  }

  List<Exchange> puts() {
    return etsy.exchanges().stream().filter(e -> e.method().equals("PUT")).toList();
  }

  // ---- identity, listings

  @Test
  void identity_readsTheShop_andSendsKeystringColonSecretWithABearerToken() {
    assertThat(connector.identity().name()).isEqualTo("EmulatedShop");
    Exchange me = etsy.exchanges().get(0);
    assertThat(me.path()).isEqualTo("/v3/application/users/me");
    assertThat(me.requestHeaders().get("x-api-key")).containsExactly("emulatedkeystring:emulatedsharedsecret");
    assertThat(me.requestHeaders().get("authorization").get(0)).startsWith("Bearer " + etsy.userId() + ".");
  }

  @Test
  void identity_ofAnotherOwnersShop_isRefused() {
    EtsyConnector other = shop.connector(b -> b.shopId(99));
    assertThatThrownBy(other::identity).hasMessageContaining("not 99");
  }

  @Test
  void listingWithVariations_isOneListingPerSkuBearingProduct_andProductsWithoutSkuAreSkipped() {
    long tee = etsy.addListing("T-shirt", "Size", List.of(new Variation("S", "TEE-S", 4, 1500),
        new Variation("M", null, 6, 1500), new Variation("L", "TEE-L", 0, 1500)));

    List<ChannelListing> listings = allListings(false);

    assertThat(listings).extracting(ChannelListing::listingId)
        .containsExactlyInAnyOrder(tee + ":TEE-S", tee + ":TEE-L");
    ChannelListing small = listings.stream().filter(l -> l.sku().value().equals("TEE-S")).findFirst().orElseThrow();
    assertThat(small.quantities()).containsExactly(Map.entry(EtsyConnector.LOCATION_ID, 4L));
    assertThat(small.title()).isEqualTo("T-shirt / S");
    assertThat(small.status()).isEqualTo(ListingStatus.ACTIVE);
  }

  @Test
  void states_areMappedHonestly_andDraftsOnlyWhenAsked() {
    long active = etsy.addListing("a", "A", 1);
    long soldOut = etsy.addListing("b", "B", 0);
    long inactive = etsy.addListing("c", "C", 1);
    etsy.setState(inactive, "inactive");
    long expired = etsy.addListing("d", "D", 1);
    etsy.setState(expired, "expired");
    long draft = etsy.addListing("e", "E", 1);
    etsy.setState(draft, "draft");

    assertThat(allListings(false)).extracting(l -> l.sku().value() + "=" + l.status())
        .containsExactlyInAnyOrder("A=ACTIVE", "B=SOLD_OUT", "C=INACTIVE", "D=INACTIVE");
    assertThat(allListings(true)).extracting(l -> l.sku().value() + "=" + l.status())
        .contains("E=DRAFT");
    assertThat(List.of(active, soldOut)).isNotEmpty();
  }

  @Test
  void listingsPage_readsInventoriesInOneBatchRequestPerHundredListings() {
    etsy.seedCatalogue(250, 3, "SKU-");

    assertThat(allListings(false)).hasSize(250);

    Map<String, Integer> ops = etsy.requestsByOperation();
    assertThat(ops.get("GET /listings/batch/inventory")).isEqualTo(3);
    assertThat(ops.get("GET /listings/{id}/inventory")).isNull();
  }

  @Test
  void aStateWithMoreListingsThanTheOffsetCap_isScannedInTwoWindows_eachListingOnce() {
    etsy.limits(100_000, 10_000_000); // the clock stands still in this test
    etsy.recording(false);
    etsy.seedCatalogue(12_250, 1, "BIG-");

    List<ChannelListing> listings = allListings(false);

    Set<String> ids = new HashSet<>();
    listings.forEach(l -> assertThat(ids.add(l.listingId())).as(l.listingId()).isTrue());
    assertThat(ids).hasSize(12_250);
    assertThat(etsy.requestsByOperation().get("GET /shops/{id}/listings"))
        .as("pages: 120 oldest first, 3 newest first, one per other state")
        .isEqualTo(120 + 3 + 3);
  }

  @Test
  void incrementalListingRead_returnsOnlyListingsChangedSince() {
    etsy.addListing("old", "OLD", 1);
    clock.advance(Duration.ofMinutes(5));
    Instant since = clock.instant();
    long fresh = etsy.addListing("new", "NEW", 1);

    Page<ChannelListing> page;
    List<String> seen = new ArrayList<>();
    ListingQuery q = new ListingQuery(since, false, null);
    do {
      page = connector.listings(q);
      page.items().forEach(l -> seen.add(l.listingId()));
      q = page.hasNext() ? q.next(page.nextPageToken()) : q;
    } while (page.hasNext());

    assertThat(seen).containsExactly(fresh + ":NEW");
  }

  // ---- push

  @Test
  void push_threeSkusOfOneListing_isOneWriteOfTheWholeInventory_withPricesAndProfilesUntouched() {
    long tee = tshirt();

    List<PushResult> results = connector.push(List.of(item(tee, "TEE-R", 7, 5L),
        item(tee, "TEE-G", 1, 3L), item(tee, "TEE-B", 9, 2L)));

    assertThat(results).containsExactly(new PushResult.Confirmed(7), new PushResult.Confirmed(1),
        new PushResult.Confirmed(9));
    assertThat(puts()).hasSize(1);
    assertThat(puts().get(0).requestBody()).contains("\"price\":15.0", "\"price\":17.0",
        "\"price\":19.0", "\"price_on_property\":[200]", "\"readiness_state_id\":1001");
    assertThat(etsy.quantity(tee, "TEE-R")).isEqualTo(7);
    assertThat(etsy.quantity(tee, "TEE-G")).isEqualTo(1);
    assertThat(etsy.quantity(tee, "TEE-B")).isEqualTo(9);
    assertThat(etsy.priceCents(tee, "TEE-G")).isEqualTo(1700);
    assertThat(etsy.readinessStateId(tee, "TEE-B")).isEqualTo(EtsyEmulator.READINESS_STATE_ID);
  }

  @Test
  void push_ofOneSku_keepsEveryOtherProductAsItWas() {
    long tee = tshirt();

    assertThat(connector.push(List.of(item(tee, "TEE-G", 8, 3L))))
        .containsExactly(new PushResult.Confirmed(8));

    assertThat(etsy.quantity(tee, "TEE-R")).isEqualTo(5);
    assertThat(etsy.quantity(tee, "TEE-B")).isEqualTo(2);
  }

  @Test
  void push_whenASaleMovedTheFigure_answersStaleWithTheReReadQuantity_andWritesNothing() {
    long mug = etsy.addListing("Mug", "MUG", 5);
    etsy.sell(mug, "MUG", 2);

    assertThat(connector.push(List.of(item(mug, "MUG", 10, 5L))))
        .containsExactly(new PushResult.Stale(3));

    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(3);
    assertThat(puts()).isEmpty();
  }

  @Test
  void push_aboveEtsysLimit_isClampedTo999_andReported() {
    long mug = etsy.addListing("Mug", "MUG", 5);

    assertThat(connector.push(List.of(item(mug, "MUG", 1_500, 5L))))
        .containsExactly(new PushResult.Confirmed(999));

    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(999);
    assertThat(shop.notices).contains(new EtsyNotice.Clamped(connector.storeId(), ref(mug, "MUG"), 1_500, 999));
  }

  @Test
  void push_ofZeroToEverySku_deactivatesWithTheLastUnitLeft_thenStockReturningReactivates() {
    long tee = tshirt();

    List<PushResult> zero = connector.push(List.of(item(tee, "TEE-R", 0, 5L),
        item(tee, "TEE-G", 0, 3L), item(tee, "TEE-B", 0, 2L)));

    assertThat(zero).containsOnly(new PushResult.Confirmed(0));
    assertThat(etsy.state(tee)).isEqualTo("inactive");
    assertThat(etsy.quantity(tee, "TEE-R") + etsy.quantity(tee, "TEE-G") + etsy.quantity(tee, "TEE-B"))
        .isEqualTo(1);
    assertThat(connector.readQuantities(List.of(ref(tee, "TEE-R"))))
        .containsEntry(ref(tee, "TEE-R"), 0L);
    assertThat(allListings(false)).filteredOn(l -> l.listingId().startsWith(tee + ":"))
        .extracting(ChannelListing::status).containsOnly(ListingStatus.SOLD_OUT);
    assertThat(shop.notices).contains(new EtsyNotice.Deactivated(connector.storeId(), tee));

    assertThat(connector.push(List.of(item(tee, "TEE-G", 4, 0L))))
        .containsExactly(new PushResult.Confirmed(4));

    assertThat(etsy.state(tee)).isEqualTo("active");
    assertThat(etsy.quantity(tee, "TEE-R")).isZero();
    assertThat(etsy.quantity(tee, "TEE-G")).isEqualTo(4);
    assertThat(etsy.quantity(tee, "TEE-B")).isZero();
    assertThat(shop.notices).contains(new EtsyNotice.Reactivated(connector.storeId(), tee));
    assertThat(etsy.renewals()).isZero();
  }

  @Test
  void push_toAListingTheSellerDeactivated_isRejected_andNeverReactivates() {
    long mug = etsy.addListing("Mug", "MUG", 5);
    etsy.setState(mug, "inactive");

    PushResult result = connector.push(List.of(item(mug, "MUG", 9, 5L))).get(0);

    assertThat(result).isInstanceOf(PushResult.Rejected.class);
    assertThat(((PushResult.Rejected) result).reason()).contains("deactivated by the seller");
    assertThat(etsy.state(mug)).isEqualTo("inactive");
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(5);
  }

  @Test
  void push_toASoldOutListing_renewsIt_reportingTheFee() {
    long mug = etsy.addListing("Mug", "MUG", 1);
    etsy.sell(mug, "MUG", 1);

    assertThat(connector.push(List.of(item(mug, "MUG", 6, 0L))))
        .containsExactly(new PushResult.Confirmed(6));

    assertThat(etsy.state(mug)).isEqualTo("active");
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(6);
    assertThat(etsy.renewals()).isEqualTo(1);
    assertThat(etsy.renewalFeesCents()).isEqualTo(EtsyEmulator.RENEWAL_FEE_CENTS);
    assertThat(shop.notices).contains(
        new EtsyNotice.Renewed(connector.storeId(), mug, List.of("MUG"), EtsyConnector.RENEWAL_FEE));
  }

  @Test
  void push_toASoldOutListing_withAutoRenewOff_isReportedAndLeftAlone() {
    long mug = etsy.addListing("Mug", "MUG", 1);
    etsy.sell(mug, "MUG", 1);
    connector.storeOptions(StoreOptions.builder().autoRenewSoldOut(false).build());

    PushResult result = connector.push(List.of(item(mug, "MUG", 6, 0L))).get(0);

    assertThat(result).isInstanceOf(PushResult.Rejected.class);
    assertThat(etsy.state(mug)).isEqualTo("sold_out");
    assertThat(etsy.renewals()).isZero();
    assertThat(shop.notices).contains(new EtsyNotice.NotRenewed(connector.storeId(), mug, List.of("MUG")));
  }

  @Test
  void push_ofZeroToASoldOutListing_changesNothing() {
    long mug = etsy.addListing("Mug", "MUG", 1);
    etsy.sell(mug, "MUG", 1);
    long requests = etsy.requests();

    assertThat(connector.push(List.of(item(mug, "MUG", 0, 0L))))
        .containsExactly(new PushResult.Confirmed(0));

    assertThat(etsy.requests() - requests).isEqualTo(1); // the re-read only
    assertThat(etsy.renewals()).isZero();
  }

  @Test
  void push_ofAnUnknownSkuOrListing_isRejectedItemByItem() {
    long mug = etsy.addListing("Mug", "MUG", 5);

    List<PushResult> results = connector.push(List.of(item(mug, "NOPE", 1, null),
        item(mug + 999, "MUG", 1, null), item(mug, "MUG", 4, 5L)));

    assertThat(results.get(0)).isInstanceOf(PushResult.Rejected.class);
    assertThat(results.get(1)).isInstanceOf(PushResult.Rejected.class);
    assertThat(results.get(2)).isEqualTo(new PushResult.Confirmed(4));
  }

  @Test
  void push_ofMoreThanTheBatchSize_isRefusedAsInvalidInput() {
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i <= connector.capabilities().maxBatchSize(); i++) {
      items.add(item(1, "X" + i, 1, null));
    }
    assertThatThrownBy(() -> connector.push(items)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("items");
  }

  @Test
  void push_retriedAfterAServerErrorThatHadLanded_confirmsWithoutWritingAgain() {
    long mug = etsy.addListing("Mug", "MUG", 5);
    etsy.failNext(1, EtsyFault.SERVER_ERROR_AFTER_COMMIT); // the re-read "fails" after the fact
    PushItem push = item(mug, "MUG", 8, 5L);
    assertThatThrownBy(() -> connector.push(List.of(push))).isInstanceOf(RetryLaterException.class);

    assertThat(connector.push(List.of(push))).containsExactly(new PushResult.Confirmed(8));
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(8);
  }

  // ---- orders

  @Test
  void orders_mapTransactionsToLinesBySku_shippedFulfils_canceledReleases_refundsNeverRestock() {
    long tee = tshirt();
    long shipped = etsy.sell(tee, "TEE-R", 2);
    clock.advance(Duration.ofSeconds(1));
    long canceled = etsy.sell(tee, "TEE-G", 1);
    clock.advance(Duration.ofSeconds(1));
    long refunded = etsy.sell(tee, "TEE-B", 1);
    clock.advance(Duration.ofSeconds(1));
    etsy.ship(shipped);
    etsy.cancel(canceled);
    etsy.refund(refunded, true);

    List<ChannelOrder> orders = connector.orders(new OrderQuery(Instant.EPOCH, null)).items();

    ChannelOrder a = find(orders, shipped);
    assertThat(a.lines()).singleElement().satisfies(l -> {
      assertThat(l.sku()).isEqualTo("TEE-R");
      assertThat(l.quantity()).isEqualTo(2);
      assertThat(l.fulfilled()).isEqualTo(2);
    });
    assertThat(find(orders, canceled).cancelled()).isTrue();
    ChannelOrder c = find(orders, refunded);
    assertThat(c.cancelled()).isFalse();
    assertThat(c.lines().get(0).restocked()).isZero();
    assertThat(c.lines().get(0).fulfilled()).isZero();
  }

  @Test
  void orders_changedTwiceInOneSecond_getDistinctVersions() {
    long mug = etsy.addListing("Mug", "MUG", 5);
    long receipt = etsy.sell(mug, "MUG", 1);
    String before = find(connector.orders(new OrderQuery(Instant.EPOCH, null)).items(), receipt).version();

    etsy.ship(receipt);

    String after = find(connector.orders(new OrderQuery(Instant.EPOCH, null)).items(), receipt).version();
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void orders_arePagedOnTheUpdateTime_everyReceiptOnce() {
    long mug = etsy.addListing("Mug", "MUG", 999);
    Set<String> placed = new HashSet<>();
    for (int i = 0; i < 230; i++) {
      placed.add(String.valueOf(etsy.sell(mug, "MUG", 1)));
      if (i % 7 == 0) {
        clock.advance(Duration.ofSeconds(1));
      }
    }
    List<String> seen = new ArrayList<>();
    OrderQuery q = new OrderQuery(Instant.EPOCH, null);
    Page<ChannelOrder> page;
    int pages = 0;
    do {
      page = connector.orders(q);
      page.items().forEach(o -> seen.add(o.orderId()));
      q = page.hasNext() ? q.next(page.nextPageToken()) : q;
      pages++;
    } while (page.hasNext());

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(placed);
    assertThat(pages).isGreaterThanOrEqualTo(3);
    assertThat(etsy.exchanges()).filteredOn(e -> e.path().endsWith("/receipts"))
        .allSatisfy(e -> assertThat(e.query()).contains("min_last_modified=", "sort_on=updated"));
  }

  static ChannelOrder find(List<ChannelOrder> orders, long receiptId) {
    return orders.stream().filter(o -> o.orderId().equals(String.valueOf(receiptId))).findFirst()
        .orElseThrow();
  }

  // ---- rate limits and faults

  @Test
  void tooManyRequests_isRetryLaterWithEtsysRetryAfter_andPacingWaitsForIt() {
    etsy.failNext(1, EtsyFault.TOO_MANY_REQUESTS);

    assertThatThrownBy(connector::identity).isInstanceOfSatisfying(RetryLaterException.class,
        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
    assertThat(connector.pacingDelay(ChannelCall.ORDERS, 0)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void pacing_keepsRequestsWithinTheLimitFromEtsysHeaders() {
    etsy.limits(5, 100_000);
    etsy.seedCatalogue(3, 1, "P-");
    connector.identity(); // 2 requests; headers say 5 per second
    connector.readQuantities(List.of(ref(1, "X"))); // 3rd

    assertThat(connector.pacingDelay(ChannelCall.ORDERS, 0)).isZero();
    assertThat(connector.pacingDelay(ChannelCall.PUSH, 4)).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(connector.pacingDelay(ChannelCall.PUSH, 4)).isZero();
  }

  @Test
  void aBatchNeedingMoreWritesThanTheSecondAllows_answersRetryableForTheRest_withoutA429() {
    etsy.limits(3, 100_000);
    List<Long> ids = etsy.seedCatalogue(4, 5, "W-");
    List<PushItem> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batch.add(item(ids.get(i), String.format("W-%06d", i + 1), 6, 5L));
    }

    List<PushResult> results = connector.push(batch);

    assertThat(results.subList(0, 2)).containsOnly(new PushResult.Confirmed(6));
    assertThat(results.subList(2, 4)).allSatisfy(r -> assertThat(r)
        .isInstanceOfSatisfying(PushResult.Retryable.class, x -> assertThat(x.retryAfter()).isPositive()));
    assertThat(etsy.rateLimited()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(connector.push(batch.subList(2, 4))).containsOnly(new PushResult.Confirmed(6));
  }

  @Test
  void pacing_learnsThatUnchangedListingsNeedNoWrite() {
    List<Long> ids = etsy.seedCatalogue(8, 5, "U-");
    List<PushItem> same = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      same.add(item(ids.get(i), String.format("U-%06d", i + 1), 5, 5L));
    }
    etsy.limits(10, 100_000);
    connector.push(same); // 1 request: nothing to write
    connector.push(same);

    assertThat(connector.pacingDelay(ChannelCall.PUSH, 8)).isZero();
    assertThat(etsy.requests()).isEqualTo(2);
  }

  @Test
  void lowDailyBudget_defersIncreasesAndListingReads_butDecreasesGo_andIsReported() {
    etsy.limits(100, 20);
    long mug = etsy.addListing("Mug", "MUG", 5);
    long tea = etsy.addListing("Tea", "TEA", 5);
    for (int i = 0; i < 18; i++) {
      connector.readQuantities(List.of(ref(mug, "MUG")));
    }

    List<PushResult> results = connector.push(List.of(item(mug, "MUG", 9, 5L), item(tea, "TEA", 2, 5L)));

    assertThat(results.get(0)).isInstanceOf(PushResult.Retryable.class);
    assertThat(results.get(1)).isEqualTo(new PushResult.Confirmed(2));
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(5);
    assertThat(connector.pacingDelay(ChannelCall.LISTINGS, 0)).isGreaterThanOrEqualTo(Duration.ofMinutes(15));
    assertThat(connector.pacingDelay(ChannelCall.ORDERS, 0)).isZero();
    assertThat(shop.notices).hasAtLeastOneElementOfType(EtsyNotice.DailyBudgetLow.class);
  }

  @Test
  void serverErrorsAndMalformedAnswers_areRetryableOrMalformed() {
    etsy.failNext(1, EtsyFault.SERVICE_UNAVAILABLE);
    assertThatThrownBy(connector::identity).isInstanceOf(RetryLaterException.class);
    etsy.addListing("Mug", "MUG", 5);
    etsy.failNext(1, EtsyFault.MALFORMED_JSON);
    assertThatThrownBy(() -> allListings(false)).isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void aCallThatTimesOut_isRetryLater() {
    EtsyConnector impatient = shop.connector(b -> b.client(new okhttp3.OkHttpClient.Builder()
        .readTimeout(Duration.ofMillis(200)).build()));
    impatient.identity(); // tokens in place
    etsy.failNext(1, EtsyFault.TIMEOUT);

    assertThatThrownBy(impatient::identity).isInstanceOf(RetryLaterException.class)
        .hasMessageMatching("(?is).*time.*out.*"); // "timeout" or "Read timed out", by OkHttp path
  }

  @Test
  void expiredAccessToken_isRefreshedOnce_theCallRetried_andTheRotatedPairPersisted() {
    connector.identity();
    String firstRefresh = shop.credentials.load(shop.key()).orElseThrow().refreshToken();
    etsy.tokens().expireAccessTokens();

    connector.identity();

    String rotated = shop.credentials.load(shop.key()).orElseThrow().refreshToken();
    assertThat(rotated).isNotEqualTo(firstRefresh);
    assertThat(etsy.tokens().isLive(firstRefresh)).isFalse();
    assertThat(etsy.tokens().isLive(rotated)).isTrue();
  }

  @Test
  void revokedGrant_isACredentialsException() {
    connector.identity();
    etsy.tokens().revokeAll();
    etsy.tokens().expireAccessTokens();

    assertThatThrownBy(connector::identity).isInstanceOf(CredentialsException.class);
  }

  @Test
  void secrets_neverShowInToStringAndAreRedacted() {
    connector.identity();
    String token = shop.credentials.load(shop.key()).orElseThrow().accessToken().orElseThrow();
    String text = "x-api-key: emulatedkeystring:emulatedsharedsecret Bearer " + token;

    assertThat(connector.redact(text)).doesNotContain("emulatedsharedsecret", token);
    assertThat(connector.toString()).doesNotContain("emulatedsharedsecret", token);
  }

  @Test
  void builder_namesTheMissingSetting() {
    assertThatThrownBy(() -> EtsyConnector.builder().shopId(1).apiKey("k", "").accessToken("1.t").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("sharedSecret"));
    assertThatThrownBy(() -> EtsyConnector.builder().apiKey("k", "s").accessToken("1.t").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("shopId"));
  }
}
