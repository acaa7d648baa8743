package io.stocksync.amazon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import org.junit.jupiter.api.Test;

/** ORDER_CHANGE notifications, as a host receives them from SQS or EventBridge. */
class AmazonNotificationsTest {
  static String orderChange(String id, String status, String type) {
    return """
        {"NotificationVersion":"1.0","NotificationType":"ORDER_CHANGE","PayloadVersion":"1.0",
         "EventTime":"2026-11-30T10:00:00.000Z",
         "Payload":{"OrderChangeNotification":{"NotificationLevel":"OrderLevel",
           "SellerId":"A2SELLER","AmazonOrderId":"113-0000001-0000001",
           "OrderChangeType":"OrderStatusChange",
           "OrderChangeTrigger":{"TimeOfOrderChange":"2026-11-30T09:59:59.000Z",
             "ChangeReason":"BuyerRequestedCancel"},
           "Summary":{"MarketplaceId":"ATVPDKIKX0DER","OrderStatus":"%s","FulfillmentType":"%s",
             "OrderItems":[{"OrderItemId":"1","SellerSKU":"TEE","Quantity":1}]}}},
         "NotificationMetadata":{"ApplicationId":"amzn1.sellerapps.app.x","SubscriptionId":"s",
           "PublishTime":"2026-11-30T10:00:01.000Z","NotificationId":"%s"}}
        """.formatted(status, type, id);
  }

  @Test
  void mfnOrderChange_becomesOrderChangedNamingTheOrder_forTheSellersStore() {
    AmazonNotifications n = new AmazonNotifications();

    var change = n.parse(orderChange("n-1", "Canceled", "MFN")).orElseThrow();

    assertThat(change.store()).isEqualTo(StoreId.of("amazon", "A2SELLER.ATVPDKIKX0DER"));
    assertThat(change.store()).isEqualTo(AmazonConnector.storeIdOf("A2SELLER", "ATVPDKIKX0DER"));
    assertThat(change.orderStatus()).isEqualTo("Canceled");
    assertThat(change.event()).isEqualTo(new ChannelEvent.OrderChanged(change.orderId()));
    assertThat(change.orderId()).isNotBlank();
  }

  @Test
  void eventBridgeEnvelope_isUnwrapped() {
    String event = "{\"version\":\"0\",\"detail-type\":\"ORDER_CHANGE\",\"source\":\"aws.partner/sellingpartnerapi.amazon.com\",\"detail\":"
        + orderChange("n-2", "Unshipped", "MFN") + "}";

    assertThat(new AmazonNotifications().parse(event)).isPresent();
  }

  @Test
  void afnOrders_duplicates_andOtherTypes_giveNoEvent() {
    AmazonNotifications n = new AmazonNotifications();

    assertThat(n.parse(orderChange("n-3", "Shipped", "AFN"))).isEmpty();
    assertThat(n.parse(orderChange("n-4", "Unshipped", "MFN"))).isPresent();
    assertThat(n.parse(orderChange("n-4", "Unshipped", "MFN"))).as("same NotificationId").isEmpty();
    assertThat(n.parse("{\"NotificationType\":\"ANY_OFFER_CHANGED\",\"Payload\":{}}")).isEmpty();
  }

  @Test
  void badMessages_areTypedFailures() {
    AmazonNotifications n = new AmazonNotifications();

    assertThatThrownBy(() -> n.parse("{\"NotificationType\":\"ORDER_CHANGE\",\"Payload\":{}}"))
        .isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> n.parse("not json")).isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> n.parse("x".repeat(AmazonNotifications.MAX_BYTES + 1)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("message");
  }
}
