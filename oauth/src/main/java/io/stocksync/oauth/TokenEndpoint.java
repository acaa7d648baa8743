package io.stocksync.oauth;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/** The refresh-token grant on the wire (RFC 6749 §6 request, §5.1 answer, §5.2 errors). */
final class TokenEndpoint {
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final JsonAdapter<Object> JSON = new Moshi.Builder().build().adapter(Object.class);
  private static final JsonAdapter<Map<String, String>> JSON_OUT =
      new Moshi.Builder()
          .build()
          .adapter(
              com.squareup.moshi.Types.newParameterizedType(Map.class, String.class, String.class));
  /** Refusals that mean the app's own credentials are wrong: no retry helps, an operator must. */
  private static final Set<String> CLIENT_REFUSED =
      Set.of("invalid_client", "unauthorized_client", "access_denied");
  private static final Set<String> TRANSIENT = Set.of("temporarily_unavailable", "server_error");
  private static final int MAX_DESCRIPTION = 200;

  private final HttpUrl url;
  private final String clientId;
  private final @Nullable String clientSecret;
  private final ClientAuthentication authentication;
  private final TokenRequestEncoding encoding;
  private final Map<String, String> extraParams;
  private final OkHttpClient http;
  private final UnaryOperator<@Nullable String> redactor;
  private final Clock clock;

  TokenEndpoint(
      HttpUrl url,
      String clientId,
      @Nullable String clientSecret,
      ClientAuthentication authentication,
      TokenRequestEncoding encoding,
      Map<String, String> extraParams,
      OkHttpClient http,
      UnaryOperator<@Nullable String> redactor,
      Clock clock) {
    this.url = url;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.authentication = authentication;
    this.encoding = encoding;
    this.extraParams = extraParams;
    this.http = http;
    this.redactor = redactor;
    this.clock = clock;
  }

  HttpUrl url() {
    return url;
  }

  /** What a successful refresh returned. */
  record Answer(String accessToken, @Nullable String refreshToken, @Nullable Duration expiresIn) {
    @Override
    public String toString() {
      return "Answer{expiresIn=" + expiresIn + "}";
    }
  }

  /**
   * Exchanges a refresh token.
   *
   * @throws InvalidGrantException when the refresh token is dead
   */
  Answer refresh(String refreshToken) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "refresh_token");
    fields.put("refresh_token", refreshToken);
    if (authentication != ClientAuthentication.BASIC) {
      fields.put("client_id", clientId);
    }
    if (authentication == ClientAuthentication.BODY && clientSecret != null) {
      fields.put("client_secret", clientSecret);
    }
    fields.putAll(extraParams);

    RequestBody body;
    if (encoding == TokenRequestEncoding.JSON) {
      body = RequestBody.create(JSON_OUT.toJson(fields), JSON_TYPE);
    } else {
      FormBody.Builder form = new FormBody.Builder(StandardCharsets.UTF_8);
      fields.forEach(form::add);
      body = form.build();
    }
    Request.Builder request =
        new Request.Builder().url(url).post(body).header("Accept", "application/json");
    if (authentication == ClientAuthentication.BASIC && clientSecret != null) {
      request.header("Authorization", Credentials.basic(clientId, clientSecret));
    }

    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody responseBody = response.body();
      String text = responseBody.string();
      @Nullable MediaType type = responseBody.contentType();
      if (response.isSuccessful()) {
        return parseAnswer(response.code(), text, type);
      }
      throw refusal(response, text, type);
    } catch (IOException e) {
      throw new RetryLaterException(
          "token endpoint unreachable: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + redactor.apply(e.getMessage())),
          null,
          null);
    }
  }

  private Answer parseAnswer(int code, String text, @Nullable MediaType type) {
    Map<String, @Nullable Object> fields;
    try {
      fields = parseFields(text, type);
    } catch (IOException | RuntimeException e) {
      throw new MalformedResponseException(
          "token endpoint answered HTTP " + code + " with an unreadable body ("
              + e.getClass().getSimpleName() + ")",
          null);
    }
    @Nullable Object access = fields.get("access_token");
    if (!(access instanceof String accessToken) || accessToken.isBlank()) {
      throw new MalformedResponseException(
          "token endpoint answered HTTP " + code + " without an access_token", null);
    }
    @Nullable Object refresh = fields.get("refresh_token");
    @Nullable String refreshToken = null;
    if (refresh instanceof String s && !s.isBlank()) {
      refreshToken = s;
    } else if (refresh != null && !(refresh instanceof String)) {
      throw new MalformedResponseException(
          "token endpoint answered a refresh_token that is not a string", null);
    }
    return new Answer(accessToken, refreshToken, expiresIn(fields.get("expires_in")));
  }

  private static @Nullable Duration expiresIn(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    double seconds;
    if (value instanceof Number n) {
      seconds = n.doubleValue();
    } else if (value instanceof String s) {
      // Some endpoints send numbers as strings; RFC 6749 says number, be lenient in what we read.
      try {
        seconds = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new MalformedResponseException("token endpoint answered expires_in=" + s, null);
      }
    } else {
      throw new MalformedResponseException("token endpoint answered a non-numeric expires_in", null);
    }
    if (!(seconds >= 0) || seconds > Integer.MAX_VALUE || seconds != Math.rint(seconds)) {
      throw new MalformedResponseException(
          "token endpoint answered expires_in outside whole seconds 0.." + Integer.MAX_VALUE, null);
    }
    return Duration.ofSeconds((long) seconds);
  }

  private RuntimeException refusal(Response response, String text, @Nullable MediaType type) {
    int code = response.code();
    @Nullable String error = null;
    @Nullable String description = null;
    try {
      Map<String, @Nullable Object> fields = parseFields(text, type);
      error = fields.get("error") instanceof String s ? s : null;
      description = fields.get("error_description") instanceof String s ? s : null;
    } catch (IOException | RuntimeException e) {
      // An error page that is not JSON (a proxy's HTML): judged by status alone.
    }
    String said =
        "HTTP "
            + code
            + (error == null ? "" : " " + clip(redactor.apply(error)))
            + (description == null ? "" : ": " + clip(redactor.apply(description)));
    if ("invalid_grant".equals(error)) {
      return new InvalidGrantException(said);
    }
    if (error != null && CLIENT_REFUSED.contains(error)) {
      return new CredentialsException(
          "token endpoint refused the app's client credentials (" + said + ")", null);
    }
    if (code == 429 || code >= 500 || (error != null && TRANSIENT.contains(error))) {
      return new RetryLaterException(
          "token endpoint unavailable (" + said + ")",
          retryAfter(response.header("Retry-After")),
          null);
    }
    return new ChannelException("token endpoint refused the refresh (" + said + ")", null);
  }

  private static String clip(@Nullable String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_DESCRIPTION ? s : s.substring(0, MAX_DESCRIPTION) + "...";
  }

  /** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
  private @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> parseFields(String text, @Nullable MediaType type)
      throws IOException {
    if (type != null && "x-www-form-urlencoded".equalsIgnoreCase(type.subtype())) {
      Map<String, @Nullable Object> out = new LinkedHashMap<>();
      for (String pair : text.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        out.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
      return out;
    }
    @Nullable Object parsed = JSON.fromJson(text);
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IOException("not a JSON object");
    }
    return (Map<String, @Nullable Object>) map;
  }
}
