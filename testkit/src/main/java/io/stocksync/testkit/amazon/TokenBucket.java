package io.stocksync.testkit.amazon;

import java.time.Instant;

/** SP-API's per-operation token bucket: {@code burst} tokens, refilled at {@code rate} per second. */
final class TokenBucket {
  final double rate;
  final int burst;
  private double tokens;
  private Instant last;

  TokenBucket(double rate, int burst, Instant now) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token if there is one. */
  boolean tryTake(Instant now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  private void refill(Instant now) {
    if (now.isAfter(last)) {
      double seconds = (now.toEpochMilli() - last.toEpochMilli()) / 1000.0;
      tokens = Math.min(burst, tokens + seconds * rate);
      last = now;
    }
  }
}
