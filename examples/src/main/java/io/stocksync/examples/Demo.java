package io.stocksync.examples;

import io.stocksync.core.BundleComponent;
import io.stocksync.core.InventoryMaster;
import io.stocksync.core.InventoryOperation;
import io.stocksync.core.Product;
import io.stocksync.core.Sku;
import io.stocksync.core.StoreId;
import io.stocksync.core.SyncStatus;
import io.stocksync.core.Warehouse;
import io.stocksync.core.channel.ChannelEvent;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.core.channel.StockRef;
import io.stocksync.core.sync.LocationChoice;
import io.stocksync.core.sync.PlannedPush;
import io.stocksync.core.sync.Planner;
import io.stocksync.core.sync.StockSync;
import io.stocksync.core.sync.StoreOptions;
import io.stocksync.core.sync.StoreStatus;
import io.stocksync.core.sync.SyncEvent;
import io.stocksync.core.sync.SyncListener;
import io.stocksync.core.sync.SyncOptions;
import io.stocksync.core.sync.TurnOnSyncChoices;
import io.stocksync.core.sync.TurnOnSyncPlan;
import io.stocksync.shopify.ShopifyConnector;
import io.stocksync.testkit.shopify.Fault;
import io.stocksync.testkit.shopify.ProductStatus;
import io.stocksync.testkit.shopify.RestockType;
import io.stocksync.testkit.shopify.ShopifyEmulator;
import io.stocksync.testkit.shopify.VariantIds;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The README's first command: one hub keeping three stores consistent, end to end, in a few
 * seconds.
 *
 * <p>The stores are an emulated Shopify shop reached over real HTTP through the real {@link
 * ShopifyConnector}, an emulated Etsy shop through the real {@code EtsyConnector} ({@link
 * EtsyDemoShop}) and an emulated eBay seller through the real {@code EbayConnector} ({@link
 * EbayDemoStore}).
 * The engine runs as it would in production: the default scheduler threads and the system clock,
 * with short intervals so the story fits in a terminal. The demo seeds a catalogue of a few hundred
 * SKUs, connects the stores, previews and turns on sync, plays a stream of orders and hub
 * operations, and finally checks every listing on every store against the hub.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -q -pl examples -am -DskipTests package exec:java
 * </pre>
 */
public final class Demo {
  private static final String SHOP_DOMAIN = "acme-demo.myshopify.com";
  private static final String SHOP_TOKEN = "shpat_demo_not_a_real_token";
  private static final StoreId ETSY = EtsyDemoShop.STORE;
  private static final StoreId EBAY = EbayDemoStore.storeId();
  private static final int ROUNDS = 6;
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
  private static final int WIDTH = 92;

  /** Short timings so the story fits in a terminal; production keeps the defaults. */
  private static final SyncOptions OPTIONS = SyncOptions.builder()
      .pushDebounce(Duration.ofMillis(100))
      .orderSyncInterval(Duration.ofSeconds(3))
      .retryInitialBackoff(Duration.ofMillis(200))
      .retryMaxBackoff(Duration.ofSeconds(2))
      .build();

  /** SKUs with a scripted part in the story, shown in the table; random orders leave them alone. */
  private static final List<String> TABLE_SKUS = List.of(
      "TEE-BLK-M", "MUG-WHT", "GIFT-SET", "HOODIE-BLK-L", "MUG-BLK", "PRINT-A3-04", "CAP-RED");
  private static final String RACE_SKU = "TEE-WHT-L";
  private static final Map<String, Integer> CYCLE_COUNT =
      Map.of("CAP-RED", 1, "MUG-BLK", 15, "PRINT-A3-04", 9, "SOCK-GRY-L", 0);
  private static final Map<String, Integer> FIXED_SHOPIFY_QUANTITY = Map.of(
      "MUG-WHT", 40, "TEE-BLK-M", 25, "HOODIE-BLK-L", 30, "CAP-RED", 6, "MUG-BLK", 18,
      RACE_SKU, 20);

  private static final Map<String, String> COLOURS = Map.ofEntries(
      Map.entry("BLK", "Black"), Map.entry("WHT", "White"), Map.entry("NVY", "Navy"),
      Map.entry("GRY", "Grey"), Map.entry("RED", "Red"), Map.entry("OLV", "Olive"),
      Map.entry("SND", "Sand"), Map.entry("PNK", "Pink"), Map.entry("SKY", "Sky"),
      Map.entry("GRN", "Green"), Map.entry("NAT", "Natural"));
  private static final List<String> SIZES = List.of("XS", "S", "M", "L", "XL", "XXL");

