/**
 * The sync engine: {@link io.stocksync.core.sync.StockSync} connects stores, turns sync on with a
 * previewable {@link io.stocksync.core.sync.TurnOnSyncPlan}, imports orders, and pushes
 * available stock through the {@link io.stocksync.core.sync.Planner} and a batched, rate-limited
 * push pipeline. Time and work run on an injected {@link java.time.Clock} and {@link
 * io.stocksync.core.sync.SyncScheduler}.
 */
@NullMarked
package io.stocksync.core.sync;

import org.jspecify.annotations.NullMarked;
