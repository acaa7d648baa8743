package io.stocksync.testkit.shopify;

import io.stocksync.testkit.internal.Json;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Shopify's bulk query operations, as the emulator runs them ({@code bulkOperationRunQuery},
 * {@code bulkOperation(id:)}, {@code bulkOperationCancel}), following
 * shopify.dev/docs/api/usage/bulk-operations/queries:
 *
 * <ul>
 *   <li>The inner query is parsed and validated against the emulator's schema and the bulk rules:
 *       at least one connection, at most five, at most two levels of nesting, no top-level {@code
 *       node}/{@code nodes}, no connection inside a list field, and the parent node of a nested
 *       connection selects {@code id}. A refusal is a {@code BulkOperationUserError} with code
 *       {@code INVALID} and field {@code ["query"]}.
 *   <li>The query runs against the shop as it is when the operation starts, with {@code first},
 *       cursors and {@code pageInfo} ignored. Its result is a JSONL file: one line per connection
 *       node; a nested connection's nodes are lines of their own with {@code __parentId}, the id of
 *       the node they belong to. Without {@code groupObjects} children do not follow their parent
 *       at once: a block of parents comes first, then their children, as Shopify warns.
 *   <li>Time runs on the emulator's clock: {@code CREATED}, {@code RUNNING} after {@link
 *       #startDelay}, {@code COMPLETED} after a time proportional to the objects ({@link
 *       #objectsPerSecond}). The file is served over HTTP at {@code url} until seven days after
 *       completion; then the status reads {@code EXPIRED} and the link answers as an expired signed
 *       storage link does (HTTP 400, {@code ExpiredToken}).
 *   <li>Concurrency: from API version 2026-01 up to {@link #concurrentLimit} bulk queries run at
 *       once per shop and app (one more is refused with {@code LIMIT_REACHED}); before 2026-01 only
 *       one ({@code OPERATION_IN_PROGRESS}).
 *   <li>Cancel: {@code CANCELING}, then {@code CANCELED} a second later. An injected failure ends
 *       the next operation {@code FAILED} with an {@code errorCode} and the lines written so far at
 *       {@code partialDataUrl}.
 *   <li>{@code bulk_operations/finish} is sent (when webhooks are on) as the emulator notices an
 *       operation ended: when it next handles a request, or at {@link #settle(Instant)}.
 * </ul>
 *
 * <p>Not thread-safe: guarded by the {@link ShopState} monitor like the rest of the state.
 */
final class BulkOperations {
  /** How long a result link stays valid after the operation ends. */
  static final Duration LINK_LIFETIME = Duration.ofDays(7);
  /** How long a cancel takes, from CANCELING to CANCELED. */
  static final Duration CANCEL_DELAY = Duration.ofSeconds(1);
  /** How many parent lines come before their children when objects are not grouped. */
  static final int UNGROUPED_BLOCK = 100;

  private final ShopState state;
  private final GraphQLSchema schema;
  private final TreeMap<Long, Op> operations = new TreeMap<>();
  private long nextId = 3_000_000_000_001L;

  int objectsPerSecond = 1000;
  Duration startDelay = Duration.ofSeconds(1);
  int concurrentLimit = 5;
  private @Nullable Failure nextFailure;

  /** An injected failure for the next operation. */
  record Failure(String errorCode, double atFraction) {}

  BulkOperations(ShopState state, GraphQLSchema schema) {
    this.state = state;
    this.schema = schema;
  }

  /** One bulk operation and its result. */
  static final class Op {
    final long id;
    final String query;
    final Instant createdAt;
    final Instant runningAt;
    /** When it ends by itself: completes, or fails when {@link #failure} is set. */
    final Instant endsAt;
    final @Nullable Failure failure;
    final byte[] file;
    final int objects;
    final int roots;
    final int partialObjects;
    final byte[] partialFile;
    final String token = UUID.randomUUID().toString().replace("-", "");
    String status = "CREATED";
    @Nullable Instant completedAt;
    @Nullable Instant cancelRequestedAt;
    boolean announced;

    Op(long id, String query, Instant createdAt, Instant runningAt, Instant endsAt,
        @Nullable Failure failure, byte[] file, int objects, int roots, int partialObjects,
        byte[] partialFile) {
      this.id = id;
      this.query = query;
      this.createdAt = createdAt;
      this.runningAt = runningAt;
      this.endsAt = endsAt;
      this.failure = failure;
      this.file = file;
      this.objects = objects;
      this.roots = roots;
      this.partialObjects = partialObjects;
      this.partialFile = partialFile;
    }

    boolean running() {
      return status.equals("CREATED") || status.equals("RUNNING") || status.equals("CANCELING");
    }
  }

  void failNext(String errorCode, double atFraction) {
    nextFailure = new Failure(errorCode, atFraction);
  }

  /** Moves every operation to the status the clock says, announcing those that ended. */
  void settle(Instant now) {
    for (Op op : operations.values()) {
      if (op.status.equals("CANCELING")) {
        Instant cancelled = op.cancelRequestedAt.plus(CANCEL_DELAY);
        if (!now.isBefore(op.endsAt) && op.endsAt.isBefore(cancelled)) {
          end(op, op.failure == null ? "COMPLETED" : "FAILED", op.endsAt);
        } else if (!now.isBefore(cancelled)) {
          end(op, "CANCELED", cancelled);
        }
      } else if (op.status.equals("CREATED") || op.status.equals("RUNNING")) {
        if (!now.isBefore(op.endsAt)) {
          end(op, op.failure == null ? "COMPLETED" : "FAILED", op.endsAt);
        } else if (!now.isBefore(op.runningAt)) {
          op.status = "RUNNING";
        }
      }
      if (op.status.equals("COMPLETED") && op.completedAt != null
          && !now.isBefore(op.completedAt.plus(LINK_LIFETIME))) {
        op.status = "EXPIRED";
      }
    }
  }

  private void end(Op op, String status, Instant at) {
    op.status = status;
    op.completedAt = at;
    if (!op.announced) {
      op.announced = true;
      state.emitBulkFinish(Gid.of("BulkOperation", op.id), status, op.failure == null
          || !status.equals("FAILED") ? null : op.failure.errorCode(), op.createdAt, at);
    }
  }

  /**
   * {@code bulkOperationRunQuery}: validates the inner query, then starts it.
   *
   * @param execute runs a validated query document in bulk mode and returns its {@code data}
   */
  Map<String, @Nullable Object> run(String version, String query, boolean groupObjects,
      Function<String, Map<String, @Nullable Object>> execute) {
    Instant now = state.now();
    settle(now);
    int running = 0;
    Op first = null;
    for (Op op : operations.values()) {
      if (op.running()) {
        running++;
        first = first == null ? op : first;
      }
    }
    boolean concurrent = version.compareTo("2026-01") >= 0 || version.equals("unstable");
    if (!concurrent && first != null) {
      return runPayload(null, userError("OPERATION_IN_PROGRESS", null,
          "A bulk query operation for this app and shop is already in progress: "
              + Gid.of("BulkOperation", first.id) + "."));
    }
    if (concurrent && running >= concurrentLimit) {
      return runPayload(null, userError("LIMIT_REACHED", null,
          "Bulk operations limit reached. Please try again later."));
    }
    Document document;
    try {
      document = Parser.parse(query);
    } catch (InvalidSyntaxException e) {
      return invalid("Invalid bulk query: " + e.getMessage());
    }
    List<ValidationError> errors = new Validator().validateDocument(schema, document, Locale.ENGLISH);
    if (!errors.isEmpty()) {
      return invalid("Invalid bulk query: " + errors.get(0).getDescription());
    }
    List<OperationDefinition> operationsInDoc = document.getDefinitionsOfType(OperationDefinition.class);
    if (operationsInDoc.size() != 1
        || operationsInDoc.get(0).getOperation() != OperationDefinition.Operation.QUERY) {
      return invalid("Invalid bulk query: a bulk query must be exactly one query operation.");
    }
    if (!operationsInDoc.get(0).getVariableDefinitions().isEmpty()) {
      return invalid("Invalid bulk query: bulk queries cannot use variables.");
    }
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
      fragments.put(fragment.getName(), fragment);
    }
    Shape shape = new Shape(schema, fragments);
    String problem = shape.check(operationsInDoc.get(0).getSelectionSet());
    if (problem != null) {
      return invalid(problem);
    }

    Map<String, @Nullable Object> data = execute.apply(query);
    List<List<Map<String, @Nullable Object>>> groups = new ArrayList<>();
    shape.flatten(operationsInDoc.get(0).getSelectionSet(), schema.getQueryType(), data, groups);
    List<Map<String, @Nullable Object>> lines = new ArrayList<>();
    if (groupObjects) {
      groups.forEach(lines::addAll);
    } else {
      for (int from = 0; from < groups.size(); from += UNGROUPED_BLOCK) {
        List<List<Map<String, @Nullable Object>>> block =
            groups.subList(from, Math.min(groups.size(), from + UNGROUPED_BLOCK));
        block.forEach(g -> lines.add(g.get(0)));
        block.forEach(g -> lines.addAll(g.subList(1, g.size())));
      }
    }
    byte[] file = jsonl(lines);
    Failure failure = nextFailure;
    nextFailure = null;
    long seconds = Math.max(1, (lines.size() + objectsPerSecond - 1) / objectsPerSecond);
    Duration work = Duration.ofSeconds(seconds);
    Instant runningAt = now.plus(startDelay);
    Instant endsAt = runningAt.plus(work);
    int partialObjects = 0;
    byte[] partial = new byte[0];
    if (failure != null) {
      partialObjects = (int) Math.floor(lines.size() * failure.atFraction());
      partial = jsonl(lines.subList(0, partialObjects));
      endsAt = runningAt.plusMillis((long) (work.toMillis() * failure.atFraction()));
    }
    Op op = new Op(nextId++, query, now, runningAt, endsAt, failure, file, lines.size(),
        groups.size(), partialObjects, partial);
    operations.put(op.id, op);
    return runPayload(node(op, now), null);
  }

  private static byte[] jsonl(List<Map<String, @Nullable Object>> lines) {
    StringBuilder out = new StringBuilder();
    for (Map<String, @Nullable Object> line : lines) {
      out.append(Json.write(line)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code bulkOperationCancel(id:)}. */
  Map<String, @Nullable Object> cancel(@Nullable Object id) {
    Instant now = state.now();
    settle(now);
    Op op = find(id);
    if (op == null) {
      return Json.object("bulkOperation", null, "userErrors",
          List.of(Json.object("field", List.of("id"), "message", "Bulk operation does not exist")));
    }
    if (!op.running()) {
      return Json.object("bulkOperation", node(op, now), "userErrors", List.of(Json.object(
          "field", null, "message", "A bulk operation cannot be canceled when it is "
              + op.status.toLowerCase(Locale.ROOT))));
    }
    if (op.cancelRequestedAt == null) {
      op.cancelRequestedAt = now;
      op.status = "CANCELING";
    }
    return Json.object("bulkOperation", node(op, now), "userErrors", List.of());
  }

  /** {@code bulkOperation(id:)} and {@code node(id:)}: null for an unknown id. */
  @Nullable Map<String, @Nullable Object> get(@Nullable Object id) {
    Instant now = state.now();
    settle(now);
    Op op = find(id);
    return op == null ? null : node(op, now);
  }

  private @Nullable Op find(@Nullable Object id) {
    try {
      return operations.get(Gid.parse("BulkOperation", id));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The operation whose file a download path names, or null. */
  @Nullable Op byPath(long id, String token) {
    Op op = operations.get(id);
    return op != null && op.token.equals(token) ? op : null;
  }

  /** The JSONL behind a link now: null once the link has expired. */
  byte @Nullable [] download(Op op, boolean partial, Instant now) {
    settle(now);
    if (op.completedAt == null || !now.isBefore(op.completedAt.plus(LINK_LIFETIME))) {
      return null;
    }
    if (partial) {
      return op.status.equals("FAILED") && op.partialObjects > 0 ? op.partialFile : null;
    }
    return op.status.equals("COMPLETED") && op.objects > 0 ? op.file : null;
  }

  List<Op> all() {
    return List.copyOf(operations.values());
  }

  /** The download path of an operation's file, below the emulator's base URL. */
  static String path(Op op, boolean partial) {
    return "bulk-operations/" + op.id + "/" + op.token + (partial ? "/partial.jsonl" : "/result.jsonl");
  }

  /** Set by the emulator: its base URL, for the links it reports. */
  Function<String, String> linkBase = path -> "https://storage.invalid/" + path;

  private Map<String, @Nullable Object> node(Op op, Instant now) {
    Map<String, @Nullable Object> node = Json.object();
    node.put("__typename", "BulkOperation");
    node.put("id", Gid.of("BulkOperation", op.id));
    node.put("status", op.status);
    node.put("type", "QUERY");
    node.put("query", op.query);
    node.put("createdAt", Timestamps.format(op.createdAt));
    node.put("completedAt", op.completedAt == null || !op.status.equals("COMPLETED")
        && !op.status.equals("EXPIRED") ? null : Timestamps.format(op.completedAt));
    node.put("errorCode", op.status.equals("FAILED") ? op.failure.errorCode() : null);
    long objects;
    if (op.status.equals("COMPLETED") || op.status.equals("EXPIRED")) {
      objects = op.objects;
    } else if (op.status.equals("FAILED")) {
      objects = op.partialObjects;
    } else if (now.isBefore(op.runningAt)) {
      objects = 0;
    } else {
      Instant until = op.cancelRequestedAt != null ? op.cancelRequestedAt : now;
      double done = (double) Duration.between(op.runningAt, until).toMillis()
          / Math.max(1, Duration.between(op.runningAt, op.endsAt).toMillis());
      objects = Math.min(op.objects, (long) Math.floor(op.objects * Math.max(0, done)));
    }
    node.put("objectCount", Long.toString(objects));
    node.put("rootObjectCount", Long.toString(op.objects == 0 ? 0
        : Math.round((double) objects * op.roots / op.objects)));
    boolean completed = op.status.equals("COMPLETED");
    node.put("fileSize", completed && op.objects > 0 ? Long.toString(op.file.length) : null);
    node.put("url", completed && op.objects > 0 ? linkBase.apply(path(op, false)) : null);
    node.put("partialDataUrl", op.status.equals("FAILED") && op.partialObjects > 0
        ? linkBase.apply(path(op, true)) : null);
    return node;
  }

  private static Map<String, @Nullable Object> runPayload(
      @Nullable Map<String, @Nullable Object> operation, @Nullable Map<String, @Nullable Object> error) {
    return Json.object("bulkOperation", operation, "userErrors", error == null ? List.of() : List.of(error));
  }

  private static Map<String, @Nullable Object> invalid(String message) {
    return runPayload(null, userError("INVALID", List.of("query"), message));
  }

  private static Map<String, @Nullable Object> userError(
      String code, @Nullable List<String> field, String message) {
    Map<String, @Nullable Object> error = Json.object();
    error.put("code", code);
    error.put("field", field);
    error.put("message", message);
    return error;
  }

  // ---------------------------------------------------------------- the query's shape

  /** Checks a bulk query's shape and flattens its result into JSONL lines. */
  static final class Shape {
    private final GraphQLSchema schema;
    private final Map<String, FragmentDefinition> fragments;

    Shape(GraphQLSchema schema, Map<String, FragmentDefinition> fragments) {
      this.schema = schema;
      this.fragments = fragments;
    }

    /** The fields of a selection set, with fragments expanded. */
    private List<Field> fields(@Nullable SelectionSet set) {
      List<Field> out = new ArrayList<>();
      if (set == null) {
        return out;
      }
      for (Selection<?> selection : set.getSelections()) {
        if (selection instanceof Field field) {
          out.add(field);
        } else if (selection instanceof InlineFragment inline) {
          out.addAll(fields(inline.getSelectionSet()));
        } else if (selection instanceof FragmentSpread spread) {
          FragmentDefinition definition = fragments.get(spread.getName());
          if (definition != null) {
            out.addAll(fields(definition.getSelectionSet()));
          }
        }
      }
      return out;
    }

    private @Nullable GraphQLFieldDefinition definition(GraphQLType parent, Field field) {
      GraphQLType unwrapped = GraphQLTypeUtil.unwrapAll(parent);
      if (unwrapped instanceof GraphQLFieldsContainer container) {
        return container.getFieldDefinition(field.getName());
      }
      return null;
    }

    private static boolean isConnection(GraphQLFieldDefinition definition) {
      return ((GraphQLNamedType) GraphQLTypeUtil.unwrapAll(definition.getType())).getName()
          .endsWith("Connection");
    }

    private static boolean isList(GraphQLType type) {
      return GraphQLTypeUtil.unwrapNonNull(type) instanceof GraphQLList;
    }

    private int connections;
    private @Nullable String problem;

    /** Null when Shopify would run the query, else its refusal. */
    @Nullable String check(SelectionSet root) {
      for (Field field : fields(root)) {
        if (field.getName().equals("node") || field.getName().equals("nodes")) {
          return "Bulk queries cannot contain top-level `node` or `nodes` fields.";
        }
      }
      walk(root, schema.getQueryType(), 0, false, true);
      if (problem != null) {
        return problem;
      }
      if (connections == 0) {
        return "Bulk queries must contain at least one connection.";
      }
      if (connections > 5) {
        return "Bulk queries cannot contain more than 5 connections.";
      }
      return null;
    }

    /**
     * Walks a selection: {@code depth} counts the connections above, {@code inList} tells a list
     * field is above, {@code hasId} whether the node owning this selection selects {@code id}.
     */
    private void walk(SelectionSet set, GraphQLType type, int depth, boolean inList, boolean hasId) {
      for (Field field : fields(set)) {
        GraphQLFieldDefinition definition = definition(type, field);
        if (definition == null || field.getSelectionSet() == null) {
          continue;
        }
        if (isConnection(definition)) {
          connections++;
          if (inList) {
            problem = "Queries that contain a connection field within a list field are not"
                + " currently supported.";
          } else if (depth >= 2) {
            problem = "Bulk queries cannot contain connections with a nesting depth greater than 2.";
          } else if (depth >= 1 && !hasId) {
            problem = "The parent 'node' field for a nested connection must select the 'id' field"
                + " without an alias and must be of 'ID' return type.";
          }
          GraphQLType connectionType = GraphQLTypeUtil.unwrapAll(definition.getType());
          for (Field part : fields(field.getSelectionSet())) {
            GraphQLFieldDefinition partDefinition = definition(connectionType, part);
            if (partDefinition == null || part.getSelectionSet() == null) {
              continue;
            }
            if (part.getName().equals("nodes")) {
              walk(part.getSelectionSet(), partDefinition.getType(), depth + 1, false,
                  selectsId(part.getSelectionSet()));
            } else if (part.getName().equals("edges")) {
              GraphQLType edgeType = GraphQLTypeUtil.unwrapAll(partDefinition.getType());
              for (Field node : fields(part.getSelectionSet())) {
                GraphQLFieldDefinition nodeDefinition = definition(edgeType, node);
                if (node.getName().equals("node") && nodeDefinition != null
                    && node.getSelectionSet() != null) {
                  walk(node.getSelectionSet(), nodeDefinition.getType(), depth + 1, false,
                      selectsId(node.getSelectionSet()));
                }
              }
            }
          }
        } else {
          walk(field.getSelectionSet(), definition.getType(), depth,
              inList || isList(definition.getType()), hasId);
        }
      }
    }

    private boolean selectsId(SelectionSet set) {
      for (Field field : fields(set)) {
        if (field.getName().equals("id") && field.getAlias() == null) {
          return true;
        }
      }
      return false;
    }

    private static String key(Field field) {
      return field.getAlias() != null ? field.getAlias() : field.getName();
    }

    /**
     * Flattens the result: one group per top-level node, its own line first, then the lines of
     * its nested connections' nodes.
     */
    void flatten(SelectionSet root, GraphQLType type, @Nullable Map<String, @Nullable Object> data,
        List<List<Map<String, @Nullable Object>>> groups) {
      if (data == null) {
        return;
      }
      for (Field field : fields(root)) {
        GraphQLFieldDefinition definition = definition(type, field);
        if (definition == null || field.getSelectionSet() == null) {
          continue;
        }
        Object value = data.get(key(field));
        if (!(value instanceof Map<?, ?> map)) {
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> child = (Map<String, @Nullable Object>) map;
        if (isConnection(definition)) {
          for (Node node : nodes(field, definition, child)) {
            List<Map<String, @Nullable Object>> group = new ArrayList<>();
            line(node, null, group);
            groups.add(group);
          }
        } else {
          flatten(field.getSelectionSet(), definition.getType(), child, groups);
        }
      }
    }

    /** A node of a connection with the selection that produced it. */
    private record Node(SelectionSet selection, GraphQLType type, Map<String, @Nullable Object> data) {}

    @SuppressWarnings("unchecked")
    private List<Node> nodes(Field connection, GraphQLFieldDefinition definition,
        Map<String, @Nullable Object> value) {
      List<Node> out = new ArrayList<>();
      GraphQLType connectionType = GraphQLTypeUtil.unwrapAll(definition.getType());
      for (Field part : fields(connection.getSelectionSet())) {
        GraphQLFieldDefinition partDefinition = definition(connectionType, part);
        if (partDefinition == null || !(value.get(key(part)) instanceof List<?> list)) {
          continue;
        }
        if (part.getName().equals("nodes")) {
          for (Object n : list) {
            if (n instanceof Map<?, ?> m) {
              out.add(new Node(part.getSelectionSet(), partDefinition.getType(),
                  (Map<String, @Nullable Object>) m));
            }
          }
        } else if (part.getName().equals("edges")) {
          GraphQLType edgeType = GraphQLTypeUtil.unwrapAll(partDefinition.getType());
          for (Object e : list) {
            if (!(e instanceof Map<?, ?> edge)) {
              continue;
            }
            for (Field nodeField : fields(part.getSelectionSet())) {
              GraphQLFieldDefinition nodeDefinition = definition(edgeType, nodeField);
              if (nodeField.getName().equals("node") && nodeDefinition != null
                  && edge.get(key(nodeField)) instanceof Map<?, ?> m) {
                out.add(new Node(nodeField.getSelectionSet(), nodeDefinition.getType(),
                    (Map<String, @Nullable Object>) m));
              }
            }
          }
        }
      }
      return out;
    }

    /** Adds a node's line, then the lines of its nested connections' nodes. */
    private void line(Node node, @Nullable Object parentId, List<Map<String, @Nullable Object>> out) {
      List<Node> children = new ArrayList<>();
      Map<String, @Nullable Object> line = strip(node.selection(), node.type(), node.data(), children);
      if (parentId != null) {
        line.put("__parentId", parentId);
      }
      out.add(line);
      for (Node child : children) {
        line(child, node.data().get("id"), out);
      }
    }

    /** A copy of an object without its nested connections, which are collected instead. */
    @SuppressWarnings("unchecked")
    private Map<String, @Nullable Object> strip(SelectionSet selection, GraphQLType type,
        Map<String, @Nullable Object> data, List<Node> children) {
      Map<String, @Nullable Object> out = new LinkedHashMap<>(data);
      for (Field field : fields(selection)) {
        GraphQLFieldDefinition definition = definition(type, field);
        if (definition == null || field.getSelectionSet() == null) {
          continue;
        }
        Object value = data.get(key(field));
        if (isConnection(definition)) {
          out.remove(key(field));
          if (value instanceof Map<?, ?> m) {
            children.addAll(nodes(field, definition, (Map<String, @Nullable Object>) m));
          }
        } else if (value instanceof Map<?, ?> m && !isList(definition.getType())) {
          out.put(key(field), strip(field.getSelectionSet(), definition.getType(),
              (Map<String, @Nullable Object>) m, children));
        }
      }
      return out;
    }
  }
}
