package io.stocksync.core;

/**
 * The caller passed something the hub cannot accept; nothing was changed. Fix the input named by
 * {@link #field()} and try again.
 */
public class InvalidInputException extends StockSyncException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates an exception for an invalid field.
   *
   * @param field the name of the offending field or parameter, e.g. {@code "quantity"}
   * @param message why the value is invalid; the field name is prefixed automatically
   */
  public InvalidInputException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /**
   * Returns the name of the offending field or parameter.
   *
   * @return the field name, e.g. {@code "sku"} or {@code "quantity"}
   */
  public String field() {
    return field;
  }
}
