package io.stocksync.core.sync;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Everything the engine reports to a {@link SyncListener}. */
public sealed interface SyncEvent
    permits SyncEvent.RunFinished,
        SyncEvent.PushBatch,
        SyncEvent.Failure,
        SyncEvent.DuplicateSkus,
        SyncEvent.CopyConflict,
        SyncEvent.Oversell,
        SyncEvent.UnknownSku,
        SyncEvent.AwaitingStock,
        SyncEvent.Untracked,
        SyncEvent.StatusChanged {

  /**
   * Returns the store the event concerns.
   *
   * @return the store
   */
  StoreId store();

  /** The kinds of sync run. */
  enum RunKind {
    /** Listings read from the store. */
    LISTINGS,
    /** Orders read from the store and applied. */
    ORDERS,
    /** Planned quantities queued for push. */
    INVENTORY,
    /** STORE-master or read-only quantities copied into the hub. */
    MIRROR
  }

  /**
   * A sync run finished.
   *
   * @param store the store
   * @param kind what ran
   * @param startedAt when it started
   * @param finishedAt when it finished
   * @param items how many items it handled (listings, orders, pushes queued, figures copied)
   * @param full true for a full (hard) run, false for an incremental one
   */
  record RunFinished(
      StoreId store, RunKind kind, Instant startedAt, Instant finishedAt, int items, boolean full)
      implements SyncEvent {}

  /**
   * One push call returned.
   *
   * @param store the store
   * @param size items in the batch
   * @param confirmed items the channel confirmed
   * @param stale items that failed compare-and-set and will be re-planned
   * @param rejected items the channel refused for good
   * @param retrying items queued again for a retry
   */
  record PushBatch(StoreId store, int size, int confirmed, int stale, int rejected, int retrying)
      implements SyncEvent {}

  /**
   * Work failed; nothing was lost and the engine will try again.
   *
   * @param store the store
   * @param kind what failed
   * @param message what happened, without secrets
   * @param retryIn when the engine tries again, or null at the next regular run
   */
  record Failure(StoreId store, RunKind kind, String message, @Nullable Duration retryIn)
      implements SyncEvent {}

  /**
   * Several listings of one store share a SKU (they share stock).
   *
   * @param store the store
   * @param sku the SKU
   * @param listingIds the listings carrying it
   */
  record DuplicateSkus(StoreId store, Sku sku, List<String> listingIds) implements SyncEvent {}

  /**
   * While copying inventory from a store, listings sharing a SKU showed different quantities; the
   * first listing's quantity was taken.
   *
   * @param store the store
   * @param sku the SKU
   * @param locationId the store location
   * @param quantities the store's figure per listing
   * @param chosenListingId the listing whose figure was copied
   */
  record CopyConflict(
      StoreId store,
      Sku sku,
      String locationId,
      Map<String, Long> quantities,
      String chosenListingId)
      implements SyncEvent {}

  /**
   * An order booked more than was available: stores raced for the last units. The SKU's other
   * listings are pushed ahead of the queue.
   *
   * @param store the store whose order oversold
   * @param orderId the order
   * @param sku the SKU
   * @param shortfall units booked beyond what was available
   */
  record Oversell(StoreId store, String orderId, Sku sku, long shortfall) implements SyncEvent {}

  /**
   * An order line's SKU is not a product in the hub. The line is kept and applied once the SKU
   * exists and the order changes.
   *
   * @param store the store
   * @param orderId the order
   * @param lineId the line
   * @param sku the SKU as the channel sent it, possibly empty
   */
  record UnknownSku(StoreId store, String orderId, String lineId, String sku) implements SyncEvent {}

  /**
   * A listing's product has no stock set in the hub, so nothing is pushed to it (pushing zero
   * would wipe the store's figure). Set its stock to start pushing.
   *
   * @param store the store
   * @param sku the SKU
   */
  record AwaitingStock(StoreId store, Sku sku) implements SyncEvent {}

  /**
   * The channel does not track stock for a listing (e.g. a Shopify inventory item with tracking
   * off), so it is imported but never pushed. Turn tracking on in the store to sync it.
   *
   * @param store the store
   * @param listingId the listing
   * @param sku its SKU
   */
  record Untracked(StoreId store, String listingId, Sku sku) implements SyncEvent {}

  /**
   * A store's status changed.
   *
   * @param store the store
   * @param from the previous status, or null for a newly connected store
   * @param to the new status
   * @param reason why, without secrets
   */
  record StatusChanged(StoreId store, @Nullable SyncStatus from, SyncStatus to, String reason)
      implements SyncEvent {}
}
