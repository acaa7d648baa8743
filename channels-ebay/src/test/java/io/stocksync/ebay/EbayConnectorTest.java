package io.stocksync.ebay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ConnectorConfig;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.ebay.EbayEmulator;
import io.stocksync.testkit.ebay.Exchange;
import io.stocksync.testkit.ebay.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link EbayConnector} against the emulator over real HTTP: both listing kinds, pushes, errors. */
class EbayConnectorTest {
  static final String SELLER = "test-seller";
  static final String TOKEN = "fixed-user-token";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  EbayEmulator ebay = EbayEmulator.builder().clock(clock).sellerId(SELLER).accessToken(TOKEN)
      .tokenLifetime(Duration.ofDays(3)).build().start();
  EbayConnector connector = connector(b -> {});

  interface Tweak {
    void apply(EbayConnector.Builder b);
  }

  EbayConnector connector(Tweak tweak) {
    EbayConnector.Builder b = EbayConnector.builder().sellerId(SELLER).accessToken(TOKEN)
        .baseUrl(ebay.url()).clock(clock);
    tweak.apply(b);
    return b.build();
  }

  @AfterEach
  void tearDown() {
    connector.close();
    ebay.close();
  }

  static StockRef ref(String inventoryRef) {
    return new StockRef(inventoryRef, "EBAY_US");
  }

  static PushItem item(String inventoryRef, long quantity) {
    return new PushItem(ref(inventoryRef), quantity, null, UUID.randomUUID().toString());
  }

  List<ChannelListing> all(EbayConnector c, boolean drafts) {
    List<ChannelListing> out = new ArrayList<>();
    ListingQuery q = new ListingQuery(null, drafts, null);
    while (true) {
      Page<ChannelListing> page = c.listings(q);
      out.addAll(page.items());
      if (!page.hasNext()) {
        return out;
      }
      q = q.next(page.nextPageToken());
    }
  }

  // ---------------------------------------------------------------- identity and listings

  @Test
  void identity_readsTheSellerWithGetUser_andTheOneLocationIsTheMarketplace() {
    assertThat(connector.identity().name()).isEqualTo("test-seller on EBAY_US");
    assertThat(connector.storeId().externalId()).isEqualTo("test-seller/EBAY_US");
    assertThat(connector.locations()).extracting(l -> l.id(), l -> l.readOnly())
        .containsExactly(tuple("EBAY_US", false));
  }

  @Test
  void readOrder_mapsLikeTheSearch_aMalformedIdIsRefusedWith32100_aBlankOneBeforeAnyCall() {
    ebay.addInventoryItem("MUG", "Mug", 5, true);
    String id = ebay.sell("MUG", 2);

    assertThat(connector.readOrder(id)).hasValueSatisfying(o -> {
      assertThat(o.orderId()).isEqualTo(id);
      assertThat(o.lines()).singleElement().satisfies(l -> assertThat(l.quantity()).isEqualTo(2));
    });
    assertThatThrownBy(() -> connector.readOrder("not-an-order"))
        .isInstanceOf(ChannelException.class).hasMessageContaining("32100");
    int calls = ebay.calls("getOrder");
    assertThatThrownBy(() -> connector.readOrder(" "))
        .isInstanceOf(io.stocksync.core.InvalidInputException.class);
    assertThat(ebay.calls("getOrder")).isEqualTo(calls);
  }

  @Test
  void identity_whenTheTokenBelongsToAnotherSeller_isRefused() {
    EbayConnector other = connector(b -> b.sellerId("someone-else"));
    assertThatThrownBy(other::identity).isInstanceOf(ChannelException.class)
        .hasMessageContaining("test-seller");
    other.close();
  }

