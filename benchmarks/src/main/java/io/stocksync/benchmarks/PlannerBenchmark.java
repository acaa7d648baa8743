package io.stocksync.benchmarks;

import io.stocksync.core.Inventory;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Sku;
import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.sync.Planner;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The planner over the default {@link Catalogue} (250,000 SKUs on 4 stores: 1,000,000
 * listing-locations).
 *
 * <ul>
 *   <li>{@link #incremental}: a delta plan of 1,000 SKUs spread over the catalogue whose stock
 *       changed once during setup, so each yields 4 pushes (4,000 in all). Target: under 5 ms.
 *   <li>{@link #hardRefresh}: a plan of every listing, unchanged ones included (1,000,000
 *       pushes). Target: under 1 s.
 * </ul>
 *
 * <p>Both plan inside one {@code store.read(...)}, as the engine does. Nothing is written, so
 * every invocation sees the same data. The heap is fixed and pre-touched ({@code
 * -XX:+AlwaysPreTouch}): otherwise the first use of each fresh eden page costs a page fault,
 * which on a lazily backed VM added 3 to 8 ms to a 1 ms incremental plan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class PlannerBenchmark {
  /** SKUs in the catalogue. */
  @Param({"250000"})
  public int skus;

  /** Stores in the catalogue. */
  @Param({"4"})
  public int stores;

  /** SKUs changed before the incremental plan. */
  @Param({"1000"})
  public int changed;

  private InMemoryInventoryStore store;
  private List<Sku> changedSkus;

  /** Creates the benchmark state; JMH calls {@link #setUp()} before measuring. */
  public PlannerBenchmark() {}

  /** Builds the catalogue and changes the stock of the SKUs the incremental plan covers. */
  @Setup(Level.Trial)
  public void setUp() {
    Catalogue catalogue = Catalogue.build(skus, stores);
    store = catalogue.store();
    changedSkus = catalogue.spread(changed);
    Inventory inventory = Inventory.create(store,
        Clock.fixed(Catalogue.SYNC_ON_AT.plusSeconds(3600), ZoneOffset.UTC));
    List<InventoryOperation> ops = new ArrayList<>(changedSkus.size());
    for (Sku sku : changedSkus) {
      ops.add(new InventoryOperation.Adjust(sku, Catalogue.WAREHOUSE, 3, "benchmark", null));
    }
    inventory.applyAll(ops);

    int expected = changed * stores;
    int incremental = store.read(r -> Planner.forSkus(r, changedSkus, false)).pushes().size();
    if (incremental != expected) {
      throw new IllegalStateException("incremental plan has " + incremental + " pushes, expected "
          + expected);
    }
    long refresh = store.read(r -> Planner.forAll(r, true)).pushes().size();
    if (refresh != catalogue.listingLocations()) {
      throw new IllegalStateException("hard refresh has " + refresh + " pushes, expected "
          + catalogue.listingLocations());
    }
  }

  /**
   * Plans the changed SKUs (delta mode, unchanged listings left out).
   *
   * @param bh receives the plan
   */
  @Benchmark
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public void incremental(Blackhole bh) {
    bh.consume(store.read(r -> Planner.forSkus(r, changedSkus, false)));
  }

  /**
   * Plans every listing of every store, unchanged ones included.
   *
   * @param bh receives the plan
   */
  @Benchmark
  @Warmup(iterations = 3, time = 5)
  @Measurement(iterations = 5, time = 5)
  public void hardRefresh(Blackhole bh) {
    bh.consume(store.read(r -> Planner.forAll(r, true)));
  }
}
