package io.stocksync.store.jdbc;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.LeaseLostException;
import io.stocksync.core.LocationMapping;
import io.stocksync.core.Movement;
import io.stocksync.core.MovementType;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.store.ListingRecord;
import io.stocksync.core.store.OrderRecord;
import io.stocksync.core.store.StoreLease;
import io.stocksync.core.store.StoreRecord;
import io.stocksync.core.store.StoreTransaction;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One transaction's view of the database: every reader and writer method is one or a few
 * statements on the transaction's connection. Driver failures surface as {@link
 * JdbcStoreException}; the first one is remembered, so that a transaction whose work swallowed it
 * is still rolled back (and retried when the failure was a conflict).
 */
final class JdbcView implements StoreTransaction {
  /** Rows fetched per round trip when streaming a large result. */
  static final int FETCH_SIZE = 1000;

  private final JdbcInventoryStore owner;
  final Connection connection;
  final boolean writable;
  private final Dialect dialect;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  /** Store keys created by this transaction: cached by the store only once it commits. */
  final Map<StoreId, Integer> newStoreKeys = new HashMap<>();
  @Nullable JdbcStoreException failure;

  // ---- a write transaction's own cache and write-behind -----------------------------------
  // A write transaction sees a snapshot (SERIALIZABLE on PostgreSQL; on H2 the store's lock
  // keeps other writers out) plus its own writes, so a row read once is remembered until this
  // transaction writes it: applying a page of orders that share SKUs reads each row once.
  // Writes that nothing in the transaction reads back through SQL (stock levels, the change
  // feed, orders, movements) are queued and sent in batches before the next statement that
  // could read them and before the commit.
  private final Map<Sku, Optional<Product>> productCache = new HashMap<>();
  private final Map<Sku, Set<Sku>> bundleCache = new HashMap<>();
  private final Map<String, Optional<Warehouse>> warehouseCache = new HashMap<>();
  private final Map<LevelKey, Optional<StockLevel>> levelCache = new HashMap<>();
  private final Map<Sku, List<StockLevel>> levelsCache = new HashMap<>();
  private final Map<OrderKey, Optional<OrderRecord>> orderCache = new HashMap<>();
  private final Map<LevelKey, StockLevel> pendingLevels = new LinkedHashMap<>();
  private final Map<String, Long> pendingFeed = new LinkedHashMap<>();
  private final Map<OrderKey, OrderRecord> pendingOrders = new LinkedHashMap<>();
  private final List<Movement> pendingMovements = new ArrayList<>();
  // Known quantities of listings this transaction read or wrote (location -> quantity, mutable),
  // and the listings whose column must be rewritten: confirming a batch of pushes updates each
  // listing once, in one batch.
  private final Map<ListingKey, Map<String, Long>> txKnown = new HashMap<>();
  private final Set<ListingKey> dirtyKnown = new LinkedHashSet<>();
  // Movement ids reserved from the sequence (PostgreSQL): next to hand out, and the end.
  private long nextMovementId;
  private long movementIdsEnd;
  private int movementBlock = 64;
  /** Whether this transaction already notified the change feed's listeners. */
  private boolean notified;
  /** Statements sent, for tests that bound them. */
  int statementsSent;

  private record LevelKey(Sku sku, String warehouseId) {}

  private record ListingKey(int storeNo, String listingId) {}

  /** Listings whose known quantities a read view keeps from the statement that read them. */
  static final int KNOWN_KEPT = 8192;

  /**
   * Rows per round trip when streaming every listing (a hard refresh): a million listings in a
   * hundred round trips rather than a thousand, a few megabytes held at a time.
   */
  static final int HARD_REFRESH_FETCH_SIZE = 10_000;