  @Test
  void listings_readBothKinds_eachRefCarriesItsOrigin_andStatusesAreMapped() {
    ebay.addInventoryItem("INV-ACTIVE", "Active mug", 5, true);
    ebay.addInventoryItem("INV-OUT", "Sold-out mug", 0, true);
    ebay.addInventoryItem("INV-DRAFT", "Draft mug", 4, false);
    String ended = ebay.addInventoryItem("INV-ENDED", "Ended mug", 2, true);
    ebay.setListingStatus(ended, "ENDED");
    String single = ebay.addTradingItem("TRD-SINGLE", "Seller Hub lamp", 3);
    String multi = ebay.addTradingVariations("Tee", new LinkedHashMap<>(Map.of("TEE-S", 2)));
    ebay.addTradingItem(null, "No SKU", 9);

    List<ChannelListing> listings = all(connector, true);

    assertThat(listings).extracting(l -> l.inventoryRef(), l -> l.sku().value(), ChannelListing::status,
            l -> l.quantities().get("EBAY_US"))
        .containsExactlyInAnyOrder(
            tuple("inv:INV-ACTIVE", "INV-ACTIVE", ListingStatus.ACTIVE, 5L),
            tuple("inv:INV-OUT", "INV-OUT", ListingStatus.SOLD_OUT, 0L),
            tuple("inv:INV-DRAFT", "INV-DRAFT", ListingStatus.DRAFT, 4L),
            tuple("inv:INV-ENDED", "INV-ENDED", ListingStatus.INACTIVE, 2L),
            tuple("trd:" + single, "TRD-SINGLE", ListingStatus.ACTIVE, 3L),
            tuple("trd:" + multi + "/TEE-S", "TEE-S", ListingStatus.ACTIVE, 2L));
    assertThat(all(connector, false)).extracting(l -> l.sku().value()).doesNotContain("INV-DRAFT");
  }

  @Test
  void listings_followNextWithPageIndexOffsets_thenTradingPages() {
    for (int i = 0; i < 5; i++) {
      ebay.addInventoryItem("P-" + i, "Item " + i, 1, true);
      ebay.addTradingItem("T-" + i, "Listing " + i, 1);
    }
    EbayConnector small = connector(b -> b.pageSizes(2, 2, 200));

    List<ChannelListing> listings = all(small, false);

    assertThat(listings).hasSize(10).extracting(l -> l.listingId()).doesNotHaveDuplicates();
    List<String> pages = ebay.exchanges().stream().filter(e -> e.path().endsWith("/inventory_item"))
        .map(Exchange::query).toList();
    assertThat(pages).containsExactly("limit=2&offset=0", "limit=2&offset=1", "limit=2&offset=2");
    assertThat(ebay.calls("GetMyeBaySelling")).isEqualTo(3);
    small.close();
  }

  @Test
  void incrementalListingReads_reuseKnownOffers_andAskOnlyForNewSkus() {
    ebay.addInventoryItem("OLD-1", "Old", 1, true);
    ebay.addInventoryItem("OLD-2", "Old", 1, true);
    all(connector, false);
    assertThat(ebay.calls("getOffers")).isEqualTo(2);
    ebay.addInventoryItem("NEW", "New", 1, true);

    List<ChannelListing> changed = new ArrayList<>();
    ListingQuery q = new ListingQuery(clock.instant().minusSeconds(3600), false, null);
    while (true) {
      Page<ChannelListing> page = connector.listings(q);
      changed.addAll(page.items());
      if (!page.hasNext()) {
        break;
      }
      q = q.next(page.nextPageToken());
    }

    assertThat(changed).extracting(l -> l.sku().value()).containsExactlyInAnyOrder("OLD-1", "OLD-2", "NEW");
    assertThat(ebay.calls("getOffers")).as("only the new SKU's offers were read").isEqualTo(3);
    all(connector, false);
    assertThat(ebay.calls("getOffers")).as("a full read re-reads every SKU's offers").isEqualTo(6);
  }

  // ---------------------------------------------------------------- pushes

  @Test
  void push_setsShipToHomeAndEveryPublishedOfferToTheSameFigure_andNeverAPrice() {
    String fixed = ebay.addInventoryItem("MUG", "Mug", 5, true);
    String auction = ebay.addOffer("MUG", "AUCTION", true, 5);
    String draft = ebay.addOffer("MUG", "FIXED_PRICE", false, 5);

    List<PushResult> results = connector.push(List.of(item("inv:MUG", 12)));

    assertThat(results).containsExactly(new PushResult.Confirmed(12));
    assertThat(ebay.shipToHomeQuantity("MUG")).isEqualTo(12);
    assertThat(ebay.offerQuantity(fixed)).isEqualTo(12);
    assertThat(ebay.offerQuantity(auction)).isEqualTo(12);
    assertThat(ebay.offerQuantity(draft)).as("unpublished offers are not in bulk updates").isEqualTo(5);
    assertThat(ebay.priceUpdates()).isZero();
    assertThat(connector.readQuantities(List.of(ref("inv:MUG")))).containsEntry(ref("inv:MUG"), 12L);
  }

