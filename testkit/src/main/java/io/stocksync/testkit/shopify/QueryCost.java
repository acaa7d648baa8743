package io.stocksync.testkit.shopify;

import io.stocksync.testkit.internal.Json;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Computes a request's cost from its parsed document under a {@link CostModel}: the requested
 * cost from the arguments ({@code first}, list sizes), the actual cost from the data returned.
 * Works on any schema, so tests can price Shopify's own examples.
 */
final class QueryCost {
  private final GraphQLSchema schema;
  private final Map<String, FragmentDefinition> fragments;
  private final Map<String, @Nullable Object> variables;
  private final CostModel model;

  QueryCost(
      GraphQLSchema schema,
      Map<String, FragmentDefinition> fragments,
      Map<String, @Nullable Object> variables,
      CostModel model) {
    this.schema = schema;
    this.fragments = fragments;
    this.variables = variables;
    this.model = model;
  }

  /** The requested cost: every connection full to its {@code first}. */
  int requested(OperationDefinition operation) {
    return root(operation, null);
  }

  /** The actual cost, from the {@code data} document the request produced. */
  int actual(OperationDefinition operation, @Nullable Map<String, @Nullable Object> data) {
    return data == null ? 0 : root(operation, data);
  }

  private int root(OperationDefinition operation, @Nullable Map<String, @Nullable Object> data) {
    boolean mutation = operation.getOperation() == OperationDefinition.Operation.MUTATION;
    GraphQLObjectType type = mutation ? schema.getMutationType() : schema.getQueryType();
    if (type == null) {
      return 0;
    }
    int total = 0;
    for (Field field : fields(operation.getSelectionSet(), type)) {
      Object value = data == null ? null : data.get(responseKey(field));
      if (data != null && value == null) {
        continue;
      }
      int cost = field(field, type, value, data != null);
      if (mutation) {
        GraphQLFieldDefinition definition = type.getFieldDefinition(field.getName());
        if (definition != null) {
          cost += model.mutation(largestList(field)) - 1;
        }
      }
      total += cost;
    }
    return total;
  }

