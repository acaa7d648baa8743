package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.shopify.CostModel;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full listing imports above the bulk threshold go through one Shopify bulk query, against the
 * emulator over real HTTP; time is the emulator's clock, moved as the engine's scheduler would by
 * {@code pacingDelay(LISTINGS)}.
 */
class ShopifyBulkImportTest {
  static final String TOKEN = "shpat_bulk";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  ShopifyEmulator shop;
  String east;
  String west;
  final List<ShopifyConnector> connectors = new ArrayList<>();

  static List<CostModel> models() {
    return List.of(CostModel.documented(), CostModel.linear());
  }

  void start(CostModel model, int bulkLimit) {
    shop = ShopifyEmulator.builder().shopDomain("bulk.myshopify.com").accessToken(TOKEN)
        .clock(clock).bucket(2000, 100).costModel(model).bulkConcurrencyLimit(bulkLimit)
        .build().start();
    east = shop.addLocation("East");
    west = shop.addLocation("West");
  }

  @BeforeEach
  void setUp() {
    start(CostModel.documented(), 5);
  }

  @AfterEach
  void tearDown() {
    connectors.forEach(ShopifyConnector::close);
    shop.close();
  }

  ShopifyConnector connector(int threshold) {
    ShopifyConnector c = ShopifyConnector.builder().shopDomain("bulk.myshopify.com")
        .accessToken(TOKEN).baseUrl(shop.url()).clock(clock).bulkThreshold(threshold).build();
    c.locations(); // as the engine does at connect: the level page size follows the locations
    connectors.add(c);
    return c;
  }

  /** Reads every page as the engine does: waits what pacingDelay says before each call. */
  List<ChannelListing> importAll(ShopifyConnector c, boolean drafts) {
    List<ChannelListing> out = new ArrayList<>();
    String token = null;
    int calls = 0;
    do {
      clock.advance(c.pacingDelay(ChannelCall.LISTINGS, 0));
      Page<ChannelListing> page = c.listings(new ListingQuery(null, drafts, token));
      out.addAll(page.items());
      token = page.nextPageToken();
      assertThat(++calls).as("calls").isLessThan(10_000);
    } while (token != null);
    out.sort(Comparator.comparing(ChannelListing::listingId));
    return out;
  }

  @ParameterizedTest
  @MethodSource("models")
  void fullImport_of20000VariantsAtTwoLocations_goesBulk_returnsWhatPagingReturns_withoutThrottled(
      CostModel model) {
    shop.close();
    start(model, 5);
    shop.seedCatalogue(20_000, List.of(east, west), 5, "SKU-");
    shop.stock(shop.seedCatalogue(1, List.of(east), 9, "ODD-").get(0).inventoryItemId(), west, 3);

    Instant start = clock.instant();
    List<ChannelListing> bulk = importAll(connector(ShopifyConnector.DEFAULT_BULK_THRESHOLD), false);
    Duration bulkTime = Duration.between(start, clock.instant());
    int requests = shop.requestCount();
    long points = shop.pointsSpent();
    clock.advance(Duration.ofMinutes(1)); // a full bucket for the paged import too
    start = clock.instant();
    List<ChannelListing> paged = importAll(connector(Integer.MAX_VALUE), false);
    Duration pagedTime = Duration.between(start, clock.instant());
    System.out.printf("listing import of 20,001 variants x 2 locations (%s): bulk %d s, %d requests,"
        + " %d points; paged %d s, %d requests, %d points%n", model, bulkTime.toSeconds(), requests,
        points, pagedTime.toSeconds(), shop.requestCount() - requests, shop.pointsSpent() - points);

    assertThat(bulk).hasSize(20_001);
    assertThat(bulk).isEqualTo(paged);
    assertThat(bulk.get(0).quantities()).containsEntry(east, 5L).containsEntry(west, 5L);
    assertThat(bulk.get(20_000).quantities()).containsEntry(east, 9L).containsEntry(west, 3L);
    assertThat(shop.bulkOperationsStarted()).isEqualTo(1);
    assertThat(shop.bulkDownloads()).isEqualTo(1);
    assertThat(shop.bulkDownloadsWithAccessToken()).isZero();
    assertThat(shop.throttledCount()).isZero();
    // The bulk query's objects cost no points: the bucket stays free for pushes.
    assertThat(points).isLessThan(1000); // the first page, read while counting, and the polls
    assertThat(shop.pointsSpent() - points).isGreaterThan(10 * points);
  }

