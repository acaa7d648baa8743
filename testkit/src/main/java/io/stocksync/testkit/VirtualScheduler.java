package io.stocksync.testkit;

import io.stocksync.core.sync.SyncScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SyncScheduler} that runs tasks on the caller's thread as a {@link ManualClock} is
 * advanced, so tests of timed behaviour run instantly and deterministically.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.startingAtEpochOf2026();
 * VirtualScheduler scheduler = new VirtualScheduler(clock);
 * StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
 * hub.inventory().adjust(sku, "main", 5, "");
 * scheduler.advance(Duration.ofSeconds(2));   // debounce elapses, the push runs
 * }</pre>
 *
 * <p>Tasks due at the same instant run in the order they were scheduled. Thread-safe for
 * scheduling; running tasks is meant for one test thread.
 */
public final class VirtualScheduler implements SyncScheduler {
  private final ManualClock clock;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private long executed;
  private boolean closed;

  /**
   * Creates a scheduler on a clock.
   *
   * @param clock the clock it advances
   */
  public VirtualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  private static final class Entry implements Comparable<Entry> {
    final Instant due;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Entry(Instant due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    if (closed) {
      return () -> {};
    }
    Entry e = new Entry(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay),
        sequence.incrementAndGet(), task);
    queue.add(e);
    return () -> e.cancelled = true;
  }

  /**
   * Runs every task due now, including tasks they schedule for now, without moving the clock.
   *
   * @return the number of tasks run
   */
  public int runDue() {
    return runUntil(clock.instant());
  }

  /**
   * Moves the clock forward, running each task at its due time in order.
   *
   * @param duration how far to move
   * @return the number of tasks run
   */
  public int advance(Duration duration) {
    return runUntil(clock.instant().plus(duration));
  }

  /**
   * Runs tasks in due order, moving the clock to each one's due time, until no task is due at or
   * before {@code until}; then sets the clock to {@code until}.
   *
   * @param until the instant to stop at
   * @return the number of tasks run
   * @throws IllegalStateException if more than a million tasks run, which means a task keeps
   *     rescheduling itself without delay
   */
  public int runUntil(Instant until) {
    int ran = 0;
    while (true) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(until)) {
          break;
        }
        queue.poll();
      }
      if (next.cancelled) {
        continue;
      }
      clock.advanceTo(next.due);
      next.task.run();
      executed++;
      if (++ran > 1_000_000) {
        throw new IllegalStateException("tasks keep rescheduling themselves without delay");
      }
    }
    clock.advanceTo(until);
    return ran;
  }

  /**
   * Returns how many scheduled tasks are waiting (cancelled ones included until their time).
   *
   * @return the count
   */
  public synchronized int pending() {
    return (int) queue.stream().filter(e -> !e.cancelled).count();
  }

  /**
   * Returns how many tasks ran since creation.
   *
   * @return the count
   */
  public long executed() {
    return executed;
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
  }
}
