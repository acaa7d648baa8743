package io.stocksync.core;

/** No store with this id is connected to the hub, or no connector is attached for it. */
public class UnknownStoreException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final StoreId store;

  /**
   * Creates the exception.
   *
   * @param store the store
   * @param message why it cannot be used
   */
  public UnknownStoreException(StoreId store, String message) {
    super("store", "'" + store + "' " + message);
    this.store = store;
  }

  /**
   * Returns the store.
   *
   * @return the store id
   */
  public StoreId store() {
    return store;
  }
}
