package io.stocksync.store.jdbc;

import io.stocksync.core.StoreId;
import io.stocksync.core.internal.Checks;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.core.store.StoreLease;
import io.stocksync.core.store.StoreLeases;
import io.stocksync.core.store.StoreReader;
import io.stocksync.core.store.StoreTransaction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link InventoryStore} over a {@link DataSource} the host supplies, in plain JDBC.
 * PostgreSQL (12 or newer) and H2 (2.x) are supported; the schema comes with the jar as
 * versioned scripts applied by {@link #migrate()} (or on {@link Builder#build()} with {@link
 * Builder#migrate(boolean)}).
 *
 * <pre>{@code
 * // durable, embedded, one line (needs com.h2database:h2 on the class path):
 * JdbcInventoryStore store = JdbcInventoryStore.h2File(Path.of("data/stocksync"));
 * // your PostgreSQL, through your pool:
 * JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(pool).migrate(true).build();
 * }</pre>
 *
 * <p>Transactions: {@code read} work runs in a {@code REPEATABLE READ} transaction, a consistent
 * snapshot that never blocks on writers. {@code write} work runs {@code SERIALIZABLE} on
 * PostgreSQL; within one instance writes are also serialized by a lock, like the in-memory
 * store, so conflicts arise only between instances sharing the database. A write that fails
 * with a serialization failure, a deadlock or a unique-key race with another instance (see
 * {@link JdbcStoreException#isTransientConflict()}) is rolled back and its work re-run, at most
 * {@link Builder#maxAttempts(int)} times in all; the work must therefore have no effects outside
 * the transaction. Any other exception rolls back and is rethrown unchanged. A connection that
 * fails mid-transaction is not retried: the transaction is rolled back by the database and the
 * failure surfaces as a {@link JdbcStoreException}.
 *
 * <p>H2 is meant for a single process (embedded file mode); several instances share PostgreSQL.
 *
 * <p>Thread-safe. Closing it closes only what it opened itself (the pool of {@link #h2File}).
 */
public final class JdbcInventoryStore implements InventoryStore, StoreLeases, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcInventoryStore.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final int maxAttempts;
  private final Clock clock;
  private final @Nullable AutoCloseable owned;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ThreadLocal<@Nullable JdbcView> current = new ThreadLocal<>();
  // A store's key never changes once committed, so both directions are cached for good.
  private final Map<StoreId, Integer> storeNumbers = new ConcurrentHashMap<>();
  private final Map<Integer, StoreId> storeIds = new ConcurrentHashMap<>();

  private JdbcInventoryStore(Builder b, Dialect dialect) {
    this.dataSource = Checks.notNull(b.dataSource, "dataSource");
    this.dialect = dialect;
    this.maxAttempts = b.maxAttempts;
    this.clock = b.clock;
    this.owned = b.owned;
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens (creating if needed) an H2 database in a file, brings its schema up to date and returns
   * a store over it: the durable embedded default. Needs {@code com.h2database:h2} on the class
   * path. One process at a time may open the file.
   *
   * @param file the database file without H2's {@code .mv.db} suffix, e.g. {@code data/stocksync}
   * @return the store; close it to close the database
   * @throws JdbcStoreException if the database cannot be opened or migrated
   */
  public static JdbcInventoryStore h2File(Path file) {
    Checks.notNull(file, "file");
    H2Files.Pool pool = H2Files.open(file);
    try {
      Builder b = builder().dataSource(pool.dataSource()).migrate(true);
      b.owned = pool;
      return b.build();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  Dialect dialect() {
    return dialect;
  }

  DataSource dataSource() {
    return dataSource;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Deletes change-feed rows older than a moment: readers poll far more often than that.
   *
   * @param before rows written before this are deleted
   * @return the number of rows deleted
   * @throws JdbcStoreException if the database fails
   */
  public int pruneChangeFeed(java.time.Instant before) {
    return write(tx -> ((JdbcView) tx).pruneChangeFeed(before.toEpochMilli()));
  }

  Map<StoreId, Integer> storeNumbers() {
    return storeNumbers;
  }

  Map<Integer, StoreId> storeIds() {
    return storeIds;
  }

  void remember(StoreId id, int no) {
    storeNumbers.put(id, no);
    storeIds.put(no, id);
  }

  /**
   * Brings the database schema up to the version this library needs. Safe to call from several
   * instances at once: one applies the scripts, the others wait and find them applied.
   *
   * @return the schema version after the call
   * @throws JdbcStoreException if the database fails or holds a schema script that differs from
   *     the one shipped
   */
  public int migrate() {
    return Migrations.migrate(dataSource, dialect, Migrations.CURRENT, clock);
  }

  /**
   * Returns the schema version of the database.
   *
   * @return the version, 0 for an empty database
   * @throws JdbcStoreException if the database fails
   */
  public int schemaVersion() {
    try (Connection c = dataSource.getConnection()) {
      return Migrations.version(c);
    } catch (SQLException e) {
      throw new JdbcStoreException("cannot read the schema version", e);
    }
  }

  /**
   * Returns the schema version this library needs.
   *
   * @return the version
   */
  public static int requiredSchemaVersion() {
    return Migrations.CURRENT;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Expiry is decided by this store's clock ({@link Builder#clock}): instances sharing the
   * database need clocks in step to well within the lease time (NTP).
   *
   * @throws JdbcStoreException if the database fails
   */
  @Override
  public Optional<StoreLease> acquire(StoreId store, String owner, Duration ttl) {
    Checks.notBlank(owner, "owner", 255);
    Checks.require(ttl != null && !ttl.isNegative() && !ttl.isZero(), "ttl", "must be positive");
    long now = clock.millis();
    return write(tx -> ((JdbcView) tx).acquireLease(store, owner, now, ttl.toMillis()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws JdbcStoreException if the database fails
   */
  @Override
  public boolean release(StoreLease lease) {
    return write(tx -> ((JdbcView) tx).releaseLease(lease));
  }

  /**
   * {@inheritDoc}
   *
   * @throws JdbcStoreException if the database fails
   */
  @Override
  public List<StoreLease> leases() {
    return read(r -> ((JdbcView) r).leases());
  }

  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    JdbcView active = current.get();
    if (active != null) {
      return work.apply(active);
    }
    Connection c = open(false);
    JdbcView view = new JdbcView(this, c, false);
    current.set(view);
    try {
      T result = work.apply(view);
      commit(c, view);
      return result;
    } catch (RuntimeException | Error e) {
      rollbackQuietly(c);
      throw e;
    } finally {
      current.remove();
      view.close();
      closeQuietly(c);
    }
  }

  @Override
  public <T> T write(Function<? super StoreTransaction, ? extends T> work) {
    JdbcView active = current.get();
    if (active != null) {
      if (!active.writable) {
        throw new IllegalStateException("write transaction started inside read work");
      }
      return work.apply(active);
    }
    for (int attempt = 1; ; attempt++) {
      writeLock.lock();
      Connection c = null;
      JdbcView tx = null;
      try {
        c = open(true);
        tx = new JdbcView(this, c, true);
        current.set(tx);
        T result = work.apply(tx);
        commit(c, tx);
        tx.newStoreKeys.forEach(this::remember);
        return result;
      } catch (RuntimeException | Error e) {
        if (c != null) {
          rollbackQuietly(c);
        }
        JdbcStoreException conflict = conflict(tx, e);
        if (conflict == null || attempt >= maxAttempts) {
          if (conflict != null) {
            log.warn("write gave up after {} attempts: {}", attempt, conflict.getMessage());
          }
          throw e;
        }
        log.debug("write conflicted (attempt {} of {}), re-running: {}", attempt, maxAttempts,
            conflict.getMessage());
      } finally {
        current.remove();
        if (tx != null) {
          tx.close();
        }
        if (c != null) {
          closeQuietly(c);
        }
        writeLock.unlock();
      }
      backOff(attempt);
    }
  }

  /** The transient conflict that made a write fail, even if the work swallowed it, or null. */
  private static @Nullable JdbcStoreException conflict(@Nullable JdbcView tx, Throwable thrown) {
    if (thrown instanceof JdbcStoreException && ((JdbcStoreException) thrown).isTransientConflict()) {
      return (JdbcStoreException) thrown;
    }
    if (tx != null && tx.failure != null && tx.failure.isTransientConflict()) {
      return tx.failure;
    }
    return null;
  }

  private static void backOff(int attempt) {
    // Jittered, growing pause so that two instances that collided do not collide again.
    long bound = Math.min(100, 2L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JdbcStoreException("interrupted while retrying a write");
    }
  }

  private Connection open(boolean write) {
    Connection c = null;
    try {
      c = dataSource.getConnection();
      c.setAutoCommit(false);
      if (dialect == Dialect.POSTGRESQL) {
        // Set for this transaction only, in the round trip that begins it: changing the
        // connection's level would cost a round trip now and another when the pool resets it.
        try (Statement s = c.createStatement()) {
          s.execute(write
              ? "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"
              : "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
      } else {
        // H2 serves one process, whose writes the lock already serializes; reads want a
        // snapshot.
        int isolation = write
            ? Connection.TRANSACTION_READ_COMMITTED
            : Connection.TRANSACTION_REPEATABLE_READ;
        if (c.getTransactionIsolation() != isolation) {
          c.setTransactionIsolation(isolation);
        }
      }
      return c;
    } catch (SQLException e) {
      if (c != null) {
        closeQuietly(c);
      }
      throw new JdbcStoreException("cannot open a transaction", e);
    }
  }

  private static void commit(Connection c, JdbcView view) {
    JdbcStoreException swallowed = view.failure;
    if (swallowed != null) {
      // The work caught a database failure and returned: the transaction is broken, so commit
      // nothing and report the failure rather than the work's result.
      throw swallowed;
    }
    view.flush(); // the queued writes of a write transaction
    try {
      c.commit();
    } catch (SQLException e) {
      throw view.fail("commit", e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback failed (the connection is probably gone): {}", e.getMessage());
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing a connection failed: {}", e.getMessage());
    }
  }

  /**
   * Closes what this store opened itself (the H2 pool of {@link #h2File}); a data source given
   * to the builder is left to its owner.
   *
   * @throws JdbcStoreException if closing fails
   */
  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new JdbcStoreException("closing the database failed: " + e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcInventoryStore[" + dialect + "]";
  }

  /** Builds a {@link JdbcInventoryStore}. */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private boolean migrate;
    private int maxAttempts = 10;
    private Clock clock = Clock.systemUTC();
    private @Nullable AutoCloseable owned;

    private Builder() {}

    /**
     * Sets the data source; required. Give it a pool (HikariCP or your container's): the store
     * opens one connection per transaction.
     *
     * @param dataSource the data source
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Checks.notNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Applies missing schema scripts in {@link #build()}; off by default, in which case {@code
     * build()} requires the schema to be current already.
     *
     * @param migrate whether to migrate on build
     * @return this builder
     */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Sets how many times in all a write is attempted when it conflicts with another instance's
     * writes; 10 by default.
     *
     * @param attempts at least 1
     * @return this builder
     * @throws io.stocksync.core.InvalidInputException if attempts is below 1
     */
    public Builder maxAttempts(int attempts) {
      Checks.positive(attempts, "maxAttempts");
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Sets the clock that decides lease expiry and stamps applied migrations; the system UTC
     * clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /**
     * Builds the store: detects the database, migrates if asked, and checks the schema version.
     *
     * @return the store
     * @throws io.stocksync.core.InvalidInputException if no data source was set
     * @throws JdbcStoreException if the database cannot be reached, is neither PostgreSQL nor
     *     H2, or its schema is not the one this library needs (and migrating was not asked for)
     */
    public JdbcInventoryStore build() {
      Checks.notNull(dataSource, "dataSource");
      Dialect dialect;
      try (Connection c = dataSource.getConnection()) {
        dialect = Dialect.of(c);
      } catch (SQLException e) {
        throw new JdbcStoreException("cannot connect to the database", e);
      }
      JdbcInventoryStore store = new JdbcInventoryStore(this, dialect);
      int version = migrate ? store.migrate() : store.schemaVersion();
      if (version != Migrations.CURRENT) {
        throw new JdbcStoreException("the database schema is at version " + version
            + ", this library needs " + Migrations.CURRENT + (version < Migrations.CURRENT
                ? ": call migrate() or build with migrate(true)"
                : ": it was migrated by a newer stocksync"));
      }
      return store;
    }
  }
}
