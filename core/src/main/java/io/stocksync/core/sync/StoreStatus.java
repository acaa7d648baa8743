package io.stocksync.core.sync;

import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one store's sync state and the counters of this engine instance.
 *
 * @param store the store
 * @param name the store's display name
 * @param status the sync status
 * @param attached whether this engine has a connector for the store
 * @param syncOnAt when sync was turned on, or null
 * @param lastOrderSync when orders were last synced, or null
 * @param lastInventorySync when a push run last finished, or null
 * @param lastListingSync when listings were last synced, or null
 * @param listings listings imported from the store
 * @param pendingPushes pushes queued and not yet confirmed
 * @param ordersApplied order versions applied since this engine started
 * @param pushesConfirmed quantities the channel confirmed since this engine started
 * @param pushBatches push calls made since this engine started
 * @param retries push items retried since this engine started (failed order, listing and
 *     mirror runs are reported as {@link SyncEvent.Failure} events instead)
 * @param staleResults compare-and-set failures since this engine started
 * @param lastError the last error, without secrets, or null
 */
public record StoreStatus(
    StoreId store,
    String name,
    SyncStatus status,
    boolean attached,
    @Nullable Instant syncOnAt,
    @Nullable Instant lastOrderSync,
    @Nullable Instant lastInventorySync,
    @Nullable Instant lastListingSync,
    int listings,
    int pendingPushes,
    long ordersApplied,
    long pushesConfirmed,
    long pushBatches,
    long retries,
    long staleResults,
    @Nullable String lastError) {}
