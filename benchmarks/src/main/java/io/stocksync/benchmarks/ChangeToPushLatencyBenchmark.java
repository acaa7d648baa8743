package io.stocksync.benchmarks;

import io.stocksync.core.Inventory;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StockLevel;
import io.stocksync.core.StoreId;
import io.stocksync.core.Warehouse;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.SyncOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.core.sync.TurnOnSyncPlan;
import io.stocksync.testkit.InMemoryChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end latency of one stock change through a real {@link StockSync}: from {@code
 * inventory().adjust(...)} until every store's {@link InMemoryChannel} holds the new figure.
 *
 * <p>Real threads and real time: the engine's default {@code ExecutorSyncScheduler} (two
 * threads) and the system clock. {@code debounceMs=1000} is the default {@link SyncOptions}
 * (push debounce 1 s), so the figure is about one second plus the engine's overhead; {@code
 * debounceMs=0} shows the overhead alone (plan, queue, push, confirm). Each invocation changes
 * the next SKU in turn, by +1 on even passes over the catalogue and -1 on odd ones, and waits
 * for it by spinning on {@link InMemoryChannel#quantity(String)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
public class ChangeToPushLatencyBenchmark {
  /** Longest wait for one change before the run is declared broken. */
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** The push debounce in milliseconds; 1000 is the default. */
  @Param({"1000", "0"})
  public long debounceMs;

  /** Stores listing every SKU; each must show the change. */
  @Param({"2"})
  public int stores;

  /** SKUs in the hub, each listed once per store. */
  @Param({"1000"})
  public int skus;

  private StockSync hub;
  private Inventory inventory;
  private final List<InMemoryChannel> channels = new ArrayList<>();
  private Sku[] skuList;
  private String[][] listingIds;
  private long invocation;

  /** Creates the benchmark state; JMH calls {@link #setUp()} before measuring. */
  public ChangeToPushLatencyBenchmark() {}

  /**
   * Starts the hub, connects the stores, waits for their listings and turns sync on.
   *
   * @throws InterruptedException if interrupted while waiting for listing sync
   */
  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    Set<StoreId> listed = ConcurrentHashMap.newKeySet();
    CountDownLatch listingsDone = new CountDownLatch(stores);
    SyncOptions options = debounceMs == 1000
        ? SyncOptions.DEFAULT
        : SyncOptions.builder().pushDebounce(Duration.ofMillis(debounceMs)).build();
    hub = StockSync.builder()
        .options(options)
        .listener(new SyncListener() {
          @Override
          public void onRunFinished(SyncEvent.RunFinished event) {
            if (event.kind() == SyncEvent.RunKind.LISTINGS && listed.add(event.store())) {
              listingsDone.countDown();
            }
          }
        })
        .build();
    inventory = hub.inventory();
    inventory.defineWarehouse(Warehouse.of(Catalogue.WAREHOUSE, "Main"));
    skuList = new Sku[skus];
    List<InventoryOperation> initial = new ArrayList<>(skus);
    for (int n = 0; n < skus; n++) {
      skuList[n] = Sku.of(Catalogue.skuValue(n));
      inventory.defineProduct(new Product(skuList[n], "Product " + n, List.of()));
      initial.add(new InventoryOperation.Adjust(skuList[n], Catalogue.WAREHOUSE,
          Catalogue.initialStock(n), "initial", null));
    }
    inventory.applyAll(initial);

    listingIds = new String[stores][skus];
    for (int s = 0; s < stores; s++) {
      InMemoryChannel channel = InMemoryChannel.builder(StoreId.of("memory", "shop-" + s))
          .name("Shop " + s)
          .maxRequestsPerSecond(0)
          .pageSize(250)
          .build();
      for (int n = 0; n < skus; n++) {
        listingIds[s][n] = "gid://shopify/ProductVariant/" + (40_000_000_000L + (long) s * skus + n);
        channel.addListing(listingIds[s][n], Catalogue.skuValue(n), Catalogue.initialStock(n));
      }
      channels.add(channel);
      hub.connect(channel, StoreOptions.DEFAULT);
    }
    if (!listingsDone.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("listing sync did not finish within 60 s");
    }
    for (InMemoryChannel channel : channels) {
      TurnOnSyncPlan plan = hub.prepareTurnOnSync(channel.storeId(),
          TurnOnSyncChoices.builder().copyInventory(false)
              .location("default", LocationChoice.existing(Catalogue.WAREHOUSE)).build());
      if (!plan.pushes().isEmpty() || plan.listings() != skus) {
        throw new IllegalStateException("unexpected turn-on plan: " + plan.summary());
      }
      hub.turnOnSync(plan);
    }
  }

  /** Forgets recorded push calls so a long run does not grow the heap. */
  @Setup(Level.Iteration)
  public void forgetPushCalls() {
    for (InMemoryChannel channel : channels) {
      channel.clearPushCalls();
    }
  }

  /** Stops the hub and its scheduler threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    hub.close();
  }

  /**
   * Changes one SKU's stock and waits until every store shows it.
   *
   * @return the new quantity
   */
  @Benchmark
  public long changeToPush() {
    int n = (int) (invocation % skus);
    long delta = (invocation / skus) % 2 == 0 ? 1 : -1;
    invocation++;
    StockLevel level = inventory.adjust(skuList[n], Catalogue.WAREHOUSE, delta, "benchmark");
    long expected = level.available();
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    for (int s = 0; s < channels.size(); s++) {
      InMemoryChannel channel = channels.get(s);
      String listingId = listingIds[s][n];
      while (channel.quantity(listingId) != expected) {
        Thread.onSpinWait();
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(listingId + " on " + channel.storeId() + " still shows "
              + channel.quantity(listingId) + ", expected " + expected);
        }
      }
    }
    return expected;
  }
}
