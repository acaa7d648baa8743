package io.stocksync.core.internal;

import io.stocksync.core.MalformedResponseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed access to a parsed JSON tree (Moshi's {@code Map}/{@code List}/{@code Double}/...), so a
 * missing or mistyped field becomes a {@link MalformedResponseException} naming its path instead
 * of a {@code ClassCastException} or {@code NullPointerException}. Shared by the bundled
 * connectors; the message names the field, and the connector's store gives the channel.
 */
public final class Json {
  private Json() {}

  /**
   * Returns a required object field.
   *
   * @param node the parent object
   * @param field the field name
   * @return the object
   * @throws MalformedResponseException if absent or not an object
   */
  public static Map<String, Object> obj(Map<String, Object> node, String field) {
    Map<String, Object> v = optObj(node, field);
    if (v == null) {
      throw malformed(field, "object");
    }
    return v;
  }

  /**
   * Returns an optional object field.
   *
   * @param node the parent object
   * @param field the field name
   * @return the object, or null when absent or null
   * @throws MalformedResponseException if present but not an object
   */
  @SuppressWarnings("unchecked")
  public static @Nullable Map<String, Object> optObj(Map<String, Object> node, String field) {
    Object v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map)) {
      throw malformed(field, "object");
    }
    return (Map<String, Object>) v;
  }

  /**
   * Returns a list field; absent or null is an empty list.
   *
   * @param node the parent object
   * @param field the field name
   * @return the list
   * @throws MalformedResponseException if present but not a list
   */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Map<String, Object> node, String field) {
    Object v = node.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw malformed(field, "list");
    }
    return (List<Object>) v;
  }

  /**
   * Casts a list element to an object.
   *
   * @param element the element
   * @param what a description for the message
   * @return the object
   * @throws MalformedResponseException if not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asObj(@Nullable Object element, String what) {
    if (!(element instanceof Map)) {
      throw malformed(what, "object");
    }
    return (Map<String, Object>) element;
  }

  /**
   * Returns the {@code nodes} of a GraphQL connection.
   *
   * @param node the parent object
   * @param connection the connection's field name
   * @return the nodes, empty when the connection is absent
   * @throws MalformedResponseException if mistyped
   */
  public static List<Object> nodes(Map<String, Object> node, String connection) {
    Map<String, Object> c = optObj(node, connection);
    return c == null ? List.of() : list(c, "nodes");
  }

  /**
   * Returns a required string field.
   *
   * @param node the parent object
   * @param field the field name
   * @return the string
   * @throws MalformedResponseException if absent or not a string
   */
  public static String str(Map<String, Object> node, String field) {
    String v = optStr(node, field);
    if (v == null) {
      throw malformed(field, "string");
    }
    return v;
  }

  /**
   * Returns an optional string field.
   *
   * @param node the parent object
   * @param field the field name
   * @return the string, or null
   * @throws MalformedResponseException if present but not a string
   */
  public static @Nullable String optStr(Map<String, Object> node, String field) {
    Object v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw malformed(field, "string");
    }
    return (String) v;
  }

  /**
   * Returns a required integral number field.
   *
   * @param node the parent object
   * @param field the field name
   * @return the number
   * @throws MalformedResponseException if absent or not a number
   */
  public static long num(Map<String, Object> node, String field) {
    Object v = node.get(field);
    if (!(v instanceof Number)) {
      throw malformed(field, "number");
    }
    return ((Number) v).longValue();
  }

  /**
   * Returns an optional number field as a double.
   *
   * @param node the parent object
   * @param field the field name
   * @return the number, or null
   * @throws MalformedResponseException if present but not a number
   */
  public static @Nullable Double optDouble(Map<String, Object> node, String field) {
    Object v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number)) {
      throw malformed(field, "number");
    }
    return ((Number) v).doubleValue();
  }

  /**
   * Returns a boolean field, false when absent.
   *
   * @param node the parent object
   * @param field the field name
   * @return the value
   * @throws MalformedResponseException if present but not a boolean
   */
  public static boolean bool(Map<String, Object> node, String field) {
    Object v = node.get(field);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean)) {
      throw malformed(field, "boolean");
    }
    return (Boolean) v;
  }

  /**
   * Returns a required ISO-8601 instant field.
   *
   * @param node the parent object
   * @param field the field name
   * @return the instant
   * @throws MalformedResponseException if absent or not an ISO-8601 instant
   */
  public static Instant instant(Map<String, Object> node, String field) {
    Instant v = optInstant(node, field);
    if (v == null) {
      throw malformed(field, "ISO-8601 instant");
    }
    return v;
  }

  /**
   * Returns an optional ISO-8601 instant field.
   *
   * @param node the parent object
   * @param field the field name
   * @return the instant, or null
   * @throws MalformedResponseException if present but not an ISO-8601 instant
   */
  public static @Nullable Instant optInstant(Map<String, Object> node, String field) {
    String s = optStr(node, field);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        throw new MalformedResponseException("response field '" + field + "' is not an ISO-8601 instant", e2);
      }
    }
  }

  private static MalformedResponseException malformed(String field, String expected) {
    return new MalformedResponseException(
        "response field '" + field + "' is missing or not a " + expected, null);
  }
}
