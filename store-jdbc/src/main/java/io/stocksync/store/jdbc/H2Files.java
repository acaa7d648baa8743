package io.stocksync.store.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/** The H2 part of {@link JdbcInventoryStore#h2File}, apart so that H2 stays optional. */
final class H2Files {
  private H2Files() {}

  /** An H2 connection pool that closes with the store. */
  record Pool(JdbcConnectionPool pool) implements AutoCloseable {
    DataSource dataSource() {
      return pool;
    }

    @Override
    public void close() {
      pool.dispose();
    }
  }

  static Pool open(Path file) {
    String url = "jdbc:h2:file:" + file.toAbsolutePath()
        // Wait for a busy row rather than fail at once.
        + ";LOCK_TIMEOUT=10000";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(16);
    return new Pool(pool);
  }
}
