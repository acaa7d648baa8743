package io.stocksync.core.channel;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a paged channel read.
 *
 * @param <T> the item type
 * @param items the items of this page
 * @param nextPageToken the token for the next page, or null on the last page
 */
public record Page<T>(List<T> items, @Nullable String nextPageToken) {
  /**
   * Validates and normalises the components.
   *
   * @param items see the record description
   * @param nextPageToken see the record description
   */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * Tells whether another page follows.
   *
   * @return true when {@code nextPageToken} is set
   */
  public boolean hasNext() {
    return nextPageToken != null;
  }
}
