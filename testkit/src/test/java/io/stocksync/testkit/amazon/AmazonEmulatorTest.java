package io.stocksync.testkit.amazon;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Amazon emulator over raw HTTP: what a client meets, whatever client it is. */
class AmazonEmulatorTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T08:00:00Z"));
  final AmazonEmulator amazon = AmazonEmulator.builder().clock(clock).build().start();
  final OkHttpClient http = new OkHttpClient();
  final String token = amazon.issueAccessToken();

  @AfterEach
  void close() {
    amazon.close();
  }

  record Answer(int code, String body, Response response) {}

  Answer send(Request.Builder request) throws IOException {
    try (Response r = http.newCall(request.header("x-amz-access-token", token).build()).execute()) {
      return new Answer(r.code(), r.body().string(), r);
    }
  }

  HttpUrl.Builder search() {
    return amazon.url().newBuilder().addPathSegments("listings/2021-08-01/items")
        .addPathSegment(amazon.sellerId()).addQueryParameter("marketplaceIds", amazon.marketplaceId());
  }

  @Test
  void search_stopsPagingAtTheThousandthResult_butCountsThemAll() throws IOException {
    amazon.addListings("S-", 1500, "LUGGAGE", 1, Duration.ofSeconds(1));
    HttpUrl.Builder base = search().addQueryParameter("pageSize", "20");
    String next = null;
    int seen = 0;
    int pages = 0;
    do {
      HttpUrl.Builder url = base.build().newBuilder();
      if (next != null) {
        url.addQueryParameter("pageToken", next);
      }
      clock.advance(Duration.ofSeconds(1)); // 5 per second: stay inside the plan
      Answer a = send(new Request.Builder().url(url.build()));
      assertThat(a.code()).isEqualTo(200);
      assertThat(a.body()).contains("\"numberOfResults\":1500");
      seen += a.body().split("\"sku\":", -1).length - 1;
      next = a.body().contains("nextToken") ? a.body().replaceAll(".*\"nextToken\":\"([^\"]+)\".*", "$1") : null;
      pages++;
    } while (next != null);

    assertThat(seen).isEqualTo(1000);
    assertThat(pages).isEqualTo(50);
  }

  @Test
  void search_refusesPagesLargerThanTwenty_andAnswersWithoutQuantitiesByDefault() throws IOException {
    amazon.addListing("A", "LUGGAGE", 3L, null);

    Answer big = send(new Request.Builder().url(search().addQueryParameter("pageSize", "21").build()));
    Answer plain = send(new Request.Builder().url(search().build()));

    assertThat(big.code()).isEqualTo(400);
    assertThat(big.body()).contains("\"errors\":[{\"code\":\"InvalidInput\"");
    assertThat(plain.body()).contains("\"summaries\"").doesNotContain("fulfillmentAvailability");
  }

  @Test
  void emptyBucket_answers429QuotaExceeded_andRefillsOnTheClock() throws IOException {
    for (int i = 0; i < 5; i++) {
      assertThat(send(new Request.Builder().url(search().build())).code()).isEqualTo(200);
    }

    Answer sixth = send(new Request.Builder().url(search().build()));
    clock.advance(Duration.ofMillis(200));
    Answer later = send(new Request.Builder().url(search().build()));

    assertThat(sixth.code()).isEqualTo(429);
    assertThat(sixth.body()).contains("QuotaExceeded");
    assertThat(later.code()).isEqualTo(200);
    assertThat(later.response().header("x-amzn-RateLimit-Limit")).isEqualTo("5");
  }

  @Test
  void patch_answersAcceptedAndAppliesLater_invalidWhenTheProductTypeIsWrong() throws IOException {
    amazon.addListing("MUG", "DRINKING_CUP", 5L, null);
    HttpUrl url = amazon.url().newBuilder().addPathSegments("listings/2021-08-01/items")
        .addPathSegment(amazon.sellerId()).addPathSegment("MUG")
        .addQueryParameter("marketplaceIds", amazon.marketplaceId()).build();
    String body = "{\"productType\":\"%s\",\"patches\":[{\"op\":\"merge\",\"path\":"
        + "\"/attributes/fulfillment_availability\",\"value\":[{\"fulfillment_channel_code\":"
        + "\"DEFAULT\",\"quantity\":9}]}]}";
    MediaType json = MediaType.get("application/json");

    Answer ok = send(new Request.Builder().url(url)
        .patch(RequestBody.create(body.formatted("DRINKING_CUP"), json)));
    Answer wrong = send(new Request.Builder().url(url)
        .patch(RequestBody.create(body.formatted("LUGGAGE"), json)));

    assertThat(ok.code()).isEqualTo(200);
    assertThat(ok.body()).contains("\"status\":\"ACCEPTED\"");
    assertThat(wrong.code()).isEqualTo(200);
    assertThat(wrong.body()).contains("\"status\":\"INVALID\"").contains("product type");
    assertThat(amazon.fbmQuantity("MUG")).isEqualTo(5);
    clock.advance(Duration.ofMinutes(2));
    assertThat(amazon.fbmQuantity("MUG")).isEqualTo(9);
  }

  @Test
  void lwa_acceptsFormAndJson_andSpApiRefusesAnExpiredToken() throws IOException {
    HttpUrl tokenUrl = amazon.tokenUrl();
    try (Response form = http.newCall(new Request.Builder().url(tokenUrl).post(new FormBody.Builder()
        .add("grant_type", "refresh_token").add("refresh_token", amazon.refreshToken())
        .add("client_id", AmazonEmulator.DEFAULT_CLIENT_ID)
        .add("client_secret", AmazonEmulator.DEFAULT_CLIENT_SECRET).build()).build()).execute();
        Response json = http.newCall(new Request.Builder().url(tokenUrl).post(RequestBody.create(
            "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + amazon.refreshToken()
                + "\",\"client_id\":\"" + AmazonEmulator.DEFAULT_CLIENT_ID + "\",\"client_secret\":\""
                + AmazonEmulator.DEFAULT_CLIENT_SECRET + "\"}",
            MediaType.get("application/json; charset=utf-8"))).build()).execute()) {
      assertThat(form.code()).isEqualTo(200);
      assertThat(json.code()).isEqualTo(200);
      assertThat(json.body().string()).contains("\"access_token\":\"Atza|").contains("3600");
    }

    clock.advance(Duration.ofHours(1));
    Answer expired = send(new Request.Builder().url(search().build()));

    assertThat(expired.code()).isEqualTo(403);
    assertThat(expired.body()).contains("\"code\":\"Unauthorized\"").contains("expired");
  }

  @Test
  void jsonListingsFeeds_areCappedAtFivePerFiveMinutes() throws IOException {
    amazon.addListing("A", "LUGGAGE", 1L, null);
    MediaType json = MediaType.get("application/json");
    int accepted = 0;
    int throttled = 0;
    for (int i = 0; i < 6; i++) {
      Answer doc = send(new Request.Builder().url(amazon.url().resolve("feeds/2021-06-30/documents"))
          .post(RequestBody.create("{\"contentType\":\"application/json; charset=UTF-8\"}", json)));
      String id = doc.body().replaceAll(".*\"feedDocumentId\":\"([^\"]+)\".*", "$1");
      String upload = doc.body().replaceAll(".*\"url\":\"([^\"]+)\".*", "$1");
      try (Response r = http.newCall(new Request.Builder().url(upload).put(RequestBody.create(
          "{\"header\":{\"sellerId\":\"" + amazon.sellerId() + "\",\"version\":\"2.0\"},\"messages\":[]}",
          MediaType.get("application/json; charset=UTF-8"))).build()).execute()) {
        assertThat(r.code()).isEqualTo(200);
      }
      Answer feed = send(new Request.Builder().url(amazon.url().resolve("feeds/2021-06-30/feeds"))
          .post(RequestBody.create("{\"feedType\":\"JSON_LISTINGS_FEED\",\"marketplaceIds\":[\""
              + amazon.marketplaceId() + "\"],\"inputFeedDocumentId\":\"" + id + "\"}", json)));
      if (feed.code() == 202) {
        accepted++;
      } else if (feed.code() == 429) {
        throttled++;
      }
    }

    assertThat(accepted).isEqualTo(5);
    assertThat(throttled).isEqualTo(1);
    clock.advance(Duration.ofMinutes(6));
    assertThat(amazon.calls()).containsEntry("createFeed", 6);
    Map<String, Integer> calls = amazon.calls();
    assertThat(calls.get("uploadFeedDocument")).isEqualTo(6);
  }

  @Test
  @SuppressWarnings("unchecked")
  void orderEvents_publishOrderChangeMessages_asAmazonPutsThemOnTheSqsQueue() {
    amazon.addListing("MUG", "LUGGAGE", 3L, null);
    String order = amazon.placeOrder("MERCHANT", java.util.Map.of("MUG", 2L));
    amazon.cancel(order);

    java.util.List<String> messages = amazon.takeOrderChanges();

    assertThat(messages).hasSize(2);
    assertThat(amazon.takeOrderChanges()).as("taken once").isEmpty();
    java.util.List<String> statuses = new java.util.ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (String m : messages) {
      java.util.Map<String, Object> root = (java.util.Map<String, Object>) Json.parse(m);
      assertThat(root).containsEntry("NotificationType", "ORDER_CHANGE");
      ids.add(Json.str(Json.asObject(root.get("NotificationMetadata")), "NotificationId"));
      java.util.Map<String, Object> change = Json.asObject(
          Json.asObject(root.get("Payload")).get("OrderChangeNotification"));
      assertThat(change).containsEntry("SellerId", amazon.sellerId())
          .containsEntry("AmazonOrderId", order);
      java.util.Map<String, Object> summary = Json.asObject(change.get("Summary"));
      assertThat(summary).containsEntry("MarketplaceId", amazon.marketplaceId())
          .containsEntry("FulfillmentType", "MFN");
      statuses.add(Json.str(summary, "OrderStatus"));
    }
    assertThat(statuses).containsExactly("Unshipped", "Canceled");
    assertThat(ids).as("one id per message").hasSize(2);
  }

  HttpUrl getOrder(String orderId, String includedData) {
    return amazon.url().newBuilder().addPathSegments("orders/2026-01-01/orders")
        .addPathSegment(orderId).addQueryParameter("includedData", includedData).build();
  }

  @Test
  void getOrder_answersTheSearchShape_404sAnUnknownOrder_refusesUnknownIncludedData_at30Burst()
      throws IOException {
    amazon.addListing("TEE", "SHIRT", 5L, null);
    String id = amazon.placeOrder("MERCHANT", Map.of("TEE", 2L));

    Answer found = send(new Request.Builder().url(getOrder(id, "FULFILLMENT")));
    Answer unknown = send(new Request.Builder().url(getOrder("902-0000000-0000000", "FULFILLMENT")));
    Answer bad = send(new Request.Builder().url(getOrder(id, "FULFILMENT")));

    assertThat(found.code()).isEqualTo(200);
    assertThat(found.body()).startsWith("{\"order\":{").contains("\"orderId\":\"" + id + "\"")
        .contains("\"sellerSku\":\"TEE\"").contains("\"quantityOrdered\":2")
        .contains("\"fulfillmentStatus\":\"UNSHIPPED\"");
    assertThat(found.response().header("x-amzn-RateLimit-Limit")).isEqualTo("0.5");
    assertThat(unknown.code()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"code\":\"NotFound\"");
    assertThat(bad.code()).isEqualTo(400);
    int ok = 3;
    while (send(new Request.Builder().url(getOrder(id, "FULFILLMENT"))).code() == 200) {
      ok++;
    }
    assertThat(ok).as("the burst of 30, the clock standing still").isEqualTo(30);
  }
}
