package io.stocksync.shopify.internal;

/**
 * The GraphQL documents the connector sends. Each has an operation name; the emulator in testkit
 * dispatches on it.
 */
public final class Queries {
  private Queries() {}

  /** The shop's identity. */
  public static final String SHOP = "query Shop { shop { id name myshopifyDomain } }";

  /** One page of locations. */
  public static final String LOCATIONS =
      "query Locations($first: Int!, $after: String) { locations(first: $first, after: $after) {"
          + " nodes { id name isActive fulfillsOnlineOrders } pageInfo { hasNextPage endCursor } } }";

  private static String levels(int first) {
    return "inventoryLevels(first: " + first + ") { nodes { location { id }"
        + " quantities(names: [\"available\"]) { name quantity } } }";
  }

  /**
   * One page of variants with their inventory item and levels.
   *
   * @param levels how many inventory levels to read per item: the shop's location count, since
   *     Shopify charges for every level requested
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

  /** Sets available quantities with compare-and-set; idempotent per key (2026-04 and later). */
  public static final String INVENTORY_SET =
      "mutation InventorySet($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {"
          + " inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {"
          + " inventoryAdjustmentGroup { reason referenceDocumentUri"
          + " changes { name delta quantityAfterChange item { id } location { id } } }"
          + " userErrors { code field message } } }";

  /** One page of orders by update time. */
  public static final String ORDERS =
      "query Orders($first: Int!, $after: String, $query: String) {"
          + " orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {"
          + " nodes { id name createdAt updatedAt cancelledAt displayFulfillmentStatus"
          + " retailLocation { id }"
          + " lineItems(first: 100) { nodes { id sku quantity currentQuantity unfulfilledQuantity } }"
          + " fulfillments { id status fulfillmentLineItems(first: 100) { nodes { lineItem { id } quantity } } }"
          + " refunds { id createdAt refundLineItems(first: 100) { nodes { quantity restockType"
          + " lineItem { id sku } } } } }"
          + " pageInfo { hasNextPage endCursor } } }";
}
