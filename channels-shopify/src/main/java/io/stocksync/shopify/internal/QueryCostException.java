package io.stocksync.shopify.internal;

import io.stocksync.core.ChannelException;

/**
 * Shopify refused a query as too costly ({@code MAX_COST_EXCEEDED}) before running it: nothing
 * happened, and the same query with smaller pages or batches will go through.
 */
public final class QueryCostException extends ChannelException {
  private static final long serialVersionUID = 1L;

  private final double cost;
  private final double maxCost;

  /**
   * Creates the exception.
   *
   * @param message what happened
   * @param cost the requested cost Shopify computed
   * @param maxCost the single-query limit Shopify reported
   */
  public QueryCostException(String message, double cost, double maxCost) {
    super(message, null);
    this.cost = cost;
    this.maxCost = maxCost;
  }

  /**
   * Returns the requested cost Shopify computed for the refused query.
   *
   * @return the points
   */
  public double cost() {
    return cost;
  }

  /**
   * Returns the single-query limit Shopify reported.
   *
   * @return the points
   */
  public double maxCost() {
    return maxCost;
  }
}
