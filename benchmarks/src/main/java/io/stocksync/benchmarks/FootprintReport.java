package io.stocksync.benchmarks;

import io.stocksync.core.store.InMemoryInventoryStore;
import io.stocksync.core.sync.Planner;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * Prints the retained heap of the default {@link Catalogue} in an {@link InMemoryInventoryStore}
 * and of a hard-refresh plan over it. Not a JMH benchmark: run it with a fixed heap, e.g.
 *
 * <pre>{@code
 * java -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *     io.stocksync.benchmarks.FootprintReport [skus] [stores]
 * }</pre>
 *
 * <p>Retained heap is the heap in use after repeated full collections, measured before and after
 * building while a strong reference keeps the object alive. Output is one {@code key=value} per
 * line, the same keys on every run. Target: under 300 bytes per listing-location.
 */
public final class FootprintReport {
  private FootprintReport() {}

  /**
   * Builds the catalogue and prints the figures.
   *
   * @param args optional: the number of SKUs, then the number of stores
   */
  public static void main(String[] args) {
    int skus = args.length > 0 ? Integer.parseInt(args[0]) : Catalogue.DEFAULT_SKUS;
    int stores = args.length > 1 ? Integer.parseInt(args[1]) : Catalogue.DEFAULT_STORES;

    long base = retainedHeap();
    Catalogue catalogue = Catalogue.build(skus, stores);
    long withStore = retainedHeap();
    long storeBytes = withStore - base;
    long listingLocations = catalogue.listingLocations();

    Planner.Plan plan = catalogue.store().read(r -> Planner.forAll(r, true));
    long withPlan = retainedHeap();
    long planBytes = withPlan - withStore;
    int pushes = plan.pushes().size();

    print("footprint.skus", skus);
    print("footprint.stores", stores);
    print("footprint.listingLocations", listingLocations);
    print("footprint.storeBytes", storeBytes);
    print("footprint.bytesPerListingLocation", Math.round((double) storeBytes / listingLocations));
    print("footprint.bytesPerSku", Math.round((double) storeBytes / skus));
    print("hardRefresh.pushes", pushes);
    print("hardRefresh.planBytes", planBytes);
    print("hardRefresh.bytesPerPush", pushes == 0 ? 0 : Math.round((double) planBytes / pushes));
    if (catalogue.store().read(r -> r.productCount()) != skus || pushes != listingLocations) {
      throw new IllegalStateException("catalogue or plan incomplete");
    }
    // Strong references up to here, so neither could be collected while being measured.
    Reference.reachabilityFence(catalogue);
    Reference.reachabilityFence(plan);
  }

  private static void print(String key, long value) {
    System.out.println(String.format(Locale.ROOT, "%s=%d", key, value));
  }

  /** Heap in use once repeated full collections stop freeing anything. */
  private static long retainedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 10; i++) {
      System.gc();
      used = memory.getHeapMemoryUsage().getUsed();
      if (i >= 2 && Math.abs(previous - used) < 64 * 1024) {
        break;
      }
      previous = used;
    }
    return used;
  }
}
