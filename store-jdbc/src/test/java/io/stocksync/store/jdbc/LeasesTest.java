package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.LeaseLostException;
import io.stocksync.core.StoreId;
import io.stocksync.core.store.LeaseKeeper;
import io.stocksync.core.store.StoreLease;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Store leases and fencing tokens in PostgreSQL, two instances with separate pools. */
class LeasesTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final List<StoreId> STORES = List.of(StoreId.of("shopify", "a"),
      StoreId.of("shopify", "b"), StoreId.of("etsy", "c"), StoreId.of("ebay", "d"));

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  private HikariDataSource poolA;
  private HikariDataSource poolB;
  private JdbcInventoryStore a;
  private JdbcInventoryStore b;

  @BeforeEach
  void twoInstances() {
    String url = Databases.newPostgresDatabase();
    poolA = Databases.pool(url, 2);
    poolB = Databases.pool(url, 2);
    a = JdbcInventoryStore.builder().dataSource(poolA).clock(clock).migrate(true).build();
    b = JdbcInventoryStore.builder().dataSource(poolB).clock(clock).build();
  }

  @AfterEach
  void close() {
    poolA.close();
    poolB.close();
  }

  @Test
  void acquire_whileAnotherOwnerIsLive_isRefused_andAfterItLapses_takesOverWithANewToken() {
    StoreId shop = STORES.get(0);
    StoreLease first = a.acquire(shop, "A", TTL).orElseThrow();
    assertThat(first.token()).isEqualTo(1);
    assertThat(b.acquire(shop, "B", TTL)).isEmpty();

    clock.advance(Duration.ofSeconds(20));
    StoreLease renewed = a.acquire(shop, "A", TTL).orElseThrow();
    assertThat(renewed.token()).as("a renewal keeps the token").isEqualTo(1);
    clock.advance(Duration.ofSeconds(29));
    assertThat(b.acquire(shop, "B", TTL)).as("renewed 29 s ago").isEmpty();

    clock.advance(Duration.ofSeconds(2));
    StoreLease taken = b.acquire(shop, "B", TTL).orElseThrow();
    assertThat(taken.token()).isEqualTo(2);
    assertThat(a.acquire(shop, "A", TTL)).isEmpty();
    assertThat(a.leases()).containsExactly(taken);
  }

  @Test
  void lateWriteOfTheFencedOutOwner_isRefusedAndWritesNothing() {
    StoreId shop = STORES.get(0);
    a.write(tx -> {
      tx.putStore(StoreRecord.connected(shop, "Shop", StoreOptions.DEFAULT));
      return null;
    });
    StoreLease old = a.acquire(shop, "A", TTL).orElseThrow();
    clock.advance(TTL.plusSeconds(1)); // A paused: a GC, a partition
    StoreLease taken = b.acquire(shop, "B", TTL).orElseThrow();

    assertThatThrownBy(() -> a.write(tx -> {
      tx.requireLease(shop, old.token());
      tx.putStore(StoreRecord.connected(shop, "written by the old owner", StoreOptions.DEFAULT));
      return null;
    })).isInstanceOf(LeaseLostException.class).hasMessageContaining("token 1");
    b.write(tx -> {
      tx.requireLease(shop, taken.token());
      tx.putStore(StoreRecord.connected(shop, "written by the new owner", StoreOptions.DEFAULT));
      return null;
    });

    assertThat(a.read((StoreReader r) -> r.store(shop)).orElseThrow().name())
        .isEqualTo("written by the new owner");
  }

  @Test
  void release_letsAnotherOwnerTakeAtOnce_stillFencingTheOldToken() {
    StoreId shop = STORES.get(0);
    StoreLease old = a.acquire(shop, "A", TTL).orElseThrow();
    assertThat(a.release(old)).isTrue();
    StoreLease taken = b.acquire(shop, "B", TTL).orElseThrow();

    assertThat(taken.token()).isEqualTo(2);
    assertThat(a.release(old)).as("no longer held").isFalse();
    assertThatThrownBy(() -> a.write(tx -> {
      tx.requireLease(shop, old.token());
      return null;
    })).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void keepers_spreadStoresOverLiveInstances_andTakeOverFromOneThatStops() {
    LeaseKeeper keeperA = new LeaseKeeper(a, "A", TTL, clock);
    LeaseKeeper keeperB = new LeaseKeeper(b, "B", TTL, clock);

    keeperA.tick(STORES);
    assertThat(keeperA.held()).as("alone, A takes everything").hasSize(4);
    keeperB.tick(STORES); // B is live from its first lease on; A still holds all
    for (int i = 0; i < 3; i++) {
      clock.advance(TTL.dividedBy(3));
      keeperA.tick(STORES);
      keeperB.tick(STORES);
    }
    Map<StoreId, StoreLease> heldA = keeperA.held();
    Map<StoreId, StoreLease> heldB = keeperB.held();
    assertThat(heldA).hasSize(2);
    assertThat(heldB).hasSize(2);
    Set<StoreId> union = new HashSet<>(heldA.keySet());
    union.addAll(heldB.keySet());
    assertThat(union).containsExactlyInAnyOrderElementsOf(STORES);

    // A stops renewing (closed without releasing). Within the lease time plus a tick, B has all.
    for (int i = 0; i < 4; i++) {
      clock.advance(TTL.dividedBy(3));
      keeperB.tick(STORES);
    }
    assertThat(keeperB.held()).hasSize(4);
    for (StoreId taken : heldA.keySet()) {
      assertThat(keeperB.held().get(taken).token()).as("token of %s", taken)
          .isEqualTo(heldA.get(taken).token() + 1);
    }
  }
}
