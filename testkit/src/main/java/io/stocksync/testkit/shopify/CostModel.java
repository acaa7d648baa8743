package io.stocksync.testkit.shopify;

/**
 * How the emulator prices a GraphQL request, computed from the parsed document (see {@link
 * ShopifyEmulator.Builder#costModel(CostModel)}). Shopify's documented rules fix most of it and
 * are applied by the emulator for every model: a scalar or enum field costs 0, an object field 1
 * plus its selection, an interface or union the most expensive of its fragments, {@code pageInfo}
 * nothing, a mutation field {@link #mutation(int)} plus its selection; a plain list of objects
 * costs its element times the list's known size (the {@code ids} or {@code names} argument, or
 * {@code first}; 1 when unbounded). What Shopify keeps closed is how a connection scales with
 * {@code first}; that is the model's {@link #connection(int, int)}.
 *
 * <p>The requested cost uses each connection's {@code first}; the actual cost uses the number of
 * nodes each connection returned. Shopify reserves the requested cost, refunds requested minus
 * actual afterwards and refuses a request over {@value #MAX_SINGLE_QUERY_COST} requested points
 * with {@code MAX_COST_EXCEEDED} before running it.
 */
public interface CostModel {
  /** The most a single request may cost, as in Shopify. */
  int MAX_SINGLE_QUERY_COST = 1000;

  /**
   * The cost of a connection field.
   *
   * @param first the page size asked for (requested cost) or the nodes returned (actual cost),
   *     zero or more
   * @param nodeCost the cost of one node with its selection (1 for the node object plus its
   *     fields), at least 1
   * @return the points
   */
  int connection(int first, int nodeCost);

  /**
   * The base cost of a mutation field, before its selection.
   *
   * @param inputSize the size of the largest list in its input (e.g. the number of {@code
   *     quantities}), zero when it has none
   * @return the points
   */
  int mutation(int inputSize);

  /**
   * The default: Shopify's documented rules, with connections scaled logarithmically as Shopify
   * says it does. The formula is the community fit of Shopify's closed one, {@code 2 +
   * floor(2 * ln(max(2, min(first, 250)))) * nodeCost}: it reproduces the observed {@code
   * product(id) { variants(first: 250) { nodes { inventoryItem { id tracked } } } }} figure of 25
   * (product 1 + 2 + 11 &times; 2). An empty result costs 2. Mutations cost 10.
   *
   * @return the model
   */
  static CostModel documented() {
    return Models.DOCUMENTED;
  }

  /**
   * A pessimistic model: connections are linear, {@code 2 + first * nodeCost} (the same query
   * costs 503 here), and a mutation costs 10 plus one per input element. Pages and batches must
   * shrink under it.
   *
   * @return the model
   */
  static CostModel linear() {
    return Models.LINEAR;
  }
}

/** The built-in models. */
final class Models {
  private Models() {}

  static final CostModel DOCUMENTED =
      new CostModel() {
        @Override
        public int connection(int first, int nodeCost) {
          if (first <= 0) {
            return 2;
          }
          int n = Math.max(2, Math.min(first, 250));
          return 2 + (int) Math.floor(2 * Math.log(n)) * nodeCost;
        }

        @Override
        public int mutation(int inputSize) {
          return 10;
        }

        @Override
        public String toString() {
          return "CostModel.documented()";
        }
      };

  static final CostModel LINEAR =
      new CostModel() {
        @Override
        public int connection(int first, int nodeCost) {
          return 2 + Math.max(0, first) * nodeCost;
        }

        @Override
        public int mutation(int inputSize) {
          return 10 + inputSize;
        }

        @Override
        public String toString() {
          return "CostModel.linear()";
        }
      };
}
