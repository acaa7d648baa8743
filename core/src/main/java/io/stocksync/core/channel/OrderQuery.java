package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which orders to read: those updated at or after an instant, one page at a time.
 *
 * @param updatedSince the inclusive lower bound on the orders' update time
 * @param pageToken null for the first page, else the previous page's token
 */
public record OrderQuery(Instant updatedSince, @Nullable String pageToken) {
  /**
   * Validates and normalises the components.
   *
   * @param updatedSince see the record description
   * @param pageToken see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public OrderQuery {
    Checks.notNull(updatedSince, "updatedSince");
  }

  /**
   * Returns the query for the next page.
   *
   * @param token the previous page's next-page token
   * @return the query
   */
  public OrderQuery next(String token) {
    return new OrderQuery(updatedSince, token);
  }
}
