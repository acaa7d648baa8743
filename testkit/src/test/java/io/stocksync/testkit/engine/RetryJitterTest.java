package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.testkit.InMemoryChannel;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A seeded jitter source makes the engine's retry timing repeatable on virtual time. */
class RetryJitterTest {

  /** Runs a store whose order reads fail six times and returns the retry delays announced. */
  static List<Duration> retryDelays(Random jitter) {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    List<Duration> delays = new ArrayList<>();
    SyncListener listener = new SyncListener() {
      @Override
      public void onEvent(SyncEvent event) {
        if (event instanceof SyncEvent.Failure f && f.retryIn() != null) {
          delays.add(f.retryIn());
        }
      }
    };
    try (StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).jitter(jitter)
        .listener(listener).build()) {
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      InMemoryChannel shop =
          InMemoryChannel.builder(StoreId.of("memory", "a")).clock(clock).build();
      hub.connect(shop, StoreOptions.DEFAULT);
      scheduler.runDue();
      shop.failNextCalls(6, InMemoryChannel.Fault.RETRYABLE_EXCEPTION);
      hub.syncListings(shop.storeId());
      scheduler.advance(Duration.ofMinutes(30));
    }
    return delays;
  }

  @Test
  void sameSeed_givesTheSameRetryDelays_andAnotherSeedOthers() {
    List<Duration> first = retryDelays(new Random(42));
    List<Duration> again = retryDelays(new Random(42));
    List<Duration> other = retryDelays(new Random(43));

    assertThat(first).hasSize(6);
    assertThat(again).isEqualTo(first);
    // From the third attempt the backoff (4 s and up) outgrows the channel's 1 s retry-after,
    // so the jitter shows.
    assertThat(other.subList(2, 6)).isNotEqualTo(first.subList(2, 6));
  }

  @Test
  void nullJitter_isRejected_namingTheField() {
    assertThatThrownBy(() -> StockSync.builder().jitter(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("jitter");
  }
}
