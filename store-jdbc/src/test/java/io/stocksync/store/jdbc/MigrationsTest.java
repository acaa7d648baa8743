package io.stocksync.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.StoreReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationsTest {
  private static DataSource fresh(String database) {
    return database.equals("postgres")
        ? Databases.pool(Databases.newPostgresDatabase(), 4)
        : Databases.newH2Database();
  }

  private static List<Integer> versions(DataSource ds) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM ss_schema_version WHERE version > 0"
            + " ORDER BY version")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  private static void sql(DataSource ds, String... statements) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void migrate_fromEmptyDatabase_appliesEveryScriptOnce(String database) throws Exception {
    DataSource ds = fresh(database);
    JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(ds).migrate(true).build();

    assertThat(store.schemaVersion()).isEqualTo(JdbcInventoryStore.requiredSchemaVersion());
    assertThat(versions(ds)).containsExactly(1, 2, 3);
    assertThat(store.migrate()).as("a second run changes nothing").isEqualTo(3);
    assertThat(versions(ds)).containsExactly(1, 2, 3);
    assertThat(store.read((StoreReader r) -> r.productCount())).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void migrate_fromFirstReleasedSchema_keepsTheDataAndReachesCurrent(String database)
      throws Exception {
    DataSource ds = fresh(database);
    Dialect dialect;
    try (Connection c = ds.getConnection()) {
      dialect = Dialect.of(c);
    }
    assertThat(Migrations.migrate(ds, dialect, 1, Clock.systemUTC())).isEqualTo(1);
    // Rows as version 1 of the library wrote them.
    sql(ds,
        "INSERT INTO ss_product (sku, name) VALUES ('MUG', 'Mug')",
        "INSERT INTO ss_stock_level (sku, warehouse_id, in_stock, booked, counted)"
            + " VALUES ('MUG', 'main', 7, 2, TRUE)",
        "INSERT INTO ss_store_key (channel, external_id) VALUES ('shopify', 'a.myshopify.com')",
        "INSERT INTO ss_listing (store_no, listing_id, inventory_ref, sku, status, title, tracked)"
            + " SELECT store_no, 'L1', 'I1', 'MUG', 'ACTIVE', 'Mug', TRUE FROM ss_store_key",
        "INSERT INTO ss_listing (store_no, listing_id, inventory_ref, sku, status, title, tracked)"
            + " SELECT store_no, 'L2', 'I2', 'MUG', 'ACTIVE', 'Mug', TRUE FROM ss_store_key",
        "INSERT INTO ss_known_quantity (store_no, listing_id, location_id, quantity)"
            + " SELECT store_no, 'L1', 'gid://shopify/Location/1', 4 FROM ss_store_key",
        "INSERT INTO ss_known_quantity (store_no, listing_id, location_id, quantity)"
            + " SELECT store_no, 'L1', 'loc:2', -1 FROM ss_store_key");
    assertThatThrownBy(() -> JdbcInventoryStore.builder().dataSource(ds).build())
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("version 1")
        .hasMessageContaining("migrate()");

    JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(ds).migrate(true).build();

    assertThat(versions(ds)).containsExactly(1, 2, 3);
    assertThat(store.read((StoreReader r) -> r.product(Sku.of("MUG")))).contains(Product.of("MUG", "Mug"));
    assertThat(store.read((StoreReader r) -> r.stockLevel(Sku.of("MUG"), "main")))
        .contains(new StockLevel(Sku.of("MUG"), "main", 7, 2, true));
    StoreId shop = StoreId.of("shopify", "a.myshopify.com");
    assertThat(store.read(r -> r.listing(shop, "L1")).map(ListingRecord::inventoryRef))
        .contains("I1");
    assertThat(store.read((StoreReader r) -> r.knownQuantities(shop, List.of("L1", "L2"),
        List.of("gid://shopify/Location/1", "loc:2", "loc3"))))
        .as("known quantities moved onto their listings by V3")
        .isEqualTo(Map.of("L1", Map.of("gid://shopify/Location/1", 4L, "loc:2", -1L)));
    assertThat(store.read((StoreReader r) -> r.knownQuantity(shop, "L1", "loc:2"))).hasValue(-1);
    store.write(tx -> {
      tx.putKnownQuantity(shop, "L2", "loc3", 9);
      return null;
    });
    assertThat(store.read((StoreReader r) -> r.knownQuantity(shop, "L2", "loc3"))).hasValue(9);
    sql(ds, "INSERT INTO ss_change_feed (sku, at_millis) VALUES ('MUG', 1)");
  }

  @Test
  void migrate_fromTwoInstancesAtOnce_appliesEachScriptOnce() throws Exception {
    String url = Databases.newPostgresDatabase();
    try (HikariDataSource a = Databases.pool(url, 2); HikariDataSource b = Databases.pool(url, 2)) {
      CountDownLatch start = new CountDownLatch(1);
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
        await(start);
        return JdbcInventoryStore.builder().dataSource(a).migrate(true).build().schemaVersion();
      });
      CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> {
        await(start);
        return JdbcInventoryStore.builder().dataSource(b).migrate(true).build().schemaVersion();
      });
      start.countDown();

      assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(3);
      assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(3);
      assertThat(versions(a)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void migrate_whenAnAppliedScriptWasChanged_refusesToRun() throws Exception {
    DataSource ds = fresh("h2");
    JdbcInventoryStore store = JdbcInventoryStore.builder().dataSource(ds).migrate(true).build();
    sql(ds, "UPDATE ss_schema_version SET checksum = 1 WHERE version = 1");

    assertThatThrownBy(store::migrate)
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("V1 was changed");
  }

  @Test
  void build_onEmptyDatabaseWithoutMigrate_failsNamingTheFix() {
    DataSource ds = fresh("h2");

    assertThatThrownBy(() -> JdbcInventoryStore.builder().dataSource(ds).build())
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("version 0")
        .hasMessageContaining("migrate(true)");
  }

  @Test
  void statements_splitAtLineEndingSemicolonsAndSkipComments() {
    assertThat(Migrations.statements("-- a comment; not split\nCREATE TABLE a (x INT);\n\n"
        + "CREATE INDEX b\n  ON a (x);\n"))
        .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX b\n  ON a (x)");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
