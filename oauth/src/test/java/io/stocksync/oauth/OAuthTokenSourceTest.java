package io.stocksync.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.oauth.TokenEndpointEmulator;
import io.stocksync.testkit.oauth.TokenEndpointEmulator.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthTokenSourceTest {
  private static final String KEYSTRING = "etsykeystring123";
  private static final String KEY = "store-etsy-1";

  private final ManualClock clock = ManualClock.startingAtEpochOf2026();
  private final RecordingCredentialsStore store = new RecordingCredentialsStore();
  private final List<String> secretsSeen = new CopyOnWriteArrayList<>();
  private OAuthServer server;
  private String initialRefresh;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void startServer() throws IOException {
    server =
        OAuthServer.etsy(
            TokenEndpointEmulator.etsy(clock, KEYSTRING, 12345678L)
                .accessTokenLifetime(Duration.ofMinutes(10))
                .build());
    initialRefresh = server.tokens.issueRefreshToken();
    secretsSeen.add(initialRefresh);
    // slf4j-simple writes to the current System.err: capture it to check log lines for secrets.
    originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(logs, originalErr), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopServer() {
    System.setErr(originalErr);
    server.close();
  }

  private OAuthTokenSource.Builder etsySource() {
    return OAuthTokenSource.builder()
        .tokenUrl(server.tokenUrl())
        .clientId(KEYSTRING)
        .clientAuthentication(ClientAuthentication.NONE)
        .credentialsStore(store, KEY)
        .initialRefreshToken(initialRefresh)
        .clock(clock)
        .refreshAhead(Duration.ofSeconds(60));
  }

  private String token(OAuthTokenSource source) {
    String token = source.accessToken();
    secretsSeen.add(token);
    store.saved.forEach(t -> secretsSeen.add(t.refreshToken()));
    return token;
  }

  // ------------------------------------------------------------------ expiry

  @Test
  void accessToken_isRefreshedOnceAndCachedUntilDue() {
    OAuthTokenSource source = etsySource().build();

    String first = token(source);
    String second = token(source);

    assertThat(second).isEqualTo(first);
    assertThat(first).startsWith("12345678.");
    assertThat(server.tokens.refreshesServed()).isEqualTo(1);
    assertThat(server.tokens.check(first)).isEqualTo(TokenEndpointEmulator.AccessCheck.VALID);
  }

  @Test
  void accessToken_refreshesAheadOfTheExpiryAnnouncedInExpiresIn() {
    OAuthTokenSource source = etsySource().build();
    String first = token(source);

    clock.advance(Duration.ofSeconds(539)); // lifetime 600 s, margin 60 s: not due yet
    assertThat(token(source)).isEqualTo(first);
    assertThat(server.tokens.refreshesServed()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1)); // 540 s: due, while the old one is still valid
    String second = token(source);

    assertThat(second).isNotEqualTo(first);
    assertThat(server.tokens.refreshesServed()).isEqualTo(2);
    assertThat(server.tokens.check(first)).isEqualTo(TokenEndpointEmulator.AccessCheck.VALID);
  }

  @Test
  void accessToken_withAShortLifetime_usesItForHalfItsLifeInsteadOfRefreshingAlways() {
    server.tokens.setAccessTokenLifetime(Duration.ofSeconds(40)); // shorter than the 60 s margin
    OAuthTokenSource source = etsySource().build();
    String first = token(source);

    clock.advance(Duration.ofSeconds(19));
    assertThat(token(source)).isEqualTo(first);
    clock.advance(Duration.ofSeconds(1));
    assertThat(token(source)).isNotEqualTo(first);
    assertThat(server.tokens.refreshesServed()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ single flight

  @Test
  void accessToken_underConcurrentCallers_makesOneRefreshAndAllGetItsToken() throws Exception {
    int callers = 12;
    OAuthTokenSource source = etsySource().build();
    CountDownLatch started = new CountDownLatch(callers);
    List<Thread> workers = new ArrayList<>();
    Set<Thread> refreshing = ConcurrentHashMap.newKeySet();
    // Hold the token answer until every caller is parked waiting for the one flight.
    server.beforeTokenAnswer.add(
        () -> {
          try {
            started.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (System.nanoTime() < deadline && !allWaiting(workers, refreshing)) {
            Thread.yield();
          }
        });
    List<String> got = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(callers);
    for (int i = 0; i < callers; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  started.countDown();
                  got.add(source.accessToken());
                } catch (Throwable e) {
                  failures.add(e);
                } finally {
                  done.countDown();
                }
              });
      workers.add(t);
    }
    workers.forEach(Thread::start);

    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(failures).isEmpty();
    assertThat(got).hasSize(callers);
    assertThat(Set.copyOf(got)).hasSize(1);
    assertThat(server.tokens.refreshesServed()).isEqualTo(1);
    assertThat(server.tokens.requestsReceived()).isEqualTo(1);
  }

  /** True when every worker but the one doing the refresh is parked or finished. */
  private static boolean allWaiting(List<Thread> workers, Set<Thread> refreshing) {
    int running = 0;
    for (Thread t : workers) {
      Thread.State s = t.getState();
      if (s == Thread.State.RUNNABLE || s == Thread.State.NEW) {
        running++;
      }
    }
    // The thread performing the HTTP call is RUNNABLE (blocked in socket read).
    return running <= 1;
  }

  // ------------------------------------------------------------------ interceptor

  @Test
  void interceptor_whenTheChannelSaysExpired_refreshesOnceAndRetriesOnce() throws IOException {
    OAuthTokenSource source = etsySource().build();
    OkHttpClient client = clientWith(source, AccessTokenHeader.bearer(), ExpiredTokenSignal.etsy());
    String before = token(source);
    server.tokens.expireAccessTokens(); // expired early: the source still believes it is valid

    try (Response response = client.newCall(get()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    assertThat(server.tokens.refreshesServed()).isEqualTo(2);
    assertThat(server.presented).hasSize(2);
    assertThat(server.presented.get(0)).isEqualTo("Bearer " + before);
    assertThat(server.presented.get(1)).isEqualTo("Bearer " + token(source)).isNotEqualTo(
        "Bearer " + before);
  }

  @Test
  void interceptor_whenTheFreshTokenIsRefusedToo_throwsCredentialsExceptionAfterOneRetry() {
    OAuthServer alwaysRefusing = server;
    alwaysRefusing.onResource.add(server.tokens::expireAccessTokens);
    OAuthTokenSource source = etsySource().build();
    OkHttpClient client = clientWith(source, AccessTokenHeader.bearer(), ExpiredTokenSignal.etsy());

    assertThatThrownBy(() -> client.newCall(get()).execute())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("HTTP 401");
    assertThat(server.presented).hasSize(2);
    assertThat(server.tokens.refreshesServed()).isEqualTo(2);
  }

  @Test
  void interceptor_onAValidToken_addsTheHeaderAndDoesNotRefreshAgain() throws IOException {
    OAuthTokenSource source = etsySource().build();
    OkHttpClient client = clientWith(source, AccessTokenHeader.bearer(), ExpiredTokenSignal.etsy());

    for (int i = 0; i < 3; i++) {
      try (Response response = client.newCall(get()).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }

    assertThat(server.tokens.refreshesServed()).isEqualTo(1);
    assertThat(Set.copyOf(server.presented)).hasSize(1);
  }

  // ------------------------------------------------------------------ rotation and the store

  @Test
  void rotation_savesTheNewPairBeforeItsAccessTokenIsUsed() throws IOException {
    OAuthTokenSource source = etsySource().build();
    OkHttpClient client = clientWith(source, AccessTokenHeader.bearer(), ExpiredTokenSignal.etsy());
    List<Optional<OAuthTokens>> storedWhenUsed = new CopyOnWriteArrayList<>();
    server.onResource.add(() -> storedWhenUsed.add(store.load(KEY)));

    try (Response response = client.newCall(get()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    assertThat(storedWhenUsed).hasSize(1);
    OAuthTokens stored = storedWhenUsed.get(0).orElseThrow();
    assertThat(server.presented.get(0)).isEqualTo("Bearer " + stored.accessToken().orElseThrow());
    assertThat(stored.refreshToken()).isNotEqualTo(initialRefresh);
    assertThat(server.tokens.isLive(stored.refreshToken())).isTrue();
    assertThat(server.tokens.isLive(initialRefresh)).isFalse();
    assertThat(stored.accessTokenExpiresAt()).contains(clock.instant().plusSeconds(600));
  }

  @Test
  void rotation_whenSavingFails_retriesLoudlyKeepsThePairAndNeverDropsIt() {
    OAuthTokenSource source = etsySource().saveAttempts(3).build();
    store.failNextSaves.set(4); // every attempt of the first call, and one more
    store.failureMessage = "vault down";

    RetryLaterException first = catchThrowableOfType(RetryLaterException.class, source::accessToken);

    assertThat(first).hasMessageContaining("kept in memory");
    assertThat(store.failedSaves.get()).isEqualTo(3);
    assertThat(store.load(KEY)).isEmpty();
    assertThat(server.tokens.isLive(initialRefresh)).isFalse(); // the old token is dead now
    assertThat(logs.toString(StandardCharsets.UTF_8))
        .contains("Could not save ROTATED OAuth tokens for key '" + KEY + "' (attempt 3/3)");

    // The next call saves the pending pair first and uses it: no second refresh, nothing lost.
    String token = token(source);

    assertThat(server.tokens.refreshesServed()).isEqualTo(1);
    assertThat(store.failedSaves.get()).isEqualTo(4);
    OAuthTokens saved = store.load(KEY).orElseThrow();
    assertThat(saved.accessToken()).contains(token);
    assertThat(server.tokens.isLive(saved.refreshToken())).isTrue();
    assertNoSecretIn(first.getMessage(), logs.toString(StandardCharsets.UTF_8));
  }

  @Test
  void restart_loadsTheNewestPairFromTheStoreAndReusesItsValidAccessToken() {
    OAuthTokenSource before = etsySource().build();
    String token = token(before);
    clock.advance(Duration.ofSeconds(540));
    String rotatedToken = token(before); // second rotation
    assertThat(rotatedToken).isNotEqualTo(token);

    // Restart: a new source over the same store, configured with the (dead) initial token.
    OAuthTokenSource after = etsySource().build();

    assertThat(token(after)).isEqualTo(rotatedToken);
    assertThat(server.tokens.refreshesServed()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(540));
    String next = token(after);
    assertThat(next).isNotEqualTo(rotatedToken);
    assertThat(server.tokens.invalidGrantsAnswered()).isZero();
    assertThat(store.load(KEY).orElseThrow().accessToken()).contains(next);
  }

  // ------------------------------------------------------------------ failures

  @Test
  void invalidGrant_throwsCredentialsException_andDoesNotSendTheDeadTokenAgain() {
    server.tokens.revoke(initialRefresh);
    OAuthTokenSource source = etsySource().build();

    CredentialsException e = catchThrowableOfType(CredentialsException.class, source::accessToken);
    assertThat(e).hasMessageContaining("invalid_grant").hasMessageContaining(KEY);
    assertThatThrownBy(source::accessToken).isInstanceOf(CredentialsException.class);

    assertThat(server.tokens.requestsReceived()).isEqualTo(1);
    assertNoSecretIn(e.getMessage(), logs.toString(StandardCharsets.UTF_8));
  }

  @Test
  void reconnect_afterInvalidGrant_usesTheNewTokens() {
    server.tokens.revoke(initialRefresh);
    OAuthTokenSource source = etsySource().build();
    assertThatThrownBy(source::accessToken).isInstanceOf(CredentialsException.class);

    String fresh = server.tokens.issueRefreshToken();
    secretsSeen.add(fresh);
    source.reconnect(OAuthTokens.ofRefreshToken(fresh));

    assertThat(server.tokens.check(token(source)))
        .isEqualTo(TokenEndpointEmulator.AccessCheck.VALID);
  }

  @Test
  void reconnect_duringARefresh_winsOverTheRefreshStartedBeforeIt() throws Exception {
    OAuthTokenSource source = etsySource().build();
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
    server.beforeTokenAnswer.add(
        () -> {
          if (first.getAndSet(false)) {
            arrived.countDown();
            try {
              proceed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    List<Throwable> outcome = new CopyOnWriteArrayList<>();
    Thread refreshing =
        new Thread(
            () -> {
              try {
                source.accessToken();
              } catch (Throwable e) {
                outcome.add(e);
              }
            });
    refreshing.start();
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

    String reauthorised = server.tokens.issueRefreshToken();
    secretsSeen.add(reauthorised);
    source.reconnect(OAuthTokens.ofRefreshToken(reauthorised));
    proceed.countDown();
    refreshing.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(outcome).singleElement().isInstanceOf(RetryLaterException.class);
    String token = token(source);
    assertThat(server.tokens.check(token)).isEqualTo(TokenEndpointEmulator.AccessCheck.VALID);
    assertThat(server.tokens.isLive(reauthorised)).isFalse(); // rotated by the refresh after it
    assertThat(store.load(KEY).orElseThrow().accessToken()).contains(token);
  }

  @Test
  void serverErrorsRateLimitsAndTimeouts_areRetryable() {
    OAuthTokenSource source =
        etsySource()
            .httpClient(new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build())
            .build();
    server.tokens.enqueueFault(Fault.SERVER_ERROR);
    server.tokens.enqueueFault(Fault.UNAVAILABLE);
    server.tokens.enqueueFault(Fault.TOO_MANY_REQUESTS);
    server.tokens.enqueueFault(Fault.STALL);

    assertThatThrownBy(source::accessToken)
        .isInstanceOf(RetryLaterException.class)
        .hasMessageContaining("HTTP 500");
    assertThatThrownBy(source::accessToken)
        .isInstanceOf(RetryLaterException.class)
        .hasMessageContaining("temporarily_unavailable");
    RetryLaterException limited =
        catchThrowableOfType(RetryLaterException.class, source::accessToken);
    assertThat(limited.retryAfter()).contains(Duration.ofSeconds(2));
    assertThatThrownBy(source::accessToken)
        .isInstanceOf(RetryLaterException.class)
        .hasMessageContaining("unreachable");

    // Nothing was consumed: the refresh token still works.
    assertThat(server.tokens.check(token(source)))
        .isEqualTo(TokenEndpointEmulator.AccessCheck.VALID);
  }

  @Test
  void malformedAnswers_areMalformedResponseExceptions() {
    OAuthTokenSource source = etsySource().build();
    server.tokens.enqueueFault(Fault.MALFORMED_JSON);
    server.tokens.enqueueFault(Fault.MISSING_ACCESS_TOKEN);

    assertThatThrownBy(source::accessToken)
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("unreadable");
    assertThatThrownBy(source::accessToken)
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("without an access_token");
  }

  @Test
  void noTokensAnywhere_isCredentialsException() {
    OAuthTokenSource source =
        OAuthTokenSource.builder()
            .tokenUrl(server.tokenUrl())
            .clientId(KEYSTRING)
            .clientAuthentication(ClientAuthentication.NONE)
            .credentialsStore(new InMemoryCredentialsStore(), "nothing-here")
            .clock(clock)
            .build();

    assertThatThrownBy(source::accessToken)
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("nothing-here");
    assertThat(server.tokens.requestsReceived()).isZero();
  }

  // ------------------------------------------------------------------ secrets

  @Test
  void redact_removesEveryTokenItKnows_includingRotatedAwayOnes() {
    OAuthTokenSource source = etsySource().build();
    String a1 = token(source);
    clock.advance(Duration.ofSeconds(540));
    String a2 = token(source);
    String text =
        "old=" + initialRefresh + " a1=" + a1 + " a2=" + a2 + " rt=" + store.saved.get(0)
            .refreshToken();

    assertThat(source.redact(text))
        .isEqualTo("old=[redacted] a1=[redacted] a2=[redacted] rt=[redacted]");
    assertThat(source.redact(null)).isNull();
    assertThat(source.toString()).doesNotContain(a2);
    assertThat(store.load(KEY).orElseThrow().toString())
        .doesNotContain(a2)
        .contains("[redacted]");
  }

  @Test
  void builder_namesTheMissingField() {
    assertThatThrownBy(
            () ->
                OAuthTokenSource.builder()
                    .tokenUrl(server.tokenUrl())
                    .clientId("id")
                    .clientAuthentication(ClientAuthentication.BASIC)
                    .credentialsStore(store, KEY)
                    .build())
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("clientSecret");
    assertThatThrownBy(() -> OAuthTokenSource.builder().tokenUrl("not a url"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("tokenUrl");
    assertThatThrownBy(() -> OAuthTokenSource.builder().extraParam("refresh_token", "x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("set by the source");
  }

  // ------------------------------------------------------------------ helpers

  private void assertNoSecretIn(String... texts) {
    List<String> secrets = new ArrayList<>(secretsSeen);
    store.saved.forEach(
        t -> {
          secrets.add(t.refreshToken());
          t.accessToken().ifPresent(secrets::add);
        });
    for (String text : texts) {
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }

  private OkHttpClient clientWith(
      OAuthTokenSource source, AccessTokenHeader header, ExpiredTokenSignal signal) {
    return new OkHttpClient.Builder().addInterceptor(source.interceptor(header, signal)).build();
  }

  private Request get() {
    return new Request.Builder().url(server.resourceUrl()).build();
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }
}
