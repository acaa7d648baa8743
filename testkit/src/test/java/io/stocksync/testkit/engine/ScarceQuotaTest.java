package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.RequestBudget;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A store whose channel rations requests (a daily quota such as Etsy's, or a wait it asks for
 * one item): what the engine holds back, what it never holds back, and that it loses nothing.
 */
class ScarceQuotaTest extends EngineTestSupport {
  static final Sku PEAR = Sku.of("PEAR");

  HookedConnector store() {
    InMemoryChannel channel = InMemoryChannel.builder(StoreId.of("memory", "quota")).clock(clock)
        .build();
    for (Sku sku : List.of(APPLE, PEAR)) {
      hub.inventory().defineProduct(Product.of(sku.value(), ""));
      hub.inventory().adjust(sku, "main", 20, "");
      channel.addListing("l-" + sku.value(), sku.value(), 20);
    }
    HookedConnector c = new HookedConnector(channel);
    hub.connect(c, StoreOptions.DEFAULT);
    scheduler.runDue();
    hub.turnOnSync(hub.prepareTurnOnSync(c.storeId(), TurnOnSyncChoices.builder()
        .copyInventory(false).location("default", LocationChoice.existing("main")).build()));
    scheduler.runDue();
    return c;
  }

  static boolean isApple(PushItem item) {
    return item.ref().inventoryRef().contains("APPLE");
  }

  @Test
  void anItemTheChannelAsksToWait_waitsAlone_whileTheRestOfTheStoreGoesOn() {
    HookedConnector c = store();
    c.holdItem = ScarceQuotaTest::isApple; // e.g. an increase Etsy keeps back for its reserve
    hub.inventory().adjust(APPLE, "main", 5, "delivery");
    hub.inventory().adjust(PEAR, "main", -1, "broken");
    settle();
    assertThat(c.channel.quantity("l-PEAR")).isEqualTo(19);
    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(20);

    // A minute later the pear sells out: it must not wait behind the apple's 15 minutes.
    clock.advance(Duration.ofMinutes(1));
    hub.inventory().adjust(PEAR, "main", -19, "sold at the market");
    settle();
    assertThat(c.channel.quantity("l-PEAR")).isZero();

    c.holdItem = item -> false;
    scheduler.advance(Duration.ofMinutes(15));
    assertThat(c.channel.quantity("l-APPLE")).as("held, not dropped").isEqualTo(25);
  }

  @Test
  void whenTheChannelTakesNothingAndAsksEveryItemToWait_theWholeStoreWaits() {
    HookedConnector c = store();
    c.holdItem = item -> true;
    c.holdFor = Duration.ofMinutes(2);
    hub.inventory().adjust(APPLE, "main", -1, "");
    settle();
    int calls = c.channel.pushCount();

    c.holdItem = item -> false;
    hub.inventory().adjust(PEAR, "main", -20, "");
    scheduler.advance(Duration.ofSeconds(90));
    assertThat(c.channel.pushCount()).as("paused").isEqualTo(calls);
    assertThat(c.channel.quantity("l-PEAR")).isEqualTo(20);

    scheduler.advance(Duration.ofSeconds(60));
    assertThat(c.channel.quantity("l-PEAR")).isZero();
    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(19);
  }

  @Test
  void withADailyQuota_aComfortableFigureWaitsForCompany_andASellOutTakesItAlongAtOnce() {
    HookedConnector c = store();
    c.budget = new RequestBudget(4_000, 10_000, 1_000);
    int calls = c.channel.pushCount();
    hub.inventory().adjust(APPLE, "main", -1, "sold");
    settle();
    assertThat(c.channel.quantity("l-APPLE")).as("19 is comfortable: it waits").isEqualTo(20);

    hub.inventory().adjust(PEAR, "main", -20, "sold out");
    settle();

    assertThat(c.channel.quantity("l-PEAR")).isZero();
    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(19);
    assertThat(c.channel.pushCount()).as("one call carried both").isEqualTo(calls + 1);
  }

