package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;

/**
 * What a channel supports, so the engine can batch, pace and compare-and-set correctly.
 *
 * @param maxBatchSize the most quantities one {@link ChannelConnector#push} may carry, at least 1
 * @param compareAndSet whether pushes honour {@link PushItem#expected()} and answer {@link
 *     PushResult.Stale} when the store's figure differs
 * @param perLocationStock whether the store has several stock locations
 * @param webhooks whether the channel can notify the host of changes (a fast path; polling stays)
 * @param maxRequestsPerSecond a steady request rate the engine should not exceed; 0 for no hint
 */
public record ChannelCapabilities(
    int maxBatchSize,
    boolean compareAndSet,
    boolean perLocationStock,
    boolean webhooks,
    double maxRequestsPerSecond) {
  /**
   * Validates and normalises the components.
   *
   * @param maxBatchSize see the record description
   * @param compareAndSet see the record description
   * @param perLocationStock see the record description
   * @param webhooks see the record description
   * @param maxRequestsPerSecond see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public ChannelCapabilities {
    Checks.require(maxBatchSize >= 1, "maxBatchSize", "must be >= 1: " + maxBatchSize);
    Checks.require(
        maxRequestsPerSecond >= 0 && !Double.isNaN(maxRequestsPerSecond),
        "maxRequestsPerSecond",
        "must be >= 0: " + maxRequestsPerSecond);
  }
}
