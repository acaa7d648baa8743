package io.stocksync.core.store;

import io.stocksync.core.StoreId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Leases that let several instances share one database while each store's sync runs in exactly
 * one of them. An instance owns a store while it renews the lease; one that stops renewing is
 * replaced once the lease lapses, and the newcomer's fencing token refuses any later write of the
 * old owner (checked by {@link StoreTransaction#requireLease} in the same transaction as the
 * write). {@link InMemoryStoreLeases} serves a single instance; a database store implements this
 * interface over a table.
 */
public interface StoreLeases {
  /**
   * Acquires a store's lease for an owner, or renews it if the owner holds it. A lease held by
   * another owner is taken over only after it lapsed; the token then grows by one.
   *
   * @param store the store
   * @param owner the acquiring instance's id
   * @param ttl how long the lease lasts without renewal; positive
   * @return the lease now held by {@code owner}, or empty if another owner's lease is still live
   */
  Optional<StoreLease> acquire(StoreId store, String owner, Duration ttl);

  /**
   * Gives a lease up at once, so that another instance may take the store without waiting for it
   * to lapse. The token is kept, so the taker still fences the old owner out.
   *
   * @param lease the lease
   * @return true if it was released, false if it was no longer held with that token
   */
  boolean release(StoreLease lease);

  /**
   * Returns every lease, live or lapsed.
   *
   * @return the leases
   */
  List<StoreLease> leases();
}
