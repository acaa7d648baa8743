package io.stocksync.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.benchmarks.sim.SalesDaySimulation.Mode;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The small simulated day (200 SKUs, 2,000 buyers) in every mode: the invariants that must hold
 * whatever the figures, and the claim the simulation exists to check. The full-size figures go
 * in BENCHMARKS.md, not in assertions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesDaySimulationTest {
  static final long SEED = 7;
  final Map<Mode, DayResult> results = new EnumMap<>(Mode.class);

  @BeforeAll
  void runTheSmallDayInEveryMode() {
    SalesDay day = SalesDay.small(SEED);
    for (Mode mode : Mode.values()) {
      results.put(mode, SalesDaySimulation.run(day, mode));
    }
  }

  @Test
  void smallDay_everyBuyerCame_andOrdersWereOnlyPlacedWhereTheStoreShowedStock() {
    for (DayResult r : results.values()) {
      assertThat(r.arrivals()).as(r.mode().label).isEqualTo(2_000);
      assertThat(r.ordersPlaced() + r.blocked()).as(r.mode().label).isEqualTo(2_000);
      assertThat(r.unitsSold()).as(r.mode().label).isGreaterThanOrEqualTo(r.ordersPlaced());
    }
  }

  @Test
  void stocksync_everyStoreAndTheHubConverge_onTheMerchantsTrueFigures() {
    for (Mode mode : new Mode[] {Mode.STOCKSYNC, Mode.STOCKSYNC_POLLING, Mode.STOCKSYNC_GUARDED}) {
      DayResult r = results.get(mode);
      assertThat(r.storeMismatches()).as(mode.label + ": listings off the true figure").isZero();
      assertThat(r.hubMismatches()).as(mode.label + ": hub off the true figure").isZero();
      assertThat(r.unconfirmed()).as(mode.label + ": sales never confirmed").isZero();
    }
  }

  @Test
  void stocksync_converges_onASecondSeedToo() {
    SalesDay other = SalesDay.small(42);
    for (Mode mode : new Mode[] {Mode.STOCKSYNC, Mode.STOCKSYNC_POLLING}) {
      DayResult r = SalesDaySimulation.run(other, mode);
      assertThat(r.storeMismatches()).as(mode.label + ", seed 42: listings off the true figure")
          .isZero();
      assertThat(r.hubMismatches()).as(mode.label + ", seed 42: hub off the true figure").isZero();
      assertThat(r.unconfirmed()).as(mode.label + ", seed 42: sales never confirmed").isZero();
    }
  }

  @Test
  void stocksync_ledgerAddsUpToEveryStockLevel() {
    assertThat(results.get(Mode.STOCKSYNC).ledgerMismatches()).isZero();
    assertThat(results.get(Mode.STOCKSYNC_POLLING).ledgerMismatches()).isZero();
  }

  @Test
  void oversoldUnitsOutsideFaultWindows_splitIntoCausesThatAddUp() {
    for (DayResult r : results.values()) {
      assertThat(r.oversoldRateLimited() + r.oversoldInNotificationDelay()
          + r.oversoldBeforeWriteLanded() + r.oversoldEngineSide())
          .as(r.mode().label).isEqualTo(r.oversoldOutsideFaultWindows());
      assertThat(r.oversoldEngineSide()).as(r.mode().label).isNotNegative();
      assertThat(Arrays.stream(r.oversoldByStore()).sum()).as(r.mode().label)
          .isEqualTo(r.unitsOversold());
    }
  }

  @Test
  void noStoreEverReceivedANegativeQuantity() {
    for (DayResult r : results.values()) {
      assertThat(r.negativePushes()).as(r.mode().label).isZero();
    }
  }

  @Test
  void stocksync_oversellsFewerUnitsThanTheTenMinuteBaseline_onTheSameDay() {
    DayResult stocksync = results.get(Mode.STOCKSYNC);
    DayResult baseline = results.get(Mode.BASELINE);

    assertThat(baseline.unitsOversold()).isPositive();
    assertThat(stocksync.unitsOversold()).isLessThan(baseline.unitsOversold());
    assertThat(stocksync.ordersAffected()).isLessThan(baseline.ordersAffected());
  }

  @Test
  void stocksync_confirmsASaleOnEveryOtherListing_withinAmazonsApplyDelayPlusSeconds_atTheMedian() {
    // Pushes wait for the 1 s debounce; Amazon shows an ACCEPTED write 2 minutes later, and most
    // SKUs are listed there, so the median sale waits for Amazon's figure to land.
    assertThat(results.get(Mode.STOCKSYNC).latencyPercentile(50))
        .isLessThan(AmazonDriver.APPLY_DELAY.plusSeconds(10).toMillis());
    assertThat(results.get(Mode.BASELINE).latencyPercentile(50))
        .isGreaterThan(Duration.ofMinutes(1).toMillis());
  }

  @Test
  void shopifyWasNeverThrottledByItsBucket_andGotWebhooksOnlyInTheDefaultMode() {
    for (DayResult r : results.values()) {
      assertThat(r.shopifyThrottled()).as(r.mode().label).isZero();
    }
    assertThat(results.get(Mode.STOCKSYNC).webhooksDelivered()).isPositive();
    assertThat(results.get(Mode.STOCKSYNC_POLLING).webhooksDelivered()).isZero();
  }

  @Test
  void sameSeed_givesIdenticalResults() {
    SalesDay tiny = SalesDay.generate(SEED, 60, 400);
    DayResult first = SalesDaySimulation.run(tiny, Mode.STOCKSYNC);
    DayResult again = SalesDaySimulation.run(SalesDay.generate(SEED, 60, 400), Mode.STOCKSYNC);

    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(first.latenciesMillis()).isNotEmpty();
  }

  @Test
  void sameSeed_givesTheSameDay_andAnotherSeedAnother() {
    SalesDay a = SalesDay.small(SEED);
    SalesDay b = SalesDay.small(SEED);
    SalesDay c = SalesDay.small(SEED + 1);

    assertThat(b.arrivals()).isEqualTo(a.arrivals());
    assertThat(b.initialStock()).isEqualTo(a.initialStock());
    assertThat(c.arrivals()).isNotEqualTo(a.arrivals());
    long flash = a.arrivals().stream()
        .filter(x -> x.at().isAfter(a.start().plus(Duration.ofHours(SalesDay.FLASH_HOUR))))
        .filter(x -> x.at().isBefore(a.start().plus(Duration.ofHours(SalesDay.FLASH_HOUR + 1))))
        .count();
    assertThat(flash).as("the flash-sale hour").isGreaterThan(400);
  }
}
