package io.stocksync.core.sync;

import io.stocksync.core.internal.Checks;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link SyncScheduler}: a small {@link ScheduledExecutorService} of daemon threads.
 * Thread-safe.
 *
 * <p>The engine runs only short work here (timers, planning, reconciling); every connector call
 * runs in the store's lane on the engine's network executor, so no store, however slow, can
 * occupy these threads.
 */
public final class ExecutorSyncScheduler implements SyncScheduler {
  private static final Logger log = LoggerFactory.getLogger(ExecutorSyncScheduler.class);

  private static final Duration MAX_DELAY = Duration.ofDays(365L * 100);

  private final ScheduledExecutorService executor;

  /**
   * Creates a scheduler with its own threads.
   *
   * @param threads the number of threads, at least 1; two suit most hosts
   * @throws io.stocksync.core.InvalidInputException if threads is below 1
   */
  public ExecutorSyncScheduler(int threads) {
    Checks.require(threads >= 1, "threads", "must be >= 1: " + threads);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "stocksync-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = Executors.newScheduledThreadPool(threads, factory);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            log.error("stocksync task failed", e);
          }
        };
    if (executor.isShutdown()) {
      return () -> {};
    }
    // A delay beyond what nanoseconds can hold (about 292 years) waits "for ever", never throws.
    long nanos = delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY.toNanos() : Math.max(0, delay.toNanos());
    ScheduledFuture<?> f = executor.schedule(guarded, nanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("stocksync scheduler threads still running after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
