package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.GraphQlTestClient.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransportAndFaultsTest {
  private static final String TOKEN = "shpat_test_token";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ShopifyEmulator shop;
  private GraphQlTestClient client;

  @BeforeEach
  void setUp() {
    shop = ShopifyEmulator.builder().clock(clock).accessToken(TOKEN).seed(7).build().start();
    client = new GraphQlTestClient(shop);
  }

  @AfterEach
  void tearDown() {
    shop.close();
  }

  @Test
  void url_isTheServerRootAndGraphqlUrlAppendsTheVersionedPath() {
    assertThat(shop.url().encodedPath()).isEqualTo("/");
    assertThat(shop.graphqlUrl().encodedPath()).isEqualTo("/admin/api/2026-10/graphql.json");
    assertThat(shop.url().resolve("admin/api/2026-10/graphql.json")).isEqualTo(shop.graphqlUrl());
  }

  @Test
  void request_withWrongToken_gets401WithShopifysBody() {
    Reply reply = client.post(ShopifyEmulator.API_VERSION, "shpat_wrong", "Shop", Map.of());

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body())
        .isEqualTo(
            "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong"
                + " password)\"}");
  }

  @Test
  void revokeToken_makesEveryRequest401UntilRotated() {
    shop.revokeToken();
    assertThat(client.post("Shop", Map.of()).status()).isEqualTo(401);

    shop.rotateToken("shpat_new");

    assertThat(client.post(ShopifyEmulator.API_VERSION, TOKEN, "Shop", Map.of()).status())
        .isEqualTo(401);
    assertThat(client.post(ShopifyEmulator.API_VERSION, "shpat_new", "Shop", Map.of()).status())
        .isEqualTo(200);
  }

  @Test
  void unknownPath_gets404() throws IOException {
    OkHttpClient http = new OkHttpClient();
    Request request =
        new Request.Builder()
            .url(shop.url().resolve("admin/oauth/access_token"))
            .header("X-Shopify-Access-Token", TOKEN)
            .build();
    try (Response response = http.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(404);
    }
  }

  @Test
  void operationNameTheDocumentDoesNotHold_getsTopLevelErrorWithHttp200() {
    Reply reply = client.postRaw(shop.graphqlUrl(ShopifyEmulator.API_VERSION), shop.accessToken(),
        "{\"query\":\"query Products { shop { id } }\",\"operationName\":\"Missing\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.string("errors", 0, "message")).isEqualTo("No operation named \"Missing\"");
    assertThat(reply.at("data")).isNull();
  }

  @Test
  void bodyThatIsNotJson_gets400() {
    Reply reply = client.postRaw(shop.graphqlUrl(), TOKEN, "query { shop { id } }");

    assertThat(reply.status()).isEqualTo(400);
  }

  @Test
  void failNext_tooManyRequests_answers429WithRetryAfterForTheNextNRequestsOnly() {
    shop.failNext(2, Fault.TOO_MANY_REQUESTS);

    Reply first = client.post("Shop", Map.of());
    Reply second = client.post("Shop", Map.of());
    Reply third = client.post("Shop", Map.of());

    assertThat(first.status()).isEqualTo(429);
    assertThat(first.headers().get("Retry-After")).isEqualTo("2");
    assertThat(first.body()).contains("Exceeded 2 calls per second for api client");
    assertThat(second.status()).isEqualTo(429);
    assertThat(third.status()).isEqualTo(200);
    assertThat(shop.pointsSpent()).isEqualTo(1);
  }

  @Test
  void failNext_serverError_answers500WithoutExecuting() {
    String location = shop.addLocation("Main");
    VariantIds v = shop.addVariant(shop.addProduct("P", ProductStatus.ACTIVE), "P", true);
    shop.stock(v.inventoryItemId(), location, 1);
    shop.failNext(1, Fault.SERVER_ERROR);

    Reply failed =
        client.set("k", List.of(GraphQlTestClient.quantity(v.inventoryItemId(), location, 4, 1)));

    assertThat(failed.status()).isEqualTo(500);
    assertThat(shop.available(v.inventoryItemId(), location)).isEqualTo(1);
    Reply retried =
        client.set("k", List.of(GraphQlTestClient.quantity(v.inventoryItemId(), location, 4, 1)));
    assertThat(retried.list("data", "inventorySetQuantities", "userErrors")).isEmpty();
    assertThat(shop.available(v.inventoryItemId(), location)).isEqualTo(4);
  }

  @Test
  void failNext_malformedJson_answers200WithATruncatedBody() {
    shop.failNext(1, Fault.MALFORMED_JSON);

    Reply reply = client.post("Shop", Map.of());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).startsWith("{");
    assertThat(reply.json()).isNull();
    assertThat(client.post("Shop", Map.of()).json()).isNotNull();
  }

  @Test
  void failNext_queuesFaultsInOrder() {
    shop.failNext(1, Fault.SERVER_ERROR);
    shop.failNext(1, Fault.TOO_MANY_REQUESTS);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(client.post("Shop", Map.of()).status());
    }

    assertThat(statuses).containsExactly(500, 429, 200);
  }

  @Test
  void failFraction_isDeterministicForASeedAndClearFaultsStopsIt() {
    shop.failFraction(0.5, Fault.SERVER_ERROR);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(client.post("Shop", Map.of()).status());
    }
    shop.clearFaults();

    try (ShopifyEmulator twin =
        ShopifyEmulator.builder().clock(clock).accessToken(TOKEN).seed(7).build().start()) {
      twin.failFraction(0.5, Fault.SERVER_ERROR);
      GraphQlTestClient twinClient = new GraphQlTestClient(twin);
      List<Integer> twinStatuses = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        twinStatuses.add(twinClient.post("Shop", Map.of()).status());
      }
      assertThat(twinStatuses).isEqualTo(statuses);
    }
    assertThat(statuses).contains(500, 200);
    assertThat(client.post("Shop", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void slowFault_holdsTheBodyBackLongerThanAClientReadTimeout() {
    shop.slowDelay(Duration.ofMillis(800));
    shop.failNext(1, Fault.SLOW);
    GraphQlTestClient impatient =
        new GraphQlTestClient(
            shop, new OkHttpClient.Builder().readTimeout(Duration.ofMillis(100)).build());

    assertThatThrownBy(() -> impatient.post("Shop", Map.of()))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void recordedRequests_captureOperationVariablesKeyAndStatus() {
    shop.failNext(1, Fault.SERVER_ERROR);
    client.post("Locations", vars("first", 5));
    client.post("Locations", vars("first", 5));
    client.set("key-rec", List.of());

    assertThat(shop.requestCount()).isEqualTo(3);
    assertThat(shop.requestCount("Locations")).isEqualTo(2);
    List<RecordedOperation> recorded = shop.recordedRequests();
    assertThat(recorded).extracting(RecordedOperation::status).containsExactly(500, 200, 200);
    assertThat(recorded.get(0).variables()).containsEntry("first", 5.0);
    assertThat(recorded.get(0).apiVersion()).isEqualTo(ShopifyEmulator.API_VERSION);
    assertThat(recorded.get(2).idempotencyKey()).isEqualTo("key-rec");
    assertThatThrownBy(() -> recorded.get(0).variables().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
