package io.stocksync.ebay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Counts revisions per eBay listing per (UTC) calendar day against eBay's cap of 250 (stated in
 * the bulkUpdatePriceQuantity description of Sell Inventory 1.18.0, and for ReviseInventoryStatus
 * in https://developer.ebay.com/Devzone/XML/docs/Reference/eBay/ReviseInventoryStatus.html), and
 * decides whether a revision should go now:
 *
 * <ul>
 *   <li>below 80% of the cap: always;
 *   <li>from 80%: a decrease (or a drop to 0) always goes while any revision is left, because
 *       overselling costs more than a late increase; an increase waits until the listing's
 *       remaining revisions, less a reserve of 10 for decreases, spread evenly over the rest of
 *       the day allow another one. The engine keeps the item queued meanwhile and sends only the
 *       latest figure, so increases near the cap coalesce;
 *   <li>at the cap: nothing until the next day.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class RevisionLedger {
  static final int CAP = 250;
  static final int SOFT = 200;
  static final int RESERVE = 10;

  private final Clock clock;
  private LocalDate day;
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, Instant> last = new HashMap<>();
  private final Map<String, Long> lastQuantity = new HashMap<>();

  RevisionLedger(Clock clock) {
    this.clock = clock;
    this.day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** Why a revision must wait, and how long; null when it may go now. */
  record Hold(String reason, Duration delay, boolean capped) {}

  synchronized @Nullable Hold check(String listing, long quantity) {
    Instant now = clock.instant();
    roll(now);
    int used = counts.getOrDefault(listing, 0);
    Duration toMidnight = Duration.between(now, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    if (used >= CAP) {
      return new Hold("eBay's daily revision cap (" + CAP + ") is reached for listing " + listing
          + "; the quantity goes out after midnight UTC", toMidnight, true);
    }
    if (used < SOFT) {
      return null;
    }
    Long previous = lastQuantity.get(listing);
    if (previous == null || quantity < previous) {
      return null;
    }
    int spendable = CAP - used - RESERVE;
    if (spendable <= 0) {
      return new Hold("listing " + listing + " has " + (CAP - used) + " revisions left today,"
          + " kept for decreases", toMidnight, false);
    }
    Duration spacing = toMidnight.dividedBy(spendable);
    Instant at = last.getOrDefault(listing, Instant.EPOCH).plus(spacing);
    if (!at.isAfter(now)) {
      return null;
    }
    return new Hold("listing " + listing + " is near eBay's daily revision cap (" + used + " of "
        + CAP + "); increases are spaced " + spacing.toSeconds() + " s apart", Duration.between(now, at), false);
  }

  synchronized void revised(String listing, long quantity) {
    Instant now = clock.instant();
    roll(now);
    counts.merge(listing, 1, Integer::sum);
    last.put(listing, now);
    lastQuantity.put(listing, quantity);
  }

  /** eBay said the cap is reached (revisions by another tool count too). */
  synchronized void capped(String listing) {
    roll(clock.instant());
    counts.put(listing, CAP);
  }

  synchronized int used(String listing) {
    roll(clock.instant());
    return counts.getOrDefault(listing, 0);
  }

  private void roll(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (!today.equals(day)) {
      day = today;
      counts.clear();
      last.clear();
    }
  }
}