  /** 300 SKUs: a product per family and colour on Shopify, a variant per size. */
  private static final List<Family> FAMILIES = List.of(
      new Family("TEE", "Tee", List.of("BLK", "WHT", "NVY", "GRY", "RED", "OLV", "SND", "PNK"), SIZES),
      new Family("HOODIE", "Hoodie", List.of("BLK", "WHT", "NVY", "GRY", "RED", "OLV"), SIZES),
      new Family("POLO", "Polo", List.of("BLK", "WHT", "NVY", "GRY", "RED", "OLV"), SIZES),
      new Family("SHIRT", "Oxford shirt", List.of("WHT", "NVY", "GRY", "OLV", "SND"), SIZES),
      new Family("SHORTS", "Shorts", List.of("BLK", "NVY", "GRY", "OLV", "SND", "SKY"), SIZES),
      new Family("SWEAT", "Sweatshirt", List.of("BLK", "NVY", "GRY", "OLV", "SND"), SIZES),
      new Family("JOGGER", "Joggers", List.of("BLK", "NVY", "GRY", "OLV"), SIZES),
      new Family("JACKET", "Jacket", List.of("BLK", "NVY", "OLV"), SIZES),
      new Family("SOCK", "Socks", List.of("BLK", "WHT", "GRY", "NVY", "RED"), List.of("S", "M", "L")),
      new Family("CAP", "Cap", List.of("BLK", "WHT", "NVY", "GRY", "RED", "OLV", "SND", "PNK"), List.of()),
      new Family("BEANIE", "Beanie", List.of("BLK", "NVY", "GRY", "RED", "OLV", "SND", "PNK", "SKY"), List.of()),
      new Family("MUG", "Mug", List.of("WHT", "BLK", "RED", "NVY", "GRN"), List.of()),
      new Family("TOTE", "Tote bag", List.of("NAT", "BLK", "NVY", "OLV", "RED", "SKY"), List.of()));
  private static final Set<String> ETSY_FAMILIES = Set.of("TEE", "MUG", "TOTE", "BEANIE", "CAP", "SOCK");
  private static final Set<String> EBAY_FAMILIES = Set.of("HOODIE", "JACKET", "SWEAT", "JOGGER", "SHORTS");

  private Demo() {}

  /**
   * Runs the demo and exits with status 1 if the final check fails.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    // UTF-8 whatever the platform default, so the check marks survive a POSIX locale.
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int status = run(out);
    out.flush();
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the demo, printing to {@code out}.
   *
   * @param out where the story is printed
   * @return 0 when every listing on every store matches the hub at the end, 1 otherwise
   */
  public static int run(PrintStream out) {
    long started = System.nanoTime();
    Recorder recorder = new Recorder();
    // Shopify Plus rate limits (20,000-point bucket, 1,000 points/s): the demo packs an hour of
    // trade into a few seconds of real time, which a standard shop's budget would stretch out.
    try (ShopifyEmulator shop = ShopifyEmulator.builder().shopDomain(SHOP_DOMAIN)
            .shopName("Acme Shopify").accessToken(SHOP_TOKEN).bucket(20_000, 1_000).build()
            .start();
        EbayDemoStore ebay = new EbayDemoStore();
        StockSync hub = StockSync.builder().options(OPTIONS).listener(recorder).build()) {
      int status = new Story(out, shop, hub, recorder, ebay).play();
      out.printf("done in %.1f s%n", (System.nanoTime() - started) / 1e9);
      return status;
    }
  }

  // ---- the story ------------------------------------------------------------------------------

  /** One run of the demo: the hub, the stores and what happened to them. */
  private static final class Story {
    private final PrintStream out;
    private final ShopifyEmulator shop;
    private final StockSync hub;
    private final Recorder recorder;
    private final Random random = new Random(42);
    private final EtsyDemoShop etsy = EtsyDemoShop.start(); // the real EtsyConnector over HTTP
    private final EbayDemoStore ebay; // the real EbayConnector against the eBay emulator
    private final StoreId shopify = StoreId.of(ShopifyConnector.CHANNEL, SHOP_DOMAIN);
    private final AmazonDemoStore amazon = new AmazonDemoStore();

    private String warehouse = "";
    private String popup = "";
    private final Map<String, List<VariantIds>> variants = new LinkedHashMap<>();
    private final Map<String, String> popupItems = new LinkedHashMap<>();
    private final Map<String, List<String>> etsyListings = new LinkedHashMap<>();
    private final Map<String, List<String>> ebayListings = new LinkedHashMap<>();
    private final Set<String> ordered = new HashSet<>();
    private Map<String, String[]> before = Map.of();

    private int placed;
    private int fulfilled;
    private int cancelled;
    private int refunded;

    Story(PrintStream out, ShopifyEmulator shop, StockSync hub, Recorder recorder,
        EbayDemoStore ebay) {
      this.ebay = ebay;
      this.out = out;
      this.shop = shop;
      this.hub = hub;
      this.recorder = recorder;
    }

