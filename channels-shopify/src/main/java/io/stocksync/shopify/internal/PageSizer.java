package io.stocksync.shopify.internal;

/**
 * Sizes a page or batch from the requested cost Shopify reported for an earlier one, so that the
 * next stays under the single-query cap and the bucket: nothing is hard-coded about how Shopify
 * prices a query. Cost grows with the size at most linearly (Shopify scales connections
 * logarithmically, plain lists linearly), so {@code cost(n) <= c0 * n / n0} for every {@code n >=
 * n0}: growing in that proportion is safe, and shrinking in it converges within a few refusals.
 * Thread-safe.
 */
public final class PageSizer {
  private final int max;
  private int size;
  private int observedSize;
  private double observedCost = Double.NaN;

  /**
   * Creates a sizer.
   *
   * @param initial the size to try before any cost is known
   * @param max the largest size Shopify accepts (250)
   */
  public PageSizer(int initial, int max) {
    this.max = max;
    this.size = Math.max(1, Math.min(initial, max));
  }

  /**
   * Returns the size to use next.
   *
   * @return 1 to max
   */
  public synchronized int size() {
    return size;
  }

  /**
   * Learns from the requested cost of a call of {@code n} items.
   *
   * @param n the items the call asked for
   * @param requestedCost the requested cost Shopify reported (also when it refused the call)
   * @param cap the most one call may cost: the single-query cap, or the bucket if smaller
   * @return the size to use next
   */
  public synchronized int observe(int n, double requestedCost, double cap) {
    if (n <= 0 || !(requestedCost > 0)) {
      return size;
    }
    observedSize = n;
    observedCost = requestedCost;
    int next = (int) Math.floor(n * cap / requestedCost);
    if (requestedCost > cap && next >= n) {
      next = n - 1;
    }
    size = Math.max(1, Math.min(max, next));
    return size;
  }

  /**
   * Estimates the requested cost of a call of {@code n} items from the last observation: an upper
   * bound for {@code n} at least as large as the observed call, the observed cost otherwise.
   *
   * @param n the items
   * @return the estimate, or NaN before any observation
   */
  public synchronized double estimate(int n) {
    if (Double.isNaN(observedCost)) {
      return Double.NaN;
    }
    return n <= observedSize ? observedCost : observedCost * n / observedSize;
  }
}
