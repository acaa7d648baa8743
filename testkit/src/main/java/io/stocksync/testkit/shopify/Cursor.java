package io.stocksync.testkit.shopify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Opaque page cursors: base64 of {@code kind:position}. A cursor names the connection it came
 * from, so one connection's cursor is rejected by another.
 */
final class Cursor {
  private Cursor() {}

  static String of(String kind, String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + ':' + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The position encoded in a cursor of this kind. */
  static String position(String kind, String cursor) throws GraphQlError {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(cursor);
    }
    if (!decoded.startsWith(kind + ':')) {
      throw invalid(cursor);
    }
    return decoded.substring(kind.length() + 1);
  }

  /** A cursor over ids: the last id returned. */
  static String ofId(String kind, long id) {
    return of(kind, Long.toString(id));
  }

  /** The id after which a page starts, or {@link Long#MIN_VALUE} without a cursor. */
  static long afterId(String kind, @Nullable String cursor) throws GraphQlError {
    if (cursor == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Long.parseLong(position(kind, cursor));
    } catch (NumberFormatException e) {
      throw invalid(cursor);
    }
  }

  /** A cursor over (instant, id) keys. */
  static String ofInstantAndId(String kind, Instant instant, long id) {
    return of(kind, instant + "|" + id);
  }

  /** Decodes a cursor made by {@link #ofInstantAndId}. */
  static ShopState.OrderKey afterOrder(String kind, String cursor) throws GraphQlError {
    String position = position(kind, cursor);
    int bar = position.indexOf('|');
    if (bar < 0) {
      throw invalid(cursor);
    }
    try {
      return new ShopState.OrderKey(
          Instant.parse(position.substring(0, bar)), Long.parseLong(position.substring(bar + 1)));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw invalid(cursor);
    }
  }

  private static GraphQlError invalid(String cursor) {
    return GraphQlError.badRequest("Invalid cursor for this connection: " + cursor);
  }
}