    int play() {
      out.println("stocksync demo: one hub, three stores, the real engine on the system clock");
      try (etsy) {
        seed();
        connect();
        turnOnSync();
        boolean settled = events();
        table();
        statistics();
        return finalCheck(settled) ? 0 : 1;
      } finally {
        amazon.close();
      }
    }

    // ---- 1. seed ------------------------------------------------------------------------------

    private void seed() {
      section("1. Seed the stores and the hub");
      warehouse = shop.addLocation("Warehouse");
      popup = shop.addLocation("Pop-up store");
      for (Family f : FAMILIES) {
        for (String colour : f.colours()) {
          String product = shop.addProduct(f.title() + " - " + COLOURS.get(colour), ProductStatus.ACTIVE);
          for (String size : f.sizes().isEmpty() ? List.of("") : f.sizes()) {
            String sku = f.code() + "-" + colour + (size.isEmpty() ? "" : "-" + size);
            VariantIds ids = shop.addVariant(product, sku, true);
            shop.stock(ids.inventoryItemId(), warehouse,
                FIXED_SHOPIFY_QUANTITY.getOrDefault(sku, 5 + random.nextInt(56)));
            variants.computeIfAbsent(sku, k -> new ArrayList<>()).add(ids);
            if (!TABLE_SKUS.contains(sku) && random.nextInt(100) < 14) {
              shop.stock(ids.inventoryItemId(), popup, random.nextInt(7));
              popupItems.put(ids.inventoryItemId(), sku);
            }
          }
        }
      }
      int skus = variants.size();
      // The same mug listed twice, with figures that disagree.
      VariantIds oldMug = shop.addVariant(
          shop.addProduct("Mug - White (2025 listing)", ProductStatus.ACTIVE), "MUG-WHT", true);
      shop.stock(oldMug.inventoryItemId(), warehouse, 37);
      variants.get("MUG-WHT").add(oldMug);
      VariantIds gift = shop.addVariant(
          shop.addProduct("Gift set - 2 white mugs + black tee", ProductStatus.ACTIVE), "GIFT-SET", true);
      shop.stock(gift.inventoryItemId(), warehouse, 6);
      variants.put("GIFT-SET", List.of(gift));
      for (String title : List.of("Gift wrapping", "Custom embroidery", "Sample sale lot")) {
        VariantIds v = shop.addVariant(shop.addProduct(title, ProductStatus.ACTIVE),
            title.startsWith("Custom") ? "   " : null, true);
        shop.stock(v.inventoryItemId(), warehouse, 10);
      }
      for (String sku : List.of("W27-PUFFER-BLK", "W27-PUFFER-NVY", "W27-FLEECE-GRY", "W27-SCARF-RED",
          "W27-GLOVE-BLK")) {
        VariantIds v = shop.addVariant(shop.addProduct("Winter '27 preview", ProductStatus.DRAFT), sku, true);
        shop.stock(v.inventoryItemId(), warehouse, 20);
      }
      line("Acme Shopify", (skus + 10) + " variants: " + skus + " SKUs, GIFT-SET, MUG-WHT twice, "
          + "3 without SKU, 5 drafts");
      line("", "2 locations: Warehouse (all), Pop-up store (" + popupItems.size() + " SKUs)");

      int id = 1000;
      for (String sku : catalogue(ETSY_FAMILIES)) {
        addEtsyListing("etsy-" + ++id, sku);
      }
      for (int i = 1; i <= 8; i++) {
        addEtsyListing("etsy-" + ++id, "PRINT-A3-0" + i);
      }
      addEtsyListing("etsy-" + ++id, "GIFT-SET");
      addEtsyListing("etsy-" + ++id, "MUG-BLK"); // a personalised twin listing
      etsy.addListing("etsy-" + ++id, null, ListingStatus.ACTIVE, Map.of("default", 3L));
      etsy.addListing("etsy-" + ++id, " ", ListingStatus.ACTIVE, Map.of("default", 1L));
      line("Acme Etsy", (id - 1000) + " listings: 8 Etsy-only prints, GIFT-SET, MUG-BLK twice, "
          + "2 without SKU");

      id = 2000;
      for (String sku : catalogue(EBAY_FAMILIES)) {
        ebayListings.computeIfAbsent(sku, k -> new ArrayList<>()).add(ebay.addListing(sku, random.nextInt(31)));
        ++id;
      }
      for (String sku : List.of("TEE-BLK-M", "CAP-RED")) {
        ebayListings.computeIfAbsent(sku, k -> new ArrayList<>()).add(ebay.addListing(sku, random.nextInt(31)));
        ++id;
      }
      ebay.addListingWithoutSku(2);
      line("eBay", (++id - 2000) + " listings (Inventory API and Seller Hub): outerwear and bottoms,"
          + " 1 without SKU");

      hub.inventory().defineWarehouse(Warehouse.of("main", "Main warehouse"));
      hub.inventory().defineWarehouse(Warehouse.of("overflow", "Overflow unit"));
      hub.inventory().defineProduct(Product.of("MUG-WHT", "Mug - White"));
      hub.inventory().defineProduct(Product.of("TEE-BLK-M", "Tee - Black / M"));
      hub.inventory().defineProduct(Product.bundle("GIFT-SET", "Gift set",
          BundleComponent.of("MUG-WHT", 2), BundleComponent.of("TEE-BLK-M", 1)));
      line("hub", "warehouses main, overflow; bundle GIFT-SET = 2 × MUG-WHT + 1 × TEE-BLK-M");
    }

