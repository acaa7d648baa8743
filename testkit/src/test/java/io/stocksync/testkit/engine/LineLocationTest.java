package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Product;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A line that says where its units are reserved ({@link ChannelOrderLine#locationId()}) books
 * there, moves its open booking when that changes, and ships from where it is booked.
 */
class LineLocationTest extends EngineTestSupport {
  InMemoryChannel shop;
  Instant created;
  int version;

  @BeforeEach
  void twoLocations() {
    hub.inventory().defineWarehouse(Warehouse.of("east", "East"));
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    hub.inventory().adjust(APPLE, "east", 10, "");
    shop = InMemoryChannel.builder(StoreId.of("memory", "s")).clock(clock)
        .location("hq", "HQ").location("east", "East").build();
    shop.addListing("l", "APPLE", ListingStatus.ACTIVE, Map.of("hq", 10L, "east", 10L));
    hub.connect(shop, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(shop.storeId(), TurnOnSyncChoices.builder()
        .location("hq", LocationChoice.existing("main"))
        .location("east", LocationChoice.existing("east")).build()));
    settle();
    created = clock.instant().plusSeconds(1);
  }

  void order(ChannelOrderLine... lines) {
    clock.advance(Duration.ofSeconds(5));
    shop.importOrder(new ChannelOrder("o", "v" + ++version, created, clock.instant(), false, null,
        List.of(lines)));
    hub.syncNow(shop.storeId());
    settle();
  }

  StockLevel level(String warehouse) {
    return hub.inventory().stockLevel(APPLE, warehouse);
  }

  @Test
  void lineLocation_winsOverTheStoresDefault() {
    order(new ChannelOrderLine("l1", "APPLE", 3, 0, 0, 0, "east"));

    assertThat(level("east").booked()).isEqualTo(3);
    assertThat(level("main").booked()).isZero();
  }

  @Test
  void lineWithoutLocation_booksTheDefault_thenMovesWhenItsLocationAppears() {
    order(new ChannelOrderLine("l1", "APPLE", 3, 0, 0, 0));
    assertThat(level("main").booked()).isEqualTo(3);

    order(new ChannelOrderLine("l1", "APPLE", 3, 0, 0, 0, "east"));

    assertThat(level("main").booked()).isZero();
    assertThat(level("east").booked()).isEqualTo(3);
    assertThat(level("main").inStock() + level("east").inStock()).isEqualTo(20);
  }

  @Test
  void movedLine_shipsFromTheNewWarehouse_andKeepsWhatShippedBeforeWhereItShipped() {
    order(new ChannelOrderLine("l1", "APPLE", 5, 1, 0, 0, "hq"));
    assertThat(level("main")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(9L, 4L);

    order(new ChannelOrderLine("l1", "APPLE", 5, 1, 0, 0, "east"));
    order(new ChannelOrderLine("l1", "APPLE", 5, 3, 0, 0, "east"));

    assertThat(level("main")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(9L, 0L);
    assertThat(level("east")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(8L, 2L);
  }

  @Test
  void movedLine_withoutStockAtTheNewWarehouse_isReportedAsOversold() {
    hub.inventory().adjust(APPLE, "east", -9, "");
    order(new ChannelOrderLine("l1", "APPLE", 3, 0, 0, 0, "hq"));

    order(new ChannelOrderLine("l1", "APPLE", 3, 0, 0, 0, "east"));

    assertThat(level("east").booked()).isEqualTo(3);
    assertThat(level("main").booked()).isZero();
    assertThat(events(SyncEvent.Oversell.class)).hasSize(1);
  }

  /**
   * A line split over two locations arrives as one line per location; units moving between the
   * parts, shipped, cancelled and returned add up to the whole line.
   */
  @Test
  void splitLine_partsBookShipCancelAndRestockWhereTheirUnitsAre() {
    order(new ChannelOrderLine("l1", "APPLE", 6, 0, 0, 0));
    order(new ChannelOrderLine("l1", "APPLE", 4, 0, 0, 0, "hq"),
        new ChannelOrderLine("l1@east", "APPLE", 2, 0, 0, 0, "east"));
    assertThat(level("main").booked()).isEqualTo(4);
    assertThat(level("east").booked()).isEqualTo(2);

    // Two ship from east, one hq unit is cancelled, one of the shipped east units comes back.
    order(new ChannelOrderLine("l1", "APPLE", 4, 0, 1, 0, "hq"),
        new ChannelOrderLine("l1@east", "APPLE", 2, 2, 0, 1, "east"));

    assertThat(level("main")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(10L, 3L);
    assertThat(level("east")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(9L, 0L);

    // The rest at hq is moved to east: the split part at hq vanishes into the east one.
    order(new ChannelOrderLine("l1@east", "APPLE", 5, 2, 0, 1, "east"));

    assertThat(level("main")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(10L, 0L);
    assertThat(level("east")).extracting(StockLevel::inStock, StockLevel::booked)
        .containsExactly(9L, 3L);
    assertThat(events(SyncEvent.Oversell.class)).isEmpty();
  }
}
