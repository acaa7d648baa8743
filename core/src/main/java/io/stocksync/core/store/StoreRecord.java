package io.stocksync.core.store;

import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.internal.Checks;
import io.stocksync.core.sync.StoreOptions;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The persisted state of one connected store (one row per store).
 *
 * @param id the store
 * @param name the store's display name as the channel reports it
 * @param status the sync status
 * @param options the store's options
 * @param syncOnAt when sync was turned on, or null if never; orders created before it are ignored
 * @param orderCursor the update time up to which orders are stored, or null before the first run
 * @param listingCursor the update time up to which listings are stored, or null before the first
 *     full listing sync
 * @param lastOrderSync when the last order sync finished, or null
 * @param lastInventorySync when the last push run finished, or null
 * @param lastListingSync when the last listing sync finished, or null
 * @param lastListingHardRefresh when the last full listing refresh was requested, or null
 * @param lastMirror when STORE-master locations were last mirrored, or null
 * @param lastReadOnlyCopy when read-only locations were last copied, or null
 * @param lastError the last error message (never containing secrets), or null
 */
public record StoreRecord(
    StoreId id,
    String name,
    SyncStatus status,
    StoreOptions options,
    @Nullable Instant syncOnAt,
    @Nullable Instant orderCursor,
    @Nullable Instant listingCursor,
    @Nullable Instant lastOrderSync,
    @Nullable Instant lastInventorySync,
    @Nullable Instant lastListingSync,
    @Nullable Instant lastListingHardRefresh,
    @Nullable Instant lastMirror,
    @Nullable Instant lastReadOnlyCopy,
    @Nullable String lastError) {
  /**
   * Validates and normalises the components.
   *
   * @param id see the record description
   * @param name see the record description
   * @param status see the record description
   * @param options see the record description
   * @param syncOnAt see the record description
   * @param orderCursor see the record description
   * @param listingCursor see the record description
   * @param lastOrderSync see the record description
   * @param lastInventorySync see the record description
   * @param lastListingSync see the record description
   * @param lastListingHardRefresh see the record description
   * @param lastMirror see the record description
   * @param lastReadOnlyCopy see the record description
   * @param lastError see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public StoreRecord {
    Checks.notNull(id, "id");
    Checks.notNull(name, "name");
    Checks.notNull(status, "status");
    Checks.notNull(options, "options");
  }

  /**
   * Creates the record of a newly connected store.
   *
   * @param id the store
   * @param name the display name
   * @param options the options
   * @return a CONNECTED store with no history
   */
  public static StoreRecord connected(StoreId id, String name, StoreOptions options) {
    return new StoreRecord(
        id, name, SyncStatus.CONNECTED, options, null, null, null, null, null, null, null, null,
        null, null);
  }

  /**
   * Returns a copy with another status.
   *
   * @param newStatus the status
   * @return the copy
   */
  public StoreRecord withStatus(SyncStatus newStatus) {
    return new StoreRecord(id, name, newStatus, options, syncOnAt, orderCursor, listingCursor,
        lastOrderSync, lastInventorySync, lastListingSync, lastListingHardRefresh, lastMirror,
        lastReadOnlyCopy, lastError);
  }

  /**
   * Returns a copy with another name and options (a reconnect).
   *
   * @param newName the display name
   * @param newOptions the options
   * @return the copy
   */
  public StoreRecord withNameAndOptions(String newName, StoreOptions newOptions) {
    return new StoreRecord(id, newName, status, newOptions, syncOnAt, orderCursor, listingCursor,
        lastOrderSync, lastInventorySync, lastListingSync, lastListingHardRefresh, lastMirror,
        lastReadOnlyCopy, lastError);
  }

  /**
   * Returns a copy marked as synced from the given moment on. The order cursor stays where it was
   * if sync was on before, so changes to orders applied then (a cancellation while sync was off)
   * are still read; orders placed before {@code at} that were never applied stay ignored.
   *
   * @param at when sync was turned on
   * @return the copy, SYNC_ON
   */
  public StoreRecord withSyncOn(Instant at) {
    return new StoreRecord(id, name, SyncStatus.SYNC_ON, options, at,
        orderCursor != null ? orderCursor : at, listingCursor, lastOrderSync, lastInventorySync,
        lastListingSync, lastListingHardRefresh, lastMirror, lastReadOnlyCopy, lastError);
  }

  /**
   * Returns a copy with sync off in the given status; the order cursor is kept.
   *
   * @param newStatus CONNECTED or DISCONNECTED
   * @return the copy, with no sync-on moment
   */
  public StoreRecord withSyncOff(SyncStatus newStatus) {
    return new StoreRecord(id, name, newStatus, options, null, orderCursor, listingCursor,
        lastOrderSync, lastInventorySync, lastListingSync, lastListingHardRefresh, lastMirror,
        lastReadOnlyCopy, lastError);
  }

  /**
   * Returns a copy after an order sync.
   *
   * @param cursor the new order cursor
   * @param at when the run finished
   * @return the copy, with the last error cleared
   */
  public StoreRecord withOrderSync(@Nullable Instant cursor, Instant at) {
    return new StoreRecord(id, name, status, options, syncOnAt, cursor, listingCursor, at,
        lastInventorySync, lastListingSync, lastListingHardRefresh, lastMirror, lastReadOnlyCopy,
        null);
  }

  /**
   * Returns a copy after a push run.
   *
   * @param at when the run finished
   * @return the copy
   */
  public StoreRecord withInventorySync(Instant at) {
    return new StoreRecord(id, name, status, options, syncOnAt, orderCursor, listingCursor,
        lastOrderSync, at, lastListingSync, lastListingHardRefresh, lastMirror, lastReadOnlyCopy,
        lastError);
  }

  /**
   * Returns a copy after a listing sync.
   *
   * @param cursor the new listing cursor
   * @param at when the run finished
   * @return the copy
   */
  public StoreRecord withListingSync(@Nullable Instant cursor, Instant at) {
    return new StoreRecord(id, name, status, options, syncOnAt, orderCursor, cursor,
        lastOrderSync, lastInventorySync, at, lastListingHardRefresh, lastMirror,
        lastReadOnlyCopy, lastError);
  }

  /**
   * Returns a copy recording a full listing refresh request.
   *
   * @param at when it was requested
   * @return the copy
   */
  public StoreRecord withListingHardRefresh(Instant at) {
    return new StoreRecord(id, name, status, options, syncOnAt, orderCursor, listingCursor,
        lastOrderSync, lastInventorySync, lastListingSync, at, lastMirror, lastReadOnlyCopy,
        lastError);
  }

  /**
   * Returns a copy after mirroring.
   *
   * @param mirror when STORE-master locations were mirrored, or the previous value
   * @param readOnlyCopy when read-only locations were copied, or the previous value
   * @return the copy
   */
  public StoreRecord withMirror(@Nullable Instant mirror, @Nullable Instant readOnlyCopy) {
    return new StoreRecord(id, name, status, options, syncOnAt, orderCursor, listingCursor,
        lastOrderSync, lastInventorySync, lastListingSync, lastListingHardRefresh, mirror,
        readOnlyCopy, lastError);
  }

  /**
   * Returns a copy with another last error.
   *
   * @param error the message, or null to clear it
   * @return the copy
   */
  public StoreRecord withLastError(@Nullable String error) {
    return new StoreRecord(id, name, status, options, syncOnAt, orderCursor, listingCursor,
        lastOrderSync, lastInventorySync, lastListingSync, lastListingHardRefresh, lastMirror,
        lastReadOnlyCopy, error);
  }
}
