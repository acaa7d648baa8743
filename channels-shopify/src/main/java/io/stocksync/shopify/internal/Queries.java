package io.stocksync.shopify.internal;

/**
 * The GraphQL documents the connector sends, each valid against Shopify's Admin API 2026-04
 * schema (checked by a test against Shopify's own schema). Every nested connection of a paged
 * query asks for its {@code pageInfo}, and the connector follows up on {@code hasNextPage}, so
 * nothing is cut off silently; the bulk query has no page sizes (Shopify reads every node).
 */
public final class Queries {
  private Queries() {}

  /** Nested page size for line items, fulfilment and refund lines; the rest is followed up. */
  public static final int NESTED_PAGE = 50;

  /** The largest page Shopify serves. */
  public static final int MAX_PAGE = 250;

  /** The shop's identity. */
  public static final String SHOP = "query Shop { shop { id name myshopifyDomain } }";

  /** One page of locations. */
  public static final String LOCATIONS =
      "query Locations($first: Int!, $after: String) { locations(first: $first, after: $after) {"
          + " nodes { id name isActive fulfillsOnlineOrders } pageInfo { hasNextPage endCursor } } }";

  private static final String LEVEL_FIELDS =
      "nodes { location { id } quantities(names: [\"available\"]) { name quantity } }"
          + " pageInfo { hasNextPage endCursor }";

  private static String levels(int first) {
    return "inventoryLevels(first: " + first + ") { " + LEVEL_FIELDS + " }";
  }

  /**
   * One page of variants with their inventory item and levels.
   *
   * @param levels how many inventory levels to read per item (the shop's location count; the
   *     rest, if any, is followed up with {@link #ITEM_LEVELS})
   * @return the document
   */
  public static String productVariants(int levels) {
    return "query ProductVariants($first: Int!, $after: String, $query: String) {"
        + " productVariants(first: $first, after: $after, query: $query) {"
        + " nodes { id sku title updatedAt product { id title status }"
        + " inventoryItem { id tracked " + levels(levels) + " } }"
        + " pageInfo { hasNextPage endCursor } } }";
  }

  /**
   * Levels of up to 250 inventory items.
   *
   * @param levels how many inventory levels to read per item
   * @return the document
   */
  public static String inventoryItems(int levels) {
    return "query InventoryItems($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryItem {"
        + " id tracked " + levels(levels) + " } } }";
  }

  /** The rest of one inventory item's levels, after a cursor. */
  public static final String ITEM_LEVELS =
      "query ItemLevels($id: ID!, $first: Int!, $after: String) { inventoryItem(id: $id) {"
          + " id inventoryLevels(first: $first, after: $after) { " + LEVEL_FIELDS + " } } }";

  /** Sets available quantities with compare-and-set; idempotent per key (2026-04 and later). */
  public static final String INVENTORY_SET =
      "mutation InventorySet($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {"
          + " inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {"
          + " inventoryAdjustmentGroup { reason referenceDocumentUri"
          + " changes { name delta quantityAfterChange item { id } location { id } } }"
          + " userErrors { code field message } } }";

  private static final String LINE_FIELDS =
      "nodes { id sku quantity currentQuantity unfulfilledQuantity } pageInfo { hasNextPage endCursor }";
  private static final String FULFILLMENT_LINE_FIELDS =
      "nodes { lineItem { id } quantity } pageInfo { hasNextPage endCursor }";
  private static final String REFUND_LINE_FIELDS =
      "nodes { quantity restockType lineItem { id sku } } pageInfo { hasNextPage endCursor }";

  private static final String ORDER_FIELDS =
      "id name createdAt updatedAt cancelledAt displayFulfillmentStatus"
          + " retailLocation { id }"
          + " lineItems(first: " + NESTED_PAGE + ") { " + LINE_FIELDS + " }"
          + " fulfillments { id status location { id } fulfillmentLineItems(first: " + NESTED_PAGE
          + ") { " + FULFILLMENT_LINE_FIELDS + " } }"
          + " refunds { id createdAt refundLineItems(first: " + NESTED_PAGE + ") { "
          + REFUND_LINE_FIELDS + " } }";

  /** One page of orders by update time. */
  public static final String ORDERS =
      "query Orders($first: Int!, $after: String, $query: String) {"
          + " orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {"
          + " nodes { " + ORDER_FIELDS + " }"
          + " pageInfo { hasNextPage endCursor } } }";

  /** Orders by id: those read before their fulfilment orders were routed, read again. */
  public static final String ORDERS_BY_ID =
      "query OrdersById($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { " + ORDER_FIELDS
          + " } } }";

  /**
   * Fulfilment orders per nested page of an order: small, so that a batch of orders stays under
   * the 1,000-point cap even where Shopify prices connections linearly; the rest is followed up.
   */
  public static final int FULFILLMENT_ORDER_PAGE = 5;

  /** Line items per nested page of a fulfilment order; the rest is followed up. */
  public static final int FULFILLMENT_ORDER_LINE_PAGE = 20;

  private static final String FULFILLMENT_ORDER_LINE_FIELDS =
      "nodes { lineItem { id } remainingQuantity totalQuantity } pageInfo { hasNextPage endCursor }";
  private static final String FULFILLMENT_ORDER_FIELDS =
      "nodes { id status assignedLocation { location { id } } lineItems(first: "
          + FULFILLMENT_ORDER_LINE_PAGE
          + ") { " + FULFILLMENT_ORDER_LINE_FIELDS + " } } pageInfo { hasNextPage endCursor }";

