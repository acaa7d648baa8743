package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.Fault;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.RecordedOperation;
import io.stocksync.testkit.shopify.RestockType;
import io.stocksync.testkit.shopify.CostModel;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShopifyConnectorTest {
  static final String TOKEN = "shpat_secret_token_123";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  ShopifyEmulator shop;
  ShopifyConnector connector;
  String location;

  @BeforeEach
  void setUp() {
    shop = ShopifyEmulator.builder().shopDomain("acme.myshopify.com").shopName("Acme")
        .accessToken(TOKEN).clock(clock).bucket(2000, 100).build().start();
    location = shop.addLocation("Main");
    connector = ShopifyConnector.builder().shopDomain("acme.myshopify.com").accessToken(TOKEN)
        .baseUrl(shop.url()).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    connector.close();
    shop.close();
  }

  VariantIds variant(String sku, ProductStatus status, int quantity) {
    VariantIds ids = shop.addVariant(shop.addProduct("P " + sku, status), sku, true);
    shop.stock(ids.inventoryItemId(), location, quantity);
    return ids;
  }

  List<ChannelListing> allListings(boolean drafts) {
    List<ChannelListing> out = new ArrayList<>();
    String token = null;
    do {
      clock.advance(connector.pacingDelay(ChannelCall.LISTINGS, 0)); // what the engine's scheduler does
      var page = connector.listings(new ListingQuery(null, drafts, token));
      out.addAll(page.items());
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  @Test
  void identity_readsTheShop() {
    assertThat(connector.identity().name()).isEqualTo("Acme");
    assertThat(connector.identity().id().toString()).isEqualTo("shopify:acme.myshopify.com");
  }

  @Test
  void listings_skipVariantsWithoutSku_andDraftsUnlessAsked() {
    variant("TEE", ProductStatus.ACTIVE, 5);
    variant("DRAFT-TEE", ProductStatus.DRAFT, 1);
    VariantIds blank = shop.addVariant(shop.addProduct("Blank", ProductStatus.ACTIVE), " ", true);
    shop.stock(blank.inventoryItemId(), location, 2);
    VariantIds untracked = shop.addVariant(shop.addProduct("Gift card", ProductStatus.ACTIVE), "GIFT", false);

    assertThat(allListings(false)).extracting(l -> l.sku().value()).containsExactlyInAnyOrder("TEE", "GIFT");
    assertThat(allListings(true)).extracting(l -> l.sku().value())
        .containsExactlyInAnyOrder("TEE", "DRAFT-TEE", "GIFT");
    ChannelListing tee = allListings(false).stream().filter(l -> l.sku().value().equals("TEE")).findFirst().orElseThrow();
    assertThat(tee.quantities()).containsEntry(location, 5L);
    assertThat(tee.status()).isEqualTo(ListingStatus.ACTIVE);
    assertThat(allListings(false)).filteredOn(l -> l.listingId().equals(untracked.variantId()))
        .singleElement().satisfies(l -> assertThat(l.tracked()).isFalse());
  }

  @Test
  void listings_pageAtTheLargestSizeTheCostAllows() {
    shop.seedCatalogue(600, List.of(location), 3, "SKU-");

    assertThat(allListings(false)).hasSize(600);
    List<Object> firsts = shop.recordedRequests().stream()
        .filter(r -> "ProductVariants".equals(r.operationName()))
        .map(r -> r.variables().get("first")).toList();
    assertThat(firsts).startsWith(50.0, 250.0, 250.0);
  }

  @Test
  void push_confirmsAndSetsTheQuantity() {
    VariantIds tee = variant("TEE", ProductStatus.ACTIVE, 5);
    StockRef ref = new StockRef(tee.inventoryItemId(), location);

    List<PushResult> results = connector.push(List.of(new PushItem(ref, 9, 5L, "k-1")));

    assertThat(results).containsExactly(new PushResult.Confirmed(9));
    assertThat(shop.available(tee.inventoryItemId(), location)).isEqualTo(9);
  }

  @Test
  void push_whenTheStoreSoldMeanwhile_reportsStaleWithTheActualFigure_andAppliesNothingBlindly() {
    VariantIds tee = variant("TEE", ProductStatus.ACTIVE, 5);
    VariantIds mug = variant("MUG", ProductStatus.ACTIVE, 7);
    shop.sell(tee.variantId(), 2, location); // the store now holds 3, we believe 5

    List<PushResult> results = connector.push(List.of(
        new PushItem(new StockRef(tee.inventoryItemId(), location), 9, 5L, "k-tee"),
        new PushItem(new StockRef(mug.inventoryItemId(), location), 4, 7L, "k-mug")));

    assertThat(results).containsExactly(new PushResult.Stale(3), new PushResult.Confirmed(4));
    assertThat(shop.available(tee.inventoryItemId(), location)).isEqualTo(3);
    assertThat(shop.available(mug.inventoryItemId(), location)).isEqualTo(4);
  }

  @Test
  void push_itemErrors_areRejectedPerItem() {
    VariantIds tee = variant("TEE", ProductStatus.ACTIVE, 5);
    String elsewhere = shop.addLocation("Elsewhere");

    List<PushResult> results = connector.push(List.of(
        new PushItem(new StockRef(tee.inventoryItemId(), elsewhere), 1, 0L, "k-1"),
        new PushItem(new StockRef(tee.inventoryItemId(), location), 6, 5L, "k-2")));

    assertThat(results.get(0)).isInstanceOf(PushResult.Rejected.class);
    assertThat(((PushResult.Rejected) results.get(0)).reason()).contains("ITEM_NOT_STOCKED_AT_LOCATION");
    assertThat(results.get(1)).isEqualTo(new PushResult.Confirmed(6));
  }

  @Test
  void retryAfterServerError_reusesTheSameIdempotencyKey_andAppliesOnce() {
    VariantIds tee = variant("TEE", ProductStatus.ACTIVE, 5);
    List<PushItem> batch = List.of(new PushItem(new StockRef(tee.inventoryItemId(), location), 8, 5L, "change-42"));
    shop.failNext(1, Fault.SERVER_ERROR_AFTER_COMMIT);

    assertThatThrownBy(() -> connector.push(batch)).isInstanceOf(RetryLaterException.class);
    List<PushResult> retry = connector.push(batch);

    assertThat(retry).containsExactly(new PushResult.Confirmed(8));
    List<String> keys = shop.recordedRequests().stream()
        .filter(r -> "InventorySet".equals(r.operationName()))
        .map(RecordedOperation::idempotencyKey).toList();
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0)).isNotNull().isEqualTo(keys.get(1));
    assertThat(shop.available(tee.inventoryItemId(), location)).isEqualTo(8);
  }

  @Test
  void revokedToken_isACredentialsError_withoutTheTokenInAnyMessage() {
    shop.revokeToken();

    assertThatThrownBy(() -> connector.identity())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("401")
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(TOKEN));
    assertThat(connector.toString()).doesNotContain(TOKEN);
  }

  @Test
  void rateLimitAndServerErrors_areRetryable_withTheWaitShopifyAskedFor() {
    shop.failNext(1, Fault.TOO_MANY_REQUESTS);
    assertThatThrownBy(() -> connector.identity())
        .isInstanceOfSatisfying(RetryLaterException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));

    shop.failNext(1, Fault.SERVER_ERROR);
    assertThatThrownBy(() -> connector.identity()).isInstanceOf(RetryLaterException.class);

    shop.failNext(1, Fault.MALFORMED_JSON);
    assertThatThrownBy(() -> connector.identity()).isInstanceOf(MalformedResponseException.class)
        .isInstanceOf(ChannelException.class);

    assertThat(connector.identity().name()).isEqualTo("Acme");
  }

  @Test
  void throttled_isRetryable_withTheWaitUntilTheBucketRefills() {
    shop.seedCatalogue(600, List.of(location), 3, "SKU-");
    ShopifyEmulator small = ShopifyEmulator.builder().shopDomain("small.myshopify.com")
        .accessToken(TOKEN).clock(clock).bucket(800, 50).costModel(CostModel.linear()).build()
        .start();
    String loc = small.addLocation("Main");
    small.seedCatalogue(600, List.of(loc), 3, "SKU-");
    ShopifyConnector c = ShopifyConnector.builder().shopDomain("small.myshopify.com")
        .accessToken(TOKEN).baseUrl(small.url()).clock(clock).build();
    try {
      // Sized from the costs Shopify reports: as large as the 800-point bucket allows, so the
      // next page does not fit in what is left.
      var first = c.listings(new ListingQuery(null, false, null));
      assertThat(first.items()).isNotEmpty();
      assertThat(c.pacingDelay(ChannelCall.LISTINGS, 0)).isPositive();
      assertThatThrownBy(() -> c.listings(new ListingQuery(null, false, first.nextPageToken())))
          .isInstanceOfSatisfying(RetryLaterException.class,
              e -> assertThat(e.retryAfter().orElseThrow()).isPositive());
      assertThat(small.throttledCount()).isEqualTo(1);

      clock.advance(c.pacingDelay(ChannelCall.LISTINGS, 0));
      assertThat(c.listings(new ListingQuery(null, false, first.nextPageToken())).items())
          .hasSameSizeAs(first.items());
      assertThat(small.throttledCount()).isEqualTo(1);
    } finally {
      c.close();
      small.close();
    }
  }

  @Test
  void orders_mapFulfilmentCancellationAndRefundsWithRestock() {
    VariantIds tee = variant("TEE", ProductStatus.ACTIVE, 20);
    Instant since = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    String shipped = shop.sell(tee.variantId(), 3, location);
    String cancelled = shop.sell(tee.variantId(), 2, location);
    shop.fulfil(shipped);
    String line = shop.order(shipped).lineItems().get(0).id();
    shop.refund(shipped, line, 1, RestockType.RETURN);
    shop.cancel(cancelled, true);

    List<ChannelOrder> orders = connector.orders(new OrderQuery(since, null)).items();

    ChannelOrder a = orders.stream().filter(o -> o.orderId().equals(shipped)).findFirst().orElseThrow();
    ChannelOrder b = orders.stream().filter(o -> o.orderId().equals(cancelled)).findFirst().orElseThrow();
    assertThat(a.cancelled()).isFalse();
    assertThat(a.lines()).singleElement().satisfies(l -> {
      assertThat(l.sku()).isEqualTo("TEE");
      assertThat(l).extracting(ChannelOrderLine::quantity, ChannelOrderLine::fulfilled,
          ChannelOrderLine::cancelled, ChannelOrderLine::restocked).containsExactly(3L, 3L, 0L, 1L);
    });
    assertThat(b.cancelled()).isTrue();
    assertThat(b.lines().get(0).fulfilled()).isZero();
    assertThat(orders).isSortedAccordingTo((x, y) -> x.updatedAt().compareTo(y.updatedAt()));
  }

  @Test
  void builder_requiresDomainAndToken_andFactoryMasksSecrets() {
    assertThatThrownBy(() -> ShopifyConnector.builder().accessToken("x").build())
        .hasMessageStartingWith("shopDomain");
    assertThatThrownBy(() -> ShopifyConnector.builder().shopDomain("a.myshopify.com").build())
        .hasMessageStartingWith("accessToken");
    var config = io.stocksync.core.channel.ConnectorConfig.builder()
        .set("shopDomain", "acme.myshopify.com").secret("accessToken", TOKEN)
        .set("baseUrl", shop.url().toString()).build();
    assertThat(config.toString()).doesNotContain(TOKEN);
    var viaFactory = new ShopifyConnectorFactory().create(config);
    assertThat(viaFactory.identity().name()).isEqualTo("Acme");
    viaFactory.close();
  }
}
