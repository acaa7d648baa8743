package io.stocksync.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.oauth.TokenEndpointEmulator.AccessCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockWebServer;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token endpoint emulator is as strict as the vendors' endpoints. */
class TokenEndpointEmulatorTest {
  private final ManualClock clock = ManualClock.startingAtEpochOf2026();
  private final OkHttpClient http = new OkHttpClient();
  private final MockWebServer server = new MockWebServer();

  @AfterEach
  void stop() {
    server.close();
  }

  private TokenEndpointEmulator serve(TokenEndpointEmulator emulator) throws IOException {
    server.setDispatcher(emulator.asDispatcher());
    server.start();
    return emulator;
  }

  private Answer post(String path, RequestBody body, Map<String, String> headers)
      throws IOException {
    Request.Builder request = new Request.Builder().url(server.url(path)).post(body);
    headers.forEach(request::header);
    try (Response r = http.newCall(request.build()).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }

  private record Answer(int code, String body) {}

  private static FormBody form(String... pairs) {
    FormBody.Builder b = new FormBody.Builder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.add(pairs[i], pairs[i + 1]);
    }
    return b.build();
  }

  @Test
  void etsy_rotatesTheRefreshToken_andTheOldOneAnswersInvalidGrant() throws IOException {
    TokenEndpointEmulator etsy = serve(TokenEndpointEmulator.etsy(clock, "key", 42L).build());
    String first = etsy.issueRefreshToken();

    Answer ok =
        post(
            "/v3/public/oauth/token",
            form("grant_type", "refresh_token", "client_id", "key", "refresh_token", first),
            Map.of());
    Answer again =
        post(
            "/v3/public/oauth/token",
            form("grant_type", "refresh_token", "client_id", "key", "refresh_token", first),
            Map.of());

    assertThat(ok.code()).isEqualTo(200);
    assertThat(ok.body())
        .contains("\"access_token\":\"42.")
        .contains("\"refresh_token\":\"42.")
        .contains("\"expires_in\":3600");
    assertThat(etsy.isLive(first)).isFalse();
    assertThat(again.code()).isEqualTo(400);
    assertThat(again.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(etsy.refreshesServed()).isEqualTo(1);
    assertThat(etsy.invalidGrantsAnswered()).isEqualTo(1);
  }

  @Test
  void ebay_requiresBasicClientAuthAFormBodyAndScope() throws IOException {
    TokenEndpointEmulator ebay = serve(TokenEndpointEmulator.ebay(clock, "app", "cert").build());
    String refresh = ebay.issueRefreshToken();
    String basic = Credentials.basic("app", "cert");
    String path = "/identity/v1/oauth2/token";

    Answer noAuth =
        post(path, form("grant_type", "refresh_token", "refresh_token", refresh, "scope", "s"),
            Map.of());
    Answer noScope =
        post(path, form("grant_type", "refresh_token", "refresh_token", refresh),
            Map.of("Authorization", basic));
    Answer json =
        post(
            path,
            RequestBody.create(
                "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refresh + "\"}",
                MediaType.get("application/json")),
            Map.of("Authorization", basic));
    Answer wrongGrant =
        post(path, form("grant_type", "password", "scope", "s"), Map.of("Authorization", basic));
    Answer ok =
        post(path, form("grant_type", "refresh_token", "refresh_token", refresh, "scope", "s"),
            Map.of("Authorization", basic));

    assertThat(noAuth.code()).isEqualTo(401);
    assertThat(noAuth.body()).contains("invalid_client");
    assertThat(noScope.code()).isEqualTo(400);
    assertThat(noScope.body()).contains("scope is required");
    assertThat(json.code()).isEqualTo(400);
    assertThat(wrongGrant.body()).contains("unsupported_grant_type");
    assertThat(ok.code()).isEqualTo(200);
    assertThat(ok.body()).doesNotContain("refresh_token").contains("\"expires_in\":7200");
    assertThat(ebay.refreshesServed()).isEqualTo(1);
    assertThat(ebay.requestsReceived()).isEqualTo(5);
  }

  @Test
  void amazon_acceptsJsonAndEchoesTheRefreshToken_andRevocationKillsIssuedAccessTokens()
      throws IOException {
    TokenEndpointEmulator lwa =
        serve(TokenEndpointEmulator.amazonLwa(clock, "amzn1.client", "secret").build());
    String refresh = lwa.issueRefreshToken();
    String body =
        "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refresh
            + "\",\"client_id\":\"amzn1.client\",\"client_secret\":\"secret\"}";

    Answer ok = post("/auth/o2/token", RequestBody.create(body, MediaType.get("application/json")),
        Map.of());
    String access = ok.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");

    assertThat(ok.code()).isEqualTo(200);
    assertThat(access).startsWith("Atza|");
    assertThat(ok.body()).contains("\"refresh_token\":\"" + refresh + "\"");
    assertThat(lwa.check(access)).isEqualTo(AccessCheck.VALID);

    lwa.revoke(refresh);

    assertThat(lwa.check(access)).isEqualTo(AccessCheck.UNKNOWN);
    Answer dead = post("/auth/o2/token", RequestBody.create(body, MediaType.get("application/json")),
        Map.of());
    assertThat(dead.code()).isEqualTo(400);
    assertThat(dead.body())
        .contains("\"error\":\"invalid_grant\"")
        .contains("The request has an invalid grant parameter : refresh_token");
  }

  @Test
  void accessTokens_expireOnTheInjectedClock() throws IOException {
    TokenEndpointEmulator etsy =
        serve(
            TokenEndpointEmulator.etsy(clock, "key", 7L)
                .accessTokenLifetime(Duration.ofMinutes(30))
                .build());
    Answer ok =
        post(
            "/v3/public/oauth/token",
            form("grant_type", "refresh_token", "client_id", "key", "refresh_token",
                etsy.issueRefreshToken()),
            Map.of());
    String access = ok.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");

    assertThat(etsy.checkBearer("Bearer " + access)).isEqualTo(AccessCheck.VALID);
    clock.advance(Duration.ofMinutes(30).minusSeconds(1));
    assertThat(etsy.checkBearer("Bearer " + access)).isEqualTo(AccessCheck.VALID);
    clock.advance(Duration.ofSeconds(1));
    assertThat(etsy.checkBearer("Bearer " + access)).isEqualTo(AccessCheck.EXPIRED);
    assertThat(etsy.checkBearer("Bearer nope")).isEqualTo(AccessCheck.UNKNOWN);
    assertThat(etsy.checkBearer(null)).isEqualTo(AccessCheck.UNKNOWN);
    assertThat(etsy.check(access.toUpperCase(java.util.Locale.ROOT)))
        .isEqualTo(AccessCheck.UNKNOWN);
  }

  @Test
  void faults_areAnsweredOncePerRequestInOrder() throws IOException {
    TokenEndpointEmulator etsy = serve(TokenEndpointEmulator.etsy(clock, "key", 7L).build());
    String refresh = etsy.issueRefreshToken();
    etsy.enqueueFault(TokenEndpointEmulator.Fault.TOO_MANY_REQUESTS);
    etsy.enqueueFault(TokenEndpointEmulator.Fault.SERVER_ERROR);
    FormBody body = form("grant_type", "refresh_token", "client_id", "key", "refresh_token", refresh);

    assertThat(post("/v3/public/oauth/token", body, Map.of()).code()).isEqualTo(429);
    assertThat(post("/v3/public/oauth/token", body, Map.of()).code()).isEqualTo(500);
    assertThat(post("/v3/public/oauth/token", body, Map.of()).code()).isEqualTo(200);
    assertThat(etsy.isLive(refresh)).isFalse(); // only the served request rotated it
  }
}
