package io.stocksync.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.testkit.SpecFiles;
import io.stocksync.testkit.openapi.OpenApiExchangeValidator.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Good and bad exchanges of Etsy's getListingsByShop, judged by Etsy's own OpenAPI document. */
class OpenApiExchangeValidatorTest {
  private static final String LISTINGS = "/v3/application/shops/5551234/listings";
  private static final String GOOD_LISTINGS =
      "{\"count\":1,\"results\":[{\"listing_id\":101,\"shop_id\":5551234,\"title\":\"Mug\","
          + "\"state\":\"active\",\"quantity\":3,\"has_variations\":false,"
          + "\"price\":{\"amount\":1500,\"divisor\":100,\"currency_code\":\"USD\"}}]}";

  private final MockWebServer server = new MockWebServer();
  private final AtomicReference<MockResponse> answer = new AtomicReference<>();
  private OpenApiExchangeValidator validator;

  @BeforeEach
  void start() throws IOException {
    Path spec = SpecFiles.require("etsy/etsy_openapi_v3.json");
    validator =
        OpenApiExchangeValidator.builder()
            .spec(spec)
            .excludePathPrefix("/v3/public/oauth/")
            .build();
    Dispatcher fixed =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer.get();
          }
        };
    server.setDispatcher(validator.wrap(fixed));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Response get(String pathAndQuery, boolean withApiKey) throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(server.url(pathAndQuery))
            .header("Authorization", "Bearer 12345678.token");
    if (withApiKey) {
      request.header("x-api-key", "keystring:secret");
    }
    return new OkHttpClient().newCall(request.build()).execute();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Test
  void conformingExchange_hasNoViolations_andNamesItsOperation() throws IOException {
    answer.set(json(200, GOOD_LISTINGS));

    try (Response r = get(LISTINGS + "?state=active&limit=100&offset=0", true)) {
      assertThat(r.code()).isEqualTo(200);
    }

    validator.assertNoViolations();
    assertThat(validator.operationsSeen()).containsExactly("getListingsByShop");
  }

  @Test
  void queryParameterOutOfRange_isARequestViolationNamingTheParameter() throws IOException {
    answer.set(json(200, GOOD_LISTINGS));

    try (Response r = get(LISTINGS + "?limit=500", true)) {
      assertThat(r.code()).isEqualTo(200);
    }

    assertThat(validator.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.operation()).isEqualTo("getListingsByShop");
              assertThat(v.field()).isEqualTo("query parameter 'limit'");
              assertThat(v.key()).startsWith("validation.request.parameter");
            });
    assertThatThrownBy(validator::assertNoViolations)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("getListingsByShop (GET " + LISTINGS + " -> 200)")
        .hasMessageContaining("limit");
  }

  @Test
  void missingApiKeyHeader_isASecurityViolation() throws IOException {
    answer.set(json(200, GOOD_LISTINGS));

    try (Response r = get(LISTINGS, false)) {
      assertThat(r.code()).isEqualTo(200);
    }

    assertThat(validator.violations())
        .extracting(Violation::key)
        .contains("validation.request.security.missing");
  }

  @Test
  void responseBodyBreakingTheSchema_namesTheJsonPointer() throws IOException {
    answer.set(
        json(
            200,
            "{\"count\":1,\"results\":[{\"listing_id\":101,\"state\":\"paused\","
                + "\"quantity\":\"3\"}]}"));

    try (Response r = get(LISTINGS, true)) {
      assertThat(r.code()).isEqualTo(200);
    }

    assertThat(validator.violations())
        .extracting(Violation::field)
        .contains("body /results/0/state", "body /results/0/quantity");
    assertThat(validator.violations())
        .allSatisfy(v -> assertThat(v.key()).startsWith("validation.response.body"));
  }

  @Test
  void errorBodyWithoutTheRequiredErrorField_isAResponseViolation() throws IOException {
    answer.set(json(400, "{\"message\":\"bad\"}"));

    try (Response r = get(LISTINGS, true)) {
      assertThat(r.code()).isEqualTo(400);
    }

    // Etsy's ErrorSchema requires "error"; fields a schema does not declare are refused too
    // (the validator's default), so an emulator cannot invent field names.
    assertThat(validator.violations())
        .extracting(Violation::key)
        .containsExactlyInAnyOrder(
            "validation.response.body.schema.required",
            "validation.response.body.schema.additionalProperties");
  }

  @Test
  void pathInNoDocument_isAViolation_unlessExcluded() throws IOException {
    answer.set(json(200, "{}"));

    try (Response r = get("/v3/application/nonsense/1", true)) {
      assertThat(r.code()).isEqualTo(200);
    }
    try (Response r = get("/v3/public/oauth/token", true)) {
      assertThat(r.code()).isEqualTo(200);
    }

    assertThat(validator.exchanges()).hasSize(2);
    assertThat(validator.violations())
        .singleElement()
        .satisfies(v -> assertThat(v.path()).isEqualTo("/v3/application/nonsense/1"));
  }

  @Test
  void clientSideInterceptor_recordsWhatTheClientSent() throws IOException {
    answer.set(json(200, GOOD_LISTINGS));
    OpenApiExchangeValidator clientSide =
        OpenApiExchangeValidator.forSpec(SpecFiles.require("etsy/etsy_openapi_v3.json"));
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(clientSide.interceptor()).build();

    try (Response r =
        client
            .newCall(
                new Request.Builder()
                    .url(server.url(LISTINGS + "?state=sold_out&sort_on=nonsense"))
                    .header("x-api-key", "k:s")
                    .header("Authorization", "Bearer 1.t")
                    .build())
            .execute()) {
      assertThat(r.body().string()).isEqualTo(GOOD_LISTINGS); // passed on untouched
    }

    assertThat(clientSide.violations())
        .singleElement()
        .satisfies(v -> assertThat(v.field()).isEqualTo("query parameter 'sort_on'"));
  }
}
