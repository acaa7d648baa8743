package io.stocksync.core.sync;

import io.stocksync.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers of the turn-on-sync workflow: copy inventory or not, and what to do with each
 * location. Locations not mentioned get the proposal: active locations a new warehouse each (or
 * the warehouses they were linked to before), read-only locations a new warehouse with the STORE
 * as master, inactive locations nothing.
 *
 * @param copyInventory true to copy the store's quantities into the linked warehouses (the
 *     store's numbers win); false to keep the hub's numbers and push them
 * @param locations choices per store location id
 */
public record TurnOnSyncChoices(boolean copyInventory, Map<String, LocationChoice> locations) {
  /** Don't copy; proposed mappings for every location. */
  public static final TurnOnSyncChoices PROPOSED = builder().build();

  /**
   * Validates and normalises the components.
   *
   * @param copyInventory see the record description
   * @param locations see the record description
   * @throws io.stocksync.core.InvalidInputException if the map is null
   */
  public TurnOnSyncChoices {
    locations = Map.copyOf(Checks.notNull(locations, "locations"));
  }

  /**
   * Starts a builder: don't copy, proposed mappings.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link TurnOnSyncChoices}. Not thread-safe. */
  public static final class Builder {
    private boolean copyInventory;
    private final Map<String, LocationChoice> locations = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets whether to copy the store's quantities into the hub.
     *
     * @param copy true to copy
     * @return this builder
     */
    public Builder copyInventory(boolean copy) {
      this.copyInventory = copy;
      return this;
    }

    /**
     * Sets the choice for one location.
     *
     * @param locationId the store location's id
     * @param choice what to do with it
     * @return this builder
     * @throws io.stocksync.core.InvalidInputException if either is null
     */
    public Builder location(String locationId, LocationChoice choice) {
      locations.put(Checks.notNull(locationId, "locationId"), Checks.notNull(choice, "choice"));
      return this;
    }

    /**
     * Builds the choices.
     *
     * @return the choices
     */
    public TurnOnSyncChoices build() {
      return new TurnOnSyncChoices(copyInventory, locations);
    }
  }
}
