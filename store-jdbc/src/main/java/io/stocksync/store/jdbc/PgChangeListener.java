package io.stocksync.store.jdbc;

import io.stocksync.core.store.ChangeSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed's fast path on PostgreSQL: a daemon thread holds one connection that {@code
 * LISTEN}s on {@link #CHANNEL}, to which every transaction appending to the feed sends a {@code
 * NOTIFY} (delivered at its commit), and calls the wake callback on each. After a lost connection
 * it reconnects with backoff and wakes once, since notifications sent meanwhile are gone; the
 * feed's polling covers that gap either way. Loaded only on PostgreSQL, so the driver's classes
 * are needed only there.
 */
final class PgChangeListener implements ChangeSource.Subscription {
  /** The notification channel; one per database. */
  static final String CHANNEL = "stocksync_changes";

  private static final Logger log = LoggerFactory.getLogger(PgChangeListener.class);
  /** How long one wait for notifications blocks, so that close() is noticed soon. */
  private static final int WAIT_MILLIS = 250;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final DataSource dataSource;
  private final Runnable wake;
  private final Thread thread;
  private volatile boolean closed;

  private PgChangeListener(DataSource dataSource, Runnable wake) {
    this.dataSource = dataSource;
    this.wake = wake;
    this.thread = new Thread(this::run, "stocksync-change-listener");
    this.thread.setDaemon(true);
  }

  static PgChangeListener start(DataSource dataSource, Runnable wake) {
    PgChangeListener listener = new PgChangeListener(dataSource, wake);
    listener.thread.start();
    return listener;
  }

  private void run() {
    long backoff = 250;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        backoff = 250;
        wakeSafely(); // whatever was sent while no one listened
        while (!closed) {
          PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
          if (notes != null && notes.length > 0) {
            wakeSafely();
          }
        }
        try (Statement s = c.createStatement()) {
          s.execute("UNLISTEN " + CHANNEL); // the connection goes back to a pool
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("change feed listener lost its connection ({}); polling covers, retrying in {} ms",
            e.getClass().getName(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
      }
    }
  }

  private void wakeSafely() {
    try {
      wake.run();
    } catch (RuntimeException e) {
      log.warn("waking for changes failed: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(2 * WAIT_MILLIS + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
