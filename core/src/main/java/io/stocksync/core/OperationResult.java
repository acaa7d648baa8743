package io.stocksync.core;

import java.util.List;

/**
 * What applying an {@link InventoryOperation} did.
 *
 * @param movements the ledger entries written; empty for a replay
 * @param replayed true when the operation id had already been applied, so nothing changed
 */
public record OperationResult(List<Movement> movements, boolean replayed) {
  /**
   * Validates and normalises the components.
   *
   * @param movements see the record description
   * @param replayed see the record description
   * @throws io.stocksync.core.InvalidInputException if a component is invalid
   */
  public OperationResult {
    movements = List.copyOf(movements);
  }
}
