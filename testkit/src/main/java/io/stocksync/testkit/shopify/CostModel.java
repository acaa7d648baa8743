package io.stocksync.testkit.shopify;

/**
 * The emulator's approximation of Shopify's calculated query cost. Shopify derives the cost from
 * the fields of each query; the emulator does not parse queries, so it charges per operation:
 *
 * <table>
 *   <caption>Cost per operation</caption>
 *   <tr><th>operation</th><th>requested</th><th>actual</th></tr>
 *   <tr><td>Shop</td><td>1</td><td>1</td></tr>
 *   <tr><td>Locations</td><td>2 + first</td><td>2 + returned</td></tr>
 *   <tr><td>ProductVariants</td><td>2 + 3 &times; first</td><td>2 + 3 &times; returned</td></tr>
 *   <tr><td>InventoryItems</td><td>1 + 3 &times; ids</td><td>1 + 3 &times; ids</td></tr>
 *   <tr><td>Orders</td><td>2 + 5 &times; first</td><td>2 + 5 &times; returned</td></tr>
 *   <tr><td>InventorySet</td><td>10 + quantities</td><td>10 + quantities</td></tr>
 * </table>
 *
 * <p>A single query may request at most {@link #MAX_SINGLE_QUERY_COST} points, so {@code Orders}
 * pages are limited to 199 orders.
 */
final class CostModel {
  /** The most a single request may cost, as in Shopify. */
  static final int MAX_SINGLE_QUERY_COST = 1000;

  private CostModel() {}

  /**
   * The cost of an operation.
   *
   * @param operation the operation name
   * @param size {@code first}, the number of {@code ids} or the number of {@code quantities}
   * @param returned the number of nodes returned, or {@code size} for the requested cost
   * @return the points
   */
  static int cost(String operation, int size, int returned) {
    return switch (operation) {
      case "Shop" -> 1;
      case "Locations" -> 2 + returned;
      case "ProductVariants" -> 2 + 3 * returned;
      case "InventoryItems" -> 1 + 3 * size;
      case "Orders" -> 2 + 5 * returned;
      case "InventorySet" -> 10 + size;
      default -> throw new IllegalArgumentException("unknown operation " + operation);
    };
  }

  /**
   * The requested (maximum) cost of an operation: the actual cost when every requested node comes
   * back.
   *
   * @param operation the operation name
   * @param size {@code first}, the number of {@code ids} or the number of {@code quantities}
   * @return the points
   */
  static int requested(String operation, int size) {
    return cost(operation, size, size);
  }
}