    private List<String> catalogue(Set<String> families) {
      List<String> skus = new ArrayList<>();
      for (String sku : variants.keySet()) {
        if (families.contains(sku.substring(0, sku.indexOf('-'))) && !sku.equals("GIFT-SET")) {
          skus.add(sku);
        }
      }
      return skus;
    }

    private void addEtsyListing(String id, String sku) {
      etsy.addListing(id, sku, random.nextInt(31));
      etsyListings.computeIfAbsent(sku, k -> new ArrayList<>()).add(id);
    }


    // ---- 2. connect ---------------------------------------------------------------------------

    private void connect() {
      section("2. Connect the stores (listing sync: SKU listings only, drafts off)");
      long t0 = System.nanoTime();
      ShopifyConnector connector = ShopifyConnector.builder().shopDomain(SHOP_DOMAIN)
          .accessToken(SHOP_TOKEN).baseUrl(shop.url()).build();
      hub.connect(connector, StoreOptions.DEFAULT);
      hub.connect(etsy.connector(), StoreOptions.DEFAULT);
      hub.connect(ebay.connector(), StoreOptions.DEFAULT);
      ebay.notify(hub);
      await(() -> hub.stores().stream().allMatch(s -> s.lastListingSync() != null),
          () -> "importing listings: " + hub.stores().stream()
              .map(s -> Integer.toString(s.listings())).collect(Collectors.joining(" · ")));
      clearProgress();
      String[] skipped = {"3 without SKU, 5 drafts skipped", "2 without SKU skipped",
          "1 without SKU skipped"};
      int i = 0;
      for (StoreStatus s : hub.stores()) {
        line(s.name(), String.format("%-33s %3d listings (%s)", s.store(), s.listings(), skipped[i++]));
      }
      out.printf("  (Shopify over HTTP at %s, %.1f s)%n", shop.url(), (System.nanoTime() - t0) / 1e9);
      before = snapshot(false);
    }

    // ---- 3. turn on sync ----------------------------------------------------------------------

    private void turnOnSync() {
      section("3. Preview and turn on sync");
      TurnOnSyncPlan plan = hub.prepareTurnOnSync(shopify, TurnOnSyncChoices.builder()
          .copyInventory(true)
          .location(warehouse, LocationChoice.existing("main"))
          .location(popup, LocationChoice.newWarehouse("popup", "Pop-up store")
              .master(InventoryMaster.STORE))
          .build());
      line("Acme Shopify", "copy inventory; Warehouse → main, Pop-up store → new 'popup' (STORE "
          + "master)");
      preview(plan);
      hub.turnOnSync(plan);

      hub.inventory().apply(new InventoryOperation.ReceivePurchaseOrder("PO-2026-118", "main",
          List.of(poLine("TEE-BLK-M", 24), poLine("MUG-WHT", 36), poLine("MUG-BLK", 12),
              poLine("TOTE-NAT", 20), poLine("BEANIE-GRY", 15)), null));
      for (int i = 1; i <= 8; i++) {
        hub.inventory().stocktake(Sku.of("PRINT-A3-0" + i), "main", 3 + i, "first count of prints");
      }
      line("hub", "PO-2026-118 received into main (5 lines), the 8 Etsy-only prints counted");

      line("Acme Etsy", "no copy: the hub's numbers win; the shop → main");
      TurnOnSyncPlan etsyPlan = hub.prepareTurnOnSync(ETSY, TurnOnSyncChoices.builder()
          .location(EtsyDemoShop.LOCATION, LocationChoice.existing("main")).build());
      preview(etsyPlan);
      hub.turnOnSync(etsyPlan);
      line("eBay", "no copy; EBAY_US ship-to-home → main + overflow (combined)");
      TurnOnSyncPlan ebayPlan = hub.prepareTurnOnSync(EBAY, TurnOnSyncChoices.builder()
          .location(EbayDemoStore.LOCATION, LocationChoice.existing("main", "overflow")).build());
      preview(ebayPlan);
      hub.turnOnSync(ebayPlan);
      amazon.connectAndTurnOn(hub, this::line);

      long t0 = System.nanoTime();
      boolean ok = settle(null, () -> "pushing: " + totals());
      clearProgress();
      out.printf("  %s in %.1f s: %s%n", ok ? "converged" : "NOT converged",
          (System.nanoTime() - t0) / 1e9, totals());
    }

