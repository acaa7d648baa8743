package io.stocksync.core.sync;

import java.time.Duration;

/**
 * Runs the engine's timed and queued work. The default is {@link ExecutorSyncScheduler}; a host
 * can bridge to its own (Spring {@code TaskScheduler}, Quartz) and tests use a virtual scheduler
 * that runs tasks as a controllable clock advances.
 *
 * <p>Implementations must be thread-safe. Tasks may run on any thread; the engine serialises
 * work per store itself.
 */
public interface SyncScheduler extends AutoCloseable {
  /**
   * Runs a task once after a delay.
   *
   * @param delay zero or more
   * @param task the work; exceptions it throws are the engine's bugs and may be logged and
   *     dropped
   * @return a handle to cancel the task before it runs
   */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Stops accepting tasks and waits briefly for running ones to finish. Pending tasks are
   * dropped; the engine re-derives its work from the store when it starts again.
   */
  @Override
  void close();

  /** A handle to a scheduled task. */
  interface Cancellable {
    /** Prevents the task from running if it has not started; does nothing otherwise. */
    void cancel();
  }
}
