package io.stocksync.ebay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

/**
 * Paces calls two ways, both answered as a wait before the next call (the engine waits on its
 * scheduler; nothing sleeps here):
 *
 * <ul>
 *   <li>a steady request rate: each HTTP request moves the earliest time of the next one by
 *       {@code 1 / maxRequestsPerSecond};
 *   <li>each API's daily quota, spent evenly: by any moment of the (UTC) day at most the elapsed
 *       share of the quota plus 10% may be used, so a busy morning cannot starve the evening, and
 *       a spent quota waits for the next day.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class CallBudget {
  private static final double AHEAD = 0.10;

  private final Clock clock;
  private final double requestsPerSecond;
  private final Map<EbayApi, Long> limits;
  private final Map<EbayApi, Long> used = new EnumMap<>(EbayApi.class);
  private final Map<EbayApi, Long> total = new EnumMap<>(EbayApi.class);
  private LocalDate day;
  private Instant nextFree = Instant.EPOCH;
  private final java.util.Set<EbayApi> reported = java.util.EnumSet.noneOf(EbayApi.class);

  CallBudget(Clock clock, double requestsPerSecond, Map<EbayApi, Long> limits) {
    this.clock = clock;
    this.requestsPerSecond = requestsPerSecond;
    this.limits = new EnumMap<>(limits);
    this.day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  synchronized void record(EbayApi api) {
    Instant now = clock.instant();
    roll(now);
    used.merge(api, 1L, Long::sum);
    total.merge(api, 1L, Long::sum);
    if (requestsPerSecond > 0) {
      Instant base = nextFree.isAfter(now) ? nextFree : now;
      nextFree = base.plusNanos((long) (1_000_000_000L / requestsPerSecond));
    }
  }

  /** The wait before a call that will make {@code calls} requests to {@code api}. */
  synchronized Duration delay(EbayApi api, int calls) {
    Instant now = clock.instant();
    roll(now);
    Duration wait = nextFree.isAfter(now) ? Duration.between(now, nextFree) : Duration.ZERO;
    long limit = limits.get(api);
    long after = used.getOrDefault(api, 0L) + Math.max(1, calls);
    Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    if (after > limit) {
      return max(wait, Duration.between(now, midnight));
    }
    if (after > limit * 8 / 10 && reported.add(api)) {
      pendingReport = api;
    }
    double share = (double) after / limit - AHEAD;
    if (share > 0) {
      Instant allowedAt = day.atStartOfDay(ZoneOffset.UTC).toInstant()
          .plusMillis((long) (share * Duration.ofDays(1).toMillis()));
      if (allowedAt.isAfter(now)) {
        wait = max(wait, Duration.between(now, allowedAt));
      }
    }
    return wait;
  }

  private @org.jspecify.annotations.Nullable EbayApi pendingReport;

  /** The API that just crossed 80% of its daily quota, once per API per day; null otherwise. */
  synchronized @org.jspecify.annotations.Nullable EbayApi takeReport() {
    EbayApi api = pendingReport;
    pendingReport = null;
    return api;
  }

  synchronized long usedToday(EbayApi api) {
    roll(clock.instant());
    return used.getOrDefault(api, 0L);
  }

  synchronized long usedTotal(EbayApi api) {
    return total.getOrDefault(api, 0L);
  }

  long limit(EbayApi api) {
    return limits.get(api);
  }

  double requestsPerSecond() {
    return requestsPerSecond;
  }

  private void roll(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (!today.equals(day)) {
      day = today;
      used.clear();
      reported.clear();
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
