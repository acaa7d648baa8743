/**
 * A durable {@link io.stocksync.core.store.InventoryStore} over plain JDBC, for PostgreSQL and H2.
 */
@NullMarked
package io.stocksync.store.jdbc;

import org.jspecify.annotations.NullMarked;