  /** The largest list in the arguments of the operation's root fields (ids, quantities). */
  int largestInput(OperationDefinition operation) {
    int largest = 0;
    for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
      if (selection instanceof Field field) {
        largest = Math.max(largest, largestList(field));
      }
    }
    return largest;
  }

  /** The fields selected on a type, fragments flattened; interface alternatives all counted. */
  private List<Field> fields(@Nullable SelectionSet set, GraphQLCompositeType type) {
    List<Field> out = new ArrayList<>();
    if (set == null) {
      return out;
    }
    for (Selection<?> selection : set.getSelections()) {
      if (selection instanceof Field field) {
        out.add(field);
      } else if (selection instanceof InlineFragment inline) {
        out.addAll(fields(inline.getSelectionSet(), type));
      } else if (selection instanceof FragmentSpread spread) {
        FragmentDefinition fragment = fragments.get(spread.getName());
        if (fragment != null) {
          out.addAll(fields(fragment.getSelectionSet(), type));
        }
      }
    }
    return out;
  }

  private @Nullable GraphQLFieldDefinition definition(GraphQLCompositeType type, String name) {
    if (type instanceof GraphQLFieldsContainer container) {
      GraphQLFieldDefinition definition = container.getFieldDefinition(name);
      if (definition != null) {
        return definition;
      }
    }
    // An interface's fragments select fields of its implementations: find the field there.
    for (GraphQLObjectType implementation : implementations(type)) {
      GraphQLFieldDefinition definition = implementation.getFieldDefinition(name);
      if (definition != null) {
        return definition;
      }
    }
    return null;
  }

  private List<GraphQLObjectType> implementations(GraphQLCompositeType type) {
    if (type instanceof GraphQLObjectType) {
      return List.of();
    }
    return schema.getAllTypesAsList().stream()
        .filter(t -> t instanceof GraphQLObjectType)
        .map(t -> (GraphQLObjectType) t)
        .filter(t -> schema.isPossibleType((GraphQLNamedType) type, t))
        .toList();
  }

  /** The selection set's cost on one object of {@code type}. */
  private int selection(
      @Nullable SelectionSet set, GraphQLCompositeType type, @Nullable Object value, boolean actual) {
    Map<String, @Nullable Object> object = Json.asObject(value);
    int total = 0;
    for (Field field : fields(set, type)) {
      Object fieldValue = object == null ? null : object.get(responseKey(field));
      if (actual && fieldValue == null) {
        continue;
      }
      total += field(field, type, fieldValue, actual);
    }
    return total;
  }

  private int field(Field field, GraphQLCompositeType parent, @Nullable Object value, boolean actual) {
    if (field.getName().startsWith("__") || field.getName().equals("pageInfo")) {
      return 0;
    }
    GraphQLFieldDefinition definition = definition(parent, field.getName());
    if (definition == null) {
      return 0;
    }
    GraphQLType type = definition.getType();
    GraphQLType unwrapped = GraphQLTypeUtil.unwrapAll(type);
    if (!(unwrapped instanceof GraphQLCompositeType composite)) {
      return 0; // scalars and enums are free
    }
    if (composite.getName().endsWith("Connection")) {
      return connection(field, (GraphQLFieldsContainer) composite, value, actual);
    }
    if (GraphQLTypeUtil.unwrapNonNull(type) instanceof GraphQLList) {
      if (actual) {
        int total = 0;
        if (value instanceof List<?> list) {
          for (Object element : list) {
            if (element != null) {
              total += 1 + selection(field.getSelectionSet(), composite, element, true);
            }
          }
        }
        return total;
      }
      return listSize(field) * (1 + selection(field.getSelectionSet(), composite, null, false));
    }
    return 1 + selection(field.getSelectionSet(), composite, value, actual);
  }

  private int connection(
      Field field, GraphQLFieldsContainer type, @Nullable Object value, boolean actual) {
    GraphQLFieldDefinition nodesField = type.getFieldDefinition("nodes");
    if (nodesField == null) {
      return 2;
    }
    GraphQLCompositeType nodeType =
        (GraphQLCompositeType) GraphQLTypeUtil.unwrapAll(nodesField.getType());
    GraphQLCompositeType edgeType =
        type.getFieldDefinition("edges") == null
            ? nodeType
            : (GraphQLCompositeType)
                GraphQLTypeUtil.unwrapAll(type.getFieldDefinition("edges").getType());
    Map<String, @Nullable Object> connection = Json.asObject(value);
    int nodeCost = 1;
    int count = 0;
    for (Field child : fields(field.getSelectionSet(), (GraphQLCompositeType) type)) {
      List<@Nullable Object> nodes = new ArrayList<>();
      Object returned = connection == null ? null : connection.get(responseKey(child));
      List<SelectionSet> sets = new ArrayList<>();
      if (child.getName().equals("nodes")) {
        sets.add(child.getSelectionSet());
        if (returned instanceof List<?> list) {
          nodes.addAll(list);
        }
      } else if (child.getName().equals("edges")) {
        for (Field edgeChild : fields(child.getSelectionSet(), edgeType)) {
          if (!edgeChild.getName().equals("node")) {
            continue;
          }
          sets.add(edgeChild.getSelectionSet());
          if (returned instanceof List<?> edges) {
            for (Object edge : edges) {
              Map<String, @Nullable Object> e = Json.asObject(edge);
              nodes.add(e == null ? null : e.get(responseKey(edgeChild)));
            }
          }
        }
      }
      for (SelectionSet set : sets) {
        if (!actual) {
          nodeCost = Math.max(nodeCost, 1 + selection(set, nodeType, null, false));
        }
        for (Object node : nodes) {
          nodeCost = Math.max(nodeCost, 1 + selection(set, nodeType, node, true));
        }
      }
      count = Math.max(count, nodes.size());
    }
    return model.connection(actual ? count : intArgument(field, "first", 0), nodeCost);
  }

  /** How many elements a plain list field asks for: its ids or names, else first, else 1. */
  private int listSize(Field field) {
    for (Argument argument : field.getArguments()) {
      Object value = resolve(argument.getValue());
      if (value instanceof List<?> list) {
        return list.size();
      }
    }
    return intArgument(field, "first", 1);
  }

  private int intArgument(Field field, String name, int otherwise) {
    for (Argument argument : field.getArguments()) {
      if (argument.getName().equals(name) && resolve(argument.getValue()) instanceof Number n) {
        return Math.max(0, n.intValue());
      }
    }
    return otherwise;
  }

  /** The size of the largest list anywhere in the field's arguments (e.g. input.quantities). */
  private int largestList(Field field) {
    int largest = 0;
    for (Argument argument : field.getArguments()) {
      largest = Math.max(largest, largestList(resolve(argument.getValue())));
    }
    return largest;
  }

  private static int largestList(@Nullable Object value) {
    if (value instanceof List<?> list) {
      int largest = list.size();
      for (Object element : list) {
        largest = Math.max(largest, largestList(element));
      }
      return largest;
    }
    if (value instanceof Map<?, ?> map) {
      int largest = 0;
      for (Object element : map.values()) {
        largest = Math.max(largest, largestList(element));
      }
      return largest;
    }
    return 0;
  }

  private @Nullable Object resolve(Value<?> value) {
    if (value instanceof VariableReference reference) {
      return variables.get(reference.getName());
    }
    if (value instanceof IntValue i) {
      return i.getValue().intValue();
    }
    if (value instanceof FloatValue f) {
      return f.getValue().doubleValue();
    }
    if (value instanceof StringValue s) {
      return s.getValue();
    }
    if (value instanceof BooleanValue b) {
      return b.isValue();
    }
    if (value instanceof NullValue) {
      return null;
    }
    if (value instanceof ArrayValue array) {
      List<@Nullable Object> out = new ArrayList<>();
      for (Value<?> element : array.getValues()) {
        out.add(resolve(element));
      }
      return out;
    }
    if (value instanceof ObjectValue object) {
      Map<String, @Nullable Object> out = new LinkedHashMap<>();
      for (ObjectField f : object.getObjectFields()) {
        out.put(f.getName(), resolve(f.getValue()));
      }
      return out;
    }
    return null;
  }

  private static String responseKey(Field field) {
    return field.getAlias() != null ? field.getAlias() : field.getName();
  }
}
