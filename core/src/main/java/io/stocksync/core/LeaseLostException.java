package io.stocksync.core;

/**
 * A write of a store's sync state was refused because this instance no longer holds the store's
 * lease: another instance took it over (its fencing token is newer). Nothing of the transaction
 * was written; the instance must stop working on the store.
 */
public class LeaseLostException extends StockSyncException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param store the store whose lease was lost
   * @param token the fencing token the write carried
   * @param current the store's current token, or -1 if it has no lease
   */
  public LeaseLostException(StoreId store, long token, long current) {
    super("lease on " + store + " lost: write fenced with token " + token + ", current token "
        + current);
  }
}