  // A read view's snapshot never changes, so the known quantities that came with listings (in
  // the same statement, joined) answer the planner's next question about those listings without
  // another statement. Bounded: a hard refresh streams every listing through here; the planner
  // asks about a chunk of 1,000 right after reading it, and anything evicted is read again.
  private final Map<ListingKey, Map<String, Long>> knownWithListings =
      new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ListingKey, Map<String, Long>> eldest) {
          return size() > KNOWN_KEPT;
        }
      };

  private record OrderKey(int storeNo, String orderId) {}

  JdbcView(JdbcInventoryStore owner, Connection connection, boolean writable) {
    this.owner = owner;
    this.connection = connection;
    this.writable = writable;
    this.dialect = owner.dialect();
  }

  void close() {
    if (movementStatement != null) {
      try {
        movementStatement.close();
      } catch (SQLException ignored) {
        // As below.
      }
    }
    for (PreparedStatement p : statements.values()) {
      try {
        p.close();
      } catch (SQLException ignored) {
        // The connection is going back to the pool or away; nothing to do.
      }
    }
    statements.clear();
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = connection.prepareStatement(sql);
      statements.put(sql, p);
    }
    return p;
  }

  JdbcStoreException fail(String what, SQLException e) {
    JdbcStoreException wrapped = new JdbcStoreException(what, e);
    if (failure == null) {
      failure = wrapped;
    }
    return wrapped;
  }

  private void checkWritable() {
    if (!writable) {
      throw new IllegalStateException("write inside read work");
    }
  }

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement p) throws SQLException;
  }

  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /**
   * Sends the queued writes, in batches: before any statement that could read them, and before
   * the commit.
   */
  void flush() {
    if (pendingLevels.isEmpty() && pendingFeed.isEmpty() && pendingOrders.isEmpty()
        && pendingMovements.isEmpty() && dirtyKnown.isEmpty()) {
      return;
    }
    try {
      if (!dirtyKnown.isEmpty()) {
        PreparedStatement p =
            prepare("UPDATE ss_listing SET known = ? WHERE store_no = ? AND listing_id = ?");
        for (ListingKey key : dirtyKnown) {
          p.setString(1, Codec.known(txKnown.get(key)));
          p.setInt(2, key.storeNo());
          p.setString(3, key.listingId());
          p.addBatch();
        }
        dirtyKnown.clear();
        send(p);
      }
      if (!pendingFeed.isEmpty()) {
        PreparedStatement p = prepare("INSERT INTO ss_change_feed (sku, at_millis) VALUES (?, ?)");
        for (Map.Entry<String, Long> e : pendingFeed.entrySet()) {
          p.setString(1, e.getKey());
          p.setLong(2, e.getValue());
          p.addBatch();
        }
        pendingFeed.clear();
        send(p);
        if (dialect == Dialect.POSTGRESQL && !notified) {
          // Delivered at commit, to the listeners of ChangeFeed's fast path; nothing on rollback.
          notified = true;
          statementsSent++;
          prepare("NOTIFY " + PgChangeListener.CHANNEL).execute();
        }
      }
      if (!pendingLevels.isEmpty()) {
        PreparedStatement p = prepare(
            dialect.upsert("ss_stock_level", "sku, warehouse_id", "in_stock, booked, counted"));
        for (StockLevel level : pendingLevels.values()) {
          p.setString(1, level.sku().value());
          p.setString(2, level.warehouseId());
          p.setLong(3, level.inStock());
          p.setLong(4, level.booked());
          p.setBoolean(5, level.counted());
          p.addBatch();
        }
        pendingLevels.clear();
        send(p);
      }
      if (!pendingMovements.isEmpty()) {
        PreparedStatement p = prepare("INSERT INTO ss_movement (id, operation_id, at_second,"
            + " at_nano, type, sku, warehouse_id, in_stock_delta, booked_delta, reason, reference)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (Movement m : pendingMovements) {
          p.setLong(1, m.id());
          bindMovement(p, 2, m);
          p.addBatch();
        }
        pendingMovements.clear();
        send(p);
      }
      if (!pendingOrders.isEmpty()) {
        PreparedStatement p = prepare(dialect.upsert("ss_order", "store_no, order_id",
            "version, created_at, ignored, lines"));
        for (Map.Entry<OrderKey, OrderRecord> e : pendingOrders.entrySet()) {
          OrderRecord o = e.getValue();
          p.setInt(1, e.getKey().storeNo());
          p.setString(2, o.orderId());
          p.setString(3, o.version());
          p.setString(4, o.createdAt().toString());
          p.setBoolean(5, o.ignored());
          p.setString(6, Codec.lines(o.lines()));
          p.addBatch();
        }
        pendingOrders.clear();
        send(p);
      }
    } catch (SQLException e) {
      dirtyKnown.clear();
      pendingLevels.clear();
      pendingFeed.clear();
      pendingOrders.clear();
      pendingMovements.clear();
      // A batch reports the database's own error (its SQL state: a conflict to retry?) next.
      SQLException cause = e instanceof java.sql.BatchUpdateException && e.getNextException() != null
          ? e.getNextException() : e;
      throw fail("write batched rows", cause);
    }
  }

  private void send(PreparedStatement p) throws SQLException {
    statementsSent++;
    p.executeBatch();
  }

  private <T> List<T> query(String what, String sql, Binder binder, Row<T> row) {
    flush();
    return queryQueued(what, sql, binder, row);
  }

  /** A query that reads none of the queued rows, so they stay queued for a bigger batch. */
  private <T> List<T> queryQueued(String what, String sql, Binder binder, Row<T> row) {
    statementsSent++;
    try {
      PreparedStatement p = prepare(sql);
      binder.bind(p);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(row.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw fail(what, e);
    }
  }

  private <T> Optional<T> one(String what, String sql, Binder binder, Row<T> row) {
    List<T> rows = query(what, sql, binder, row);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private int update(String what, String sql, Binder binder) {
    checkWritable();
    flush();
    statementsSent++;
    try {
      PreparedStatement p = prepare(sql);
      binder.bind(p);
      return p.executeUpdate();
    } catch (SQLException e) {
      throw fail(what, e);
    }
  }

  private Array array(Collection<String> values) throws SQLException {
    return connection.createArrayOf(dialect.arrayType(), values.toArray(new String[0]));
  }

  private static @Nullable String text(@Nullable Instant at) {
    return at == null ? null : at.toString();
  }

  private static @Nullable Instant instant(@Nullable String text) {
    return text == null ? null : Instant.parse(text);
  }

  /** Every read is a round trip: the planner should gather its keys first. */
  @Override
  public boolean prefersBatchReads() {
    return true;
  }

  // ---- store keys ----------------------------------------------------------------------------

  /** The store's number, or null when the store never had a row of any kind. */
  @Nullable Integer storeNo(StoreId id) {
    Integer known = owner.storeNumbers().get(id);
    if (known == null) {
      known = newStoreKeys.get(id);
    }
    if (known != null) {
      return known;
    }
    Optional<Integer> found =
        one("read store key", "SELECT store_no FROM ss_store_key WHERE channel = ? AND"
            + " external_id = ?", p -> {
              p.setString(1, id.channel());
              p.setString(2, id.externalId());
            }, rs -> rs.getInt(1));
    found.ifPresent(no -> {
      if (!writable) { // seen by a read view, so committed: safe to remember for good
        owner.remember(id, no);
      } else {
        newStoreKeys.put(id, no);
      }
    });
    return found.orElse(null);
  }

  int storeNoCreating(StoreId id) {
    Integer no = storeNo(id);
    if (no != null) {
      return no;
    }
    checkWritable();
    try (PreparedStatement p = connection.prepareStatement(
        "INSERT INTO ss_store_key (channel, external_id) VALUES (?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      p.setString(1, id.channel());
      p.setString(2, id.externalId());
      p.executeUpdate();
      try (ResultSet rs = p.getGeneratedKeys()) {
        rs.next();
        int created = rs.getInt(1);
        newStoreKeys.put(id, created);
        return created;
      }
    } catch (SQLException e) {
      throw fail("create store key", e);
    }
  }

  StoreId storeId(int no) {
    StoreId id = owner.storeIds().get(no);
    if (id != null) {
      return id;
    }
    for (Map.Entry<StoreId, Integer> e : newStoreKeys.entrySet()) {
      if (e.getValue() == no) {
        return e.getKey();
      }
    }
    StoreId found =
        one("read store key", "SELECT channel, external_id FROM ss_store_key WHERE store_no = ?",
            p -> p.setInt(1, no), rs -> StoreId.of(rs.getString(1), rs.getString(2)))
            .orElseThrow(() -> new IllegalStateException("no store key " + no));
    // Rows that point at a key are visible only if the key is committed or ours; ours are
    // found above, so this one is committed.
    owner.remember(found, no);
    return found;
  }

  // ---- inventory -----------------------------------------------------------------------------

  @Override
  public Optional<Product> product(Sku sku) {
    Optional<Product> cached = writable ? productCache.get(sku) : null;
    if (cached != null) {
      return cached;
    }
    Map<Sku, Product> found = productsBySku(List.of(sku));
    return Optional.ofNullable(found.get(sku));
  }

  /** Products by SKU in one statement, components included. */
  @Override
  public Map<Sku, Product> productsBySku(Collection<Sku> skus) {
    if (skus.isEmpty()) {
      return Map.of();
    }
    if (writable && productCache.keySet().containsAll(skus)) {
      Map<Sku, Product> out = new LinkedHashMap<>();
      for (Sku sku : skus) {
        productCache.get(sku).ifPresent(p -> out.put(sku, p));
      }
      return Collections.unmodifiableMap(out);
    }
    Map<String, String> names = new HashMap<>();
    Map<String, List<BundleComponent>> components = new HashMap<>();
    List<String> values = values(skus);
    query("read products", "SELECT p.sku, p.name, c.component_sku, c.quantity FROM ss_product p"
        + " LEFT JOIN ss_bundle_component c ON c.bundle_sku = p.sku WHERE p.sku = ANY (?)"
        + " ORDER BY p.sku, c.position", p -> p.setArray(1, array(values)), rs -> {
          String sku = rs.getString(1);
          names.put(sku, rs.getString(2));
          String component = rs.getString(3);
          List<BundleComponent> list = components.computeIfAbsent(sku, k -> new ArrayList<>());
          if (component != null) {
            list.add(new BundleComponent(Sku.of(component), rs.getLong(4)));
          }
          return Boolean.TRUE;
        });
    Map<Sku, Product> out = new LinkedHashMap<>();
    for (Sku sku : skus) {
      String name = names.get(sku.value());
      if (name != null) {
        out.put(sku, new Product(sku, name, components.get(sku.value())));
      }
      if (writable) {
        productCache.put(sku, Optional.ofNullable(out.get(sku)));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<String> values(Collection<Sku> skus) {
    List<String> out = new ArrayList<>(skus.size());
    for (Sku s : new LinkedHashSet<>(skus)) {
      out.add(s.value());
    }
    return out;
  }

  @Override
  public Set<Sku> bundlesContaining(Sku component) {
    Set<Sku> cached = writable ? bundleCache.get(component) : null;
    if (cached != null) {
      return cached;
    }
    Set<Sku> found = Set.copyOf(query("read bundles", "SELECT DISTINCT bundle_sku FROM ss_bundle_component"
        + " WHERE component_sku = ?", p -> p.setString(1, component.value()),
        rs -> Sku.of(rs.getString(1))));
    if (writable) {
      bundleCache.put(component, found);
    }
    return found;
  }

  /** Bundles of many components in one statement; a write transaction keeps them. */
  @Override
  public Map<Sku, Set<Sku>> bundlesContainingAny(Collection<Sku> components) {
    Map<Sku, Set<Sku>> out = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Sku sku : new LinkedHashSet<>(components)) {
      Set<Sku> cached = writable ? bundleCache.get(sku) : null;
      if (cached == null) {
        missing.add(sku.value());
      } else if (!cached.isEmpty()) {
        out.put(sku, cached);
      }
    }
    if (!missing.isEmpty()) {
      Map<Sku, Set<Sku>> found = new HashMap<>();
      query("read bundles", "SELECT DISTINCT component_sku, bundle_sku FROM ss_bundle_component"
          + " WHERE component_sku = ANY (?)", p -> p.setArray(1, array(missing)),
          rs -> found.computeIfAbsent(Sku.of(rs.getString(1)), k -> new LinkedHashSet<>())
              .add(Sku.of(rs.getString(2))));
      for (String value : missing) {
        Sku sku = Sku.of(value);
        Set<Sku> bundles = Set.copyOf(found.getOrDefault(sku, Set.of()));
        if (writable) {
          bundleCache.put(sku, bundles);
        }
        if (!bundles.isEmpty()) {
          out.put(sku, bundles);
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public long productCount() {
    return one("count products", "SELECT COUNT(*) FROM ss_product", p -> {}, rs -> rs.getLong(1))
        .orElse(0L);
  }

  @Override
  public Optional<Warehouse> warehouse(String id) {
    Optional<Warehouse> cached = writable ? warehouseCache.get(id) : null;
    if (cached != null) {
      return cached;
    }
    Optional<Warehouse> found = one("read warehouse", "SELECT id, name FROM ss_warehouse WHERE"
        + " id = ?", p -> p.setString(1, id), rs -> Warehouse.of(rs.getString(1), rs.getString(2)));
    if (writable) {
      warehouseCache.put(id, found);
    }
    return found;
  }

  @Override
  public List<Warehouse> warehouses() {
    return List.copyOf(query("read warehouses", "SELECT id, name FROM ss_warehouse ORDER BY seq",
        p -> {}, rs -> Warehouse.of(rs.getString(1), rs.getString(2))));
  }

  private static final String LEVEL_COLUMNS = "sku, warehouse_id, in_stock, booked, counted";

  private static StockLevel level(ResultSet rs) throws SQLException {
    return new StockLevel(Sku.of(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getLong(4),
        rs.getBoolean(5));
  }

  @Override
  public Optional<StockLevel> stockLevel(Sku sku, String warehouseId) {
    if (!writable) {
      return readLevel(sku, warehouseId);
    }
    LevelKey key = new LevelKey(sku, warehouseId);
    Optional<StockLevel> cached = levelCache.get(key);
    if (cached == null) {
      List<StockLevel> all = levelsCache.get(sku);
      if (all != null) {
        cached = all.stream().filter(l -> l.warehouseId().equals(warehouseId)).findFirst();
      } else {
        cached = readLevel(sku, warehouseId);
      }
      levelCache.put(key, cached);
    }
    return cached;
  }

  private Optional<StockLevel> readLevel(Sku sku, String warehouseId) {
    return one("read stock level", "SELECT " + LEVEL_COLUMNS + " FROM ss_stock_level WHERE sku = ?"
        + " AND warehouse_id = ?", p -> {
          p.setString(1, sku.value());
          p.setString(2, warehouseId);
        }, JdbcView::level);
  }

  @Override
  public List<StockLevel> stockLevels(Sku sku) {
    List<StockLevel> cached = writable ? levelsCache.get(sku) : null;
    if (cached != null) {
      return cached;
    }
    List<StockLevel> found = List.copyOf(query("read stock levels", "SELECT " + LEVEL_COLUMNS
        + " FROM ss_stock_level WHERE sku = ? ORDER BY warehouse_id",
        p -> p.setString(1, sku.value()), JdbcView::level));
    if (writable) {
      levelsCache.put(sku, found);
    }
    return found;
  }

  /** Stock levels of many SKUs in one statement. */
  @Override
  public Map<Sku, List<StockLevel>> stockLevelsBySku(Collection<Sku> skus) {
    if (skus.isEmpty()) {
      return Map.of();
    }
    List<String> values = values(skus);
    Map<Sku, List<StockLevel>> out = new LinkedHashMap<>();
    for (StockLevel l : query("read stock levels", "SELECT " + LEVEL_COLUMNS
        + " FROM ss_stock_level WHERE sku = ANY (?) ORDER BY sku, warehouse_id",
        p -> p.setArray(1, array(values)), JdbcView::level)) {
      out.computeIfAbsent(l.sku(), k -> new ArrayList<>()).add(l);
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    if (writable) {
      for (Sku sku : skus) {
        levelsCache.put(sku, out.getOrDefault(sku, List.of()));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public List<Movement> movements(Sku sku, long beforeId, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return List.copyOf(query("read ledger", "SELECT id, operation_id, at_second, at_nano, type,"
        + " sku, warehouse_id, in_stock_delta, booked_delta, reason, reference FROM ss_movement"
        + " WHERE sku = ? AND id < ? ORDER BY id DESC LIMIT ?", p -> {
          p.setString(1, sku.value());
          p.setLong(2, beforeId);
          p.setInt(3, limit);
        }, rs -> new Movement(rs.getLong(1), rs.getString(2),
            Instant.ofEpochSecond(rs.getLong(3), rs.getInt(4)), MovementType.valueOf(rs.getString(5)),
            Sku.of(rs.getString(6)), rs.getString(7), rs.getLong(8), rs.getLong(9),
            rs.getString(10), rs.getString(11))));
  }

  @Override
  public Optional<String> operation(String operationId) {
    return one("read operation", "SELECT fingerprint FROM ss_operation WHERE operation_id = ?",
        p -> p.setString(1, operationId), rs -> rs.getString(1));
  }

  @Override
  public void putProduct(Product product) {
    String sku = product.sku().value();
    productCache.put(product.sku(), Optional.of(product));
    bundleCache.clear();
    update("write product", dialect.upsert("ss_product", "sku", "name"), p -> {
      p.setString(1, sku);
      p.setString(2, product.name());
    });
    update("write bundle", "DELETE FROM ss_bundle_component WHERE bundle_sku = ?",
        p -> p.setString(1, sku));
    int position = 0;
    for (BundleComponent c : product.components()) {
      int at = position++;
      update("write bundle", "INSERT INTO ss_bundle_component (bundle_sku, position,"
          + " component_sku, quantity) VALUES (?, ?, ?, ?)", p -> {
            p.setString(1, sku);
            p.setInt(2, at);
            p.setString(3, c.sku().value());
            p.setLong(4, c.quantity());
          });
    }
  }

  @Override
  public void putWarehouse(Warehouse warehouse) {
    warehouseCache.put(warehouse.id(), Optional.of(warehouse));
    update("write warehouse", dialect.upsert("ss_warehouse", "id", "name"), p -> {
      p.setString(1, warehouse.id());
      p.setString(2, warehouse.name());
    });
  }

  @Override
  public void putStockLevel(StockLevel level) {
    checkWritable();
    // The feed row commits or rolls back with the change; owners in other instances read it.
    // One row per SKU and transaction says all a reader needs.
    pendingFeed.putIfAbsent(level.sku().value(), owner.clock().millis());
    LevelKey key = new LevelKey(level.sku(), level.warehouseId());
    pendingLevels.put(key, level); // only the transaction's last figure is written
    levelCache.put(key, Optional.of(level));
    List<StockLevel> all = levelsCache.get(level.sku());
    if (all != null) {
      List<StockLevel> next = new ArrayList<>(all.size() + 1);
      boolean replaced = false;
      for (StockLevel l : all) {
        if (l.warehouseId().equals(level.warehouseId())) {
          next.add(level);
          replaced = true;
        } else {
          next.add(l);
        }
      }
      if (!replaced) {
        next.add(level);
        next.sort(java.util.Comparator.comparing(StockLevel::warehouseId));
      }
      levelsCache.put(level.sku(), List.copyOf(next));
    }
  }

  private @Nullable PreparedStatement movementStatement;

  private static void bindMovement(PreparedStatement p, int at, Movement m) throws SQLException {
    p.setString(at, m.operationId());
    p.setLong(at + 1, m.at().getEpochSecond());
    p.setInt(at + 2, m.at().getNano());
    p.setString(at + 3, m.type().name());
    p.setString(at + 4, m.sku().value());
    p.setString(at + 5, m.warehouseId());
    p.setLong(at + 6, m.inStockDelta());
    p.setLong(at + 7, m.bookedDelta());
    p.setString(at + 8, m.reason());
    p.setString(at + 9, m.reference());
  }

  @Override
  public Movement appendMovement(Movement m) {
    checkWritable();
    try {
      if (dialect == Dialect.POSTGRESQL) {
        // Ids come from the column's own sequence, reserved a growing block at a time, so the
        // rows can go in one batch with the transaction's other writes.
        if (nextMovementId == movementIdsEnd) {
          reserveMovementIds();
        }
        Movement stored = new Movement(nextMovementId++, m.operationId(), m.at(), m.type(),
            m.sku(), m.warehouseId(), m.inStockDelta(), m.bookedDelta(), m.reason(),
            m.reference());
        pendingMovements.add(stored);
        return stored;
      }
      flush();
      PreparedStatement p = movementStatement;
      if (p == null) {
        p = connection.prepareStatement("INSERT INTO ss_movement (operation_id, at_second,"
            + " at_nano, type, sku, warehouse_id, in_stock_delta, booked_delta, reason, reference)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
        movementStatement = p;
      }
      bindMovement(p, 1, m);
      statementsSent++;
      p.executeUpdate();
      try (ResultSet rs = p.getGeneratedKeys()) {
        rs.next();
        return new Movement(rs.getLong(1), m.operationId(), m.at(), m.type(), m.sku(),
            m.warehouseId(), m.inStockDelta(), m.bookedDelta(), m.reason(), m.reference());
      }
    } catch (SQLException e) {
      throw fail("append to ledger", e);
    }
  }

  /**
   * Reserves the next block of movement ids: a block's numbers are increasing, like the ids
   * inserts would draw, and an unused rest is a gap, like a rolled-back insert's.
   */
  private void reserveMovementIds() throws SQLException {
    int n = movementBlock;
    movementBlock = Math.min(movementBlock * 2, 1024);
    List<Long> ids = queryQueued("reserve ledger ids", "SELECT nextval(pg_get_serial_sequence("
        + "'ss_movement', 'id')) FROM generate_series(1, ?)", p -> p.setInt(1, n),
        rs -> rs.getLong(1));
    // A sequence may hand out numbers that are not consecutive (other sessions take numbers
    // meanwhile); use the longest consecutive run from the first.
    long first = ids.get(0);
    int run = 1;
    while (run < ids.size() && ids.get(run) == first + run) {
      run++;
    }
    nextMovementId = first;
    movementIdsEnd = first + run;
  }

  @Override
  public void putOperation(String operationId, String fingerprint) {
    // A plain insert, not an upsert: the primary key makes a second instance applying the same
    // operation id at the same time fail (and retry, then find it applied).
    int updated = update("write operation", "UPDATE ss_operation SET fingerprint = ? WHERE"
        + " operation_id = ?", p -> {
          p.setString(1, fingerprint);
          p.setString(2, operationId);
        });
    if (updated == 0) {
      update("write operation", "INSERT INTO ss_operation (operation_id, fingerprint)"
          + " VALUES (?, ?)", p -> {
            p.setString(1, operationId);
            p.setString(2, fingerprint);
          });
    }
  }

  // ---- stores --------------------------------------------------------------------------------

  private static final String STORE_COLUMNS = "s.name, s.status, s.options, s.sync_on_at,"
      + " s.order_cursor, s.listing_cursor, s.last_order_sync, s.last_inventory_sync,"
      + " s.last_listing_sync, s.last_listing_hard_refresh, s.last_mirror, s.last_read_only_copy,"
      + " s.last_error";

  private static StoreRecord storeRecord(StoreId id, ResultSet rs, int at) throws SQLException {
    return new StoreRecord(id, rs.getString(at), SyncStatus.valueOf(rs.getString(at + 1)),
        Codec.options(rs.getString(at + 2)), instant(rs.getString(at + 3)),
        instant(rs.getString(at + 4)), instant(rs.getString(at + 5)),
        instant(rs.getString(at + 6)), instant(rs.getString(at + 7)),
        instant(rs.getString(at + 8)), instant(rs.getString(at + 9)),
        instant(rs.getString(at + 10)), instant(rs.getString(at + 11)), rs.getString(at + 12));
  }

  @Override
  public Optional<StoreRecord> store(StoreId id) {
    Integer no = storeNo(id);
    if (no == null) {
      return Optional.empty();
    }
    return one("read store", "SELECT " + STORE_COLUMNS + " FROM ss_store s WHERE s.store_no = ?",
        p -> p.setInt(1, no), rs -> storeRecord(id, rs, 1));
  }

  @Override
  public List<StoreRecord> stores() {
    return List.copyOf(query("read stores", "SELECT s.store_no, " + STORE_COLUMNS
        + " FROM ss_store s ORDER BY s.seq", p -> {}, rs -> storeRecord(storeId(rs.getInt(1)), rs,
            2)));
  }

  @Override
  public List<ChannelLocation> locations(StoreId store) {
    Integer no = storeNo(store);
    if (no == null) {
      return List.of();
    }
    return List.copyOf(query("read locations", "SELECT id, name, active, read_only FROM"
        + " ss_location WHERE store_no = ? ORDER BY position", p -> p.setInt(1, no),
        rs -> new ChannelLocation(rs.getString(1), rs.getString(2), rs.getBoolean(3),
            rs.getBoolean(4))));
  }

  @Override
  public List<LocationMapping> mappings(StoreId store) {
    Integer no = storeNo(store);
    if (no == null) {
      return List.of();
    }
    return List.copyOf(query("read mappings", "SELECT location_id, warehouse_ids, master FROM"
        + " ss_mapping WHERE store_no = ? ORDER BY position", p -> p.setInt(1, no),
        rs -> new LocationMapping(rs.getString(1), Codec.strings(rs.getString(2)),
            Codec.master(rs.getString(3)))));
  }

  @Override
  public void putStore(StoreRecord s) {
    int no = storeNoCreating(s.id());
    update("write store", dialect.upsert("ss_store", "store_no", "name, status, options,"
        + " sync_on_at, order_cursor, listing_cursor, last_order_sync, last_inventory_sync,"
        + " last_listing_sync, last_listing_hard_refresh, last_mirror, last_read_only_copy,"
        + " last_error"), p -> {
          p.setInt(1, no);
          p.setString(2, s.name());
          p.setString(3, s.status().name());
          p.setString(4, Codec.options(s.options()));
          p.setString(5, text(s.syncOnAt()));
          p.setString(6, text(s.orderCursor()));
          p.setString(7, text(s.listingCursor()));
          p.setString(8, text(s.lastOrderSync()));
          p.setString(9, text(s.lastInventorySync()));
          p.setString(10, text(s.lastListingSync()));
          p.setString(11, text(s.lastListingHardRefresh()));
          p.setString(12, text(s.lastMirror()));
          p.setString(13, text(s.lastReadOnlyCopy()));
          p.setString(14, s.lastError());
        });
  }

  @Override
  public void putLocations(StoreId store, List<ChannelLocation> locations) {
    List<ChannelLocation> copy = List.copyOf(locations);
    int no = storeNoCreating(store);
    update("write locations", "DELETE FROM ss_location WHERE store_no = ?", p -> p.setInt(1, no));
    int position = 0;
    for (ChannelLocation l : copy) {
      int at = position++;
      update("write locations", "INSERT INTO ss_location (store_no, position, id, name, active,"
          + " read_only) VALUES (?, ?, ?, ?, ?, ?)", p -> {
            p.setInt(1, no);
            p.setInt(2, at);
            p.setString(3, l.id());
            p.setString(4, l.name());
            p.setBoolean(5, l.active());
            p.setBoolean(6, l.readOnly());
          });
    }
  }

  @Override
  public void putMappings(StoreId store, List<LocationMapping> mappings) {
    List<LocationMapping> copy = List.copyOf(mappings);
    int no = storeNoCreating(store);
    update("write mappings", "DELETE FROM ss_mapping WHERE store_no = ?", p -> p.setInt(1, no));
    int position = 0;
    for (LocationMapping m : copy) {
      int at = position++;
      update("write mappings", "INSERT INTO ss_mapping (store_no, position, location_id,"
          + " warehouse_ids, master) VALUES (?, ?, ?, ?, ?)", p -> {
            p.setInt(1, no);
            p.setInt(2, at);
            p.setString(3, m.locationId());
            p.setString(4, Codec.strings(m.warehouseIds()));
            p.setString(5, m.master().name());
          });
    }
  }

  // ---- listings ------------------------------------------------------------------------------

  private static final String LISTING_COLUMNS =
      "l.store_no, l.listing_id, l.inventory_ref, l.sku, l.status, l.title, l.tracked";

  private ListingRecord listing(ResultSet rs) throws SQLException {
    return new ListingRecord(storeId(rs.getInt(1)), rs.getString(2), rs.getString(3),
        Sku.of(rs.getString(4)), ListingStatus.valueOf(rs.getString(5)), rs.getString(6),
        rs.getBoolean(7));
  }

  @Override
  public Optional<ListingRecord> listing(StoreId store, String listingId) {
    Integer no = storeNo(store);
    if (no == null) {
      return Optional.empty();
    }
    return one("read listing", "SELECT " + LISTING_COLUMNS + " FROM ss_listing l WHERE"
        + " l.store_no = ? AND l.listing_id = ?", p -> {
          p.setInt(1, no);
          p.setString(2, listingId);
        }, this::listing);
  }

  @Override
  public List<ListingRecord> listings(StoreId store) {
    Integer no = storeNo(store);
    if (no == null) {
      return List.of();
    }
    List<ListingRecord> out = new ArrayList<>();
    stream("read listings", "SELECT " + LISTING_COLUMNS + " FROM ss_listing l WHERE"
        + " l.store_no = ? ORDER BY l.seq", p -> p.setInt(1, no), out::add);
    return Collections.unmodifiableList(out);
  }

  @Override
  public int listingCount(StoreId store) {
    Integer no = storeNo(store);
    if (no == null) {
      return 0;
    }
    return one("count listings", "SELECT COUNT(*) FROM ss_listing WHERE store_no = ?",
        p -> p.setInt(1, no), rs -> rs.getInt(1)).orElse(0);
  }

  @Override
  public List<ListingRecord> listingsBySku(Sku sku) {
    return List.copyOf(query("read listings", "SELECT " + LISTING_COLUMNS + " FROM ss_listing l"
        + " WHERE l.sku = ? ORDER BY l.store_no, l.seq", p -> p.setString(1, sku.value()),
        this::listing));
  }

  /** Listings of many SKUs in one statement. */
  @Override
  public Map<Sku, List<ListingRecord>> listingsBySkus(Collection<Sku> skus) {
    if (skus.isEmpty()) {
      return Map.of();
    }
    List<String> values = values(skus);
    Map<Sku, List<ListingRecord>> out = new LinkedHashMap<>();
    Consumer<ListingRecord> collect = l -> out.computeIfAbsent(l.sku(), k -> new ArrayList<>())
        .add(l);
    if (writable) {
      for (ListingRecord l : query("read listings", "SELECT " + LISTING_COLUMNS + " FROM"
          + " ss_listing l WHERE l.sku = ANY (?) ORDER BY l.store_no, l.seq",
          p -> p.setArray(1, array(values)), this::listing)) {
        collect.accept(l);
      }
    } else {
      // With their known quantities, which the planner asks for next.
      streamWithKnown("read listings", "SELECT " + LISTING_COLUMNS + ", l.known FROM ss_listing l"
          + " WHERE l.sku = ANY (?) ORDER BY l.store_no, l.seq",
          p -> p.setArray(1, array(values)), 0, collect);
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public void forEachListing(Consumer<? super ListingRecord> action) {
    if (writable) {
      stream("read listings", "SELECT " + LISTING_COLUMNS + " FROM ss_listing l", p -> {}, action);
      return;
    }
    // In table order (a sequential scan, no sort), with their known quantities.
    streamWithKnown("read listings", "SELECT " + LISTING_COLUMNS + ", l.known FROM ss_listing l",
        p -> {}, HARD_REFRESH_FETCH_SIZE, action);
  }

  /**
   * Streams listings with their known quantities (column 8), keeping the quantities for {@link
   * #knownQuantities}.
   */
  private void streamWithKnown(String what, String sql, Binder binder, int fetchSize,
      Consumer<? super ListingRecord> action) {
    flush();
    statementsSent++;
    try (PreparedStatement p = connection.prepareStatement(sql)) {
      if (fetchSize > 0) {
        p.setFetchSize(fetchSize);
      }
      binder.bind(p);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          ListingRecord listing = listing(rs);
          knownWithListings.put(new ListingKey(rs.getInt(1), listing.listingId()),
              Codec.known(rs.getString(8)));
          action.accept(listing);
        }
      }
    } catch (SQLException e) {
      throw fail(what, e);
    }
  }

  /**
   * Streams a query's rows to an action, {@value #FETCH_SIZE} rows per round trip: a hard refresh
   * over a million listings never holds them all. The action may run other statements meanwhile.
   */
  private void stream(String what, String sql, Binder binder,
      Consumer<? super ListingRecord> action) {
    flush();
    statementsSent++;
    // A statement of its own: the action may run the cached ones while this cursor is open.
    try (PreparedStatement p = connection.prepareStatement(sql)) {
      p.setFetchSize(FETCH_SIZE);
      binder.bind(p);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          action.accept(listing(rs));
        }
      }
    } catch (SQLException e) {
      throw fail(what, e);
    }
  }

  @Override
  public OptionalLong knownQuantity(StoreId store, String listingId, String locationId) {
    Integer no = storeNo(store);
    if (no == null) {
      return OptionalLong.empty();
    }
    Long q = known(new ListingKey(no, listingId)).get(locationId);
    return q == null ? OptionalLong.empty() : OptionalLong.of(q);
  }

  /**
   * One listing's known quantities: from this transaction's own, from the statement that read
   * the listing (a read view), or read now; empty for a listing the store does not hold.
   */
  private Map<String, Long> known(ListingKey key) {
    Map<String, Long> known = writable ? txKnown.get(key) : knownWithListings.get(key);
    if (known != null) {
      return known;
    }
    Optional<Map<String, Long>> row = readKnown(key);
    if (writable && row.isPresent()) {
      txKnown.put(key, row.get());
    }
    return row.orElse(Map.of());
  }

  /** Reads a listing's known quantities; empty if there is no such listing. */
  private Optional<Map<String, Long>> readKnown(ListingKey key) {
    // Queued writes stay queued: those of this listing are in txKnown, never read here.
    List<Map<String, Long>> rows = queryQueued("read known quantities", "SELECT known FROM"
        + " ss_listing WHERE store_no = ? AND listing_id = ?", p -> {
          p.setInt(1, key.storeNo());
          p.setString(2, key.listingId());
        }, rs -> Codec.known(rs.getString(1)));
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Known quantities of many listings of one store in one statement. */
  @Override
  public Map<String, Map<String, Long>> knownQuantities(StoreId store,
      Collection<String> listingIds, Collection<String> locationIds) {
    Integer no = storeNo(store);
    if (no == null || listingIds.isEmpty() || locationIds.isEmpty()) {
      return Map.of();
    }
    List<String> ids = List.copyOf(new LinkedHashSet<>(listingIds));
    List<String> locations = List.copyOf(new LinkedHashSet<>(locationIds));
    Map<String, Map<String, Long>> out = new HashMap<>();
    if (!writable && knownFromListings(no, ids, locations, out)) {
      return Collections.unmodifiableMap(out);
    }
    List<String> unread = new ArrayList<>();
    for (String id : ids) {
      Map<String, Long> known = writable ? txKnown.get(new ListingKey(no, id)) : null;
      if (known != null) {
        select(id, known, locations, out);
      } else {
        unread.add(id);
      }
    }
    if (!unread.isEmpty()) {
      queryQueued("read known quantities", "SELECT listing_id, known FROM ss_listing"
          + " WHERE store_no = ? AND listing_id = ANY (?)", p -> {
            p.setInt(1, no);
            p.setArray(2, array(unread));
          }, rs -> {
            select(rs.getString(1), Codec.known(rs.getString(2)), locations, out);
            return Boolean.TRUE;
          });
    }
    return Collections.unmodifiableMap(out);
  }

  /** Puts a listing's quantities at the locations asked into out, if it has any there. */
  private static void select(String listingId, Map<String, Long> known, List<String> locations,
      Map<String, Map<String, Long>> out) {
    Map<String, Long> byLocation = null;
    for (String location : locations) {
      Long q = known.get(location);
      if (q != null) {
        if (byLocation == null) {
          byLocation = new HashMap<>(4);
        }
        byLocation.put(location, q);
      }
    }
    if (byLocation != null) {
      out.put(listingId, Map.copyOf(byLocation));
    }
  }

  /** Answers from the quantities read with the listings, if every listing asked is there. */
  private boolean knownFromListings(int no, List<String> ids, List<String> locations,
      Map<String, Map<String, Long>> out) {
    List<Map<String, Long>> found = new ArrayList<>(ids.size());
    for (String id : ids) {
      Map<String, Long> known = knownWithListings.get(new ListingKey(no, id));
      if (known == null) {
        return false;
      }
      found.add(known);
    }
    for (int i = 0; i < ids.size(); i++) {
      select(ids.get(i), found.get(i), locations, out);
    }
    return true;
  }

  @Override
  public void putListing(ListingRecord l) {
    int no = storeNoCreating(l.store());
    update("write listing", dialect.upsert("ss_listing", "store_no, listing_id",
        "inventory_ref, sku, status, title, tracked"), p -> {
          p.setInt(1, no);
          p.setString(2, l.listingId());
          p.setString(3, l.inventoryRef());
          p.setString(4, l.sku().value());
          p.setString(5, l.status().name());
          p.setString(6, l.title());
          p.setBoolean(7, l.tracked());
        });
  }

  @Override
  public void removeListing(StoreId store, String listingId) {
    checkWritable();
    Integer no = storeNo(store);
    if (no == null) {
      return;
    }
    Binder keys = p -> {
      p.setInt(1, no);
      p.setString(2, listingId);
    };
    ListingKey key = new ListingKey(no, listingId);
    dirtyKnown.remove(key);
    txKnown.remove(key);
    update("remove listing", "DELETE FROM ss_listing WHERE store_no = ? AND listing_id = ?", keys);
  }

  @Override
  public void putKnownQuantity(StoreId store, String listingId, String locationId, long qty) {
    checkWritable();
    Integer no = storeNo(store);
    ListingKey key = no == null ? null : new ListingKey(no, listingId);
    Map<String, Long> known = key == null ? null : txKnown.get(key);
    if (key != null && known == null) {
      known = readKnown(key).orElse(null);
    }
    if (known == null) {
      throw new IllegalStateException("no listing " + listingId + " in " + store);
    }
    known.put(locationId, qty);
    txKnown.put(key, known);
    dirtyKnown.add(key);
  }

  // ---- change feed -------------------------------------------------------------------------

  int pruneChangeFeed(long beforeMillis) {
    return update("prune change feed", "DELETE FROM ss_change_feed WHERE at_millis < ?",
        p -> p.setLong(1, beforeMillis));
  }

  long changeFeedHead() {
    return one("read change feed", "SELECT COALESCE(MAX(id), 0) FROM ss_change_feed", p -> {},
        rs -> rs.getLong(1)).orElse(0L);
  }

  Map<Long, Sku> changesAfter(long id) {
    Map<Long, Sku> out = new LinkedHashMap<>();
    query("read change feed", "SELECT id, sku FROM ss_change_feed WHERE id > ? ORDER BY id"
        + " LIMIT 10000", p -> p.setLong(1, id), rs -> out.put(rs.getLong(1),
            Sku.of(rs.getString(2))));
    return out;
  }

  // ---- leases ------------------------------------------------------------------------------

  @Override
  public void requireLease(StoreId store, long token) {
    Integer no = storeNo(store);
    // FOR SHARE (FOR UPDATE on H2): a takeover waits until this transaction ends, so it cannot
    // slip in between this check and the writes after it.
    long current = no == null ? -1 : one("check lease", "SELECT token FROM ss_store_lease WHERE"
        + " store_no = ? " + (dialect == Dialect.POSTGRESQL ? "FOR SHARE" : "FOR UPDATE"),
        p -> p.setInt(1, no), rs -> rs.getLong(1)).orElse(-1L);
    if (current != token) {
      throw new LeaseLostException(store, token, current);
    }
  }

  Optional<StoreLease> acquireLease(StoreId store, String owner, long nowMillis, long ttlMillis) {
    int no = storeNoCreating(store);
    Optional<StoreLease> row = one("read lease", "SELECT owner, token, expires_at FROM"
        + " ss_store_lease WHERE store_no = ? FOR UPDATE", p -> p.setInt(1, no),
        rs -> new StoreLease(store, rs.getString(1), rs.getLong(2),
            Instant.ofEpochMilli(rs.getLong(3))));
    long expires = nowMillis + ttlMillis;
    long token;
    if (row.isEmpty()) {
      token = 1;
      long first = token;
      // A second instance inserting at the same time fails on the key and re-runs.
      update("take lease", "INSERT INTO ss_store_lease (store_no, owner, token, expires_at)"
          + " VALUES (?, ?, ?, ?)", p -> {
            p.setInt(1, no);
            p.setString(2, owner);
            p.setLong(3, first);
            p.setLong(4, expires);
          });
    } else {
      StoreLease held = row.get();
      boolean mine = held.owner().equals(owner);
      if (!mine && held.expiresAt().toEpochMilli() > nowMillis) {
        return Optional.empty();
      }
      token = mine ? held.token() : held.token() + 1;
      long next = token;
      update("renew lease", "UPDATE ss_store_lease SET owner = ?, token = ?, expires_at = ?"
          + " WHERE store_no = ?", p -> {
            p.setString(1, owner);
            p.setLong(2, next);
            p.setLong(3, expires);
            p.setInt(4, no);
          });
    }
    return Optional.of(new StoreLease(store, owner, token, Instant.ofEpochMilli(expires)));
  }

  boolean releaseLease(StoreLease lease) {
    Integer no = storeNo(lease.store());
    return no != null && update("release lease", "UPDATE ss_store_lease SET expires_at = 0"
        + " WHERE store_no = ? AND owner = ? AND token = ?", p -> {
          p.setInt(1, no);
          p.setString(2, lease.owner());
          p.setLong(3, lease.token());
        }) == 1;
  }

  List<StoreLease> leases() {
    return List.copyOf(query("read leases", "SELECT store_no, owner, token, expires_at FROM"
        + " ss_store_lease ORDER BY store_no", p -> {}, rs -> new StoreLease(storeId(rs.getInt(1)),
            rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)))));
  }

  // ---- orders --------------------------------------------------------------------------------

  @Override
  public Optional<OrderRecord> order(StoreId store, String orderId) {
    Integer no = storeNo(store);
    if (no == null) {
      return Optional.empty();
    }
    OrderKey key = new OrderKey(no, orderId);
    Optional<OrderRecord> cached = writable ? orderCache.get(key) : null;
    if (cached != null) {
      return cached;
    }
    Optional<OrderRecord> found = readOrder(store, no, orderId);
    if (writable) {
      orderCache.put(key, found);
    }
    return found;
  }

  /** Orders of one store in one statement; a write transaction keeps them for its later reads. */
  @Override
  public Map<String, OrderRecord> ordersById(StoreId store, Collection<String> orderIds) {
    Integer no = storeNo(store);
    if (no == null || orderIds.isEmpty()) {
      return Map.of();
    }
    List<String> ids = List.copyOf(new LinkedHashSet<>(orderIds));
    Map<String, OrderRecord> out = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      Optional<OrderRecord> cached = writable ? orderCache.get(new OrderKey(no, id)) : null;
      if (cached == null) {
        missing.add(id);
      } else {
        cached.ifPresent(o -> out.put(id, o));
      }
    }
    if (!missing.isEmpty()) {
      Map<String, OrderRecord> found = new HashMap<>();
      query("read orders", "SELECT order_id, version, created_at, ignored, lines FROM ss_order"
          + " WHERE store_no = ? AND order_id = ANY (?)", p -> {
            p.setInt(1, no);
            p.setArray(2, array(missing));
          }, rs -> found.put(rs.getString(1), new OrderRecord(store, rs.getString(1),
              rs.getString(2), Instant.parse(rs.getString(3)), rs.getBoolean(4),
              Codec.lines(rs.getString(5)))));
      for (String id : missing) {
        OrderRecord o = found.get(id);
        if (writable) {
          orderCache.put(new OrderKey(no, id), Optional.ofNullable(o));
        }
        if (o != null) {
          out.put(id, o);
        }
      }
    }
    Map<String, OrderRecord> ordered = new LinkedHashMap<>();
    for (String id : ids) {
      OrderRecord o = out.get(id);
      if (o != null) {
        ordered.put(id, o);
      }
    }
    return Collections.unmodifiableMap(ordered);
  }

  private Optional<OrderRecord> readOrder(StoreId store, int no, String orderId) {
    return one("read order", "SELECT version, created_at, ignored, lines FROM ss_order WHERE"
        + " store_no = ? AND order_id = ?", p -> {
          p.setInt(1, no);
          p.setString(2, orderId);
        }, rs -> new OrderRecord(store, orderId, rs.getString(1), Instant.parse(rs.getString(2)),
            rs.getBoolean(3), Codec.lines(rs.getString(4))));
  }

  @Override
  public void putOrder(OrderRecord o) {
    checkWritable();
    int no = storeNoCreating(o.store());
    OrderKey key = new OrderKey(no, o.orderId());
    pendingOrders.put(key, o);
    orderCache.put(key, Optional.of(o));
  }
}
