package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The change feed between two instances on PostgreSQL. */
class ChangeFeedTest {
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

  private static void put(JdbcInventoryStore store, String sku, long inStock) {
    store.write(tx -> {
      tx.putStockLevel(new StockLevel(Sku.of(sku), "main", inStock, 0));
      return null;
    });
  }

  @Test
  void changeCommittedInOneInstance_isReadOnceByTheOther() {
    put(a, "OLD", 1);
    ChangeFeed feed = new ChangeFeed(b, clock, Duration.ofSeconds(10));

    put(a, "X", 5);
    put(a, "Y", 5);
    put(a, "X", 6);

    assertThat(feed.poll()).containsExactly(Sku.of("X"), Sku.of("Y"));
    assertThat(feed.poll()).isEmpty();
  }

  @Test
  void changeCommittedAfterALaterOne_isStillRead() throws Exception {
    ChangeFeed feed = new ChangeFeed(b, clock, Duration.ofSeconds(10));
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Object> slow = CompletableFuture.supplyAsync(() -> a.write(tx -> {
      tx.putStockLevel(new StockLevel(Sku.of("SLOW"), "main", 1, 0));
      sendQueuedWrites(tx); // the feed row takes its id now, not at the commit
      written.countDown();
      await(commit);
      return null;
    }));
    await(written);
    put(b, "FAST", 1); // a later id, committed first

    assertThat(feed.poll()).containsExactly(Sku.of("FAST"));
    commit.countDown();
    slow.get(30, TimeUnit.SECONDS);
    assertThat(feed.poll()).containsExactly(Sku.of("SLOW"));
    assertThat(feed.poll()).isEmpty();
  }

  @Test
  void rolledBackChange_isNeverRead_andItsGapIsGivenUpAfterTheTimeout() {
    ChangeFeed feed = new ChangeFeed(b, clock, Duration.ofSeconds(10));
    catchThrowable(() -> a.write(tx -> {
      tx.putStockLevel(new StockLevel(Sku.of("GONE"), "main", 1, 0));
      sendQueuedWrites(tx); // the feed row takes its id now, not at the commit
      throw new IllegalStateException("rolled back on purpose");
    }));
    put(a, "KEPT", 1);

    assertThat(feed.poll()).containsExactly(Sku.of("KEPT"));
    long waiting = feed.position();
    clock.advance(Duration.ofSeconds(11));
    assertThat(feed.poll()).isEmpty();
    assertThat(feed.position()).isGreaterThan(waiting);
    put(a, "NEXT", 1);
    assertThat(feed.poll()).containsExactly(Sku.of("NEXT"));
  }

  /** A ledger read: the store sends the transaction's queued writes before any statement. */
  private static void sendQueuedWrites(io.stocksync.core.store.StoreTransaction tx) {
    tx.movements(Sku.of("ANY"), Long.MAX_VALUE, 1);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
