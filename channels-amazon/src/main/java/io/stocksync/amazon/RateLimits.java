package io.stocksync.amazon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our picture of SP-API's per-operation token buckets: the models' default rate and burst, the
 * rate replaced by {@code x-amzn-RateLimit-Limit} whenever Amazon sends it, emptied by a 429. Also
 * the JSON_LISTINGS_FEED cap of 5 submissions per 5 minutes per region. Thread-safe.
 */
final class RateLimits {
  /** Default rate per second and burst per operation, from the usage plans in the models. */
  static final Map<String, double[]> DEFAULTS = Map.of(
      "searchListingsItems", new double[] {5, 5},
      "getListingsItem", new double[] {5, 10},
      "patchListingsItem", new double[] {5, 5},
      "createFeedDocument", new double[] {0.5, 15},
      "createFeed", new double[] {0.0083, 15},
      "getFeed", new double[] {2, 15},
      "getFeedDocument", new double[] {0.0222, 10},
      "searchOrders", new double[] {0.0056, 20},
      "getOrder", new double[] {0.5, 30},
      "getInventorySummaries", new double[] {2, 2});
  /**
   * How much slower than Amazon's stated rate our estimate of each bucket refills: Amazon refills
   * on its own clock, so a call sent the instant our estimate reaches a whole token can meet a
   * bucket a rounding short of it.
   */
  static final double REFILL_MARGIN = 0.02;
  static final int FEEDS_PER_WINDOW = 5;
  static final Duration FEED_WINDOW = Duration.ofMinutes(5);

  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Deque<Instant> feeds = new ArrayDeque<>();

  RateLimits(Clock clock) {
    this.clock = clock;
  }

  private Bucket bucket(String operation) {
    return buckets.computeIfAbsent(operation, op -> {
      double[] d = DEFAULTS.getOrDefault(op, new double[] {1, 1});
      return new Bucket(d[0], (int) d[1], clock.instant());
    });
  }

  /** Takes one token; the call goes even if the bucket looks empty (Amazon is the judge). */
  void take(String operation) {
    Bucket b = bucket(operation);
    synchronized (b) {
      b.refill(clock.instant());
      b.tokens -= 1;
    }
  }

  /** Whole tokens available now. */
  int available(String operation) {
    Bucket b = bucket(operation);
    synchronized (b) {
      b.refill(clock.instant());
      return (int) Math.floor(Math.max(0, b.tokens));
    }
  }

  /** How long until {@code n} tokens (at most the burst) are available; zero if they are now. */
  Duration delay(String operation, int n) {
    Bucket b = bucket(operation);
    synchronized (b) {
      b.refill(clock.instant());
      double want = Math.min(Math.max(1, n), b.burst);
      if (b.tokens >= want) {
        return Duration.ZERO;
      }
      return Duration.ofMillis(
          (long) Math.ceil((want - b.tokens) / (b.rate * (1 - REFILL_MARGIN)) * 1000));
    }
  }

  /** Applies the rate Amazon says it applied ({@code x-amzn-RateLimit-Limit}). */
  void observe(String operation, String header) {
    try {
      double rate = Double.parseDouble(header.trim());
      if (rate > 0 && !Double.isInfinite(rate)) {
        Bucket b = bucket(operation);
        synchronized (b) {
          b.refill(clock.instant());
          b.rate = rate;
        }
      }
    } catch (NumberFormatException ignored) {
      // A header we cannot read leaves the model's default in place.
    }
  }

  /** Amazon answered 429: our bucket is empty whatever we thought. */
  void exhausted(String operation) {
    Bucket b = bucket(operation);
    synchronized (b) {
      b.refill(clock.instant());
      b.tokens = Math.min(b.tokens, 0);
    }
  }

  /** The current rate of an operation. */
  double rate(String operation) {
    Bucket b = bucket(operation);
    synchronized (b) {
      return b.rate;
    }
  }

  /** How long until another JSON_LISTINGS_FEED may be submitted. */
  synchronized Duration feedDelay() {
    Instant now = clock.instant();
    while (!feeds.isEmpty() && !feeds.peekFirst().plus(FEED_WINDOW).isAfter(now)) {
      feeds.pollFirst();
    }
    Duration bucket = delay("createFeed", 1).compareTo(delay("createFeedDocument", 1)) > 0
        ? delay("createFeed", 1) : delay("createFeedDocument", 1);
    if (feeds.size() < FEEDS_PER_WINDOW) {
      return bucket;
    }
    Duration window = Duration.between(now, feeds.peekFirst().plus(FEED_WINDOW));
    return window.compareTo(bucket) > 0 ? window : bucket;
  }

  synchronized void feedSubmitted() {
    feeds.addLast(clock.instant());
  }

  private static final class Bucket {
    double rate;
    final int burst;
    double tokens;
    Instant last;

    Bucket(double rate, int burst, Instant now) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
      this.last = now;
    }

    void refill(Instant now) {
      if (now.isAfter(last)) {
        double seconds = Duration.between(last, now).toNanos() / 1e9;
        tokens = Math.min(burst, tokens + seconds * rate * (1 - REFILL_MARGIN));
        last = now;
      }
    }
  }
}
