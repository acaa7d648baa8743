package io.stocksync.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.CredentialsException;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.oauth.TokenEndpointEmulator;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The three channels' token endpoints and expired-token signals, end to end over HTTP. */
class VendorProfilesTest {
  private static final String SCOPE =
      "https://api.ebay.com/oauth/api_scope/sell.inventory"
          + " https://api.ebay.com/oauth/api_scope/sell.fulfillment";

  private final ManualClock clock = ManualClock.startingAtEpochOf2026();
  private final InMemoryCredentialsStore store = new InMemoryCredentialsStore();

  @Test
  void ebay_basicClientAuthWithScope_keepsTheUnrotatedRefreshToken_andRefreshesOn1001()
      throws IOException {
    try (OAuthServer server =
        OAuthServer.ebay(TokenEndpointEmulator.ebay(clock, "App-ID", "Cert-Secret-1").build())) {
      String refresh = server.tokens.issueRefreshToken();
      OAuthTokenSource source =
          OAuthTokenSource.builder()
              .tokenUrl(server.tokenUrl())
              .clientId("App-ID")
              .clientSecret("Cert-Secret-1")
              .clientAuthentication(ClientAuthentication.BASIC)
              .extraParam("scope", SCOPE)
              .credentialsStore(store, "ebay-1")
              .initialRefreshToken(refresh)
              .clock(clock)
              .build();
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(source.interceptor(AccessTokenHeader.bearer(), ExpiredTokenSignal.ebay()))
              .build();

      try (Response r = client.newCall(get(server)).execute()) {
        assertThat(r.code()).isEqualTo(200);
      }
      server.tokens.expireAccessTokens();
      try (Response r = client.newCall(get(server)).execute()) {
        assertThat(r.code()).isEqualTo(200);
      }

      assertThat(server.tokens.refreshesServed()).isEqualTo(2);
      assertThat(store.load("ebay-1").orElseThrow().refreshToken()).isEqualTo(refresh);
      assertThat(server.tokens.requestBodies().get(0))
          .contains("scope=")
          .doesNotContain("client_secret")
          .doesNotContain("client_id");
      // 2 hours announced, 60 s margin: not refreshed at 1 h 58 min 59 s.
      String token = source.accessToken();
      clock.advance(Duration.ofMinutes(118).plusSeconds(59));
      assertThat(source.accessToken()).isEqualTo(token);
      assertThat(source.redact("x Cert-Secret-1 y")).isEqualTo("x [redacted] y");
    }
  }

  @Test
  void ebay_a401WithAnotherErrorId_isNotTreatedAsExpired() throws IOException {
    try (OAuthServer server =
        OAuthServer.etsy(TokenEndpointEmulator.ebay(clock, "App-ID", "Cert").build())) {
      // The etsy-style resource answers 401 {"error": ...}: no errorId 1001.
      String refresh = server.tokens.issueRefreshToken();
      OAuthTokenSource source =
          OAuthTokenSource.builder()
              .tokenUrl(server.tokenUrl())
              .clientId("App-ID")
              .clientSecret("Cert")
              .clientAuthentication(ClientAuthentication.BASIC)
              .extraParam("scope", SCOPE)
              .credentialsStore(store, "ebay-2")
              .initialRefreshToken(refresh)
              .clock(clock)
              .build();
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(source.interceptor(AccessTokenHeader.bearer(), ExpiredTokenSignal.ebay()))
              .build();
      source.accessToken();
      server.tokens.expireAccessTokens();

      try (Response r = client.newCall(get(server)).execute()) {
        assertThat(r.code()).isEqualTo(401);
      }
      assertThat(server.tokens.refreshesServed()).isEqualTo(1);
    }
  }

