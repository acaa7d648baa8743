package io.stocksync.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that moves only when told to, so tests drive time instead of sleeping.
 * Thread-safe: reads and moves are atomic.
 */
public final class ManualClock extends Clock {
  private final ZoneId zone;
  private final Object lock;
  private Instant now;

  /**
   * Creates a clock at an instant, in UTC.
   *
   * @param start the initial instant
   */
  public ManualClock(Instant start) {
    this(start, ZoneOffset.UTC, new Object());
  }

  private ManualClock(Instant start, ZoneId zone, Object lock) {
    this.now = Objects.requireNonNull(start, "start");
    this.zone = zone;
    this.lock = lock;
  }

  /**
   * Creates a clock at 2026-01-01T00:00:00Z.
   *
   * @return the clock
   */
  public static ManualClock startingAtEpochOf2026() {
    return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far, zero or more
   * @return the new instant
   * @throws IllegalArgumentException if the duration is negative
   */
  public Instant advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration < 0: " + duration);
    }
    synchronized (lock) {
      now = now.plus(duration);
      return now;
    }
  }

  /**
   * Moves the clock to an instant, never backwards.
   *
   * @param instant the target; ignored when earlier than now
   * @return the new instant
   */
  public Instant advanceTo(Instant instant) {
    synchronized (lock) {
      if (instant.isAfter(now)) {
        now = instant;
      }
      return now;
    }
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    // Shares the lock and instant source so every view moves together.
    return new ZonedView(this, newZone);
  }

  /** A view in another zone that reads the parent's instant. */
  private static final class ZonedView extends Clock {
    private final ManualClock parent;
    private final ZoneId zone;

    ZonedView(ManualClock parent, ZoneId zone) {
      this.parent = parent;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
      return new ZonedView(parent, z);
    }

    @Override
    public Instant instant() {
      return parent.instant();
    }
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
