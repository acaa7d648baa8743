package io.stocksync.store.jdbc;

import io.stocksync.core.StockSyncException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The database failed: it could not be reached, a statement failed, or a write kept conflicting
 * with writes of other instances after every retry. Nothing of the failed transaction was
 * committed.
 */
public class JdbcStoreException extends StockSyncException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String sqlState;

  /**
   * Creates an exception for a failed database call.
   *
   * @param message what was being done
   * @param cause the driver's exception
   */
  public JdbcStoreException(String message, SQLException cause) {
    super(message + ": " + cause.getMessage(), cause);
    this.sqlState = cause.getSQLState();
  }

  /**
   * Creates an exception without a driver exception.
   *
   * @param message what went wrong
   */
  public JdbcStoreException(String message) {
    super(message);
    this.sqlState = null;
  }

  /**
   * Returns the SQLSTATE the driver reported.
   *
   * @return the five-character state, or null if unknown
   */
  public @Nullable String sqlState() {
    return sqlState;
  }

  /**
   * Tells whether re-running the transaction may succeed: a serialization failure or a deadlock
   * (SQLSTATE class 40), or a lock timeout.
   *
   * @return true for transient conflicts between transactions
   */
  public boolean isTransientConflict() {
    return isTransientConflict(sqlState);
  }

  static boolean isTransientConflict(@Nullable String state) {
    // 40001 serialization failure, 40P01 deadlock (PostgreSQL); H2 reports 40001 for deadlocks
    // and HYT00 for lock timeouts.
    return state != null && (state.startsWith("40") || state.equals("HYT00")
        || state.equals("55P03"));
  }
}
