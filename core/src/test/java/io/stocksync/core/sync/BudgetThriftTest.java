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
    assertThat(new BudgetThrift().next(null, T0)).isNull();
    queue.offer(push("a", 19, 20), 1, false, false, T0);

    assertThat(listings(queue.peekReady(T0, BATCH, null))).containsExactly("a");
  }

  @Test
  void whileMoreThanHalfTheQuotaIsLeft_nothingWaits() {
    assertThat(new BudgetThrift().next(new RequestBudget(9_000, 10_000, 1_000), T0)).isNull();
    assertThat(new BudgetThrift().next(new RequestBudget(5_001, 10_000, 1_000), T0)).isNull();
    assertThat(new BudgetThrift().next(new RequestBudget(5_000, 10_000, 1_000), T0)).isNotNull();
  }

  @Test
  void withMoreThanHalfLeft_aStoreSpendingFasterThanTheQuotaRefills_holdsComfortableFigures() {
    BudgetThrift thrift = new BudgetThrift();
    // An even share is 10,000 / 24 = 417 requests an hour: spending more than half of it in the
    // last hour is too fast for a day whose peaks are still to come.
    assertThat(thrift.next(new RequestBudget(9_000, 10_000, 1_000), T0)).isNull();
    assertThat(thrift.next(new RequestBudget(8_850, 10_000, 1_000), T0.plusSeconds(1800)))
        .as("150 in half an hour: not busy yet").isNull();
    PushQueue.Thrift busy =
        thrift.next(new RequestBudget(8_750, 10_000, 1_000), T0.plusSeconds(3000));
    assertThat(busy).as("250 in 50 minutes").isNotNull();
    assertThat(busy.hold()).isEqualTo(Duration.ofMinutes(2));
    assertThat(busy.holdIncreases()).isFalse();
  }

  @Test
  void thePaceIsMeasuredOverTheLastHour_netOfWhatRefilled() {
    BudgetThrift thrift = new BudgetThrift();
    thrift.next(new RequestBudget(9_000, 10_000, 1_000), T0);
    assertThat(thrift.next(new RequestBudget(8_000, 10_000, 1_000), T0.plusSeconds(600)))
        .isNotNull();
    // Two quiet hours later the burst is out of the look-back: quiet again.
    thrift.next(new RequestBudget(8_000, 10_000, 1_000), T0.plusSeconds(4_000));
    assertThat(thrift.next(new RequestBudget(7_990, 10_000, 1_000), T0.plusSeconds(8_000)))
        .isNull();
  }

  @Test
  void holdsGrowAsTheQuotaRunsDown() {
    assertThat(new BudgetThrift().next(new RequestBudget(4_000, 10_000, 1_000), T0).hold())
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(new BudgetThrift().next(new RequestBudget(2_000, 10_000, 1_000), T0).hold())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(new BudgetThrift().next(new RequestBudget(2_000, 10_000, 1_000), T0)
        .holdIncreases()).isFalse();
    assertThat(new BudgetThrift().next(new RequestBudget(1_000, 10_000, 1_000), T0)
        .holdIncreases()).isTrue();
  }

  @Test
  void aComfortableDecrease_waitsItsHold_thenGoes() {
    PushQueue.Thrift thrift =
        new BudgetThrift().next(new RequestBudget(4_000, 10_000, 1_000), T0);
    queue.offer(push("a", 19, 20), 1, false, true, T0);

    assertThat(queue.peekReady(T0.plusSeconds(119), BATCH, thrift)).isEmpty();
    assertThat(queue.nextReadyAt(T0.plusSeconds(119), thrift)).contains(T0.plusSeconds(120));
    assertThat(listings(queue.peekReady(T0.plusSeconds(120), BATCH, thrift))).containsExactly("a");
  }

  @Test
  void aNewerFigureForTheSameListing_replacesTheWaitingOne_withoutRestartingTheWait() {
    PushQueue.Thrift thrift =
        new BudgetThrift().next(new RequestBudget(4_000, 10_000, 1_000), T0);
    queue.offer(push("a", 19, 20), 1, false, false, T0);
    queue.offer(push("a", 17, 20), 2, false, false, T0.plusSeconds(100));

    List<PushQueue.Pending> ready = queue.peekReady(T0.plusSeconds(120), BATCH, thrift);

    assertThat(ready).hasSize(1);
    assertThat(ready.get(0).push.quantity()).isEqualTo(17);
  }

  @Test
  void aDecreaseToALowFigure_goesAtOnce_andTakesTheWaitingOnesAlong() {
    PushQueue.Thrift thrift =
        new BudgetThrift().next(new RequestBudget(2_000, 10_000, 1_000), T0);
    queue.offer(push("a", 19, 20), 1, false, false, T0);
    queue.offer(push("b", 25, 20), 1, false, false, T0);
    queue.offer(push("c", 0, 1), 1, false, false, T0.plusSeconds(5));

    List<PushQueue.Pending> ready = queue.peekReady(T0.plusSeconds(5), BATCH, thrift);

    // The sold-out listing first; the call's re-read is paid anyway, so the others ride along.
    assertThat(listings(ready)).containsExactly("c", "a", "b");
  }

  @Test
  void aWholeBatchReady_goesWithoutWaiting() {
    PushQueue.Thrift thrift =
        new BudgetThrift().next(new RequestBudget(2_000, 10_000, 1_000), T0);
    for (int i = 0; i < BATCH; i++) {
      queue.offer(push("l" + i, 30, 20), 1, false, false, T0);
    }

    assertThat(queue.peekReady(T0, BATCH, thrift)).hasSize(BATCH);
  }

  @Test
  void atTheReserve_increasesWait_whileDecreasesGo_andTheIncreaseGoesOnceTheQuotaRefills() {
    PushQueue.Thrift reserve =
        new BudgetThrift().next(new RequestBudget(900, 10_000, 1_000), T0);
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

    PushQueue.Thrift refilled =
        new BudgetThrift().next(new RequestBudget(3_000, 10_000, 1_000), T0);
    assertThat(listings(queue.peekReady(T0.plus(Duration.ofHours(3)), BATCH, refilled)))
        .containsExactly("up");
  }

  @Test
  void aLowFigureStandingInForAReRead_waitsForCompany_theStoreLoweredItItself() {
    PushQueue.Thrift thrift =
        new BudgetThrift().next(new RequestBudget(4_000, 10_000, 1_000), T0);
    queue.offer(push("a", 2, 3), 1, false, false, T0); // the store sold one of its 3 itself
    assertThat(queue.standIn("a", new StockRef("a", "shop"))).isTrue();

    assertThat(queue.peekReady(T0, BATCH, thrift)).isEmpty();
    assertThat(listings(queue.peekReady(T0.plusSeconds(120), BATCH, thrift)))
        .containsExactly("a");
  }

  @Test
  void aFigureStandingInForAReRead_staysQueued_whenTheHubComesBackToTheConfirmedFigure() {
    queue.offer(push("a", 19, 20), 1, false, false, T0);
    queue.standIn("a", new StockRef("a", "shop"));
    queue.offer(push("a", 20, 20), 2, false, false, T0.plusSeconds(1));

    List<PushQueue.Pending> ready = queue.peekReady(T0.plusSeconds(1), BATCH, null);
    assertThat(ready).hasSize(1);
    assertThat(ready.get(0).push.quantity()).as("the newest figure").isEqualTo(20);
    assertThat(ready.get(0).force).isTrue();
    assertThat(queue.standIn("b", new StockRef("b", "shop"))).as("nothing queued").isFalse();
  }
}