    private void preview(TurnOnSyncPlan plan) {
      for (String wrapped : wrap("preview " + plan.summary(), WIDTH - 20)) {
        out.println(pad("", 20) + wrapped);
      }
      Set<Sku> conflicting = new HashSet<>();
      for (SyncEvent.CopyConflict c : plan.conflicts()) {
        conflicting.add(c.sku());
        List<Long> figures = new ArrayList<>(c.quantities().values());
        long chosen = c.quantities().get(c.chosenListingId());
        out.println(pad("", 20) + "! " + c.sku() + " listings disagree at "
            + locationName(c.locationId()) + " " + figures + ": copies " + chosen + ", pushes "
            + chosen + " to the other");
      }
      for (Sku sku : plan.duplicateSkus()) {
        if (!conflicting.contains(sku)) {
          out.println(pad("", 20) + "= " + sku + " is on 2 listings: both get the hub's figure");
        }
      }
    }

    private String locationName(String locationId) {
      return locationId.equals(warehouse) ? "Warehouse" : locationId.equals(popup) ? "Pop-up store" : locationId;
    }

    // ---- 4. events ----------------------------------------------------------------------------

    private boolean events() {
      section("4. Live: orders on every store, hub operations (syncNow each round)");
      List<Placed> previous = new ArrayList<>();
      String giftOrder = "";
      String raceNote = "";
      boolean settled = true;
      for (int round = 1; round <= ROUNDS; round++) {
        int r = round;
        List<Placed> current = new ArrayList<>();
        for (Placed p : previous) {
          boolean first = previous.stream().filter(q -> q.store().equals(p.store())).findFirst()
              .orElseThrow() == p;
          if (first) {
            cancel(p);
          } else if (random.nextInt(4) > 0) {
            fulfil(p);
          }
        }
        switch (round) {
          case 1:
            giftOrder = shop.sell(variants.get("GIFT-SET").get(0).variantId(), 1, warehouse);
            etsy.fulfil(etsy.placeOrder("TEE-BLK-M", 2));
            placed += 2;
            fulfilled++;
            break;
          case 2:
            shop.fulfil(giftOrder);
            fulfilled++;
            hub.inventory().apply(new InventoryOperation.ReceivePurchaseOrder("PO-2026-131", "main",
                List.of(poLine("MUG-WHT", 24), poLine("TEE-BLK-M", 12), poLine("HOODIE-BLK-L", 8),
                    poLine("SOCK-BLK-M", 30)), null));
            shop.failNext(1, Fault.SERVER_ERROR); // a hiccup: the engine retries
            break;
          case 3:
            String lineId = shop.order(giftOrder).lineItems().get(0).id();
            shop.refund(giftOrder, lineId, 1, RestockType.RETURN);
            refunded++;
            hub.inventory().transfer(Sku.of("HOODIE-BLK-L"), "main", "overflow", 10,
                "make room for winter stock");
            break;
          case 4:
            raceNote = race();
            ebay.failNextCall();
            break;
          case 5:
            for (Map.Entry<String, Integer> count : CYCLE_COUNT.entrySet()) {
              hub.inventory().stocktake(Sku.of(count.getKey()), "main", count.getValue(),
                  "cycle count");
            }
            // The merchant recounts three pop-up figures in the Shopify admin. Shopify's
            // inventory_levels/update webhook reaches the host, which hands it to the engine: the
            // STORE-master location is mirrored now instead of at the next mirror interval.
            popupItems.keySet().stream().limit(3).forEach(item -> {
              shop.stock(item, popup, 9);
              hub.handle(shopify, new ChannelEvent.StockChanged(new StockRef(item, popup), 9));
            });
            break;
          default:
            // The last cap, sold twice: both stores showed 1 before the hub heard of either sale.
            shop.sell(variants.get("CAP-RED").get(0).variantId(), 1, warehouse);
            ebay.placeOrder("CAP-RED", 1);
            etsy.placeOrder("MUG-BLK", 1);
            placed += 3;
            break;
        }
        current.addAll(randomOrders(shopify, 4));
        current.addAll(randomOrders(ETSY, 3));
        current.addAll(randomOrders(EBAY, 3));
        previous = current;
        Instant requested = Instant.now();
        for (StoreStatus s : hub.stores()) {
          hub.syncNow(s.store());
        }
        settled &= settle(requested, () -> "round " + r + "/" + ROUNDS + " · " + placed + " orders · "
            + totals());
      }
      out.println();
      line("orders", placed + " placed: " + fulfilled + " fulfilled, " + cancelled + " cancelled, "
          + refunded + " refunded with restock, the rest still open");
      line("hub", "PO-2026-131 received, 10 × HOODIE-BLK-L moved main → overflow, 4 SKUs counted");
      line("Acme Shopify", raceNote);
      line("Acme Shopify", "3 pop-up figures edited in the admin: mirrored into 'popup', not pushed");
      for (SyncEvent.Oversell o : recorder.oversells) {
        line("oversell", o.sku() + "'s last unit sold on two stores: " + name(o.store()) + " short "
            + o.shortfall() + ", all listings pushed 0");
      }
      line("faults", "a Shopify HTTP 500 and a failed eBay push: " + recorder.failures.size()
          + " failure events, retried, nothing lost");
      return settled;
    }

