package io.stocksync.benchmarks.sim;

import io.stocksync.core.Sku;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A merchant's day, generated from a seed: the catalogue with its scarce starting stock, which
 * store lists which SKU, the buyers' arrivals (a diurnal curve plus a flash-sale hour on a few
 * SKUs), what becomes of each order if it is placed (kept, cancelled, or shipped and returned),
 * a stocktake, a purchase-order receipt and the Shopify faults. Everything is drawn up front from
 * one {@link Random}, so the same seed gives the same day in every mode.
 *
 * @param seed the seed
 * @param start the day's first instant (midnight UTC)
 * @param skus the SKUs, in catalogue order
 * @param initialStock units on hand per SKU at the start, in catalogue order
 * @param listed {@code listed[store][sku]}: whether a store lists a SKU; store 0 is Shopify
 * @param arrivals buyers, in time order
 * @param receipts the purchase-order receipt, booked at {@link #RECEIPT_AT}
 * @param stocktake the stocktake, counted at {@link #STOCKTAKE_AT}
 * @param faults the Shopify fault windows
 */
record SalesDay(
    long seed,
    Instant start,
    List<Sku> skus,
    int[] initialStock,
    boolean[][] listed,
    List<Arrival> arrivals,
    List<Receipt> receipts,
    List<Count> stocktake,
    List<FaultWindow> faults) {

  /** The stores of the day, in driver order. */
  static final List<String> STORES = List.of("shopify", "etsy", "ebay", "amazon");
  /** Share of buyers per store. */
  static final double[] STORE_SHARE = {0.40, 0.20, 0.25, 0.15};
  /** Probability that a store other than Shopify lists a SKU (Shopify lists them all). */
  static final double LISTED_ELSEWHERE = 0.75;
  /** Relative buyer traffic per hour of the day (UTC), evening peak. */
  static final double[] HOURLY = {1.0, 0.6, 0.4, 0.3, 0.3, 0.4, 0.7, 1.2, 1.6, 1.8, 2.0, 2.0,
      2.0, 2.0, 1.9, 1.8, 1.8, 2.0, 2.3, 2.6, 2.7, 2.4, 1.8, 1.3};
  /** The flash sale: this hour (UTC) gets this share of all buyers, all on the flash SKUs. */
  static final int FLASH_HOUR = 12;
  static final double FLASH_SHARE = 0.20;
  /** When the stocktake is counted and the purchase order received (offsets from midnight). */
  static final Duration STOCKTAKE_AT = Duration.ofHours(6);
  static final Duration RECEIPT_AT = Duration.ofHours(10);
  /** Shipping runs (hours of the day): orders due to be returned ship at the first run 2 h on. */
  static final int[] SHIPPING_RUNS = {9, 13, 17, 21};

  /**
   * One buyer.
   *
   * @param at when the buyer looks
   * @param store which store (index into {@link #STORES})
   * @param sku which SKU
   * @param wanted units wanted; the buyer takes what the store shows, up to this
   * @param cancelAfter when the order is cancelled after being placed, or null
   * @param shipAt when a returned order ships, or null when it is not returned
   * @param returnAt when its units come back and are refunded, or null
   */
  record Arrival(Instant at, int store, Sku sku, int wanted, Duration cancelAfter, Instant shipAt,
      Instant returnAt) {}

  /**
   * Units received on a purchase order.
   *
   * @param sku the SKU
   * @param units the units
   */
  record Receipt(Sku sku, int units) {}

  /**
   * A stocktake line: the count is what is on the shelf minus the shrinkage found.
   *
   * @param sku the SKU
   * @param shrinkage units found missing
   */
  record Count(Sku sku, int shrinkage) {}

  /**
   * A fault on one store.
   *
   * @param store the store index
   * @param fault the fault
   * @param from when it starts
   * @param until when it ends
   */
  record FaultWindow(int store, StoreDriver.Fault fault, Instant from, Instant until) {}

  /**
   * The full-size day of issue 15: 2,000 SKUs, 20,000 buyers.
   *
   * @param seed the seed
   * @return the day
   */
  static SalesDay full(long seed) {
    return generate(seed, 2_000, 20_000);
  }

  /**
   * The small day of the test: 200 SKUs, 2,000 buyers.
   *
   * @param seed the seed
   * @return the day
   */
  static SalesDay small(long seed) {
    return generate(seed, 200, 2_000);
  }

  /**
   * Generates a day.
   *
   * @param seed the seed
   * @param skuCount the number of SKUs
   * @param arrivalCount the number of buyers
   * @return the day
   */
  static SalesDay generate(long seed, int skuCount, int arrivalCount) {
    Random rnd = new Random(seed);
    Instant start = Instant.parse("2026-11-30T00:00:00Z");
    List<Sku> skus = new ArrayList<>(skuCount);
    int[] stock = new int[skuCount];
    for (int i = 0; i < skuCount; i++) {
      skus.add(Sku.of(String.format("SKU-%06d", i + 1)));
      double band = rnd.nextDouble();
      // Scarce: almost half the SKUs start with 1 to 5 units.
      stock[i] = band < 0.45 ? 1 + rnd.nextInt(5) : band < 0.80 ? 6 + rnd.nextInt(10)
          : 16 + rnd.nextInt(25);
    }
    int stores = STORES.size();
    boolean[][] listed = new boolean[stores][skuCount];
    Arrays.fill(listed[0], true);
    for (int s = 1; s < stores; s++) {
      for (int i = 0; i < skuCount; i++) {
        listed[s][i] = rnd.nextDouble() < LISTED_ELSEWHERE;
      }
    }
    // Popularity: a Zipf-like curve over a random order of the catalogue.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < skuCount; i++) {
      order.add(i);
    }
    Collections.shuffle(order, rnd);
    double[] cumulative = new double[skuCount];
    double total = 0;
    for (int rank = 0; rank < skuCount; rank++) {
      total += 1.0 / Math.pow(rank + 5, 0.9);
      cumulative[rank] = total;
    }
    // Flash SKUs: the first 2% of a fresh shuffle, listed everywhere, 10 to 30 units each.
    List<Integer> flashOrder = new ArrayList<>(order);
    Collections.shuffle(flashOrder, rnd);
    int[] flash = new int[Math.max(2, skuCount / 50)];
    for (int f = 0; f < flash.length; f++) {
      flash[f] = flashOrder.get(f);
      stock[flash[f]] = 10 + rnd.nextInt(21);
      for (int s = 0; s < stores; s++) {
        listed[s][flash[f]] = true;
      }
    }

    List<Arrival> arrivals = new ArrayList<>(arrivalCount);
    int flashArrivals = (int) Math.round(arrivalCount * FLASH_SHARE);
    double hourTotal = Arrays.stream(HOURLY).sum();
    double[] hourCumulative = new double[24];
    double h = 0;
    for (int i = 0; i < 24; i++) {
      h += HOURLY[i];
      hourCumulative[i] = h;
    }
    for (int a = 0; a < arrivalCount; a++) {
      boolean isFlash = a < flashArrivals;
      int hour = isFlash ? FLASH_HOUR : pick(hourCumulative, rnd.nextDouble() * hourTotal);
      Instant at = start.plusMillis(hour * 3_600_000L + (long) (rnd.nextDouble() * 3_600_000));
      int sku = isFlash ? flash[rnd.nextInt(flash.length)]
          : order.get(pick(cumulative, rnd.nextDouble() * total));
      int store = pickStore(rnd, listed, sku);
      double q = rnd.nextDouble();
      int wanted = q < 0.85 ? 1 : q < 0.97 ? 2 : 3;
      double fate = rnd.nextDouble();
      Duration cancelAfter = null;
      Instant shipAt = null;
      Instant returnAt = null;
      if (fate < 0.03) {
        cancelAfter = Duration.ofMinutes(10 + rnd.nextInt(111));
      } else if (fate < 0.05) {
        Instant ship = nextShippingRun(start, at.plus(Duration.ofHours(2)));
        Instant back = ship == null ? null
            : ship.plus(Duration.ofMinutes(60 + rnd.nextInt(121)));
        if (back != null && back.isBefore(start.plus(Duration.ofDays(1)))) {
          shipAt = ship;
          returnAt = back;
        }
      }
      arrivals.add(new Arrival(at, store, skus.get(sku), wanted, cancelAfter, shipAt, returnAt));
    }
    arrivals.sort((x, y) -> x.at().compareTo(y.at()));

    List<Receipt> receipts = new ArrayList<>();
    List<Count> counts = new ArrayList<>();
    for (int i = 0; i < skuCount; i++) {
      if (rnd.nextDouble() < 0.15) {
        receipts.add(new Receipt(skus.get(i), 5 + rnd.nextInt(26)));
      }
      if (rnd.nextDouble() < 0.10) {
        counts.add(new Count(skus.get(i), rnd.nextDouble() < 0.3 ? 1 : 0));
      }
    }
    List<FaultWindow> faults = List.of(
        window(start, 0, StoreDriver.Fault.RATE_LIMIT_STORM, "12:15", 10),
        window(start, 0, StoreDriver.Fault.SERVER_ERRORS, "15:00", 10),
        window(start, 0, StoreDriver.Fault.RATE_LIMIT_STORM, "19:30", 5),
        window(start, 0, StoreDriver.Fault.RATE_LIMIT_STORM, "21:00", 5));
    return new SalesDay(seed, start, List.copyOf(skus), stock, listed, List.copyOf(arrivals),
        List.copyOf(receipts), List.copyOf(counts), faults);
  }

  private static FaultWindow window(Instant day, int store, StoreDriver.Fault fault, String at,
      int minutes) {
    Duration offset = Duration.ofHours(Integer.parseInt(at.substring(0, 2)))
        .plusMinutes(Integer.parseInt(at.substring(3)));
    Instant from = day.plus(offset);
    return new FaultWindow(store, fault, from, from.plus(Duration.ofMinutes(minutes)));
  }

  private static Instant nextShippingRun(Instant day, Instant notBefore) {
    for (int run : SHIPPING_RUNS) {
      Instant at = day.plus(Duration.ofHours(run));
      if (!at.isBefore(notBefore)) {
        return at;
      }
    }
    return null;
  }

  /** The first index whose cumulative weight exceeds {@code x}. */
  private static int pick(double[] cumulative, double x) {
    int i = Arrays.binarySearch(cumulative, x);
    i = i < 0 ? -i - 1 : i + 1;
    return Math.min(i, cumulative.length - 1);
  }

  /** A store that lists the SKU, by the stores' shares of buyers. */
  private static int pickStore(Random rnd, boolean[][] listed, int sku) {
    double sum = 0;
    for (int s = 0; s < listed.length; s++) {
      if (listed[s][sku]) {
        sum += STORE_SHARE[s];
      }
    }
    double x = rnd.nextDouble() * sum;
    for (int s = 0; s < listed.length; s++) {
      if (listed[s][sku]) {
        x -= STORE_SHARE[s];
        if (x < 0) {
          return s;
        }
      }
    }
    return 0;
  }

  /**
   * The end of the day.
   *
   * @return midnight after the start
   */
  Instant end() {
    return start.plus(Duration.ofDays(1));
  }

  /**
   * Whether an instant falls in a fault window or the grace after it, when the hub catches up.
   *
   * @param at the instant
   * @param grace how long after a window still counts
   * @return true when inside
   */
  boolean inFaultWindow(Instant at, Duration grace) {
    for (FaultWindow w : faults) {
      if (!at.isBefore(w.from()) && at.isBefore(w.until().plus(grace))) {
        return true;
      }
    }
    return false;
  }
}
