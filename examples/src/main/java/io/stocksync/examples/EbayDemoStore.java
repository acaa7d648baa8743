package io.stocksync.examples;

import io.stocksync.core.StoreId;
import io.stocksync.core.sync.StockSync;
import io.stocksync.ebay.EbayConnector;
import io.stocksync.ebay.EbayNotificationHandler;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.testkit.ebay.EbayEmulator;
import io.stocksync.testkit.ebay.Fault;
import io.stocksync.testkit.ebay.Notification;
import java.util.List;

/**
 * The demo's eBay seller: the real {@link EbayConnector} (OAuth refresh through the shared token
 * source) against the eBay emulator over HTTP. Listings alternate between the two kinds eBay has:
 * Inventory-API items with a published offer, and Seller Hub (Trading API) listings. Sales send
 * the signed {@code ORDER_CONFIRMATION} notification to the hub.
 */
final class EbayDemoStore implements AutoCloseable {
  static final String SELLER = "acme-ebay";
  static final String LOCATION = "EBAY_US";

  private final EbayEmulator emulator;
  private final EbayConnector connector;
  private EbayNotificationHandler notifications;
  private int listings;

  EbayDemoStore() {
    emulator = EbayEmulator.builder().sellerId(SELLER).accessToken(null).build().start();
    OAuthTokenSource tokens = OAuthTokenSource.builder()
        .tokenUrl(emulator.url().resolve("identity/v1/oauth2/token"))
        .clientId("emulated-client-id").clientSecret("emulated-client-secret")
        .clientAuthentication(ClientAuthentication.BASIC).extraParam("scope", EbayConnector.SCOPES)
        .credentialsStore(new InMemoryCredentialsStore(), "ebay:" + SELLER)
        .initialRefreshToken(emulator.tokens().issueRefreshToken()).build();
    connector = EbayConnector.builder().sellerId(SELLER).tokenSource(tokens)
        .baseUrl(emulator.url()).maxRequestsPerSecond(100).build();
    notifications = connector.notificationHandler((store, event) -> {});
  }

  static StoreId storeId() {
    return StoreId.of(EbayConnector.CHANNEL, SELLER + "/" + LOCATION);
  }

  EbayConnector connector() {
    return connector;
  }

  /** Routes verified notifications to the hub from now on. */
  void notify(StockSync hub) {
    notifications = connector.notificationHandler(hub::handle);
  }

  /** Adds a listing of the next kind; returns the listing id the connector will report. */
  String addListing(String sku, long quantity) {
    if (listings++ % 3 == 2) {
      return "trd:" + emulator.addTradingItem(sku, "Seller Hub " + sku, (int) quantity);
    }
    emulator.addInventoryItem(sku, "Item " + sku, (int) quantity, true);
    return "inv:" + sku;
  }

  void addListingWithoutSku(long quantity) {
    emulator.addTradingItem(null, "Seller Hub listing without SKU", (int) quantity);
  }

  String placeOrder(String sku, long quantity) {
    String order = emulator.sell(sku, (int) quantity);
    for (Notification n : emulator.takeNotifications()) {
      notifications.handle(h -> h.equals("X-EBAY-SIGNATURE") ? n.signatureHeader() : null, n.body());
    }
    return order;
  }

  void cancel(String orderId) {
    emulator.cancel(orderId);
  }

  void fulfil(String orderId) {
    emulator.ship(orderId);
  }

  /** The next eBay request answers HTTP 500; the engine retries. */
  void failNextCall() {
    emulator.failNext(1, Fault.SERVER_ERROR);
  }

  long quantity(String listingId) {
    if (listingId.startsWith("inv:")) {
      return emulator.shipToHomeQuantity(listingId.substring(4));
    }
    String rest = listingId.substring(4);
    int slash = rest.indexOf('/');
    return slash < 0 ? emulator.tradingQuantity(rest, null)
        : emulator.tradingQuantity(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** Calls made per kind, for the statistics. */
  List<String> callSummary() {
    return List.of(emulator.calls("bulkUpdatePriceQuantity") + " bulk updates",
        emulator.calls("ReviseInventoryStatus") + " revise calls",
        emulator.calls("getOrders") + " order reads");
  }

  @Override
  public void close() {
    emulator.close();
  }
}
