package io.stocksync.testkit;

import io.stocksync.core.StoreId;
import java.time.Duration;

/**
 * The whole contract against a channel that answers every push {@code Accepted} and applies it
 * 30 seconds later, as Amazon's Listings Items API does: the suite waits the announced time on
 * the fixture's clock before reading back.
 */
class InMemoryChannelAcceptedContractTest extends ChannelConnectorContract {

  @Override
  protected Fixture newFixture() {
    ManualClock clock = ManualClock.startingAtEpochOf2026();
    InMemoryChannel channel = InMemoryChannel.builder(StoreId.of("memory", "accepting-shop"))
        .clock(clock)
        .build();
    channel.acceptPushes(Duration.ofSeconds(30));
    return new InMemoryChannelContractTest.InMemoryFixture(
        channel, clock, InMemoryChannel.Fault.RETRYABLE_EXCEPTION);
  }
}
