/**
 * The persistence SPI: {@link io.stocksync.core.store.InventoryStore} and its default,
 * {@link io.stocksync.core.store.InMemoryInventoryStore}.
 *
 * <p>Hosts that need durability implement {@code InventoryStore} (for example over JDBC: the
 * reader and transaction methods map to rows of products, bundle components, warehouses, stock
 * levels, movements and operation ids, plus the sync state tables) and prove it with the
 * {@code InventoryStoreContract} suite in {@code stocksync-testkit}.
 */
@NullMarked
package io.stocksync.core.store;

import org.jspecify.annotations.NullMarked;
