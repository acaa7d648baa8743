package io.stocksync.core.internal;

import io.stocksync.core.InvalidInputException;
import org.jspecify.annotations.Nullable;

/** Argument checks that throw {@link InvalidInputException} naming the field. */
public final class Checks {
  private Checks() {}

  /**
   * Requires a non-null value.
   *
   * @param <T> the value type
   * @param value the value
   * @param field the field name for the message
   * @return the value
   * @throws InvalidInputException if the value is null
   */
  public static <T> T notNull(@Nullable T value, String field) {
    if (value == null) {
      throw new InvalidInputException(field, "must not be null");
    }
    return value;
  }

  /**
   * Requires a non-blank string and returns it trimmed.
   *
   * @param value the value
   * @param field the field name for the message
   * @param maxLength the longest value accepted
   * @return the trimmed value
   * @throws InvalidInputException if the value is null, blank or too long
   */
  public static String notBlank(@Nullable String value, String field, int maxLength) {
    notNull(value, field);
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      throw new InvalidInputException(field, "must not be blank");
    }
    if (trimmed.length() > maxLength) {
      throw new InvalidInputException(
          field, "longer than " + maxLength + " characters: " + trimmed.length());
    }
    return trimmed;
  }

  /**
   * Requires an identifier: non-blank, at most {@code maxLength} characters after trimming, and
   * free of control characters (NUL breaks PostgreSQL text, CR and LF forge log lines, ESC
   * injects terminal sequences).
   *
   * @param value the value
   * @param field the field name for the message
   * @param maxLength the longest value accepted
   * @return the trimmed value
   * @throws InvalidInputException if the value is null, blank, too long or holds a control
   *     character
   */
  public static String identifier(@Nullable String value, String field, int maxLength) {
    String trimmed = notBlank(value, field, maxLength);
    noControlCharacters(trimmed, field);
    return trimmed;
  }

  /**
   * Requires a text without control characters (C0, DEL, C1, and the Unicode line and paragraph
   * separators).
   *
   * @param value the value
   * @param field the field name for the message
   * @return the value
   * @throws InvalidInputException if the value holds a control character; the message names its
   *     position and code, never echoes the value
   */
  public static String noControlCharacters(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new InvalidInputException(field, String.format(
            "contains control character U+%04X at position %d", (int) c, i));
      }
    }
    return value;
  }

  /**
   * Adds two quantities exactly.
   *
   * @param a a quantity
   * @param b another quantity
   * @param field the field name for the message when the sum cannot be represented
   * @return the sum
   * @throws InvalidInputException if the sum overflows a {@code long}
   */
  public static long addExact(long a, long b, String field) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      throw new InvalidInputException(field, "the resulting quantity would exceed "
          + Long.MAX_VALUE);
    }
    return r;
  }

  /**
   * Adds two quantities, saturating at {@code Long.MAX_VALUE} and {@code Long.MIN_VALUE} instead
   * of wrapping round to the opposite sign.
   *
   * @param a a quantity
   * @param b another quantity
   * @return the sum, clamped
   */
  public static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  /**
   * Requires a quantity greater than zero.
   *
   * @param value the value
   * @param field the field name for the message
   * @return the value
   * @throws InvalidInputException if the value is zero or negative
   */
  public static long positive(long value, String field) {
    if (value <= 0) {
      throw new InvalidInputException(field, "must be > 0: " + value);
    }
    return value;
  }

  /**
   * Requires a quantity of zero or more.
   *
   * @param value the value
   * @param field the field name for the message
   * @return the value
   * @throws InvalidInputException if the value is negative
   */
  public static long notNegative(long value, String field) {
    if (value < 0) {
      throw new InvalidInputException(field, "must be >= 0: " + value);
    }
    return value;
  }

  /**
   * Requires a condition.
   *
   * @param condition the condition
   * @param field the field name for the message
   * @param message what is wrong when the condition is false
   * @throws InvalidInputException if the condition is false
   */
  public static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw new InvalidInputException(field, message);
    }
  }
}
