package io.stocksync.testkit.amazon;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/** JSON trees through Moshi: {@link Map}, {@link List}, {@link String}, {@link Number}, booleans. */
final class Json {
  private static final JsonAdapter<Object> ADAPTER = new Moshi.Builder().build().adapter(Object.class);

  private Json() {}

  /** Parses a document; null when it is not valid JSON. */
  static @Nullable Object parse(@Nullable String json) {
    if (json == null) {
      return null;
    }
    try {
      return ADAPTER.fromJson(json);
    } catch (IOException | JsonDataException e) {
      return null;
    }
  }

  static String write(Object document) {
    Buffer buffer = new Buffer();
    try {
      ADAPTER.toJson(buffer, document);
    } catch (JsonEncodingException e) {
      throw new IllegalArgumentException("cannot encode " + document, e);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory buffer failed", e);
    }
    return buffer.readUtf8();
  }

  static Map<String, Object> object(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        map.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  static @Nullable Map<String, Object> asObject(@Nullable Object o) {
    return o instanceof Map ? (Map<String, Object>) o : null;
  }

  @SuppressWarnings("unchecked")
  static @Nullable List<Object> asList(@Nullable Object o) {
    return o instanceof List ? (List<Object>) o : null;
  }

  static @Nullable String str(@Nullable Map<String, Object> o, String key) {
    return o != null && o.get(key) instanceof String s ? s : null;
  }

  /** An integral number, or null when absent or not integral. */
  static @Nullable Long integer(@Nullable Map<String, Object> o, String key) {
    if (o == null || !(o.get(key) instanceof Number n)) {
      return null;
    }
    double d = n.doubleValue();
    return d == Math.rint(d) && !Double.isInfinite(d) ? (long) d : null;
  }
}
