package io.stocksync.benchmarks.sim;

import java.util.Arrays;
import java.util.List;

/**
 * What one mode did with one day: the figures of the report, all counted by the simulation
 * itself (never taken from the engine's own accounting, except its oversell events).
 *
 * @param mode the mode
 * @param stores the store names, in driver order
 * @param arrivals buyers who came
 * @param blocked buyers who found the store showing 0 and left
 * @param ordersPlaced orders placed
 * @param unitsSold units ordered
 * @param unitsOversold units sold beyond what the merchant had at that moment
 * @param ordersAffected orders with at least one oversold unit
 * @param oversellEvents oversells the sync raised (engine events, or the baseline's alerts)
 * @param oversoldInFaultWindows oversold units sold during a fault window or its grace period
 * @param oversoldByStore oversold units per store where the buyer ordered
 * @param latenciesMillis for each sale that left another listing showing too much, the time
 *     until every other listing showed the figure the sale left (or lower), sorted
 * @param unconfirmed sales whose figure never reached every other listing by the end
 * @param callsPerHour API requests per store per hour of the day, {@code [store][hour]}
 * @param shopifyPointsPerHour Shopify cost points per hour of the day
 * @param shopifyThrottled Shopify requests answered THROTTLED by the leaky bucket
 * @param webhooksDelivered webhooks the Shopify emulator delivered
 * @param oversoldTimeline cumulative oversold units at the end of each 15 minutes (96 values)
 * @param storeMismatches listings whose figure differs from the merchant's true available (not
 *     below 0) after the settling period
 * @param hubMismatches SKUs whose hub figure differs from the true available (hub modes only)
 * @param ledgerMismatches SKUs whose stock level differs from the sum of their ledger movements
 * @param negativePushes pushed quantities below zero received by the stores
 * @param settledAfter how long after the day's end every store and the hub showed the true
 *     figures (at least {@link SalesDaySimulation#SETTLE}; hub modes keep going up to {@link
 *     SalesDaySimulation#SETTLE_CAP} when a daily quota held pushes back), or the whole time
 *     simulated when they never did
 * @param wallSeconds wall time of the run
 */
record DayResult(
    SalesDaySimulation.Mode mode,
    List<String> stores,
    long arrivals,
    long blocked,
    long ordersPlaced,
    long unitsSold,
    long unitsOversold,
    long ordersAffected,
    long oversellEvents,
    long oversoldInFaultWindows,
    long oversoldRateLimited,
    long oversoldInNotificationDelay,
    long oversoldBeforeWriteLanded,
    long[] oversoldByStore,
    long[] latenciesMillis,
    long unconfirmed,
    long[][] callsPerHour,
    long[] shopifyPointsPerHour,
    long shopifyThrottled,
    long webhooksDelivered,
    long[] oversoldTimeline,
    long storeMismatches,
    long hubMismatches,
    long ledgerMismatches,
    long negativePushes,
    java.time.Duration settledAfter,
    List<String> limitNotes,
    double wallSeconds) {

  /** Oversold units outside the fault windows and their grace periods. */
  long oversoldOutsideFaultWindows() {
    return unitsOversold - oversoldInFaultWindows;
  }

  /**
   * Oversold units outside fault windows that are not inside a channel's notification delay nor
   * inside the window between a write's acceptance and its landing: the ones an engine can close.
   */
  long oversoldEngineSide() {
    return oversoldOutsideFaultWindows() - oversoldRateLimited - oversoldInNotificationDelay
        - oversoldBeforeWriteLanded;
  }

  /** A percentile of the confirmation latency, in milliseconds; -1 when there is none. */
  long latencyPercentile(double p) {
    if (latenciesMillis.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * latenciesMillis.length);
    return latenciesMillis[Math.max(0, Math.min(latenciesMillis.length - 1, rank - 1))];
  }

  long latencyMax() {
    return latenciesMillis.length == 0 ? -1 : latenciesMillis[latenciesMillis.length - 1];
  }

  long callsInDay(int store) {
    return Arrays.stream(callsPerHour[store]).sum();
  }

  long peakCallsPerHour(int store) {
    return Arrays.stream(callsPerHour[store]).max().orElse(0);
  }

  long shopifyPointsInDay() {
    return Arrays.stream(shopifyPointsPerHour).sum();
  }

  long peakShopifyPointsPerHour() {
    return Arrays.stream(shopifyPointsPerHour).max().orElse(0);
  }

  /** Whether every store (and the hub, in hub modes) ended on the merchant's true figures. */
  boolean converged() {
    return storeMismatches == 0 && hubMismatches == 0;
  }

  /** Every figure that must be equal between two runs of the same day, wall time excluded. */
  String fingerprint() {
    return String.join("|", mode.name(), Long.toString(arrivals), Long.toString(blocked),
        Long.toString(ordersPlaced), Long.toString(unitsSold), Long.toString(unitsOversold),
        Long.toString(ordersAffected), Long.toString(oversellEvents),
        Long.toString(oversoldInFaultWindows), Long.toString(oversoldRateLimited), Long.toString(oversoldInNotificationDelay),
        Long.toString(oversoldBeforeWriteLanded), Arrays.toString(oversoldByStore),
        Arrays.toString(latenciesMillis), Long.toString(unconfirmed),
        Arrays.deepToString(callsPerHour), Arrays.toString(shopifyPointsPerHour),
        Long.toString(shopifyThrottled), Long.toString(webhooksDelivered),
        Arrays.toString(oversoldTimeline), Long.toString(storeMismatches),
        Long.toString(hubMismatches), Long.toString(ledgerMismatches),
        Long.toString(negativePushes), settledAfter.toString(), String.join(";", limitNotes));
  }
}