  @Test
  void atTheReserve_anIncreaseWaitsForTheQuotaToRefill_thenGoes() {
    HookedConnector c = store();
    c.budget = new RequestBudget(500, 10_000, 1_000);
    hub.inventory().adjust(APPLE, "main", 10, "delivery");
    scheduler.advance(Duration.ofHours(1));
    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(20);

    c.budget = new RequestBudget(6_000, 10_000, 1_000);
    scheduler.advance(Duration.ofMinutes(6));
    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(30);
  }

  @Test
  void withADailyQuota_aStoreSaleIsCheckedByThePushItCausesAnyway_notByAReadOfItsOwn() {
    HookedConnector c = store();
    c.budget = new RequestBudget(9_000, 10_000, 1_000);
    c.reads.set(0);
    int calls = c.channel.pushCount();

    c.channel.placeOrder("APPLE", 1); // the store shows 19 now
    hub.syncNow(c.storeId());
    settle();

    assertThat(c.reads).as("no re-read of its own").hasValue(0);
    assertThat(c.channel.pushCount()).as("the push of 19 answered what the store shows")
        .isGreaterThan(calls);
    assertThat(hub.inventory().stockLevel(APPLE, "main")).extracting(StockLevel::available)
        .isEqualTo(19L);
    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(19);
    assertThat(c.channel.quantity("l-PEAR")).isEqualTo(20);
  }

  @Test
  void withADailyQuota_aSaleAndCancelNettingToNothingInTheHub_isStillReadAndBroughtBackUp() {
    HookedConnector c = store();
    c.budget = new RequestBudget(9_000, 10_000, 1_000);
    String order = c.channel.placeOrder("APPLE", 1);
    c.channel.cancel(order); // the store does not put the unit back
    hub.syncNow(c.storeId());
    settle();

    assertThat(hub.inventory().stockLevel(APPLE, "main")).extracting(StockLevel::available)
        .isEqualTo(20L);
    assertThat(c.channel.quantity("l-APPLE")).as("nothing was planned: the figure is read")
        .isEqualTo(20);
  }

  @Test
  void withADailyQuota_aHeldPushStandingInForTheReRead_isSentEvenIfTheHubComesBackToTheOldFigure() {
    HookedConnector c = store();
    c.budget = new RequestBudget(4_000, 10_000, 1_000); // comfortable figures wait 2 minutes
    c.channel.placeOrder("APPLE", 1); // the store shows 19
    hub.syncNow(c.storeId());
    settle();
    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(19);

    // A unit comes in: the hub wants 20 again, which is the figure it last confirmed; only the
    // held push knows the store moved.
    hub.inventory().adjust(APPLE, "main", 1, "found one");
    scheduler.advance(Duration.ofMinutes(10));

    assertThat(c.channel.quantity("l-APPLE")).isEqualTo(20);
  }

  @Test
  void underBudgetPressure_orderEventsSecondsApart_shareOneOrderRead_whileAQuietStoreReadsAtOnce() {
    HookedConnector c = store();
    c.budget = new RequestBudget(4_000, 10_000, 1_000); // under pressure: pushes are held
    hub.inventory().adjust(PEAR, "main", -1, "broken"); // a push step sees the pressure
    settle();
    int reads = c.orderSearches.get();

    c.channel.placeOrder("APPLE", 1);
    hub.handle(c.storeId(), new ChannelEvent.OrdersChanged());
    scheduler.advance(Duration.ofSeconds(2));
    c.channel.placeOrder("APPLE", 1);
    hub.handle(c.storeId(), new ChannelEvent.OrdersChanged());
    assertThat(c.orderSearches.get()).as("waiting for company").isEqualTo(reads);
    settle();

    assertThat(c.orderSearches.get()).as("one read for both events").isEqualTo(reads + 1);
    assertThat(hub.inventory().stockLevel(APPLE, "main")).extracting(StockLevel::available)
        .isEqualTo(18L);

    c.budget = null; // a store without a scarce quota
    hub.inventory().adjust(PEAR, "main", -1, "broken");
    settle();
    int before = c.orderSearches.get();
    c.channel.placeOrder("APPLE", 1);
    hub.handle(c.storeId(), new ChannelEvent.OrdersChanged());
    scheduler.runDue();
    assertThat(c.orderSearches.get()).as("at once").isEqualTo(before + 1);
  }
}