    /** A sale on Shopify that the hub has not imported, then a hub change to the same SKU. */
    private String race() {
      long staleBefore = hub.status(shopify).staleResults();
      shop.sell(variants.get(RACE_SKU).get(0).variantId(), 1, warehouse);
      placed++;
      hub.inventory().adjust(Sku.of(RACE_SKU), "main", 5, "found in the returns bin");
      boolean stale = await(() -> hub.status(shopify).staleResults() > staleBefore,
          () -> "round 4/" + ROUNDS + " · a Shopify sale races a hub push");
      return stale
          ? RACE_SKU + " sold while a hub push was on its way: stale, re-read, not overwritten"
          : RACE_SKU + " sold during a hub push, but no stale answer came back in time";
    }

    private List<Placed> randomOrders(StoreId store, int count) {
      List<String> skus = new ArrayList<>(store.equals(shopify) ? variants.keySet()
          : store.equals(ETSY) ? etsyListings.keySet() : ebayListings.keySet());
      skus.removeIf(s -> TABLE_SKUS.contains(s) || s.equals(RACE_SKU) || CYCLE_COUNT.containsKey(s)
          || ordered.contains(s));
      List<Placed> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String sku = skus.remove(random.nextInt(skus.size()));
        ordered.add(sku);
        int qty = 1 + random.nextInt(2);
        String orderId = store.equals(shopify)
            ? shop.sell(variants.get(sku).get(0).variantId(), qty, warehouse)
            : store.equals(ETSY) ? etsy.placeOrder(sku, qty) : ebay.placeOrder(sku, qty);
        out.add(new Placed(store, orderId));
        placed++;
      }
      return out;
    }

    private void cancel(Placed p) {
      if (p.store().equals(shopify)) {
        shop.cancel(p.orderId(), true);
      } else if (p.store().equals(ETSY)) {
        etsy.cancel(p.orderId());
      } else {
        ebay.cancel(p.orderId());
      }
      cancelled++;
    }

    private void fulfil(Placed p) {
      if (p.store().equals(shopify)) {
        shop.fulfil(p.orderId());
      } else if (p.store().equals(ETSY)) {
        etsy.fulfil(p.orderId());
      } else {
        ebay.fulfil(p.orderId());
      }
      fulfilled++;
    }

    // ---- 5. table -----------------------------------------------------------------------------

    private void table() {
      section("5. Before sync → now (hub: available per warehouse; stores: listing figures)");
      Map<String, String[]> after = snapshot(true);
      out.println("  " + pad("SKU", 14) + pad("hub main", 12) + pad("overflow", 12)
          + pad("Shopify", 14) + pad("Etsy", 12) + "eBay");
      for (String sku : TABLE_SKUS) {
        String[] b = before.get(sku);
        String[] a = after.get(sku);
        StringBuilder row = new StringBuilder("  ").append(pad(sku, 14));
        int[] widths = {12, 12, 14, 12, 0};
        for (int c = 0; c < a.length; c++) {
          String cell = b[c].equals("·") && a[c].equals("·") ? "·" : b[c] + " → " + a[c];
          row.append(widths[c] == 0 ? cell : pad(cell, widths[c]));
        }
        out.println(row.toString().stripTrailing());
      }
      out.println("  (- = no stock set yet, · = not listed, a/b = two listings with the same SKU)");
    }

