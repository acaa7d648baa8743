package io.stocksync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InventoryOperation.Book;
import io.stocksync.core.InventoryOperation.ReceivePurchaseOrder;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.sync.StockRules;
import io.stocksync.core.sync.SyncOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9, items 11 to 15: arithmetic that never changes sign, and input refused by name. */
class ArithmeticAndInputTest {
  static final Sku APPLE = Sku.of("APPLE");
  static final long HUGE = 1L << 62;

  Inventory inventory;

  @BeforeEach
  void setUp() {
    inventory = Inventory.create(new InMemoryInventoryStore(),
        Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    inventory.defineWarehouse(Warehouse.of("main", "Main"));
    inventory.defineWarehouse(Warehouse.of("second", "Second"));
    inventory.defineProduct(Product.of("APPLE", "Apple"));
  }

  // ---- item 11 ----

  @Test
  void available_overWarehousesHoldingHugeStock_saturatesInsteadOfWrappingNegative() {
    inventory.adjust(APPLE, "main", HUGE, "");
    inventory.adjust(APPLE, "second", HUGE, "");

    assertThat(inventory.available(APPLE)).isEqualTo(Long.MAX_VALUE);
    assertThat(inventory.available(APPLE, List.of("main", "second"))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shareOfHugeStock_isTheShare_notAnOverflowedZero() {
    StockRules half = StockRules.DEFAULT.withSharePercent(50).withMaxQuantity(Long.MAX_VALUE);

    assertThat(half.apply(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 2);
    assertThat(half.apply(7)).isEqualTo(3);
    assertThat(StockRules.DEFAULT.withSharePercent(33).apply(1001)).isEqualTo(330);
  }

  // ---- item 12 ----

  @Test
  void bookingThatOverflowsBooked_isInvalidInputNamingQuantity_andChangesNothing() {
    inventory.adjust(APPLE, "main", 5, "");
    inventory.apply(new Book(APPLE, "main", Long.MAX_VALUE, "o-1", null));

    assertThatThrownBy(() -> inventory.apply(new Book(APPLE, "main", 1, "o-2", null)))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("quantity"));
    assertThat(inventory.stockLevel(APPLE, "main").booked()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void adjustByMaxValue_onStockedSku_isInvalidInputNamingDelta_notInsufficientStock() {
    inventory.adjust(APPLE, "main", 5, "");

    assertThatThrownBy(() -> inventory.adjust(APPLE, "main", Long.MAX_VALUE, ""))
        .isExactlyInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("delta"));
    assertThat(inventory.stockLevel(APPLE, "main").inStock()).isEqualTo(5);
  }

  @Test
  void stocktakeThatOverflows_isInvalidInputNamingCounted() {
    // Oversold and shipped: in stock goes negative, so counted - inStock can overflow.
    inventory.adjust(APPLE, "main", 1, "");
    inventory.apply(new Book(APPLE, "main", 3, "o-1", null));
    inventory.apply(new InventoryOperation.Fulfil(APPLE, "main", 3, "o-1", null));

    assertThatThrownBy(() -> inventory.stocktake(APPLE, "main", Long.MAX_VALUE, "count"))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("counted"));
    assertThat(inventory.stockLevel(APPLE, "main").inStock()).isEqualTo(-2);
  }

  @Test
  void purchaseOrderReceiptThatOverflows_isInvalidInputNamingLineQuantity_andChangesNothing() {
    inventory.adjust(APPLE, "main", 5, "");

    assertThatThrownBy(() -> inventory.apply(new ReceivePurchaseOrder("PO-1", "main",
        List.of(new ReceivePurchaseOrder.Line(APPLE, Long.MAX_VALUE)), null)))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("lines.quantity"));
    assertThat(inventory.stockLevel(APPLE, "main").inStock()).isEqualTo(5);
  }

  // ---- item 13 ----

  @Test
  void available_withAWarehouseNamedTwice_countsItOnce() {
    inventory.adjust(APPLE, "main", 7, "");

    assertThat(inventory.available(APPLE, List.of("main", "main"))).isEqualTo(7);
  }

  // ---- item 14 ----

  @Test
  void syncOptions_withAnIntervalTheSchedulerCannotRepresent_isRefusedWhenBuilt() {
    assertThatThrownBy(() -> SyncOptions.builder()
        .orderSyncInterval(Duration.ofDays(365L * 1000)).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("orderSyncInterval"));
    assertThatThrownBy(() -> SyncOptions.builder().orderLookback(ChronoYears.THOUSAND).build())
        .isInstanceOf(InvalidInputException.class);
    assertThat(SyncOptions.builder().orderSyncInterval(SyncOptions.MAX_DURATION).build()
        .orderSyncInterval()).isEqualTo(SyncOptions.MAX_DURATION);
  }

  @Test
  void defaultScheduler_givenADelayBeyondNanoseconds_waitsInsteadOfThrowing() {
    try (io.stocksync.core.sync.ExecutorSyncScheduler s =
        new io.stocksync.core.sync.ExecutorSyncScheduler(1)) {
      assertThat(s.schedule(ChronoYears.THOUSAND, () -> {})).isNotNull();
    }
  }

  private static final class ChronoYears {
    static final Duration THOUSAND = Duration.ofDays(365_250);
  }

  // ---- item 15 ----

  @ParameterizedTest
  @ValueSource(strings = {"A\u0000B", "A\rB", "A\nB", "A\u001bB", "A\u007fB", "A\u2028B"})
  void identifiers_withControlCharacters_areRefusedNamingTheField(String bad) {
    assertThatThrownBy(() -> Sku.of(bad)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo("sku"));
    assertThatThrownBy(() -> Warehouse.of(bad, "")).isInstanceOfSatisfying(
        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("warehouseId"));
    assertThatThrownBy(() -> new ChannelLocation(bad, "x", true, false))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("locationId"));
    assertThatThrownBy(() -> StoreId.of("shopify", bad)).isInstanceOfSatisfying(
        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("externalId"));
    assertThatThrownBy(() -> StoreId.of(bad, "x")).isInstanceOfSatisfying(
        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("channel"));
  }

  @Test
  void refusedIdentifier_messageNamesTheCharacter_notTheValue() {
    assertThatThrownBy(() -> Sku.of("SECRET\nFORGED LOG LINE"))
        .hasMessageContaining("U+000A")
        .hasMessageNotContaining("FORGED");
  }

  @Test
  void warehouseName_isLimitedLikeProductNames_andRefusesControlCharacters() {
    String longName = "n".repeat(Product.MAX_NAME_LENGTH + 1);

    assertThatThrownBy(() -> Warehouse.of("w", longName)).isInstanceOfSatisfying(
        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> Warehouse.of("w", "Main\r\nINFO forged")).isInstanceOfSatisfying(
        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThat(Warehouse.of("w", "n".repeat(Product.MAX_NAME_LENGTH)).name())
        .hasSize(Product.MAX_NAME_LENGTH);
  }
}
