package io.stocksync.etsy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which listings the hub (not the seller) deactivated because every SKU reached 0, so
 * they are reactivated when stock returns while listings the seller deactivated never are. The
 * default keeps them in memory; a host that restarts often can keep them in its own database.
 * Implementations must be thread-safe.
 */
public interface DeactivatedListings {
  /**
   * Tells whether the hub deactivated a listing.
   *
   * @param listingId the Etsy listing id
   * @return true if it did and has not reactivated it
   */
  boolean contains(long listingId);

  /**
   * Records that the hub deactivated a listing.
   *
   * @param listingId the Etsy listing id
   */
  void add(long listingId);

  /**
   * Forgets a listing (reactivated, or changed by the seller).
   *
   * @param listingId the Etsy listing id
   */
  void remove(long listingId);

  /**
   * Returns a new in-memory registry.
   *
   * @return the registry
   */
  static DeactivatedListings inMemory() {
    Set<Long> ids = ConcurrentHashMap.newKeySet();
    return new DeactivatedListings() {
      @Override
      public boolean contains(long listingId) {
        return ids.contains(listingId);
      }

      @Override
      public void add(long listingId) {
        ids.add(listingId);
      }

      @Override
      public void remove(long listingId) {
        ids.remove(listingId);
      }

      @Override
      public String toString() {
        return "DeactivatedListings.inMemory" + ids;
      }
    };
  }
}
