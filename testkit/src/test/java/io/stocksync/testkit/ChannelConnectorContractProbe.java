package io.stocksync.testkit;

import io.stocksync.core.StoreId;
import java.util.function.Supplier;

/**
 * The contract with a fixture chosen by the caller, so a test can run one contract test against a
 * deliberately broken connector (see InMemoryChannelMutantsTest). A named class rather than an
 * anonymous one, because test discovery reports anonymous test classes; if a runner does pick it
 * up, it runs the contract against an unbroken InMemoryChannel and passes.
 */
class ChannelConnectorContractProbe extends ChannelConnectorContract {
  Supplier<Fixture> fixtures =
      () -> {
        ManualClock clock = ManualClock.startingAtEpochOf2026();
        return new InMemoryChannelContractTest.InMemoryFixture(
            InMemoryChannel.builder(StoreId.of("memory", "probe")).clock(clock).build(),
            clock,
            InMemoryChannel.Fault.RETRYABLE_EXCEPTION);
      };

  @Override
  protected Fixture newFixture() {
    return fixtures.get();
  }
}
