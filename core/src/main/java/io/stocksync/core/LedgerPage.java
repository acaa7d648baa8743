package io.stocksync.core;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of a SKU's ledger, newest entry first.
 *
 * @param movements the entries of this page
 * @param nextPageToken pass to {@link Inventory#ledger(Sku, int, String)} for the next page; null
 *     on the last page
 */
public record LedgerPage(List<Movement> movements, @Nullable String nextPageToken) {
  /**
   * Validates and normalises the components.
   *
   * @param movements see the record description
   * @param nextPageToken see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public LedgerPage {
    movements = List.copyOf(movements);
  }

  /**
   * Returns the token of the next page.
   *
   * @return the token, or empty on the last page
   */
  public Optional<String> next() {
    return Optional.ofNullable(nextPageToken);
  }
}
