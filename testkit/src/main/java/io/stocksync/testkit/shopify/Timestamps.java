package io.stocksync.testkit.shopify;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Shopify's {@code DateTime}: UTC, whole seconds, {@code Z} ({@code 2019-09-07T15:50:00Z}). */
final class Timestamps {
  private Timestamps() {}

  static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