  @Test
  void push_aBatchWithOneBadSku_confirmsTheOthersAndRejectsIt() {
    ebay.addInventoryItem("A", "A", 1, true);
    ebay.addInventoryItem("GONE", "Gone", 1, true);
    ebay.addInventoryItem("C", "C", 1, true);
    all(connector, false); // learns the offers
    ebay.deleteInventoryItem("GONE");

    List<PushResult> results = connector.push(List.of(item("inv:A", 4), item("inv:GONE", 4),
        item("inv:C", 6)));

    assertThat(results.get(0)).isEqualTo(new PushResult.Confirmed(4));
    assertThat(results.get(1)).isInstanceOf(PushResult.Rejected.class);
    assertThat(((PushResult.Rejected) results.get(1)).reason()).contains("25702");
    assertThat(results.get(2)).isEqualTo(new PushResult.Confirmed(6));
    assertThat(ebay.exchanges()).filteredOn(e -> e.path().endsWith("bulk_update_price_quantity"))
        .extracting(Exchange::status).containsExactly(207);
  }

  @Test
  void push_tradingVariationsGoFourPerReviseCall_withPerItemResults() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (String s : List.of("XS", "S", "M", "L", "XL", "XXL")) {
      sizes.put("TEE-" + s, 1);
    }
    String tee = ebay.addTradingVariations("Tee", sizes);
    String lamp = ebay.addTradingItem("LAMP", "Lamp", 1);
    List<PushItem> items = new ArrayList<>();
    for (String sku : sizes.keySet()) {
      items.add(item("trd:" + tee + "/" + sku, 7));
    }
    items.add(item("trd:" + lamp, 3));
    items.add(item("trd:" + tee + "/TEE-NOPE", 3));

    List<PushResult> results = connector.push(items);

