package io.stocksync.testkit.shopify;

import org.jspecify.annotations.Nullable;

/** Formats and parses Shopify global ids such as {@code gid://shopify/Location/1}. */
final class Gid {
  static final String PREFIX = "gid://shopify/";

  private Gid() {}

  static String of(String type, long id) {
    return PREFIX + type + '/' + id;
  }

  /** Whether a value looks like a global id of any type. */
  static boolean wellFormed(@Nullable Object value) {
    return value instanceof String s && s.startsWith(PREFIX) && s.indexOf('/', PREFIX.length()) > 0;
  }

  /**
   * The numeric part of a global id of the given type, or -1 when the value is not such an id.
   */
  static long parse(String type, @Nullable Object value) {
    if (!(value instanceof String s)) {
      return -1;
    }
    int typeStart = PREFIX.length();
    int idStart = typeStart + type.length() + 1;
    if (s.length() <= idStart
        || !s.startsWith(PREFIX)
        || !s.regionMatches(typeStart, type, 0, type.length())
        || s.charAt(idStart - 1) != '/') {
      return -1;
    }
    long id = 0;
    for (int i = idStart; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9' || id > (Long.MAX_VALUE - 9) / 10) {
        return -1;
      }
      id = id * 10 + (c - '0');
    }
    return id;
  }

  /** Like {@link #parse} for the seeding API, failing loudly on a bad id. */
  static long require(String type, String value) {
    long id = parse(type, value);
    if (id < 0) {
      throw new IllegalArgumentException("not a " + type + " global id: " + value);
    }
    return id;
  }
}
