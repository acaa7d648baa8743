package io.stocksync.oauth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.StockSyncException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out valid OAuth 2.0 access tokens for one store, refreshing them with the store's refresh
 * token (RFC 6749 §6) at the channel's token endpoint.
 *
 * <ul>
 *   <li><b>Ahead of expiry.</b> A token is refreshed {@link Builder#refreshAhead} before the
 *       expiry its response announced in {@code expires_in} (capped at half the lifetime); no
 *       lifetime is ever assumed: a response without {@code expires_in} is used until the channel
 *       refuses the token.
 *   <li><b>Single flight.</b> However many threads call {@link #accessToken()} while a refresh is
 *       due, one request goes to the endpoint and all of them get its answer (or its failure).
 *       The token is cached with Caffeine on the injected {@link Clock}.
 *   <li><b>Rotation.</b> When the endpoint returns a new refresh token (Etsy does on every
 *       refresh; the old one dies), the new pair is saved to the {@link CredentialsStore}
 *       <em>before</em> the new access token is handed out. A failed save is logged as an error
 *       (without secrets) and retried; if it keeps failing, the pair stays in memory, the call
 *       fails with {@link RetryLaterException}, and the next call tries to save it again before
 *       anything else: the newest pair is never dropped. A new source over the same store (a
 *       restart) loads the newest pair and reuses its access token while it is valid.
 *   <li><b>Failures.</b> {@code invalid_grant} (a dead or revoked refresh token) and a refused
 *       client → {@link CredentialsException} (the engine moves the store to NEEDS_REAUTH); a
 *       dead refresh token is not sent again until the store holds a different one (see {@link
 *       #reconnect}). HTTP 5xx, 429, {@code temporarily_unavailable}, I/O errors and timeouts →
 *       {@link RetryLaterException} (with {@code Retry-After} when given). An unreadable 2xx →
 *       {@link MalformedResponseException}; any other refusal → {@link ChannelException}.
 *   <li><b>Secrets.</b> No token or client secret appears in an exception, a log line or {@code
 *       toString()}; {@link #redact(String)} strips every secret this source knows (including
 *       rotated-away refresh tokens and older access tokens), for {@code ChannelConnector.redact}.
 * </ul>
 *
 * <p>Connectors install {@link #interceptor(AccessTokenHeader, ExpiredTokenSignal)} on their
 * {@link OkHttpClient}. The client given to {@link Builder#httpClient} is the one used for the
 * token endpoint and must not carry that interceptor.
 *
 * <p>Thread-safe.
 */
public final class OAuthTokenSource {
  private static final Logger log = LoggerFactory.getLogger(OAuthTokenSource.class);
  private static final String KEY = "access";
  private static final String REDACTED = "[redacted]";
  /** Rotated-away tokens we keep redacting; old ones are long dead, a bound keeps memory flat. */
  private static final int MAX_REMEMBERED_SECRETS = 64;

  private final TokenEndpoint endpoint;
  private final CredentialsStore store;
  private final String key;
  private final @Nullable String initialRefreshToken;
  private final Clock clock;
  private final Duration refreshAhead;
  private final int saveAttempts;
  private final AsyncCache<String, Grant> cache;

  private final Object lock = new Object();
  // Guarded by lock. The pair in use; null until the first refresh loads it from the store.
  private @Nullable OAuthTokens current;
  // Guarded by lock. True while `current` holds a rotated pair the store has not accepted yet.
  private boolean pendingSave;
  // Guarded by lock. A refresh token the endpoint answered invalid_grant for.
  private @Nullable String deadRefreshToken;
  // Guarded by lock. An access token the channel refused; never handed out again.
  private @Nullable String rejectedAccessToken;
  // Guarded by lock. Bumped by reconnect(): a refresh started before it must not install its pair.
  private long generation;
  // Guarded by itself. Every secret seen, newest last.
  private final LinkedHashMap<String, Boolean> secrets = new LinkedHashMap<>();
  private final List<String> permanentSecrets;

  private OAuthTokenSource(Builder b) {
    this.endpoint =
        new TokenEndpoint(
            Objects.requireNonNull(b.tokenUrl),
            Objects.requireNonNull(b.clientId),
            b.clientSecret,
            b.clientAuthentication,
            b.requestEncoding,
            Map.copyOf(b.extraParams),
            b.httpClient != null ? b.httpClient : defaultClient(),
            this::redact,
            b.clock);
    this.store = Objects.requireNonNull(b.credentialsStore);
    this.key = Objects.requireNonNull(b.credentialsKey);
    this.initialRefreshToken = b.initialRefreshToken;
    this.clock = b.clock;
    this.refreshAhead = b.refreshAhead;
    this.saveAttempts = b.saveAttempts;
    List<String> fixed = new ArrayList<>();
    if (b.clientSecret != null) {
      fixed.add(b.clientSecret);
      fixed.add(Credentials.basic(b.clientId, b.clientSecret).substring("Basic ".length()));
    }
    this.permanentSecrets = List.copyOf(fixed);
    if (b.initialRefreshToken != null) {
      remember(b.initialRefreshToken);
    }
    this.cache =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .ticker(() -> epochNanos(clock.instant()))
            .expireAfter(new GrantExpiry())
            .buildAsync();
  }

  private static OkHttpClient defaultClient() {
    return new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
  }

  private static long epochNanos(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a valid access token, refreshing it first when it is due; concurrent callers share one
   * refresh.
   *
   * @return the access token
   * @throws CredentialsException if the refresh token is dead or revoked ({@code invalid_grant}),
   *     the client is refused, or there are no tokens at all: the store must be reconnected
   * @throws RetryLaterException if the endpoint or the credentials store failed transiently, or a
   *     rotated pair could not be saved yet (it is kept and saved on a later call)
   * @throws ChannelException if the endpoint refused the request for another reason or answered
   *     something unreadable ({@link MalformedResponseException})
   */
  public String accessToken() {
    for (int attempt = 0; ; attempt++) {
      CompletableFuture<Grant> mine = new CompletableFuture<>();
      CompletableFuture<Grant> shared = cache.get(KEY, (k, executor) -> mine);
      if (shared == mine) {
        // This thread won the flight: run the refresh outside Caffeine's locks.
        try {
          mine.complete(obtain());
        } catch (RuntimeException | Error e) {
          mine.completeExceptionally(e);
        }
      }
      Grant grant = await(shared);
      // Caffeine's expiry already evicts due grants; this guards the instant between its check
      // and ours, and never loops twice.
      if (attempt == 0 && grant.isDue(clock.instant())) {
        cache.asMap().remove(KEY, shared);
        continue;
      }
      return grant.accessToken();
    }
  }

  private static Grant await(CompletableFuture<Grant> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StockSyncException s) {
        throw s;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new ChannelException("OAuth token refresh failed: " + cause.getClass().getName(), null);
    }
  }

  /**
   * Forgets an access token the channel refused, so the next {@link #accessToken()} refreshes. A
   * token that was already replaced is ignored, so many calls refused at once cause one refresh.
   * The interceptor calls this; call it yourself when a channel reports an expired token in a way
   * the interceptor cannot see (e.g. inside an HTTP 200 body).
   *
   * @param refusedAccessToken the token the channel refused
   */
  public void invalidateAccessToken(String refusedAccessToken) {
    Objects.requireNonNull(refusedAccessToken, "refusedAccessToken");
    synchronized (lock) {
      rejectedAccessToken = refusedAccessToken;
    }
    @Nullable CompletableFuture<Grant> cached = cache.getIfPresent(KEY);
    if (cached != null
        && cached.isDone()
        && !cached.isCompletedExceptionally()
        && cached.join().accessToken().equals(refusedAccessToken)) {
      cache.asMap().remove(KEY, cached);
    }
  }

  /**
   * Installs new tokens after the seller authorised the app again (the way out of NEEDS_REAUTH):
   * saves them to the credentials store, then drops every cached token and failure.
   *
   * @param tokens the tokens from the new authorisation
   * @throws RetryLaterException if the credentials store could not save them (nothing changed)
   */
  public void reconnect(OAuthTokens tokens) {
    Objects.requireNonNull(tokens, "tokens");
    remember(tokens);
    try {
      store.save(key, tokens);
    } catch (RuntimeException e) {
      log.error(
          "Could not save reconnected OAuth tokens for key '{}': {}", key, describe(e));
      throw new RetryLaterException(
          "could not save reconnected OAuth tokens for key '" + key + "': " + describe(e),
          null,
          null);
    }
    synchronized (lock) {
      generation++;
      current = tokens;
      pendingSave = false;
      deadRefreshToken = null;
      rejectedAccessToken = null;
    }
    cache.synchronous().invalidateAll();
  }

  /**
   * Returns an OkHttp application interceptor that sets the access token header on every request
   * and, when the response carries the expired-token signal, refreshes once and retries the
   * request once. A request whose body is one-shot is not retried (its refused response is
   * returned, and the next request uses a fresh token).
   *
   * <p>The interceptor throws this source's unchecked exceptions from {@code Call.execute()}
   * ({@link CredentialsException} when the token is refused again right after a refresh, or when
   * the refresh itself says the grant is dead). Use synchronous calls, as the connectors do.
   *
   * @param header where the token goes
   * @param expired how the channel says the token expired
   * @return the interceptor, for {@link OkHttpClient.Builder#addInterceptor}
   */
  public Interceptor interceptor(AccessTokenHeader header, ExpiredTokenSignal expired) {
    return new AccessTokenInterceptor(
        this, Objects.requireNonNull(header, "header"), Objects.requireNonNull(expired, "expired"));
  }

  /**
   * Replaces every secret this source knows (client secret and its Basic form, refresh tokens
   * including rotated-away ones, access tokens, raw and URL-encoded) with {@code [redacted]}.
   * Connectors delegate {@code ChannelConnector.redact} to it.
   *
   * @param text any text, e.g. an exception message or a response body
   * @return the text without secrets, or null when it was null
   */
  public @Nullable String redact(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<String> known = new ArrayList<>(permanentSecrets);
    synchronized (secrets) {
      known.addAll(secrets.keySet());
    }
    List<String> variants = new ArrayList<>();
    for (String secret : known) {
      variants.add(secret);
      String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
      if (!encoded.equals(secret)) {
        variants.add(encoded);
      }
    }
    // Longest first, so a secret containing another is removed whole.
    variants.sort(Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String v : variants) {
      if (!v.isEmpty()) {
        out = out.replace(v, REDACTED);
      }
    }
    return out;
  }

  /** Shows the credentials key and endpoint, never a secret. */
  @Override
  public String toString() {
    return "OAuthTokenSource{key=" + key + ", tokenUrl=" + endpoint.url() + "}";
  }

  // ----------------------------------------------------------------- the refresh (single flight)

  /** Runs in exactly one thread at a time: the one that won the cache's flight. */
  private Grant obtain() {
    long startedIn;
    synchronized (lock) {
      startedIn = generation;
    }
    OAuthTokens tokens = currentTokens();
    Instant now = clock.instant();
    @Nullable String reusable = tokens.accessToken().orElse(null);
    @Nullable String rejected;
    synchronized (lock) {
      rejected = rejectedAccessToken;
    }
    if (reusable != null && !reusable.equals(rejected)) {
      // A stored access token (restart, or a save that finally succeeded) still valid: use it.
      Grant grant = Grant.of(reusable, tokens.accessTokenExpiresAt().orElse(null), null, refreshAhead);
      if (!grant.isDue(now)) {
        return grant;
      }
    }

    TokenEndpoint.Answer answer;
    try {
      answer = endpoint.refresh(tokens.refreshToken());
    } catch (InvalidGrantException e) {
      synchronized (lock) {
        deadRefreshToken = tokens.refreshToken();
      }
      log.warn("OAuth refresh token for key '{}' was refused: {}", key, e.getMessage());
      throw new CredentialsException(
          "the channel refused the refresh token for key '" + key + "' (" + e.getMessage()
              + "); the seller must reconnect",
          null);
    }
    remember(answer.accessToken());
    if (answer.refreshToken() != null) {
      remember(answer.refreshToken());
    }
    Instant issuedAt = clock.instant();
    @Nullable Instant expiresAt =
        answer.expiresIn() == null ? null : issuedAt.plus(answer.expiresIn());
    String refresh = answer.refreshToken() != null ? answer.refreshToken() : tokens.refreshToken();
    OAuthTokens next = OAuthTokens.of(refresh, answer.accessToken(), expiresAt);
    boolean rotated = !refresh.equals(tokens.refreshToken());
    boolean superseded;
    synchronized (lock) {
      superseded = generation != startedIn;
      if (!superseded) {
        // Kept before the save: if saving fails, this pair (the only working one) survives.
        current = next;
        pendingSave = rotated;
        rejectedAccessToken = null;
      }
    }
    if (superseded) {
      // The seller re-authorised while this refresh ran: its tokens replace the old lineage.
      throw new RetryLaterException(
          "the OAuth tokens for key '" + key + "' were replaced during a refresh; call again", null,
          null);
    }
    log.debug(
        "Refreshed OAuth access token for key '{}' (expires in {}, refresh token rotated: {})",
        key,
        answer.expiresIn() == null ? "an unannounced time" : answer.expiresIn(),
        rotated);
    persist(next, rotated);
    return Grant.of(answer.accessToken(), expiresAt, answer.expiresIn(), refreshAhead);
  }

  /** The pair to refresh with: in memory, else the store's newest, else the initial token. */
  private OAuthTokens currentTokens() {
    OAuthTokens mem;
    boolean pending;
    @Nullable String dead;
    synchronized (lock) {
      mem = current;
      pending = pendingSave;
      dead = deadRefreshToken;
    }
    if (mem != null && pending) {
      persist(mem, true); // throws while the store still fails
      return mem;
    }
    if (mem != null && !mem.refreshToken().equals(dead)) {
      return mem;
    }
    Optional<OAuthTokens> stored;
    try {
      stored = store.load(key);
    } catch (RuntimeException e) {
      log.error("Could not load OAuth tokens for key '{}': {}", key, describe(e));
      throw new RetryLaterException(
          "could not load OAuth tokens for key '" + key + "': " + describe(e), null, null);
    }
    @Nullable OAuthTokens loaded = stored.orElse(null);
    if (loaded == null && initialRefreshToken != null) {
      loaded = OAuthTokens.ofRefreshToken(initialRefreshToken);
    }
    if (loaded == null) {
      throw new CredentialsException(
          "no OAuth tokens stored under key '" + key + "' and no initial refresh token; connect"
              + " the store",
          null);
    }
    if (loaded.refreshToken().equals(dead)) {
      throw new CredentialsException(
          "the refresh token for key '" + key + "' was refused (invalid_grant) and the store holds"
              + " no newer one; the seller must reconnect",
          null);
    }
    remember(loaded);
    synchronized (lock) {
      current = loaded;
      pendingSave = false;
    }
    return loaded;
  }

  /**
   * Saves a pair. A rotated pair must be durable before its access token is used: when every
   * attempt fails, it stays pending in memory and the caller gets {@link RetryLaterException}. A
   * pair whose refresh token did not change only loses its access token if not saved: warn, go on.
   */
  private void persist(OAuthTokens tokens, boolean rotated) {
    @Nullable RuntimeException last = null;
    for (int attempt = 1; attempt <= saveAttempts; attempt++) {
      try {
        store.save(key, tokens);
        synchronized (lock) {
          if (tokens.equals(current)) {
            pendingSave = false;
          }
        }
        if (attempt > 1) {
          log.warn("Saved OAuth tokens for key '{}' on attempt {}", key, attempt);
        }
        return;
      } catch (RuntimeException e) {
        last = e;
        if (rotated) {
          log.error(
              "Could not save ROTATED OAuth tokens for key '{}' (attempt {}/{}); the old refresh"
                  + " token is dead, the new pair is kept in memory only: {}",
              key,
              attempt,
              saveAttempts,
              describe(e));
        } else {
          log.warn(
              "Could not save refreshed OAuth tokens for key '{}' (attempt {}/{}): {}",
              key,
              attempt,
              saveAttempts,
              describe(e));
        }
      }
    }
    if (rotated) {
      throw new RetryLaterException(
          "rotated OAuth tokens for key '"
              + key
              + "' could not be saved to the credentials store ("
              + (last == null ? "no attempt" : describe(last))
              + "); they are kept in memory and saved before the next use",
          null,
          null);
    }
  }

  /** An exception's class and redacted message: store exceptions may quote what they stored. */
  private String describe(RuntimeException e) {
    return e.getClass().getSimpleName() + ": " + redact(String.valueOf(e.getMessage()));
  }

  private void remember(OAuthTokens tokens) {
    remember(tokens.refreshToken());
    tokens.accessToken().ifPresent(this::remember);
  }

  private void remember(String secret) {
    synchronized (secrets) {
      secrets.remove(secret);
      secrets.put(secret, Boolean.TRUE);
      while (secrets.size() > MAX_REMEMBERED_SECRETS) {
        secrets.remove(secrets.keySet().iterator().next());
      }
    }
  }

  // ----------------------------------------------------------------- cache entry

  /** An access token and when to stop handing it out. */
  private record Grant(String accessToken, @Nullable Instant refreshAt) {
    static Grant of(
        String accessToken,
        @Nullable Instant expiresAt,
        @Nullable Duration lifetime,
        Duration refreshAhead) {
      if (expiresAt == null) {
        return new Grant(accessToken, null); // no lifetime announced: use until refused
      }
      Duration margin = refreshAhead;
      if (lifetime != null && margin.compareTo(lifetime.dividedBy(2)) > 0) {
        // A short-lived token is still used for at least half its life.
        margin = lifetime.dividedBy(2);
      }
      return new Grant(accessToken, expiresAt.minus(margin));
    }

    boolean isDue(Instant now) {
      return refreshAt != null && !now.isBefore(refreshAt);
    }

    @Override
    public String toString() {
      return "Grant{refreshAt=" + refreshAt + "}";
    }
  }

  /** Expires each grant at its refresh instant, measured on the injected clock. */
  private final class GrantExpiry implements Expiry<String, Grant> {
    @Override
    public long expireAfterCreate(String key, Grant grant, long currentTime) {
      if (grant.refreshAt() == null) {
        return Long.MAX_VALUE;
      }
      return Math.max(0, epochNanos(grant.refreshAt()) - currentTime);
    }

    @Override
    public long expireAfterUpdate(
        String key, Grant grant, long currentTime, long currentDuration) {
      return expireAfterCreate(key, grant, currentTime);
    }

    @Override
    public long expireAfterRead(String key, Grant grant, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  // ----------------------------------------------------------------- builder

  /**
   * Builds an {@link OAuthTokenSource}. Required: {@link #tokenUrl}, {@link #clientId}, {@link
   * #credentialsStore}; a {@link #clientSecret} unless the authentication is {@link
   * ClientAuthentication#NONE}. Not thread-safe.
   */
  public static final class Builder {
    private static final List<String> RESERVED =
        List.of("grant_type", "refresh_token", "client_id", "client_secret");

    private @Nullable HttpUrl tokenUrl;
    private @Nullable String clientId;
    private @Nullable String clientSecret;
    private ClientAuthentication clientAuthentication = ClientAuthentication.BODY;
    private TokenRequestEncoding requestEncoding = TokenRequestEncoding.FORM;
    private final Map<String, String> extraParams = new LinkedHashMap<>();
    private @Nullable CredentialsStore credentialsStore;
    private @Nullable String credentialsKey;
    private @Nullable String initialRefreshToken;
    private Clock clock = Clock.systemUTC();
    private Duration refreshAhead = Duration.ofSeconds(60);
    private @Nullable OkHttpClient httpClient;
    private int saveAttempts = 3;

    private Builder() {}

    /**
     * Sets the token endpoint, e.g. {@code https://api.ebay.com/identity/v1/oauth2/token}.
     *
     * @param url an http or https URL
     * @return this builder
     * @throws InvalidInputException if the URL is not a valid http(s) URL
     */
    public Builder tokenUrl(String url) {
      @Nullable HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
      if (parsed == null) {
        throw new InvalidInputException("tokenUrl", "not an http(s) URL");
      }
      this.tokenUrl = parsed;
      return this;
    }

    /**
     * Sets the token endpoint.
     *
     * @param url the URL
     * @return this builder
     */
    public Builder tokenUrl(HttpUrl url) {
      this.tokenUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Sets the app's client id (Etsy: the API keystring; eBay: the App ID; Amazon: the LWA client
     * identifier).
     *
     * @param clientId the client id
     * @return this builder
     */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /**
     * Sets the client secret; required for {@link ClientAuthentication#BASIC} and {@link
     * ClientAuthentication#BODY}. It is never logged or shown.
     *
     * @param clientSecret the secret
     * @return this builder
     */
    public Builder clientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
      return this;
    }

    /**
     * Sets how the client authenticates; default {@link ClientAuthentication#BODY}.
     *
     * @param authentication the style
     * @return this builder
     */
    public Builder clientAuthentication(ClientAuthentication authentication) {
      this.clientAuthentication = Objects.requireNonNull(authentication, "authentication");
      return this;
    }

    /**
     * Sets how the refresh request is encoded; default {@link TokenRequestEncoding#FORM}. Answers
     * are read as JSON or form, whichever the response's content type says.
     *
     * @param encoding the encoding
     * @return this builder
     */
    public Builder requestEncoding(TokenRequestEncoding encoding) {
      this.requestEncoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    /**
     * Adds a field sent with every refresh, e.g. eBay's {@code scope} (space-separated scopes).
     *
     * @param name the field name; not one this source sets itself
     * @param value the value
     * @return this builder
     * @throws InvalidInputException if the name is blank or reserved
     */
    public Builder extraParam(String name, String value) {
      if (name == null || name.isBlank()) {
        throw new InvalidInputException("extraParam", "name must not be blank");
      }
      if (RESERVED.contains(name)) {
        throw new InvalidInputException("extraParam", "'" + name + "' is set by the source");
      }
      if (value == null) {
        throw new InvalidInputException("extraParam", "value of '" + name + "' is null");
      }
      extraParams.put(name, value);
      return this;
    }

    /**
     * Sets where the tokens are kept and under which key (typically the store id).
     *
     * @param store the credentials store
     * @param key the key
     * @return this builder
     */
    public Builder credentialsStore(CredentialsStore store, String key) {
      this.credentialsStore = store;
      this.credentialsKey = key;
      return this;
    }

    /**
     * Sets the refresh token to start from when the credentials store holds none under the key
     * (first connection). Ignored once the store holds a pair.
     *
     * @param refreshToken the refresh token
     * @return this builder
     */
    public Builder initialRefreshToken(String refreshToken) {
      this.initialRefreshToken = refreshToken;
      return this;
    }

    /**
     * Sets the clock that decides when a token is due; default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how long before its expiry a token is refreshed; default 60 seconds (what Amazon's own
     * client does). Capped at half of each token's lifetime.
     *
     * @param margin zero or more
     * @return this builder
     * @throws InvalidInputException if negative
     */
    public Builder refreshAhead(Duration margin) {
      if (margin == null || margin.isNegative()) {
        throw new InvalidInputException("refreshAhead", "must be zero or more: " + margin);
      }
      this.refreshAhead = margin;
      return this;
    }

    /**
     * Sets the client used for the token endpoint; default a client with a 30-second call
     * timeout. It must not carry this source's own interceptor.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(OkHttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Sets how many times in a row a save to the credentials store is tried per refresh; default
     * 3.
     *
     * @param attempts at least 1
     * @return this builder
     * @throws InvalidInputException if less than 1
     */
    public Builder saveAttempts(int attempts) {
      if (attempts < 1) {
        throw new InvalidInputException("saveAttempts", "must be at least 1: " + attempts);
      }
      this.saveAttempts = attempts;
      return this;
    }

    /**
     * Builds the source. No request is made until the first {@link #accessToken()}.
     *
     * @return the source
     * @throws InvalidInputException naming the first missing or inconsistent setting
     */
    public OAuthTokenSource build() {
      if (tokenUrl == null) {
        throw new InvalidInputException("tokenUrl", "is required");
      }
      if (clientId == null || clientId.isBlank()) {
        throw new InvalidInputException("clientId", "is required");
      }
      if (clientAuthentication != ClientAuthentication.NONE
          && (clientSecret == null || clientSecret.isBlank())) {
        throw new InvalidInputException(
            "clientSecret", "is required with client authentication " + clientAuthentication);
      }
      if (credentialsStore == null) {
        throw new InvalidInputException("credentialsStore", "is required");
      }
      if (credentialsKey == null || credentialsKey.isBlank()) {
        throw new InvalidInputException("credentialsKey", "is required");
      }
      if (initialRefreshToken != null && initialRefreshToken.isBlank()) {
        throw new InvalidInputException("initialRefreshToken", "must not be blank");
      }
      return new OAuthTokenSource(this);
    }
  }
}
