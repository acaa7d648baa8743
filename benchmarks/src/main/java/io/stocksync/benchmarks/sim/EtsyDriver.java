package io.stocksync.benchmarks.sim;

import io.stocksync.core.Sku;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.SyncScheduler;
import io.stocksync.etsy.EtsyConnector;
import io.stocksync.etsy.EtsyWebhookHandler;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.oauth.OAuthTokens;
import io.stocksync.testkit.etsy.EtsyEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
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
 * Etsy through the testkit emulator over real HTTP: its 10 requests per second and 10,000 per
 * day, OAuth tokens living an hour and refreshed by the shared token source, one listing's
 * inventory per write, and, when asked, Standard-Webhooks-signed {@code order.*} events handed to
 * {@link EtsyWebhookHandler}. The emulator delivers a webhook the moment the receipt changes.
 *
 * <p>As on Etsy, a seller's cancellation does not touch the listing (the hub puts the units back
 * and pushes them) and a refund carries no restock, so the merchant books a return in the hub
 * ({@link #restocksReturns()} is false).
 */
final class EtsyDriver implements StoreDriver {
  private static final String KEYSTRING = "simkeystring";
  private static final String SHARED_SECRET = "simsharedsecret";
  private static final String WEBHOOK_SECRET = "whsec_"
      + java.util.Base64.getEncoder().encodeToString(
          "stocksync-simulation-etsy".getBytes(StandardCharsets.UTF_8));
  private static final Pattern NEGATIVE = Pattern.compile("\"quantity\"\\s*:\\s*-");
  private static final String INVENTORY_WRITE = "PUT /listings/{listing_id}/inventory";

  private final Clock clock;
  private final EtsyEmulator etsy;
  private final EtsyConnector connector;
  private final Map<Sku, Long> listings = new HashMap<>();
  private final Queue<Delivery> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicLong negative = new AtomicLong();
  private final String location;
  private @Nullable EtsyWebhookHandler handler;

  EtsyDriver(Clock clock) {
    this.clock = clock;
    this.etsy = EtsyEmulator.builder().clock(clock).apiKey(KEYSTRING, SHARED_SECRET)
        .webhookSecret(WEBHOOK_SECRET).dispatcher(this::countNegativeWrites).build().start();
    etsy.recording(false);
    InMemoryCredentialsStore credentials = new InMemoryCredentialsStore();
    String key = "etsy:" + etsy.shopId();
    credentials.save(key, OAuthTokens.ofRefreshToken(etsy.issueRefreshToken()));
    OAuthTokenSource tokens = OAuthTokenSource.builder()
        .tokenUrl(etsy.url().resolve(EtsyEmulator.TOKEN_PATH.substring(1)))
        .clientId(KEYSTRING).clientAuthentication(ClientAuthentication.NONE)
        .credentialsStore(credentials, key).clock(clock).build();
    this.connector = EtsyConnector.builder().shopId(etsy.shopId())
        .apiKey(KEYSTRING, SHARED_SECRET).tokens(tokens).baseUrl(etsy.url()).clock(clock).build();
    this.location = connector.locations().get(0).id();
  }

  /** Notes quantities below zero in inventory writes, which Etsy would refuse. */
  private Dispatcher countNegativeWrites(Dispatcher inner) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if ("PUT".equals(request.getMethod()) && request.getBody() != null
            && NEGATIVE.matcher(request.getBody().utf8()).find()) {
          negative.incrementAndGet();
        }
        return inner.dispatch(request);
      }
    };
  }

  @Override
  public String name() {
    return "etsy";
  }

  @Override
  public void list(Sku sku, int quantity) {
    listings.put(sku, etsy.addListing(sku.value(), sku.value(), quantity));
  }

  @Override
  public boolean lists(Sku sku) {
    return listings.containsKey(sku);
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public StockRef ref(Sku sku) {
    // The connector's reference: {listing_id}:{sku} at the shop's one location.
    return new StockRef(listings.get(sku) + ":" + sku.value(), location());
  }

  @Override
  public ChannelConnector connector() {
    return connector;
  }

  @Override
  public long shown(Sku sku) {
    long id = listings.get(sku);
    // A buyer can only order from an active listing; sold_out shows nothing to buy.
    return "active".equals(etsy.state(id)) ? etsy.quantity(id, sku.value()) : 0;
  }

  @Override
  public String sell(Sku sku, int quantity) {
    return Long.toString(etsy.sell(listings.get(sku), sku.value(), quantity));
  }

  @Override
  public void cancel(String orderId) {
    etsy.cancel(Long.parseLong(orderId));
  }

  @Override
  public void fulfil(String orderId) {
    etsy.ship(Long.parseLong(orderId));
  }

  @Override
  public void refundReturn(String orderId, int quantity) {
    etsy.refund(Long.parseLong(orderId), true);
  }

  @Override
  public boolean restocksCancellations() {
    return false;
  }

  @Override
  public boolean restocksReturns() {
    return false;
  }

  @Override
  public void fault(Fault fault, boolean on) {
    throw new UnsupportedOperationException("the scenario has no Etsy faults: " + fault);
  }

  @Override
  public void sendNotificationsTo(StockSync hub, SyncScheduler scheduler) {
    handler = connector.webhookHandler(WEBHOOK_SECRET, clock, hub::handle);
    // The endpoint queues and answers 200 at once; the simulation hands the queue to the
    // handler between engine tasks (see ShopifyDriver for why not inside the delivery).
    etsy.webhooksTo((headers, body) -> {
      Map<String, String> lower = new HashMap<>();
      headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
      inbox.add(new Delivery(lower, body));
      return 200;
    });
  }

  @Override
  public void deliverNotifications() {
    EtsyWebhookHandler h = handler;
    Delivery d;
    while (h != null && (d = inbox.poll()) != null) {
      Map<String, String> headers = d.headers();
      EtsyWebhookHandler.Outcome outcome =
          h.handle(name -> headers.get(name.toLowerCase(Locale.ROOT)), d.body());
      if (outcome != EtsyWebhookHandler.Outcome.ACCEPTED
          && outcome != EtsyWebhookHandler.Outcome.DUPLICATE
          && outcome != EtsyWebhookHandler.Outcome.IGNORED) {
        throw new IllegalStateException("an Etsy webhook was refused: " + outcome);
      }
    }
  }

  /** A webhook as received: headers by lower-case name, and the raw body. */
  private record Delivery(Map<String, String> headers, byte[] body) {}

  @Override
  public long apiCalls() {
    return etsy.requests();
  }

  @Override
  public long pushCalls() {
    return etsy.requestsByOperation().getOrDefault(INVENTORY_WRITE, 0);
  }

  @Override
  public long costPoints() {
    return 0;
  }

  /** Requests refused with 429 by the emulator's per-second or per-day limit. */
  long rateLimited() {
    return etsy.rateLimited();
  }

  /**
   * The emulator's default daily quota (10,000 requests per sliding 24 hours); the connector paces
   * pushes to it once it is spent.
   */
  static final int REQUESTS_PER_DAY = 10_000;
  /** Request counts sampled on the virtual clock, to know the last 24 hours' total. */
  private final java.util.ArrayDeque<long[]> samples = new java.util.ArrayDeque<>();

  @Override
  public boolean quotaSpent() {
    long now = clock.millis();
    long requests = etsy.requests();
    samples.addLast(new long[] {now, requests});
    long dayAgo = now - java.time.Duration.ofDays(1).toMillis();
    while (samples.size() > 1 && samples.peekFirst()[0] < dayAgo) {
      samples.pollFirst();
    }
    // Requests since the oldest sample inside the window: a slight undercount, never an over.
    return requests - samples.peekFirst()[1] >= REQUESTS_PER_DAY * 95L / 100;
  }

  @Override
  public String limitNotes() {
    // Requests by operation: the daily quota is what Etsy limits, so where it went is the story.
    StringBuilder b = new StringBuilder("429 answers " + etsy.rateLimited() + ", requests");
    etsy.requestsByOperation().forEach((op, n) -> b.append(' ').append(op).append('=').append(n));
    return b.toString();
  }

  @Override
  public long refusedForLimits() {
    return etsy.rateLimited();
  }

  @Override
  public long negativePushes() {
    return negative.get();
  }

  @Override
  public void close() {
    connector.close();
    etsy.close();
  }
}
