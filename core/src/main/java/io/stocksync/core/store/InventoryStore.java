package io.stocksync.core.store;

import java.util.function.Function;

/**
 * Persistence SPI for the hub. Host applications implement it to keep stock and sync state in
 * their own database; {@link InMemoryInventoryStore} is the default.
 *
 * <p>The core never touches data outside {@link #read} and {@link #write}. A write transaction is
 * the unit of atomicity: an operation, its ledger movements and its operation id commit together
 * or not at all. An implementation must:
 *
 * <ul>
 *   <li>run {@code write} work serializably with respect to other writes (a JDBC implementation
 *       would use {@code SERIALIZABLE}, or {@code SELECT ... FOR UPDATE} on the touched rows);
 *   <li>roll back everything the work wrote when it throws, and rethrow the exception unchanged;
 *   <li>let a {@code write} started inside another {@code write} on the same thread join the
 *       outer transaction;
 *   <li>never expose uncommitted writes to {@code read} work on other threads.
 * </ul>
 *
 * <p>Implementations must be thread-safe.
 */
public interface InventoryStore {
  /**
   * Runs read-only work against a consistent view.
   *
   * @param <T> the result type
   * @param work the work; must not keep the reader after returning
   * @return what the work returned
   * @throws RuntimeException whatever the work throws, unchanged
   */
  <T> T read(Function<? super StoreReader, ? extends T> work);

  /**
   * Runs work in a transaction that commits when the work returns and rolls back when it throws.
   *
   * @param <T> the result type
   * @param work the work; must not keep the transaction after returning
   * @return what the work returned
   * @throws RuntimeException whatever the work throws, unchanged, after rolling back
   */
  <T> T write(Function<? super StoreTransaction, ? extends T> work);
}
