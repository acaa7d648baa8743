package io.stocksync.testkit.shopify;

import io.stocksync.testkit.internal.Json;
import io.stocksync.testkit.internal.NoDelayServerSocketFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * A stateful emulator of the Shopify Admin GraphQL API, served over real HTTP by OkHttp's {@link
 * MockWebServer}.
 *
 * <p>Clients {@code POST} to {@code {url()}admin/api/{version}/graphql.json} a body {@code
 * {"query": "...", "variables": {...}, "operationName": "..."}} with the header {@code
 * X-Shopify-Access-Token}. The emulator parses and validates every document with graphql-java
 * against its own schema ({@code admin-subset.graphqls}: a subset of Shopify's Admin API 2026-04
 * schema, checked against Shopify's own by a test), and answers exactly the fields selected, with
 * any operation name or none, literal arguments or variables alike. It serves {@code shop},
 * {@code locations}, {@code location}, {@code productVariants}, {@code productVariant}, {@code
 * inventoryItem}, {@code node}, {@code nodes}, {@code orders}, {@code order} and the mutation
 * {@code inventorySetQuantities}; nested connections honour {@code first} and {@code after} and
 * report {@code pageInfo}, so a client that does not page loses what is past the first page, as
 * on Shopify. It refuses what Shopify refuses, in Shopify's error shapes: syntax errors,
 * unknown fields, arguments and types ({@code undefinedField}, {@code argumentNotAccepted},
 * ...), variables of the wrong type, {@code inventorySetQuantities} without {@code
 * @idempotent(key:)} (a literal or any variable), more than 250 ids or quantities ({@code
 * MAX_INPUT_SIZE_EXCEEDED}), a requested cost over 1,000 ({@code MAX_COST_EXCEEDED}, with {@code
 * cost} and {@code maxCost}) and a request the bucket cannot hold ({@code THROTTLED}); none of
 * them executes anything or charges points.
 *
 * <p>Cost: every answer carries Shopify's {@code extensions.cost} block. The requested cost is
 * computed from the parsed document by a pluggable {@link CostModel} (default {@link
 * CostModel#documented()}; {@link CostModel#linear()} is the pessimistic alternative), reserved
 * from a leaky bucket that refills on the injected {@link Clock} (default: the Standard plan's
 * 2,000 points restoring 100 per second), and requested minus actual is refunded afterwards.
 *
 * <p>Bulk queries ({@code bulkOperationRunQuery}, {@code bulkOperation(id:)}, {@code
 * bulkOperationCancel}, with {@code productVariantsCount} to decide when one pays) run on the
 * injected clock and write JSONL served over HTTP by this server at the {@code url} they report,
 * with Shopify's limits, failure with partial data, cancellation and seven-day link expiry; see
 * {@link #startBulkQuery(String)}, {@link #failNextBulkOperation(String, double)} and the builder's
 * {@link Builder#bulkObjectsPerSecond(int)}.
 *
 * <p>Every API version is served with the 2026-04 rules: {@code inventorySetQuantities} needs
 * {@code @idempotent} and the key {@code changeFromQuantity} on every quantity (null skips the
 * comparison); a repeated key with the same {@code input} replays the stored answer.
 *
 * <p>{@code DateTime} values are whole seconds in UTC ({@code 2026-03-01T10:00:00Z}), as
 * Shopify's: two changes within one second share an order's {@code updatedAt}.
 *
 * <p>All seeding, inspection and configuration methods are thread-safe: state is guarded by one
 * lock shared with the server threads. Webhooks are delivered synchronously by the thread that
 * caused the change (the test thread for seeding methods, the server thread for mutations, before
 * the HTTP answer is written), outside the lock.
 */
public final class ShopifyEmulator implements AutoCloseable {
  /** The API version the emulator documents itself against; other versions are served too. */
  public static final String API_VERSION = "2026-10";

  private static final Pattern GRAPHQL_PATH =
      Pattern.compile("/admin/api/(\\d{4}-\\d{2}|unstable)/graphql\\.json");
  private static final String JSON = "application/json; charset=utf-8";
  private static final MediaType JSON_MEDIA_TYPE = MediaType.get("application/json");
  private static final String INVALID_TOKEN_BODY =
      "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong"
          + " password)\"}";
  private static final String TOO_MANY_REQUESTS_BODY =
      "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume"
          + " uninterrupted service.\"}";

  private final String shopDomain;
  private final String shopName;
  private final @Nullable String webhookSecret;
  private final ShopState state;
  private final GraphQlApi api;

  private final Object authLock = new Object();
  private String accessToken;
  private boolean tokenRevoked;

  private final Object faultLock = new Object();
  private final Deque<Fault> nextFaults = new ArrayDeque<>();
  private final Random random;
  private double faultFraction;
  private @Nullable Fault fractionFault;
  private Duration slowDelay;

  private final Object recordLock = new Object();
  private final List<RecordedOperation> recorded = new ArrayList<>();
  private final Map<String, Integer> countsByOperation = new HashMap<>();

  private final Object webhookLock = new Object();
  private @Nullable HttpUrl webhookUrl;
  private @Nullable OkHttpClient webhookClient;
  private boolean duplicateWebhooks;
  private boolean holdWebhooks;
  private final List<Delivery> heldWebhooks = new ArrayList<>();
  private final AtomicInteger webhooksDelivered = new AtomicInteger();
  private final AtomicInteger webhookFailures = new AtomicInteger();

  private final Object serverLock = new Object();
  private @Nullable MockWebServer server;
  private boolean closed;

  private ShopifyEmulator(Builder builder) {
    this.shopDomain = builder.shopDomain;
    this.shopName = builder.shopName;
    this.accessToken = builder.accessToken;
    this.webhookSecret = builder.webhookSecret;
    this.random = new Random(builder.seed);
    this.slowDelay = builder.slowDelay;
    this.state = new ShopState(builder.clock, builder.routingDelay);
    this.api =
        new GraphQlApi(
            state,
            new LeakyBucket(builder.clock, builder.maximumAvailable, builder.restoreRate),
            shopName,
            shopDomain,
            builder.costModel);
    this.api.bulk().objectsPerSecond = builder.bulkObjectsPerSecond;
    this.api.bulk().concurrentLimit = builder.bulkConcurrencyLimit;
  }

  /**
   * Starts configuring an emulator.
   *
   * @return a builder with the defaults: shop {@code emulated-shop.myshopify.com}, a fixed token,
   *     the system UTC clock, a bucket of 2,000 points restoring 100 per second, no webhook secret
   */
  public static Builder builder() {
    return new Builder();
  }

  // ================================================================= lifecycle

  /**
   * Starts the HTTP server on a free local port.
   *
   * @return this emulator
   * @throws IllegalStateException if already started or closed
   * @throws UncheckedIOException if the server cannot bind
   */
  public ShopifyEmulator start() {
    synchronized (serverLock) {
      if (server != null || closed) {
        throw new IllegalStateException("already started or closed");
      }
      MockWebServer s = new MockWebServer();
      s.setServerSocketFactory(new NoDelayServerSocketFactory());
      s.setDispatcher(new EmulatorDispatcher());
      try {
        s.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Shopify emulator", e);
      }
      server = s;
      HttpUrl base = s.url("/");
      synchronized (state) {
        api.bulk().linkBase = path -> base.resolve(path) + "?X-Goog-Algorithm=GOOG4-RSA-SHA256"
            + "&X-Goog-Expires=604800&X-Goog-Signature=emulated";
      }
      return this;
    }
  }

  /**
   * The base URL of the server, path {@code /}; the GraphQL endpoint is {@code
   * admin/api/{version}/graphql.json} below it.
   *
   * @return the base URL
   * @throws IllegalStateException if the emulator is not started
   */
  public HttpUrl url() {
    synchronized (serverLock) {
      if (server == null) {
        throw new IllegalStateException("not started");
      }
      return server.url("/");
    }
  }

  /**
   * The GraphQL endpoint for {@link #API_VERSION}.
   *
   * @return {@code {url()}admin/api/2026-10/graphql.json}
   * @throws IllegalStateException if the emulator is not started
   */
  public HttpUrl graphqlUrl() {
    return graphqlUrl(API_VERSION);
  }

  /**
   * The GraphQL endpoint for an API version.
   *
   * @param version a version such as {@code 2025-10}
   * @return {@code {url()}admin/api/{version}/graphql.json}
   * @throws IllegalStateException if the emulator is not started
   */
  public HttpUrl graphqlUrl(String version) {
    return url().newBuilder().addPathSegments("admin/api/" + version + "/graphql.json").build();
  }

  /**
   * The shop's {@code myshopify.com} domain.
   *
   * @return the domain
   */
  public String shopDomain() {
    return shopDomain;
  }

  /** Stops the server and the webhook client. Idempotent. */
  @Override
  public void close() {
    @Nullable MockWebServer s;
    synchronized (serverLock) {
      closed = true;
      s = server;
      server = null;
    }
    if (s != null) {
      s.close();
    }
    @Nullable OkHttpClient client;
    synchronized (webhookLock) {
      client = webhookClient;
      webhookClient = null;
    }
    if (client != null) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  // ================================================================= auth

  /**
   * The access token requests must carry in {@code X-Shopify-Access-Token}.
   *
   * @return the current token
   */
  public String accessToken() {
    synchronized (authLock) {
      return accessToken;
    }
  }

  /** Revokes the token: every request gets HTTP 401 until {@link #rotateToken(String)}. */
  public void revokeToken() {
    synchronized (authLock) {
      tokenRevoked = true;
    }
  }

  /**
   * Installs a new token (and lifts a revocation); the old token stops working.
   *
   * @param newToken the token requests must carry from now on
   */
  public void rotateToken(String newToken) {
    Objects.requireNonNull(newToken, "newToken");
    synchronized (authLock) {
      accessToken = newToken;
      tokenRevoked = false;
    }
  }

  private boolean authorised(RecordedRequest request) {
    String presented = request.getHeaders().get("X-Shopify-Access-Token");
    synchronized (authLock) {
      return !tokenRevoked && accessToken.equals(presented);
    }
  }

  // ================================================================= faults

  /**
   * Makes the next {@code n} GraphQL requests fail with a fault, after any already queued.
   *
   * @param n how many requests, zero or more
   * @param fault the fault
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public void failNext(int n, Fault fault) {
    if (n < 0) {
      throw new IllegalArgumentException("n < 0: " + n);
    }
    Objects.requireNonNull(fault, "fault");
    synchronized (faultLock) {
      for (int i = 0; i < n; i++) {
        nextFaults.add(fault);
      }
    }
  }

  /**
   * Makes a fraction of GraphQL requests fail with a fault, drawn from the seeded random source.
   * Replaces an earlier fraction rule; requests queued by {@link #failNext} come first.
   *
   * @param probability the probability per request, 0 to 1
   * @param fault the fault
   * @throws IllegalArgumentException if the probability is outside 0..1
   */
  public void failFraction(double probability, Fault fault) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability outside 0..1: " + probability);
    }
    Objects.requireNonNull(fault, "fault");
    synchronized (faultLock) {
      faultFraction = probability;
      fractionFault = fault;
    }
  }

  /** Removes queued faults and the fraction rule. */
  public void clearFaults() {
    synchronized (faultLock) {
      nextFaults.clear();
      faultFraction = 0;
      fractionFault = null;
    }
  }

  /**
   * Sets how long {@link Fault#SLOW} holds back a response body. This is real wall-clock time,
   * not the emulator's clock, because it exists to trigger client read timeouts.
   *
   * @param delay the delay, zero or more
   * @throws IllegalArgumentException if the delay is negative
   */
  public void slowDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay: " + delay);
    }
    synchronized (faultLock) {
      slowDelay = delay;
    }
  }

  private @Nullable Fault nextFault() {
    synchronized (faultLock) {
      Fault queued = nextFaults.poll();
      if (queued != null) {
        return queued;
      }
      if (fractionFault != null && faultFraction > 0 && random.nextDouble() < faultFraction) {
        return fractionFault;
      }
      return null;
    }
  }

  // ================================================================= counters

  /**
   * How many GraphQL requests were answered {@code THROTTLED} by the leaky bucket.
   *
   * @return the count
   */
  public int throttledCount() {
    synchronized (state) {
      return api.throttledCount();
    }
  }

  /**
   * How many requests reached the GraphQL endpoint, whatever their outcome.
   *
   * @return the count
   */
  public int requestCount() {
    synchronized (recordLock) {
      return recorded.size();
    }
  }

  /**
   * How many requests reached the GraphQL endpoint with an operation name, whatever their outcome.
   *
   * @param operationName e.g. {@code InventorySet}
   * @return the count
   */
  public int requestCount(String operationName) {
    synchronized (recordLock) {
      return countsByOperation.getOrDefault(operationName, 0);
    }
  }

  /**
   * The sum of the actual query costs charged.
   *
   * @return the points spent
   */
  public long pointsSpent() {
    synchronized (state) {
      return api.pointsSpent();
    }
  }

  /**
   * The cost model pricing this emulator's requests.
   *
   * @return the model
   */
  public CostModel costModel() {
    return api.costModel();
  }

  /**
   * The points in the bucket now, rounded down as Shopify reports them.
   *
   * @return the currently available points
   */
  public int currentlyAvailable() {
    synchronized (state) {
      api.bucket().refill();
      return api.bucket().currentlyAvailable();
    }
  }

  /**
   * Every request that reached the GraphQL endpoint, in arrival order.
   *
   * @return an immutable copy
   */
  public List<RecordedOperation> recordedRequests() {
    synchronized (recordLock) {
      return List.copyOf(recorded);
    }
  }

  private void record(
      String version,
      @Nullable String operationName,
      Map<String, @Nullable Object> variables,
      int status) {
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> frozen = (Map<String, @Nullable Object>) Json.freeze(variables);
    @Nullable String key = variables.get("idempotencyKey") instanceof String k ? k : null;
    RecordedOperation operation =
        new RecordedOperation(
            version, operationName, Objects.requireNonNull(frozen), key, status);
    synchronized (recordLock) {
      recorded.add(operation);
      if (operationName != null) {
        countsByOperation.merge(operationName, 1, Integer::sum);
      }
    }
  }

  // ================================================================= catalogue seeding

  /**
   * Adds an active location.
   *
   * @param name the location's name
   * @return its global id
   */
  public String addLocation(String name) {
    return addLocation(name, true);
  }

  /**
   * Adds a location. Inactive locations are listed only with the {@code includeInactive: true}
   * variable, as in Shopify.
   *
   * @param name the location's name
   * @param active whether it is active (and fulfils online orders)
   * @return its global id
   */
  public String addLocation(String name, boolean active) {
    Objects.requireNonNull(name, "name");
    return mutate(s -> Gid.of("Location", s.addLocation(name, active).id));
  }

  /**
   * Adds a product without variants.
   *
   * @param title the product's title
   * @param status its status
   * @return its global id
   */
  public String addProduct(String title, ProductStatus status) {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(status, "status");
    return mutate(s -> Gid.of("Product", s.addProduct(title, status).id));
  }

  /**
   * Changes a product's status; its variants' {@code updatedAt} moves to now and a {@code
   * products/update} webhook is sent.
   *
   * @param productId the product's global id
   * @param status the new status
   * @throws IllegalArgumentException if the product is unknown
   */
  public void setProductStatus(String productId, ProductStatus status) {
    long id = Gid.require("Product", productId);
    Objects.requireNonNull(status, "status");
    mutate(
        s -> {
          s.setProductStatus(id, status);
          return null;
        });
  }

  /**
   * Adds a variant (with its inventory item) to a product. The item is stocked nowhere until
   * {@link #stock(String, String, int)}. Sends {@code products/update}.
   *
   * @param productId the product's global id
   * @param sku the SKU, possibly {@code null} or blank (Shopify allows both)
   * @param tracked whether the inventory item is tracked; untracked items cannot be set
   * @return the new ids
   * @throws IllegalArgumentException if the product is unknown
   */
  public VariantIds addVariant(String productId, @Nullable String sku, boolean tracked) {
    long id = Gid.require("Product", productId);
    return mutate(s -> ids(s.addVariant(id, sku, tracked, true)));
  }

  /**
   * Changes a variant's SKU; its {@code updatedAt} moves to now and {@code products/update} is
   * sent.
   *
   * @param variantId the variant's global id
   * @param sku the new SKU, possibly {@code null} or blank
   * @throws IllegalArgumentException if the variant is unknown
   */
  public void setSku(String variantId, @Nullable String sku) {
    long id = Gid.require("ProductVariant", variantId);
    mutate(
        s -> {
          s.setSku(id, sku);
          return null;
        });
  }

  /**
   * Stocks an inventory item at a location with an {@code available} quantity, or, when already
   * stocked, sets {@code available} as a merchant editing stock in the admin would ({@code
   * on_hand} moves by the same delta). Sends {@code inventory_levels/update} when the quantity
   * changes.
   *
   * @param inventoryItemId the item's global id
   * @param locationId the location's global id
   * @param available the available quantity
   * @throws IllegalArgumentException if the item or location is unknown
   */
  public void stock(String inventoryItemId, String locationId, int available) {
    long item = Gid.require("InventoryItem", inventoryItemId);
    long location = Gid.require("Location", locationId);
    mutate(
        s -> {
          s.stock(item, location, available, true);
          return null;
        });
  }

  /**
   * The {@code available} quantity of an item at a location.
   *
   * @param inventoryItemId the item's global id
   * @param locationId the location's global id
   * @return the quantity
   * @throws IllegalArgumentException if the item is unknown or not stocked at the location
   */
  public int available(String inventoryItemId, String locationId) {
    long item = Gid.require("InventoryItem", inventoryItemId);
    long location = Gid.require("Location", locationId);
    synchronized (state) {
      return Math.toIntExact(state.level(item, location).available);
    }
  }

  /**
   * The {@code on_hand} quantity of an item at a location: available plus units committed to
   * unfulfilled orders.
   *
   * @param inventoryItemId the item's global id
   * @param locationId the location's global id
   * @return the quantity
   * @throws IllegalArgumentException if the item is unknown or not stocked at the location
   */
  public int onHand(String inventoryItemId, String locationId) {
    long item = Gid.require("InventoryItem", inventoryItemId);
    long location = Gid.require("Location", locationId);
    synchronized (state) {
      return Math.toIntExact(state.level(item, location).onHand);
    }
  }

  /**
   * Seeds a catalogue quickly and silently (no webhooks): {@code variants} active products of one
   * tracked variant each, SKU {@code skuPrefix + n} with {@code n} zero-padded to six digits from
   * 000001, each stocked at every given location with {@code quantity} available.
   *
   * @param variants how many variants, zero or more
   * @param locationIds the locations to stock at
   * @param quantity the available quantity at each location
   * @param skuPrefix the SKU prefix, e.g. {@code SKU-}
   * @return the ids of the new variants in SKU order
   * @throws IllegalArgumentException if {@code variants} is negative or a location is unknown
   */
  public List<VariantIds> seedCatalogue(
      int variants, List<String> locationIds, int quantity, String skuPrefix) {
    if (variants < 0) {
      throw new IllegalArgumentException("variants < 0: " + variants);
    }
    Objects.requireNonNull(skuPrefix, "skuPrefix");
    long[] locations = new long[locationIds.size()];
    for (int i = 0; i < locations.length; i++) {
      locations[i] = Gid.require("Location", locationIds.get(i));
    }
    List<VariantIds> created = new ArrayList<>(variants);
    synchronized (state) {
      for (long location : locations) {
        state.location(location);
      }
      for (int i = 1; i <= variants; i++) {
        String sku = skuPrefix + pad(i);
        ShopState.Product product = state.addProduct(sku, ProductStatus.ACTIVE);
        ShopState.Variant variant = state.addVariant(product.id, sku, true, false);
        for (long location : locations) {
          state.stock(variant.item.id, location, quantity, false);
        }
        created.add(ids(variant));
      }
    }
    return Collections.unmodifiableList(created);
  }

  private static String pad(int n) {
    String digits = Integer.toString(n);
    return digits.length() >= 6 ? digits : "000000".substring(digits.length()) + digits;
  }

  private static VariantIds ids(ShopState.Variant variant) {
    return new VariantIds(
        Gid.of("ProductVariant", variant.id), Gid.of("InventoryItem", variant.item.id));
  }

  // ================================================================= bulk operations

  /**
   * Test control: starts a bulk query as another client of the same app would (the concurrency
   * limit counts it), with the current API version's rules.
   *
   * @param query the bulk query document
   * @return the operation's global id
   * @throws IllegalStateException if Shopify would refuse it (the user error's message)
   */
  public String startBulkQuery(String query) {
    Objects.requireNonNull(query, "query");
    return mutate(s -> {
      Map<String, @Nullable Object> payload = api.startBulk(API_VERSION, query);
      Map<String, @Nullable Object> op = Json.asObject(payload.get("bulkOperation"));
      if (op == null) {
        throw new IllegalStateException("bulk query refused: " + payload.get("userErrors"));
      }
      return String.valueOf(op.get("id"));
    });
  }

  /**
   * Test control: cancels a bulk operation as the app's other client or Shopify support would.
   *
   * @param bulkOperationId the operation's global id
   * @throws IllegalStateException if it cannot be cancelled (unknown or no longer running)
   */
  public void cancelBulkOperation(String bulkOperationId) {
    Objects.requireNonNull(bulkOperationId, "bulkOperationId");
    mutate(s -> {
      Map<String, @Nullable Object> payload = api.bulk().cancel(bulkOperationId);
      if (payload.get("userErrors") instanceof List<?> errors && !errors.isEmpty()) {
        throw new IllegalStateException("cannot cancel: " + errors);
      }
      return null;
    });
  }

  /**
   * Makes the next bulk operation fail part way: it ends {@code FAILED} with the error code once
   * the given fraction of its run has passed, with the lines written until then at {@code
   * partialDataUrl} (none when the fraction is 0).
   *
   * @param errorCode {@code ACCESS_DENIED}, {@code INTERNAL_SERVER_ERROR} or {@code TIMEOUT}
   * @param atFraction how far it gets, 0 to 1
   * @throws IllegalArgumentException if the code is not one of those or the fraction is outside
   *     0..1
   */
  public void failNextBulkOperation(String errorCode, double atFraction) {
    if (!List.of("ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT").contains(errorCode)) {
      throw new IllegalArgumentException("not a BulkOperationErrorCode: " + errorCode);
    }
    if (!(atFraction >= 0 && atFraction <= 1)) {
      throw new IllegalArgumentException("atFraction outside 0..1: " + atFraction);
    }
    synchronized (state) {
      api.bulk().failNext(errorCode, atFraction);
    }
  }

  /**
   * Moves every bulk operation to the status the clock says and sends {@code
   * bulk_operations/finish} for those that ended (the emulator also does this whenever it handles
   * a request).
   */
  public void settleBulkOperations() {
    mutate(s -> {
      api.bulk().settle(s.now());
      return null;
    });
  }

  /**
   * How many bulk operations were started, by any client.
   *
   * @return the count
   */
  public int bulkOperationsStarted() {
    synchronized (state) {
      return api.bulk().all().size();
    }
  }

  /**
   * The status of a bulk operation now, as {@code bulkOperation(id:)} would report it.
   *
   * @param bulkOperationId the operation's global id
   * @return the status, e.g. {@code RUNNING}
   * @throws IllegalArgumentException if the operation is unknown
   */
  public String bulkOperationStatus(String bulkOperationId) {
    return mutate(s -> {
      Map<String, @Nullable Object> node = api.bulk().get(bulkOperationId);
      if (node == null) {
        throw new IllegalArgumentException("unknown bulk operation " + bulkOperationId);
      }
      return String.valueOf(node.get("status"));
    });
  }

  /**
   * How many downloads of bulk results (answered or refused) reached the emulator.
   *
   * @return the count
   */
  public int bulkDownloads() {
    return bulkDownloads.get();
  }

  /**
   * How many bulk result downloads carried an {@code X-Shopify-Access-Token} header: Shopify's
   * links point to cloud storage, where the token must never be sent.
   *
   * @return the count
   */
  public int bulkDownloadsWithAccessToken() {
    return bulkDownloadsWithToken.get();
  }

  private final AtomicInteger bulkDownloads = new AtomicInteger();
  private final AtomicInteger bulkDownloadsWithToken = new AtomicInteger();
  private static final Pattern BULK_PATH =
      Pattern.compile("/bulk-operations/(\\d+)/([0-9a-f]+)/(result|partial)\\.jsonl");

  /** A result link, served as Google Cloud Storage serves a signed URL. */
  private MockResponse download(RecordedRequest request, Matcher path) {
    bulkDownloads.incrementAndGet();
    if (request.getHeaders().get("X-Shopify-Access-Token") != null) {
      bulkDownloadsWithToken.incrementAndGet();
    }
    if (!"GET".equals(request.getMethod())) {
      return storageError(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
    byte @Nullable [] file;
    List<WebhookEvent> events;
    synchronized (state) {
      try {
        BulkOperations.Op op = api.bulk().byPath(Long.parseLong(path.group(1)), path.group(2));
        if (op == null) {
          return storageError(404, "NoSuchKey", "The specified key does not exist.");
        }
        file = api.bulk().download(op, path.group(3).equals("partial"), state.now());
        if (file == null && op.completedAt != null
            && !state.now().isBefore(op.completedAt.plus(BulkOperations.LINK_LIFETIME))) {
          return storageError(400, "ExpiredToken", "Invalid argument.");
        }
      } finally {
        events = state.drainOutbox();
      }
    }
    deliver(events);
    if (file == null) {
      return storageError(404, "NoSuchKey", "The specified key does not exist.");
    }
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/jsonl")
        .body(new okio.Buffer().write(file))
        .build();
  }

  private static MockResponse storageError(int code, String error, String message) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/xml; charset=UTF-8")
        .body("<?xml version='1.0' encoding='UTF-8'?><Error><Code>" + error + "</Code><Message>"
            + message + "</Message></Error>")
        .build();
  }

  // ================================================================= orders

  /**
   * Simulates a store-side sale of one line (SKU copied from the variant). With a location it is
   * a point-of-sale sale there, as {@link #createPosOrder(String, List)}; without, an online
   * order as {@link #createOrder(List)} taking the units at the first location (lowest id) the
   * item is stocked at. Sends {@code orders/create} and {@code inventory_levels/update}.
   *
   * @param variantId the variant sold
   * @param quantity the units sold, at least 1
   * @param locationId the point-of-sale location, or {@code null} for an online order
   * @return the order's global id
   * @throws IllegalArgumentException if an id is unknown, the quantity is below 1 or the item is
   *     not stocked at the given location
   */
  public String sell(String variantId, int quantity, @Nullable String locationId) {
    List<OrderLineSpec> line = List.of(new OrderLineSpec(variantId, quantity, null));
    return locationId == null ? createOrder(line) : createPosOrder(locationId, line);
  }

  /**
   * Places an online order; each tracked line takes its units from {@code available} at its
   * location (overselling into negative quantities is allowed, as with "continue selling"). Like
   * Shopify, the order has no {@code retailLocation}, and its fulfilment orders (one per location
   * the lines take stock from, with the line's {@code remainingQuantity}) appear only when the
   * {@linkplain Builder#routingDelay(Duration) routing delay} has passed on the emulator's clock;
   * their appearance does not move the order's {@code updatedAt}.
   *
   * @param lines the lines, at least one
   * @return the order's global id
   * @throws IllegalArgumentException if there are no lines, an id is unknown or an item is not
   *     stocked at a given location
   */
  public String createOrder(List<OrderLineSpec> lines) {
    List<OrderLineSpec> copy = List.copyOf(lines);
    return mutate(s -> Gid.of("Order", s.createOrder(copy, -1).id));
  }

  /**
   * Places a point-of-sale order at a location: {@code retailLocation} is that location, every
   * line takes its units there (the lines' own locations must be {@code null} or the same), and
   * its fulfilment order exists at once.
   *
   * @param locationId the global id of the point-of-sale location
   * @param lines the lines, at least one
   * @return the order's global id
   * @throws IllegalArgumentException if there are no lines, an id is unknown, a line names another
   *     location or an item is not stocked at the location
   */
  public String createPosOrder(String locationId, List<OrderLineSpec> lines) {
    long at = Gid.require("Location", locationId);
    List<OrderLineSpec> copy = List.copyOf(lines);
    for (OrderLineSpec line : copy) {
      if (line.locationId() != null && !line.locationId().equals(locationId)) {
        throw new IllegalArgumentException("a point-of-sale order takes every line at "
            + locationId + ", not " + line.locationId());
      }
    }
    return mutate(s -> Gid.of("Order", s.createOrder(copy, at).id));
  }

  /**
   * Test control: the merchant moves an order's open fulfilment orders from one location to
   * another (Shopify's {@code fulfillmentOrderMove} without line items). The unshipped units are
   * committed at the new location instead, the order's {@code updatedAt} moves and {@code
   * orders/updated} is sent. As Shopify documents it, a fulfilment order with nothing shipped keeps
   * its id and gets the new {@code assignedLocation}; a part-shipped one is closed with its
   * shipped units and a new fulfilment order at the new location takes the rest.
   *
   * @param orderId the order's global id
   * @param fromLocationId the global id of the location the fulfilment order is assigned to
   * @param toLocationId the global id of the location to move it to
   * @throws IllegalArgumentException if an id is unknown, the order has no open fulfilment order
   *     at {@code fromLocationId}, or an item is not stocked at {@code toLocationId}
   * @throws IllegalStateException if the order is cancelled
   */
  public void moveFulfillmentOrder(String orderId, String fromLocationId, String toLocationId) {
    long id = Gid.require("Order", orderId);
    long from = Gid.require("Location", fromLocationId);
    long to = Gid.require("Location", toLocationId);
    mutate(
        s -> {
          s.moveFulfillmentOrder(s.order(id), from, to);
          return null;
        });
  }

  /**
   * Test control: moves some unshipped units of one line to another location (Shopify's {@code
   * fulfillmentOrderMove} with {@code fulfillmentOrderLineItems}): a new fulfilment order at the
   * new location takes them, the line is then split over two locations.
   *
   * @param orderId the order's global id
   * @param lineItemId the line's global id
   * @param fromLocationId the location of the open fulfilment order holding the units
   * @param toLocationId the location to move them to
   * @param quantity the units, 1 up to what is unshipped there
   * @throws IllegalArgumentException if an id is unknown, the units are not there or the item is
   *     not stocked at {@code toLocationId}
   * @throws IllegalStateException if the order is cancelled
   */
  public void moveFulfillmentOrderLine(String orderId, String lineItemId, String fromLocationId,
      String toLocationId, int quantity) {
    long id = Gid.require("Order", orderId);
    long lineId = Gid.require("LineItem", lineItemId);
    long from = Gid.require("Location", fromLocationId);
    long to = Gid.require("Location", toLocationId);
    mutate(
        s -> {
          ShopState.Order order = s.order(id);
          s.moveFulfillmentOrderLine(order, from, to, s.line(order, lineId), quantity);
          return null;
        });
  }

  /**
   * Fulfils every unfulfilled unit of an order ({@code on_hand} goes down, {@code available} does
   * not move).
   *
   * @param orderId the order's global id
   * @return the fulfilment's global id
   * @throws IllegalArgumentException if the order is unknown
   * @throws IllegalStateException if the order is cancelled or has nothing to fulfil
   */
  public String fulfil(String orderId) {
    long id = Gid.require("Order", orderId);
    return mutate(
        s -> {
          ShopState.Order order = s.order(id);
          List<ShopState.FulfillmentLine> lines = new ArrayList<>();
          for (ShopState.Line line : order.lines) {
            lines.add(new ShopState.FulfillmentLine(line, line.unfulfilled()));
          }
          return Gid.of("Fulfillment", s.fulfil(order, lines).id());
        });
  }

  /**
   * Fulfils some units of one line.
   *
   * @param orderId the order's global id
   * @param lineItemId the line's global id
   * @param quantity the units, 1 up to the line's unfulfilled quantity
   * @return the fulfilment's global id
   * @throws IllegalArgumentException if an id is unknown or the quantity is out of range
   * @throws IllegalStateException if the order is cancelled
   */
  public String fulfil(String orderId, String lineItemId, int quantity) {
    long id = Gid.require("Order", orderId);
    long lineId = Gid.require("LineItem", lineItemId);
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity < 1: " + quantity);
    }
    return mutate(
        s -> {
          ShopState.Order order = s.order(id);
          ShopState.Line line = s.line(order, lineId);
          return Gid.of(
              "Fulfillment",
              s.fulfil(order, List.of(new ShopState.FulfillmentLine(line, quantity))).id());
        });
  }

  /**
   * Cancels an order: {@code cancelledAt} is set and every unfulfilled unit becomes removed. With
   * {@code restock} those units go back into {@code available}; without, they leave {@code
   * on_hand}. Sends {@code orders/cancelled}, {@code orders/updated} and, when restocking, {@code
   * inventory_levels/update}.
   *
   * @param orderId the order's global id
   * @param restock whether to put the unfulfilled units back into stock
   * @throws IllegalArgumentException if the order is unknown
   * @throws IllegalStateException if the order is already cancelled
   */
  public void cancel(String orderId, boolean restock) {
    long id = Gid.require("Order", orderId);
    mutate(
        s -> {
          s.cancel(s.order(id), restock);
          return null;
        });
  }

  /**
   * Refunds units of a line. {@link RestockType#RETURN} refunds fulfilled units and puts them
   * back into stock; {@link RestockType#CANCEL} refunds unfulfilled units, removes them from the
   * order and puts them back into {@code available}; {@link RestockType#NO_RESTOCK} refunds
   * (unfulfilled units first) without restocking; {@link RestockType#LEGACY_RESTOCK} is like
   * {@code NO_RESTOCK} but restocks. Sends {@code refunds/create}, {@code orders/updated} and,
   * when stock moves, {@code inventory_levels/update}.
   *
   * @param orderId the order's global id
   * @param lineItemId the line's global id
   * @param quantity the units, at least 1 and at most what the restock type can take
   * @param type the restock type
   * @return the refund's global id
   * @throws IllegalArgumentException if an id is unknown or the quantity is out of range
   */
  public String refund(String orderId, String lineItemId, int quantity, RestockType type) {
    long id = Gid.require("Order", orderId);
    long lineId = Gid.require("LineItem", lineItemId);
    Objects.requireNonNull(type, "type");
    return mutate(
        s -> {
          ShopState.Order order = s.order(id);
          return Gid.of("Refund", s.refund(order, s.line(order, lineId), quantity, type).id());
        });
  }

  /**
   * A snapshot of every order, by id.
   *
   * @return immutable snapshots
   */
  public List<OrderSnapshot> orders() {
    synchronized (state) {
      List<ShopState.Order> all = new ArrayList<>(state.orders.values());
      all.sort((a, b) -> Long.compare(a.id, b.id));
      List<OrderSnapshot> snapshots = new ArrayList<>(all.size());
      for (ShopState.Order order : all) {
        snapshots.add(state.snapshot(order));
      }
      return Collections.unmodifiableList(snapshots);
    }
  }

  /**
   * A snapshot of one order.
   *
   * @param orderId the order's global id
   * @return an immutable snapshot
   * @throws IllegalArgumentException if the order is unknown
   */
  public OrderSnapshot order(String orderId) {
    long id = Gid.require("Order", orderId);
    synchronized (state) {
      return state.snapshot(state.order(id));
    }
  }

  // ================================================================= webhooks

  /**
   * Delivers webhooks to a URL from now on (given a webhook secret in the builder). Changes made
   * while no URL or secret is configured are not announced later.
   *
   * @param url the receiver, or {@code null} to stop delivering
   */
  public void webhooksTo(@Nullable HttpUrl url) {
    synchronized (webhookLock) {
      webhookUrl = url;
      if (url != null && webhookClient == null) {
        webhookClient =
            new OkHttpClient.Builder()
                .socketFactory(new NoDelaySocketFactory())
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5))
                .build();
      }
    }
    synchronized (state) {
      state.eventsEnabled = url != null && webhookSecret != null;
    }
  }

  /**
   * Sends every delivery twice with the same {@code X-Shopify-Webhook-Id}, as Shopify's retries
   * do.
   *
   * @param duplicate whether to duplicate deliveries
   */
  public void duplicateWebhooks(boolean duplicate) {
    synchronized (webhookLock) {
      duplicateWebhooks = duplicate;
    }
  }

  /** Queues deliveries instead of sending them, until {@link #releaseWebhooks(boolean)}. */
  public void holdWebhooks() {
    synchronized (webhookLock) {
      holdWebhooks = true;
    }
  }

  /**
   * Sends the queued deliveries and stops holding.
   *
   * @param reversed whether to send them newest first (out of order)
   * @return how many deliveries were released
   */
  public int releaseWebhooks(boolean reversed) {
    List<Delivery> released;
    synchronized (webhookLock) {
      holdWebhooks = false;
      released = new ArrayList<>(heldWebhooks);
      heldWebhooks.clear();
    }
    if (reversed) {
      Collections.reverse(released);
    }
    send(released);
    return released.size();
  }

  /**
   * Simulates the merchant uninstalling the app: the token is revoked, then {@code
   * app/uninstalled} is sent.
   */
  public void uninstallApp() {
    revokeToken();
    mutate(
        s -> {
          s.emitAppUninstalled(shopName, shopDomain);
          return null;
        });
  }

  /**
   * How many webhook POSTs were answered with a 2xx status (a duplicated delivery counts twice).
   *
   * @return the count
   */
  public int webhooksDelivered() {
    return webhooksDelivered.get();
  }

  /**
   * How many webhook POSTs failed (I/O error or non-2xx status); failures are not retried.
   *
   * @return the count
   */
  public int webhookFailures() {
    return webhookFailures.get();
  }

  /** A signed delivery, ready to send {@code copies} times. */
  private record Delivery(
      HttpUrl url,
      String topic,
      byte[] body,
      String hmac,
      String webhookId,
      String eventId,
      Instant triggeredAt,
      int copies) {}

  private void deliver(List<WebhookEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<Delivery> now = new ArrayList<>(events.size());
    synchronized (webhookLock) {
      @Nullable HttpUrl url = webhookUrl;
      @Nullable String secret = webhookSecret;
      if (url == null || secret == null) {
        return;
      }
      for (WebhookEvent event : events) {
        byte[] body = Json.write(event.payload()).getBytes(StandardCharsets.UTF_8);
        Delivery delivery =
            new Delivery(
                url,
                event.topic(),
                body,
                hmac(secret, body),
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                event.triggeredAt(),
                duplicateWebhooks ? 2 : 1);
        if (holdWebhooks) {
          heldWebhooks.add(delivery);
        } else {
          now.add(delivery);
        }
      }
    }
    send(now);
  }

  private void send(List<Delivery> deliveries) {
    @Nullable OkHttpClient client;
    synchronized (webhookLock) {
      client = webhookClient;
    }
    for (Delivery delivery : deliveries) {
      for (int copy = 0; copy < delivery.copies(); copy++) {
        if (client == null) {
          webhookFailures.incrementAndGet();
          continue;
        }
        Request request =
            new Request.Builder()
                .url(delivery.url())
                .header("X-Shopify-Topic", delivery.topic())
                // Spelled as Shopify's documentation does; header names are case-insensitive.
                .header("X-Shopify-Hmac-Sha256", delivery.hmac())
                .header("X-Shopify-Shop-Domain", shopDomain)
                .header("X-Shopify-Webhook-Id", delivery.webhookId())
                .header("X-Shopify-Event-Id", delivery.eventId())
                .header("X-Shopify-Triggered-At", delivery.triggeredAt().toString())
                .header("X-Shopify-API-Version", API_VERSION)
                .post(RequestBody.create(delivery.body(), JSON_MEDIA_TYPE))
                .build();
        try (Response response = client.newCall(request).execute()) {
          if (response.isSuccessful()) {
            webhooksDelivered.incrementAndGet();
          } else {
            webhookFailures.incrementAndGet();
          }
        } catch (IOException | RuntimeException e) {
          webhookFailures.incrementAndGet();
        }
      }
    }
  }

  /** Base64 of HMAC-SHA256 over the raw body, as in {@code X-Shopify-Hmac-SHA256}. */
  static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  // ================================================================= state access

  /** Runs a change under the state lock, then delivers the webhooks it caused. */
  private <T> T mutate(Function<ShopState, T> change) {
    T result;
    List<WebhookEvent> events;
    synchronized (state) {
      try {
        result = change.apply(state);
      } finally {
        events = state.drainOutbox();
      }
    }
    deliver(events);
    return result;
  }

  // ================================================================= HTTP

  /** Answers every request the server receives. */
  private final class EmulatorDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      dropRecordedRequest();
      try {
        return handle(request);
      } catch (RuntimeException e) {
        return json(500, Json.write(Json.object("errors", "Emulator failure: " + e)));
      }
    }
  }

  /** MockWebServer keeps every request for takeRequest(); nobody takes them, so drop them. */
  private void dropRecordedRequest() throws InterruptedException {
    @Nullable MockWebServer s;
    synchronized (serverLock) {
      s = server;
    }
    if (s != null) {
      s.takeRequest(0, TimeUnit.NANOSECONDS);
    }
  }

  private MockResponse handle(RecordedRequest request) {
    Matcher bulkPath = BULK_PATH.matcher(request.getUrl().encodedPath());
    if (bulkPath.matches()) {
      return download(request, bulkPath);
    }
    Matcher path = GRAPHQL_PATH.matcher(request.getUrl().encodedPath());
    if (!path.matches()) {
      return json(404, "{\"errors\":\"Not Found\"}");
    }
    if (!"POST".equals(request.getMethod())) {
      return json(405, "{\"errors\":\"Method Not Allowed\"}");
    }
    String version = path.group(1);
    ByteString rawBody = request.getBody();
    @Nullable Map<String, @Nullable Object> body =
        rawBody == null ? null : Json.asObject(Json.parse(rawBody.utf8()));
    @Nullable String operationName = null;
    @Nullable String query = null;
    Map<String, @Nullable Object> variables = Map.of();
    if (body != null) {
      operationName = body.get("operationName") instanceof String s ? s : null;
      query = body.get("query") instanceof String s ? s : null;
      Map<String, @Nullable Object> vars = Json.asObject(body.get("variables"));
      if (vars != null) {
        variables = vars;
      }
    }

    @Nullable Fault fault = nextFault();
    @Nullable MockResponse early = null;
    if (fault == Fault.TOO_MANY_REQUESTS) {
      early =
          new MockResponse.Builder()
              .code(429)
              .addHeader("Content-Type", JSON)
              .addHeader("Retry-After", "2")
              .body(TOO_MANY_REQUESTS_BODY)
              .build();
    } else if (fault == Fault.SERVER_ERROR) {
      early = json(500, "{\"errors\":\"Internal Server Error\"}");
    } else if (fault == Fault.MALFORMED_JSON) {
      early = json(200, "{\"data\":{\"shop\":{\"id\":\"gid://shopify/Sh");
    } else if (!authorised(request)) {
      early = json(401, INVALID_TOKEN_BODY);
    } else if (body == null || query == null) {
      early = json(400, "{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}");
    }
    if (early != null) {
      record(version, operationName, variables, early.getCode());
      return early;
    }

    String responseBody;
    List<WebhookEvent> events;
    synchronized (state) {
      try {
        responseBody = api.execute(version, operationName, variables, query);
        operationName = api.lastOperationName();
      } finally {
        events = state.drainOutbox();
      }
    }
    deliver(events);

    MockResponse response;
    if (fault == Fault.SERVER_ERROR_AFTER_COMMIT) {
      response =
          new MockResponse.Builder()
              .code(502)
              .addHeader("Content-Type", "text/html; charset=utf-8")
              .body("<html><body><h1>502 Bad Gateway</h1></body></html>")
              .build();
    } else {
      MockResponse.Builder builder =
          new MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", JSON)
              .addHeader("X-Shopify-API-Version", version)
              .body(responseBody);
      if (fault == Fault.SLOW) {
        long nanos;
        synchronized (faultLock) {
          nanos = slowDelay.toNanos();
        }
        builder.bodyDelay(nanos, TimeUnit.NANOSECONDS);
      }
      response = builder.build();
    }
    record(version, operationName, variables, response.getCode());
    return response;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", JSON).body(body).build();
  }

  // ================================================================= builder

  /** Configures a {@link ShopifyEmulator}. */
  public static final class Builder {
    private String shopDomain = "emulated-shop.myshopify.com";
    private String shopName = "Emulated Shop";
    private String accessToken = "shpat_emulator0000000000000000000000";
    private Clock clock = Clock.systemUTC();
    private int maximumAvailable = 2000;
    private int restoreRate = 100;
    private CostModel costModel = CostModel.documented();
    private @Nullable String webhookSecret;
    private long seed;
    private Duration slowDelay = Duration.ofSeconds(1);
    private Duration routingDelay = Duration.ofSeconds(3);
    private int bulkObjectsPerSecond = 1000;
    private int bulkConcurrencyLimit = 5;

    private Builder() {}

    /**
     * Sets how fast bulk operations run on the emulator's clock: a query producing n objects (JSONL
     * lines) completes {@code 1 s + ceil(n / objectsPerSecond) s} after it was created. Default
     * 1,000 per second.
     *
     * @param objectsPerSecond objects per second, at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder bulkObjectsPerSecond(int objectsPerSecond) {
      if (objectsPerSecond < 1) {
        throw new IllegalArgumentException("objectsPerSecond < 1: " + objectsPerSecond);
      }
      this.bulkObjectsPerSecond = objectsPerSecond;
      return this;
    }

    /**
     * Sets how many bulk queries may run at once per shop from API version 2026-01 on (Shopify:
     * five; one more is refused with {@code LIMIT_REACHED}). Older versions allow one ({@code
     * OPERATION_IN_PROGRESS}) whatever this says.
     *
     * @param limit the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder bulkConcurrencyLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit < 1: " + limit);
      }
      this.bulkConcurrencyLimit = limit;
      return this;
    }

    /**
     * Sets the shop's domain.
     *
     * @param domain e.g. {@code a.myshopify.com}
     * @return this builder
     */
    public Builder shopDomain(String domain) {
      this.shopDomain = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the shop's name.
     *
     * @param name the name
     * @return this builder
     */
    public Builder shopName(String name) {
      this.shopName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the access token requests must carry.
     *
     * @param token e.g. {@code shpat_...}
     * @return this builder
     */
    public Builder accessToken(String token) {
      this.accessToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Sets the clock that drives the rate-limit bucket and every timestamp.
     *
     * @param clock e.g. a {@code ManualClock}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how requests are priced. Default: {@link CostModel#documented()}.
     *
     * @param model the cost model
     * @return this builder
     */
    public Builder costModel(CostModel model) {
      this.costModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * Sets the leaky bucket (default 2,000 points, 100 per second).
     *
     * @param maximumAvailable the bucket size in points
     * @param restoreRatePerSecond the points restored per second of clock time
     * @return this builder
     * @throws IllegalArgumentException if either is below 1
     */
    public Builder bucket(int maximumAvailable, int restoreRatePerSecond) {
      if (maximumAvailable < 1 || restoreRatePerSecond < 1) {
        throw new IllegalArgumentException(
            "bucket must be positive: " + maximumAvailable + "/" + restoreRatePerSecond);
      }
      this.maximumAvailable = maximumAvailable;
      this.restoreRate = restoreRatePerSecond;
      return this;
    }

    /**
     * Sets the app's client secret that signs webhooks; without it no webhook is sent.
     *
     * @param secret the secret
     * @return this builder
     */
    public Builder webhookSecret(String secret) {
      this.webhookSecret = Objects.requireNonNull(secret, "secret");
      return this;
    }

    /**
     * Seeds the random source of {@link ShopifyEmulator#failFraction(double, Fault)}.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets how long {@link Fault#SLOW} holds back response bodies, in real time (default 1 s).
     *
     * @param delay the delay
     * @return this builder
     * @throws IllegalArgumentException if the delay is negative
     */
    public Builder slowDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative delay: " + delay);
      }
      this.slowDelay = delay;
      return this;
    }

    /**
     * Sets how long after an online order its fulfilment orders appear, on the emulator's clock
     * (default 3 s): Shopify creates them in a background routing step after the order.
     *
     * @param delay the delay, zero for at once
     * @return this builder
     * @throws IllegalArgumentException if the delay is negative
     */
    public Builder routingDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative delay: " + delay);
      }
      this.routingDelay = delay;
      return this;
    }

    /**
     * Creates the emulator, not yet started.
     *
     * @return the emulator
     */
    public ShopifyEmulator build() {
      return new ShopifyEmulator(this);
    }
  }
}
