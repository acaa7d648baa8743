package io.stocksync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stocksync.core.RetryLaterException;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ChannelCapabilities;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelListing;
import io.stocksync.core.channel.ChannelLocation;
import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.ListingQuery;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import io.stocksync.core.channel.PushItem;
import io.stocksync.core.channel.PushResult;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.channel.StoreIdentity;
import io.stocksync.testkit.InMemoryChannelContractTest.InMemoryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs single contract tests against deliberately broken connectors ("mutants" of InMemoryChannel)
 * and checks each is caught, so the contract cannot pass vacuously. Each mutant is also paired with
 * the unbroken channel, which must pass the same test.
 */
class InMemoryChannelMutantsTest {

  /** A connector that forwards everything; mutants override one method to break it. */
  static class Forwarding implements ChannelConnector {
    final InMemoryChannel channel;

    Forwarding(InMemoryChannel channel) {
      this.channel = channel;
    }

    @Override
    public StoreId storeId() {
      return channel.storeId();
    }

    @Override
    public ChannelCapabilities capabilities() {
      return channel.capabilities();
    }

    @Override
    public StoreIdentity identity() {
      return channel.identity();
    }

    @Override
    public List<ChannelLocation> locations() {
      return channel.locations();
    }

    @Override
    public Page<ChannelListing> listings(ListingQuery query) {
      return channel.listings(query);
    }

    @Override
    public Page<ChannelOrder> orders(OrderQuery query) {
      return channel.orders(query);
    }

    @Override
    public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
      return channel.readQuantities(refs);
    }

