package io.stocksync.testkit.etsy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.etsy.EtsyEmulator.Variation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Etsy emulator is as strict as Etsy: raw HTTP requests against it. */
class EtsyEmulatorTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final OkHttpClient http = new OkHttpClient();
  EtsyEmulator etsy;
  String token;
  long tee;

  record Answer(int status, String body, Response raw) {}

  @BeforeEach
  void setUp() throws IOException {
    etsy = EtsyEmulator.builder().clock(clock).limits(100, 1_000)
        .webhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").build().start();
    tee = etsy.addListing("T-shirt", "Color", List.of(new Variation("Red", "TEE-R", 5, 1500),
        new Variation("Green", "TEE-G", 3, 1700)));
    String refresh = etsy.issueRefreshToken();
    Answer t = call(new Request.Builder().url(etsy.url().resolve("v3/public/oauth/token"))
        .post(new FormBody.Builder().add("grant_type", "refresh_token")
            .add("client_id", "emulatedkeystring").add("refresh_token", refresh).build()));
    assertThat(t.status).isEqualTo(200);
    token = t.body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
    clock.advance(Duration.ofSeconds(1));
  }

  @AfterEach
  void tearDown() {
    etsy.close();
  }

  Answer call(Request.Builder request) {
    try (Response r = http.newCall(request.build()).execute()) {
      return new Answer(r.code(), r.body().string(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Request.Builder api(String path) {
    return new Request.Builder().url(etsy.url().resolve("v3/application/" + path))
        .header("x-api-key", "emulatedkeystring:emulatedsharedsecret")
        .header("Authorization", "Bearer " + token);
  }

  Answer put(String json) {
    return call(api("listings/" + tee + "/inventory")
        .put(RequestBody.create(json, MediaType.get("application/json"))));
  }

  String product(String value, long valueId, String sku, String price, int quantity) {
    return "{\"sku\":\"" + sku + "\",\"property_values\":[{\"property_id\":200,\"value_ids\":["
        + valueId + "],\"values\":[\"" + value + "\"]}],\"offerings\":[{\"price\":" + price
        + ",\"quantity\":" + quantity + ",\"is_enabled\":true,\"readiness_state_id\":1001}]}";
  }

  long valueId(String value) {
    String inv = call(api("listings/" + tee + "/inventory").get()).body;
    int at = inv.indexOf("\"values\":[\"" + value + "\"]");
    String before = inv.substring(0, at);
    String ids = before.substring(before.lastIndexOf("\"value_ids\":[") + 13);
    return Long.parseLong(ids.substring(0, ids.indexOf(']')));
  }

  String inventory(int red, int green, String greenPrice, String onProperty) {
    return "{\"products\":[" + product("Red", valueId("Red"), "TEE-R", "15.00", red) + ","
        + product("Green", valueId("Green"), "TEE-G", greenPrice, green) + "]," + onProperty + "}";
  }

  static final String ON = "\"price_on_property\":[200],\"quantity_on_property\":[200],"
      + "\"sku_on_property\":[200]";

  @Test
  void apiKeyWithoutTheSharedSecret_is403() {
    Answer a = call(api("users/me").header("x-api-key", "emulatedkeystring").get());
    assertThat(a.status).isEqualTo(403);
    assertThat(a.body).isEqualTo("{\"error\":\"Shared secret is required in x-api-key header\"}");
  }

  @Test
  void expiredAccessToken_is401() {
    etsy.tokens().expireAccessTokens();
    assertThat(call(api("users/me").get()).status).isEqualTo(401);
  }

  @Test
  void wholeInventoryPut_replacesQuantities_andIssuesNewProductIds() {
    String before = call(api("listings/" + tee + "/inventory").get()).body;
    Answer a = put(inventory(7, 0, "17.00", ON));
    assertThat(a.status).isEqualTo(200);
    assertThat(etsy.quantity(tee, "TEE-R")).isEqualTo(7);
    assertThat(etsy.quantity(tee, "TEE-G")).isZero();
    assertThat(etsy.priceCents(tee, "TEE-G")).isEqualTo(1700);
    String productId = before.replaceAll(".*?\"product_id\":(\\d+).*", "$1");
    assertThat(a.body).doesNotContain("\"product_id\":" + productId + ",");
  }

  @Test
  void put_refusesAMissingProduct_thePriceObject_missingKeys_and999Plus_changingNothing() {
    String onlyRed = "{\"products\":[" + product("Red", valueId("Red"), "TEE-R", "15.00", 2) + "],"
        + ON + "}";
    assertThat(put(onlyRed).status).isEqualTo(400);
    String moneyObject = inventory(2, 2, "{\"amount\":1700,\"divisor\":100,\"currency_code\":\"USD\"}", ON);
    assertThat(put(moneyObject).body).contains("price must be a float");
    String noReadiness = inventory(2, 2, "17.00", ON).replaceFirst(",\"readiness_state_id\":1001", "");
    assertThat(put(noReadiness).body).contains("readiness_state_id is required");
    assertThat(put(inventory(1_000, 2, "17.00", ON)).body).contains("cannot be greater than 999");
    assertThat(etsy.quantity(tee, "TEE-R")).isEqualTo(5);
  }

  @Test
  void put_whosePricesDifferWithoutPriceOnProperty_is409() {
    Answer a = put(inventory(2, 2, "17.00",
        "\"price_on_property\":[],\"quantity_on_property\":[200],\"sku_on_property\":[200]"));
    assertThat(a.status).isEqualTo(409);
    assertThat(a.body).contains("price_on_property");
  }

  @Test
  void put_ofZeroEverywhere_isRefused() {
    Answer a = put(inventory(0, 0, "17.00", ON));
    assertThat(a.status).isEqualTo(400);
    assertThat(a.body).contains("One offering must have quantity greater than 0");
  }

  @Test
  void patchActive_onASoldOutListing_renewsItWithQuantityOne_andChargesTheFee() {
    long mug = etsy.addListing("Mug", "MUG", 1);
    etsy.sell(mug, "MUG", 1);
    assertThat(etsy.state(mug)).isEqualTo("sold_out");

    Answer a = call(api("shops/" + etsy.shopId() + "/listings/" + mug)
        .patch(new FormBody.Builder().add("state", "active").build()));

    assertThat(a.status).isEqualTo(200);
    assertThat(etsy.state(mug)).isEqualTo("active");
    assertThat(etsy.quantity(mug, "MUG")).isEqualTo(1);
    assertThat(etsy.renewalFeesCents()).isEqualTo(EtsyEmulator.RENEWAL_FEE_CENTS);
    Answer bad = call(api("shops/" + etsy.shopId() + "/listings/" + mug)
        .patch(new FormBody.Builder().add("state", "sold_out").build()));
    assertThat(bad.status).isEqualTo(400);
  }

  @Test
  void perSecondLimit_answers429WithRetryAfter_andHeadersCountDown() {
    etsy.limits(5, 1_000);
    List<Answer> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(call(api("users/me").get()));
    }
    assertThat(answers.get(0).raw.header("x-limit-per-second")).isEqualTo("5");
    assertThat(answers.get(4).raw.header("x-remaining-this-second")).isEqualTo("0");
    assertThat(answers.get(4).raw.header("x-remaining-today")).isEqualTo("995");
    assertThat(answers.get(5).status).isEqualTo(429);
    assertThat(answers.get(5).raw.header("retry-after")).isEqualTo("1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(call(api("users/me").get()).status).isEqualTo(200);
  }

  @Test
  void offsetBeyondTwelveThousand_is400() {
    Answer a = call(api("shops/" + etsy.shopId() + "/listings?offset=12001").get());
    assertThat(a.status).isEqualTo(400);
  }

  @Test
  void batchInventory_withAMissingId_is404_andAcceptsAtMostOneHundredIds() {
    assertThat(call(api("listings/batch/inventory?listing_ids=" + tee + "&listing_ids=1").get()).status)
        .isEqualTo(404);
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      many.append("&listing_ids=").append(tee);
    }
    assertThat(call(api("listings/batch/inventory?" + many.substring(1)).get()).status).isEqualTo(400);
  }

  @Test
  void webhooks_areSignedAndRetriedWithTheSameId_untilAccepted() {
    List<Map<String, String>> deliveries = new ArrayList<>();
    int[] answer = {500};
    etsy.webhooksTo((headers, body) -> {
      deliveries.add(headers);
      assertThat(headers.get("webhook-signature"))
          .isEqualTo(etsy.sign(headers.get("webhook-id"), Long.parseLong(headers.get("webhook-timestamp")), body));
      return answer[0];
    });

    etsy.sell(tee, "TEE-R", 1);
    assertThat(etsy.webhooksPending()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    answer[0] = 200;
    etsy.deliverDueWebhooks();

    assertThat(deliveries).hasSize(2);
    assertThat(deliveries.get(1).get("webhook-id")).isEqualTo(deliveries.get(0).get("webhook-id"));
    assertThat(deliveries.get(1).get("webhook-timestamp"))
        .isNotEqualTo(deliveries.get(0).get("webhook-timestamp"));
    assertThat(etsy.webhooksDelivered()).isEqualTo(1);
    assertThat(etsy.webhooksPending()).isZero();
  }
}
