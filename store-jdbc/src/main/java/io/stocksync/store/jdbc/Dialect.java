package io.stocksync.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** What differs between the two databases we support; everything else is portable SQL. */
enum Dialect {
  POSTGRESQL {
    @Override
    String upsert(String table, String keys, String others) {
      StringBuilder set = new StringBuilder();
      for (String c : others.split(",")) {
        String column = c.trim();
        set.append(set.length() == 0 ? "" : ", ").append(column).append(" = excluded.")
            .append(column);
      }
      return "INSERT INTO " + table + " (" + keys + ", " + others + ") VALUES ("
          + marks(keys + "," + others) + ") ON CONFLICT (" + keys + ") DO UPDATE SET " + set;
    }


    @Override
    String arrayType() {
      return "varchar";
    }
  },

  H2 {
    @Override
    String upsert(String table, String keys, String others) {
      // Columns left out (such as an identity giving the row's position) keep their value.
      return "MERGE INTO " + table + " (" + keys + ", " + others + ") KEY (" + keys + ") VALUES ("
          + marks(keys + "," + others) + ")";
    }


    @Override
    String arrayType() {
      return "VARCHAR";
    }
  };

  /** An insert-or-replace of one row, by primary key; other columns keep their value. */
  abstract String upsert(String table, String keys, String others);

  /** The element type name for {@link Connection#createArrayOf}. */
  abstract String arrayType();

  private static String marks(String columns) {
    int n = columns.split(",").length;
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    if (product.contains("h2")) {
      return H2;
    }
    throw new SQLException("unsupported database: " + product + " (PostgreSQL and H2 are)");
  }
}
