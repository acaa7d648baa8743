package io.stocksync.benchmarks.sim;

import io.stocksync.core.Sku;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.SyncScheduler;
import io.stocksync.ebay.EbayConnector;
import io.stocksync.ebay.EbayNotificationHandler;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.testkit.ebay.EbayEmulator;
import io.stocksync.testkit.ebay.Notification;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * eBay through the testkit emulator over real HTTP: Inventory-API items with one published
 * fixed-price offer each, OAuth user tokens living two hours, the APIs' daily quotas and eBay's
 * 250 revisions per listing per day, {@code bulkUpdatePriceQuantity} taking 25 offers per call.
 * When asked, every sale's signed {@code ORDER_CONFIRMATION} platform notification reaches {@link
 * EbayNotificationHandler} {@link #NOTIFICATION_DELAY} later; cancellations have no topic, so the
 * Fulfillment API's order polling finds them.
 *
 * <p>As on eBay, a cancelled order's units go back on the listing, and a refund moves no stock, so
 * the merchant books a return in the hub ({@link #restocksReturns()} is false).
 */
final class EbayDriver implements StoreDriver {
  /**
   * How late a platform notification reaches the subscriber. eBay publishes no figure; a few
   * seconds is what the former stand-in used, kept so the runs compare.
   */
  static final Duration NOTIFICATION_DELAY = Duration.ofSeconds(5);
  private static final String SELLER = "sim-seller";
  private static final Pattern NEGATIVE = Pattern.compile("[qQ]uantity\"\\s*:\\s*-");

  private final EbayEmulator ebay;
  private final EbayConnector connector;
  private final Map<Sku, String> offers = new HashMap<>();
  private final Queue<Notification> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicLong negative = new AtomicLong();
  private @Nullable EbayNotificationHandler handler;
  private @Nullable SyncScheduler scheduler;

  EbayDriver(Clock clock) {
    this.ebay = EbayEmulator.builder().clock(clock).sellerId(SELLER).accessToken(null)
        .wrapDispatcher(this::countNegativeWrites).build().start();
    OAuthTokenSource tokens = OAuthTokenSource.builder()
        .tokenUrl(ebay.url().resolve("identity/v1/oauth2/token"))
        .clientId("emulated-client-id").clientSecret("emulated-client-secret")
        .clientAuthentication(ClientAuthentication.BASIC)
        .extraParam("scope", EbayConnector.SCOPES)
        .credentialsStore(new InMemoryCredentialsStore(), "ebay:" + SELLER)
        .initialRefreshToken(ebay.tokens().issueRefreshToken()).clock(clock).build();
    this.connector = EbayConnector.builder().sellerId(SELLER).tokenSource(tokens)
        .baseUrl(ebay.url()).clock(clock).build();
  }

  /** Notes quantities below zero in writes, which eBay would refuse. */
  private Dispatcher countNegativeWrites(Dispatcher inner) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if ("POST".equals(request.getMethod()) && request.getBody() != null
            && NEGATIVE.matcher(request.getBody().utf8()).find()) {
          negative.incrementAndGet();
        }
        return inner.dispatch(request);
      }
    };
  }

  @Override
  public String name() {
    return "ebay";
  }

  @Override
  public void list(Sku sku, int quantity) {
    offers.put(sku, ebay.addInventoryItem(sku.value(), sku.value(), quantity, true));
  }

  @Override
  public boolean lists(Sku sku) {
    return offers.containsKey(sku);
  }

  @Override
  public String location() {
    return connector.marketplaceId();
  }

  @Override
  public StockRef ref(Sku sku) {
    // The connector's reference of an Inventory-API item: inv:{sku} on the marketplace.
    return new StockRef("inv:" + sku.value(), location());
  }

  @Override
  public ChannelConnector connector() {
    return connector;
  }

  @Override
  public long shown(Sku sku) {
    // Buyers see the published offer's available quantity (0 when OUT_OF_STOCK).
    return ebay.offerQuantity(offers.get(sku));
  }

  @Override
  public String sell(Sku sku, int quantity) {
    String order = ebay.sell(sku.value(), quantity);
    List<Notification> sent = ebay.takeNotifications();
    SyncScheduler s = scheduler;
    if (handler != null && s != null) {
      s.schedule(NOTIFICATION_DELAY, () -> inbox.addAll(sent));
    }
    return order;
  }

  @Override
  public void cancel(String orderId) {
    ebay.cancel(orderId);
  }

  @Override
  public void fulfil(String orderId) {
    ebay.ship(orderId);
  }

  @Override
  public void refundReturn(String orderId, int quantity) {
    ebay.refund(orderId, "9.99");
  }

  @Override
  public Duration notificationDelay() {
    return NOTIFICATION_DELAY;
  }

  @Override
  public boolean restocksReturns() {
    return false;
  }

  @Override
  public void fault(Fault fault, boolean on) {
    throw new UnsupportedOperationException("the scenario has no eBay faults: " + fault);
  }

  @Override
  public void sendNotificationsTo(StockSync hub, SyncScheduler scheduler) {
    this.handler = connector.notificationHandler(hub::handle);
    this.scheduler = scheduler;
  }

  @Override
  public void deliverNotifications() {
    EbayNotificationHandler h = handler;
    Notification n;
    while (h != null && (n = inbox.poll()) != null) {
      String signature = n.signatureHeader();
      EbayNotificationHandler.Outcome outcome =
          h.handle(name -> "X-EBAY-SIGNATURE".equalsIgnoreCase(name) ? signature : null, n.body());
      if (outcome == EbayNotificationHandler.Outcome.REJECTED_SIGNATURE) {
        throw new IllegalStateException("an eBay notification was refused: " + outcome);
      }
    }
  }

  @Override
  public long apiCalls() {
    long calls = 0;
    for (EbayEmulator.Api api : EbayEmulator.Api.values()) {
      calls += ebay.callsTotal(api);
    }
    return calls;
  }

  @Override
  public long pushCalls() {
    return ebay.calls("bulkUpdatePriceQuantity");
  }

  @Override
  public long costPoints() {
    return 0;
  }

  /** Listings whose 250 revisions of the day are spent, as the connector saw them. */
  int cappedListings() {
    return connector.cappedListings().size();
  }

  /** Requests refused for a spent quota. */
  int throttled() {
    return ebay.throttledCount();
  }

  @Override
  public String limitNotes() {
    return "listings at the 250-revision cap " + cappedListings() + ", quota refusals "
        + throttled();
  }

  @Override
  public long refusedForLimits() {
    return ebay.throttledCount();
  }

  @Override
  public long negativePushes() {
    return negative.get();
  }

  @Override
  public void close() {
    connector.close();
    ebay.close();
  }
}
