package io.stocksync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.StoreId;
import io.stocksync.core.store.InMemoryStoreLeases;
import io.stocksync.core.store.LeaseKeeper;
import io.stocksync.core.store.StoreLease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryStoreLeasesTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final StoreId SHOP = StoreId.of("shopify", "a");
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final InMemoryStoreLeases leases = new InMemoryStoreLeases(clock);

  @Test
  void acquire_isExclusiveUntilTheLeaseLapses_thenTheTakeoverBumpsTheToken() {
    StoreLease first = leases.acquire(SHOP, "A", TTL).orElseThrow();
    assertThat(leases.acquire(SHOP, "B", TTL)).isEmpty();
    clock.advance(TTL);
    StoreLease taken = leases.acquire(SHOP, "B", TTL).orElseThrow();

    assertThat(taken.token()).isEqualTo(first.token() + 1);
    assertThat(leases.release(first)).isFalse();
    assertThat(leases.release(taken)).isTrue();
    assertThat(leases.acquire(SHOP, "A", TTL).orElseThrow().token()).isEqualTo(3);
  }

  @Test
  void keepers_splitStoresEvenly_andTheSurvivorTakesAll() {
    List<StoreId> stores = List.of(SHOP, StoreId.of("etsy", "b"), StoreId.of("ebay", "c"));
    LeaseKeeper a = new LeaseKeeper(leases, "A", TTL, clock);
    LeaseKeeper b = new LeaseKeeper(leases, "B", TTL, clock);
    for (int i = 0; i < 3; i++) {
      a.tick(stores);
      b.tick(stores);
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(a.held().size() + b.held().size()).isEqualTo(3);
    assertThat(a.held()).hasSizeBetween(1, 2);

    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(10));
      b.tick(stores);
    }
    assertThat(b.held()).hasSize(3);
  }
}
