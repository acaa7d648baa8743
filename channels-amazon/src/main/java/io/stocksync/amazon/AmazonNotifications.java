package io.stocksync.amazon;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.stocksync.core.InvalidInputException;
import io.stocksync.core.MalformedResponseException;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns an Amazon {@code ORDER_CHANGE} notification into the engine's event for its store.
 *
 * <p>Amazon delivers {@code ORDER_CHANGE} only to an SQS queue or an EventBridge bus, both owned by
 * the host; the library has no AWS SDK dependency. The host reads its queue and hands each message
 * body here (the plain notification, or an EventBridge event with the notification in {@code
 * detail}), then passes the result to {@code StockSync.handle}:
 *
 * <pre>{@code
 * AmazonNotifications notifications = new AmazonNotifications();
 * notifications.parse(sqsMessageBody).ifPresent(n -> sync.handle(n.store(), n.event()));
 * }</pre>
 *
 * <p>The event names the order, so the engine reads just that order ({@code getOrder}, 0.5 calls
 * per second) instead of waiting for an order search ({@code searchOrders}, one call per 3
 * minutes). Polling stays the truth, so a lost or duplicated message costs nothing. AFN (Amazon-fulfilled) orders give no event: they never book
 * the hub's stock. Duplicates (same {@code NotificationId}) are dropped for a day. The status is
 * in the v0 spelling ({@code Canceled}, {@code Unshipped}, ...). Thread-safe.
 */
public final class AmazonNotifications {
  /** The largest message accepted; SQS messages are at most 256 KiB. */
  public static final int MAX_BYTES = 256 * 1024;

  private final Cache<String, Boolean> seen =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(1)).build();

  /** Creates a parser with its own duplicate filter. */
  public AmazonNotifications() {}

  /**
   * One {@code ORDER_CHANGE} notification, as far as the engine cares.
   *
   * @param store the store it concerns
   * @param orderId the Amazon order id
   * @param orderStatus the status in v0 spelling, e.g. {@code Unshipped} or {@code Canceled}
   * @param fulfillmentType {@code MFN} or {@code AFN}
   */
  public record OrderChange(StoreId store, String orderId, String orderStatus, String fulfillmentType) {
    /**
     * The event to hand to the engine.
     *
     * @return {@link ChannelEvent.OrderChanged} naming this order
     */
    public ChannelEvent event() {
      return new ChannelEvent.OrderChanged(orderId);
    }
  }

  /**
   * Parses a message body.
   *
   * @param message the SQS message body or EventBridge event, as JSON
   * @return the change, or empty for another notification type, an AFN order, or a duplicate
   * @throws InvalidInputException if the message is null or larger than {@link #MAX_BYTES}
   * @throws MalformedResponseException if it is not an ORDER_CHANGE notification's JSON shape
   */
  public Optional<OrderChange> parse(@Nullable String message) {
    if (message == null) {
      throw new InvalidInputException("message", "required");
    }
    if (message.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new InvalidInputException("message", "larger than " + MAX_BYTES + " bytes");
    }
    Map<String, Object> root = Js.obj(Js.parse(message, "notification"), "notification");
    if (root.get("detail") != null && root.get("NotificationType") == null) {
      root = Js.obj(root.get("detail"), "detail"); // EventBridge envelope
    }
    if (!"ORDER_CHANGE".equals(Js.optStr(root, "NotificationType"))) {
      return Optional.empty();
    }
    Map<String, Object> payload = Js.obj(root.get("Payload"), "Payload");
    Map<String, Object> change = Js.obj(payload.get("OrderChangeNotification"),
        "Payload.OrderChangeNotification");
    Map<String, Object> summary = Js.obj(change.get("Summary"), "OrderChangeNotification.Summary");
    String sellerId = Js.str(change, "SellerId");
    String orderId = Js.str(change, "AmazonOrderId");
    String marketplaceId = Js.str(summary, "MarketplaceId");
    String status = Js.optStr(summary, "OrderStatus");
    String type = Js.optStr(summary, "FulfillmentType");
    Map<String, Object> metadata = Js.optObj(root, "NotificationMetadata");
    String notificationId = metadata == null ? null : Js.optStr(metadata, "NotificationId");
    if (notificationId != null && seen.asMap().putIfAbsent(notificationId, Boolean.TRUE) != null) {
      return Optional.empty();
    }
    if ("AFN".equals(type)) {
      return Optional.empty();
    }
    return Optional.of(new OrderChange(AmazonConnector.storeIdOf(sellerId, marketplaceId), orderId,
        status == null ? "" : status, type == null ? "MFN" : type));
  }
}
