package io.stocksync.testkit.ebay;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator is as strict as eBay's specs and docs, whatever client talks to it. */
class EbayEmulatorTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final EbayEmulator ebay = EbayEmulator.builder().clock(clock).accessToken("t").build().start();
  final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void tearDown() {
    ebay.close();
  }

  record Answer(int status, String body) {}

  Answer get(String pathAndQuery) throws IOException {
    return send(new Request.Builder().url(ebay.url() + pathAndQuery).header("Authorization", "Bearer t"));
  }

  Answer post(String path, String json) throws IOException {
    return send(new Request.Builder().url(ebay.url() + path).header("Authorization", "Bearer t")
        .post(RequestBody.create(json, MediaType.get("application/json"))));
  }

  Answer trading(String call, String xml) throws IOException {
    return send(new Request.Builder().url(ebay.url() + "ws/api.dll")
        .header("X-EBAY-API-CALL-NAME", call).header("X-EBAY-API-SITEID", "0")
        .header("X-EBAY-API-COMPATIBILITY-LEVEL", "1451").header("X-EBAY-API-IAF-TOKEN", "t")
        .post(RequestBody.create(xml, MediaType.get("text/xml"))));
  }

  Answer send(Request.Builder request) throws IOException {
    try (Response r = http.newCall(request.build()).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }

  @Test
  void getOrders_refusesAFilterWhoseBracketsAreNotPercentEncoded_andReadsTheEncodedOne() throws IOException {
    ebay.addInventoryItem("MUG", "Mug", 3, true);
    ebay.sell("MUG", 1);

    Answer raw = send(new Request.Builder().header("Authorization", "Bearer t").url(okhttp3.HttpUrl.get(
        ebay.url() + "sell/fulfillment/v1/order").newBuilder()
        .addEncodedQueryParameter("filter", "lastmodifieddate:[2026-11-23T07:00:00.000Z..]").build()));
    Answer encoded = get("sell/fulfillment/v1/order?filter=lastmodifieddate:%5B2026-11-23T07:00:00.000Z..%5D");
    Answer noMillis = get("sell/fulfillment/v1/order?filter=lastmodifieddate:%5B2026-11-23T07:00:00Z..%5D");
    Answer tooMany = get("sell/fulfillment/v1/order?limit=201");
    Answer future = get("sell/fulfillment/v1/order?filter=lastmodifieddate:%5B2026-11-24T07:00:00.000Z..%5D");

    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.body()).contains("\"errorId\":30800");
    assertThat(encoded.status()).isEqualTo(200);
    assertThat(encoded.body()).contains("\"total\":1", "\"cancelState\":\"NONE_REQUESTED\"");
    assertThat(noMillis.body()).contains("\"errorId\":30810");
    assertThat(tooMany.body()).contains("\"errorId\":31100");
    assertThat(future.body()).contains("\"errorId\":30850");
  }

  @Test
  void inventoryItems_offsetIsAPageIndex_andOffersNeedASku() throws IOException {
    for (int i = 0; i < 5; i++) {
      ebay.addInventoryItem("S" + i, "Item", 1, true);
    }
    Answer second = get("sell/inventory/v1/inventory_item?limit=2&offset=1");
    Answer offers = get("sell/inventory/v1/offer");
    Answer badLimit = get("sell/inventory/v1/inventory_item?limit=201");

    assertThat(second.body()).contains("\"sku\":\"S2\"", "\"sku\":\"S3\"", "\"total\":5", "\"size\":3",
        "offset=2");
    assertThat(offers.status()).isEqualTo(400);
    assertThat(badLimit.body()).contains("\"errorId\":25706");
  }

  @Test
  void bulkUpdate_capsAt25_answers207ForMixedResults_andCountsRevisionsPerListing() throws IOException {
    String offer = ebay.addInventoryItem("A", "A", 1, true);
    StringBuilder many = new StringBuilder("{\"requests\":[");
    for (int i = 0; i < 26; i++) {
      many.append(i == 0 ? "" : ",").append("{\"sku\":\"A\",\"shipToLocationAvailability\":{\"quantity\":1}}");
    }
    Answer tooMany = post("sell/inventory/v1/bulk_update_price_quantity", many + "]}");
    Answer mixed = post("sell/inventory/v1/bulk_update_price_quantity", "{\"requests\":["
        + "{\"sku\":\"A\",\"shipToLocationAvailability\":{\"quantity\":4},\"offers\":[{\"offerId\":\""
        + offer + "\",\"availableQuantity\":4}]},{\"sku\":\"NOPE\",\"shipToLocationAvailability\":"
        + "{\"quantity\":4}}]}");

    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(mixed.status()).isEqualTo(207);
    assertThat(mixed.body()).contains("\"statusCode\":200", "\"errorId\":25702");
    assertThat(ebay.offerQuantity(offer)).isEqualTo(4);
    assertThat(ebay.revisionsToday(ebay.listingIdOf(offer))).isEqualTo(1);
  }

  @Test
  void tokens_expireOnTheClock_with401AndErrorId1001() throws IOException {
    assertThat(get("sell/inventory/v1/inventory_item").status()).isEqualTo(200);
    clock.advance(Duration.ofHours(2));
    Answer expired = get("sell/inventory/v1/inventory_item");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.body()).contains("\"errorId\":1001");
  }

  @Test
  void trading_revisesAtMostFourPerCall_andRefusesDoctypes() throws IOException {
    String item = ebay.addTradingItem("LAMP", "Lamp", 1);
    StringBuilder five = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      five.append("<InventoryStatus><ItemID>").append(item).append("</ItemID><Quantity>2</Quantity></InventoryStatus>");
    }
    Answer tooMany = trading("ReviseInventoryStatus", "<ReviseInventoryStatusRequest xmlns=\""
        + EbayEmulator.NS + "\">" + five + "</ReviseInventoryStatusRequest>");
    Answer ok = trading("ReviseInventoryStatus", "<ReviseInventoryStatusRequest xmlns=\""
        + EbayEmulator.NS + "\"><InventoryStatus><ItemID>" + item
        + "</ItemID><Quantity>6</Quantity></InventoryStatus></ReviseInventoryStatusRequest>");
    Answer xxe = trading("GetUser", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
        + "\"file:///etc/passwd\">]><GetUserRequest xmlns=\"" + EbayEmulator.NS + "\">&x;</GetUserRequest>");

    assertThat(tooMany.body()).contains("<Ack>Failure</Ack>", "21919171");
    assertThat(ok.body()).contains("<Ack>Success</Ack>", "<Quantity>6</Quantity>");
    assertThat(ebay.tradingQuantity(item, null)).isEqualTo(6);
    assertThat(xxe.body()).contains("<Ack>Failure</Ack>").doesNotContain("root:");
  }
}