    /** Per table SKU: hub main, hub overflow, Shopify (Warehouse), Etsy, eBay. */
    private Map<String, String[]> snapshot(boolean hubKnown) {
      Map<String, String[]> rows = new LinkedHashMap<>();
      for (String sku : TABLE_SKUS) {
        String main = hubKnown ? Long.toString(hub.inventory().available(Sku.of(sku), List.of("main"))) : "-";
        String overflow = hubKnown
            ? Long.toString(hub.inventory().available(Sku.of(sku), List.of("overflow"))) : "-";
        List<VariantIds> v = variants.getOrDefault(sku, List.of());
        String shopify = v.isEmpty() ? "·" : v.stream()
            .map(ids -> Integer.toString(shop.available(ids.inventoryItemId(), warehouse)))
            .distinct().collect(Collectors.joining("/"));
        rows.put(sku, new String[] {main, overflow, shopify, figures(etsy::quantity, etsyListings, sku),
            figures(ebay::quantity, ebayListings, sku)});
      }
      return rows;
    }

    private static String figures(java.util.function.ToLongFunction<String> quantity,
        Map<String, List<String>> index, String sku) {
      List<String> ids = index.getOrDefault(sku, List.of());
      return ids.isEmpty() ? "·" : ids.stream().map(id -> Long.toString(quantity.applyAsLong(id)))
          .distinct().collect(Collectors.joining("/"));
    }

    // ---- 6. statistics ------------------------------------------------------------------------

    private void statistics() {
      section("6. Per store (counters of this engine run)");
      out.println("  " + pad("store", 18) + pad("status", 9) + lpad("listings", 9)
          + lpad("orders", 8) + lpad("pushes", 8) + lpad("batches", 9) + lpad("retries", 9)
          + lpad("stale", 7));
      for (StoreStatus s : hub.stores()) {
        out.println("  " + pad(s.name(), 18) + pad(s.status().name(), 9) + lpad(s.listings(), 9)
            + lpad(s.ordersApplied(), 8) + lpad(s.pushesConfirmed(), 8) + lpad(s.pushBatches(), 9)
            + lpad(s.retries(), 9) + lpad(s.staleResults(), 7));
      }
      out.println("  orders = order versions applied, pushes = quantities the store confirmed;");
      out.println("  stale = compare-and-set found the figure moved (mostly the store's own sale):");
      out.println("  re-read and re-planned, never overwritten");
    }

    // ---- 7. final check -----------------------------------------------------------------------

    private boolean finalCheck(boolean settled) {
      section("7. Final check: every listing-location on every store against the hub");
      if (!settled) {
        out.println("  the engine did not settle within " + SETTLE_TIMEOUT.toSeconds() + " s");
      }
      Check check = check();
      if (check.mismatches().isEmpty() && settled) {
        out.printf("  ✔ all %d listing-locations match (%d pushed by the hub, %d mirrored from the "
            + "pop-up)%n", check.total(), check.pushed(), check.mirrored());
        return true;
      }
      out.printf("  ✘ %d of %d listing-locations differ from the hub:%n", check.mismatches().size(),
          check.total());
      check.mismatches().stream().limit(10).forEach(m -> out.println("    " + m));
      return false;
    }

    /** Compares what every store shows with what the hub says it should show. */
    private Check check() {
      List<PlannedPush> desired = hub.inventory().store().read(r -> Planner.forAll(r, true).pushes());
      List<String> mismatches = new ArrayList<>();
      for (PlannedPush p : desired) {
        long actual = p.store().equals(shopify)
            ? shop.available(p.ref().inventoryRef(), p.ref().locationId())
            : amazon.owns(p.store()) ? amazon.quantity(p)
            : p.store().equals(ETSY) ? etsy.quantity(p.listingId())
            : ebay.quantity(p.listingId());
        if (actual != p.quantity()) {
          mismatches.add(String.format("%-16s %-14s %s: store shows %d, hub wants %d",
              name(p.store()), p.sku(), p.listingId(), actual, p.quantity()));
        }
      }
      // The pop-up is STORE master: the hub mirrors it, so its warehouse must equal the store.
      for (Map.Entry<String, String> item : popupItems.entrySet()) {
        long store = shop.available(item.getKey(), popup);
        long hubFigure = hub.inventory().stockLevel(Sku.of(item.getValue()), "popup").available();
        if (store != hubFigure) {
          mismatches.add(String.format("%-16s %-14s pop-up: store shows %d, hub mirrored %d",
              "Acme Shopify", item.getValue(), store, hubFigure));
        }
      }
      return new Check(desired.size() + popupItems.size(), desired.size(), popupItems.size(),
          mismatches);
    }

    // ---- waiting ------------------------------------------------------------------------------

    /**
     * Waits until no push is queued, every store ran an order sync started after {@code
     * orderRunsAfter} (when given), nothing is left to plan, and the stores show what the hub
     * wants.
     */
    private boolean settle(@Nullable Instant orderRunsAfter, ProgressText progress) {
      boolean settled = await(() -> blocker(orderRunsAfter) == null, progress);
      if (!settled) {
        clearProgress();
        out.println("  ! not settled after " + SETTLE_TIMEOUT.toSeconds() + " s: "
            + blocker(orderRunsAfter));
      }
      return settled;
    }

