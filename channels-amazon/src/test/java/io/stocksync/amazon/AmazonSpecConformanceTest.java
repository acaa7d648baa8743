package io.stocksync.amazon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.SpecFiles;
import io.stocksync.testkit.amazon.Exchange;
import io.stocksync.testkit.amazon.Fault;
import io.stocksync.testkit.openapi.JsonSchemaCheck;
import io.stocksync.testkit.openapi.OpenApiExchangeValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every request the connector sends and every answer the emulator gives, checked against
 * Amazon's own models in {@code shared/specs/amazon/} (skipped with a message when the folder is
 * absent, failing under {@code CI=true}); every feed document against the listings-feed JSON
 * schemas, and the processing report against its schema.
 */
class AmazonSpecConformanceTest {
  final AmazonTestbed bed = new AmazonTestbed();

  @AfterEach
  void close() {
    bed.close();
  }

  @Test
  void everyExchange_matchesAmazonsModels_andEveryFeedItsJsonSchemas() {
    OpenApiExchangeValidator validator = OpenApiExchangeValidator.builder()
        .spec(SpecFiles.require("amazon/listingsItems_2021-08-01.json"))
        .spec(SpecFiles.require("amazon/feeds_2021-06-30.json"))
        .spec(SpecFiles.require("amazon/orders_2026-01-01.json"))
        .spec(SpecFiles.require("amazon/fbaInventory.json"))
        // Pre-signed document URLs (S3 in production) are outside every model.
        .excludePathPrefix("/s3/")
        .build();
    JsonSchemaCheck feedSchema =
        JsonSchemaCheck.forSchema(SpecFiles.require("amazon/listings-feed-schema-v2.json"));
    JsonSchemaCheck messageSchema =
        JsonSchemaCheck.forSchema(SpecFiles.require("amazon/listings-feed-message-schema-v2.json"));
    JsonSchemaCheck reportSchema = JsonSchemaCheck.forSchema(
        SpecFiles.require("amazon/listings-feed-processing-report-schema-v2.json"));

    bed.amazon.addListings("S-", 120, "LUGGAGE", 2, Duration.ofMillis(5));
    bed.amazon.addListing("BOTH", "SHIRT", 3L, 4L);
    bed.amazon.addListing("REJECT", "SHIRT", 3L, null);
    bed.clock.advance(Duration.ofSeconds(1));
    AmazonConnector c = bed.connectorBuilder(FulfilmentType.BOTH)
        .httpClient(new OkHttpClient.Builder().addInterceptor(validator.interceptor()).build())
        .build();

    // Listings (windows, FBA summaries), a product type looked up, PATCH accepted and invalid.
    List<ChannelListing> all = new ArrayList<>();
    ListingQuery q = new ListingQuery(null, false, null);
    while (true) {
      bed.clock.advance(c.pacingDelay(ChannelCall.LISTINGS, 0));
      Page<ChannelListing> page = c.listings(q);
      all.addAll(page.items());
      if (page.nextPageToken() == null) {
        break;
      }
      q = q.next(page.nextPageToken());
    }
    assertThat(all).hasSize(122);
    AmazonConnector fresh = bed.connectorBuilder(FulfilmentType.FBM)
        .httpClient(new OkHttpClient.Builder().addInterceptor(validator.interceptor()).build())
        .build();
    assertThat(fresh.push(List.of(item("BOTH", 5)))).singleElement()
        .isInstanceOf(PushResult.Accepted.class);
    bed.amazon.rejectNextPatch("REJECT", "suppressed");
    bed.clock.advance(Duration.ofSeconds(2));
    assertThat(c.push(List.of(item("REJECT", 1)))).singleElement()
        .isInstanceOf(PushResult.Rejected.class);
    bed.clock.advance(Duration.ofMinutes(2));
    assertThat(fresh.push(List.of(item("NO-SUCH-SKU", 1)))).singleElement()
        .isInstanceOf(PushResult.Rejected.class);

    // A feed: document, upload, feed, status, report; one message rejected.
    bed.amazon.rejectNextPatch("S-3", "Quantity locked");
    List<PushItem> many = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      many.add(item("S-" + i, 10 + i));
    }
    bed.clock.advance(Duration.ofSeconds(2));
    assertThat(c.push(many)).allSatisfy(r -> assertThat(r).isInstanceOf(PushResult.Accepted.class));
    bed.clock.advance(Duration.ofMinutes(16));
    StockRef ref = new StockRef("S-0", "FBM");
    assertThat(c.readQuantities(List.of(ref, new StockRef("BOTH", "FBA"))))
        .containsEntry(ref, 10L).containsEntry(new StockRef("BOTH", "FBA"), 4L);
    assertThat(c.lastFeedIssue("S-3")).contains("Quantity locked");