  @Test
  void fullImport_keepsDraftsOut_andSkuLessVariants_exactlyAsPaging() {
    shop.seedCatalogue(300, List.of(east), 1, "SKU-"); // more than the first page
    VariantIds draft = shop.addVariant(shop.addProduct("Draft", ProductStatus.DRAFT), "D-1", true);
    shop.stock(draft.inventoryItemId(), east, 4);
    shop.addVariant(shop.addProduct("No SKU", ProductStatus.ACTIVE), null, true);
    shop.addVariant(shop.addProduct("Untracked", ProductStatus.ACTIVE), "U-1", false);

    List<ChannelListing> bulkActive = importAll(connector(10), false);
    List<ChannelListing> bulkDrafts = importAll(connector(10), true);

    assertThat(bulkActive).isEqualTo(importAll(connector(Integer.MAX_VALUE), false)).hasSize(301);
    assertThat(bulkDrafts).isEqualTo(importAll(connector(Integer.MAX_VALUE), true)).hasSize(302);
    assertThat(bulkDrafts).anySatisfy(l -> assertThat(l.listingId()).isEqualTo(draft.variantId()));
    assertThat(shop.bulkOperationsStarted()).isEqualTo(2);
  }

  @Test
  void fullImport_atOrBelowTheThreshold_pages_andIncrementalReadsNeverGoBulk() {
    shop.seedCatalogue(40, List.of(east), 1, "SKU-");
    ShopifyConnector c = connector(40);

    assertThat(importAll(c, false)).hasSize(40);
    clock.advance(Duration.ofMinutes(1));
    assertThat(c.listings(new ListingQuery(clock.instant(), false, null)).items()).isEmpty();
    assertThat(shop.bulkOperationsStarted()).isZero();
    assertThat(shop.requestCount("BulkRun")).isZero();
  }

  @Test
  void whileTheOperationRuns_theConnectorAsksTheEngineToWait_andPollsWithBackoff() {
    shop.seedCatalogue(3000, List.of(east), 1, "SKU-"); // 6,000 objects: 1 s + 6 s of work
    ShopifyConnector c = connector(2000);

    Page<ChannelListing> first = c.listings(new ListingQuery(null, false, null));
    assertThat(first.items()).isNotEmpty(); // the page read while counting is not wasted
    assertThat(first.nextPageToken()).startsWith("bulk:");
    Duration wait = c.pacingDelay(ChannelCall.LISTINGS, 0);
    assertThat(wait).isEqualTo(Duration.ofSeconds(1));

    List<ChannelListing> all = importAll(c, false); // resumes the same operation
    assertThat(all).hasSize(3000);
    assertThat(shop.bulkOperationsStarted()).isEqualTo(1);
    // Polls at 1, 2, 4 and 8 s after the start, not a busy loop.
    assertThat(shop.requestCount("BulkPoll")).isBetween(3, 5);
  }

  @Test
  void failedOperation_withPartialData_isNeverTakenAsTheCatalogue_theImportPages() {
    shop.seedCatalogue(3000, List.of(east, west), 2, "SKU-");
    shop.failNextBulkOperation("TIMEOUT", 0.5);

    List<ChannelListing> all = importAll(connector(2000), false);

    assertThat(all).hasSize(3000).doesNotHaveDuplicates();
    assertThat(all).allSatisfy(l -> assertThat(l.quantities()).hasSize(2));
    assertThat(shop.bulkDownloads()).isZero();
    assertThat(shop.requestCount("ProductVariants")).isPositive();
  }

  @Test
  void operationCanceledBySomeoneElse_theImportPages() {
    shop.seedCatalogue(3000, List.of(east), 2, "SKU-");
    ShopifyConnector c = connector(2000);
    Page<ChannelListing> first = c.listings(new ListingQuery(null, false, null));
    String id = first.nextPageToken().substring("bulk:".length());

    shop.cancelBulkOperation(id);
    clock.advance(Duration.ofSeconds(2));
    List<ChannelListing> rest = new ArrayList<>(first.items());
    String token = first.nextPageToken();
    while (token != null) {
      clock.advance(c.pacingDelay(ChannelCall.LISTINGS, 0));
      Page<ChannelListing> page = c.listings(new ListingQuery(null, false, token));
      rest.addAll(page.items());
      token = page.nextPageToken();
    }

    assertThat(shop.bulkOperationStatus(id)).isEqualTo("CANCELED");
    assertThat(rest).hasSize(3000).doesNotHaveDuplicates();
    assertThat(shop.bulkDownloads()).isZero();
  }

