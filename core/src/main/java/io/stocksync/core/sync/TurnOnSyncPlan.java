package io.stocksync.core.sync;

import io.stocksync.core.LocationMapping;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.internal.Ordered;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The preview of turning sync on for a store: what was found, how locations would be mapped,
 * what would be copied and what confirming would push. Produced by {@link
 * StockSync#prepareTurnOnSync}, applied unchanged by {@link StockSync#turnOnSync}.
 *
 * @param store the store
 * @param choices the choices the plan was made from
 * @param preparedAt when the preview was made
 * @param listings listings found on the store
 * @param skus distinct SKUs among them
 * @param duplicateSkus SKUs carried by more than one listing of the store
 * @param conflicts duplicate-SKU groups whose store quantities disagree (only when copying)
 * @param newWarehouses warehouses that would be created
 * @param mappings the resulting location mappings; locations not listed stay unlinked
 * @param copies quantities that would be copied into the hub (only when copying)
 * @param pushes what confirming would push, decreases first
 * @param awaitingStock SKUs whose listings would not be pushed because their stock is not set
 * @param listingFingerprint identifies the listing state the plan was made from
 */
public record TurnOnSyncPlan(
    StoreId store,
    TurnOnSyncChoices choices,
    Instant preparedAt,
    int listings,
    int skus,
    Set<Sku> duplicateSkus,
    List<SyncEvent.CopyConflict> conflicts,
    List<Warehouse> newWarehouses,
    List<LocationMapping> mappings,
    List<Copy> copies,
    List<PlannedPush> pushes,
    Set<Sku> awaitingStock,
    String listingFingerprint) {

  /**
   * Validates and normalises the components.
   *
   * @param store see the record description
   * @param choices see the record description
   * @param preparedAt see the record description
   * @param listings see the record description
   * @param skus see the record description
   * @param duplicateSkus see the record description
   * @param conflicts see the record description
   * @param newWarehouses see the record description
   * @param mappings see the record description
   * @param copies see the record description
   * @param pushes see the record description
   * @param awaitingStock see the record description
   * @param listingFingerprint see the record description
   */
  public TurnOnSyncPlan {
    // Ordered copies: events are emitted in their order, which must not vary from run to run.
    duplicateSkus = Ordered.setCopy(duplicateSkus);
    conflicts = List.copyOf(conflicts);
    newWarehouses = List.copyOf(newWarehouses);
    mappings = List.copyOf(mappings);
    copies = List.copyOf(copies);
    pushes = List.copyOf(pushes);
    awaitingStock = Ordered.setCopy(awaitingStock);
  }

  /**
   * One quantity copied from the store into a warehouse.
   *
   * @param sku the SKU
   * @param warehouseId the warehouse
   * @param locationId the store location it comes from
   * @param quantity the store's figure, which becomes the warehouse's available quantity
   */
  public record Copy(Sku sku, String warehouseId, String locationId, long quantity) {}

  /**
   * Returns a short human-readable summary, for logs and consoles.
   *
   * @return the summary
   */
  public String summary() {
    return store + ": " + listings + " listings, " + skus + " SKUs, " + duplicateSkus.size()
        + " duplicate SKUs (" + conflicts.size() + " disagreeing), " + mappings.size()
        + " linked locations, " + newWarehouses.size() + " new warehouses, " + copies.size()
        + " copies, " + pushes.size() + " pushes, " + awaitingStock.size() + " awaiting stock";
  }
}