    @Override
    public List<PushResult> push(List<PushItem> items) {
      return channel.push(items);
    }
  }

  static Stream<Arguments> mutants() {
    return Stream.of(
        mutant(
            "the next page starts one listing early",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelListing> listings(ListingQuery query) {
                    Page<ChannelListing> page = channel.listings(query);
                    List<ChannelListing> items = page.items();
                    return page.hasNext() && items.size() > 1
                        ? new Page<>(items, items.get(items.size() - 2).listingId())
                        : page;
                  }
                },
            ChannelConnectorContract::pagingCoversEverySeededListingExactlyOnce),
        mutant(
            "paging stops after the second page",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelListing> listings(ListingQuery query) {
                    Page<ChannelListing> page = channel.listings(query);
                    return query.pageToken() != null ? new Page<>(page.items(), null) : page;
                  }
                },
            ChannelConnectorContract::pagingCoversEverySeededListingExactlyOnce),
        mutant(
            "everything on one page",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelListing> listings(ListingQuery query) {
                    List<ChannelListing> all = new ArrayList<>();
                    ListingQuery q = query;
                    Page<ChannelListing> page;
                    do {
                      page = channel.listings(q);
                      all.addAll(page.items());
                      q = q.next(String.valueOf(page.nextPageToken()));
                    } while (page.hasNext());
                    return new Page<>(all, null);
                  }
                },
            ChannelConnectorContract::pagingCoversEverySeededListingExactlyOnce),
        mutant(
            "the wrong quantity is reported",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelListing> listings(ListingQuery query) {
                    return map(
                        channel.listings(query), l -> withQuantities(l, plusOne(l.quantities())));
                  }
                },
            ChannelConnectorContract::seededListingIsReportedWithItsSkuAndQuantity),
        mutant(
            "the status is reported as sold out",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelListing> listings(ListingQuery query) {
                    return map(
                        channel.listings(query),
                        l ->
                            new ChannelListing(
                                l.listingId(),
                                l.inventoryRef(),
                                l.sku(),
                                ListingStatus.SOLD_OUT,
                                l.title(),
                                l.tracked(),
                                l.quantities(),
                                l.updatedAt()));
                  }
                },
            ChannelConnectorContract::seededListingIsReportedWithItsSkuAndQuantity),
        mutant(
            "orders are served newest first",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelOrder> orders(OrderQuery query) {
                    Page<ChannelOrder> page = channel.orders(query);
                    List<ChannelOrder> reversed = new ArrayList<>(page.items());
                    Collections.reverse(reversed);
                    return new Page<>(reversed, page.nextPageToken());
                  }
                },
            ChannelConnectorContract::ordersSinceAnEarlierInstantAreEachReportedOnceInUpdateOrder),
        mutant(
            "the lower bound is exclusive",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelOrder> orders(OrderQuery query) {
                    return channel.orders(
                        new OrderQuery(query.updatedSince().plusMillis(1), query.pageToken()));
                  }
                },
            ChannelConnectorContract::ordersSinceAnEarlierInstantAreEachReportedOnceInUpdateOrder),
        mutant(
            "an order is served twice",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelOrder> orders(OrderQuery query) {
                    Page<ChannelOrder> page = channel.orders(query);
                    List<ChannelOrder> doubled = new ArrayList<>(page.items());
                    doubled.addAll(page.items());
                    doubled.sort((a, b) -> a.updatedAt().compareTo(b.updatedAt()));
                    return new Page<>(doubled, page.nextPageToken());
                  }
                },
            ChannelConnectorContract::ordersSinceAnEarlierInstantAreEachReportedOnceInUpdateOrder),
        mutant(
            "the cursor is ignored",
            c ->
                new Forwarding(c) {
                  @Override
                  public Page<ChannelOrder> orders(OrderQuery query) {
                    return channel.orders(new OrderQuery(Instant.EPOCH, query.pageToken()));
                  }
                },
            ChannelConnectorContract::ordersUpdatedBeforeTheCursorAreNotReported),
        mutant(
            "a push is confirmed but never sent",
            c ->
                new Forwarding(c) {
                  @Override
                  public List<PushResult> push(List<PushItem> items) {
                    List<PushResult> results = new ArrayList<>();
                    items.forEach(i -> results.add(new PushResult.Confirmed(i.quantity())));
                    return results;
                  }
                },
            ChannelConnectorContract::pushedQuantityIsConfirmedAndReadBack),
        mutant(
            "quantities are read from the wrong place",
            c ->
                new Forwarding(c) {
                  @Override
                  public Map<StockRef, Long> readQuantities(List<StockRef> refs) {
                    Map<StockRef, Long> read = new HashMap<>();
                    channel.readQuantities(refs).forEach((ref, q) -> read.put(ref, q + 1));
                    return read;
                  }
                },
            ChannelConnectorContract::pushedQuantityIsConfirmedAndReadBack),
        mutant(
            "results come back in reverse order",
            c ->
                new Forwarding(c) {
                  @Override
                  public List<PushResult> push(List<PushItem> items) {
                    List<PushResult> results = new ArrayList<>(channel.push(items));
                    Collections.reverse(results);
                    return results;
                  }
                },
            ChannelConnectorContract::pushOfAFullBatchAnswersOneResultPerItemInOrder),
        mutant(
            "only the first half of a batch is sent",
            c ->
                new Forwarding(c) {
                  @Override
                  public List<PushResult> push(List<PushItem> items) {
                    List<PushResult> results =
                        new ArrayList<>(channel.push(items.subList(0, items.size() / 2)));
                    items
                        .subList(items.size() / 2, items.size())
                        .forEach(i -> results.add(new PushResult.Confirmed(i.quantity())));
                    return results;
                  }
                },
            ChannelConnectorContract::pushOfAFullBatchAnswersOneResultPerItemInOrder),
        mutant(
            "a transient failure is reported as success",
            c ->
                new Forwarding(c) {
                  @Override
                  public List<PushResult> push(List<PushItem> items) {
                    try {
                      return channel.push(items);
                    } catch (RetryLaterException e) {
                      List<PushResult> results = new ArrayList<>();
                      items.forEach(i -> results.add(new PushResult.Confirmed(i.quantity())));
                      return results;
                    }
                  }
                },
            ChannelConnectorContract::retryableFailureSurfacesAsRetryLaterAndTheRetryLands),
        mutant(
            "a retry is never sent",
            c ->
                new Forwarding(c) {
                  private boolean failedOnce;

                  @Override
                  public List<PushResult> push(List<PushItem> items) {
                    if (failedOnce) {
                      List<PushResult> results = new ArrayList<>();
                      items.forEach(i -> results.add(new PushResult.Confirmed(i.quantity())));
                      return results;
                    }
                    try {
                      return channel.push(items);
                    } catch (RetryLaterException e) {
                      failedOnce = true;
                      throw e;
                    }
                  }
                },
            ChannelConnectorContract::retryableFailureSurfacesAsRetryLaterAndTheRetryLands),
        mutant(
            "the expectation is dropped although compare-and-set is claimed",
            c ->
                new Forwarding(c) {
                  @Override
                  public List<PushResult> push(List<PushItem> items) {
                    List<PushItem> unconditional = new ArrayList<>();
                    items.forEach(
                        i ->
                            unconditional.add(
                                new PushItem(i.ref(), i.quantity(), null, i.idempotencyKey())));
                    return channel.push(unconditional);
                  }
                },
            ChannelConnectorContract
                ::compareAndSetWithAWrongExpectationAnswersStaleAndChangesNothing));
  }

  static Arguments mutant(
      String name,
      Function<InMemoryChannel, ChannelConnector> mutation,
      Consumer<ChannelConnectorContract> test) {
    return Arguments.of(name, mutation, test);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutants")
  void theContractCatchesAConnectorWhere(
      String name,
      Function<InMemoryChannel, ChannelConnector> mutation,
      Consumer<ChannelConnectorContract> test)
      throws Exception {
    assertThat(run(Forwarding::new, test)).as("the unbroken channel").isNull();

    assertThat(run(mutation, test)).as("the mutant").isInstanceOf(AssertionError.class);
  }

  @Test
  void theContractCatchesAConnectorWhoseAcceptedWritesNeverLand() throws Exception {
    Function<InMemoryChannel, ChannelConnector> accepting = c -> {
      c.acceptPushes(Duration.ofSeconds(30));
      return new Forwarding(c);
    };
    Function<InMemoryChannel, ChannelConnector> dropping = c -> {
      c.acceptPushesWithoutApplying(Duration.ofSeconds(30));
      return new Forwarding(c);
    };

    assertThat(run(accepting, ChannelConnectorContract::acceptedPushBecomesReadableEventually))
        .as("accepted, applied later").isNull();
    assertThat(run(accepting, ChannelConnectorContract::pushedQuantityIsConfirmedAndReadBack))
        .as("accepted, applied later").isNull();
    assertThat(run(dropping, ChannelConnectorContract::acceptedPushBecomesReadableEventually))
        .as("accepted, never applied").isInstanceOf(AssertionError.class);
    assertThat(run(dropping, ChannelConnectorContract::pushedQuantityIsConfirmedAndReadBack))
        .as("accepted, never applied").isInstanceOf(AssertionError.class);
  }

  @Test
  void theContractCatchesAConnectorThatInventsSkus() throws Exception {
    // The fixture remembers its SKU-less listings; this mutant reports them with their id as SKU.
    InMemoryFixture[] fixture = new InMemoryFixture[1];
    Function<InMemoryChannel, ChannelConnector> mutation =
        c ->
            new Forwarding(c) {
              @Override
              public Page<ChannelListing> listings(ListingQuery query) {
                Page<ChannelListing> page = channel.listings(query);
                if (page.hasNext()) {
                  return page;
                }
                List<ChannelListing> items = new ArrayList<>(page.items());
                for (String id : fixture[0].listingsWithoutSku) {
                  items.add(
                      new ChannelListing(
                          id,
                          id,
                          Sku.of(id),
                          ListingStatus.ACTIVE,
                          id,
                          true,
                          Map.of(),
                          Instant.EPOCH));
                }
                return new Page<>(items, null);
              }
            };
    ChannelConnectorContractProbe contract = new ChannelConnectorContractProbe();
    contract.fixtures =
        () -> {
          fixture[0] = newInMemoryFixture(mutation);
          return fixture[0];
        };

    assertThat(run(contract, ChannelConnectorContract::listingsWithoutSkuAreNotReported))
        .isInstanceOf(AssertionError.class);
  }

  static InMemoryFixture newInMemoryFixture(Function<InMemoryChannel, ChannelConnector> mutation) {
    ManualClock clock = ManualClock.startingAtEpochOf2026();
    InMemoryChannel channel =
        InMemoryChannel.builder(StoreId.of("memory", "mutant"))
            .clock(clock)
            .maxBatchSize(10)
            .build();
    return new InMemoryFixture(channel, clock, InMemoryChannel.Fault.RETRYABLE_EXCEPTION, mutation);
  }

  static Throwable run(
      Function<InMemoryChannel, ChannelConnector> mutation, Consumer<ChannelConnectorContract> test)
      throws Exception {
    ChannelConnectorContractProbe contract = new ChannelConnectorContractProbe();
    contract.fixtures = () -> newInMemoryFixture(mutation);
    return run(contract, test);
  }

  /** Runs one contract test the way JUnit would: fresh fixture, test, close. */
  static Throwable run(ChannelConnectorContract contract, Consumer<ChannelConnectorContract> test)
      throws Exception {
    contract.openFixture();
    try {
      return catchThrowable(() -> test.accept(contract));
    } finally {
      contract.closeFixture();
    }
  }

  static Page<ChannelListing> map(
      Page<ChannelListing> page, Function<ChannelListing, ChannelListing> f) {
    List<ChannelListing> out = new ArrayList<>();
    page.items().forEach(l -> out.add(f.apply(l)));
    return new Page<>(out, page.nextPageToken());
  }

  static ChannelListing withQuantities(ChannelListing l, Map<String, Long> quantities) {
    return new ChannelListing(
        l.listingId(),
        l.inventoryRef(),
        l.sku(),
        l.status(),
        l.title(),
        l.tracked(),
        quantities,
        l.updatedAt());
  }

  static Map<String, Long> plusOne(Map<String, Long> quantities) {
    Map<String, Long> out = new HashMap<>();
    quantities.forEach((k, v) -> out.put(k, v + 1));
    return out;
  }
}
