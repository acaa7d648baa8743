package io.stocksync.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Databases for tests: one embedded PostgreSQL per test JVM (started on first use, stopped at
 * exit), with a fresh database per caller, and in-memory H2 databases.
 *
 * <p>Embedded PostgreSQL runs here as root: the zonky library sees that and runs initdb and the
 * server as the unprivileged user {@code nobody}, so CI (root, fresh clone, no terminal) needs
 * nothing extra.
 */
final class Databases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private Databases() {}

  static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder()
            // Tests run thousands of short transactions on a shared, busy machine. No test
            // crashes the server (the crash tests kill backends), so the cluster need not survive
            // a power cut: no fsync. The benchmarks keep PostgreSQL's defaults.
            .setServerConfig("max_connections", "300")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // The JVM is exiting.
        }
      }));
    }
    return postgres;
  }

  /** Creates an empty PostgreSQL database and returns its JDBC URL. */
  static String newPostgresDatabase() {
    String name = "t" + COUNTER.incrementAndGet();
    try (Connection c = postgres().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return postgres().getJdbcUrl("postgres", name);
  }

  /** A pool over a PostgreSQL database. */
  static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    return new HikariDataSource(config);
  }

  /** A fresh in-memory H2 database, kept until the JVM exits. */
  static JdbcDataSource newH2Database() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:t" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    ds.setUser("sa");
    return ds;
  }
}
