package io.stocksync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.Product;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Channels that queue writes and apply them later ({@code PushResult.Accepted}). */
class AcceptedPushTest extends EngineTestSupport {
  @Test
  void acceptedPush_isNotCountedUntilTheReadShowsIt_thenConfirmed() {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 10, "initial");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.acceptPushes(Duration.ofSeconds(30));

    hub.inventory().adjust(APPLE, "main", 5, "found");
    settle();

    assertThat(a.quantity("l")).as("queued on the channel, not applied yet").isEqualTo(10);
    assertThat(hub.status(a.storeId()).pushesConfirmed()).isZero();
    assertThat(hub.status(a.storeId()).pendingPushes()).isEqualTo(1);

    scheduler.advance(Duration.ofSeconds(30));

    assertThat(a.quantity("l")).isEqualTo(15);
    assertThat(hub.status(a.storeId()).pushesConfirmed()).isEqualTo(1);
    assertThat(hub.status(a.storeId()).pendingPushes()).isZero();
    assertThat(a.pushCount()).as("verified by a read, not pushed again").isEqualTo(1);
  }

  @Test
  void acceptedPush_thatNeverLands_isPushedAgain_andNeverCountedAsConfirmed() {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 10, "initial");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.acceptPushesWithoutApplying(Duration.ofSeconds(30));

    hub.inventory().adjust(APPLE, "main", 5, "found");
    scheduler.advance(Duration.ofMinutes(5));

    assertThat(a.pushCount()).as("re-pushed after the read showed the old figure")
        .isGreaterThanOrEqualTo(2);
    assertThat(hub.status(a.storeId()).pushesConfirmed()).isZero();
    assertThat(a.quantity("l")).isEqualTo(10);

    a.acceptPushes(Duration.ofSeconds(30));
    scheduler.advance(Duration.ofMinutes(10));

    assertThat(a.quantity("l")).isEqualTo(15);
    assertThat(hub.status(a.storeId()).pushesConfirmed()).isEqualTo(1);
    assertThat(events(SyncEvent.PushBatch.class)).isNotEmpty();
  }

  @Test
  void acceptedButUnverifiedPush_isNotConfirmedInTheStore_andIsReDerivedAfterARestart() {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 10, "initial");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.acceptPushesWithoutApplying(Duration.ofSeconds(30));
    hub.inventory().adjust(APPLE, "main", 5, "found");
    settle(); // accepted, not verified yet

    hub.close();
    assertThat(store.read(r -> r.knownQuantity(a.storeId(), "l", "default")).getAsLong())
        .as("the last confirmed figure is still the old one").isEqualTo(10);
    a.confirmPushes();
    hub = newHub(a);
    settle();

    assertThat(a.quantity("l")).isEqualTo(15);
    assertThat(hub.status(a.storeId()).pushesConfirmed()).isEqualTo(1);
  }

  @Test
  void acceptedPush_aLowerFigureMeanwhile_isSentAtOnce_notAfterTheVerificationRead() {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 10, "initial");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.acceptPushes(Duration.ofMinutes(5));
    hub.inventory().adjust(APPLE, "main", 5, "found");
    settle(); // 15 accepted, read back in 5 minutes

    hub.inventory().adjust(APPLE, "main", -13, "damaged");
    settle();

    assertThat(a.pushCount()).as("the lower figure did not wait for the read of 15")
        .isEqualTo(2);
    assertThat(a.pushedItems().get(a.pushedItems().size() - 1).quantity()).isEqualTo(2);

    scheduler.advance(Duration.ofMinutes(6));

    assertThat(a.quantity("l")).isEqualTo(2);
    assertThat(hub.status(a.storeId()).pendingPushes()).isZero();
    assertThat(a.pushCount()).as("the overtaken figure is not pushed again").isEqualTo(2);
  }

  @Test
  void acceptedPush_aHigherFigureMeanwhile_waitsForTheVerificationRead() {
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    hub.inventory().adjust(APPLE, "main", 10, "initial");
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 10);
    connectAndSync(a, false);
    a.acceptPushes(Duration.ofMinutes(5));
    hub.inventory().adjust(APPLE, "main", -4, "damaged");
    settle(); // 6 accepted

    hub.inventory().adjust(APPLE, "main", 3, "found");
    settle();

    assertThat(a.pushCount()).as("9 waits behind the accepted 6").isEqualTo(1);

    scheduler.advance(Duration.ofMinutes(12));

    assertThat(a.quantity("l")).isEqualTo(9);
    assertThat(hub.status(a.storeId()).pendingPushes()).isZero();
  }

  @Test
  void acceptedIncrease_thenBackToTheConfirmedFigure_theLowerFigureStillOvertakesIt() {
    // Amazon: a cancellation puts the last unit back (1 accepted, lands in 2 minutes), then it
    // sells elsewhere. 0 is what the store last confirmed, but the accepted 1 is on its way and
    // would be left showing: 0 must be sent, not judged "already there".
    hub.inventory().defineProduct(Product.of("APPLE", "Apple"));
    InMemoryChannel a = channel("a");
    a.addListing("l", "APPLE", 0);
    connectAndSync(a, false);
    a.acceptPushes(Duration.ofMinutes(2));
    hub.inventory().adjust(APPLE, "main", 1, "cancelled elsewhere");
    settle(); // 1 accepted

    hub.inventory().adjust(APPLE, "main", -1, "sold elsewhere");
    settle();

    assertThat(a.pushCount()).as("0 overtakes the accepted 1").isEqualTo(2);
    scheduler.advance(Duration.ofMinutes(3));
    assertThat(a.quantity("l")).isZero();
    assertThat(hub.status(a.storeId()).pendingPushes()).isZero();
  }
}
