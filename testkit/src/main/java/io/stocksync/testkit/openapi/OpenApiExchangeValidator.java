package io.stocksync.testkit.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.report.ValidationReport.Level;
import com.atlassian.oai.validator.report.ValidationReport.Message;
import com.atlassian.oai.validator.report.ValidationReport.MessageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Records every HTTP exchange between a connector and an emulator and validates each request and
 * response against the vendor's OpenAPI 3 or Swagger 2.0 documents, with Atlassian's
 * swagger-request-validator. A test installs it on either side:
 *
 * <ul>
 *   <li>{@link #interceptor()} on the connector's {@code OkHttpClient} (add it last, after the
 *       auth interceptor, so it sees the headers the connector really sends);
 *   <li>{@link #wrap(Dispatcher)} around the emulator's dispatcher, which sees the request as it
 *       arrived on the wire, whatever client sent it.
 * </ul>
 *
 * <p>Then {@link #assertNoViolations()} fails the test with one line per problem: the operation,
 * the field (parameter name or JSON pointer) and the validator's message. Several documents may
 * be given (eBay's Inventory and Fulfillment APIs): each exchange is checked against the first
 * whose paths match it. Paths outside every document (a token endpoint) can be {@linkplain
 * Builder#excludePathPrefix excluded}. Thread-safe.
 */
public final class OpenApiExchangeValidator {
  /** Validator keys meaning "this document has no such path": try the next document. */
  private static final Set<String> NOT_IN_THIS_SPEC =
      Set.of("validation.request.path.missing");
  private static final long MAX_BODY = 16L * 1024 * 1024;

  /** The operation the validator matched last on this thread (it validates synchronously). */
  private static final ThreadLocal<@Nullable String> MATCHED_OPERATION = new ThreadLocal<>();

  private final List<Spec> specs;
  private final List<String> excludedPrefixes;
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  private record Spec(String name, OpenApiInteractionValidator validator) {}

  private OpenApiExchangeValidator(List<Spec> specs, List<String> excludedPrefixes) {
    this.specs = List.copyOf(specs);
    this.excludedPrefixes = List.copyOf(excludedPrefixes);
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
   * A validator for one document with default settings.
   *
   * @param spec the OpenAPI 3 or Swagger 2.0 document (JSON or YAML)
   * @return the validator
   */
  public static OpenApiExchangeValidator forSpec(Path spec) {
    return builder().spec(spec).build();
  }

  // ------------------------------------------------------------------ recording

  /**
   * Returns a client-side recorder: an OkHttp application interceptor that validates each
   * exchange after it completes and passes the response on untouched.
   *
   * @return the interceptor
   */
  public Interceptor interceptor() {
    return chain -> {
      Request request = chain.request();
      Response response = chain.proceed(request);
      @Nullable RequestBody body = request.body();
      String requestBody = "";
      @Nullable String requestType = null;
      if (body != null) {
        Buffer buffer = new Buffer();
        if (!body.isOneShot()) {
          body.writeTo(buffer);
        }
        requestBody = buffer.readUtf8();
        MediaType type = body.contentType();
        requestType = type == null ? null : type.toString();
      }
      String responseBody = response.peekBody(MAX_BODY).string();
      record(
          request.method(),
          request.url(),
          request.headers(),
          requestType,
          requestBody,
          response.code(),
          response.headers(),
          responseBody);
      return response;
    };
  }

  /**
   * Returns a server-side recorder: a dispatcher that answers with the given one and validates
   * each exchange.
   *
   * @param delegate the emulator's dispatcher
   * @return the recording dispatcher, for {@code MockWebServer.setDispatcher}
   */
  public Dispatcher wrap(Dispatcher delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        MockResponse response = delegate.dispatch(request);
        ByteString body = request.getBody();
        String responseBody = "";
        @Nullable MockResponseBody mockBody = response.getBody();
        if (mockBody != null) {
          Buffer buffer = new Buffer();
          try {
            mockBody.writeTo(buffer);
          } catch (IOException e) {
            throw new IllegalStateException("could not read the emulator's response body", e);
          }
          responseBody = buffer.readUtf8();
        }
        record(
            request.getMethod(),
            request.getUrl(),
            request.getHeaders(),
            request.getHeaders().get("Content-Type"),
            body == null ? "" : body.utf8(),
            response.getCode(),
            response.getHeaders(),
            responseBody);
        return response;
      }

      @Override
      public MockResponse peek() {
        return delegate.peek();
      }

      @Override
      public void close() {
        delegate.close();
      }
    };
  }

  /**
   * Validates one exchange given piece by piece (for recorders of other HTTP stacks).
   *
   * @param method the HTTP method
   * @param url the full request URL
   * @param requestHeaders the request headers
   * @param requestContentType the request body's content type, or null
   * @param requestBody the request body, empty for none
   * @param status the response status
   * @param responseHeaders the response headers
   * @param responseBody the response body, empty for none
   * @return the recorded exchange with its violations
   */
  public Exchange record(
      String method,
      HttpUrl url,
      Headers requestHeaders,
      @Nullable String requestContentType,
      String requestBody,
      int status,
      Headers responseHeaders,
      String responseBody) {
    String path = url.encodedPath();
    for (String prefix : excludedPrefixes) {
      if (path.startsWith(prefix)) {
        Exchange skipped = new Exchange(method, path, status, "(excluded)", List.of(), true);
        exchanges.add(skipped);
        return skipped;
      }
    }
    SimpleRequest.Builder req =
        new SimpleRequest.Builder(method.toUpperCase(Locale.ROOT), path);
    for (String name : requestHeaders.names()) {
      req.withHeader(name, requestHeaders.values(name));
    }
    if (requestContentType != null && requestHeaders.get("Content-Type") == null) {
      req.withContentType(requestContentType);
    }
    for (String name : url.queryParameterNames()) {
      List<String> values = new ArrayList<>();
      for (@Nullable String v : url.queryParameterValues(name)) {
        values.add(v == null ? "" : v);
      }
      req.withQueryParam(name, values);
    }
    if (!requestBody.isEmpty()) {
      req.withBody(requestBody, StandardCharsets.UTF_8);
    }
    SimpleResponse.Builder res = new SimpleResponse.Builder(status);
    for (String name : responseHeaders.names()) {
      res.withHeader(name, responseHeaders.values(name));
    }
    if (!responseBody.isEmpty()) {
      res.withBody(responseBody, StandardCharsets.UTF_8);
    }
    SimpleRequest request = req.build();
    SimpleResponse response = res.build();

    @Nullable ValidationReport report = null;
    @Nullable String specName = null;
    @Nullable String matched = null;
    for (Spec spec : specs) {
      MATCHED_OPERATION.remove();
      ValidationReport candidate = spec.validator().validate(request, response);
      matched = MATCHED_OPERATION.get();
      MATCHED_OPERATION.remove();
      boolean elsewhere =
          candidate.getMessages().stream().anyMatch(m -> NOT_IN_THIS_SPEC.contains(m.getKey()));
      if (!elsewhere) {
        report = candidate;
        specName = spec.name();
        break;
      }
    }
    Exchange exchange;
    if (report == null) {
      Violation v =
          new Violation(
              "(no operation)", method, path, status, "path",
              "validation.request.path.missing",
              "no operation in " + specNames() + " matches " + method + " " + path);
      exchange = new Exchange(method, path, status, "(no operation)", List.of(v), false);
    } else {
      String operation =
          matched != null
              ? matched
              : operationOf(report).orElse("(unknown operation in " + specName + ")");
      List<Violation> violations = new ArrayList<>();
      for (Message m : report.getMessages()) {
        if (m.getLevel() == Level.ERROR) {
          violations.addAll(toViolations(m, operation, method, path, status));
        }
      }
      exchange = new Exchange(method, path, status, operation, List.copyOf(violations), false);
    }
    exchanges.add(exchange);
    return exchange;
  }

  private String specNames() {
    List<String> names = new ArrayList<>();
    specs.forEach(s -> names.add(s.name()));
    return String.join(", ", names);
  }

  private static Optional<String> operationOf(ValidationReport report) {
    for (Message m : report.getMessages()) {
      Optional<String> id =
          m.getContext()
              .flatMap(MessageContext::getApiOperation)
              .map(op -> op.getOperation().getOperationId());
      if (id.isPresent()) {
        return id;
      }
    }
    return Optional.empty();
  }

  /** A pointer the schema validator writes in front of a nested message. */
  private static final Pattern NESTED_PATH = Pattern.compile("^\\[Path '([^']*)'\\]\\s*");

  /**
   * Turns a validator message into violations. A composite message ({@code oneOf}, {@code
   * allOf}) is split into its nested messages, so each names its own field.
   */
  private static List<Violation> toViolations(
      Message m, String operation, String method, String path, int status) {
    List<Violation> out = new ArrayList<>();
    for (Message nested : m.getNestedMessages()) {
      if (nested.getLevel() == Level.IGNORE) {
        continue;
      }
      out.addAll(toViolations(nested.withAdditionalContext(
          m.getContext().orElse(MessageContext.empty())), operation, method, path, status));
    }
    if (!out.isEmpty()) {
      return out;
    }
    Optional<MessageContext> ctx = m.getContext();
    String text = m.getMessage();
    @Nullable String pointer = null;
    Matcher nestedPath = NESTED_PATH.matcher(text);
    if (nestedPath.find()) {
      pointer = nestedPath.group(1);
      text = text.substring(nestedPath.end());
    }
    String bodyPrefix = "body ";
    @Nullable String pointerField = pointer == null ? null : bodyPrefix + pointer;
    String field =
        Optional.ofNullable(pointerField)
            .or(() -> ctx.flatMap(MessageContext::getParameter)
                .map(p -> p.getIn() + " parameter '" + p.getName() + "'"))
            .or(
                () ->
                    ctx.flatMap(MessageContext::getPointers)
                        .map(p -> bodyPrefix + (p.getInstance().isEmpty() ? "/" : p.getInstance())))
            .or(() -> ctx.flatMap(MessageContext::getLocation).map(l -> l.name().toLowerCase(
                Locale.ROOT)))
            .orElse(m.getKey().startsWith("validation.response") ? "response" : "request");
    StringBuilder message = new StringBuilder(text);
    for (String info : m.getAdditionalInfo()) {
      message.append(" | ").append(info);
    }
    out.add(new Violation(operation, method, path, status, field, m.getKey(), message.toString()));
    return out;
  }

  // ------------------------------------------------------------------ results

  /**
   * Returns every exchange recorded so far, in order.
   *
   * @return the exchanges
   */
  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /**
   * Returns every violation found so far, in order.
   *
   * @return the violations
   */
  public List<Violation> violations() {
    List<Violation> out = new ArrayList<>();
    exchanges.forEach(e -> out.addAll(e.violations()));
    return out;
  }

  /**
   * Returns the operations seen (by operation id), to assert that a test covered what it meant to.
   *
   * @return the operation ids, in first-seen order
   */
  public Set<String> operationsSeen() {
    Set<String> out = new LinkedHashSet<>();
    exchanges.forEach(
        e -> {
          if (!e.excluded()) {
            out.add(e.operation());
          }
        });
    return out;
  }

  /** Forgets what was recorded. */
  public void clear() {
    exchanges.clear();
  }

  /**
   * Fails when any recorded exchange broke its document, or when nothing was recorded.
   *
   * @throws AssertionError listing each violation as operation, field and message
   */
  public void assertNoViolations() {
    if (exchanges.isEmpty()) {
      throw new AssertionError("no HTTP exchange was recorded: is the validator installed?");
    }
    List<Violation> violations = violations();
    if (violations.isEmpty()) {
      return;
    }
    StringBuilder text =
        new StringBuilder()
            .append(violations.size())
            .append(" OpenAPI violation(s) in ")
            .append(exchanges.size())
            .append(" exchange(s):");
    for (Violation v : violations) {
      text.append("\n  - ").append(v);
    }
    throw new AssertionError(text.toString());
  }

  // ------------------------------------------------------------------ values

  /**
   * One recorded exchange.
   *
   * @param method the HTTP method
   * @param path the encoded request path
   * @param status the response status
   * @param operation the document's operation id, or a marker in parentheses
   * @param violations what broke the document, empty when the exchange conforms
   * @param excluded true when its path was excluded from validation
   */
  public record Exchange(
      String method,
      String path,
      int status,
      String operation,
      List<Violation> violations,
      boolean excluded) {}

  /**
   * One way an exchange broke its document.
   *
   * @param operation the operation id
   * @param method the HTTP method
   * @param path the request path
   * @param status the response status
   * @param field where: a parameter, a JSON pointer into a body, or {@code request}/{@code
   *     response}
   * @param key the validator's message key, e.g. {@code validation.response.body.schema.type}
   * @param message the validator's message
   */
  public record Violation(
      String operation,
      String method,
      String path,
      int status,
      String field,
      String key,
      String message) {
    @Override
    public String toString() {
      return operation + " (" + method + " " + path + " -> " + status + ") " + field + ": "
          + message + " [" + key + "]";
    }
  }

  // ------------------------------------------------------------------ builder

  /** Configures an {@link OpenApiExchangeValidator}. Not thread-safe. */
  public static final class Builder {
    private static final Map<String, OpenApiInteractionValidator> PARSED =
        new ConcurrentHashMap<>();
    private final List<Path> specs = new ArrayList<>();
    private final List<String> excluded = new ArrayList<>();
    private final List<String> ignoredKeys = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a document; exchanges are matched against documents in the order added.
     *
     * @param spec an OpenAPI 3 or Swagger 2.0 file
     * @return this builder
     */
    public Builder spec(Path spec) {
      specs.add(Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /**
     * Records exchanges under a path prefix without validating them (e.g. the token endpoint,
     * which no document describes).
     *
     * @param prefix e.g. {@code /v3/public/oauth/}
     * @return this builder
     */
    public Builder excludePathPrefix(String prefix) {
      excluded.add(Objects.requireNonNull(prefix, "prefix"));
      return this;
    }

    /**
     * Ignores a validator message key everywhere, for a documented gap between a vendor's
     * document and its service; say why at the call site.
     *
     * @param key e.g. {@code validation.request.security.missing}
     * @return this builder
     */
    public Builder ignore(String key) {
      ignoredKeys.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * Parses the documents and builds the validator.
     *
     * @return the validator
     * @throws IllegalStateException if no document was given
     */
    public OpenApiExchangeValidator build() {
      if (specs.isEmpty()) {
        throw new IllegalStateException("no spec given");
      }
      List<Spec> built = new ArrayList<>();
      for (Path spec : specs) {
        Path absolute = spec.toAbsolutePath().normalize();
        // Parsing a vendor document takes seconds; validators are immutable, so share them.
        OpenApiInteractionValidator validator =
            PARSED.computeIfAbsent(
                absolute + " " + ignoredKeys, k -> parse(absolute, List.copyOf(ignoredKeys)));
        built.add(new Spec(String.valueOf(spec.getFileName()), validator));
      }
      return new OpenApiExchangeValidator(built, excluded);
    }

    private static OpenApiInteractionValidator parse(Path spec, List<String> ignoredKeys) {
      LevelResolver.Builder levels = LevelResolver.create();
      for (String key : ignoredKeys) {
        levels.withLevel(key, Level.IGNORE);
      }
      return OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
          .withLevelResolver(levels.build())
          .withCustomRequestValidation(
              (request, operation) -> {
                // Not a check: remembers which operation the path matched, for reports.
                MATCHED_OPERATION.set(operation.getOperation().getOperationId());
                return ValidationReport.empty();
              })
          .build();
    }
  }
}
