package io.stocksync.testkit.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * JSON reading and writing through Moshi. Documents are trees of {@link Map} (insertion-ordered),
 * {@link List}, {@link String}, {@link Number}, {@link Boolean} and {@code null}.
 *
 * <p>Shared by the emulators; not part of the testkit's supported API.
 */
public final class Json {
  private static final Moshi MOSHI = new Moshi.Builder().build();
  private static final JsonAdapter<Object> ADAPTER = MOSHI.adapter(Object.class);
  private static final JsonAdapter<Object> WRITER = ADAPTER.serializeNulls();

  private Json() {}

  /**
   * Parses a document.
   *
   * @param json the text
   * @return the document, or {@code null} when the text is not valid JSON
   */
  public static @Nullable Object parse(String json) {
    try {
      return ADAPTER.fromJson(json);
    } catch (IOException | JsonDataException e) {
      return null;
    }
  }

  /**
   * Writes a document, nulls included.
   *
   * @param document a tree of maps, lists and scalars
   * @return its JSON text
   * @throws IllegalArgumentException if the document holds something JSON cannot encode
   */
  public static String write(Object document) {
    Buffer buffer = new Buffer();
    try {
      WRITER.toJson(buffer, document);
    } catch (JsonEncodingException e) {
      throw new IllegalArgumentException("cannot encode " + document, e);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory buffer failed", e);
    }
    return buffer.readUtf8();
  }

  /**
   * Starts a mutable, insertion-ordered object to fill in.
   *
   * @return an empty object
   */
  public static Map<String, @Nullable Object> object() {
    return new LinkedHashMap<>();
  }

  /**
   * Builds a mutable object of one entry.
   *
   * @param name the entry's name
   * @param value its value
   * @return the object
   */
  public static Map<String, @Nullable Object> object(String name, @Nullable Object value) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>(2);
    map.put(name, value);
    return map;
  }

  /**
   * Builds a mutable object of two entries.
   *
   * @param name1 the first entry's name
   * @param value1 its value
   * @param name2 the second entry's name
   * @param value2 its value
   * @return the object
   */
  public static Map<String, @Nullable Object> object(
      String name1, @Nullable Object value1, String name2, @Nullable Object value2) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>(4);
    map.put(name1, value1);
    map.put(name2, value2);
    return map;
  }

  /**
   * Copies a parsed document into a deeply unmodifiable one.
   *
   * @param value the document
   * @return the unmodifiable copy
   */
  public static @Nullable Object freeze(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>(map.size() * 2);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        copy.put(String.valueOf(e.getKey()), freeze(e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(freeze(element));
      }
      return Collections.unmodifiableList(copy);
    }
    return value;
  }

  /**
   * Views a value as an object.
   *
   * @param value a parsed value
   * @return its entries as a string-keyed map view, or {@code null} when it is not an object
   */
  @SuppressWarnings("unchecked")
  public static @Nullable Map<String, @Nullable Object> asObject(@Nullable Object value) {
    return value instanceof Map<?, ?> ? (Map<String, @Nullable Object>) value : null;
  }
}
