package io.stocksync.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stocksync.core.ChannelException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.oauth.TokenEndpointEmulator;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EdgeCasesTest {
  private final ManualClock clock = ManualClock.startingAtEpochOf2026();
  private final MockWebServer raw = new MockWebServer();
  private final RecordingCredentialsStore store = new RecordingCredentialsStore();

  @AfterEach
  void stop() {
    raw.close();
  }

  private OAuthTokenSource sourceOn(String url) {
    return OAuthTokenSource.builder()
        .tokenUrl(url)
        .clientId("id")
        .clientSecret("topsecret")
        .credentialsStore(store, "k")
        .initialRefreshToken("refresh-abc")
        .clock(clock)
        .build();
  }

  private void answer(MockResponse... responses) throws IOException {
    AtomicInteger next = new AtomicInteger();
    raw.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            int i = next.getAndIncrement();
            return responses[Math.min(i, responses.length - 1)];
          }
        });
    raw.start();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Test
  void answerWithoutExpiresIn_isUsedUntilRefused_neverGivenAnAssumedLifetime() throws IOException {
    answer(
        json(200, "{\"access_token\":\"a1\",\"token_type\":\"bearer\"}"),
        json(200, "{\"access_token\":\"a2\",\"token_type\":\"bearer\"}"));
    OAuthTokenSource source = sourceOn(raw.url("/token").toString());

    assertThat(source.accessToken()).isEqualTo("a1");
    clock.advance(Duration.ofDays(30));
    assertThat(source.accessToken()).isEqualTo("a1");
    assertThat(store.load("k").orElseThrow().accessTokenExpiresAt()).isEmpty();

    source.invalidateAccessToken("a1");

    assertThat(source.accessToken()).isEqualTo("a2");
    assertThat(raw.getRequestCount()).isEqualTo(2);
  }

  @Test
  void invalidatingATokenAlreadyReplaced_doesNotRefreshAgain() throws IOException {
    answer(
        json(200, "{\"access_token\":\"a1\",\"expires_in\":3600}"),
        json(200, "{\"access_token\":\"a2\",\"expires_in\":3600}"),
        json(200, "{\"access_token\":\"a3\",\"expires_in\":3600}"));
    OAuthTokenSource source = sourceOn(raw.url("/token").toString());
    source.accessToken();
    source.invalidateAccessToken("a1");
    assertThat(source.accessToken()).isEqualTo("a2");

    source.invalidateAccessToken("a1"); // a late 401 for the old token

    assertThat(source.accessToken()).isEqualTo("a2");
    assertThat(raw.getRequestCount()).isEqualTo(2);
  }

  @Test
  void retryAfterAsAnHttpDate_isReadAgainstTheInjectedClock() throws IOException {
    String in90s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));
    answer(
        new MockResponse.Builder()
            .code(503)
            .addHeader("Retry-After", in90s)
            .body("<html>busy</html>")
            .build());
    OAuthTokenSource source = sourceOn(raw.url("/token").toString());

    RetryLaterException e = catchThrowableOfType(RetryLaterException.class, source::accessToken);

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
  }

  @Test
  void oddAnswers_areTypedFailures() throws IOException {
    answer(
        json(200, "[\"not an object\"]"),
        json(200, "{\"access_token\":\"a\",\"expires_in\":\"soon\"}"),
        json(200, "{\"access_token\":\"a\",\"expires_in\":-5}"),
        json(200, "{\"access_token\":\"a\",\"refresh_token\":42}"),
        json(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad refresh-abc\"}"),
        json(200, "{\"access_token\":\"a\",\"expires_in\":\"3600\"}"));
    OAuthTokenSource source = sourceOn(raw.url("/token").toString());

    assertThatThrownBy(source::accessToken).isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(source::accessToken)
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("expires_in");
    assertThatThrownBy(source::accessToken).isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(source::accessToken)
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("refresh_token");
    ChannelException refused = catchThrowableOfType(ChannelException.class, source::accessToken);
    assertThat(refused)
        .isNotInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("invalid_request")
        .hasMessageNotContaining("refresh-abc"); // a description quoting a secret is redacted
    assertThat(source.accessToken()).isEqualTo("a"); // numeric strings are read leniently
  }

  @Test
  void failedSaveOfAnUnrotatedPair_doesNotBlockTheToken() {
    TokenEndpointEmulator lwa = TokenEndpointEmulator.amazonLwa(clock, "c", "s").build();
    raw.setDispatcher(lwa.asDispatcher());
    try {
      raw.start();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    String refresh = lwa.issueRefreshToken();
    store.failNextSaves.set(10);
    OAuthTokenSource source =
        OAuthTokenSource.builder()
            .tokenUrl(raw.url(lwa.path()).toString())
            .clientId("c")
            .clientSecret("s")
            .credentialsStore(store, "amz")
            .initialRefreshToken(refresh)
            .clock(clock)
            .build();

    String token = source.accessToken();

    assertThat(lwa.check(token)).isEqualTo(TokenEndpointEmulator.AccessCheck.VALID);
    assertThat(store.failedSaves.get()).isEqualTo(3);
  }

  @Test
  void manyCallsRefusedAtOnce_causeOneRefresh() throws Exception {
    TokenEndpointEmulator etsy = TokenEndpointEmulator.etsy(clock, "key", 1L).build();
    try (OAuthServer server = OAuthServer.etsy(etsy)) {
      OAuthTokenSource source =
          OAuthTokenSource.builder()
              .tokenUrl(server.tokenUrl())
              .clientId("key")
              .clientAuthentication(ClientAuthentication.NONE)
              .credentialsStore(store, "etsy")
              .initialRefreshToken(etsy.issueRefreshToken())
              .clock(clock)
              .build();
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(source.interceptor(AccessTokenHeader.bearer(), ExpiredTokenSignal.etsy()))
              .build();
      String expired = "Bearer " + source.accessToken();
      etsy.expireAccessTokens();
      int callers = 8;
      // Every caller's first request reaches the server before any of them is refused: once one
      // 401 is answered the source knows the token is dead, and a caller that had not sent yet
      // would wait for the refresh instead of being refused (a race the test must not depend on).
      CountDownLatch allRefused = new CountDownLatch(callers);
      // Counted on arrival: `presented` is appended after this hook, in whatever order the
      // server's threads get there, so a released first request may be recorded after a retry.
      AtomicInteger arrived = new AtomicInteger();
      server.onResource.add(
          () -> {
            if (arrived.incrementAndGet() <= callers) {
              allRefused.countDown();
              try {
                allRefused.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      server.beforeTokenAnswer.add(
          () -> {
            try {
              allRefused.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      List<Integer> codes = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(callers);
      for (int i = 0; i < callers; i++) {
        new Thread(
                () -> {
                  try (Response r =
                      client.newCall(new Request.Builder().url(server.resourceUrl()).build())
                          .execute()) {
                    codes.add(r.code());
                  } catch (IOException | RuntimeException e) {
                    codes.add(-1);
                  } finally {
                    done.countDown();
                  }
                })
            .start();
      }

      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(codes).hasSize(callers).containsOnly(200);
      assertThat(etsy.refreshesServed()).isEqualTo(2); // the first token, then one refresh
      // What is promised: every caller was refused once with the expired token and retried once
      // with the same single new token. Not promised: the order in which the server recorded
      // them (a first request can be recorded after another caller's retry).
      String fresh = "Bearer " + source.accessToken();
      assertThat(fresh).isNotEqualTo(expired);
      assertThat(server.presented).hasSize(2 * callers).containsOnly(expired, fresh);
      assertThat(server.presented.stream().filter(fresh::equals).count()).isEqualTo(callers);
      assertThat(etsy.refreshesServed()).isEqualTo(2); // reading the token did not refresh again
    }
  }
}
