package io.stocksync.shopify.internal;

import io.stocksync.core.channel.ChannelOrderLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Splits a Shopify line item by the locations its units are at, so the engine books, ships and
 * restocks each unit at the right warehouse.
 *
 * <p>The rule: the line's <em>base</em> location is where it first shipped from, or, before any
 * shipment, where its first open fulfilment order is assigned (none before routing: the store's
 * default applies). The line keeps its own id there and carries everything not attributed
 * elsewhere: its cancelled units, its restocked units (up to what shipped there), the rest of its
 * open and shipped units. Every other location the line has shipped from or has open units at is
 * reported as a line {@code lineId@locationId} with the units shipped from there and the units
 * still open there (restocked units beyond the base's shipments go to them in order). The parts
 * always add up to the line: quantities, shipped, cancelled and restocked units sum to Shopify's
 * figures. Once a line has shipped, its base location never changes, so a part that shipped is
 * never folded back into the base (which would ship its units twice); a part whose open units
 * moved away disappears, and the engine releases its booking.
 */
public final class OrderLocations {
  private OrderLocations() {}

  /**
   * The line's parts.
   *
   * @param lineId the line item's id
   * @param sku the SKU
   * @param quantity units ordered
   * @param fulfilled units shipped
   * @param cancelled units removed before shipping
   * @param restocked shipped units that came back
   * @param shippedAt units shipped per location, in the order of the fulfilments
   * @param openAt units still to ship per location, in the order of the open fulfilment orders
   * @return the base line first, then one line per other location with units
   * @throws io.stocksync.core.InvalidInputException if the figures do not add up
   */
  public static List<ChannelOrderLine> split(String lineId, String sku, long quantity,
      long fulfilled, long cancelled, long restocked, Map<String, Long> shippedAt,
      Map<String, Long> openAt) {
    long open = Math.max(0, quantity - fulfilled - cancelled);
    String base = !shippedAt.isEmpty() ? shippedAt.keySet().iterator().next()
        : openAt.isEmpty() ? null : openAt.keySet().iterator().next();
    Set<String> others = new LinkedHashSet<>(shippedAt.keySet());
    others.addAll(openAt.keySet());
    others.remove(base);
    long openLeft = open - Math.min(open, base == null ? 0 : openAt.getOrDefault(base, 0L));
    long shippedLeft = fulfilled - Math.min(fulfilled,
        base == null ? 0 : shippedAt.getOrDefault(base, 0L));
    Map<String, long[]> parts = new LinkedHashMap<>(); // location -> {shipped, open}
    for (String location : others) {
      long s = Math.min(Math.max(0, shippedAt.getOrDefault(location, 0L)), shippedLeft);
      long o = Math.min(Math.max(0, openAt.getOrDefault(location, 0L)), openLeft);
      shippedLeft -= s;
      openLeft -= o;
      if (s + o > 0) {
        parts.put(location, new long[] {s, o});
      }
    }
    long partQuantity = 0;
    long partShipped = 0;
    for (long[] p : parts.values()) {
      partQuantity += p[0] + p[1];
      partShipped += p[0];
    }
    long baseShipped = fulfilled - partShipped;
    long baseRestocked = Math.min(restocked, baseShipped);
    long restockLeft = restocked - baseRestocked;
    List<ChannelOrderLine> out = new ArrayList<>(1 + parts.size());
    out.add(new ChannelOrderLine(lineId, sku, quantity - partQuantity, baseShipped, cancelled,
        baseRestocked, base));
    for (Map.Entry<String, long[]> p : parts.entrySet()) {
      long s = p.getValue()[0];
      long r = Math.min(restockLeft, s);
      restockLeft -= r;
      out.add(new ChannelOrderLine(lineId + "@" + p.getKey(), sku, s + p.getValue()[1], s, 0, r,
          p.getKey()));
    }
    return out;
  }

  /**
   * Tells whether a fulfilment order's status still holds units for shipping.
   *
   * @param status the {@code FulfillmentOrderStatus}
   * @return false for {@code CLOSED} and {@code CANCELLED} (a closed one may also be the old half
   *     of a move or merge), true otherwise
   */
  public static boolean holdsUnits(@Nullable String status) {
    return status != null && !status.equals("CLOSED") && !status.equals("CANCELLED");
  }
}
