package io.stocksync.core.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Unmodifiable copies that keep their source's iteration order.
 *
 * <p>{@link Set#copyOf} and {@link Map#copyOf} iterate in an order salted per JVM run. Where the
 * engine iterates such a collection to decide what to do next (which SKUs to plan, in which order
 * to push), that order leaks into what the channels see, so the same inputs would give different
 * request sequences from run to run. These copies reject nulls like {@code copyOf} does.
 */
public final class Ordered {
  private Ordered() {}

  /**
   * Copies a collection into an unmodifiable set in its iteration order, dropping repeats.
   *
   * @param <T> the element type
   * @param source the elements
   * @return the copy
   * @throws NullPointerException if the source or an element is null
   */
  public static <T> Set<T> setCopy(Collection<? extends T> source) {
    Set<T> out = new LinkedHashSet<>(Math.max(4, source.size() * 2));
    for (T t : source) {
      out.add(Objects.requireNonNull(t, "element"));
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * Copies a map into an unmodifiable map in its iteration order.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param source the entries
   * @return the copy
   * @throws NullPointerException if the source, a key or a value is null
   */
  public static <K, V> Map<K, V> mapCopy(Map<? extends K, ? extends V> source) {
    Map<K, V> out = new LinkedHashMap<>(Math.max(4, source.size() * 2));
    source.forEach((k, v) -> out.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return Collections.unmodifiableMap(out);
  }
}