  @Test
  void ebay_wrongClientSecret_isCredentialsException() throws IOException {
    try (OAuthServer server =
        OAuthServer.ebay(TokenEndpointEmulator.ebay(clock, "App-ID", "right").build())) {
      OAuthTokenSource source =
          OAuthTokenSource.builder()
              .tokenUrl(server.tokenUrl())
              .clientId("App-ID")
              .clientSecret("wrong")
              .clientAuthentication(ClientAuthentication.BASIC)
              .extraParam("scope", SCOPE)
              .credentialsStore(store, "ebay-3")
              .initialRefreshToken(server.tokens.issueRefreshToken())
              .clock(clock)
              .build();

      assertThatThrownBy(source::accessToken)
          .isInstanceOf(CredentialsException.class)
          .hasMessageContaining("invalid_client")
          .hasMessageNotContaining("wrong");
    }
  }

  @Test
  void amazon_jsonRequestWithClientSecretInBody_sendsXAmzAccessToken_andRefreshesOn403()
      throws IOException {
    try (OAuthServer server =
        OAuthServer.amazon(
            TokenEndpointEmulator.amazonLwa(clock, "amzn1.application-oa2-client.1", "lwa-secret")
                .build())) {
      String refresh = server.tokens.issueRefreshToken();
      assertThat(refresh).startsWith("Atzr|");
      OAuthTokenSource source =
          OAuthTokenSource.builder()
              .tokenUrl(server.tokenUrl())
              .clientId("amzn1.application-oa2-client.1")
              .clientSecret("lwa-secret")
              .clientAuthentication(ClientAuthentication.BODY)
              .requestEncoding(TokenRequestEncoding.JSON)
              .credentialsStore(store, "amazon-1")
              .initialRefreshToken(refresh)
              .clock(clock)
              .build();
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(
                  source.interceptor(
                      AccessTokenHeader.named("x-amz-access-token"), ExpiredTokenSignal.amazon()))
              .build();

      try (Response r = client.newCall(get(server)).execute()) {
        assertThat(r.code()).isEqualTo(200);
      }
      server.tokens.expireAccessTokens();
      try (Response r = client.newCall(get(server)).execute()) {
        assertThat(r.code()).isEqualTo(200);
      }

      assertThat(server.presented).hasSize(3);
      assertThat(server.presented.get(0)).startsWith("Atza|");
      assertThat(server.presented.get(2)).isNotEqualTo(server.presented.get(0));
      assertThat(server.tokens.requestBodies().get(0))
          .startsWith("{")
          .contains("\"client_secret\":\"lwa-secret\"");
      assertThat(store.load("amazon-1").orElseThrow().refreshToken()).isEqualTo(refresh);
      // The URL-encoded form of a refresh token (| becomes %7C) is redacted too.
      assertThat(source.redact("refresh_token=" + refresh.replace("|", "%7C")))
          .isEqualTo("refresh_token=[redacted]");
    }
  }

  @Test
  void formEncodedTokenAnswers_areReadToo() {
    try (OAuthServer server =
        OAuthServer.etsy(
            TokenEndpointEmulator.builder(clock)
                .client(TokenEndpointEmulator.ClientAuth.BODY, "id", "secret")
                .answersAsForm(true)
                .accessTokenLifetime(Duration.ofMinutes(5))
                .build())) {
      OAuthTokenSource source =
          OAuthTokenSource.builder()
              .tokenUrl(server.tokenUrl())
              .clientId("id")
              .clientSecret("secret")
              .credentialsStore(store, "form-1")
              .initialRefreshToken(server.tokens.issueRefreshToken())
              .clock(clock)
              .build();

      String token = source.accessToken();

      assertThat(server.tokens.check(token)).isEqualTo(TokenEndpointEmulator.AccessCheck.VALID);
      assertThat(store.load("form-1").orElseThrow().accessTokenExpiresAt())
          .contains(clock.instant().plus(Duration.ofMinutes(5)));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Request get(OAuthServer server) {
    return new Request.Builder().url(server.resourceUrl()).build();
  }
}
