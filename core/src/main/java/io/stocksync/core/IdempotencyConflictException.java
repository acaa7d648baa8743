package io.stocksync.core;

/**
 * An operation id was reused for a different operation. Operation ids make retries of the
 * <em>same</em> operation harmless; reusing one for another operation is a caller bug.
 */
public class IdempotencyConflictException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String operationId;

  /**
   * Creates the exception.
   *
   * @param operationId the reused id
   */
  public IdempotencyConflictException(String operationId) {
    super("operationId", "'" + operationId + "' was already used for a different operation");
    this.operationId = operationId;
  }

  /**
   * Returns the reused operation id.
   *
   * @return the id
   */
  public String operationId() {
    return operationId;
  }
}