  @Test
  void shopsBulkQueriesBusyWithOtherQueries_theImportPagesAtOnce() {
    shop.close();
    start(CostModel.documented(), 1);
    shop.seedCatalogue(2500, List.of(east), 1, "SKU-");
    String theirs = shop.startBulkQuery("{ productVariants { edges { node { id } } } }");

    List<ChannelListing> all = importAll(connector(2000), false);

    assertThat(all).hasSize(2500);
    assertThat(shop.bulkOperationsStarted()).isEqualTo(1); // theirs only
    assertThat(shop.requestCount("BulkRun")).isEqualTo(1);
    assertThat(shop.bulkOperationStatus(theirs)).isNotEqualTo("CANCELED");
  }

  @Test
  void resultExpiredBeforeItWasRead_theQueryRunsAgain() {
    shop.seedCatalogue(2500, List.of(east), 1, "SKU-");
    ShopifyConnector c = connector(2000);
    Page<ChannelListing> first = c.listings(new ListingQuery(null, false, null));

    clock.advance(Duration.ofDays(8)); // the engine was stopped for a week
    List<ChannelListing> all = new ArrayList<>(first.items());
    String token = first.nextPageToken();
    while (token != null) {
      clock.advance(c.pacingDelay(ChannelCall.LISTINGS, 0));
      Page<ChannelListing> page = c.listings(new ListingQuery(null, false, token));
      all.addAll(page.items());
      token = page.nextPageToken();
    }

    assertThat(all).hasSize(2500);
    assertThat(shop.bulkOperationsStarted()).isEqualTo(2);
    assertThat(shop.bulkOperationStatus(first.nextPageToken().substring("bulk:".length())))
        .isEqualTo("EXPIRED");
  }

  @Test
  void importRestartedByTheEngine_resumesItsOwnOperation_insteadOfStartingAnother() {
    shop.seedCatalogue(2500, List.of(east), 1, "SKU-");
    ShopifyConnector c = connector(2000);

    Page<ChannelListing> first = c.listings(new ListingQuery(null, false, null));
    Page<ChannelListing> again = c.listings(new ListingQuery(null, false, null));

    assertThat(again.nextPageToken()).isEqualTo(first.nextPageToken());
    assertThat(again.items()).isEqualTo(first.items());
    assertThat(importAll(c, false)).hasSize(2500);
    assertThat(shop.bulkOperationsStarted()).isEqualTo(1);
  }

  @Test
  void importStartedAgainMuchLater_doesNotResumeAnOldOperation_itReadsTheShopAfresh() {
    shop.seedCatalogue(2500, List.of(east), 1, "SKU-");
    ShopifyConnector c = connector(2000);
    Page<ChannelListing> abandoned = c.listings(new ListingQuery(null, false, null));

    clock.advance(Duration.ofHours(1));
    Page<ChannelListing> fresh = c.listings(new ListingQuery(null, false, null));

    assertThat(fresh.nextPageToken()).isNotEqualTo(abandoned.nextPageToken());
    assertThat(shop.bulkOperationsStarted()).isEqualTo(2);
  }

  @Test
  void engineConnect_importsABigShopThroughBulk_onVirtualTime() {
    shop.seedCatalogue(2500, List.of(east, west), 4, "SKU-");
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    try (StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build()) {
      StoreId id = hub.connect(ShopifyConnector.builder().shopDomain("bulk.myshopify.com")
          .accessToken(TOKEN).baseUrl(shop.url()).clock(clock).build(), StoreOptions.DEFAULT).store();
      for (int s = 0; s < 120 && hub.status(id).listings() < 2500; s++) {
        scheduler.advance(Duration.ofSeconds(1));
      }

      assertThat(hub.status(id).listings()).isEqualTo(2500);
      assertThat(shop.bulkOperationsStarted()).isEqualTo(1);
      assertThat(hub.status(id).lastError()).isNull();
    }
  }
}
