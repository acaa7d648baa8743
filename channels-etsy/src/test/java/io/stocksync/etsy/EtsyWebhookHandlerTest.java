package io.stocksync.etsy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.etsy.EtsyEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Standard-Webhooks verification, freshness and dedupe of Etsy's order events. */
class EtsyWebhookHandlerTest {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T08:00:00Z"));
  final EtsyEmulator signer = EtsyEmulator.builder().clock(clock).webhookSecret(SECRET).build();
  final List<ChannelEvent> received = new ArrayList<>();
  final EtsyConnector connector = EtsyConnector.builder().shopId(signer.shopId())
      .apiKey("k", "s").accessToken("1.t").clock(clock).build();
  final EtsyWebhookHandler handler =
      connector.webhookHandler(SECRET, clock, (StoreId store, ChannelEvent e) -> received.add(e));

  byte[] body(String event, long shopId) {
    return ("{\"event_type\":\"" + event + "\",\"resource_url\":\"https://openapi.etsy.com/v3/"
        + "application/shops/" + shopId + "/receipts/1\",\"shop_id\":" + shopId + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  Map<String, String> headers(String id, long ts, byte[] body) {
    Map<String, String> h = new HashMap<>();
    h.put("webhook-id", id);
    h.put("webhook-timestamp", String.valueOf(ts));
    h.put("webhook-signature", signer.sign(id, ts, body));
    return h;
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  @Test
  void signedOrderPaid_triggersAnOrderSync() {
    byte[] body = body("order.paid", signer.shopId());
    assertThat(handler.handle(headers("msg_1", now(), body)::get, body))
        .isEqualTo(EtsyWebhookHandler.Outcome.ACCEPTED);
    assertThat(received).containsExactly(new ChannelEvent.OrdersChanged());
  }

  @Test
  void aSecondSignatureInTheHeader_mayBeTheMatchingOne() {
    byte[] body = body("order.shipped", signer.shopId());
    Map<String, String> h = headers("msg_2", now(), body);
    h.put("webhook-signature", "v1,AAAA " + h.get("webhook-signature"));
    assertThat(handler.handle(h::get, body)).isEqualTo(EtsyWebhookHandler.Outcome.ACCEPTED);
  }

  @Test
  void aTamperedBodyOrAWrongSecret_isRejected_andNothingHappens() {
    byte[] body = body("order.paid", signer.shopId());
    Map<String, String> h = headers("msg_3", now(), body);
    byte[] tampered = body("order.canceled", signer.shopId());
    assertThat(handler.handle(h::get, tampered)).isEqualTo(EtsyWebhookHandler.Outcome.REJECTED_SIGNATURE);
    Map<String, String> missing = new HashMap<>(h);
    missing.remove("webhook-signature");
    assertThat(handler.handle(missing::get, body)).isEqualTo(EtsyWebhookHandler.Outcome.REJECTED_SIGNATURE);
    assertThat(received).isEmpty();
  }

  @Test
  void aStaleTimestamp_isRefused_evenWhenCorrectlySigned() {
    byte[] body = body("order.paid", signer.shopId());
    Map<String, String> h = headers("msg_4", now(), body);
    clock.advance(Duration.ofMinutes(6));
    assertThat(handler.handle(h::get, body)).isEqualTo(EtsyWebhookHandler.Outcome.STALE);
    assertThat(received).isEmpty();
  }

  @Test
  void aRetryWithTheSameWebhookId_isHandledOnce() {
    byte[] body = body("order.paid", signer.shopId());
    assertThat(handler.handle(headers("msg_5", now(), body)::get, body))
        .isEqualTo(EtsyWebhookHandler.Outcome.ACCEPTED);
    clock.advance(Duration.ofSeconds(5));
    assertThat(handler.handle(headers("msg_5", now(), body)::get, body))
        .isEqualTo(EtsyWebhookHandler.Outcome.DUPLICATE);
    assertThat(received).hasSize(1);
  }

  @Test
  void anotherShopsEvent_anUnknownEvent_andAnOversizedBody_doNothing() {
    byte[] other = body("order.paid", 1);
    assertThat(handler.handle(headers("msg_6", now(), other)::get, other))
        .isEqualTo(EtsyWebhookHandler.Outcome.OTHER_SHOP);
    byte[] unknown = body("shop.updated", signer.shopId());
    assertThat(handler.handle(headers("msg_7", now(), unknown)::get, unknown))
        .isEqualTo(EtsyWebhookHandler.Outcome.IGNORED);
    byte[] huge = new byte[EtsyWebhookHandler.MAX_BODY_BYTES + 1];
    assertThat(handler.handle(headers("msg_8", now(), huge)::get, huge))
        .isEqualTo(EtsyWebhookHandler.Outcome.TOO_LARGE);
    assertThat(received).isEmpty();
  }

  @Test
  void aFailingSink_letsEtsysRetryThrough() {
    List<Integer> calls = new ArrayList<>();
    EtsyWebhookHandler flaky = connector.webhookHandler(SECRET, clock, (s, e) -> {
      calls.add(1);
      if (calls.size() == 1) {
        throw new IllegalStateException("engine busy");
      }
    });
    byte[] body = body("order.paid", signer.shopId());
    assertThatThrownBy(() -> flaky.handle(headers("msg_9", now(), body)::get, body))
        .isInstanceOf(IllegalStateException.class);
    assertThat(flaky.handle(headers("msg_9", now(), body)::get, body))
        .isEqualTo(EtsyWebhookHandler.Outcome.ACCEPTED);
  }

  @Test
  void aSecretThatIsNotBase64_isInvalidInput() {
    assertThatThrownBy(() -> connector.webhookHandler("whsec_***", clock, (s, e) -> { }))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("signingSecret"));
  }
}
