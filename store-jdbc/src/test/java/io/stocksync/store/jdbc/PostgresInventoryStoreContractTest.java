package io.stocksync.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.store.InventoryStore;
import io.stocksync.testkit.InventoryStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;

/** The store contract on a real PostgreSQL; one database for the class, emptied per test. */
class PostgresInventoryStoreContractTest extends InventoryStoreContract {
  private static HikariDataSource pool;
  private static final String[] TABLES = {
    "ss_product", "ss_bundle_component", "ss_warehouse", "ss_stock_level", "ss_movement",
    "ss_operation", "ss_store_key", "ss_store", "ss_location", "ss_mapping", "ss_listing",
    "ss_order", "ss_store_lease", "ss_change_feed"
  };

  @Override
  protected InventoryStore newStore() {
    if (pool == null) {
      pool = Databases.pool(Databases.newPostgresDatabase(), 12);
      JdbcInventoryStore.builder().dataSource(pool).migrate(true).build();
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + String.join(", ", TABLES));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return JdbcInventoryStore.builder().dataSource(pool).build();
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }
}
