package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An order as the channel reports it, in its current state. The engine compares it with what it
 * applied before and books, releases, fulfils and restocks only the differences.
 *
 * @param orderId the order's id on the channel
 * @param version changes whenever the order changes (an update timestamp or revision)
 * @param createdAt when the order was placed; orders placed before sync was turned on are ignored
 * @param updatedAt when the order last changed
 * @param cancelled whether the whole order is cancelled
 * @param locationId the store location that fulfils it, or null when the channel does not say
 * @param lines the order's lines
 */
public record ChannelOrder(
    String orderId,
    String version,
    Instant createdAt,
    Instant updatedAt,
    boolean cancelled,
    @Nullable String locationId,
    List<ChannelOrderLine> lines) {
  /**
   * Validates and normalises the components.
   *
   * @param orderId see the record description
   * @param version see the record description
   * @param createdAt see the record description
   * @param updatedAt see the record description
   * @param cancelled see the record description
   * @param locationId see the record description
   * @param lines see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public ChannelOrder {
    Checks.notBlank(orderId, "orderId", 255);
    Checks.notBlank(version, "version", 255);
    Checks.notNull(createdAt, "createdAt");
    Checks.notNull(updatedAt, "updatedAt");
    lines = List.copyOf(Checks.notNull(lines, "lines"));
  }
}
