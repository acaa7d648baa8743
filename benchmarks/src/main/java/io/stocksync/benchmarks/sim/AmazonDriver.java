package io.stocksync.benchmarks.sim;

import io.stocksync.amazon.AmazonConnector;
import io.stocksync.amazon.AmazonNotifications;
import io.stocksync.amazon.FulfilmentType;
import io.stocksync.core.Sku;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.SyncScheduler;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.testkit.amazon.AmazonEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Amazon (merchant-fulfilled) through the testkit emulator over real HTTP: LWA tokens living an
 * hour, every SP-API operation on its own token bucket at the model's rate, {@code
 * patchListingsItem} answered {@code ACCEPTED} and applied two minutes later (buyers keep seeing
 * the old figure meanwhile), and the Orders API refusing a {@code lastUpdatedBefore} younger than
 * two minutes. When asked, the emulator's {@code ORDER_CHANGE} messages go through an SQS-like
 * queue the host reads every {@link #QUEUE_READ_INTERVAL} (or as set), and on to {@link
 * AmazonNotifications} and the hub.
 *
 * <p>As on Amazon, a cancelled MFN order's units go back on the listing; a return refund moves no
 * stock, so the merchant books the units in the hub ({@link #restocksReturns()} is false).
 */
final class AmazonDriver implements StoreDriver {
  /**
   * How late the host reads an {@code ORDER_CHANGE} message off its queue: Amazon publishes no
   * figure for the hop into SQS; a host long-polling a queue sees messages within seconds to a
   * minute. One minute, as the former stand-in, so the runs compare.
   */
  static final Duration QUEUE_READ_INTERVAL = Duration.ofSeconds(60);
  /** How long an accepted PATCH takes to reach the listing (the emulator's default). */
  static final Duration APPLY_DELAY = Duration.ofMinutes(2);
  private static final Pattern NEGATIVE = Pattern.compile("\"quantity\"\\s*:\\s*-");

  private final AmazonEmulator amazon;
  private final AmazonConnector connector;
  private final String location;
  private final Set<Sku> listed = new HashSet<>();
  private final Queue<String> queue = new ConcurrentLinkedQueue<>();
  private final AmazonNotifications notifications = new AmazonNotifications();
  private @Nullable StockSync hub;
  private @Nullable SyncScheduler scheduler;

  private final Duration queueRead;

  AmazonDriver(Clock clock, Duration queueRead) {
    this.queueRead = queueRead;
    this.amazon = AmazonEmulator.builder().clock(clock).acceptedDelay(APPLY_DELAY).build().start();
    OAuthTokenSource tokens = AmazonConnector.lwa().tokenUrl(amazon.tokenUrl())
        .clientId(AmazonEmulator.DEFAULT_CLIENT_ID)
        .clientSecret(AmazonEmulator.DEFAULT_CLIENT_SECRET)
        .credentialsStore(new InMemoryCredentialsStore(), "amazon:sim")
        .initialRefreshToken(amazon.refreshToken()).clock(clock).build();
    this.connector = AmazonConnector.builder().sellerId(amazon.sellerId())
        .marketplaceId(amazon.marketplaceId()).fulfilment(FulfilmentType.FBM)
        .endpoint(amazon.url()).accessTokens(tokens).clock(clock).build();
    this.location = connector.locations().get(0).id();
  }

  @Override
  public String name() {
    return "amazon";
  }

  @Override
  public void list(Sku sku, int quantity) {
    amazon.addListing(sku.value(), "HOME", (long) quantity, null);
    listed.add(sku);
  }

  @Override
  public boolean lists(Sku sku) {
    return listed.contains(sku);
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public StockRef ref(Sku sku) {
    return new StockRef(sku.value(), location);
  }

  @Override
  public ChannelConnector connector() {
    return connector;
  }

  @Override
  public long shown(Sku sku) {
    Long q = amazon.fbmQuantity(sku.value());
    return q == null ? 0 : q;
  }

  @Override
  public String sell(Sku sku, int quantity) {
    String order = amazon.placeOrder("MERCHANT", Map.of(sku.value(), (long) quantity));
    forwardOrderChanges();
    return order;
  }

  /** Moves the emulator's new messages onto the queue, readable one read interval later. */
  private void forwardOrderChanges() {
    List<String> messages = amazon.takeOrderChanges();
    SyncScheduler s = scheduler;
    if (hub != null && s != null && !messages.isEmpty()) {
      s.schedule(queueRead, () -> queue.addAll(messages));
    }
  }

  @Override
  public void cancel(String orderId) {
    amazon.cancel(orderId);
    forwardOrderChanges();
  }

  @Override
  public void fulfil(String orderId) {
    amazon.ship(orderId);
    forwardOrderChanges();
  }

  @Override
  public void refundReturn(String orderId, int quantity) {
    // A return refund on Amazon moves no listing quantity; the emulator models no refund, and
    // the merchant books the returned units into the hub (restocksReturns is false).
  }

  @Override
  public Duration writeLandsAfter() {
    return APPLY_DELAY;
  }

  @Override
  public Duration notificationDelay() {
    return queueRead;
  }

  @Override
  public boolean restocksReturns() {
    return false;
  }

  @Override
  public void fault(Fault fault, boolean on) {
    throw new UnsupportedOperationException("the scenario has no Amazon faults: " + fault);
  }

  @Override
  public void sendNotificationsTo(StockSync hub, SyncScheduler scheduler) {
    this.hub = hub;
    this.scheduler = scheduler;
    amazon.takeOrderChanges(); // subscribed from now: earlier events were never queued
  }

  @Override
  public void deliverNotifications() {
    StockSync h = hub;
    String message;
    while (h != null && (message = queue.poll()) != null) {
      notifications.parse(message).ifPresent(n -> h.handle(n.store(), n.event()));
    }
  }

  @Override
  public long apiCalls() {
    return amazon.calls().entrySet().stream().filter(e -> !"lwaToken".equals(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

  @Override
  public long pushCalls() {
    return amazon.calls().getOrDefault("patchListingsItem", 0);
  }

  @Override
  public long costPoints() {
    return 0;
  }

  @Override
  public String limitNotes() {
    long throttled = amazon.exchanges().stream().filter(e -> e.status() == 429).count();
    return "429 answers " + throttled;
  }

  @Override
  public long negativePushes() {
    // PATCHes and uploaded feed documents carrying a quantity below zero (Amazon refuses them).
    long n = 0;
    for (io.stocksync.testkit.amazon.Exchange e : amazon.exchanges()) {
      if (("patchListingsItem".equals(e.operation())
          || "uploadFeedDocument".equals(e.operation()))
          && e.requestBody() != null && NEGATIVE.matcher(e.requestBody()).find()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    connector.close();
    amazon.close();
  }
}
