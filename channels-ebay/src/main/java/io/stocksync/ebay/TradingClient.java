package io.stocksync.ebay;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.RetryLaterException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * Calls eBay's Trading API: XML over {@code POST /ws/api.dll} with the headers {@code
 * X-EBAY-API-CALL-NAME}, {@code X-EBAY-API-SITEID}, {@code X-EBAY-API-COMPATIBILITY-LEVEL} and the
 * OAuth user token in {@code X-EBAY-API-IAF-TOKEN} (set by the connector's auth interceptor), see
 * https://developer.ebay.com/api-docs/user-guides/static/trading-user-guide/making-a-call.html.
 * Answers are parsed with StAX (DTDs and external entities off). Every Trading answer is HTTP 200
 * with an {@code Ack}; errors carry {@code ErrorCode}, {@code SeverityCode}, {@code
 * ErrorClassification} and optional {@code ErrorParameters}
 * (https://developer.ebay.com/devzone/xml/docs/Reference/eBay/types/ErrorType.html).
 */
final class TradingClient {
  static final String NS = "urn:ebay:apis:eBLBaseComponents";
  /** The schema version we read and write (Trading API reference version 1451). */
  static final String COMPATIBILITY_LEVEL = "1451";
  private static final MediaType XML = MediaType.get("text/xml; charset=utf-8");
  /** Invalid / expired IAF token (Trading error codes 21916984, 21917053), auth token 931/932. */
  static final Set<String> TOKEN_ERRORS = Set.of("21916984", "21917053", "931", "932", "16110");
  /** Application call limit (518) and the short-duration limit (21919144, 21919165). */
  static final Set<String> LIMIT_ERRORS = Set.of("518", "21919144", "21919165", "218050");

  /** One Trading error as eBay reports it. */
  record TradingError(String code, String shortMessage, String longMessage, String severity,
      String classification, List<String> parameters) {
    boolean isError() {
      return !"Warning".equalsIgnoreCase(severity);
    }
  }

  /** A parsed answer: the root element, its Ack and errors. */
  record Answer(Xml.Element root, String ack, List<TradingError> errors) {}

  private final OkHttpClient http;
  private final HttpUrl endpoint;
  private final String siteId;
  private final @Nullable Consumer<String> refusedToken;

  /**
   * @param refusedToken told the token eBay refused inside an HTTP 200 answer (which the OAuth
   *     interceptor cannot see), so the next call refreshes; null with a fixed token
   */
  TradingClient(OkHttpClient http, HttpUrl endpoint, String siteId,
      @Nullable Consumer<String> refusedToken) {
    this.http = http;
    this.endpoint = endpoint;
    this.siteId = siteId;
    this.refusedToken = refusedToken;
  }

  /**
   * Sends one call; on a token error with a refreshing token source, reports the refused token
   * and sends the call once more with a fresh one.
   */
  Answer call(String callName, String innerXml) {
    try {
      return callOnce(callName, innerXml);
    } catch (TokenRefused e) {
      if (refusedToken == null || e.token == null) {
        throw e.failure;
      }
      refusedToken.accept(e.token);
      try {
        return callOnce(callName, innerXml);
      } catch (TokenRefused again) {
        throw again.failure;
      }
    }
  }

  /** A token error, carrying the refused token for the retry (never shown in messages). */
  private static final class TokenRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient @Nullable String token;
    final RuntimeException failure;

    TokenRefused(@Nullable String token, RuntimeException failure) {
      super(null, null, false, false);
      this.token = token;
      this.failure = failure;
    }
  }

  /**
   * Sends one call. A {@code Failure} Ack with no per-item parameters is turned into an exception;
   * callers that revise several items read per-item errors from the answer.
   */
  private Answer callOnce(String callName, String innerXml) {
    String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><" + callName + "Request xmlns=\""
        + NS + "\">" + innerXml + "<ErrorLanguage>en_US</ErrorLanguage>"
        + "<WarningLevel>High</WarningLevel></" + callName + "Request>";
    Request request = new Request.Builder().url(endpoint)
        .header("X-EBAY-API-CALL-NAME", callName)
        .header("X-EBAY-API-SITEID", siteId)
        .header("X-EBAY-API-COMPATIBILITY-LEVEL", COMPATIBILITY_LEVEL)
        .post(RequestBody.create(body, XML)).build();
    String text;
    int status;
    String sentToken;
    try (Response response = http.newCall(request).execute()) {
      status = response.code();
      sentToken = response.request().header("X-EBAY-API-IAF-TOKEN");
      ResponseBody rb = response.body();
      text = rb.string();
    } catch (IOException e) {
      throw new RetryLaterException("eBay Trading " + callName + " failed: " + e.getClass().getSimpleName(),
          null, null);
    }
    if (status >= 500 || status == 429) {
      throw new RetryLaterException("eBay Trading " + callName + " failed (HTTP " + status + ")", null, null);
    }
    if (status == 401 || status == 403) {
      throw new CredentialsException("eBay Trading " + callName + " refused the token (HTTP " + status + ")", null);
    }
    Xml.Element root;
    try {
      root = Xml.parse(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedResponseException("eBay Trading " + callName + " answer is not XML", e);
    }
    if (!root.name().equals(callName + "Response")) {
      throw new MalformedResponseException("eBay Trading " + callName + " answered "
          + root.name() + ", HTTP " + status, null);
    }
    String ack = String.valueOf(root.text("Ack"));
    List<TradingError> errors = new ArrayList<>();
    for (Xml.Element e : root.children("Errors")) {
      List<String> params = new ArrayList<>();
      for (Xml.Element p : e.children("ErrorParameters")) {
        String v = p.text("Value");
        if (v != null) {
          params.add(v);
        }
      }
      errors.add(new TradingError(orEmpty(e.text("ErrorCode")), orEmpty(e.text("ShortMessage")),
          orEmpty(e.text("LongMessage")), orEmpty(e.text("SeverityCode")),
          orEmpty(e.text("ErrorClassification")), List.copyOf(params)));
    }
    if (ack.equals("Failure")) {
      boolean perItem = errors.stream().anyMatch(e -> !e.parameters().isEmpty());
      if (!perItem) {
        RuntimeException failure = failure(callName, errors);
        if (failure instanceof CredentialsException) {
          throw new TokenRefused(sentToken, failure);
        }
        throw failure;
      }
    }
    return new Answer(root, ack, List.copyOf(errors));
  }

  private static RuntimeException failure(String callName, List<TradingError> errors) {
    StringBuilder what = new StringBuilder();
    boolean token = false;
    boolean limit = false;
    boolean system = false;
    for (TradingError e : errors) {
      if (!e.isError()) {
        continue;
      }
      what.append(what.length() == 0 ? "" : "; ").append(e.code()).append(' ').append(e.shortMessage());
      token |= TOKEN_ERRORS.contains(e.code());
      limit |= LIMIT_ERRORS.contains(e.code());
      system |= "SystemError".equalsIgnoreCase(e.classification());
    }
    String message = "eBay Trading " + callName + " failed: " + what;
    if (token) {
      return new CredentialsException(message, null);
    }
    if (limit) {
      // 21919144: blocked for the rest of the 15-second window; 518: the daily quota is spent.
      boolean shortWindow = errors.stream().anyMatch(e -> e.code().startsWith("2191"));
      return new RetryLaterException(message, shortWindow ? Duration.ofSeconds(15) : null, null);
    }
    if (system) {
      return new RetryLaterException(message, null, null);
    }
    return new ChannelException(message, null);
  }

  static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