    assertThat(results.subList(0, 7)).allMatch(r -> r instanceof PushResult.Confirmed);
    assertThat(results.get(7)).isInstanceOf(PushResult.Rejected.class);
    assertThat(ebay.calls("ReviseInventoryStatus")).as("8 items, 4 per call").isEqualTo(2);
    assertThat(ebay.tradingQuantity(tee, "TEE-XXL")).isEqualTo(7);
    assertThat(ebay.tradingQuantity(lamp, null)).isEqualTo(3);
    assertThat(connector.readQuantities(List.of(ref("trd:" + tee + "/TEE-M"), ref("trd:" + lamp))))
        .containsExactly(Map.entry(ref("trd:" + tee + "/TEE-M"), 7L), Map.entry(ref("trd:" + lamp), 3L));
    assertThat(connector.revisionsToday("trd:" + tee)).as("one revision per listing per call").isEqualTo(2);
  }

  @Test
  void push_nearTheDailyRevisionCap_spacesIncreasesButLetsDecreasesThrough_andReportsTheCap() {
    ebay.addInventoryItem("HOT", "Hot item", 10, true);
    for (int i = 0; i < 200; i++) {
      assertThat(connector.push(List.of(item("inv:HOT", 100 + (i % 2))))).hasSize(1)
          .allMatch(r -> r instanceof PushResult.Confirmed);
    }
    // 200 of 250 used: an increase right away waits (coalesced by the engine meanwhile) ...
    PushResult increase = connector.push(List.of(item("inv:HOT", 130))).get(0);
    assertThat(increase).isInstanceOf(PushResult.Retryable.class);
    assertThat(((PushResult.Retryable) increase).reason()).contains("near eBay's daily revision cap");
    Duration spacing = ((PushResult.Retryable) increase).retryAfter();
    // ... a decrease goes at once ...
    assertThat(connector.push(List.of(item("inv:HOT", 90)))).containsExactly(new PushResult.Confirmed(90));
    // ... and the increase goes once its turn comes.
    clock.advance(spacing);
    assertThat(connector.push(List.of(item("inv:HOT", 130)))).containsExactly(new PushResult.Confirmed(130));

    // Spend the rest on decreases, which always go, until the cap.
    long quantity = 129;
    for (int i = connector.revisionsToday("inv:HOT"); i < 250; i++) {
      assertThat(connector.push(List.of(item("inv:HOT", quantity)))).containsExactly(new PushResult.Confirmed(quantity));
      quantity--;
    }
    PushResult capped = connector.push(List.of(item("inv:HOT", 0))).get(0);
    assertThat(capped).isInstanceOf(PushResult.Retryable.class);
    assertThat(((PushResult.Retryable) capped).reason()).contains("daily revision cap (250) is reached");
    assertThat(((PushResult.Retryable) capped).retryAfter())
        .isEqualTo(Duration.between(clock.instant(), Instant.parse("2026-11-24T00:00:00Z")));
    assertThat(connector.cappedListings()).containsExactly("inv:HOT");
    assertThat(ebay.revisionsToday(ebay.listingIdOf(firstOffer("HOT")))).isEqualTo(250);

    clock.advanceTo(Instant.parse("2026-11-24T00:00:01Z"));
    assertThat(connector.push(List.of(item("inv:HOT", 0)))).containsExactly(new PushResult.Confirmed(0));
  }

  private String firstOffer(String sku) {
    return ebay.exchanges().stream().filter(e -> e.path().endsWith("bulk_update_price_quantity"))
        .map(Exchange::requestBody).filter(b -> b.contains("\"" + sku + "\"")).findFirst()
        .map(b -> b.replaceAll(".*\"offerId\":\"(\\d+)\".*", "$1")).orElseThrow();
  }

  @Test
  void push_whenEbaySaysTheListingIsAtItsCap_itIsRetriedTomorrowNotRejected() {
    String offer = ebay.addInventoryItem("BUSY", "Busy", 3, true);
    ebay.setRevisionsToday(ebay.listingIdOf(offer), 250); // revised by another tool today

    PushResult result = connector.push(List.of(item("inv:BUSY", 1))).get(0);

    assertThat(result).isInstanceOf(PushResult.Retryable.class);
    assertThat(((PushResult.Retryable) result).retryAfter()).isPositive();
    assertThat(connector.cappedListings()).containsExactly("inv:BUSY");
    assertThat(ebay.shipToHomeQuantity("BUSY")).isEqualTo(3);
  }

  @Test
  void push_rejectsRefsOfOtherLocationsAndOrigins_withoutCallingEbay() {
    List<PushResult> results = connector.push(List.of(
        new PushItem(new StockRef("inv:X", "EBAY_GB"), 1, null, "k1"),
        new PushItem(ref("shopify:123"), 1, null, "k2")));

    assertThat(results).allMatch(r -> r instanceof PushResult.Rejected);
    assertThat(ebay.exchanges()).isEmpty();
    assertThatThrownBy(() -> connector.push(java.util.Collections.nCopies(26, item("inv:X", 1))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("items");
  }

  // ---------------------------------------------------------------- errors and limits

  @Test
  void rateLimitAndServerErrors_areRetryable_andUnknownTokensAreCredentialFailures() {
    ebay.addInventoryItem("Q", "Q", 1, true);
    ebay.failNext(1, Fault.TOO_MANY_REQUESTS);
    assertThatThrownBy(() -> connector.readQuantities(List.of(ref("inv:Q"))))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("2001");
    ebay.failNext(1, Fault.SERVER_ERROR);
    assertThatThrownBy(() -> connector.readQuantities(List.of(ref("inv:Q"))))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("25001");

    EbayConnector stranger = connector(b -> b.accessToken("not-a-token"));
    assertThatThrownBy(() -> stranger.readQuantities(List.of(ref("inv:Q"))))
        .isInstanceOf(CredentialsException.class).hasMessageContaining("1001")
        .hasMessageNotContaining("not-a-token");
    assertThatThrownBy(stranger::identity).isInstanceOf(CredentialsException.class);
    stranger.close();
  }

  @Test
  void tradingShortDurationCap_isRetryableAfterFifteenSeconds() {
    EbayEmulator strict = EbayEmulator.builder().clock(clock).sellerId(SELLER).accessToken(TOKEN)
        .reviseCallsPer15Seconds(2).build().start();
    EbayConnector c = EbayConnector.builder().sellerId(SELLER).accessToken(TOKEN)
        .baseUrl(strict.url()).clock(clock).build();
    String lamp = strict.addTradingItem("LAMP", "Lamp", 1);
    c.push(List.of(item("trd:" + lamp, 2)));
    c.push(List.of(item("trd:" + lamp, 3)));

    assertThatThrownBy(() -> c.push(List.of(item("trd:" + lamp, 4))))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("21919144")
        .satisfies(e -> assertThat(((RetryLaterException) e).retryAfter()).contains(Duration.ofSeconds(15)));
    clock.advance(Duration.ofSeconds(15));
    assertThat(c.push(List.of(item("trd:" + lamp, 4)))).containsExactly(new PushResult.Confirmed(4));
    c.close();
    strict.close();
  }

  @Test
  void dailyQuota_isSpentEvenly_andAfterTheLastCallTheWaitRunsToMidnight() {
    EbayConnector c = connector(b -> b.dailyLimit(EbayApi.FULFILLMENT, 100).maxRequestsPerSecond(1000));
    assertThat(c.pacingDelay(ChannelCall.ORDERS, 0)).isZero();
    // 08:00 is a third of the day: a third of the quota plus 10% may be spent by now.
    for (int i = 0; i < 43; i++) {
      c.orders(new OrderQuery(clock.instant().minusSeconds(60), null));
      clock.advance(Duration.ofMillis(5));
    }
    assertThat(c.callsToday(EbayApi.FULFILLMENT)).isEqualTo(43);
    assertThat(c.pacingDelay(ChannelCall.ORDERS, 0)).isPositive().isLessThan(Duration.ofHours(1));
    clock.advance(Duration.ofHours(12));
    for (int i = 0; i < 57; i++) {
      c.orders(new OrderQuery(clock.instant().minusSeconds(60), null));
    }
    assertThat(c.pacingDelay(ChannelCall.ORDERS, 0))
        .isEqualTo(Duration.between(clock.instant(), Instant.parse("2026-11-24T00:00:00Z")));
    c.close();
  }

  @Test
  void tokenSource_refreshesOnceOnExpiry_andInvalidGrantNeedsReauth() {
    String refresh = ebay.tokens().issueRefreshToken();
    OAuthTokenSource source = OAuthTokenSource.builder()
        .tokenUrl(ebay.url().resolve("identity/v1/oauth2/token"))
        .clientId("emulated-client-id").clientSecret("emulated-client-secret")
        .clientAuthentication(ClientAuthentication.BASIC).extraParam("scope", EbayConnector.SCOPES)
        .credentialsStore(new InMemoryCredentialsStore(), "ebay").initialRefreshToken(refresh)
        .clock(clock).build();
    EbayConnector c = EbayConnector.builder().sellerId(SELLER).tokenSource(source)
        .baseUrl(ebay.url()).clock(clock).build();
    ebay.addInventoryItem("T", "T", 1, true);
    String lamp = ebay.addTradingItem("LAMP", "Lamp", 1);

    assertThat(c.push(List.of(item("inv:T", 5)))).containsExactly(new PushResult.Confirmed(5));
    ebay.expireAccessTokens(); // as if 2 hours had passed unnoticed
    assertThat(c.push(List.of(item("inv:T", 6)))).containsExactly(new PushResult.Confirmed(6));
    ebay.expireAccessTokens();
    assertThat(c.push(List.of(item("trd:" + lamp, 2)))).containsExactly(new PushResult.Confirmed(2));
    assertThat(ebay.tokenGrants()).isEqualTo(3);

    ebay.revokeRefreshTokens();
    assertThatThrownBy(() -> c.push(List.of(item("inv:T", 7))))
        .isInstanceOf(CredentialsException.class).hasMessageNotContaining(refresh);
    assertThat(c.redact("x " + refresh + " y")).isEqualTo("x [redacted] y");
    assertThat(c.toString()).doesNotContain(refresh);
    c.close();
  }

  // ---------------------------------------------------------------- orders

  @Test
  void orders_filterIsPercentEncodedAsTheSpecRequires_andStatusesMapToLines() {
    ebay.addInventoryItem("MUG", "Mug", 10, true);
    String shipped = ebay.sell("MUG", 2);
    clock.advance(Duration.ofSeconds(1));
    String cancelled = ebay.sell("MUG", 3);
    clock.advance(Duration.ofSeconds(1));
    String refunded = ebay.sell("MUG", 1);
    ebay.ship(shipped);
    ebay.cancel(cancelled);
    ebay.ship(refunded);
    ebay.refund(refunded, "9.99");

    Page<ChannelOrder> page = connector.orders(new OrderQuery(Instant.parse("2026-11-23T07:00:00Z"), null));

    assertThat(ebay.exchanges()).filteredOn(e -> e.path().endsWith("/order")).extracting(Exchange::query)
        .containsExactly("filter=lastmodifieddate:%5B2026-11-23T07:00:00.000Z..%5D&limit=200&offset=0");
    Map<String, ChannelOrder> byId = new LinkedHashMap<>();
    page.items().forEach(o -> byId.put(o.orderId(), o));
    assertThat(byId.get(shipped).lines()).extracting(l -> l.quantity(), l -> l.fulfilled(), l -> l.cancelled())
        .containsExactly(tuple(2L, 2L, 0L));
    assertThat(byId.get(cancelled).cancelled()).isTrue();
    assertThat(byId.get(cancelled).lines()).extracting(l -> l.cancelled()).containsExactly(3L);
    assertThat(byId.get(refunded).lines()).extracting(l -> l.fulfilled(), l -> l.restocked())
        .as("a refund says nothing about a restock").containsExactly(tuple(1L, 0L));
    assertThat(page.items()).extracting(ChannelOrder::updatedAt).isSorted();
  }

  @Test
  void orders_pageByRecordOffset() {
    ebay.addInventoryItem("MUG", "Mug", 10, true);
    for (int i = 0; i < 5; i++) {
      ebay.sell("MUG", 1);
      clock.advance(Duration.ofSeconds(1));
    }
    EbayConnector small = connector(b -> b.pageSizes(200, 200, 2));
    List<String> ids = new ArrayList<>();
    OrderQuery q = new OrderQuery(Instant.parse("2026-11-23T07:00:00Z"), null);
    while (true) {
      Page<ChannelOrder> page = small.orders(q);
      page.items().forEach(o -> ids.add(o.orderId()));
      if (!page.hasNext()) {
        break;
      }
      q = q.next(page.nextPageToken());
    }
    assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    assertThat(ebay.exchanges()).filteredOn(e -> e.path().endsWith("/order"))
        .extracting(e -> e.query().replaceAll(".*offset=", "")).containsExactly("0", "2", "4");
    small.close();
  }

  // ---------------------------------------------------------------- registration

  @Test
  void factory_isFoundByServiceLoader_andBuildsFromConfiguration() {
    ChannelConnectorFactory factory = ServiceLoader.load(ChannelConnectorFactory.class).stream()
        .map(ServiceLoader.Provider::get).filter(f -> f.channel().equals("ebay")).findFirst()
        .orElseThrow();
    try (var c = factory.create(ConnectorConfig.builder().set("sellerId", SELLER)
        .secret("accessToken", TOKEN).set("baseUrl", ebay.url().toString()).build())) {
      assertThat(c.identity().id().externalId()).isEqualTo("test-seller/EBAY_US");
    }
    assertThatThrownBy(() -> factory.create(ConnectorConfig.builder().set("sellerId", SELLER).build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("accessToken");
    assertThatThrownBy(() -> EbayConnector.builder().sellerId(SELLER).accessToken("t")
        .marketplaceId("US").build()).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("marketplaceId");
  }
}
