package io.stocksync.testkit;

import io.stocksync.core.StoreId;

/**
 * The contract again on a differently configured channel: one implicit location, small pages and
 * batches, no compare-and-set (its test is skipped), and retryable faults reported per item.
 */
class InMemoryChannelWithoutCompareAndSetContractTest extends ChannelConnectorContract {

  @Override
  protected Fixture newFixture() {
    ManualClock clock = ManualClock.startingAtEpochOf2026();
    return new InMemoryChannelContractTest.InMemoryFixture(
        InMemoryChannel.builder(StoreId.of("memory", "no-cas-shop"))
            .clock(clock)
            .compareAndSet(false)
            .pageSize(7)
            .maxBatchSize(5)
            .build(),
        clock,
        InMemoryChannel.Fault.RETRYABLE_RESULTS);
  }
}
