package io.stocksync.testkit;

import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.store.InventoryStore;

/** Runs the {@link InventoryStoreContract} against {@link InMemoryInventoryStore}. */
class InMemoryInventoryStoreContractTest extends InventoryStoreContract {
  @Override
  protected InventoryStore newStore() {
    return new InMemoryInventoryStore();
  }
}
