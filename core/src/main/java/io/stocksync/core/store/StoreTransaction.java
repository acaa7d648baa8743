package io.stocksync.core.store;

import io.stocksync.core.LocationMapping;
import io.stocksync.core.Movement;
import io.stocksync.core.Product;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import java.util.List;

/**
 * Read and write access inside {@link InventoryStore#write}. Writes become visible to other
 * threads only when the transaction commits. Callers validate; implementations store what they
 * are given.
 */
public interface StoreTransaction extends StoreReader {
  /**
   * Inserts or replaces a product and its bundle components.
   *
   * @param product the product
   */
  void putProduct(Product product);

  /**
   * Inserts or replaces a warehouse.
   *
   * @param warehouse the warehouse
   */
  void putWarehouse(Warehouse warehouse);

  /**
   * Inserts or replaces a stock level.
   *
   * @param level the level
   */
  void putStockLevel(StockLevel level);

  /**
   * Appends a ledger entry, assigning the next id of the store's sequence.
   *
   * @param movement the entry; its {@code id} is ignored
   * @return the entry as stored, with its id
   */
  Movement appendMovement(Movement movement);

  /**
   * Records an applied operation id.
   *
   * @param operationId the id
   * @param fingerprint a description of the operation, compared when the id is reused
   */
  void putOperation(String operationId, String fingerprint);

  /**
   * Inserts or replaces a store.
   *
   * @param store the store
   */
  void putStore(StoreRecord store);

  /**
   * Replaces a store's locations.
   *
   * @param store the store
   * @param locations the locations
   */
  void putLocations(StoreId store, List<ChannelLocation> locations);

  /**
   * Replaces a store's location mappings.
   *
   * @param store the store
   * @param mappings the mappings
   */
  void putMappings(StoreId store, List<LocationMapping> mappings);

  /**
   * Inserts or replaces a listing (the SKU may change).
   *
   * @param listing the listing
   */
  void putListing(ListingRecord listing);

  /**
   * Removes a listing and its known quantities.
   *
   * @param store the store
   * @param listingId the listing
   */
  void removeListing(StoreId store, String listingId);

  /**
   * Records the quantity known to be at a listing's location.
   *
   * @param store the store
   * @param listingId the listing
   * @param locationId the location
   * @param quantity the quantity
   */
  void putKnownQuantity(StoreId store, String listingId, String locationId, long quantity);

  /**
   * Refuses the transaction unless the store's lease still carries this fencing token: called
   * first by work that writes a store's sync state on behalf of a lease holder (see {@link
   * StoreLeases}), so that an owner that lost the lease cannot write after the takeover. Stores
   * that serve a single instance may leave the default, which checks nothing.
   *
   * @param store the store
   * @param token the fencing token of the caller's lease
   * @throws io.stocksync.core.LeaseLostException if another owner took the lease over
   */
  default void requireLease(StoreId store, long token) {}

  /**
   * Inserts or replaces the applied state of an order.
   *
   * @param order the state
   */
  void putOrder(OrderRecord order);
}
