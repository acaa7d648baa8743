package io.stocksync.benchmarks.sim;

import io.stocksync.benchmarks.sim.SalesDaySimulation.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the simulated sales day in every mode on the same seed and writes the report: a Markdown
 * table on stdout, CSV files and an SVG chart of oversold units over the day.
 *
 * <pre>{@code
 * benchmarks/sim.sh                      # the full day: 2,000 SKUs, 20,000 buyers, seed 42
 * benchmarks/sim.sh --seed 7 --skus 200 --arrivals 2000
 * }</pre>
 */
public final class SalesDayReport {
  private SalesDayReport() {}

  /**
   * Runs the report.
   *
   * @param args {@code --seed N}, {@code --skus N}, {@code --arrivals N}, {@code --out DIR}
   *     (default {@code benchmarks/target/sim}), {@code --mode M[,M...]} with M one of
   *     {@code stocksync}, {@code stocksync_polling}, {@code baseline}, {@code stocksync_guarded}
   *     (default the first three), {@code --amazon-queue-read SECONDS} (how late the host reads
   *     Amazon's ORDER_CHANGE messages off its queue; default 60)
   */
  public static void main(String[] args) {
    long seed = 42;
    int skus = 2_000;
    int arrivals = 20_000;
    Path out = Path.of("benchmarks", "target", "sim");
    List<Mode> modes = Mode.DEFAULT_RUN;
    Duration amazonQueueRead = AmazonDriver.QUEUE_READ_INTERVAL;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--skus" -> skus = Integer.parseInt(args[i + 1]);
        case "--arrivals" -> arrivals = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--amazon-queue-read" -> amazonQueueRead =
            Duration.ofSeconds(Long.parseLong(args[i + 1]));
        case "--mode" -> modes = Arrays.stream(args[i + 1].split(","))
            .map(m -> Mode.valueOf(m.strip().toUpperCase(Locale.ROOT))).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    SalesDay day = SalesDay.generate(seed, skus, arrivals);
    List<DayResult> results = new ArrayList<>();
    for (Mode mode : modes) {
      System.err.printf("running %s ...%n", mode.label);
      DayResult r = SalesDaySimulation.run(day, mode, amazonQueueRead);
      System.err.printf("  done in %.1f s of wall time%n", r.wallSeconds());
      results.add(r);
    }
    try {
      Files.createDirectories(out);
      write(out.resolve("summary.csv"), summaryCsv(results));
      write(out.resolve("hourly.csv"), hourlyCsv(results));
      write(out.resolve("oversold-timeline.csv"), timelineCsv(results));
      write(out.resolve("latencies.csv"), latencyCsv(results));
      write(out.resolve("oversold.svg"), svg(results, day));
      String table = table(results, day);
      write(out.resolve("table.md"), table);
      System.out.print(table);
      System.out.println("files: " + out.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  static String table(List<DayResult> results, SalesDay day) {
    StringBuilder b = new StringBuilder();
    DayResult first = results.get(0);
    b.append(String.format(Locale.ROOT, "Seed %d: %,d SKUs, %,d buyers, stores %s.%n%n",
        day.seed(), day.skus().size(), first.arrivals(), String.join(", ", first.stores())));
    b.append("| mode | orders placed | units oversold | of which outside fault windows "
        + "| … while a rate limit was saturated | … inside a channel's notification delay | … before an accepted write landed "
        + "| … engine-side | orders affected | oversell events | sale → other listings confirmed p50 / p99 / max "
        + "| API calls per hour (all stores, mean / peak) | Shopify points per hour (mean / peak) "
        + "| converged at the end |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (DayResult r : results) {
      long[] perHour = new long[24];
      for (long[] store : r.callsPerHour()) {
        for (int h = 0; h < 24; h++) {
          perHour[h] += store[h];
        }
      }
      long sum = 0;
      long peak = 0;
      for (long c : perHour) {
        sum += c;
        peak = Math.max(peak, c);
      }
      b.append(String.format(Locale.ROOT,
          "| %s | %,d | **%,d** | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %s / %s / %s | %,d / %,d "
              + "| %,d / %,d | %s |%n",
          r.mode().label, r.ordersPlaced(), r.unitsOversold(), r.oversoldOutsideFaultWindows(),
          r.oversoldRateLimited(), r.oversoldInNotificationDelay(), r.oversoldBeforeWriteLanded(),
          r.oversoldEngineSide(), r.ordersAffected(), r.oversellEvents(), duration(r.latencyPercentile(50)),
          duration(r.latencyPercentile(99)), duration(r.latencyMax()), sum / 24, peak,
          r.shopifyPointsInDay() / 24, r.peakShopifyPointsPerHour(),
          (r.converged() ? "yes" : "no (" + r.storeMismatches() + " listings)")
              + (r.settledAfter().compareTo(SalesDaySimulation.SETTLE) > 0
                  ? ", " + duration(r.settledAfter().toMillis()) + " after the day" : "")));
    }
    b.append(String.format(Locale.ROOT, "%nOversold units by store where the buyer ordered (%s):%n",
        String.join(" / ", first.stores())));
    for (DayResult r : results) {
      StringBuilder per = new StringBuilder();
      for (long v : r.oversoldByStore()) {
        per.append(per.length() == 0 ? "" : " / ").append(v);
      }
      b.append(String.format(Locale.ROOT, "- %s: %s; Shopify THROTTLED %d, webhooks %,d; "
          + "%s; wall %.1f s%n", r.mode().label, per, r.shopifyThrottled(), r.webhooksDelivered(),
          String.join("; ", r.limitNotes()), r.wallSeconds()));
    }
    return b.toString();
  }

  private static String duration(long millis) {
    if (millis < 0) {
      return "–";
    }
    if (millis < 10_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    if (millis < 600_000) {
      return String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }
    return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
  }

  static String summaryCsv(List<DayResult> results) {
    StringBuilder b = new StringBuilder("mode,arrivals,blocked,orders_placed,units_sold,"
        + "units_oversold,oversold_in_fault_windows,oversold_outside_fault_windows,"
        + "oversold_rate_limited,oversold_in_notification_delay,oversold_before_write_landed,oversold_engine_side,"
        + "orders_affected,oversell_events,latency_samples,latency_p50_ms,latency_p99_ms,"
        + "latency_max_ms,unconfirmed,api_calls_day,shopify_points_day,shopify_throttled,"
        + "webhooks,store_mismatches,hub_mismatches,ledger_mismatches,negative_pushes,"
        + "settled_after_minutes,wall_seconds\n");
    for (DayResult r : results) {
      long calls = 0;
      for (int s = 0; s < r.stores().size(); s++) {
        calls += r.callsInDay(s);
      }
      b.append(String.format(Locale.ROOT,
          "%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.1f%n",
          r.mode().name().toLowerCase(Locale.ROOT), r.arrivals(), r.blocked(), r.ordersPlaced(),
          r.unitsSold(), r.unitsOversold(), r.oversoldInFaultWindows(),
          r.oversoldOutsideFaultWindows(), r.oversoldRateLimited(), r.oversoldInNotificationDelay(),
          r.oversoldBeforeWriteLanded(), r.oversoldEngineSide(), r.ordersAffected(),
          r.oversellEvents(), r.latenciesMillis().length, r.latencyPercentile(50), r.latencyPercentile(99),
          r.latencyMax(), r.unconfirmed(), calls, r.shopifyPointsInDay(), r.shopifyThrottled(),
          r.webhooksDelivered(), r.storeMismatches(), r.hubMismatches(), r.ledgerMismatches(),
          r.negativePushes(), r.settledAfter().toMinutes(), r.wallSeconds()));
    }
    return b.toString();
  }

  static String hourlyCsv(List<DayResult> results) {
    StringBuilder b = new StringBuilder("mode,hour,store,api_calls,shopify_points\n");
    for (DayResult r : results) {
      for (int h = 0; h < 24; h++) {
        for (int s = 0; s < r.stores().size(); s++) {
          b.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%s%n",
              r.mode().name().toLowerCase(Locale.ROOT), h, r.stores().get(s),
              r.callsPerHour()[s][h], s == 0 ? Long.toString(r.shopifyPointsPerHour()[h]) : ""));
        }
      }
    }
    return b.toString();
  }

  static String timelineCsv(List<DayResult> results) {
    StringBuilder b = new StringBuilder("mode,minute,cumulative_units_oversold\n");
    for (DayResult r : results) {
      for (int q = 0; q < r.oversoldTimeline().length; q++) {
        b.append(String.format(Locale.ROOT, "%s,%d,%d%n", r.mode().name().toLowerCase(Locale.ROOT),
            (q + 1) * 15, r.oversoldTimeline()[q]));
      }
    }
    return b.toString();
  }

  static String latencyCsv(List<DayResult> results) {
    StringBuilder b = new StringBuilder("mode,latency_ms\n");
    for (DayResult r : results) {
      for (long l : r.latenciesMillis()) {
        b.append(r.mode().name().toLowerCase(Locale.ROOT)).append(',').append(l).append('\n');
      }
    }
    return b.toString();
  }

  /** Cumulative oversold units over the day, one line per mode, fault windows shaded. */
  static String svg(List<DayResult> results, SalesDay day) {
    int width = 720;
    int height = 360;
    int left = 60;
    int right = 170;
    int top = 40;
    int bottom = 40;
    int plotW = width - left - right;
    int plotH = height - top - bottom;
    long max = 1;
    for (DayResult r : results) {
      for (long v : r.oversoldTimeline()) {
        max = Math.max(max, v);
      }
    }
    String[] colours = {"#1b7f3b", "#d98c00", "#c0392b"};
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
    b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
        width, height));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">Units oversold "
        + "over the day (cumulative), seed %d, %,d SKUs, %,d buyers</text>%n", left, day.seed(),
        day.skus().size(), results.get(0).arrivals()));
    for (SalesDay.FaultWindow w : day.faults()) {
      double from = minutes(day, w.from()) / 1440.0 * plotW + left;
      double to = minutes(day, w.until()) / 1440.0 * plotW + left;
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
          + "fill=\"#eeeeee\"><title>%s</title></rect>%n", from, top, Math.max(1, to - from), plotH,
          w.fault()));
    }
    double flashFrom = SalesDay.FLASH_HOUR * 60 / 1440.0 * plotW + left;
    b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
        + "fill=\"#fff3d6\" opacity=\"0.6\"><title>flash sale</title></rect>%n", flashFrom, top,
        60 / 1440.0 * plotW, plotH));
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
        + "stroke=\"black\"/>%n", left, top + plotH, left + plotW, top + plotH));
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
        + "stroke=\"black\"/>%n", left, top, left, top + plotH));
    for (int h = 0; h <= 24; h += 3) {
      double x = left + h / 24.0 * plotW;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
          + "%02d:00</text>%n", x, top + plotH + 16, h));
    }
    for (int i = 0; i <= 4; i++) {
      long v = Math.round(max * i / 4.0);
      double y = top + plotH - (double) v / max * plotH;
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d"
          + "</text>%n", left - 6, y + 4, v));
    }
    for (int m = 0; m < results.size(); m++) {
      DayResult r = results.get(m);
      StringBuilder points = new StringBuilder().append(left).append(',').append(top + plotH);
      long[] t = r.oversoldTimeline();
      for (int q = 0; q < t.length; q++) {
        double x = left + (q + 1) / (double) t.length * plotW;
        double y = top + plotH - (double) t[q] / max * plotH;
        points.append(String.format(Locale.ROOT, " %.1f,%.1f", x, y));
      }
      String colour = colours[m % colours.length];
      b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" "
          + "stroke-width=\"2\" points=\"%s\"/>%n", colour, points));
      int ly = top + 14 + m * 18;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
          + "stroke=\"%s\" stroke-width=\"2\"/>%n", left + plotW + 10, ly - 4, left + plotW + 30,
          ly - 4, colour));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s: %d</text>%n",
          left + plotW + 34, ly, escape(r.mode().label), r.unitsOversold()));
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static double minutes(SalesDay day, java.time.Instant at) {
    return Duration.between(day.start(), at).toSeconds() / 60.0;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
