package io.stocksync.etsy.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * What the connector knows of its Etsy rate limits: queries per second over a sliding second
 * (from its own log of requests, with the limit from {@code x-limit-per-second}) and queries per
 * sliding day (from {@code x-limit-per-day} / {@code x-remaining-today}, counting down with every
 * request since). Configured figures stand in until the first headers arrive. A 429's {@code
 * retry-after} blocks every call until it passes. Thread-safe.
 */
public final class RateBudget {
  private final Clock clock;
  private int perSecond;
  private long perDay;
  private long remainingToday = -1;
  private final Deque<Instant> recent = new ArrayDeque<>();
  private @Nullable Instant blockedUntil;

  /**
   * Creates a budget with fallback figures.
   *
   * @param clock the clock
   * @param perSecond requests per second until Etsy says otherwise
   * @param perDay requests per day until Etsy says otherwise
   */
  public RateBudget(Clock clock, int perSecond, long perDay) {
    this.clock = clock;
    this.perSecond = Math.max(1, perSecond);
    this.perDay = Math.max(1, perDay);
  }

  /** Records a request about to be sent. */
  public synchronized void sent() {
    Instant now = clock.instant();
    trim(now);
    recent.addLast(now);
    if (remainingToday > 0) {
      remainingToday--;
    }
  }

  /**
   * Records the limit headers of a successful answer (any may be null).
   *
   * @param limitPerSecond {@code x-limit-per-second}
   * @param limitPerDay {@code x-limit-per-day}
   * @param remainingDay {@code x-remaining-today}
   */
  public synchronized void observe(@Nullable Long limitPerSecond, @Nullable Long limitPerDay,
      @Nullable Long remainingDay) {
    if (limitPerSecond != null && limitPerSecond > 0) {
      perSecond = (int) Math.min(Integer.MAX_VALUE, limitPerSecond);
    }
    if (limitPerDay != null && limitPerDay > 0) {
      perDay = limitPerDay;
    }
    if (remainingDay != null && remainingDay >= 0) {
      remainingToday = remainingDay;
    }
  }

  /**
   * Records a 429.
   *
   * @param retryAfter the wait Etsy asked for, or null
   */
  public synchronized void limited(@Nullable Duration retryAfter) {
    Instant until = clock.instant().plus(retryAfter == null ? Duration.ofSeconds(1) : retryAfter);
    if (blockedUntil == null || until.isAfter(blockedUntil)) {
      blockedUntil = until;
    }
  }

  /**
   * How long to wait until {@code requests} more requests fit in the sliding second (at most a
   * whole second's worth is waited for) and any 429 pause has passed.
   *
   * @param requests the requests about to be made
   * @return zero when they may go now
   */
  public synchronized Duration delayFor(int requests) {
    Instant now = clock.instant();
    trim(now);
    Duration wait = Duration.ZERO;
    if (blockedUntil != null && blockedUntil.isAfter(now)) {
      wait = Duration.between(now, blockedUntil);
    }
    int need = Math.min(Math.max(1, requests), perSecond);
    int excess = recent.size() + need - perSecond;
    if (excess > 0) {
      Instant freeAt = recent.stream().skip(excess - 1).findFirst().orElse(now).plusSeconds(1);
      Duration d = Duration.between(now, freeAt);
      if (d.compareTo(wait) > 0) {
        wait = d;
      }
    }
    return wait;
  }

  /**
   * The requests per second Etsy granted (or the fallback).
   *
   * @return the limit
   */
  public synchronized int perSecond() {
    return perSecond;
  }

  /**
   * The requests per day Etsy granted (or the fallback).
   *
   * @return the limit
   */
  public synchronized long perDay() {
    return perDay;
  }

  /**
   * What is left of the day's budget, as far as known.
   *
   * @return the remaining requests, or -1 before Etsy said
   */
  public synchronized long remainingToday() {
    return remainingToday;
  }

  private void trim(Instant now) {
    Instant horizon = now.minusSeconds(1);
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(horizon)) {
      recent.pollFirst();
    }
  }
}
