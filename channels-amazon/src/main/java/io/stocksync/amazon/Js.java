package io.stocksync.amazon;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.Moshi;
import io.stocksync.core.MalformedResponseException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/** Reads Amazon's JSON as Moshi trees; a wrong shape is a {@link MalformedResponseException}. */
final class Js {
  static final JsonAdapter<Object> ADAPTER = new Moshi.Builder().build().adapter(Object.class);

  private Js() {}

  static Object parse(String text, String what) {
    try {
      Object o = ADAPTER.fromJson(text);
      if (o == null) {
        throw new MalformedResponseException(what + ": empty JSON", null);
      }
      return o;
    } catch (IOException | JsonDataException e) {
      throw new MalformedResponseException(what + ": malformed JSON", e);
    }
  }

  static String write(Object tree) {
    Buffer b = new Buffer();
    try {
      ADAPTER.toJson(b, tree);
    } catch (JsonEncodingException e) {
      throw new IllegalArgumentException(e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return b.readUtf8();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(@Nullable Object o, String what) {
    if (o instanceof Map) {
      return (Map<String, Object>) o;
    }
    throw new MalformedResponseException(what + ": expected an object", null);
  }

  static @Nullable Map<String, Object> optObj(Map<String, Object> o, String key) {
    Object v = o.get(key);
    return v == null ? null : obj(v, key);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> o, String key) {
    Object v = o.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List) {
      return (List<Object>) v;
    }
    throw new MalformedResponseException(key + ": expected an array", null);
  }

  static String str(Map<String, Object> o, String key) {
    String s = optStr(o, key);
    if (s == null) {
      throw new MalformedResponseException(key + ": missing", null);
    }
    return s;
  }

  static @Nullable String optStr(Map<String, Object> o, String key) {
    Object v = o.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new MalformedResponseException(key + ": expected a string", null);
  }

  static @Nullable Long optLong(Map<String, Object> o, String key) {
    Object v = o.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new MalformedResponseException(key + ": expected a whole number", null);
  }

  static Instant time(Map<String, Object> o, String key) {
    try {
      return Instant.parse(str(o, key));
    } catch (DateTimeParseException e) {
      throw new MalformedResponseException(key + ": not an ISO 8601 date-time", e);
    }
  }
}
