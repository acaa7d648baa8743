package io.stocksync.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema scripts shipped in the jar ({@code migrations/V<n>__<name>.sql}) in order,
 * each exactly once, and records them in {@code ss_schema_version}.
 *
 * <p>Two instances starting at once are serialized by a row lock on the version table's row 0,
 * held on a separate connection for the whole run: PostgreSQL would allow an advisory lock, but
 * H2 commits every DDL statement, so the lock must live outside the connection doing the work.
 * Each script is re-checked after the lock is taken, so the instance that waited finds it applied.
 * A script changed after it was applied is refused (its CRC-32 is recorded).
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** The scripts in version order. A released script is never edited: add the next one. */
  static final List<String> SCRIPTS = List.of("V1__hub.sql", "V2__leases_and_change_feed.sql",
      "V3__known_quantities_on_listing.sql");

  static final int CURRENT = SCRIPTS.size();

  private Migrations() {}

  record Script(int version, String name, String sql, long checksum) {}

  static List<Script> scripts() {
    List<Script> out = new ArrayList<>();
    for (String file : SCRIPTS) {
      String path = "migrations/" + file;
      try (InputStream in = Migrations.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing schema script " + path);
        }
        String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(sql.getBytes(StandardCharsets.UTF_8));
        int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
        String name = file.substring(file.indexOf("__") + 2, file.length() - 4);
        out.add(new Script(version, name, sql, crc.getValue()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read schema script " + path, e);
      }
    }
    return out;
  }

  /** Splits a script at semicolons that end a line; lines starting with -- are comments. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String s = current.toString().trim();
        out.add(s.substring(0, s.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().trim());
    }
    return out;
  }

  /**
   * Brings the schema up to {@code target}.
   *
   * @return the schema version after the run
   */
  static int migrate(DataSource dataSource, Dialect dialect, int target, Clock clock) {
    try (Connection lock = dataSource.getConnection();
        Connection work = dataSource.getConnection()) {
      createVersionTable(lock);
      lock.setAutoCommit(false);
      if (dialect == Dialect.H2) {
        try (Statement s = lock.createStatement()) {
          s.execute("SET LOCK_TIMEOUT 600000");
        }
      }
      try (Statement s = lock.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT version FROM ss_schema_version WHERE version = 0 FOR UPDATE")) {
        rs.next();
      }
      try {
        TreeMap<Integer, Long> applied = applied(work);
        for (Script script : scripts()) {
          Long checksum = applied.get(script.version());
          if (checksum != null) {
            if (checksum != script.checksum()) {
              throw new JdbcStoreException("schema script V" + script.version()
                  + " was changed after it was applied (checksum " + checksum + " in the"
                  + " database, " + script.checksum() + " in the jar)");
            }
            continue;
          }
          if (script.version() > target) {
            break;
          }
          apply(work, dialect, script, clock);
        }
        int version = applied(work).lastKey();
        lock.commit();
        return version;
      } catch (SQLException | RuntimeException e) {
        lock.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new JdbcStoreException("schema migration failed", e);
    }
  }

  /** Returns the applied version, 0 for an empty database. */
  static int version(Connection c) throws SQLException {
    try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
      boolean found = false;
      while (rs.next()) {
        if (rs.getString("TABLE_NAME").equalsIgnoreCase("ss_schema_version")) {
          found = true;
        }
      }
      if (!found) {
        return 0;
      }
    }
    return applied(c).lastKey();
  }

  private static TreeMap<Integer, Long> applied(Connection c) throws SQLException {
    TreeMap<Integer, Long> out = new TreeMap<>();
    out.put(0, 0L);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum FROM ss_schema_version")) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return out;
  }

  private static void createVersionTable(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS ss_schema_version (version INT NOT NULL PRIMARY KEY,"
          + " description VARCHAR(255) NOT NULL, checksum BIGINT NOT NULL,"
          + " applied_at VARCHAR(40) NOT NULL)");
    } catch (SQLException e) {
      // Two instances creating it at once: PostgreSQL lets one fail with a duplicate.
      if (!isDuplicate(e)) {
        throw e;
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO ss_schema_version (version, description, checksum, applied_at)"
          + " VALUES (0, 'lock row for migrations', 0, '-')");
    } catch (SQLException e) {
      if (!isDuplicate(e)) {
        throw e;
      }
    }
  }

  private static boolean isDuplicate(SQLException e) {
    // 23505: unique violation (the lock row, or pg_type's index); 42P07: duplicate table;
    // 42710: duplicate object, which PostgreSQL reports as 'type "ss_schema_version" already
    // exists' when two CREATE TABLE IF NOT EXISTS race past each other's existence check.
    String state = e.getSQLState();
    return state != null
        && (state.equals("23505") || state.equals("42P07") || state.equals("42710"));
  }

  private static void apply(Connection c, Dialect dialect, Script script, Clock clock)
      throws SQLException {
    log.info("applying stocksync schema V{} {}", script.version(), script.name());
    // PostgreSQL runs DDL in the transaction, so a failed script leaves nothing behind; H2
    // commits each DDL statement, and a failure there needs the half-applied objects dropped.
    c.setAutoCommit(dialect == Dialect.H2);
    try {
      for (String statement : statements(script.sql())) {
        try (Statement s = c.createStatement()) {
          s.execute(statement);
        }
      }
      if (script.version() == 3) {
        moveKnownQuantities(c);
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO ss_schema_version"
          + " (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
        p.setInt(1, script.version());
        p.setString(2, script.name());
        p.setLong(3, script.checksum());
        p.setString(4, clock.instant().toString());
        p.executeUpdate();
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * The data half of V3: each listing's rows of {@code ss_known_quantity} become its {@code
   * known} column, then the table goes. Safe to run again after a failure half-way on H2 (which
   * commits as it goes): every listing's column is rewritten whole, and the table is dropped last.
   */
  private static void moveKnownQuantities(Connection c) throws SQLException {
    boolean present;
    try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
      present = false;
      while (rs.next()) {
        present |= rs.getString("TABLE_NAME").equalsIgnoreCase("ss_known_quantity");
      }
    }
    if (!present) {
      return;
    }
    try (Statement read = c.createStatement();
        PreparedStatement write = c.prepareStatement(
            "UPDATE ss_listing SET known = ? WHERE store_no = ? AND listing_id = ?")) {
      read.setFetchSize(JdbcView.FETCH_SIZE);
      int batched = 0;
      try (ResultSet rs = read.executeQuery("SELECT store_no, listing_id, location_id, quantity"
          + " FROM ss_known_quantity ORDER BY store_no, listing_id")) {
        Integer storeNo = null;
        String listingId = null;
        Map<String, Long> known = new TreeMap<>();
        while (true) {
          boolean more = rs.next();
          if (listingId != null && (!more || rs.getInt(1) != storeNo
              || !rs.getString(2).equals(listingId))) {
            write.setString(1, Codec.known(known));
            write.setInt(2, storeNo);
            write.setString(3, listingId);
            write.addBatch();
            if (++batched % JdbcView.FETCH_SIZE == 0) {
              write.executeBatch();
            }
            known = new TreeMap<>();
          }
          if (!more) {
            break;
          }
          storeNo = rs.getInt(1);
          listingId = rs.getString(2);
          known.put(rs.getString(3), rs.getLong(4));
        }
      }
      if (batched % JdbcView.FETCH_SIZE != 0) {
        write.executeBatch();
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE ss_known_quantity");
    }
  }
}
