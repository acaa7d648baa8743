package io.stocksync.core.channel;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which listings to read.
 *
 * @param changedSince only listings updated at or after this instant; null for all
 * @param includeDrafts whether draft listings are wanted
 * @param pageToken null for the first page, else the previous page's token
 */
public record ListingQuery(
    @Nullable Instant changedSince, boolean includeDrafts, @Nullable String pageToken) {
  /**
   * Returns the query for the next page.
   *
   * @param token the previous page's next-page token
   * @return the query
   */
  public ListingQuery next(String token) {
    return new ListingQuery(changedSince, includeDrafts, token);
  }
}
