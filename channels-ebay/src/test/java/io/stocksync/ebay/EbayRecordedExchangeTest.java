package io.stocksync.ebay;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.SpecFiles;
import io.stocksync.testkit.ebay.EbayEmulator;
import io.stocksync.testkit.ebay.Exchange;
import io.stocksync.testkit.openapi.OpenApiExchangeValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * Every REST request the connector sends and every answer the emulator gives, validated on the
 * wire against eBay's own OpenAPI documents (Sell Inventory 1.18.0, Sell Fulfillment 1.20.7) from
 * {@code ../shared/specs/ebay/}. The Trading API (XML, no spec file), the OAuth token endpoint and
 * the Notification API's public key (neither in these two documents) are excluded.
 */
class EbayRecordedExchangeTest {
  @Test
  void everyRestExchange_matchesEbaysSpecs() {
    OpenApiExchangeValidator validator = OpenApiExchangeValidator.builder()
        .spec(SpecFiles.require("ebay/sell_inventory_v1_oas3.json"))
        .spec(SpecFiles.require("ebay/sell_fulfillment_v1_oas3.json"))
        .excludePathPrefix("/ws/api.dll")
        .excludePathPrefix("/identity/")
        .excludePathPrefix("/commerce/notification/")
        .build();
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    List<Exchange> multiStatus = new ArrayList<>();
    try (EbayEmulator ebay = EbayEmulator.builder().clock(clock).sellerId("s").accessToken("t")
            .wrapDispatcher(validator::wrap).build().start();
        EbayConnector connector = EbayConnector.builder().sellerId("s").accessToken("t")
            .baseUrl(ebay.url()).clock(clock).pageSizes(2, 2, 2).build()) {
      for (int i = 0; i < 5; i++) {
        ebay.addInventoryItem("SKU-" + i, "Item " + i, i, i != 4);
      }
      ebay.addOffer("SKU-1", "AUCTION", true, 1);
      ebay.addTradingItem("LAMP", "Lamp", 2);
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofSeconds(1));
        ebay.sell("SKU-3", 1);
      }
      ebay.ship(ebay.sell("SKU-2", 1));

      // Listings: inventory pages, offers per SKU (one 404 for an item without offers is not
      // possible here: every seeded item has one), then Trading.
      ListingQuery q = new ListingQuery(null, true, null);
      while (true) {
        Page<?> page = connector.listings(q);
        if (!page.hasNext()) {
          break;
        }
        q = q.next(page.nextPageToken());
      }
      // Pushes: 200, then 207 with one unknown SKU; quantity reads.
      List<PushItem> items = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        items.add(new PushItem(new StockRef("inv:SKU-" + i, "EBAY_US"), 9, null, "k" + i));
      }
      connector.push(items);
      ebay.deleteInventoryItem("SKU-0");
      connector.push(items);
      connector.readQuantities(List.of(new StockRef("inv:SKU-1", "EBAY_US"),
          new StockRef("inv:SKU-0", "EBAY_US")));
      // Orders: a filtered, paged read.
      OrderQuery oq = new OrderQuery(Instant.parse("2026-11-23T07:00:00Z"), null);
      while (true) {
        Page<?> page = connector.orders(oq);
        if (!page.hasNext()) {
          break;
        }
        oq = oq.next(page.nextPageToken());
      }
      // One order by id, and a well-formed id eBay has no order for (404).
      String sold = ebay.sell("SKU-3", 1);
      assertThat(connector.readOrder(sold)).hasValueSatisfying(
          o -> assertThat(o.lines()).singleElement().satisfies(l -> assertThat(l.sku()).isEqualTo("SKU-3")));
      assertThat(connector.readOrder("99-99999-99999")).isEmpty();
      ebay.exchanges().stream().filter(e -> e.status() == 207).forEach(multiStatus::add);
    }

    assertThat(validator.operationsSeen()).contains("getInventoryItems", "getOffers",
        "bulkUpdatePriceQuantity", "bulkGetInventoryItem", "getOrders", "getOrder");
    // The spec lists 207 for bulkUpdatePriceQuantity without a body schema, yet the answer carries
    // the per-item statuses (FACTS.md section 1): that one finding is expected ...
    assertThat(validator.violations()).allSatisfy(v -> {
      assertThat(v.operation()).isEqualTo("bulkUpdatePriceQuantity");
      assertThat(v.status()).isEqualTo(207);
      assertThat(v.key()).isEqualTo("validation.response.body.unexpected");
    });
    assertThat(validator.violations()).hasSize(1);
    // ... and the 207 body is held to the 200 answer's schema (BulkPriceQuantityResponse) instead.
    OpenApiExchangeValidator as200 = OpenApiExchangeValidator.builder()
        .spec(SpecFiles.require("ebay/sell_inventory_v1_oas3.json")).build();
    for (Exchange e : multiStatus) {
      as200.record(e.method(), HttpUrl.get("https://api.ebay.com" + e.path()),
          Headers.of(e.requestHeaders()), e.requestHeaders().get("content-type"), e.requestBody(), 200,
          Headers.of("Content-Type", e.responseContentType()), e.responseBody());
    }
    assertThat(multiStatus).hasSize(1);
    as200.assertNoViolations();
  }
}