    /** What keeps the engine from being settled, or null when it is. */
    private @Nullable String blocker(@Nullable Instant orderRunsAfter) {
      for (StoreStatus s : hub.stores()) {
        if (s.pendingPushes() > 0) {
          return s.name() + " has " + s.pendingPushes() + " pushes queued";
        }
        if (orderRunsAfter != null && s.status() == SyncStatus.SYNC_ON
            && recorder.lastOrderRunStart(s.store()).isBefore(orderRunsAfter)) {
          return s.name() + " has not run the order sync asked for (last started "
              + recorder.lastOrderRunStart(s.store()) + ", asked " + orderRunsAfter + ")";
        }
      }
      List<PlannedPush> unplanned = hub.inventory().store().read(r -> Planner.forAll(r, false).pushes());
      if (!unplanned.isEmpty()) {
        return unplanned.size() + " listing-locations differ from what the hub last confirmed, e.g. "
            + unplanned.get(0);
      }
      List<String> mismatches = check().mismatches();
      return mismatches.isEmpty() ? null : mismatches.size() + " stores differ, e.g. " + mismatches.get(0);
    }

    /** Polls a condition on the real clock, showing progress; the engine works meanwhile. */
    private boolean await(BooleanSupplier condition, ProgressText progress) {
      long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
      String shown = "";
      while (true) {
        boolean done = condition.getAsBoolean();
        String text = progress.text();
        if (!text.equals(shown)) {
          // One terminal line rewritten in place; kept short so it never wraps.
          out.print("\r  " + pad(text, 76));
          out.flush();
          shown = text;
        }
        if (done) {
          return true;
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
        LockSupport.parkNanos(20_000_000L);
      }
    }

    private void clearProgress() {
      out.print("\r" + " ".repeat(80) + "\r");
    }

    private String totals() {
      long orders = 0;
      long pushes = 0;
      long queued = 0;
      for (StoreStatus s : hub.stores()) {
        orders += s.ordersApplied();
        pushes += s.pushesConfirmed();
        queued += s.pendingPushes();
      }
      return orders + " order versions applied · " + pushes + " pushes confirmed · " + queued + " queued";
    }

    // ---- helpers ------------------------------------------------------------------------------

    private String name(StoreId store) {
      return hub.status(store).name();
    }

    private void section(String title) {
      out.println();
      out.println(title);
    }

    private void line(String who, String what) {
      out.println("  " + pad(who, 18) + what);
    }
  }

  private static InventoryOperation.ReceivePurchaseOrder.Line poLine(String sku, long quantity) {
    return new InventoryOperation.ReceivePurchaseOrder.Line(Sku.of(sku), quantity);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }

  private static String lpad(Object value, int width) {
    String s = String.valueOf(value);
    return s.length() >= width ? " " + s : " ".repeat(width - s.length()) + s;
  }

  /** Splits a comma-separated summary into lines of at most {@code width} characters. */
  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String part : text.split("(?<=, )")) {
      if (current.length() + part.length() > width && current.length() > 0) {
        lines.add(current.toString().stripTrailing());
        current.setLength(0);
      }
      current.append(part);
    }
    lines.add(current.toString().stripTrailing());
    return lines;
  }

  /** A product family: one Shopify product per colour, one variant per size. */
  private record Family(String code, String title, List<String> colours, List<String> sizes) {}

  /** An order placed during the story. */
  private record Placed(StoreId store, String orderId) {}

  /** The result of comparing every store with the hub. */
  private record Check(int total, int pushed, int mirrored, List<String> mismatches) {}

  /** The text of a progress line, computed when it is printed. */
  @FunctionalInterface
  private interface ProgressText {
    String text();
  }

  /** Remembers what the engine reported that the story needs. */
  private static final class Recorder implements SyncListener {
    private final Map<StoreId, Instant> orderRunStarts = new ConcurrentHashMap<>();
    final List<SyncEvent.Oversell> oversells = new CopyOnWriteArrayList<>();
    final List<SyncEvent.Failure> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onRunFinished(SyncEvent.RunFinished event) {
      if (event.kind() == SyncEvent.RunKind.ORDERS) {
        orderRunStarts.merge(event.store(), event.startedAt(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }

    @Override
    public void onOversell(SyncEvent.Oversell event) {
      oversells.add(event);
    }

    @Override
    public void onFailure(SyncEvent.Failure event) {
      failures.add(event);
    }

    Instant lastOrderRunStart(StoreId store) {
      return orderRunStarts.getOrDefault(store, Instant.EPOCH);
    }
  }
}
