package io.stocksync.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stocksync.core.ChannelException;
import io.stocksync.core.CredentialsException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.testkit.ChannelConnectorContract;
import io.stocksync.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CornerShopConnector} held to the contract every connector passes, plus the rules the
 * contract cannot see from outside: secrets stay out of messages, and per-item problems are
 * results.
 */
class CornerShopConnectorContractTest extends ChannelConnectorContract {
  private static final String KEY = "ck_live_contract_secret";

  @Override
  protected Fixture newFixture() {
    return new PosFixture();
  }

  /** The backend is the POS's shop-floor API: seed items, ring up sales, read the shelf. */
  static final class PosFixture implements Fixture {
    final ManualClock clock = ManualClock.startingAtEpochOf2026();
    final CornerShopPos pos = new CornerShopPos("Contract Corner Shop", KEY, clock);
    final CornerShopConnector connector = new CornerShopConnector(pos, "contract", KEY, clock);

    @Override
    public ChannelConnector connector() {
      return connector;
    }

    @Override
    public String seedListing(String sku, long quantity) {
      String id = pos.addItem(sku, "Item " + sku, quantity);
      clock.advance(Duration.ofMillis(1));
      return id;
    }

    @Override
    public void seedListingWithoutSku() {
      pos.addItem(null, "Bag of sweets", 4);
    }

    @Override
    public String placeOrder(String sku, long quantity) {
      return pos.ringUp(sku, quantity);
    }

    @Override
    public long storeQuantity(StockRef ref) {
      return pos.onShelf(ref.inventoryRef());
    }

    @Override
    public int listingsForPaging() {
      return 140; // the connector reads pages of 50: three pages
    }

    @Override
    public void failNextPushRetryably() {
      pos.failNextStockUpdates(1, 503);
    }

    @Override
    public void advanceTime(Duration duration) {
      clock.advance(duration);
    }

    @Override
    public void close() {
      connector.close();
    }
  }

  @Test
  void aWrongKeyIsACredentialsFailure_andTheKeyIsNeverInTheMessage() {
    PosFixture fixture = new PosFixture();
    CornerShopConnector wrong =
        new CornerShopConnector(fixture.pos, "contract", "ck_live_wrong_secret", fixture.clock);

    Throwable thrown = catchThrowable(wrong::identity);

    assertThat(thrown).isInstanceOf(CredentialsException.class).hasNoCause();
    assertThat(thrown.getMessage()).contains("401").doesNotContain("ck_live_wrong_secret");
    assertThat(wrong.toString()).doesNotContain("ck_live");
  }

  @Test
  void aBadRequestIsAChannelException() {
    PosFixture fixture = new PosFixture();
    fixture.pos.failNext(1, 400);

    assertThat(catchThrowable(() -> fixture.connector.readQuantities(
        List.of(new StockRef("item-000001", CornerShopConnector.LOCATION_ID)))))
        .isExactlyInstanceOf(ChannelException.class);
  }

  @Test
  void perItemProblemsAreResults_inOrder() {
    PosFixture fixture = new PosFixture();
    String mug = fixture.seedListing("MUG", 5);
    String wrap = fixture.pos.addUntrackedItem("WRAP", "Gift wrapping");

    List<PushResult> results = fixture.connector.push(List.of(
        new PushItem(new StockRef(mug, CornerShopConnector.LOCATION_ID), 7, 5L, "k1"),
        new PushItem(new StockRef(wrap, CornerShopConnector.LOCATION_ID), 1, null, "k2"),
        new PushItem(new StockRef("item-999999", CornerShopConnector.LOCATION_ID), 1, null, "k3"),
        new PushItem(new StockRef(mug, "back-room"), 1, null, "k4")));

    assertThat(results).hasSize(4);
    assertThat(results.get(0)).isEqualTo(new PushResult.Confirmed(7));
    assertThat(results.subList(1, 4)).allSatisfy(r -> assertThat(r).isInstanceOf(PushResult.Rejected.class));
  }

  @Test
  void aRetriedChangeIsAnsweredAgain_notAppliedTwice() {
    PosFixture fixture = new PosFixture();
    String mug = fixture.seedListing("MUG", 5);
    StockRef ref = new StockRef(mug, CornerShopConnector.LOCATION_ID);
    PushItem item = new PushItem(ref, 9, 5L, "same-change");
    fixture.connector.push(List.of(item));
    fixture.pos.ringUp("MUG", 1); // a sale after the first (lost) answer

    List<PushResult> retried = fixture.connector.push(List.of(item));

    assertThat(retried).containsExactly(new PushResult.Confirmed(9));
    assertThat(fixture.pos.onShelf(mug)).as("the sale is not overwritten").isEqualTo(8);
  }

  @Test
  void untrackedItemsHaveNoFigure() {
    PosFixture fixture = new PosFixture();
    String wrap = fixture.pos.addUntrackedItem("WRAP", "Gift wrapping");
    StockRef ref = new StockRef(wrap, CornerShopConnector.LOCATION_ID);

    assertThat(fixture.connector.readQuantities(List.of(ref))).isEqualTo(Map.of());
  }
}
