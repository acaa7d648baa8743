package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.VirtualScheduler;
import io.stocksync.testkit.shopify.CostModel;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hard refresh of 20,000 variants at 2 locations against a 2,000-point bucket restoring 100
 * points per second. Time is the emulator's clock (virtual), not wall time.
 */
class ShopifyHardRefreshTest {
  static final int VARIANTS = 20_000;

  static List<CostModel> models() {
    return List.of(CostModel.documented(), CostModel.linear());
  }

  @ParameterizedTest
  @MethodSource("models")
  void hardRefresh_of20000VariantsAtTwoLocations_neverHitsThrottled_andUsesTheBudget(CostModel model) {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
    VirtualScheduler scheduler = new VirtualScheduler(clock);
    try (ShopifyEmulator shop = ShopifyEmulator.builder().shopDomain("big.myshopify.com")
        .accessToken("t").clock(clock).bucket(2000, 100).costModel(model).build().start()) {
      String l1 = shop.addLocation("East");
      String l2 = shop.addLocation("West");
      List<VariantIds> variants = shop.seedCatalogue(VARIANTS, List.of(l1, l2), 5, "SKU-");
      StockSync hub = StockSync.builder().clock(clock).scheduler(scheduler).build();
      hub.inventory().defineWarehouse(Warehouse.of("main", "Main"));
      List<InventoryOperation> counts = new ArrayList<>();
      for (int i = 1; i <= VARIANTS; i++) {
        Sku sku = Sku.of(String.format("SKU-%06d", i));
        hub.inventory().defineProduct(new Product(sku, "", List.of()));
        counts.add(new InventoryOperation.Stocktake(sku, "main", 5, "seed", null));
      }
      hub.inventory().applyAll(counts);
      StoreId id = hub.connect(ShopifyConnector.builder().shopDomain("big.myshopify.com")
          .accessToken("t").baseUrl(shop.url()).clock(clock).build(), StoreOptions.DEFAULT).store();
      Instant importStart = clock.instant();
      for (int minute = 0; minute < 120 && hub.status(id).listings() < VARIANTS; minute++) {
        scheduler.advance(Duration.ofMinutes(1)); // listing sync, paced
      }
      assertThat(hub.status(id).listings()).isEqualTo(VARIANTS);
      System.out.printf("listing import (%s): %d variants in about %d min emulator time, %d THROTTLED%n",
          model, VARIANTS, Duration.between(importStart, clock.instant()).toMinutes(),
          shop.throttledCount());
      hub.turnOnSync(hub.prepareTurnOnSync(id, TurnOnSyncChoices.builder()
          .location(l1, LocationChoice.existing("main"))
          .location(l2, LocationChoice.existing("main")).build()));
      scheduler.advance(Duration.ofMinutes(1));
      hub.inventory().applyAll(List.of(new InventoryOperation.Adjust(Sku.of("SKU-000001"), "main", 1, "", null)));
      scheduler.advance(Duration.ofMinutes(1));
      long pushesBefore = hub.status(id).pushesConfirmed();
      scheduler.advance(Duration.ofMinutes(10)); // let the bucket fill up again

      Instant start = clock.instant();
      long spentBefore = shop.pointsSpent();
      hub.hardRefreshInventory(id);
      while (hub.status(id).pendingPushes() > 0) {
        scheduler.advance(Duration.ofSeconds(1));
      }
      double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;

      long pushed = hub.status(id).pushesConfirmed() - pushesBefore;
      long points = shop.pointsSpent() - spentBefore;
      // The bound the cost model implies: the bucket starts full (2,000) and restores 100/s, so
      // spending these points takes at least (points - 2,000) / 100 s; the scheduler's 1 s step
      // is the finest time this test can observe.
      double floor = Math.max(1, Math.ceil((points - 2000) / 100.0));
      double ratio = floor / Math.max(seconds, floor);
      System.out.printf("hard refresh (%s): %d quantities in %.0f s emulator time, %d points,"
          + " bound %.0f s, ratio %.3f, %.1f quantities/s, %d THROTTLED%n", model, pushed, seconds,
          points, floor, ratio, pushed / seconds, shop.throttledCount());

      assertThat(pushed).isEqualTo(2L * VARIANTS);
      assertThat(shop.throttledCount()).isZero();
      assertThat(ratio).isGreaterThanOrEqualTo(0.9);
      assertThat(shop.available(variants.get(7).inventoryItemId(), l2)).isEqualTo(5);
      hub.close();
    }
  }
}
