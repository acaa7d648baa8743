package io.stocksync.oauth;

import io.stocksync.core.CredentialsException;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/** Sets the token header; on the expired-token signal, refreshes once and retries once. */
final class AccessTokenInterceptor implements Interceptor {
  /** Enough to see an error body's {@code errors[]}; a huge body is not an auth error. */
  private static final long PEEK_BYTES = 64 * 1024;

  private final OAuthTokenSource source;
  private final AccessTokenHeader header;
  private final ExpiredTokenSignal expired;

  AccessTokenInterceptor(
      OAuthTokenSource source, AccessTokenHeader header, ExpiredTokenSignal expired) {
    this.source = source;
    this.header = header;
    this.expired = expired;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request original = chain.request();
    String token = source.accessToken();
    Response response = chain.proceed(withToken(original, token));
    if (!isExpired(response)) {
      return response;
    }
    source.invalidateAccessToken(token);
    @Nullable RequestBody body = original.body();
    if (body != null && body.isOneShot()) {
      return response; // cannot send it again; the caller sees the refusal, the next call refreshes
    }
    response.close();
    String fresh = source.accessToken();
    Response retried = chain.proceed(withToken(original, fresh));
    if (isExpired(retried)) {
      int code = retried.code();
      retried.close();
      source.invalidateAccessToken(fresh);
      throw new CredentialsException(
          "the channel refused a freshly refreshed access token (HTTP " + code + " on "
              + original.method() + " " + original.url().encodedPath()
              + "); the seller must reconnect",
          null);
    }
    return retried;
  }

  private Request withToken(Request request, String token) {
    return request.newBuilder().header(header.name(), header.value(token)).build();
  }

  private boolean isExpired(Response response) throws IOException {
    if (response.isSuccessful()) {
      return false; // fast path: a 2xx is never the signal, don't buffer its body
    }
    return expired.isExpired(response.code(), response.peekBody(PEEK_BYTES).string());
  }
}
