package io.stocksync.core.store;

import io.stocksync.core.StoreId;
import io.stocksync.core.internal.Checks;
import java.time.Instant;

/**
 * The right of one instance to run a store's sync until {@code expiresAt}, unless renewed.
 *
 * @param store the store
 * @param owner the instance holding it
 * @param token the fencing token: grows by one on every takeover by another instance, and must
 *     accompany every write of the store's sync state (see {@link StoreTransaction#requireLease})
 * @param expiresAt when the lease lapses without a renewal
 */
public record StoreLease(StoreId store, String owner, long token, Instant expiresAt) {
  /**
   * Validates the components.
   *
   * @param store see the record description
   * @param owner see the record description
   * @param token see the record description
   * @param expiresAt see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is null or the token below 1
   */
  public StoreLease {
    Checks.notNull(store, "store");
    Checks.notNull(owner, "owner");
    Checks.positive(token, "token");
    Checks.notNull(expiresAt, "expiresAt");
  }
}
