package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Product;
import io.stocksync.core.StockLevel;
import io.stocksync.testkit.InMemoryChannel;
import org.junit.jupiter.api.Test;

/**
 * When a store moves its own figure (its sale, a cancel or return it restocks itself), the engine
 * re-reads that store's listings of the SKU after the order sync instead of trusting the figure
 * it last confirmed, so the store converges even when the hub's own figure does not move.
 */
class StoreMovedFigureTest extends EngineTestSupport {
  @Test
  void saleAndCancelReadInOneSync_hubNetsToNoChange_storeIsBroughtBackUp() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);

    // The store takes the unit off its listing on the sale and (like InMemoryChannel, or a
    // Shopify cancel without restock) does not put it back on the cancel.
    String order = a.placeOrder("APPLE", 1);
    a.cancel(order);
    assertThat(a.quantity("l")).isEqualTo(9);
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::available).isEqualTo(10L);
    assertThat(a.quantity("l")).isEqualTo(10);
  }

  @Test
  void cancelRestockedByTheStore_afterHubOversoldAndPushedZero_isPushedBackToZero() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().adjust(APPLE, "main", 1, "");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 1);
    connectAndSync(a, false);

    // The store sells the last unit while the hub loses it elsewhere: the hub is oversold.
    String order = a.placeOrder("APPLE", 1);
    hub.inventory().adjust(APPLE, "main", -1, "broken in the warehouse");
    hub.syncNow(a.storeId());
    settle();
    assertThat(a.quantity("l")).isZero();

    // The buyer cancels and the store (as Etsy, eBay and Amazon do) restocks its listing itself.
    a.cancel(order);
    a.setQuantity("l", "default", 1);
    hub.syncNow(a.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main"))
        .extracting(StockLevel::available).isEqualTo(0L);
    assertThat(a.quantity("l")).as("a unit the hub does not have must not stay for sale")
        .isZero();
  }

  @Test
  void storeSale_isReReadAsTheStoresFigure_soNothingIsPushedThatIsAlreadyThere() {
    hub.inventory().defineProduct(Product.of("APPLE", ""));
    hub.inventory().defineProduct(Product.of("PEAR", ""));
    hub.inventory().adjust(APPLE, "main", 10, "");
    hub.inventory().adjust(io.stocksync.core.Sku.of("PEAR"), "main", 10, "");
    InMemoryChannel a = channel("a");
    a.addListing("apple-1", "APPLE", 10);
    a.addListing("apple-2", "APPLE", 10);
    a.addListing("pear", "PEAR", 10);
    connectAndSync(a, false);

    a.placeOrder("APPLE", 1);
    a.clearPushCalls();
    hub.syncNow(a.storeId());
    settle();

    // The store took the unit from apple-1 only: the re-read shows 9 there (nothing to push) and
    // 10 on apple-2, which alone is pushed, with the re-read figure as the expected one.
    assertThat(a.pushedItems()).extracting(p -> p.ref().inventoryRef(), p -> p.quantity(),
            p -> p.expected())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("apple-2", 9L, 10L));
    assertThat(a.quantity("apple-1")).isEqualTo(9);
    assertThat(a.quantity("apple-2")).isEqualTo(9);
    assertThat(a.quantity("pear")).isEqualTo(10);
  }
}
