package io.stocksync.store.jdbc;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.Sku;
import io.stocksync.core.store.OrderRecord;
import io.stocksync.core.sync.StockRules;
import io.stocksync.core.sync.StoreOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Encodes small nested values (store options, order lines, a mapping's warehouses) into one text
 * column. Each field is written as {@code <length>:<text>}, so any character may appear in a
 * value; a null is {@code -}. Those values are always read and written whole, so a column beats
 * a child table with its extra rows and indexes.
 */
final class Codec {
  private Codec() {}

  static final class Writer {
    private final StringBuilder out = new StringBuilder();

    Writer add(@Nullable String value) {
      if (value == null) {
        out.append('-');
      } else {
        out.append(value.length()).append(':').append(value);
      }
      return this;
    }

    Writer add(long value) {
      return add(Long.toString(value));
    }

    Writer add(boolean value) {
      return add(value ? "1" : "0");
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }

  static final class Reader {
    private final String in;
    private int pos;

    Reader(String in) {
      this.in = in;
    }

    boolean hasMore() {
      return pos < in.length();
    }

    @Nullable String nullable() {
      if (in.charAt(pos) == '-') {
        pos++;
        return null;
      }
      int colon = in.indexOf(':', pos);
      if (colon < 0) {
        throw new IllegalStateException("corrupt encoded value at " + pos);
      }
      int length = Integer.parseInt(in, pos, colon, 10);
      pos = colon + 1 + length;
      return in.substring(colon + 1, pos);
    }

    String string() {
      String s = nullable();
      if (s == null) {
        throw new IllegalStateException("unexpected null in encoded value");
      }
      return s;
    }

    long number() {
      return Long.parseLong(string());
    }

    int integer() {
      return Integer.parseInt(string());
    }

    boolean bool() {
      return "1".equals(string());
    }
  }

  static String strings(List<String> values) {
    Writer w = new Writer();
    for (String v : values) {
      w.add(v);
    }
    return w.toString();
  }

  static List<String> strings(String encoded) {
    Reader r = new Reader(encoded);
    List<String> out = new ArrayList<>();
    while (r.hasMore()) {
      out.add(r.string());
    }
    return List.copyOf(out);
  }

  /**
   * A listing's known quantities (location id to quantity), in location order so that equal
   * maps encode the same; null for none.
   */
  static @Nullable String known(Map<String, Long> known) {
    if (known.isEmpty()) {
      return null;
    }
    Writer w = new Writer();
    new TreeMap<>(known).forEach((location, quantity) -> w.add(location).add(quantity));
    return w.toString();
  }

  /** The inverse of {@link #known(Map)}: a new mutable map, empty for null. */
  static Map<String, Long> known(@Nullable String encoded) {
    Map<String, Long> out = new HashMap<>(4);
    if (encoded != null) {
      Reader r = new Reader(encoded);
      while (r.hasMore()) {
        out.put(r.string(), r.number());
      }
    }
    return out;
  }

  static String options(StoreOptions options) {
    Writer w = new Writer().add(options.includeDrafts()).add(options.autoRenewSoldOut());
    rules(w, options.rules());
    // Sorted, so that equal options always encode the same.
    Map<Sku, StockRules> sorted = new TreeMap<>(options.skuRules());
    w.add(sorted.size());
    sorted.forEach((sku, rules) -> rules(w.add(sku.value()), rules));
    return w.toString();
  }

  static StoreOptions options(String encoded) {
    Reader r = new Reader(encoded);
    StoreOptions.Builder b =
        StoreOptions.builder().includeDrafts(r.bool()).autoRenewSoldOut(r.bool()).rules(rules(r));
    int n = r.integer();
    for (int i = 0; i < n; i++) {
      b.rules(Sku.of(r.string()), rules(r));
    }
    return b.build();
  }

  private static void rules(Writer w, StockRules rules) {
    w.add(rules.sharePercent()).add(rules.buffer()).add(rules.showZeroAtOrBelow())
        .add(rules.maxQuantity());
  }

  private static StockRules rules(Reader r) {
    return new StockRules(r.integer(), r.number(), r.number(), r.number());
  }

  static String lines(List<OrderRecord.LineState> lines) {
    Writer w = new Writer();
    for (OrderRecord.LineState l : lines) {
      w.add(l.lineId()).add(l.sku()).add(l.warehouseId()).add(l.booked()).add(l.fulfilled())
          .add(l.restocked()).add(l.components().size());
      for (BundleComponent c : l.components()) {
        w.add(c.sku().value()).add(c.quantity());
      }
    }
    return w.toString();
  }

  static List<OrderRecord.LineState> lines(String encoded) {
    Reader r = new Reader(encoded);
    List<OrderRecord.LineState> out = new ArrayList<>();
    while (r.hasMore()) {
      String lineId = r.string();
      String sku = r.string();
      String warehouse = r.nullable();
      long booked = r.number();
      long fulfilled = r.number();
      long restocked = r.number();
      int n = r.integer();
      List<BundleComponent> components = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        components.add(new BundleComponent(Sku.of(r.string()), r.number()));
      }
      out.add(new OrderRecord.LineState(lineId, sku, warehouse, booked, fulfilled, restocked,
          components));
    }
    return out;
  }

  static InventoryMaster master(String name) {
    return InventoryMaster.valueOf(name);
  }
}
