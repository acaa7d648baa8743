package io.stocksync.amazon;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The SP-API regional endpoint that serves a marketplace. */
final class Region {
  private static final Map<String, String> BY_MARKETPLACE = Map.ofEntries(
      // North America
      Map.entry("ATVPDKIKX0DER", "na"), Map.entry("A2EUQ1WTGCTBG2", "na"),
      Map.entry("A1AM78C64UM0Y8", "na"), Map.entry("A2Q3Y263D00KWC", "na"),
      // Europe, Middle East, India, Africa
      Map.entry("A1F83G8C2ARO7P", "eu"), Map.entry("A1PA6795UKMFR9", "eu"),
      Map.entry("A13V1IB3VIYZZH", "eu"), Map.entry("APJ6JRA9NG5V4", "eu"),
      Map.entry("A1RKKUPIHCS9HS", "eu"), Map.entry("A1805IZSGTT6HS", "eu"),
      Map.entry("A2NODRKZP88ZB9", "eu"), Map.entry("A1C3SOZRARQ6R3", "eu"),
      Map.entry("AMEN7PMS3EDWL", "eu"), Map.entry("A28R8C7NBKEWEA", "eu"),
      Map.entry("A33AVAJ2PDY3EV", "eu"), Map.entry("A21TJRUUN4KGV", "eu"),
      Map.entry("ARBP9OOSHTCHU", "eu"), Map.entry("A17E79C6D8DWNP", "eu"),
      Map.entry("A2VIGQ35RCS4UG", "eu"), Map.entry("AE08WJ6YKNBMC", "eu"),
      // Far East
      Map.entry("A1VC38T7YXB528", "fe"), Map.entry("A39IBJ37TRP1C6", "fe"),
      Map.entry("A19VAU5U5O7RUS", "fe"));

  private Region() {}

  /** {@code na}, {@code eu} or {@code fe}, or null for a marketplace we do not know. */
  static @Nullable String of(String marketplaceId) {
    return BY_MARKETPLACE.get(marketplaceId);
  }

  static String endpoint(String region) {
    return "https://sellingpartnerapi-" + region + ".amazon.com/";
  }
}
