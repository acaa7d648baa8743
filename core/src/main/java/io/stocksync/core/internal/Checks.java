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
