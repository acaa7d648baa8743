package io.stocksync.core;

import java.util.List;

/** A bundle definition would make a bundle contain itself, directly or through other bundles. */
public class BundleCycleException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final List<Sku> path;

  /**
   * Creates the exception.
   *
   * @param path the chain of SKUs that closes the cycle, first and last being the same
   */
  public BundleCycleException(List<Sku> path) {
    super("components", "bundle cycle " + path);
    this.path = List.copyOf(path);
  }

  /**
   * Returns the chain of SKUs that closes the cycle.
   *
   * @return the cycle, first and last element equal
   */
  public List<Sku> path() {
    return path;
  }
}
