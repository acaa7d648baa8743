package io.stocksync.amazon;

import io.stocksync.amazon.internal.SpApi;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders API 2026-01-01 {@code searchOrders} (and {@code getOrder} for one order, at 0.5 requests
 * per second, burst 30): {@code lastUpdatedAfter} (inclusive), {@code
 * fulfilledBy=MERCHANT} (AFN orders are Amazon's stock and never book the hub's; filtering them on
 * Amazon's side also saves the operation's tiny budget of 0.0056 requests per second),
 * {@code includedData=FULFILLMENT,CANCELLATION} (the status lives in {@code fulfillment}), 100 per
 * page. Statuses: PENDING, PENDING_AVAILABILITY and UNSHIPPED book the ordered units;
 * PARTIALLY_SHIPPED and SHIPPED fulfil {@code quantityFulfilled}; CANCELLED and UNFULFILLABLE
 * release what was not shipped; an item with a {@code cancellation} releases its unshipped units.
 */
final class OrdersApi20260101 implements OrdersReader {
  static final String OPERATION = "searchOrders";
  static final String SINGLE_OPERATION = "getOrder";
  private static final String INCLUDED = "FULFILLMENT,CANCELLATION";
  private final SpApi api;
  private final SpClient client;
  private final String marketplaceId;
  private final String locationId;

  OrdersApi20260101(SpApi api, SpClient client, String marketplaceId, String locationId) {
    this.api = api;
    this.client = client;
    this.marketplaceId = marketplaceId;
    this.locationId = locationId;
  }

  @Override
  public String operation() {
    return OPERATION;
  }

  @Override
  public Page<ChannelOrder> read(OrderQuery query) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("lastUpdatedAfter", query.updatedSince().toString());
    q.put("marketplaceIds", marketplaceId);
    q.put("fulfilledBy", "MERCHANT");
    q.put("includedData", INCLUDED);
    q.put("maxResultsPerPage", "100");
    if (query.pageToken() != null) {
      q.put("paginationToken", query.pageToken());
    }
    Map<String, Object> body = client.call(OPERATION, api.searchOrders(q));
    List<ChannelOrder> out = new ArrayList<>();
    for (Object o : Js.list(body, "orders")) {
      ChannelOrder order = map(Js.obj(o, "orders[]"));
      if (order != null) {
        out.add(order);
      }
    }
    out.sort(Comparator.comparing(ChannelOrder::updatedAt));
    Map<String, Object> pagination = Js.optObj(body, "pagination");
    String next = pagination == null ? null : Js.optStr(pagination, "nextToken");
    return new Page<>(out, next);
  }

  @Override
  public String singleOperation() {
    return SINGLE_OPERATION;
  }

  /**
   * {@code getOrder} with the same {@code includedData} as the search, so both give the same
   * {@link ChannelOrder} (and version) for the same state: the engine applies it once.
   */
  @Override
  public Optional<ChannelOrder> readOne(String orderId) {
    Map<String, Object> body = client.callOrNotFound(SINGLE_OPERATION,
        api.getOrder(orderId, Map.of("includedData", INCLUDED)));
    if (body == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(map(Js.obj(body.get("order"), "order")));
  }

  private @org.jspecify.annotations.Nullable ChannelOrder map(Map<String, Object> o) {
    String id = Js.str(o, "orderId");
    Instant created = Js.time(o, "createdTime");
    Instant updated = Js.time(o, "lastUpdatedTime");
    Map<String, Object> fulfillment = Js.optObj(o, "fulfillment");
    if (fulfillment == null) {
      throw new MalformedResponseException("order " + id + " came without fulfillment", null);
    }
    if ("AMAZON".equals(Js.optStr(fulfillment, "fulfilledBy"))) {
      return null; // AFN: never books FBM stock, even if Amazon ignored the filter
    }
    String status = Js.str(fulfillment, "fulfillmentStatus");
    boolean cancelled = status.equals("CANCELLED") || status.equals("UNFULFILLABLE");
    boolean shipped = status.equals("SHIPPED");
    List<ChannelOrderLine> lines = new ArrayList<>();
    for (Object i : Js.list(o, "orderItems")) {
      Map<String, Object> item = Js.obj(i, "orderItems[]");
      Map<String, Object> product = Js.optObj(item, "product");
      String sku = product == null ? "" : Js.optStr(product, "sellerSku");
      Long ordered = Js.optLong(item, "quantityOrdered");
      if (ordered == null || ordered < 0) {
        throw new MalformedResponseException("order " + id + ": quantityOrdered missing", null);
      }
      Map<String, Object> itemFulfillment = Js.optObj(item, "fulfillment");
      Long fulfilledRaw = itemFulfillment == null ? null : Js.optLong(itemFulfillment, "quantityFulfilled");
      Long unfulfilled = itemFulfillment == null ? null : Js.optLong(itemFulfillment, "quantityUnfulfilled");
      long fulfilled = fulfilledRaw != null ? fulfilledRaw : shipped ? ordered : 0;
      fulfilled = Math.max(0, Math.min(ordered, fulfilled));
      long cancelledUnits;
      if (cancelled || item.get("cancellation") != null) {
        cancelledUnits = ordered - fulfilled;
      } else if (unfulfilled != null) {
        cancelledUnits = Math.max(0, ordered - fulfilled - unfulfilled);
      } else {
        cancelledUnits = 0;
      }
      lines.add(new ChannelOrderLine(Js.str(item, "orderItemId"), sku == null ? "" : sku, ordered,
          fulfilled, cancelledUnits, 0));
    }
    return new ChannelOrder(id, updated.toString(), created, updated, cancelled, locationId, lines);
  }
}
