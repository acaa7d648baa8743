package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.GraphQlTestClient.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrdersTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ShopifyEmulator shop;
  private GraphQlTestClient client;
  private String warehouse;
  private String store;
  private VariantIds shirt;

  @BeforeEach
  void setUp() {
    shop = ShopifyEmulator.builder().clock(clock).build().start();
    client = new GraphQlTestClient(shop);
    warehouse = shop.addLocation("Warehouse");
    store = shop.addLocation("Store");
    shirt = shop.addVariant(shop.addProduct("Shirt", ProductStatus.ACTIVE), "SHIRT-1", true);
    shop.stock(shirt.inventoryItemId(), warehouse, 10);
    shop.stock(shirt.inventoryItemId(), store, 4);
  }

  @AfterEach
  void tearDown() {
    shop.close();
  }

  @Test
  void sell_createsAnOrderVisibleThroughOrdersAndDecrementsAvailable() {
    String orderId = shop.sell(shirt.variantId(), 3, null);

    Reply reply = client.post("Orders", vars("first", 10));

    assertThat(reply.list("data", "orders", "nodes")).hasSize(1);
    assertThat(reply.string("data", "orders", "nodes", 0, "id")).isEqualTo(orderId);
    assertThat(reply.string("data", "orders", "nodes", 0, "name")).isEqualTo("#1001");
    assertThat(reply.at("data", "orders", "nodes", 0, "cancelledAt")).isNull();
    assertThat(reply.string("data", "orders", "nodes", 0, "displayFulfillmentStatus"))
        .isEqualTo("UNFULFILLED");
    Object[] line = {"data", "orders", "nodes", 0, "lineItems", "nodes", 0};
    assertThat(reply.string(path(line, "sku"))).isEqualTo("SHIRT-1");
    assertThat(reply.number(path(line, "quantity"))).isEqualTo(3);
    assertThat(reply.number(path(line, "currentQuantity"))).isEqualTo(3);
    assertThat(reply.number(path(line, "unfulfilledQuantity"))).isEqualTo(3);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(7);
    assertThat(shop.onHand(shirt.inventoryItemId(), warehouse)).isEqualTo(10);
    assertThat(shop.available(shirt.inventoryItemId(), store)).isEqualTo(4);
  }

  @Test
  void sell_atAGivenLocation_takesStockThere() {
    shop.sell(shirt.variantId(), 5, store);

    assertThat(shop.available(shirt.inventoryItemId(), store)).isEqualTo(-1);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(10);
  }

  @Test
  void fulfil_partThenAll_movesStatusAndOnHand() {
    String orderId = shop.sell(shirt.variantId(), 3, warehouse);
    String lineId = shop.order(orderId).lineItems().get(0).id();

    shop.fulfil(orderId, lineId, 1);
    assertThat(shop.order(orderId).displayFulfillmentStatus()).isEqualTo("PARTIALLY_FULFILLED");
    shop.fulfil(orderId);

    OrderSnapshot order = shop.order(orderId);
    assertThat(order.displayFulfillmentStatus()).isEqualTo("FULFILLED");
    assertThat(order.lineItems().get(0).unfulfilledQuantity()).isZero();
    assertThat(shop.onHand(shirt.inventoryItemId(), warehouse)).isEqualTo(7);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(7);
    Reply reply = client.post("Orders", vars("first", 10));
    assertThat(reply.list("data", "orders", "nodes", 0, "fulfillments")).hasSize(2);
    assertThat(
            reply.number(
                "data", "orders", "nodes", 0, "fulfillments", 1, "fulfillmentLineItems", "nodes",
                0, "quantity"))
        .isEqualTo(2);
  }

  @Test
  void cancel_withRestock_removesUnfulfilledUnitsAndPutsThemBack() {
    String orderId = shop.sell(shirt.variantId(), 4, warehouse);
    String lineId = shop.order(orderId).lineItems().get(0).id();
    shop.fulfil(orderId, lineId, 1);

    shop.cancel(orderId, true);

    Reply reply = client.post("Orders", vars("first", 10));
    Object[] line = {"data", "orders", "nodes", 0, "lineItems", "nodes", 0};
    assertThat(reply.at("data", "orders", "nodes", 0, "cancelledAt")).isNotNull();
    assertThat(reply.number(path(line, "quantity"))).isEqualTo(4);
    assertThat(reply.number(path(line, "unfulfilledQuantity"))).isZero();
    assertThat(reply.number(path(line, "currentQuantity"))).isEqualTo(1);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(9);
    assertThat(shop.onHand(shirt.inventoryItemId(), warehouse)).isEqualTo(9);
    assertThatThrownBy(() -> shop.cancel(orderId, true)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void cancel_withoutRestock_leavesAvailableAndDropsOnHand() {
    String orderId = shop.sell(shirt.variantId(), 4, warehouse);

    shop.cancel(orderId, false);

    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(6);
    assertThat(shop.onHand(shirt.inventoryItemId(), warehouse)).isEqualTo(6);
    assertThat(shop.order(orderId).lineItems().get(0).currentQuantity()).isZero();
  }

  @Test
  void refund_cancelReturnAndNoRestock_adjustQuantitiesAndStockLikeShopify() {
    String orderId = shop.sell(shirt.variantId(), 6, warehouse);
    String lineId = shop.order(orderId).lineItems().get(0).id();
    shop.fulfil(orderId, lineId, 3);

    shop.refund(orderId, lineId, 1, RestockType.CANCEL);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(5);
    shop.refund(orderId, lineId, 1, RestockType.RETURN);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(6);
    shop.refund(orderId, lineId, 2, RestockType.NO_RESTOCK);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(6);

    OrderSnapshot.Line line = shop.order(orderId).lineItems().get(0);
    // 6 ordered, 3 fulfilled; removed: 1 (cancel) + 2 (no-restock of the unfulfilled); returned 1.
    assertThat(line.removedQuantity()).isEqualTo(3);
    assertThat(line.returnedQuantity()).isEqualTo(1);
    assertThat(line.unfulfilledQuantity()).isZero();
    assertThat(line.currentQuantity()).isEqualTo(2);
    Reply reply = client.post("Orders", vars("first", 10));
    Object[] node = {"data", "orders", "nodes", 0};
    assertThat(reply.number(path(node, "lineItems", "nodes", 0, "currentQuantity"))).isEqualTo(2);
    assertThat(reply.number(path(node, "lineItems", "nodes", 0, "unfulfilledQuantity"))).isZero();
    assertThat(reply.string(path(node, "displayFulfillmentStatus"))).isEqualTo("FULFILLED");
    assertThat(reply.list(path(node, "refunds"))).hasSize(3);
    Object[] refundLine = path(node, "refunds", 1, "refundLineItems", "nodes", 0);
    assertThat(reply.string(path(refundLine, "restockType"))).isEqualTo("RETURN");
    assertThat(reply.number(path(refundLine, "quantity"))).isEqualTo(1);
    assertThat(reply.string(path(refundLine, "lineItem", "id"))).isEqualTo(lineId);
    assertThat(reply.string(path(refundLine, "lineItem", "sku"))).isEqualTo("SHIRT-1");
  }

  @Test
  void refund_ofMoreUnitsThanTheRestockTypeCanTake_isRejected() {
    String orderId = shop.sell(shirt.variantId(), 2, warehouse);
    String lineId = shop.order(orderId).lineItems().get(0).id();

    assertThatThrownBy(() -> shop.refund(orderId, lineId, 1, RestockType.RETURN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> shop.refund(orderId, lineId, 3, RestockType.CANCEL))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyChange_bumpsUpdatedAtStrictlyEvenWhenTheClockStandsStill() {
    String first = shop.sell(shirt.variantId(), 1, null);
    String second = shop.sell(shirt.variantId(), 1, null);
    shop.cancel(first, true);

    List<Instant> updates = new ArrayList<>();
    for (OrderSnapshot order : shop.orders()) {
      updates.add(order.updatedAt());
    }

    assertThat(shop.order(second).updatedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.001Z"));
    assertThat(shop.order(first).updatedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.002Z"));
    assertThat(updates).doesNotHaveDuplicates();
  }

  @Test
  void orders_areSortedByUpdatedAtAndFilteredByUpdatedAtQuery() {
    String a = shop.sell(shirt.variantId(), 1, null);
    clock.advance(Duration.ofMinutes(1));
    String b = shop.sell(shirt.variantId(), 1, null);
    Instant checkpoint = shop.order(b).updatedAt();
    clock.advance(Duration.ofMinutes(1));
    shop.fulfil(a);

    Reply all = client.post("Orders", vars("first", 10));
    Reply since = client.post("Orders", vars("first", 10, "query", "updated_at:>'" + checkpoint + "'"));
    Reply sinceInclusive =
        client.post("Orders", vars("first", 10, "query", "updated_at:>='" + checkpoint + "'"));

    assertThat(ids(all)).containsExactly(b, a);
    assertThat(ids(since)).containsExactly(a);
    assertThat(ids(sinceInclusive)).containsExactly(b, a);
  }

  @Test
  void orders_pageWithCursorsInUpdatedAtOrder() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(shop.sell(shirt.variantId(), 1, null));
    }

    List<String> seen = new ArrayList<>();
    String after = null;
    do {
      Map<String, Object> variables = after == null ? vars("first", 2) : vars("first", 2, "after", after);
      Reply page = client.post("Orders", variables);
      seen.addAll(ids(page));
      after =
          Boolean.TRUE.equals(page.at("data", "orders", "pageInfo", "hasNextPage"))
              ? page.string("data", "orders", "pageInfo", "endCursor")
              : null;
    } while (after != null);

    assertThat(seen).containsExactlyElementsOf(created);
  }

  private static List<String> ids(Reply reply) {
    List<String> ids = new ArrayList<>();
    for (Object node : reply.list("data", "orders", "nodes")) {
      ids.add((String) ((Map<?, ?>) node).get("id"));
    }
    return ids;
  }

  private static Object[] path(Object[] prefix, Object... more) {
    Object[] path = java.util.Arrays.copyOf(prefix, prefix.length + more.length);
    System.arraycopy(more, 0, path, prefix.length, more.length);
    return path;
  }

  private static final String FULFILLMENT_ORDERS =
      "query FO($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { status"
          + " assignedLocation { location { id } }"
          + " lineItems(first: 10) { nodes { remainingQuantity totalQuantity lineItem { id sku } } } } } } }";

  @Test
  void fulfillmentOrders_onePerLocationTheLinesTakeStockFrom_withTheUnitsStillToShip() {
    VariantIds cap = shop.addVariant(shop.addProduct("Cap", ProductStatus.ACTIVE), "CAP-1", true);
    shop.stock(cap.inventoryItemId(), warehouse, 5);
    shop.stock(cap.inventoryItemId(), store, 5);
    String orderId = shop.createOrder(List.of(
        new OrderLineSpec(shirt.variantId(), 2, warehouse),
        new OrderLineSpec(cap.variantId(), 3, store),
        new OrderLineSpec(cap.variantId(), 1, warehouse)));
    String shirtLine = shop.order(orderId).lineItems().get(0).id();
    assertThat(client.query(FULFILLMENT_ORDERS, vars("id", orderId))
        .list("data", "order", "fulfillmentOrders", "nodes")).as("not routed yet").isEmpty();
    clock.advance(Duration.ofSeconds(3));
    shop.fulfil(orderId, shirtLine, 1);

    Reply reply = client.query(FULFILLMENT_ORDERS, vars("id", orderId));

    Object[] fos = {"data", "order", "fulfillmentOrders", "nodes"};
    assertThat(reply.list(fos)).hasSize(2);
    assertThat(reply.string(path(path(fos, 0), "assignedLocation", "location", "id"))).isEqualTo(warehouse);
    assertThat(reply.string(path(path(fos, 0), "status"))).as("part fulfilled").isEqualTo("IN_PROGRESS");
    assertThat(reply.string(path(path(fos, 1), "status"))).isEqualTo("OPEN");
    assertThat(reply.list(path(path(fos, 0), "lineItems", "nodes"))).hasSize(2);
    assertThat(reply.string(path(path(fos, 0), "lineItems", "nodes", 0, "lineItem", "id"))).isEqualTo(shirtLine);
    assertThat(reply.number(path(path(fos, 0), "lineItems", "nodes", 0, "remainingQuantity"))).isEqualTo(1);
    assertThat(reply.string(path(path(fos, 0), "lineItems", "nodes", 1, "lineItem", "sku"))).isEqualTo("CAP-1");
    assertThat(reply.string(path(path(fos, 1), "assignedLocation", "location", "id"))).isEqualTo(store);
    assertThat(reply.number(path(path(fos, 1), "lineItems", "nodes", 0, "remainingQuantity"))).isEqualTo(3);
  }

  @Test
  void fulfillmentOrders_whenEverythingShipped_areClosedAndWhenCancelled_areCancelled() {
    String shipped = shop.sell(shirt.variantId(), 2, warehouse);
    shop.fulfil(shipped);
    String cancelled = shop.sell(shirt.variantId(), 1, store);
    shop.cancel(cancelled, true);

    assertThat(client.query(FULFILLMENT_ORDERS, vars("id", shipped))
        .string("data", "order", "fulfillmentOrders", "nodes", 0, "status")).isEqualTo("CLOSED");
    assertThat(client.query(FULFILLMENT_ORDERS, vars("id", cancelled))
        .string("data", "order", "fulfillmentOrders", "nodes", 0, "status")).isEqualTo("CANCELLED");
  }

  @Test
  void moveFulfillmentOrder_commitsTheUnitsAtTheNewLocationAndReassignsIt() {
    String orderId = shop.sell(shirt.variantId(), 3, warehouse);
    Instant before = Instant.parse(client.query("query O($id: ID!) { order(id: $id) { updatedAt } }",
        vars("id", orderId)).string("data", "order", "updatedAt"));
    clock.advance(Duration.ofSeconds(5));

    shop.moveFulfillmentOrder(orderId, warehouse, store);

    Reply reply = client.query(FULFILLMENT_ORDERS, vars("id", orderId));
    assertThat(reply.list("data", "order", "fulfillmentOrders", "nodes")).hasSize(1);
    assertThat(reply.string("data", "order", "fulfillmentOrders", "nodes", 0,
        "assignedLocation", "location", "id")).isEqualTo(store);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(10);
    assertThat(shop.available(shirt.inventoryItemId(), store)).isEqualTo(1);
    assertThat(shop.order(orderId).updatedAt()).isAfter(before);
  }

  @Test
  void moveFulfillmentOrder_partShipped_closesItAndOpensANewOneAtTheNewLocation() {
    String orderId = shop.sell(shirt.variantId(), 3, warehouse);
    shop.fulfil(orderId, shop.order(orderId).lineItems().get(0).id(), 1);

    shop.moveFulfillmentOrder(orderId, warehouse, store);

    Reply reply = client.query(FULFILLMENT_ORDERS, vars("id", orderId));
    Object[] fos = {"data", "order", "fulfillmentOrders", "nodes"};
    assertThat(reply.list(fos)).hasSize(2);
    assertThat(reply.string(path(path(fos, 0), "status"))).isEqualTo("CLOSED");
    assertThat(reply.number(path(path(fos, 0), "lineItems", "nodes", 0, "totalQuantity"))).isEqualTo(1);
    assertThat(reply.string(path(path(fos, 1), "status"))).isEqualTo("OPEN");
    assertThat(reply.string(path(path(fos, 1), "assignedLocation", "location", "id"))).isEqualTo(store);
    assertThat(reply.number(path(path(fos, 1), "lineItems", "nodes", 0, "remainingQuantity"))).isEqualTo(2);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(9);
    assertThat(shop.onHand(shirt.inventoryItemId(), warehouse)).isEqualTo(9);
    assertThat(shop.available(shirt.inventoryItemId(), store)).isEqualTo(2);
  }

  @Test
  void moveFulfillmentOrder_fromALocationWithoutOne_isRefusedAndChangesNothing() {
    String orderId = shop.sell(shirt.variantId(), 3, warehouse);

    assertThatThrownBy(() -> shop.moveFulfillmentOrder(orderId, store, warehouse))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no open fulfilment order");
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(7);
    assertThat(shop.available(shirt.inventoryItemId(), store)).isEqualTo(4);
  }

  private static final String RETAIL = "query R($id: ID!) { order(id: $id) { retailLocation { id } } }";

  @Test
  void retailLocation_isSetForPointOfSaleOrdersOnly() {
    String pos = shop.sell(shirt.variantId(), 1, store);
    String online = shop.createOrder(List.of(new OrderLineSpec(shirt.variantId(), 1, store)));

    assertThat(client.query(RETAIL, vars("id", pos)).string("data", "order", "retailLocation", "id"))
        .isEqualTo(store);
    assertThat(client.query(RETAIL, vars("id", online)).at("data", "order", "retailLocation")).isNull();
    assertThat(client.query(FULFILLMENT_ORDERS, vars("id", pos))
        .list("data", "order", "fulfillmentOrders", "nodes")).as("POS: at once").hasSize(1);
  }

  @Test
  void onlineOrder_getsItsFulfilmentOrdersAfterTheRoutingDelay_withoutMovingUpdatedAt() {
    String orderId = shop.sell(shirt.variantId(), 2, null);
    Instant updated = shop.order(orderId).updatedAt();

    clock.advance(Duration.ofMillis(2999));
    assertThat(client.query(FULFILLMENT_ORDERS, vars("id", orderId))
        .list("data", "order", "fulfillmentOrders", "nodes")).isEmpty();
    clock.advance(Duration.ofMillis(1));
    Reply reply = client.query(FULFILLMENT_ORDERS, vars("id", orderId));

    assertThat(reply.string("data", "order", "fulfillmentOrders", "nodes", 0,
        "assignedLocation", "location", "id")).isEqualTo(warehouse);
    assertThat(shop.order(orderId).updatedAt()).isEqualTo(updated);
  }

  @Test
  void moveFulfillmentOrderLine_splitsTheLineOverTwoLocations() {
    String orderId = shop.createOrder(List.of(new OrderLineSpec(shirt.variantId(), 5, warehouse)));
    clock.advance(Duration.ofSeconds(3));
    String line = shop.order(orderId).lineItems().get(0).id();

    shop.moveFulfillmentOrderLine(orderId, line, warehouse, store, 2);

    Reply reply = client.query(FULFILLMENT_ORDERS, vars("id", orderId));
    Object[] fos = {"data", "order", "fulfillmentOrders", "nodes"};
    assertThat(reply.list(fos)).hasSize(2);
    assertThat(reply.number(path(path(fos, 0), "lineItems", "nodes", 0, "remainingQuantity"))).isEqualTo(3);
    assertThat(reply.string(path(path(fos, 1), "assignedLocation", "location", "id"))).isEqualTo(store);
    assertThat(reply.number(path(path(fos, 1), "lineItems", "nodes", 0, "remainingQuantity"))).isEqualTo(2);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(7);
    assertThat(shop.available(shirt.inventoryItemId(), store)).isEqualTo(2);

    shop.fulfil(orderId); // one fulfilment per location, each from its own stock
    assertThat(shop.onHand(shirt.inventoryItemId(), warehouse)).isEqualTo(7);
    assertThat(shop.onHand(shirt.inventoryItemId(), store)).isEqualTo(2);
    assertThat(client.query(FULFILLMENT_ORDERS, vars("id", orderId)).string(path(path(fos, 1), "status")))
        .isEqualTo("CLOSED");
  }

  @Test
  void nestedFulfillmentOrderConnections_honourFirstAndPage() {
    List<OrderLineSpec> lines = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      lines.add(new OrderLineSpec(shirt.variantId(), 1, i == 1 ? store : warehouse));
    }
    String orderId = shop.createOrder(lines);
    clock.advance(Duration.ofSeconds(3));

    Reply reply = client.query("query F($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) {"
        + " nodes { id lineItems(first: 1) { nodes { remainingQuantity } pageInfo { hasNextPage endCursor } } }"
        + " pageInfo { hasNextPage } } } }", vars("id", orderId));

    assertThat(reply.list("data", "order", "fulfillmentOrders", "nodes")).hasSize(1);
    assertThat(reply.at("data", "order", "fulfillmentOrders", "pageInfo", "hasNextPage")).isEqualTo(true);
    assertThat(reply.list("data", "order", "fulfillmentOrders", "nodes", 0, "lineItems", "nodes")).hasSize(1);
    String fo = reply.string("data", "order", "fulfillmentOrders", "nodes", 0, "id");
    String cursor = reply.string("data", "order", "fulfillmentOrders", "nodes", 0, "lineItems", "pageInfo", "endCursor");
    Reply rest = client.query("query L($id: ID!, $after: String) { node(id: $id) { ... on FulfillmentOrder {"
        + " lineItems(first: 5, after: $after) { nodes { remainingQuantity } pageInfo { hasNextPage } } } } }",
        vars("id", fo, "after", cursor));
    assertThat(rest.list("data", "node", "lineItems", "nodes")).hasSize(1);
    assertThat(rest.at("data", "node", "lineItems", "pageInfo", "hasNextPage")).isEqualTo(false);
  }
}
