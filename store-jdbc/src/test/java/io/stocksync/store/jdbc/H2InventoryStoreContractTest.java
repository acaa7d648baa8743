package io.stocksync.store.jdbc;

import io.stocksync.core.store.InventoryStore;
import io.stocksync.testkit.InventoryStoreContract;

/** The store contract on H2, a fresh in-memory database per test. */
class H2InventoryStoreContractTest extends InventoryStoreContract {
  @Override
  protected InventoryStore newStore() {
    return JdbcInventoryStore.builder().dataSource(Databases.newH2Database()).migrate(true).build();
  }
}
