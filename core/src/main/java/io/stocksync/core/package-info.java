/**
 * The inventory hub: SKUs, products and bundles, warehouses, stock levels and the stock ledger.
 *
 * <p>{@link io.stocksync.core.Inventory} is the entry point for stock operations; every change is
 * an {@link io.stocksync.core.InventoryOperation} recorded as one or more
 * {@link io.stocksync.core.Movement}s. All failures are {@link io.stocksync.core.StockSyncException}s.
 */
@NullMarked
package io.stocksync.core;

import org.jspecify.annotations.NullMarked;
