package io.stocksync.testkit.shopify;

import io.stocksync.testkit.internal.Json;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The emulator's GraphQL endpoint, built on graphql-java: each document is parsed and validated
 * against the emulator's schema ({@code admin-subset.graphqls}, a subset of Shopify's Admin API
 * 2026-04 schema), priced from its selection by the {@link CostModel}, rate-limited, executed, and
 * answered with exactly the fields it selected. Any operation name, or none for a document with
 * one operation; literal arguments and variables alike.
 *
 * <p>Refused as Shopify refuses, with its error shapes (HTTP 200, {@code errors[]}, nothing
 * executed or charged): a syntax error, an unknown field, argument or type, a variable of the
 * wrong type or a missing required input ({@code extensions.code} {@code undefinedField}, {@code
 * argumentNotAccepted}, {@code missingRequiredArguments}, ...), {@code inventorySetQuantities}
 * without {@code @idempotent(key:)}, a request over 1,000 requested points ({@code
 * MAX_COST_EXCEEDED}) and one the bucket cannot hold ({@code THROTTLED}).
 *
 * <p>Not thread-safe: {@link #execute} must be called while holding the {@link ShopState} monitor.
 */
final class GraphQlApi {
  static final int MAX_PAGE_SIZE = 250;
  static final int MAX_INPUT_SIZE = 250;
  static final long MAX_QUANTITY = 1_000_000_000L;

  /** The quantity names Shopify knows; {@code quantities(names:)} returns exactly those asked. */
  static final List<String> QUANTITY_NAMES =
      List.of(
          "available",
          "committed",
          "damaged",
          "incoming",
          "on_hand",
          "quality_control",
          "reserved",
          "safety_stock");

  private static final Set<String> REASONS =
      Set.of(
          "correction",
          "cycle_count_available",
          "damaged",
          "movement_canceled",
          "movement_created",
          "movement_received",
          "movement_updated",
          "other",
          "promotion",
          "quality_control",
          "received",
          "reservation_created",
          "reservation_deleted",
          "reservation_updated",
          "restock",
          "safety_stock",
          "shrinkage");

  private final ShopState state;
  private final LeakyBucket bucket;
  private final String shopName;
  private final String shopDomain;
  private final CostModel costModel;
  private final GraphQL graphQl;
  private final Map<String, Parsed> documents =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
          return size() > 256;
        }
      };
  private final BulkOperations bulk;
  private String version = "";
  private long pointsSpent;
  private int throttledCount;
  private @Nullable String lastOperationName;

  GraphQlApi(
      ShopState state,
      LeakyBucket bucket,
      String shopName,
      String shopDomain,
      CostModel costModel) {
    this.state = state;
    this.bucket = bucket;
    this.shopName = shopName;
    this.shopDomain = shopDomain;
    this.costModel = costModel;
    this.bulk = new BulkOperations(state, SCHEMA);
    this.graphQl =
        GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(TYPES, wiring()))
            .defaultDataFetcherExceptionHandler(new FetchErrors())
            .preparsedDocumentProvider(
                (input, parse) -> {
                  Parsed parsed = documents.get(input.getQuery());
                  return CompletableFuture.completedFuture(
                      parsed != null && parsed.document() != null
                          ? new PreparsedDocumentEntry(parsed.document())
                          : parse.apply(input));
                })
            .build();
  }

  long pointsSpent() {
    return pointsSpent;
  }

  int throttledCount() {
    return throttledCount;
  }

  LeakyBucket bucket() {
    return bucket;
  }

  CostModel costModel() {
    return costModel;
  }

  BulkOperations bulk() {
    return bulk;
  }

  /** Starts a bulk query outside any request (a test control), as {@code bulkOperationRunQuery}. */
  Map<String, @Nullable Object> startBulk(String apiVersion, String query) {
    return bulk.run(apiVersion, query, false, this::runBulk);
  }

  /** The operation the last request ran (its name, or its first root field when unnamed). */
  @Nullable String lastOperationName() {
    return lastOperationName;
  }

  /** The emulator's schema, for tests that compare it with Shopify's. */
  static GraphQLSchema emulatorSchema() {
    return SCHEMA;
  }

  /** The SDL text of the emulator's schema. */
  static String schemaText() {
    try (InputStream in = GraphQlApi.class.getResourceAsStream("admin-subset.graphqls")) {
      if (in == null) {
        throw new IllegalStateException("admin-subset.graphqls missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GraphQLSchema schema() {
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .scalar(DATE_TIME)
            .scalar(string("URL"))
            .scalar(string("UnsignedInt64"))
            .type("Node", t -> t.typeResolver(env -> env.getSchema().getObjectType(
                String.valueOf(((Map<?, ?>) env.getObject()).get("__typename")))))
            .build();
    return new SchemaGenerator().makeExecutableSchema(TYPES, wiring);
  }

  /** Shopify's DateTime: an ISO-8601 string, passed through. */
  private static final GraphQLScalarType DATE_TIME = string("DateTime");

  /**
   * A scalar Shopify serialises as a string: {@code DateTime}, {@code URL}, and {@code UnsignedInt64} (a string so
   * that 64-bit values survive JavaScript clients).
   */
  @SuppressWarnings("deprecation")
  private static GraphQLScalarType string(String name) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .coercing(
            new Coercing<Object, Object>() {
              @Override
              public Object serialize(Object value) {
                return value.toString();
              }

              @Override
              public Object parseValue(Object input) {
                return input.toString();
              }

              @Override
              public Object parseLiteral(Object input) {
                return input instanceof StringValue s ? s.getValue() : input.toString();
              }
            })
        .build();
  }

  private static final TypeDefinitionRegistry TYPES = new SchemaParser().parse(schemaText());
  private static final GraphQLSchema SCHEMA = schema();

  /** A parsed document: the document and its validation errors, or the syntax error. */
  private record Parsed(
      @Nullable Document document, List<Map<String, @Nullable Object>> errors) {}

  private Parsed parse(String query) {
    Parsed cached = documents.get(query);
    if (cached != null) {
      return cached;
    }
    Parsed parsed;
    try {
      Document document = Parser.parse(query);
      List<Map<String, @Nullable Object>> errors = new ArrayList<>();
      for (ValidationError error : new Validator().validateDocument(SCHEMA, document, Locale.ENGLISH)) {
        errors.add(validationError(error));
      }
      parsed = new Parsed(document, errors);
    } catch (InvalidSyntaxException e) {
      Map<String, @Nullable Object> error = Json.object();
      SourceLocation at = e.getLocation();
      int line = at == null ? 1 : at.getLine();
      int column = at == null ? 1 : at.getColumn();
      String near = e.getOffendingToken() == null ? "end of file" : "\"" + e.getOffendingToken() + "\"";
      error.put("message", "Parse error on " + near + " at [" + line + ", " + column + "]");
      error.put("locations", List.of(Json.object("line", line, "column", column)));
      parsed = new Parsed(null, List.of(error));
    }
    documents.put(query, parsed);
    return parsed;
  }

  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  /** A validation error in the shape graphql-ruby (Shopify) gives it. */
  private static Map<String, @Nullable Object> validationError(ValidationError error) {
    String type = String.valueOf(error.getValidationErrorType());
    List<String> quoted = new ArrayList<>();
    Matcher m = QUOTED.matcher(String.valueOf(error.getDescription()));
    while (m.find()) {
      quoted.add(m.group(1));
    }
    List<String> path = error.getQueryPath() == null ? List.of() : error.getQueryPath();
    String leaf = path.isEmpty() ? "" : path.get(path.size() - 1);
    String message;
    Map<String, @Nullable Object> extensions = Json.object();
    switch (type) {
      case "FieldUndefined" -> {
        String field = quoted.isEmpty() ? leaf : quoted.get(0);
        String on = quoted.size() > 1 ? quoted.get(1) : "";
        message = "Field '" + field + "' doesn't exist on type '" + on + "'";
        extensions.put("code", "undefinedField");
        extensions.put("typeName", on);
        extensions.put("fieldName", field);
      }
      case "UnknownArgument" -> {
        String argument = quoted.isEmpty() ? "" : quoted.get(0);
        message = "Field '" + leaf + "' doesn't accept argument '" + argument + "'";
        extensions.put("code", "argumentNotAccepted");
        extensions.put("name", leaf);
        extensions.put("typeName", "Field");
        extensions.put("argumentName", argument);
      }
      case "MissingFieldArgument" -> {
        String argument = quoted.isEmpty() ? "" : quoted.get(0);
        message = "Field '" + leaf + "' is missing required arguments: " + argument;
        extensions.put("code", "missingRequiredArguments");
        extensions.put("className", "Field");
        extensions.put("name", leaf);
        extensions.put("arguments", argument);
      }
      case "UnknownType" -> {
        message = String.valueOf(error.getDescription());
        extensions.put("code", "undefinedType");
      }
      case "UnknownDirective" -> {
        message = String.valueOf(error.getDescription());
        extensions.put("code", "undefinedDirective");
      }
      case "VariableTypeMismatch", "WrongType" -> {
        message = String.valueOf(error.getDescription());
        extensions.put("code", type.equals("WrongType") ? "argumentLiteralsIncompatible" : "variableMismatch");
      }
      case "UnusedVariable" -> {
        message = String.valueOf(error.getDescription());
        extensions.put("code", "variableNotUsed");
      }
      case "UndefinedVariable" -> {
        message = String.valueOf(error.getDescription());
        extensions.put("code", "variableNotDefined");
      }
      case "SubselectionRequired", "SubselectionNotAllowed" -> {
        message = String.valueOf(error.getDescription());
        extensions.put("code", "selectionMismatch");
      }
      default -> {
        message = String.valueOf(error.getDescription());
        extensions.put("code", type);
      }
    }
    Map<String, @Nullable Object> out = Json.object();
    out.put("message", message);
    out.put("locations", locations(error.getLocations()));
    List<Object> fullPath = new ArrayList<>(path);
    out.put("path", fullPath);
    out.put("extensions", extensions);
    return out;
  }

  private static List<Object> locations(@Nullable List<SourceLocation> locations) {
    List<Object> out = new ArrayList<>();
    if (locations != null) {
      for (SourceLocation l : locations) {
        out.add(Json.object("line", l.getLine(), "column", l.getColumn()));
      }
    }
    return out;
  }

  /**
   * Validates, prices, rate-limits and runs one request.
   *
   * @return the JSON body of an HTTP 200 answer
   */
  String execute(
      String version,
      @Nullable String operationName,
      Map<String, @Nullable Object> variables,
      @Nullable String query) {
    bucket.refill();
    this.version = version;
    bulk.settle(state.now());
    lastOperationName = operationName;
    Parsed parsed = parse(query == null ? "" : query);
    if (!parsed.errors().isEmpty() || parsed.document() == null) {
      return Json.write(Json.object("errors", parsed.errors()));
    }
    Document document = parsed.document();
    List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
    OperationDefinition operation = null;
    if (operationName == null) {
      if (operations.size() != 1) {
        return errorBody(error("An operation name is required", null), null);
      }
      operation = operations.get(0);
    } else {
      for (OperationDefinition candidate : operations) {
        if (operationName.equals(candidate.getName())) {
          operation = candidate;
        }
      }
      if (operation == null) {
        return errorBody(error("No operation named \"" + operationName + "\"", null), null);
      }
    }
    if (lastOperationName == null) {
      lastOperationName = operation.getName() != null ? operation.getName() : firstField(operation);
    }
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
      fragments.put(fragment.getName(), fragment);
    }
    @Nullable String idempotencyKey = null;
    if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
      try {
        idempotencyKey = idempotencyKey(operation, variables);
      } catch (GraphQlError e) {
        return errorBody(error(e.getMessage(), e.code()), null);
      }
    }
    QueryCost cost = new QueryCost(SCHEMA, fragments, variables, costModel);
    int largestInput = cost.largestInput(operation);
    if (largestInput > MAX_INPUT_SIZE) {
      FetchError tooMany = tooManyInputs(largestInput);
      return errorBody(error(tooMany.getMessage(), tooMany.code), null);
    }
    int requested = cost.requested(operation);
    if (requested > CostModel.MAX_SINGLE_QUERY_COST) {
      Map<String, @Nullable Object> error =
          error(
              "Query cost is "
                  + requested
                  + ", which exceeds the single query max cost limit ("
                  + CostModel.MAX_SINGLE_QUERY_COST
                  + ").\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more"
                  + " information on how the cost of a query is calculated.\n\nTo query larger"
                  + " amounts of data with fewer limits, bulk operations should be used instead.\n"
                  + "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for"
                  + " usage details.\n",
              "MAX_COST_EXCEEDED");
      Map<String, @Nullable Object> extensions = Json.asObject(error.get("extensions"));
      if (extensions != null) {
        extensions.put("cost", requested);
        extensions.put("maxCost", CostModel.MAX_SINGLE_QUERY_COST);
        extensions.put("documentation", "https://shopify.dev/api/usage/rate-limits");
      }
      return errorBody(error, requested);
    }
    if (requested > bucket.refill()) {
      throttledCount++;
      Map<String, @Nullable Object> error = error("Throttled", "THROTTLED");
      Map<String, @Nullable Object> extensions = Json.asObject(error.get("extensions"));
      if (extensions != null) {
        extensions.put("documentation", "https://shopify.dev/api/usage/rate-limits");
      }
      return errorBody(error, requested);
    }
    bucket.take(requested);
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(query)
            .operationName(operation.getName())
            .variables(variables)
            .graphQLContext(Map.of(KEY, idempotencyKey == null ? "" : idempotencyKey))
            .build();
    ExecutionResult result = graphQl.execute(input);
    Map<String, Object> spec = result.toSpecification();
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> data = (Map<String, @Nullable Object>) spec.get("data");
    int actual = Math.min(requested, cost.actual(operation, data));
    bucket.refund(requested - actual);
    pointsSpent += actual;
    Map<String, @Nullable Object> body = Json.object();
    if (spec.containsKey("errors")) {
      body.put("errors", shopifyErrors(result.getErrors()));
    }
    if (spec.containsKey("data")) {
      body.put("data", data);
    }
    body.put("extensions", costExtensions(requested, actual));
    return Json.write(body);
  }

  private static final String KEY = "idempotencyKey";

  private static String firstField(OperationDefinition operation) {
    for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
      if (selection instanceof Field field) {
        return field.getName();
      }
    }
    return "";
  }

  /**
   * The {@code @idempotent} key of a mutation's {@code inventorySetQuantities}, required from
   * 2026-04 on; a literal or any variable.
   */
  private static @Nullable String idempotencyKey(
      OperationDefinition operation, Map<String, @Nullable Object> variables) throws GraphQlError {
    String key = null;
    for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
      if (!(selection instanceof Field field) || !field.getName().equals("inventorySetQuantities")) {
        continue;
      }
      List<Directive> directives = field.getDirectives("idempotent");
      if (directives.isEmpty()) {
        throw GraphQlError.badRequest(
            "The @idempotent directive is required for this mutation (inventorySetQuantities)"
                + " from API version 2026-04.");
      }
      Argument argument = directives.get(0).getArgument("key");
      Object value = null;
      if (argument != null && argument.getValue() instanceof StringValue literal) {
        value = literal.getValue();
      } else if (argument != null && argument.getValue() instanceof VariableReference ref) {
        value = variables.get(ref.getName());
      }
      if (!(value instanceof String k) || k.isBlank()) {
        throw GraphQlError.badRequest("The @idempotent directive's key must be a non-blank string.");
      }
      key = k;
    }
    return key;
  }

  /** Execution errors in Shopify's shape: message, locations, path and extensions. */
  private static List<Object> shopifyErrors(List<GraphQLError> errors) {
    List<Object> out = new ArrayList<>();
    for (GraphQLError e : errors) {
      Map<String, @Nullable Object> error = Json.object();
      String message = e.getMessage();
      Map<String, Object> extensions = e.getExtensions() == null ? Map.of() : e.getExtensions();
      error.put("message", message);
      if (e.getLocations() != null && !e.getLocations().isEmpty()) {
        error.put("locations", locations(e.getLocations()));
      }
      if (e.getPath() != null) {
        error.put("path", e.getPath());
      }
      Map<String, @Nullable Object> ext = Json.object();
      ext.putAll(extensions);
      if (!ext.containsKey("code")) {
        ext.put("code", e.getErrorType() == null ? "BAD_REQUEST"
            : e.getErrorType().toString().equals("ValidationError") ? "BAD_REQUEST"
            : e.getErrorType().toString().equals("DataFetchingException") ? "INTERNAL_SERVER_ERROR"
            : "BAD_REQUEST");
      }
      error.put("extensions", ext);
      out.add(error);
    }
    return out;
  }

  /** An error a data fetcher raises on purpose, with its Shopify code. */
  static final class FetchError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    FetchError(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** Turns a {@link FetchError} into an error with its own message and code. */
  private static final class FetchErrors implements DataFetcherExceptionHandler {
    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
        graphql.execution.DataFetcherExceptionHandlerParameters parameters) {
      Throwable exception = parameters.getException();
      String code = exception instanceof FetchError f ? f.code : "INTERNAL_SERVER_ERROR";
      String message =
          exception instanceof FetchError ? exception.getMessage() : "Internal error: " + exception;
      GraphQLError error =
          GraphqlErrorBuilder.newError()
              .message(message)
              .path(parameters.getPath())
              .location(parameters.getSourceLocation())
              .extensions(Map.of("code", code))
              .build();
      return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
    }
  }

  // ---------------------------------------------------------------- wiring

  private RuntimeWiring wiring() {
    return RuntimeWiring.newRuntimeWiring()
        .scalar(DATE_TIME)
        .scalar(string("URL"))
        .scalar(string("UnsignedInt64"))
        .type("Node", t -> t.typeResolver(env -> env.getSchema().getObjectType(
            String.valueOf(((Map<?, ?>) env.getObject()).get("__typename")))))
        .type(
            "QueryRoot",
            t ->
                t.dataFetcher("shop", env -> shopNode())
                    .dataFetcher("locations", this::locations)
                    .dataFetcher("location", env -> byId(env, "Location"))
                    .dataFetcher("productVariants", this::productVariants)
                    .dataFetcher("productVariant", env -> byId(env, "ProductVariant"))
                    .dataFetcher("inventoryItem", env -> byId(env, "InventoryItem"))
                    .dataFetcher("order", env -> byId(env, "Order"))
                    .dataFetcher("node", env -> node(env.getArgument("id")))
                    .dataFetcher("nodes", this::nodes)
                    .dataFetcher("orders", this::orders)
                    .dataFetcher("bulkOperation", env -> bulk.get(env.getArgument("id")))
                    .dataFetcher("productVariantsCount", this::productVariantsCount))
        .type(
            "Mutation",
            t ->
                t.dataFetcher("inventorySetQuantities", this::inventorySet)
                    .dataFetcher(
                        "bulkOperationRunQuery",
                        env ->
                            bulk.run(
                                version,
                                env.getArgument("query"),
                                Boolean.TRUE.equals(env.getArgument("groupObjects")),
                                this::runBulk))
                    .dataFetcher("bulkOperationCancel", env -> bulk.cancel(env.getArgument("id"))))
        .type("InventoryItem", t -> t.dataFetcher("inventoryLevels", nested("inventoryLevels")))
        .type("InventoryLevel", t -> t.dataFetcher("quantities", GraphQlApi::quantities))
        .type(
            "Order",
            t ->
                t.dataFetcher("lineItems", nested("lineItems"))
                    .dataFetcher("fulfillmentOrders", nested("fulfillmentOrders"))
                    .dataFetcher("fulfillments", list("fulfillments"))
                    .dataFetcher("refunds", list("refunds")))
        .type("FulfillmentOrder", t -> t.dataFetcher("lineItems", nested("fulfillmentOrderLineItems")))
        .type("Fulfillment", t -> t.dataFetcher("fulfillmentLineItems", nested("fulfillmentLineItems")))
        .type("Refund", t -> t.dataFetcher("refundLineItems", nested("refundLineItems")))
        .build();
  }

  private @Nullable Object byId(DataFetchingEnvironment env, String kind) {
    Object id = env.getArgument("id");
    Map<String, @Nullable Object> node = id == null ? null : node(id);
    return node != null && kind.equals(node.get("__typename")) ? node : null;
  }

  /** The object a global id names, or null when it names nothing the emulator serves. */
  private @Nullable Map<String, @Nullable Object> node(@Nullable Object id) {
    if (!Gid.wellFormed(id)) {
      throw new FetchError("BAD_REQUEST", "Invalid global id '" + id + "'");
    }
    String gid = String.valueOf(id);
    String kind = gid.substring("gid://shopify/".length(), gid.indexOf('/', "gid://shopify/".length()));
    long number;
    try {
      number = Gid.parse(kind, gid);
    } catch (RuntimeException e) {
      return null;
    }
    return switch (kind) {
      case "InventoryItem" -> {
        ShopState.InventoryItem item = state.inventoryItems.get(number);
        yield item == null ? null : itemNode(item);
      }
      case "ProductVariant" -> {
        ShopState.Variant variant = state.variants.get(number);
        yield variant == null ? null : variantNode(variant);
      }
      case "Location" -> {
        ShopState.Location location = state.locations.get(number);
        yield location == null ? null : locationNode(location);
      }
      case "Order" -> {
        ShopState.Order order = state.orders.get(number);
        yield order == null ? null : orderNode(order);
      }
      case "Shop" -> number == ShopState.SHOP_ID ? shopNode() : null;
      case "BulkOperation" -> bulk.get(gid);
      case "Fulfillment", "Refund" -> child(kind, gid);
      case "FulfillmentOrder" -> {
        ShopState.FulfillmentOrder fo = state.fulfillmentOrders.get(number);
        yield fo == null || !fo.order.routed(state.now()) ? null : fulfillmentOrderNode(fo);
      }
      default -> null;
    };
  }

  /** A fulfilment or refund, found in its order's node. */
  private @Nullable Map<String, @Nullable Object> child(String kind, String gid) {
    String key = kind.equals("Fulfillment") ? "fulfillments" : "refunds";
    for (ShopState.Order order : state.orders.values()) {
      boolean has =
          kind.equals("Fulfillment")
              ? order.fulfillments.stream().anyMatch(f -> Gid.of("Fulfillment", f.id()).equals(gid))
              : order.refunds.stream().anyMatch(r -> Gid.of("Refund", r.id()).equals(gid));
      if (has && orderNode(order).get(key) instanceof List<?> children) {
        for (Object child : children) {
          if (child instanceof Map<?, ?> m && gid.equals(m.get("id"))) {
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> found = (Map<String, @Nullable Object>) m;
            return found;
          }
        }
      }
    }
    return null;
  }

  private List<@Nullable Object> nodes(DataFetchingEnvironment env) {
    List<?> ids = env.getArgument("ids");
    if (ids.size() > MAX_INPUT_SIZE) {
      throw tooManyInputs(ids.size());
    }
    List<@Nullable Object> out = new ArrayList<>(ids.size());
    for (Object id : ids) {
      out.add(node(id));
    }
    return out;
  }

  private Map<String, @Nullable Object> shopNode() {
    Map<String, @Nullable Object> shop = Json.object();
    shop.put("__typename", "Shop");
    shop.put("id", Gid.of("Shop", ShopState.SHOP_ID));
    shop.put("name", shopName);
    shop.put("myshopifyDomain", shopDomain);
    return shop;
  }

  private Map<String, @Nullable Object> locations(DataFetchingEnvironment env) {
    int first = first(env);
    long after = afterId("Location", env.getArgument("after"));
    boolean includeInactive = Boolean.TRUE.equals(env.getArgument("includeInactive"));
    return page(
        state.locations.tailMap(after, false).values(),
        location -> includeInactive || location.active,
        first,
        location -> Cursor.ofId("Location", location.id),
        GraphQlApi::locationNode);
  }

  private Map<String, @Nullable Object> productVariants(DataFetchingEnvironment env) {
    int first = first(env);
    long after = afterId("ProductVariant", env.getArgument("after"));
    SearchQuery search = search(env.getArgument("query"), true);
    return page(
        state.variants.tailMap(after, false).values(),
        variant -> search.matches(variant.updatedAt, variant.product.status),
        first,
        variant -> Cursor.ofId("ProductVariant", variant.id),
        GraphQlApi::variantNode);
  }

  private Map<String, @Nullable Object> orders(DataFetchingEnvironment env) {
    int first = first(env);
    Object sortKey = env.getArgument("sortKey");
    if (!"UPDATED_AT".equals(String.valueOf(sortKey))) {
      // Shopify sorts by any OrderSortKeys value; the emulator serves the one a sync needs.
      throw new FetchError(
          "BAD_REQUEST", "The emulator serves orders with sortKey: UPDATED_AT only, not " + sortKey);
    }
    String afterCursor = env.getArgument("after");
    ShopState.@Nullable OrderKey after;
    try {
      after = afterCursor == null ? null : Cursor.afterOrder("Order", afterCursor);
    } catch (GraphQlError e) {
      throw new FetchError(e.code(), e.getMessage());
    }
    SearchQuery search = search(env.getArgument("query"), false);
    Collection<ShopState.Order> source =
        after == null
            ? state.ordersByUpdatedAt.values()
            : state.ordersByUpdatedAt.tailMap(after, false).values();
    return page(
        source,
        order -> search.matches(order.updatedAt),
        first,
        order -> Cursor.ofInstantAndId("Order", order.updatedAt, order.id),
        this::orderNode);
  }

  private static SearchQuery search(@Nullable String query, boolean allowProductStatus) {
    try {
      return SearchQuery.parse(query, allowProductStatus);
    } catch (GraphQlError e) {
      throw new FetchError(e.code(), e.getMessage());
    }
  }

  private static long afterId(String kind, @Nullable String cursor) {
    try {
      return Cursor.afterId(kind, cursor);
    } catch (GraphQlError e) {
      throw new FetchError(e.code(), e.getMessage());
    }
  }

  /**
   * A nested connection over a list the parent node holds under {@code key}: honours {@code
   * first} and {@code after} like a top-level one, so a client that does not page loses nothing
   * silently: {@code hasNextPage} tells.
   */
  private static DataFetcher<Object> nested(String key) {
    return env -> {
      Map<?, ?> source = env.getSource();
      List<?> all = source == null || !(source.get(key) instanceof List<?> l) ? List.of() : l;
      int first = first(env);
      String kind = key;
      int from = 0;
      String after = bulk(env) ? null : env.getArgument("after");
      if (after != null) {
        try {
          from = Integer.parseInt(Cursor.position(kind, after)) + 1;
        } catch (GraphQlError | NumberFormatException e) {
          throw new FetchError("BAD_REQUEST", "Invalid cursor for this connection: " + after);
        }
      }
      List<Integer> indexes = new ArrayList<>();
      for (int i = Math.max(0, from); i < all.size() && indexes.size() < first; i++) {
        indexes.add(i);
      }
      return connection(
          indexes.stream().map(i -> (Object) all.get(i)).toList(),
          indexes.stream().map(i -> Cursor.of(kind, Integer.toString(i))).toList(),
          indexes.isEmpty() ? from < all.size() : indexes.get(indexes.size() - 1) + 1 < all.size(),
          from > 0);
    };
  }

  /** A plain list field with an optional {@code first}. */
  private static DataFetcher<Object> list(String key) {
    return env -> {
      Map<?, ?> source = env.getSource();
      List<?> all = source == null || !(source.get(key) instanceof List<?> l) ? List.of() : l;
      Integer first = env.getArgument("first");
      return first == null || first >= all.size() ? all : all.subList(0, Math.max(0, first));
    };
  }

  /** {@code quantities(names:)}: exactly the names asked for, in the order asked. */
  private static List<Object> quantities(DataFetchingEnvironment env) {
    Map<?, ?> source = env.getSource();
    Map<?, ?> all = source == null ? Map.of() : (Map<?, ?>) source.get("_quantities");
    List<String> names = env.getArgument("names");
    List<Object> out = new ArrayList<>(names.size());
    for (String name : names) {
      if (!QUANTITY_NAMES.contains(name)) {
        throw new FetchError(
            "BAD_REQUEST",
            "Invalid quantity name '" + name + "'. Valid names are: " + String.join(", ", QUANTITY_NAMES));
      }
      Object quantity = all == null ? null : all.get(name);
      Map<String, @Nullable Object> q = Json.object();
      q.put("name", name);
      q.put("quantity", quantity == null ? 0L : quantity);
      q.put("updatedAt", source == null ? null : source.get("updatedAt"));
      out.add(q);
    }
    return out;
  }

  private static final String BULK = "bulk";

  /** Runs a validated bulk query with every connection complete; its {@code data}. */
  private Map<String, @Nullable Object> runBulk(String query) {
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(query)
            .graphQLContext(Map.of(KEY, "", BULK, Boolean.TRUE))
            .build();
    ExecutionResult result = graphQl.execute(input);
    Map<String, @Nullable Object> data = result.getData();
    return data == null ? Map.of() : data;
  }

  private static boolean bulk(DataFetchingEnvironment env) {
    return Boolean.TRUE.equals(env.getGraphQlContext().get(BULK));
  }

  /** {@code productVariantsCount(limit:)}: every variant, capped at the limit (AT_LEAST then). */
  private Map<String, @Nullable Object> productVariantsCount(DataFetchingEnvironment env) {
    Integer limit = env.getArgument("limit");
    int all = state.variants.size();
    boolean capped = limit != null && all > limit;
    return Json.object("count", capped ? limit : all, "precision", capped ? "AT_LEAST" : "EXACT");
  }

  private static int first(DataFetchingEnvironment env) {
    if (bulk(env)) {
      return Integer.MAX_VALUE; // bulk queries ignore first
    }
    Integer first = env.getArgument("first");
    if (first == null) {
      throw new FetchError("BAD_REQUEST", "you must provide one of first or last");
    }
    if (first < 1 || first > MAX_PAGE_SIZE) {
      throw new FetchError(
          "BAD_REQUEST", "first must be between 1 and " + MAX_PAGE_SIZE + ", got " + first);
    }
    return first;
  }

  /** Builds a connection of at most {@code first} nodes from the filtered source. */
  private static <T> Map<String, @Nullable Object> page(
      Collection<T> source,
      Predicate<T> filter,
      int first,
      Function<T, String> cursor,
      Function<T, Map<String, @Nullable Object>> node) {
    List<Object> nodes = new ArrayList<>(Math.min(first, 64));
    List<String> cursors = new ArrayList<>(Math.min(first, 64));
    boolean hasNextPage = false;
    for (T element : source) {
      if (!filter.test(element)) {
        continue;
      }
      if (nodes.size() == first) {
        hasNextPage = true;
        break;
      }
      nodes.add(node.apply(element));
      cursors.add(cursor.apply(element));
    }
    return connection(nodes, cursors, hasNextPage, false);
  }

  private static Map<String, @Nullable Object> connection(
      List<Object> nodes, List<String> cursors, boolean hasNextPage, boolean hasPreviousPage) {
    List<Object> edges = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      edges.add(Json.object("cursor", cursors.get(i), "node", nodes.get(i)));
    }
    Map<String, @Nullable Object> info = Json.object();
    info.put("hasNextPage", hasNextPage);
    info.put("hasPreviousPage", hasPreviousPage);
    info.put("startCursor", cursors.isEmpty() ? null : cursors.get(0));
    info.put("endCursor", cursors.isEmpty() ? null : cursors.get(cursors.size() - 1));
    Map<String, @Nullable Object> connection = Json.object("nodes", nodes, "edges", edges);
    connection.put("pageInfo", info);
    return connection;
  }

  // ---------------------------------------------------------------- nodes

  private static Map<String, @Nullable Object> locationNode(ShopState.Location location) {
    Map<String, @Nullable Object> node = Json.object();
    node.put("__typename", "Location");
    node.put("id", Gid.of("Location", location.id));
    node.put("name", location.name);
    node.put("isActive", location.active);
    node.put("fulfillsOnlineOrders", location.active);
    return node;
  }

  private static Map<String, @Nullable Object> variantNode(ShopState.Variant variant) {
    Map<String, @Nullable Object> product = Json.object();
    product.put("__typename", "Product");
    product.put("id", Gid.of("Product", variant.product.id));
    product.put("title", variant.product.title);
    product.put("status", variant.product.status.name());
    product.put("updatedAt", Timestamps.format(variant.product.updatedAt));
    Map<String, @Nullable Object> node = Json.object();
    node.put("__typename", "ProductVariant");
    node.put("id", Gid.of("ProductVariant", variant.id));
    node.put("sku", variant.sku);
    node.put("title", variant.title);
    node.put("updatedAt", Timestamps.format(variant.updatedAt));
    node.put("product", product);
    node.put("inventoryItem", itemNode(variant.item, variant.sku));
    return node;
  }

  private Map<String, @Nullable Object> itemNode(ShopState.InventoryItem item) {
    ShopState.Variant variant = state.variants.get(item.variantId);
    return itemNode(item, variant == null ? null : variant.sku);
  }

  private static Map<String, @Nullable Object> itemNode(
      ShopState.InventoryItem item, @Nullable String sku) {
    List<Object> levels = new ArrayList<>(item.levels.size());
    for (Map.Entry<Long, ShopState.Level> entry : item.levels.entrySet()) {
      ShopState.Level level = entry.getValue();
      Map<String, @Nullable Object> quantities = Json.object();
      quantities.put("available", level.available);
      quantities.put("on_hand", level.onHand);
      quantities.put("committed", level.onHand - level.available);
      Map<String, @Nullable Object> node = Json.object();
      node.put("__typename", "InventoryLevel");
      node.put("id", "gid://shopify/InventoryLevel/" + entry.getKey() + "?inventory_item_id=" + item.id);
      node.put("location", Json.object("__typename", "Location", "id", Gid.of("Location", entry.getKey())));
      node.put("_quantities", quantities);
      node.put("updatedAt", Timestamps.format(level.updatedAt));
      node.put("item", Json.object("id", Gid.of("InventoryItem", item.id), "tracked", item.tracked));
      levels.add(node);
    }
    Map<String, @Nullable Object> node = Json.object();
    node.put("__typename", "InventoryItem");
    node.put("id", Gid.of("InventoryItem", item.id));
    node.put("sku", sku);
    node.put("tracked", item.tracked);
    node.put("inventoryLevels", levels);
    return node;
  }

  private static Map<String, @Nullable Object> lineNode(ShopState.Line line) {
    Map<String, @Nullable Object> node = Json.object();
    node.put("__typename", "LineItem");
    node.put("id", Gid.of("LineItem", line.id));
    node.put("sku", line.sku);
    node.put("quantity", line.quantity);
    node.put("currentQuantity", line.current());
    node.put("unfulfilledQuantity", line.unfulfilled());
    return node;
  }

  /**
   * The order's fulfilment orders as Shopify shows them: none until the order is routed (a
   * moment after an online order), then every one in creation order, closed and cancelled ones
   * included (as Shopify does without {@code displayable: true}).
   */
  private List<Object> fulfillmentOrders(ShopState.Order order) {
    if (!order.routed(state.now())) {
      return List.of();
    }
    List<Object> out = new ArrayList<>(order.fulfillmentOrders.size());
    for (ShopState.FulfillmentOrder fo : order.fulfillmentOrders) {
      out.add(fulfillmentOrderNode(fo));
    }
    return out;
  }

  private static Map<String, @Nullable Object> fulfillmentOrderNode(ShopState.FulfillmentOrder fo) {
    List<Object> items = new ArrayList<>(fo.lines.size());
    for (ShopState.FulfillmentOrderLine l : fo.lines) {
      Map<String, @Nullable Object> item = Json.object();
      item.put("__typename", "FulfillmentOrderLineItem");
      item.put("id", Gid.of("FulfillmentOrderLineItem", l.id));
      item.put("totalQuantity", l.total);
      item.put("remainingQuantity", l.remaining);
      item.put("lineItem", lineNode(l.line));
      items.add(item);
    }
    Map<String, @Nullable Object> node = Json.object();
    node.put("__typename", "FulfillmentOrder");
    node.put("id", Gid.of("FulfillmentOrder", fo.id));
    node.put("status", fo.status);
    node.put("assignedLocation",
        Json.object("location", Json.object("__typename", "Location", "id", Gid.of("Location", fo.locationId))));
    node.put("fulfillmentOrderLineItems", items);
    return node;
  }

  private Map<String, @Nullable Object> orderNode(ShopState.Order order) {
    List<Object> lines = new ArrayList<>(order.lines.size());
    for (ShopState.Line line : order.lines) {
      lines.add(lineNode(line));
    }
    List<Object> fulfillments = new ArrayList<>(order.fulfillments.size());
    for (ShopState.Fulfillment fulfillment : order.fulfillments) {
      List<Object> items = new ArrayList<>(fulfillment.lines().size());
      for (ShopState.FulfillmentLine item : fulfillment.lines()) {
        Map<String, @Nullable Object> node = Json.object();
        node.put("__typename", "FulfillmentLineItem");
        node.put("id", Gid.of("FulfillmentLineItem", fulfillment.id() * 1000 + items.size()));
        node.put("lineItem", lineNode(item.line()));
        node.put("quantity", item.quantity());
        items.add(node);
      }
      Map<String, @Nullable Object> fulfillmentNode = Json.object();
      fulfillmentNode.put("__typename", "Fulfillment");
      fulfillmentNode.put("id", Gid.of("Fulfillment", fulfillment.id()));
      fulfillmentNode.put("status", "SUCCESS");
      fulfillmentNode.put("createdAt", Timestamps.format(fulfillment.createdAt()));
      fulfillmentNode.put("location", fulfillment.locationId() < 0 ? null
          : Json.object("__typename", "Location", "id", Gid.of("Location", fulfillment.locationId())));
      fulfillmentNode.put("fulfillmentLineItems", items);
      fulfillments.add(fulfillmentNode);
    }
    List<Object> refunds = new ArrayList<>(order.refunds.size());
    for (ShopState.Refund refund : order.refunds) {
      List<Object> items = new ArrayList<>(refund.lines().size());
      for (ShopState.RefundLine item : refund.lines()) {
        Map<String, @Nullable Object> node = Json.object();
        node.put("id", Gid.of("RefundLineItem", refund.id() * 1000 + items.size()));
        node.put("quantity", item.quantity());
        node.put("restockType", item.restockType().name());
        node.put("lineItem", lineNode(item.line()));
        items.add(node);
      }
      Map<String, @Nullable Object> node = Json.object();
      node.put("__typename", "Refund");
      node.put("id", Gid.of("Refund", refund.id()));
      node.put("createdAt", Timestamps.format(refund.createdAt()));
      node.put("refundLineItems", items);
      refunds.add(node);
    }
    Map<String, @Nullable Object> node = Json.object();
    node.put("__typename", "Order");
    node.put("id", Gid.of("Order", order.id));
    node.put("name", order.name);
    node.put("createdAt", Timestamps.format(order.createdAt));
    node.put("updatedAt", Timestamps.format(order.updatedAt));
    node.put("cancelledAt", order.cancelledAt == null ? null : Timestamps.format(order.cancelledAt));
    node.put("displayFulfillmentStatus", order.displayFulfillmentStatus());
    // Shopify's retailLocation: set for point-of-sale orders only; online orders take stock
    // where their fulfilment orders are assigned.
    long soldAt = order.retailLocationId;
    node.put("retailLocation", soldAt < 0 ? null : Json.object("__typename", "Location", "id", Gid.of("Location", soldAt)));
    node.put("lineItems", lines);
    node.put("fulfillmentOrders", fulfillmentOrders(order));
    node.put("fulfillments", fulfillments);
    node.put("refunds", refunds);
    return node;
  }

  // ---------------------------------------------------------------- inventorySetQuantities

  /** One entry of {@code input.quantities}, as graphql-java coerced it. */
  private record QuantityInput(
      String inventoryItemId,
      String locationId,
      int quantity,
      boolean compareGiven,
      @Nullable Integer compareTo) {}

  private record Pair(long inventoryItemId, long locationId) {}

  private Map<String, @Nullable Object> inventorySet(DataFetchingEnvironment env) {
    Map<String, Object> input = env.getArgument("input");
    String key = env.getGraphQlContext().get(KEY);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rawQuantities = (List<Map<String, Object>>) input.get("quantities");
    if (rawQuantities.size() > MAX_INPUT_SIZE) {
      throw tooManyInputs(rawQuantities.size());
    }
    List<QuantityInput> quantities = new ArrayList<>(rawQuantities.size());
    for (Map<String, Object> q : rawQuantities) {
      quantities.add(
          new QuantityInput(
              String.valueOf(q.get("inventoryItemId")),
              String.valueOf(q.get("locationId")),
              ((Number) q.get("quantity")).intValue(),
              q.containsKey("changeFromQuantity"),
              q.get("changeFromQuantity") == null ? null : ((Number) q.get("changeFromQuantity")).intValue()));
    }
    Object canonical = Json.freeze(input);
    if (key != null && !key.isEmpty()) {
      ShopState.StoredMutation stored = state.idempotency.get(key);
      if (stored != null) {
        if (stored.input().equals(canonical)) {
          return stored.data();
        }
        return inventorySetPayload(
            null,
            List.of(
                userError(
                    "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                    List.of("idempotencyKey"),
                    "The idempotency key was already used with different parameters.")));
      }
    }
    Map<String, @Nullable Object> data =
        runInventorySet(
            String.valueOf(input.get("name")),
            String.valueOf(input.get("reason")),
            (String) input.get("referenceDocumentUri"),
            quantities);
    if (key != null && !key.isEmpty()) {
      state.idempotency.put(key, new ShopState.StoredMutation(canonical, data));
    }
    return data;
  }

  private Map<String, @Nullable Object> runInventorySet(
      String name, String reason, @Nullable String referenceDocumentUri, List<QuantityInput> quantities) {
    List<Object> errors = new ArrayList<>();
    boolean onHand = name.equals("on_hand");
    if (!onHand && !name.equals("available")) {
      errors.add(
          userError(
              "INVALID_NAME",
              List.of("input", "name"),
              "The quantity name must be either 'available' or 'on_hand'."));
    }
    if (!REASONS.contains(reason)) {
      errors.add(
          userError(
              "INVALID_REASON", List.of("input", "reason"), "The specified reason is invalid."));
    }
    if (referenceDocumentUri != null && !validUri(referenceDocumentUri)) {
      errors.add(
          userError(
              "INVALID_REFERENCE_DOCUMENT",
              List.of("input", "referenceDocumentUri"),
              "The specified reference document URI is invalid."));
    }
    int n = quantities.size();
    ShopState.InventoryItem[] items = new ShopState.InventoryItem[n];
    long[] locationIds = new long[n];
    ShopState.Level[] levels = new ShopState.Level[n];
    Set<Pair> seen = new HashSet<>(n * 2);
    for (int i = 0; i < n; i++) {
      QuantityInput q = quantities.get(i);
      String index = Integer.toString(i);
      ShopState.InventoryItem item =
          state.inventoryItems.get(Gid.parse("InventoryItem", q.inventoryItemId()));
      if (item == null) {
        errors.add(
            itemError(
                "INVALID_INVENTORY_ITEM",
                index,
                "inventoryItemId",
                "The specified inventory item could not be found."));
        continue;
      }
      long locationId = Gid.parse("Location", q.locationId());
      if (!state.locations.containsKey(locationId)) {
        errors.add(
            itemError(
                "INVALID_LOCATION",
                index,
                "locationId",
                "The specified location could not be found."));
        continue;
      }
      if (!item.tracked) {
        errors.add(
            itemError(
                "NON_MUTABLE_INVENTORY_ITEM",
                index,
                "inventoryItemId",
                "The specified inventory item is not tracked, so its quantities cannot be set."));
        continue;
      }
      ShopState.Level level = item.levels.get(locationId);
      if (level == null) {
        errors.add(
            itemError(
                "ITEM_NOT_STOCKED_AT_LOCATION",
                index,
                "locationId",
                "The specified inventory item is not stocked at the location."));
        continue;
      }
      if (q.quantity() < 0) {
        errors.add(
            itemError(
                "INVALID_QUANTITY_NEGATIVE", index, "quantity", "The quantity can't be negative."));
        continue;
      }
      if (q.quantity() > MAX_QUANTITY) {
        errors.add(
            itemError(
                "INVALID_QUANTITY_TOO_HIGH",
                index,
                "quantity",
                "The quantity can't be higher than 1,000,000,000."));
        continue;
      }
      if (!seen.add(new Pair(item.id, locationId))) {
        errors.add(
            itemError(
                "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                index,
                "inventoryItemId",
                "The combination of inventoryItemId and locationId must be unique."));
        continue;
      }
      long current = onHand ? level.onHand : level.available;
      // From 2026-04 changeFromQuantity must be given on every quantity, null meaning "don't
      // compare"; graphql-java tells an explicit null from a missing key.
      if (!q.compareGiven()) {
        errors.add(
            itemError(
                "COMPARE_QUANTITY_REQUIRED",
                index,
                "changeFromQuantity",
                "changeFromQuantity is required; pass null to skip the comparison."));
        continue;
      }
      if (q.compareTo() != null && q.compareTo() != current) {
        errors.add(
            itemError(
                "CHANGE_FROM_QUANTITY_STALE",
                index,
                "changeFromQuantity",
                "The specified changeFromQuantity does not match the current quantity ("
                    + current
                    + ")."));
        continue;
      }
      items[i] = item;
      locationIds[i] = locationId;
      levels[i] = level;
    }
    if (!errors.isEmpty()) {
      return inventorySetPayload(null, errors);
    }
    Instant now = state.now();
    List<Object> changes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ShopState.Level level = levels[i];
      long target = quantities.get(i).quantity();
      long delta = target - (onHand ? level.onHand : level.available);
      if (delta == 0) {
        continue;
      }
      level.available += delta;
      level.onHand += delta;
      level.updatedAt = now;
      Map<String, @Nullable Object> change = Json.object();
      change.put("name", name);
      change.put("delta", delta);
      change.put("quantityAfterChange", target);
      change.put("item", itemNode(items[i]));
      change.put("location", locationNode(state.locations.get(locationIds[i])));
      changes.add(change);
      if (state.eventsEnabled) {
        state.emitLevelUpdate(items[i], locationIds[i], level);
      }
    }
    Map<String, @Nullable Object> group = Json.object();
    group.put("__typename", "InventoryAdjustmentGroup");
    group.put("id", Gid.of("InventoryAdjustmentGroup", state.nextAdjustmentGroupId()));
    group.put("createdAt", Timestamps.format(now));
    group.put("reason", reason);
    group.put("referenceDocumentUri", referenceDocumentUri);
    group.put("changes", changes);
    return inventorySetPayload(group, List.of());
  }

  private static Map<String, @Nullable Object> inventorySetPayload(
      @Nullable Map<String, @Nullable Object> group, List<Object> userErrors) {
    return Json.object("inventoryAdjustmentGroup", group, "userErrors", userErrors);
  }

  private static Map<String, @Nullable Object> itemError(
      String code, String index, String field, String message) {
    return userError(code, List.of("input", "quantities", index, field), message);
  }

  private static Map<String, @Nullable Object> userError(
      String code, List<String> field, String message) {
    Map<String, @Nullable Object> error = Json.object();
    error.put("code", code);
    error.put("field", field);
    error.put("message", message);
    return error;
  }

  private static boolean validUri(String value) {
    try {
      URI uri = new URI(value);
      return uri.getScheme() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }


  // ---------------------------------------------------------------- helpers

  private static FetchError tooManyInputs(int size) {
    return new FetchError(
        "MAX_INPUT_SIZE_EXCEEDED",
        "The input array size of "
            + size
            + " is greater than the maximum allowed of "
            + MAX_INPUT_SIZE
            + ".");
  }

  private static Map<String, @Nullable Object> error(String message, @Nullable String code) {
    Map<String, @Nullable Object> error = Json.object();
    error.put("message", message);
    if (code != null) {
      error.put("extensions", Json.object("code", code));
    }
    return error;
  }

  private String errorBody(Map<String, @Nullable Object> error, @Nullable Integer requestedCost) {
    Map<String, @Nullable Object> body = Json.object("errors", List.of(error));
    if (requestedCost != null) {
      body.put("extensions", costExtensions(requestedCost, null));
    }
    return Json.write(body);
  }

  private Map<String, @Nullable Object> costExtensions(
      int requestedCost, @Nullable Integer actualCost) {
    Map<String, @Nullable Object> throttle = Json.object();
    throttle.put("maximumAvailable", bucket.maximumAvailable());
    throttle.put("currentlyAvailable", bucket.currentlyAvailable());
    throttle.put("restoreRate", bucket.restoreRate());
    Map<String, @Nullable Object> cost = Json.object();
    cost.put("requestedQueryCost", requestedCost);
    cost.put("actualQueryCost", actualCost);
    cost.put("throttleStatus", throttle);
    return Json.object("cost", cost);
  }
}
