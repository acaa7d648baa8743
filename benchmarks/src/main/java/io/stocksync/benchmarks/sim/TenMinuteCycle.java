package io.stocksync.benchmarks.sim;

import io.stocksync.core.ChannelException;
import io.stocksync.core.RetryLaterException;
import io.stocksync.core.Sku;
import io.stocksync.core.channel.ChannelCall;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.sync.SyncScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The baseline: how a typical competitor syncs, written as honestly as we can. Every 10 minutes
 * it reads each store's orders updated since its last run (with a 2-minute overlap), books them
 * into its own stock table once per order line state, then pushes every listed SKU's available
 * figure (never below 0) to every store, whether it changed or not, without compare-and-set. The
 * merchant's receipts and stocktakes go straight into its table. It paces to each channel's
 * budget (the connector's pacing hint and request rate), retries a failed call up to three times
 * with backoff and the channel's retry-after, then skips it until the next cycle. It uses the
 * same connectors as the hub, so calls and cost are counted the same way.
 */
final class TenMinuteCycle {
  static final Duration INTERVAL = Duration.ofMinutes(10);
  private static final Duration LOOKBACK = Duration.ofMinutes(2);
  private static final int MAX_ATTEMPTS = 3;

  private final List<StoreDriver> stores;
  private final List<ChannelConnector> connectors;
  private final List<Sku> skus;
  private final SyncScheduler scheduler;
  private final Clock clock;
  private final Map<Sku, long[]> table = new HashMap<>(); // {onHand, committed}
  private final Map<String, long[]> lineStates = new HashMap<>(); // {committed, onHandDelta}
  private final Instant[] cursors;
  private final Instant[] lastCall;
  private final Deque<Step> steps = new ArrayDeque<>();
  private boolean running;
  private int attempts;
  private long cycles;
  private long skippedCycles;
  private long oversellEvents;
  private long failedCalls;
  private long keys;

  /** One call of a cycle. */
  private interface Step {
    int store();

    ChannelCall call();

    int items();

    void run();
  }

  TenMinuteCycle(List<StoreDriver> stores, List<ChannelConnector> connectors, List<Sku> skus,
      int[] initialStock, SyncScheduler scheduler, Clock clock) {
    this.stores = stores;
    this.connectors = connectors;
    this.skus = skus;
    this.scheduler = scheduler;
    this.clock = clock;
    for (int i = 0; i < skus.size(); i++) {
      table.put(skus.get(i), new long[] {initialStock[i], 0});
    }
    cursors = new Instant[stores.size()];
    lastCall = new Instant[stores.size()];
  }

  /**
   * Starts the cycle.
   *
   * @param first when the first cycle runs; orders from one minute before it on are read
   */
  void start(Instant first) {
    for (int s = 0; s < stores.size(); s++) {
      cursors[s] = first.minus(Duration.ofMinutes(1));
    }
    scheduler.schedule(Duration.between(clock.instant(), first), this::tick);
  }

  /** The merchant books a receipt in the competitor's app. */
  void receive(Sku sku, long units) {
    table.get(sku)[0] += units;
  }

  /** The merchant enters a stocktake count in the competitor's app. */
  void stocktake(Sku sku, long counted) {
    table.get(sku)[0] = counted;
  }

  long available(Sku sku) {
    long[] row = table.get(sku);
    return row[0] - row[1];
  }

  long oversellEvents() {
    return oversellEvents;
  }

  long cycles() {
    return cycles;
  }

  long skippedCycles() {
    return skippedCycles;
  }

  long failedCalls() {
    return failedCalls;
  }

  private void tick() {
    scheduler.schedule(INTERVAL, this::tick);
    if (running) {
      skippedCycles++; // the last cycle is still pushing: a cron job would not start another
      return;
    }
    running = true;
    cycles++;
    Instant cycleStart = clock.instant();
    for (int s = 0; s < stores.size(); s++) {
      steps.add(readOrders(s, null, cycleStart));
    }
    steps.add(planPushes());
    runSteps();
  }

  private void runSteps() {
    while (!steps.isEmpty()) {
      Step step = steps.peek();
      Duration wait = waitBefore(step);
      if (!wait.isZero()) {
        scheduler.schedule(wait, this::runSteps);
        return;
      }
      try {
        if (step.store() >= 0) {
          lastCall[step.store()] = clock.instant();
        }
        steps.poll();
        step.run();
        attempts = 0;
      } catch (RetryLaterException e) {
        failedCalls++;
        if (++attempts >= MAX_ATTEMPTS) {
          attempts = 0; // give up on this call until the next cycle
          continue;
        }
        steps.addFirst(step);
        Duration backoff = Duration.ofSeconds(1L << attempts);
        Duration retryAfter = e.retryAfter().orElse(Duration.ZERO);
        scheduler.schedule(retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff,
            this::runSteps);
        return;
      } catch (ChannelException e) {
        failedCalls++;
        attempts = 0;
      }
    }
    running = false;
  }

  private Duration waitBefore(Step step) {
    int s = step.store();
    if (s < 0) {
      return Duration.ZERO;
    }
    ChannelConnector c = connectors.get(s);
    Duration wait = c.pacingDelay(step.call(), step.items());
    double rate = c.capabilities().maxRequestsPerSecond();
    if (rate > 0 && lastCall[s] != null) {
      Instant next = lastCall[s].plusNanos((long) (1e9 / rate));
      Duration spacing = Duration.between(clock.instant(), next);
      if (spacing.compareTo(wait) > 0) {
        wait = spacing;
      }
    }
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private Step readOrders(int store, @Nullable String token, Instant cycleStart) {
    return new Step() {
      @Override
      public int store() {
        return store;
      }

      @Override
      public ChannelCall call() {
        return ChannelCall.ORDERS;
      }

      @Override
      public int items() {
        return 0;
      }

      @Override
      public void run() {
        Page<ChannelOrder> page = connectors.get(store)
            .orders(new OrderQuery(cursors[store], token));
        for (ChannelOrder order : page.items()) {
          apply(store, order);
        }
        if (page.hasNext()) {
          steps.addFirst(readOrders(store, page.nextPageToken(), cycleStart));
        } else {
          cursors[store] = cycleStart.minus(LOOKBACK);
        }
      }
    };
  }

  /** Books the difference between this state of each line and the last one seen. */
  private void apply(int store, ChannelOrder order) {
    for (ChannelOrderLine line : order.lines()) {
      Sku sku = Sku.ofNullable(line.sku());
      if (sku == null || !table.containsKey(sku)) {
        continue;
      }
      long committed = order.cancelled() ? 0
          : line.quantity() - line.fulfilled() - line.cancelled();
      long onHandDelta = line.restocked() - line.fulfilled();
      String key = store + "|" + order.orderId() + "|" + line.lineId();
      long[] before = lineStates.getOrDefault(key, new long[2]);
      long[] row = table.get(sku);
      long bookedMore = committed - before[0];
      row[1] += bookedMore;
      row[0] += onHandDelta - before[1];
      lineStates.put(key, new long[] {committed, onHandDelta});
      if (bookedMore > 0 && row[0] - row[1] < 0) {
        oversellEvents++; // the competitor's "oversold" alert
      }
    }
  }

  private Step planPushes() {
    return new Step() {
      @Override
      public int store() {
        return -1;
      }

      @Override
      public ChannelCall call() {
        return ChannelCall.PUSH;
      }

      @Override
      public int items() {
        return 0;
      }

      @Override
      public void run() {
        List<Step> pushes = new ArrayList<>();
        for (int s = 0; s < stores.size(); s++) {
          StoreDriver store = stores.get(s);
          int batch = connectors.get(s).capabilities().maxBatchSize();
          List<PushItem> items = new ArrayList<>();
          for (Sku sku : skus) {
            if (store.lists(sku)) {
              items.add(new PushItem(store.ref(sku), Math.max(0, available(sku)), null,
                  "baseline-" + ++keys));
            }
          }
          for (int from = 0; from < items.size(); from += batch) {
            pushes.add(push(s, items.subList(from, Math.min(items.size(), from + batch))));
          }
        }
        for (int i = pushes.size() - 1; i >= 0; i--) {
          steps.addFirst(pushes.get(i));
        }
      }
    };
  }

  private Step push(int store, List<PushItem> items) {
    return new Step() {
      @Override
      public int store() {
        return store;
      }

      @Override
      public ChannelCall call() {
        return ChannelCall.PUSH;
      }

      @Override
      public int items() {
        return items.size();
      }

      @Override
      public void run() {
        // Per-item failures are not retried: the next cycle pushes every figure again.
        connectors.get(store).push(items);
      }
    };
  }
}
