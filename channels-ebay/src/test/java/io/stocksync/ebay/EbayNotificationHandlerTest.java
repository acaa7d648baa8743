package io.stocksync.ebay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.RetryLaterException;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.ebay.EbayEmulator;
import io.stocksync.testkit.ebay.Fault;
import io.stocksync.testkit.ebay.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Notification API messages signed by the emulator, verified with the key it serves. */
class EbayNotificationHandlerTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final EbayEmulator ebay = EbayEmulator.builder().clock(clock).sellerId("seller")
      .accessToken("t").tokenLifetime(Duration.ofDays(2)).build().start();
  final EbayConnector connector = EbayConnector.builder().sellerId("seller").accessToken("t")
      .baseUrl(ebay.url()).clock(clock).build();
  final List<ChannelEvent> events = new ArrayList<>();
  final List<StoreId> stores = new ArrayList<>();
  final EbayNotificationHandler handler = connector.notificationHandler((store, event) -> {
    stores.add(store);
    events.add(event);
  });

  @AfterEach
  void tearDown() {
    connector.close();
    ebay.close();
  }

  Notification sale() {
    ebay.addInventoryItem("MUG-" + events.size() + "-" + clock.millis(), "Mug", 5, true);
    String sku = "MUG-" + events.size() + "-" + clock.millis();
    ebay.sell(sku, 1);
    return ebay.takeNotifications().get(0);
  }

  EbayNotificationHandler.Outcome deliver(String signature, byte[] body) {
    return handler.handle(h -> h.equalsIgnoreCase("X-EBAY-SIGNATURE") ? signature : null, body);
  }

  @Test
  void orderConfirmation_withAValidSignature_namesItsOrder_once() {
    Notification n = sale();
    String orderId = new String(n.body(), java.nio.charset.StandardCharsets.UTF_8)
        .replaceAll(".*\"orderId\":\"([^\"]+)\".*", "$1");

    assertThat(deliver(n.signatureHeader(), n.body())).isEqualTo(EbayNotificationHandler.Outcome.ACCEPTED);
    assertThat(deliver(n.signatureHeader(), n.body())).isEqualTo(EbayNotificationHandler.Outcome.DUPLICATE);

    assertThat(orderId).matches("\\d{2}-\\d{5}-\\d{5}");
    assertThat(events).containsExactly(new ChannelEvent.OrderChanged(orderId));
    assertThat(stores).containsExactly(connector.storeId());
    assertThat(ebay.calls("getPublicKey")).as("key cached").isEqualTo(1);
  }

  @Test
  void aTamperedBody_aMissingHeader_orGarbage_isRejected_andNothingHappens() {
    Notification n = sale();
    byte[] tampered = new String(n.body(), StandardCharsets.UTF_8).replace("\"publishAttemptCount\":1",
        "\"publishAttemptCount\":2").getBytes(StandardCharsets.UTF_8);

    assertThat(deliver(n.signatureHeader(), tampered)).isEqualTo(EbayNotificationHandler.Outcome.REJECTED_SIGNATURE);
    assertThat(handler.handle(h -> null, n.body())).isEqualTo(EbayNotificationHandler.Outcome.REJECTED_SIGNATURE);
    assertThat(deliver("not base64 at all", n.body())).isEqualTo(EbayNotificationHandler.Outcome.REJECTED_SIGNATURE);
    String unknownKey = Base64.getEncoder().encodeToString(new String(Base64.getDecoder()
        .decode(n.signatureHeader()), StandardCharsets.UTF_8).replace("emulated-ecdsa-key-1", "other-key")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(deliver(unknownKey, n.body())).as("eBay answers 404 for an unknown key id")
        .isEqualTo(EbayNotificationHandler.Outcome.REJECTED_SIGNATURE);
    assertThat(events).isEmpty();
  }

  @Test
  void otherTopics_areVerifiedButIgnored() {
    byte[] body = ("{\"metadata\":{\"topic\":\"ITEM_MARKED_SHIPPED\",\"schemaVersion\":\"1.0\"},"
        + "\"notification\":{\"notificationId\":\"n-1\",\"data\":{}}}").getBytes(StandardCharsets.UTF_8);
    Notification signed = ebay.sign(body);

    assertThat(deliver(signed.signatureHeader(), body)).isEqualTo(EbayNotificationHandler.Outcome.IGNORED);
    assertThat(events).isEmpty();
  }

  @Test
  void whenThePublicKeyCannotBeFetchedNow_theDeliveryIsRetryable_andLaterAccepted() {
    Notification n = sale();
    ebay.failNext(1, Fault.SERVER_ERROR);

    assertThatThrownBy(() -> deliver(n.signatureHeader(), n.body())).isInstanceOf(RetryLaterException.class);
    assertThat(deliver(n.signatureHeader(), n.body())).isEqualTo(EbayNotificationHandler.Outcome.ACCEPTED);
  }
}
