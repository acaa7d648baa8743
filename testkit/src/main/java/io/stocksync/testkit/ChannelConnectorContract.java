package io.stocksync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.stocksync.core.RetryLaterException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChannelConnector} must show, as a JUnit 5 suite. A connector's test
 * extends this class and supplies a {@link Fixture}: the connector plus a back door to the store
 * behind it (an emulator, a mock server, or the real sandbox), used to seed data and to check what
 * really landed.
 *
 * <pre>{@code
 * class MyConnectorContractTest extends ChannelConnectorContract {
 *   @Override
 *   protected Fixture newFixture() {
 *     return new MyEmulatorFixture();
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh fixture, closed afterwards. Tests use unique SKUs, so a fixture may
 * share a backend between tests as long as paging and ordering stay per store. Tests of optional
 * abilities are skipped when the connector does not claim them: compare-and-set, accepted (late)
 * writes, and reading an order by id.
 */
public abstract class ChannelConnectorContract {

  /**
   * A connector under test and direct access to the store it talks to. Methods other than {@link
   * #connector()} must bypass the connector, so the suite can tell what the connector claims from
   * what the store holds.
   */
  // close() keeps AutoCloseable's "throws Exception" so fixtures may wrap anything (servers,
  // containers); the suite closes the fixture itself, so the InterruptedException lint is moot.
  @SuppressWarnings("try")
  public interface Fixture extends AutoCloseable {
    /**
     * Returns the connector under test; the same instance for the fixture's lifetime.
     *
     * @return the connector
     */
    ChannelConnector connector();

    /**
     * Creates an active, tracked listing stocked at the connector's first location (the first of
     * {@link ChannelConnector#locations()}).
     *
     * @param sku the listing's SKU, unique to the calling test
     * @param quantity its stock at the first location
     * @return the listing's id, as {@link ChannelListing#listingId()} will report it
     */
    String seedListing(String sku, long quantity);

    /** Creates a listing that has no SKU. */
    void seedListingWithoutSku();

    /**
     * Records a sale on the store that the connector will report as an order.
     *
     * @param sku the SKU sold, one seeded by the test
     * @param quantity units sold
     * @return the order's id, as {@link ChannelOrder#orderId()} will report it
     */
    String placeOrder(String sku, long quantity);

    /**
     * Reads a figure from the store directly, bypassing the connector.
     *
     * @param ref the figure
     * @return the store's quantity
     */
    long storeQuantity(StockRef ref);

    /**
     * Tells how many listings to seed so that reading them takes at least three pages.
     *
     * @return the number of listings; 60 by default
     */
    default int listingsForPaging() {
      return 60;
    }

    /**
     * Makes the next push call fail transiently, either as a whole ({@link RetryLaterException}) or
     * item by item ({@link PushResult.Retryable}), without applying anything. The call after it
     * succeeds.
     */
    void failNextPushRetryably();

    /**
     * Lets time pass on the store, for backends that stamp orders with a coarse clock or that ask
     * for a wait before a retry. The default does nothing.
     *
     * @param duration how much time
     */
    default void advanceTime(Duration duration) {}
  }

  /** A guard against connectors whose paging never ends. */
  private static final int MAX_PAGES = 10_000;

  private final String skuPrefix = "CT-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private int skuCounter;
  private @Nullable Fixture fixture;

  /** Creates the suite; subclasses supply the fixture. */
  protected ChannelConnectorContract() {}

  /**
   * Creates a fresh fixture; called before every test and closed after it.
   *
   * @return the fixture
   * @throws Exception if the fixture cannot be set up
   */
  protected abstract Fixture newFixture() throws Exception;

  @BeforeEach
  void openFixture() throws Exception {
    fixture = newFixture();
  }

  @AfterEach
  void closeFixture() throws Exception {
    Fixture open = fixture;
    fixture = null;
    if (open != null) {
      open.close();
    }
  }

  // --- Listings ---

  @Test
  void pagingCoversEverySeededListingExactlyOnce() {
    int count = fixture().listingsForPaging();
    Set<String> seeded = new HashSet<>();
    for (int i = 0; i < count; i++) {
      seeded.add(fixture().seedListing(nextSku(), i));
    }

    List<String> reported = new ArrayList<>();
    int pages = readAllListings(page -> page.forEach(l -> reported.add(l.listingId())));

    assertThat(reported).as("listing ids over all pages").doesNotHaveDuplicates();
    assertThat(reported).as("listing ids over all pages").containsAll(seeded);
    assertThat(reported.stream().filter(seeded::contains).count()).isEqualTo(count);
    assertThat(pages)
        .as("pages read; the fixture should seed enough listings to span three pages")
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void listingsWithoutSkuAreNotReported() {
    fixture().seedListing(nextSku(), 1);
    Set<String> before = allListingIds();

    fixture().seedListingWithoutSku();
    String withSku = fixture().seedListing(nextSku(), 1);

    Set<String> after = allListingIds();
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    assertThat(added).as("listings that appeared").containsExactly(withSku);
  }

  @Test
  void seededListingIsReportedWithItsSkuAndQuantity() {
    String sku = nextSku();
    String id = fixture().seedListing(sku, 7);

    ChannelListing listing = listing(id);

    assertThat(listing.sku().value()).isEqualTo(sku);
    assertThat(listing.quantities()).containsEntry(firstLocation(), 7L);
    assertThat(listing.status()).isEqualTo(ListingStatus.ACTIVE);
    assertThat(listing.tracked()).isTrue();
  }

  // --- Orders ---

  @Test
  void ordersSinceAnEarlierInstantAreEachReportedOnceInUpdateOrder() {
    String sku = nextSku();
    fixture().seedListing(sku, 100);
    List<String> placed = placeThreeOrders(sku);

    List<ChannelOrder> all = readAllOrders(Instant.EPOCH);
    assertSortedByUpdateTime(all);
    List<ChannelOrder> ours = only(all, placed);
    assertThat(ours).extracting(ChannelOrder::orderId).containsExactlyInAnyOrderElementsOf(placed);
    for (int i = 0; i < placed.size(); i++) {
      ChannelOrder order = find(ours, placed.get(i));
      assertThat(order.lines())
          .extracting(ChannelOrderLine::sku, ChannelOrderLine::quantity)
          .as("lines of %s", order.orderId())
          .containsExactly(Tuple.tuple(sku, i + 1L));
    }

    // The lower bound is inclusive: reading from the first order's own update time keeps it.
    Instant first =
        ours.stream().map(ChannelOrder::updatedAt).min(Instant::compareTo).orElseThrow();
    List<ChannelOrder> fromFirst = readAllOrders(first);
    assertSortedByUpdateTime(fromFirst);
    assertThat(only(fromFirst, placed))
        .extracting(ChannelOrder::orderId)
        .containsExactlyInAnyOrderElementsOf(placed);
  }

  @Test
  void ordersUpdatedBeforeTheCursorAreNotReported() {
    String sku = nextSku();
    fixture().seedListing(sku, 100);
    List<String> placed = placeThreeOrders(sku);
    Instant last =
        only(readAllOrders(Instant.EPOCH), placed).stream()
            .map(ChannelOrder::updatedAt)
            .max(Instant::compareTo)
            .orElseThrow(() -> new AssertionError("placed orders not reported at all"));
    fixture().advanceTime(Duration.ofSeconds(2));

    // One second later, so backends with second precision are not caught by rounding.
    List<ChannelOrder> later = readAllOrders(last.plusSeconds(1));

    assertThat(only(later, placed)).isEmpty();
  }

  @Test
  void anOrderReadByIdIsTheOrderTheSearchReports() {
    ChannelConnector c = fixture().connector();
    Assumptions.assumeTrue(c.readsOrderById(), "the connector does not read orders by id");
    String sku = nextSku();
    fixture().seedListing(sku, 100);
    String placed = fixture().placeOrder(sku, 2);
    ChannelOrder searched = find(only(readAllOrders(Instant.EPOCH), List.of(placed)), placed);

    // Equal, version included: the engine must apply it once whichever way it arrives.
    assertThat(c.readOrder(placed)).contains(searched);
  }

  // --- Pushes ---

  @Test
  void pushedQuantityIsConfirmedAndReadBack() {
    String id = fixture().seedListing(nextSku(), 5);
    StockRef ref = refOf(listing(id));

    List<PushResult> results = connector().push(List.of(new PushItem(ref, 12, 5L, nextKey())));

    assertThat(results).hasSize(1);
    assertLands(results.get(0), ref, 12);
    assertThat(connector().readQuantities(List.of(ref))).isEqualTo(Map.of(ref, 12L));
    assertThat(fixture().storeQuantity(ref)).as("store's figure").isEqualTo(12);
  }

  @Test
  void pushOfAFullBatchAnswersOneResultPerItemInOrder() {
    int size = connector().capabilities().maxBatchSize();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add(fixture().seedListing(nextSku(), 0));
    }
    Map<String, ChannelListing> listings = new HashMap<>();
    readAllListings(page -> page.forEach(l -> listings.put(l.listingId(), l)));
    List<PushItem> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ChannelListing listing = listings.get(ids.get(i));
      assertThat(listing).as("seeded listing %s", ids.get(i)).isNotNull();
      // Distinct quantities, so a result in the wrong place shows.
      batch.add(new PushItem(refOf(listing), i + 1, 0L, nextKey()));
    }

    List<PushResult> results = connector().push(batch);

    assertThat(results).hasSize(size);
    for (int i = 0; i < size; i++) {
      assertLands(results.get(i), batch.get(i).ref(), batch.get(i).quantity());
    }
    for (PushItem item : batch) {
      assertThat(fixture().storeQuantity(item.ref()))
          .as("%s", item.ref())
          .isEqualTo(item.quantity());
    }
  }

  @Test
  void retryableFailureSurfacesAsRetryLaterAndTheRetryLands() {
    String id = fixture().seedListing(nextSku(), 3);
    StockRef ref = refOf(listing(id));
    PushItem item = new PushItem(ref, 9, null, nextKey());
    fixture().failNextPushRetryably();

    Duration wait = Duration.ofSeconds(1);
    List<PushResult> failed = new ArrayList<>();
    Throwable thrown = catchThrowable(() -> failed.addAll(connector().push(List.of(item))));
    if (thrown != null) {
      assertThat(thrown).as("transport failure").isInstanceOf(RetryLaterException.class);
      wait = ((RetryLaterException) thrown).retryAfter().orElse(wait);
    } else {
      assertThat(failed).hasSize(1);
      assertThat(failed.get(0)).as("item result").isInstanceOf(PushResult.Retryable.class);
      Duration asked = ((PushResult.Retryable) failed.get(0)).retryAfter();
      wait = asked == null ? wait : asked;
      assertThat(fixture().storeQuantity(ref)).as("store's figure after the failure").isEqualTo(3);
    }
    fixture().advanceTime(wait);

    List<PushResult> retried = connector().push(List.of(item));

    assertThat(retried).hasSize(1);
    assertLands(retried.get(0), ref, 9);
    assertThat(fixture().storeQuantity(ref)).as("store's figure").isEqualTo(9);
  }

  @Test
  void compareAndSetWithAWrongExpectationAnswersStaleAndChangesNothing() {
    Assumptions.assumeTrue(
        connector().capabilities().compareAndSet(), "the connector does not claim compare-and-set");
    String id = fixture().seedListing(nextSku(), 5);
    StockRef ref = refOf(listing(id));

    List<PushResult> results = connector().push(List.of(new PushItem(ref, 8, 4L, nextKey())));

    assertThat(results).containsExactly(new PushResult.Stale(5));
    assertThat(fixture().storeQuantity(ref)).as("store's figure").isEqualTo(5);
    assertThat(connector().readQuantities(List.of(ref))).isEqualTo(Map.of(ref, 5L));
  }

  @Test
  void acceptedPushBecomesReadableEventually() {
    String id = fixture().seedListing(nextSku(), 5);
    StockRef ref = refOf(listing(id));

    List<PushResult> results = connector().push(List.of(new PushItem(ref, 7, 5L, nextKey())));

    assertThat(results).hasSize(1);
    Assumptions.assumeTrue(results.get(0) instanceof PushResult.Accepted,
        "the connector confirms writes synchronously");
    PushResult.Accepted accepted = (PushResult.Accepted) results.get(0);
    assertThat(accepted.quantity()).as("accepted quantity").isEqualTo(7);
    assertLands(accepted, ref, 7);
    assertThat(fixture().storeQuantity(ref)).as("store's figure").isEqualTo(7);
  }

  // --- Helpers ---

  /** How many times an accepted write's announced wait may pass before it must be readable. */
  private static final int VERIFY_ROUNDS = 10;

  /**
   * Asserts that a push result means the quantity is (or becomes) the store's figure: {@link
   * PushResult.Confirmed} at once, or {@link PushResult.Accepted} readable through {@link
   * ChannelConnector#readQuantities} after the fixture's time has moved by the announced wait
   * (a few times at most), which is what the engine relies on to verify it.
   */
  private void assertLands(PushResult result, StockRef ref, long quantity) {
    if (!(result instanceof PushResult.Accepted)) {
      assertThat(result).as("result for %s", ref).isEqualTo(new PushResult.Confirmed(quantity));
      return;
    }
    PushResult.Accepted accepted = (PushResult.Accepted) result;
    assertThat(accepted.quantity()).as("accepted quantity for %s", ref).isEqualTo(quantity);
    Duration step = accepted.verifyAfter().isZero() ? Duration.ofSeconds(1) : accepted.verifyAfter();
    Long read = connector().readQuantities(List.of(ref)).get(ref);
    for (int i = 0; i < VERIFY_ROUNDS && !Objects.equals(read, quantity); i++) {
      fixture().advanceTime(step);
      read = connector().readQuantities(List.of(ref)).get(ref);
    }
    assertThat(read).as("figure of %s read back after the accepted write's wait", ref)
        .isEqualTo(quantity);
  }

  private Fixture fixture() {
    return Objects.requireNonNull(fixture, "no fixture: newFixture() was not called");
  }

  private ChannelConnector connector() {
    return fixture().connector();
  }

  private String nextSku() {
    return skuPrefix + ++skuCounter;
  }

  private String nextKey() {
    return UUID.randomUUID().toString();
  }

  private String firstLocation() {
    return connector().locations().get(0).id();
  }

  private StockRef refOf(ChannelListing listing) {
    return new StockRef(listing.inventoryRef(), firstLocation());
  }

  private List<String> placeThreeOrders(String sku) {
    List<String> placed = new ArrayList<>();
    for (long quantity = 1; quantity <= 3; quantity++) {
      placed.add(fixture().placeOrder(sku, quantity));
      // Distinct update times on backends whose clocks tick in seconds.
      fixture().advanceTime(Duration.ofSeconds(1));
    }
    return placed;
  }

  /** Reads every listing (no drafts, no lower bound), page by page; returns the page count. */
  private int readAllListings(Consumer<List<ChannelListing>> sink) {
    ListingQuery query = new ListingQuery(null, false, null);
    Set<String> tokens = new HashSet<>();
    for (int pages = 1; pages <= MAX_PAGES; pages++) {
      Page<ChannelListing> page = connector().listings(query);
      sink.accept(page.items());
      String next = page.nextPageToken();
      if (next == null) {
        return pages;
      }
      assertThat(tokens.add(next)).as("page token %s handed out twice", next).isTrue();
      query = query.next(next);
    }
    return fail("listing paging did not end after " + MAX_PAGES + " pages");
  }

  private Set<String> allListingIds() {
    Set<String> ids = new HashSet<>();
    readAllListings(page -> page.forEach(l -> ids.add(l.listingId())));
    return ids;
  }

  private ChannelListing listing(String id) {
    List<ChannelListing> found = new ArrayList<>();
    readAllListings(
        page -> page.stream().filter(l -> l.listingId().equals(id)).forEach(found::add));
    assertThat(found).as("listings reported with id %s", id).hasSize(1);
    return found.get(0);
  }

  private List<ChannelOrder> readAllOrders(Instant since) {
    OrderQuery query = new OrderQuery(since, null);
    List<ChannelOrder> all = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    for (int pages = 1; pages <= MAX_PAGES; pages++) {
      Page<ChannelOrder> page = connector().orders(query);
      all.addAll(page.items());
      String next = page.nextPageToken();
      if (next == null) {
        return all;
      }
      assertThat(tokens.add(next)).as("page token %s handed out twice", next).isTrue();
      query = query.next(next);
    }
    return fail("order paging did not end after " + MAX_PAGES + " pages");
  }

  /** The reported orders that the test placed, each order id must appear at most once. */
  private static List<ChannelOrder> only(List<ChannelOrder> orders, List<String> placed) {
    List<ChannelOrder> ours = new ArrayList<>();
    for (ChannelOrder order : orders) {
      if (placed.contains(order.orderId())) {
        ours.add(order);
      }
    }
    assertThat(ours).extracting(ChannelOrder::orderId).as("placed orders").doesNotHaveDuplicates();
    return ours;
  }

  private static ChannelOrder find(List<ChannelOrder> orders, String orderId) {
    Map<String, ChannelOrder> byId = new HashMap<>();
    orders.forEach(o -> byId.put(o.orderId(), o));
    return Objects.requireNonNull(byId.get(orderId), orderId);
  }

  private static void assertSortedByUpdateTime(List<ChannelOrder> orders) {
    Function<ChannelOrder, Instant> time = ChannelOrder::updatedAt;
    assertThat(orders)
        .extracting(time)
        .as("update times over all pages")
        .isSortedAccordingTo(Instant::compareTo);
  }
}