  /**
   * Where the open units of some orders are reserved: their fulfilment orders' assigned locations
   * and remaining quantities. Asked only for online orders that still have units to ship.
   */
  public static final String ORDER_FULFILLMENT_ORDERS =
      "query OrderFulfillmentOrders($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id"
          + " fulfillmentOrders(first: " + FULFILLMENT_ORDER_PAGE + ") { "
          + FULFILLMENT_ORDER_FIELDS + " } } } }";

  /** The rest of one order's fulfilment orders, after a cursor. */
  public static final String MORE_FULFILLMENT_ORDERS =
      "query MoreFulfillmentOrders($id: ID!, $after: String) { order(id: $id) { id"
          + " fulfillmentOrders(first: " + FULFILLMENT_ORDER_PAGE + ", after: $after) { "
          + FULFILLMENT_ORDER_FIELDS + " } } }";

  /** The rest of one fulfilment order's line items, after a cursor. */
  public static final String FULFILLMENT_ORDER_LINES =
      "query FulfillmentOrderLines($id: ID!, $after: String) { node(id: $id) { ... on"
          + " FulfillmentOrder { id lineItems(first: " + MAX_PAGE + ", after: $after) { "
          + FULFILLMENT_ORDER_LINE_FIELDS + " } } } }";

  /** The rest of one order's line items, after a cursor. */
  public static final String ORDER_LINES =
      "query OrderLines($id: ID!, $after: String) { order(id: $id) {"
          + " id lineItems(first: " + MAX_PAGE + ", after: $after) { " + LINE_FIELDS + " } } }";

  /** The rest of one fulfilment's lines, after a cursor. */
  public static final String FULFILLMENT_LINES =
      "query FulfillmentLines($id: ID!, $after: String) { node(id: $id) { ... on Fulfillment {"
          + " id fulfillmentLineItems(first: " + MAX_PAGE + ", after: $after) { "
          + FULFILLMENT_LINE_FIELDS + " } } } }";

  /** The rest of one refund's lines, after a cursor. */
  public static final String REFUND_LINES =
      "query RefundLines($id: ID!, $after: String) { node(id: $id) { ... on Refund {"
          + " id refundLineItems(first: " + MAX_PAGE + ", after: $after) { "
          + REFUND_LINE_FIELDS + " } } } }";

  /**
   * The first page of a full import, asking also how many variants the shop has (up to {@code
   * $countLimit}): that decides, at the price of one point, whether the rest goes bulk.
   *
   * @param levels as in {@link #productVariants(int)}
   * @return the document, with the same operation name as {@link #productVariants(int)}
   */
  public static String productVariantsCounted(int levels) {
    return productVariants(levels)
        .replace("$query: String) {", "$query: String, $countLimit: Int) {"
            + " productVariantsCount(limit: $countLimit) { count precision }");
  }

  /**
   * The bulk query reading every variant with its inventory levels: the same fields as {@link
   * #productVariants(int)}, without {@code first}, cursors or {@code pageInfo} (a bulk query
   * ignores them). Two connections, nested once, each nested connection's parent node selecting
   * {@code id}, as Shopify's bulk rules require.
   *
   * @param search the {@code query:} filter, e.g. {@code product_status:active}
   * @return the document, to be sent as {@code bulkOperationRunQuery(query:)}
   */
  public static String bulkVariants(String search) {
    return "{ productVariants(query: \"" + search.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\") { edges { node { id sku title updatedAt product { id title status }"
        + " inventoryItem { id tracked inventoryLevels { edges { node { location { id }"
        + " quantities(names: [\"available\"]) { name quantity } } } } } } } } }";
  }

  /** Starts a bulk query. */
  public static final String BULK_RUN =
      "mutation BulkRun($query: String!) { bulkOperationRunQuery(query: $query) {"
          + " bulkOperation { id status } userErrors { code field message } } }";

  /** One bulk operation's progress and result links. */
  public static final String BULK_POLL =
      "query BulkPoll($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount"
          + " fileSize url partialDataUrl } }";

  /**
   * Every document above, by operation name, for tests that validate them.
   *
   * @return the documents
   */
  public static java.util.Map<String, String> all() {
    return java.util.Map.ofEntries(
        java.util.Map.entry("Shop", SHOP),
        java.util.Map.entry("Locations", LOCATIONS),
        java.util.Map.entry("ProductVariants", productVariants(2)),
        java.util.Map.entry("InventoryItems", inventoryItems(2)),
        java.util.Map.entry("ItemLevels", ITEM_LEVELS),
        java.util.Map.entry("InventorySet", INVENTORY_SET),
        java.util.Map.entry("Orders", ORDERS),
        java.util.Map.entry("OrdersById", ORDERS_BY_ID),
        java.util.Map.entry("OrderFulfillmentOrders", ORDER_FULFILLMENT_ORDERS),
        java.util.Map.entry("MoreFulfillmentOrders", MORE_FULFILLMENT_ORDERS),
        java.util.Map.entry("FulfillmentOrderLines", FULFILLMENT_ORDER_LINES),
        java.util.Map.entry("OrderLines", ORDER_LINES),
        java.util.Map.entry("FulfillmentLines", FULFILLMENT_LINES),
        java.util.Map.entry("RefundLines", REFUND_LINES),
        java.util.Map.entry("ProductVariantsCounted", productVariantsCounted(2)),
        java.util.Map.entry("BulkVariants", bulkVariants("product_status:active,draft")),
        java.util.Map.entry("BulkRun", BULK_RUN),
        java.util.Map.entry("BulkPoll", BULK_POLL));
  }
}
