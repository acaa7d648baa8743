package io.stocksync.testkit.oauth;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth 2.0 token endpoint answering the refresh-token grant (RFC 6749 §6) the way Etsy, eBay
 * or Login with Amazon do: the emulators of those channels embed it in their MockWebServer
 * dispatcher ({@link #handles}, {@link #dispatch}) and ask it whether a presented access token is
 * valid ({@link #check}); a test can also serve it alone ({@link #asDispatcher()}).
 *
 * <p>It is as strict as the real services: the grant type, the refresh token and the client
 * authentication of the configured style are required; the request encoding must be form (or
 * JSON where the vendor accepts it); a refresh token rotated away or revoked answers {@code
 * invalid_grant} with the vendor's error body. Access tokens expire on the injected clock after
 * the configured lifetime. Faults are queued one per request.
 *
 * <p>Thread-safe.
 */
public final class TokenEndpointEmulator {

  /** How the emulated endpoint expects the client to authenticate. */
  public enum ClientAuth {
    /** HTTP Basic with client id and secret (eBay). */
    BASIC,
    /** {@code client_id} and {@code client_secret} form fields (Login with Amazon). */
    BODY,
    /** A public client: only {@code client_id} (Etsy). */
    NONE
  }

  /** What a resource endpoint should make of a presented access token. */
  public enum AccessCheck {
    /** Issued here, not expired, not revoked. */
    VALID,
    /** Issued here, past its lifetime (or expired on purpose by the test). */
    EXPIRED,
    /** Never issued here, revoked, or absent. */
    UNKNOWN
  }

  /** A failure the next token request answers with instead of serving it. */
  public enum Fault {
    /** HTTP 500 with an OAuth {@code server_error} body. */
    SERVER_ERROR,
    /** HTTP 503 with {@code temporarily_unavailable}. */
    UNAVAILABLE,
    /** HTTP 429 with {@code Retry-After: 2}. */
    TOO_MANY_REQUESTS,
    /** HTTP 200 whose JSON is cut off. */
    MALFORMED_JSON,
    /** HTTP 200, valid JSON, no {@code access_token}. */
    MISSING_ACCESS_TOKEN,
    /** The request is read and no response is ever written: the client times out. */
    STALL
  }

  private static final Moshi MOSHI = new Moshi.Builder().build();
  private static final JsonAdapter<Object> JSON_IN = MOSHI.adapter(Object.class);
  private static final JsonAdapter<Map<String, Object>> JSON_OUT =
      MOSHI.adapter(Types.newParameterizedType(Map.class, String.class, Object.class));
  private static final String JSON_TYPE = "application/json;charset=UTF-8";

  private final String path;
  private final String clientId;
  private final @Nullable String clientSecret;
  private final ClientAuth clientAuth;
  private final boolean acceptsJsonRequests;
  private final boolean answersAsForm;
  private final boolean rotatesRefreshTokens;
  private final boolean returnsUnchangedRefreshToken;
  private final String tokenPrefix;
  private final String tokenType;
  private final Set<String> requiredParams;
  private final @Nullable String invalidGrantDescription;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private final Object lock = new Object();
  // All guarded by lock.
  private Duration accessTokenLifetime;
  private final Map<String, Boolean> refreshTokens = new HashMap<>(); // token -> alive
  private final Map<String, IssuedAccess> accessTokens = new HashMap<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<String> requestLog = new ArrayList<>();
  private int refreshesServed;
  private int requestsReceived;
  private int invalidGrantsAnswered;

  private record IssuedAccess(String refreshToken, Instant expiresAt, boolean revoked) {}

  private TokenEndpointEmulator(Builder b) {
    this.path = b.path;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.clientAuth = b.clientAuth;
    this.acceptsJsonRequests = b.acceptsJsonRequests;
    this.answersAsForm = b.answersAsForm;
    this.rotatesRefreshTokens = b.rotatesRefreshTokens;
    this.returnsUnchangedRefreshToken = b.returnsUnchangedRefreshToken;
    this.tokenPrefix = b.tokenPrefix;
    this.tokenType = b.tokenType;
    this.requiredParams = Set.copyOf(b.requiredParams);
    this.invalidGrantDescription = b.invalidGrantDescription;
    this.clock = b.clock;
    this.accessTokenLifetime = b.accessTokenLifetime;
  }

  /**
   * Starts a builder with neutral defaults (path {@code /oauth/token}, client auth BODY, form
   * only, 1-hour tokens, no rotation).
   *
   * @param clock the clock deciding expiry
   * @return the builder
   */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /**
   * Etsy's endpoint: {@code POST /v3/public/oauth/token}, public client ({@code client_id} = the
   * keystring), refresh token rotated on every refresh, tokens {@code {user_id}.{opaque}}, 1-hour
   * access tokens, {@code {"error":"invalid_grant"}} for a dead refresh token.
   *
   * @param clock the clock
   * @param keystring the app's keystring (client id)
   * @param userId the numeric user id tokens are prefixed with
   * @return a builder preset for Etsy
   */
  public static Builder etsy(Clock clock, String keystring, long userId) {
    return new Builder(clock)
        .path("/v3/public/oauth/token")
        .client(ClientAuth.NONE, keystring, null)
        .rotatesRefreshTokens(true)
        .tokenPrefix(userId + ".")
        .tokenType("Bearer")
        .accessTokenLifetime(Duration.ofHours(1))
        .invalidGrantDescription(null);
  }

  /**
   * eBay's endpoint: {@code POST /identity/v1/oauth2/token}, HTTP Basic client credentials,
   * {@code scope} required, the refresh token neither rotated nor echoed, 2-hour user tokens,
   * eBay's {@code invalid_grant} description.
   *
   * @param clock the clock
   * @param clientId the App ID
   * @param clientSecret the Cert ID
   * @return a builder preset for eBay
   */
  public static Builder ebay(Clock clock, String clientId, String clientSecret) {
    return new Builder(clock)
        .path("/identity/v1/oauth2/token")
        .client(ClientAuth.BASIC, clientId, clientSecret)
        .requireParam("scope")
        .rotatesRefreshTokens(false)
        .returnsUnchangedRefreshToken(false)
        .tokenPrefix("v^1.1#i^1#")
        .tokenType("User Access Token")
        .accessTokenLifetime(Duration.ofHours(2))
        .invalidGrantDescription(
            "the provided authorization refresh token is invalid or was issued to another client");
  }

  /**
   * Login with Amazon: {@code POST /auth/o2/token}, client id and secret as fields, form or JSON
   * requests, the same refresh token echoed back, 1-hour {@code Atza|} access tokens, LWA's
   * {@code invalid_grant} description.
   *
   * @param clock the clock
   * @param clientId the LWA client identifier
   * @param clientSecret the LWA client secret
   * @return a builder preset for Login with Amazon
   */
  public static Builder amazonLwa(Clock clock, String clientId, String clientSecret) {
    return new Builder(clock)
        .path("/auth/o2/token")
        .client(ClientAuth.BODY, clientId, clientSecret)
        .acceptsJsonRequests(true)
        .rotatesRefreshTokens(false)
        .returnsUnchangedRefreshToken(true)
        .tokenPrefix("Atza|")
        .tokenType("bearer")
        .accessTokenLifetime(Duration.ofHours(1))
        .invalidGrantDescription("The request has an invalid grant parameter : refresh_token");
  }

  // ================================================================= test controls

  /**
   * Issues a live refresh token, as the authorization-code grant would after the seller consented.
   *
   * @return the refresh token
   */
  public String issueRefreshToken() {
    String token = newToken(refreshPrefix());
    synchronized (lock) {
      refreshTokens.put(token, Boolean.TRUE);
    }
    return token;
  }

  private String refreshPrefix() {
    // LWA tells the two kinds apart by prefix (Atza| access, Atzr| refresh); others share one.
    return "Atza|".equals(tokenPrefix) ? "Atzr|" : tokenPrefix;
  }

  /**
   * Revokes a refresh token and every access token issued from it (a password change, revoked
   * consent): refreshing with it answers {@code invalid_grant}.
   *
   * @param refreshToken the token
   */
  public void revoke(String refreshToken) {
    synchronized (lock) {
      refreshTokens.computeIfPresent(refreshToken, (k, v) -> Boolean.FALSE);
      accessTokens.replaceAll(
          (k, v) ->
              v.refreshToken().equals(refreshToken)
                  ? new IssuedAccess(v.refreshToken(), v.expiresAt(), true)
                  : v);
    }
  }

  /** Revokes every refresh token and access token issued so far. */
  public void revokeAll() {
    List<String> all;
    synchronized (lock) {
      all = List.copyOf(refreshTokens.keySet());
    }
    all.forEach(this::revoke);
  }

  /** Makes every access token issued so far expired now, ahead of its lifetime. */
  public void expireAccessTokens() {
    synchronized (lock) {
      Instant now = clock.instant();
      accessTokens.replaceAll(
          (k, v) -> v.expiresAt().isAfter(now) ? new IssuedAccess(v.refreshToken(), now, v.revoked())
              : v);
    }
  }

  /**
   * Changes the lifetime of access tokens issued from now on.
   *
   * @param lifetime more than zero
   */
  public void setAccessTokenLifetime(Duration lifetime) {
    requirePositive(lifetime);
    synchronized (lock) {
      accessTokenLifetime = lifetime;
    }
  }

  /**
   * Queues a fault for the next token request (faults are answered in order, one per request).
   *
   * @param fault the fault
   */
  public void enqueueFault(Fault fault) {
    synchronized (lock) {
      faults.add(Objects.requireNonNull(fault, "fault"));
    }
  }

  /**
   * Says whether a refresh token would be accepted now.
   *
   * @param refreshToken the token
   * @return true when it was issued here and neither rotated away nor revoked
   */
  public boolean isLive(String refreshToken) {
    synchronized (lock) {
      return Boolean.TRUE.equals(refreshTokens.get(refreshToken));
    }
  }

  /**
   * Judges an access token presented to a resource endpoint.
   *
   * @param accessToken the token, or null when none was sent
   * @return the verdict on the clock's current instant
   */
  public AccessCheck check(@Nullable String accessToken) {
    if (accessToken == null) {
      return AccessCheck.UNKNOWN;
    }
    synchronized (lock) {
      IssuedAccess issued = accessTokens.get(accessToken);
      if (issued == null || issued.revoked()) {
        return AccessCheck.UNKNOWN;
      }
      return clock.instant().isBefore(issued.expiresAt()) ? AccessCheck.VALID : AccessCheck.EXPIRED;
    }
  }

  /**
   * Judges an {@code Authorization: Bearer <token>} header value.
   *
   * @param authorizationHeader the header value, or null when absent
   * @return the verdict; UNKNOWN when the header is not a Bearer header
   */
  public AccessCheck checkBearer(@Nullable String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return AccessCheck.UNKNOWN;
    }
    return check(authorizationHeader.substring(7).trim());
  }

  /**
   * Counts the refresh grants served with new tokens.
   *
   * @return the count
   */
  public int refreshesServed() {
    synchronized (lock) {
      return refreshesServed;
    }
  }

  /**
   * Counts every request that reached the endpoint, served or not.
   *
   * @return the count
   */
  public int requestsReceived() {
    synchronized (lock) {
      return requestsReceived;
    }
  }

  /**
   * Counts the {@code invalid_grant} answers.
   *
   * @return the count
   */
  public int invalidGrantsAnswered() {
    synchronized (lock) {
      return invalidGrantsAnswered;
    }
  }

  /**
   * Returns the bodies of the requests received, in order, for assertions on what a client sent
   * (they hold secrets: never print them outside a test).
   *
   * @return the raw bodies
   */
  public List<String> requestBodies() {
    synchronized (lock) {
      return List.copyOf(requestLog);
    }
  }

  // ================================================================= HTTP

  /**
   * Says whether a request is addressed to this endpoint.
   *
   * @param request the request
   * @return true when its path is the token path
   */
  public boolean handles(RecordedRequest request) {
    return path.equals(request.getUrl().encodedPath());
  }

  /**
   * Answers a request addressed to this endpoint.
   *
   * @param request the request
   * @return the response
   */
  public MockResponse dispatch(RecordedRequest request) {
    ByteString raw = request.getBody();
    String body = raw == null ? "" : raw.utf8();
    @Nullable Fault fault;
    synchronized (lock) {
      requestsReceived++;
      requestLog.add(body);
      fault = faults.poll();
    }
    if (fault != null) {
      return faultResponse(fault);
    }
    if (!"POST".equals(request.getMethod())) {
      return error(405, "invalid_request", "The token endpoint only accepts POST");
    }

    Map<String, String> fields;
    String contentType = String.valueOf(request.getHeaders().get("Content-Type"));
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    try {
      if (mediaType.equals("application/x-www-form-urlencoded")) {
        fields = parseForm(body);
      } else if (mediaType.equals("application/json") && acceptsJsonRequests) {
        fields = parseJson(body);
      } else {
        return error(400, "invalid_request", "Unsupported content type: " + mediaType);
      }
    } catch (IOException | RuntimeException e) {
      return error(400, "invalid_request", "Malformed request body");
    }

    // Client authentication first (RFC 6749 §5.2: invalid_client answers 401).
    @Nullable MockResponse clientRefused = authenticateClient(request, fields);
    if (clientRefused != null) {
      return clientRefused;
    }
    String grantType = fields.get("grant_type");
    if (grantType == null) {
      return error(400, "invalid_request", "grant_type is required");
    }
    if (!grantType.equals("refresh_token")) {
      return error(400, "unsupported_grant_type", "Unsupported grant_type: " + grantType);
    }
    for (String required : requiredParams) {
      if (fields.get(required) == null || fields.get(required).isBlank()) {
        return error(400, "invalid_request", required + " is required");
      }
    }
    String presented = fields.get("refresh_token");
    if (presented == null || presented.isBlank()) {
      return error(400, "invalid_request", "refresh_token is required");
    }
    return refresh(presented);
  }

  private MockResponse refresh(String presented) {
    String access;
    String refresh;
    Duration lifetime;
    synchronized (lock) {
      if (!Boolean.TRUE.equals(refreshTokens.get(presented))) {
        invalidGrantsAnswered++;
        return invalidGrant();
      }
      lifetime = accessTokenLifetime;
      access = newToken(tokenPrefix);
      refresh = presented;
      if (rotatesRefreshTokens) {
        refresh = newToken(refreshPrefix());
        refreshTokens.put(presented, Boolean.FALSE); // the old one dies now
        refreshTokens.put(refresh, Boolean.TRUE);
      }
      accessTokens.put(access, new IssuedAccess(refresh, clock.instant().plus(lifetime), false));
      refreshesServed++;
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", access);
    answer.put("token_type", tokenType);
    answer.put("expires_in", lifetime.toSeconds());
    if (rotatesRefreshTokens || returnsUnchangedRefreshToken) {
      answer.put("refresh_token", refresh);
    }
    if (answersAsForm) {
      StringBuilder form = new StringBuilder();
      answer.forEach(
          (k, v) -> {
            if (form.length() > 0) {
              form.append('&');
            }
            form.append(k).append('=').append(
                java.net.URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
          });
      return new MockResponse.Builder()
          .code(200)
          .addHeader("Content-Type", "application/x-www-form-urlencoded")
          .addHeader("Cache-Control", "no-store")
          .body(form.toString())
          .build();
    }
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", JSON_TYPE)
        .addHeader("Cache-Control", "no-store")
        .body(JSON_OUT.toJson(answer))
        .build();
  }

  private @Nullable MockResponse authenticateClient(
      RecordedRequest request, Map<String, String> fields) {
    switch (clientAuth) {
      case BASIC -> {
        String header = request.getHeaders().get("Authorization");
        String expected =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(header)) {
          return error(401, "invalid_client", "client authentication failed");
        }
      }
      case BODY -> {
        if (!clientId.equals(fields.get("client_id"))
            || !Objects.equals(clientSecret, fields.get("client_secret"))) {
          return error(401, "invalid_client", "Client authentication failed");
        }
      }
      case NONE -> {
        if (!clientId.equals(fields.get("client_id"))) {
          return error(401, "invalid_client", "Unknown client_id");
        }
      }
    }
    return null;
  }

  private MockResponse invalidGrant() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", "invalid_grant");
    if (invalidGrantDescription != null) {
      body.put("error_description", invalidGrantDescription);
    }
    return json(400, JSON_OUT.toJson(body));
  }

  private MockResponse faultResponse(Fault fault) {
    return switch (fault) {
      case SERVER_ERROR -> error(500, "server_error", "Internal error");
      case UNAVAILABLE -> error(503, "temporarily_unavailable", "Try again later");
      case TOO_MANY_REQUESTS ->
          new MockResponse.Builder()
              .code(429)
              .addHeader("Content-Type", JSON_TYPE)
              .addHeader("Retry-After", "2")
              .body("{\"error\":\"rate_limited\"}")
              .build();
      case MALFORMED_JSON -> json(200, "{\"access_token\":\"" + tokenPrefix + "abc");
      case MISSING_ACCESS_TOKEN -> json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600}");
      case STALL ->
          new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
    };
  }

  private static MockResponse error(int code, String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return json(code, JSON_OUT.toJson(body));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", JSON_TYPE)
        .addHeader("Cache-Control", "no-store")
        .body(body)
        .build();
  }

  /**
   * Serves this endpoint alone: its path is answered, everything else is 404.
   *
   * @return a dispatcher for {@code MockWebServer.setDispatcher}
   */
  public Dispatcher asDispatcher() {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (handles(request)) {
          return TokenEndpointEmulator.this.dispatch(request);
        }
        return json(404, "{\"error\":\"not_found\"}");
      }
    };
  }

  /**
   * Returns the token path.
   *
   * @return e.g. {@code /v3/public/oauth/token}
   */
  public String path() {
    return path;
  }

  private String newToken(String prefix) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(name, value);
    }
    return out;
  }

  private static Map<String, String> parseJson(String body) throws IOException {
    @Nullable Object parsed = JSON_IN.fromJson(body);
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IOException("not a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getKey() instanceof String k && e.getValue() instanceof String v) {
        out.put(k, v);
      }
    }
    return out;
  }

  private static void requirePositive(Duration lifetime) {
    if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime <= 0: " + lifetime);
    }
  }

  // ================================================================= builder

  /** Configures a {@link TokenEndpointEmulator}. Not thread-safe. */
  public static final class Builder {
    private final Clock clock;
    private String path = "/oauth/token";
    private String clientId = "client-id";
    private @Nullable String clientSecret = "client-secret";
    private ClientAuth clientAuth = ClientAuth.BODY;
    private boolean acceptsJsonRequests;
    private boolean answersAsForm;
    private boolean rotatesRefreshTokens;
    private boolean returnsUnchangedRefreshToken = true;
    private String tokenPrefix = "";
    private String tokenType = "Bearer";
    private final List<String> requiredParams = new ArrayList<>();
    private @Nullable String invalidGrantDescription;
    private Duration accessTokenLifetime = Duration.ofHours(1);

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sets the token path.
     *
     * @param path starting with {@code /}
     * @return this builder
     */
    public Builder path(String path) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with /: " + path);
      }
      this.path = path;
      return this;
    }

    /**
     * Sets the client the endpoint knows and how it must authenticate.
     *
     * @param auth the style
     * @param clientId the client id
     * @param clientSecret the secret; null only for {@link ClientAuth#NONE}
     * @return this builder
     */
    public Builder client(ClientAuth auth, String clientId, @Nullable String clientSecret) {
      if (auth != ClientAuth.NONE && clientSecret == null) {
        throw new IllegalArgumentException("clientSecret == null with " + auth);
      }
      this.clientAuth = Objects.requireNonNull(auth, "auth");
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      this.clientSecret = clientSecret;
      return this;
    }

    /**
     * Accepts JSON request bodies besides form bodies (Login with Amazon does).
     *
     * @param accepts true to accept
     * @return this builder
     */
    public Builder acceptsJsonRequests(boolean accepts) {
      this.acceptsJsonRequests = accepts;
      return this;
    }

    /**
     * Answers {@code application/x-www-form-urlencoded} instead of JSON.
     *
     * @param asForm true for form answers
     * @return this builder
     */
    public Builder answersAsForm(boolean asForm) {
      this.answersAsForm = asForm;
      return this;
    }

    /**
     * Issues a new refresh token on every refresh and kills the presented one (Etsy).
     *
     * @param rotates true to rotate
     * @return this builder
     */
    public Builder rotatesRefreshTokens(boolean rotates) {
      this.rotatesRefreshTokens = rotates;
      return this;
    }

    /**
     * Without rotation, echoes the unchanged refresh token in the answer (Amazon) or leaves it
     * out (eBay).
     *
     * @param returns true to echo it
     * @return this builder
     */
    public Builder returnsUnchangedRefreshToken(boolean returns) {
      this.returnsUnchangedRefreshToken = returns;
      return this;
    }

    /**
     * Sets the text every issued token starts with (Etsy: {@code "{user_id}."}).
     *
     * @param prefix the prefix, may be empty
     * @return this builder
     */
    public Builder tokenPrefix(String prefix) {
      this.tokenPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Sets the {@code token_type} answered.
     *
     * @param type e.g. {@code Bearer}
     * @return this builder
     */
    public Builder tokenType(String type) {
      this.tokenType = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * Requires a request field besides the grant's own (eBay requires {@code scope}).
     *
     * @param name the field name
     * @return this builder
     */
    public Builder requireParam(String name) {
      requiredParams.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * Sets the {@code error_description} of the {@code invalid_grant} answer; null for none.
     *
     * @param description the vendor's text
     * @return this builder
     */
    public Builder invalidGrantDescription(@Nullable String description) {
      this.invalidGrantDescription = description;
      return this;
    }

    /**
     * Sets the access token lifetime, announced in {@code expires_in}.
     *
     * @param lifetime more than zero
     * @return this builder
     */
    public Builder accessTokenLifetime(Duration lifetime) {
      requirePositive(lifetime);
      this.accessTokenLifetime = lifetime;
      return this;
    }

    /**
     * Builds the emulator.
     *
     * @return the emulator
     */
    public TokenEndpointEmulator build() {
      return new TokenEndpointEmulator(this);
    }
  }
}