    // Orders, and the error answers: 429, 403 (refreshed once), 500.
    bed.amazon.addListing("TEE", "SHIRT", 5L, 5L);
    bed.amazon.placeOrder("MERCHANT", Map.of("TEE", 1L));
    assertThat(c.orders(new OrderQuery(Instant.EPOCH, null)).items()).hasSize(1);
    String orderId = c.orders(new OrderQuery(Instant.EPOCH, null)).items().get(0).orderId();
    assertThat(c.readOrder(orderId)).hasValueSatisfying(o -> assertThat(o.orderId()).isEqualTo(orderId));
    assertThat(c.readOrder("902-0000000-0000000")).isEmpty(); // 404
    bed.amazon.failNext(1, Fault.TOO_MANY_REQUESTS);
    assertThatThrownBy(() -> c.orders(new OrderQuery(Instant.EPOCH, null)))
        .isInstanceOf(RetryLaterException.class);
    bed.amazon.failNext(1, Fault.SERVER_ERROR);
    assertThatThrownBy(() -> c.readQuantities(List.of(ref))).isInstanceOf(RetryLaterException.class);
    bed.amazon.expireAccessTokens();
    bed.clock.advance(Duration.ofSeconds(5));
    assertThat(c.readQuantities(List.of(ref))).containsKey(ref);

    validator.assertNoViolations();
    Set<String> seen = validator.operationsSeen();
    assertThat(seen).contains("searchListingsItems", "getListingsItem", "patchListingsItem",
        "createFeedDocument", "createFeed", "getFeed", "getFeedDocument", "searchOrders",
        "getOrder", "getInventorySummaries");
    assertThat(validator.exchanges()).extracting(OpenApiExchangeValidator.Exchange::status)
        .contains(200, 201, 202, 404, 429, 500);
    // The token interceptor answers the 403 itself (refresh, retry once), so the validator on
    // the client never sees it; the emulator did, with the models' error shape.
    assertThat(bed.amazon.exchanges()).filteredOn(e -> e.status() == 403).isNotEmpty()
        .allSatisfy(e -> assertThat(e.responseBody()).contains("\"errors\":[{\"code\":\"Unauthorized\""));

    List<String> feeds = bed.amazon.feedIds();
    assertThat(feeds).isNotEmpty();
    for (String feedId : feeds) {
      String doc = bed.amazon.feedDocument(feedId);
      feedSchema.assertValid(doc);
    }
    // Each message on its own, as the message schema describes one.
    for (int i = 0; i < 3; i++) {
      messageSchema.assertValid(io.stocksync.amazon.Js.write(
          AmazonConnector.feedMessage(i + 1, "S-" + i, "LUGGAGE", i)));
    }
    List<Exchange> reports = bed.amazon.exchanges().stream()
        .filter(e -> e.operation().equals("downloadFeedDocument") && e.status() == 200)
        .collect(Collectors.toList());
    assertThat(reports).isNotEmpty();
    reports.forEach(e -> reportSchema.assertValid(e.responseBody()));
  }

  static PushItem item(String sku, long quantity) {
    return new PushItem(new StockRef(sku, "FBM"), quantity, null, UUID.randomUUID().toString());
  }
}
