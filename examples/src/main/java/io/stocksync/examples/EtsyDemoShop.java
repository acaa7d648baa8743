package io.stocksync.examples;

import io.stocksync.core.StoreId;
import io.stocksync.core.channel.ListingStatus;
import io.stocksync.etsy.EtsyConnector;
import io.stocksync.etsy.EtsyNotice;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.oauth.OAuthTokens;
import io.stocksync.testkit.etsy.EtsyEmulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The demo's Etsy shop: an {@link EtsyEmulator} over real HTTP and the real {@link EtsyConnector}
 * in front of it, with tokens from the shared OAuth source (refreshed and rotated as Etsy does).
 * Its seeding and buyer methods have the names the demo uses for its other stores.
 */
final class EtsyDemoShop implements AutoCloseable {
  /** The emulated shop's id. */
  static final long SHOP_ID = 31_337_001L;
  /** The shop as the hub knows it. */
  static final StoreId STORE = StoreId.of(EtsyConnector.CHANNEL, Long.toString(SHOP_ID));
  /** The shop's one implicit location. */
  static final String LOCATION = EtsyConnector.LOCATION_ID;
  private static final String KEYSTRING = "demokeystring";
  private static final String SHARED_SECRET = "demo-shared-secret-not-real";

  private final EtsyEmulator etsy;
  private final InMemoryCredentialsStore credentials = new InMemoryCredentialsStore();
  /** Demo listing id (or {@code {listing}:{sku}}) → Etsy listing id and SKU. */
  private final Map<String, Object[]> listings = new LinkedHashMap<>();
  private final List<EtsyNotice> notices = new CopyOnWriteArrayList<>();

  private EtsyDemoShop() {
    // Current Etsy grants are in the 150-per-second range (the docs' example headers).
    this.etsy = EtsyEmulator.builder().shop(SHOP_ID, "Acme Etsy").apiKey(KEYSTRING, SHARED_SECRET)
        .limits(150, 100_000).build().start();
    etsy.recording(false);
    credentials.save(STORE.toString(), OAuthTokens.ofRefreshToken(etsy.issueRefreshToken()));
  }

  /**
   * Starts the emulated shop.
   *
   * @return the shop
   */
  static EtsyDemoShop start() {
    return new EtsyDemoShop();
  }

  /**
   * A connector to the shop, as a host builds one.
   *
   * @return the connector
   */
  EtsyConnector connector() {
    OAuthTokenSource tokens = OAuthTokenSource.builder()
        .tokenUrl(etsy.url().resolve("v3/public/oauth/token")).clientId(KEYSTRING)
        .clientAuthentication(ClientAuthentication.NONE)
        .credentialsStore(credentials, STORE.toString()).build();
    return EtsyConnector.builder().shopId(SHOP_ID).apiKey(KEYSTRING, SHARED_SECRET).tokens(tokens)
        .baseUrl(etsy.url()).rateLimits(150, 100_000).notices(notices::add).build();
  }

  /**
   * Adds a single-product listing.
   *
   * @param id the demo's name for it
   * @param sku the SKU, or null
   * @param quantity its quantity (0 makes it sold out, as on Etsy)
   */
  void addListing(String id, @Nullable String sku, long quantity) {
    long listing = etsy.addListing("Listing " + id, sku, (int) Math.min(quantity, 999));
    if (sku != null && !sku.isBlank()) {
      listings.put(id, new Object[] {listing, sku});
      listings.put(listing + ":" + sku, new Object[] {listing, sku});
    }
  }

  /**
   * Adds a listing the way the demo adds one to its stand-ins.
   *
   * @param id the demo's name for it
   * @param sku the SKU, or null
   * @param status ignored: listings start active (sold out at 0)
   * @param quantities the quantity at the one location
   */
  void addListing(String id, @Nullable String sku, ListingStatus status, Map<String, Long> quantities) {
    addListing(id, sku, quantities.values().stream().mapToLong(Long::longValue).sum());
  }

  /**
   * A buyer purchases a SKU. A buyer cannot buy what Etsy shows as sold out, so when no listing
   * of the SKU has stock the buyer takes another listing that has.
   *
   * @param sku the SKU
   * @param quantity units wanted
   * @return the receipt id
   */
  String placeOrder(String sku, long quantity) {
    Object[] best = null;
    long most = 0;
    for (Object[] l : new ArrayList<>(listings.values())) {
      long id = (Long) l[0];
      if (!etsy.state(id).equals("active")) {
        continue;
      }
      long q = etsy.quantity(id, (String) l[1]);
      boolean same = l[1].equals(sku);
      boolean bestSame = best != null && best[1].equals(sku);
      if (q > 0 && (best == null || (same && !bestSame) || (same == bestSame && q > most))) {
        best = l;
        most = q;
      }
    }
    if (best == null) {
      throw new IllegalStateException("nothing left to buy on Etsy");
    }
    return Long.toString(etsy.sell((Long) best[0], (String) best[1], (int) Math.min(quantity, most)));
  }

  /**
   * The seller ships a receipt.
   *
   * @param orderId the receipt id
   */
  void fulfil(String orderId) {
    etsy.ship(Long.parseLong(orderId));
  }

  /**
   * The seller cancels a receipt.
   *
   * @param orderId the receipt id
   */
  void cancel(String orderId) {
    etsy.cancel(Long.parseLong(orderId));
  }

  /**
   * What a listing shows buyers: its quantity, or 0 when it is not active.
   *
   * @param listingId the demo's id or the connector's {@code {listing}:{sku}}
   * @return the quantity buyers see
   */
  long quantity(String listingId) {
    Object[] l = listings.get(listingId);
    if (l == null) {
      throw new IllegalArgumentException("unknown Etsy listing " + listingId);
    }
    long id = (Long) l[0];
    return etsy.state(id).equals("active") ? etsy.quantity(id, (String) l[1]) : 0;
  }

  /**
   * What a listing shows buyers at a location (Etsy has one).
   *
   * @param listingId the listing
   * @param locationId ignored
   * @return the quantity buyers see
   */
  long quantity(String listingId, String locationId) {
    return quantity(listingId);
  }

  /**
   * Renewals the hub paid for, listings it deactivated and reactivated.
   *
   * @return the connector's notices so far
   */
  List<EtsyNotice> notices() {
    return List.copyOf(notices);
  }

  @Override
  public void close() {
    etsy.close();
  }
}
