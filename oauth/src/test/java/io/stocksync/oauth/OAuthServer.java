package io.stocksync.oauth;

import io.stocksync.testkit.oauth.TokenEndpointEmulator;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A MockWebServer serving a token endpoint emulator and a protected resource at {@code
 * /resource} that answers as the configured vendor does for a missing or expired token.
 */
final class OAuthServer implements AutoCloseable {
  final TokenEndpointEmulator tokens;
  final MockWebServer server = new MockWebServer();
  /** What the resource saw: the presented header value, in order. */
  final List<String> presented = new CopyOnWriteArrayList<>();
  /** Hooks run before a token request is answered (e.g. a latch). */
  final List<Runnable> beforeTokenAnswer = new CopyOnWriteArrayList<>();
  /** Hooks run when a resource request arrives, before it is judged. */
  final List<Runnable> onResource = new CopyOnWriteArrayList<>();

  private final String tokenHeader;
  private final Function<TokenEndpointEmulator.AccessCheck, MockResponse> resource;

  private OAuthServer(
      TokenEndpointEmulator tokens,
      String tokenHeader,
      Function<TokenEndpointEmulator.AccessCheck, MockResponse> resource)
      throws IOException {
    this.tokens = tokens;
    this.tokenHeader = tokenHeader;
    this.resource = resource;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (tokens.handles(request)) {
              beforeTokenAnswer.forEach(Runnable::run);
              return tokens.dispatch(request);
            }
            if (request.getUrl().encodedPath().equals("/resource")) {
              onResource.forEach(Runnable::run);
              String value = request.getHeaders().get(OAuthServer.this.tokenHeader);
              presented.add(Objects.requireNonNullElse(value, "<none>"));
              return OAuthServer.this.resource.apply(check(value));
            }
            return new MockResponse.Builder().code(404).build();
          }
        });
    server.start();
  }

  private TokenEndpointEmulator.AccessCheck check(String value) {
    return tokenHeader.equalsIgnoreCase("Authorization")
        ? tokens.checkBearer(value)
        : tokens.check(value);
  }

  /** Etsy: Bearer, 401 {"error": "..."} for a bad token. */
  static OAuthServer etsy(TokenEndpointEmulator tokens) throws IOException {
    return new OAuthServer(
        tokens,
        "Authorization",
        check ->
            check == TokenEndpointEmulator.AccessCheck.VALID
                ? json(200, "{\"count\":0,\"results\":[]}")
                : json(401, "{\"error\":\"invalid_token\"}"));
  }

  /** eBay: Bearer, 401 errorId 1001 for a bad token. */
  static OAuthServer ebay(TokenEndpointEmulator tokens) throws IOException {
    return new OAuthServer(
        tokens,
        "Authorization",
        check ->
            check == TokenEndpointEmulator.AccessCheck.VALID
                ? json(200, "{\"total\":0}")
                : json(
                    401,
                    "{\"errors\":[{\"errorId\":1001,\"domain\":\"OAuth\",\"category\":\"REQUEST\","
                        + "\"message\":\"Invalid access token\",\"longMessage\":\"Invalid access"
                        + " token. Check the value of the Authorization HTTP request header.\"}]}"));
  }

  /** Amazon SP-API: x-amz-access-token, 403 Unauthorized for a bad token. */
  static OAuthServer amazon(TokenEndpointEmulator tokens) throws IOException {
    return new OAuthServer(
        tokens,
        "x-amz-access-token",
        check ->
            check == TokenEndpointEmulator.AccessCheck.VALID
                ? json(200, "{\"items\":[]}")
                : json(
                    403,
                    "{\"errors\":[{\"code\":\"Unauthorized\",\"message\":\"Access to requested"
                        + " resource is denied.\",\"details\":\"The access token you provided has"
                        + " expired.\"}]}"));
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  String tokenUrl() {
    return server.url(tokens.path()).toString();
  }

  HttpUrl resourceUrl() {
    return server.url("/resource");
  }

  @Override
  public void close() {
    server.close();
  }
}
