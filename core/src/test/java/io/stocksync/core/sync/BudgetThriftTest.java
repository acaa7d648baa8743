package io.stocksync.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.RequestBudget;
import io.stocksync.core.channel.StockRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a store with a slowly refilling request quota (Etsy's requests per day) spends it: changes
 * that leave buyers a comfortable figure wait for company, low figures never wait, increases wait
 * for the quota to refill once only the reserve is left, and nothing is ever dropped.
 */
class BudgetThriftTest {
  static final StoreId STORE = StoreId.of("etsy", "1");
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  static final int BATCH = 9;

  final PushQueue queue = new PushQueue();

  static PlannedPush push(String listing, long quantity, long known) {
    return new PlannedPush(STORE, listing, new StockRef(listing, "shop"), Sku.of("S-" + listing),
        quantity, known);
  }

  static List<String> listings(List<PushQueue.Pending> ready) {
    return ready.stream().map(p -> p.push.listingId()).toList();
  }

  @Test
  void noSlowQuota_meansNoThrift_andPushesGoAsSoonAsReady() {
    assertThat(BudgetThrift.of(null)).isNull();
    queue.offer(push("a", 19, 20), 1, false, false, T0);

    assertThat(listings(queue.peekReady(T0, BATCH, null))).containsExactly("a");
  }

  @Test
  void whileMoreThanHalfTheQuotaIsLeft_nothingWaits() {
    assertThat(BudgetThrift.of(new RequestBudget(9_000, 10_000, 1_000))).isNull();
    assertThat(BudgetThrift.of(new RequestBudget(5_001, 10_000, 1_000))).isNull();
    assertThat(BudgetThrift.of(new RequestBudget(5_000, 10_000, 1_000))).isNotNull();
  }

  @Test
  void holdsGrowAsTheQuotaRunsDown() {
    assertThat(BudgetThrift.of(new RequestBudget(4_000, 10_000, 1_000)).hold())
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(BudgetThrift.of(new RequestBudget(2_000, 10_000, 1_000)).hold())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(BudgetThrift.of(new RequestBudget(2_000, 10_000, 1_000)).holdIncreases()).isFalse();
    assertThat(BudgetThrift.of(new RequestBudget(1_000, 10_000, 1_000)).holdIncreases()).isTrue();
  }

  @Test
  void aComfortableDecrease_waitsItsHold_thenGoes() {
    PushQueue.Thrift thrift = BudgetThrift.of(new RequestBudget(4_000, 10_000, 1_000));
    queue.offer(push("a", 19, 20), 1, false, true, T0);

    assertThat(queue.peekReady(T0.plusSeconds(119), BATCH, thrift)).isEmpty();
    assertThat(queue.nextReadyAt(T0.plusSeconds(119), thrift)).contains(T0.plusSeconds(120));
    assertThat(listings(queue.peekReady(T0.plusSeconds(120), BATCH, thrift))).containsExactly("a");
  }

  @Test
  void aNewerFigureForTheSameListing_replacesTheWaitingOne_withoutRestartingTheWait() {
    PushQueue.Thrift thrift = BudgetThrift.of(new RequestBudget(4_000, 10_000, 1_000));
    queue.offer(push("a", 19, 20), 1, false, false, T0);
    queue.offer(push("a", 17, 20), 2, false, false, T0.plusSeconds(100));

    List<PushQueue.Pending> ready = queue.peekReady(T0.plusSeconds(120), BATCH, thrift);

    assertThat(ready).hasSize(1);
    assertThat(ready.get(0).push.quantity()).isEqualTo(17);
  }

  @Test
  void aDecreaseToALowFigure_goesAtOnce_andTakesTheWaitingOnesAlong() {
    PushQueue.Thrift thrift = BudgetThrift.of(new RequestBudget(2_000, 10_000, 1_000));
    queue.offer(push("a", 19, 20), 1, false, false, T0);
    queue.offer(push("b", 25, 20), 1, false, false, T0);
    queue.offer(push("c", 0, 1), 1, false, false, T0.plusSeconds(5));

    List<PushQueue.Pending> ready = queue.peekReady(T0.plusSeconds(5), BATCH, thrift);

    // The sold-out listing first; the call's re-read is paid anyway, so the others ride along.
    assertThat(listings(ready)).containsExactly("c", "a", "b");
  }

  @Test
  void aWholeBatchReady_goesWithoutWaiting() {
    PushQueue.Thrift thrift = BudgetThrift.of(new RequestBudget(2_000, 10_000, 1_000));
    for (int i = 0; i < BATCH; i++) {
      queue.offer(push("l" + i, 30, 20), 1, false, false, T0);
    }

    assertThat(queue.peekReady(T0, BATCH, thrift)).hasSize(BATCH);
  }

  @Test
  void atTheReserve_increasesWait_whileDecreasesGo_andTheIncreaseGoesOnceTheQuotaRefills() {
    PushQueue.Thrift reserve = BudgetThrift.of(new RequestBudget(900, 10_000, 1_000));
    queue.offer(push("up", 30, 20), 1, false, false, T0);
    queue.offer(push("down", 2, 5), 1, false, false, T0);

    assertThat(listings(queue.peekReady(T0.plus(Duration.ofHours(1)), BATCH, reserve)))
        .containsExactly("down");
    queue.markInFlight(queue.peekReady(T0.plus(Duration.ofHours(1)), BATCH, reserve))
        .forEach(queue::complete);
    assertThat(queue.peekReady(T0.plus(Duration.ofHours(2)), BATCH, reserve)).isEmpty();
    // Held, not dropped: looked at again after the re-check interval.
    assertThat(queue.nextReadyAt(T0.plus(Duration.ofHours(2)), reserve))
        .contains(T0.plus(Duration.ofHours(2)).plus(BudgetThrift.RECHECK));
    assertThat(queue.size()).isEqualTo(1);

    PushQueue.Thrift refilled = BudgetThrift.of(new RequestBudget(3_000, 10_000, 1_000));
    assertThat(listings(queue.peekReady(T0.plus(Duration.ofHours(3)), BATCH, refilled)))
        .containsExactly("up");
  }
}
