package io.stocksync.core.sync;

import io.stocksync.core.channel.StockRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A store's desired state: per (listing, location) the newest desired quantity not yet sent
 * ({@code queued}) and the one on its way ({@code sending}: in flight, or accepted by the channel
 * and awaiting its verification read). Thread-safe; every method is short and never calls out.
 *
 * <p>The rules that keep a change from being lost:
 *
 * <ul>
 *   <li>an offer is judged "unchanged" against the newest figure the store will hold: the one
 *       being sent if any, else the last confirmed one, never only the confirmed one;
 *   <li>an offer planned from an older generation (ledger read) than the queued one is ignored;
 *   <li>completing a send never touches the queued figure, so a confirmation of an older
 *       generation cannot cancel a newer desired figure;
 *   <li>while a figure is being sent, the queued one waits: two writes of one listing-location
 *       are never in flight together, so they cannot land out of order.
 * </ul>
 */
final class PushQueue {
  /** One desired figure and its retry state. Mutable only under the queue's lock. */
  static final class Pending {
    final PlannedPush push;
    final long generation;
    // Sent even when equal to the figure the store will hold: a hard refresh, or a push that
    // stands in for a re-read (see standIn). Set only under the queue's lock, and kept by a
    // newer figure replacing this one, so the write (or its read) is not lost on the way.
    boolean force;
    // Stands in for a re-read after the store's own order (see standIn): the store moved this
    // figure itself, so a low one is no alarm. A newer figure replacing it is judged afresh.
    boolean standIn;
    boolean priority;
    int attempts;
    Instant notBefore;
    // When the listing-location first got a figure queued that is still unsent: a newer figure
    // replacing it keeps this, so coalescing never postpones a change indefinitely.
    Instant queuedAt;
    // Accepted by the channel without being applied (PushResult.Accepted): notBefore is when
    // the figure is read back; it counts as pushed only if the read shows it.
    boolean verifying;
    // The idempotency key belongs to one logical change: this desired quantity from this
    // expected one. It is reused on every retry of that change and replaced when either moves.
    @Nullable String key;
    @Nullable Long keyExpected;

    Pending(PlannedPush push, long generation, boolean force, boolean priority, Instant notBefore) {
      this.push = push;
      this.generation = generation;
      this.force = force;
      this.priority = priority;
      this.notBefore = notBefore;
      this.queuedAt = notBefore;
    }

    String keyFor(@Nullable Long expected) {
      if (key == null || !Objects.equals(keyExpected, expected)) {
        key = UUID.randomUUID().toString();
        keyExpected = expected;
      }
      return key;
    }
  }

  private record Key(String listingId, StockRef ref) {}

  private static final class Slot {
    @Nullable Pending queued;
    @Nullable Pending sending;

    boolean empty() {
      return queued == null && sending == null;
    }
  }

  private final LinkedHashMap<Key, Slot> slots = new LinkedHashMap<>();

  private static Key key(PlannedPush p) {
    return new Key(p.listingId(), p.ref());
  }

  /**
   * Records a desired figure planned from generation {@code generation}. A figure equal to the
   * one the store will hold drops what is queued; a different one replaces it. A forced figure
   * queued is never dropped: a newer one replaces it and stays forced.
   */
  synchronized void offer(PlannedPush push, long generation, boolean force, boolean priority,
      Instant now) {
    Key key = key(push);
    Slot slot = slots.get(key);
    if (slot != null && slot.queued != null && slot.queued.generation > generation) {
      return; // planned from an older read than what is queued
    }
    Long willHold = slot != null && slot.sending != null
        ? Long.valueOf(slot.sending.push.quantity()) : push.known();
    boolean queuedForced = slot != null && slot.queued != null && slot.queued.force;
    if (!force && willHold != null && willHold == push.quantity()) {
      if (!queuedForced) {
        if (slot != null && slot.queued != null) {
          slot.queued = null;
          if (slot.empty()) {
            slots.remove(key);
          }
        }
        return;
      }
      // A forced figure must still be sent, but with the newest desired quantity: replaced below.
    }
    if (slot == null) {
      slot = new Slot();
      slots.put(key, slot);
    }
    Pending existing = slot.queued;
    if (existing != null && existing.push.quantity() == push.quantity()
        && (existing.force || !force)) {
      existing.priority |= priority;
      return;
    }
    Pending next = new Pending(push, generation, force || (existing != null && existing.force),
        priority, now);
    if (existing != null) {
      // A newer figure keeps the backoff of the one it replaces: the channel is no readier.
      next.attempts = existing.attempts;
      next.notBefore = existing.notBefore.isAfter(now) ? existing.notBefore : now;
      next.priority |= existing.priority;
      next.queuedAt = existing.queuedAt;
    }
    slot.queued = next;
  }

  /**
   * How a store with a scarce request quota spends it (see {@link BudgetThrift}): figures that
   * leave buyers a comfortable quantity wait up to {@code hold} so that several share one call,
   * increases may be held altogether, and low figures never wait.
   *
   * @param hold how long a comfortable figure may wait for company
   * @param holdIncreases whether increases wait until the quota refills
   * @param lowFigure a decrease to this many units or fewer goes at once
   * @param recheck when held increases are looked at again
   */
  record Thrift(Duration hold, boolean holdIncreases, long lowFigure,
      Duration recheck) {
    /**
     * A decrease to a low figure, unless it only stands in for a re-read: then the store took
     * the units off itself when it sold them, and the push mostly confirms what it shows.
     */
    boolean urgent(Pending p) {
      return !p.standIn && p.push.decrease() && p.push.quantity() <= lowFigure;
    }

    boolean held(Pending p) {
      return holdIncreases && !p.push.decrease();
    }
  }

  /**
   * Returns up to {@code max} queued figures ready to send, whose listing-location has nothing
   * on its way. Without a {@code thrift}: priority first, then decreases, then increases, each in
   * queue order. With one (a scarce quota to spare): nothing until a low figure is ready, a
   * figure has waited {@link Thrift#hold()}, or a whole batch is ready; then the batch is filled
   * with low figures first, then the longest waiting, then decreases, then increases (never held
   * ones), so the call carries as much as it can.
   */
  synchronized List<Pending> peekReady(Instant now, int max, @Nullable Thrift thrift) {
    if (thrift == null) {
      List<Pending> out = new ArrayList<>(Math.min(max, slots.size()));
      for (int pass = 0; pass < 3 && out.size() < max; pass++) {
        for (Slot s : slots.values()) {
          if (out.size() >= max) {
            break;
          }
          Pending p = sendable(s, now);
          if (p == null) {
            continue;
          }
          boolean take = pass == 0 ? p.priority
              : pass == 1 ? !p.priority && p.push.decrease() : !p.priority && !p.push.decrease();
          if (take) {
            out.add(p);
          }
        }
      }
      return out;
    }
    List<Pending> eligible = new ArrayList<>();
    boolean trigger = false;
    for (Slot s : slots.values()) {
      Pending p = sendable(s, now);
      if (p == null || thrift.held(p)) {
        continue;
      }
      eligible.add(p);
      trigger |= thrift.urgent(p) || !p.queuedAt.plus(thrift.hold()).isAfter(now);
    }
    if (!trigger && eligible.size() < max) {
      return List.of();
    }
    List<Pending> out = new ArrayList<>(Math.min(max, eligible.size()));
    for (int pass = 0; pass < 4 && out.size() < max; pass++) {
      for (Pending p : eligible) {
        if (out.size() >= max) {
          break;
        }
        boolean urgent = thrift.urgent(p);
        boolean due = !p.queuedAt.plus(thrift.hold()).isAfter(now);
        boolean take = switch (pass) {
          case 0 -> urgent;
          case 1 -> !urgent && due;
          case 2 -> !urgent && !due && p.push.decrease();
          default -> !urgent && !due && !p.push.decrease();
        };
        if (take) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static @Nullable Pending sendable(Slot s, Instant now) {
    Pending p = s.queued;
    if (p == null || (s.sending != null && !overtakes(p, s.sending)) || p.notBefore.isAfter(now)) {
      return null;
    }
    return p;
  }

  /**
   * Whether a queued figure may be sent while another one is on its way: only a lower figure,
   * and only while the other is accepted by the channel and merely waiting for its verification
   * read (not while its call is in flight). Waiting minutes for that read (Amazon's ACCEPTED is
   * read back after 5) would leave buyers a too-high figure the whole time; a higher figure still
   * waits, so an overtaking write can only lower what buyers see.
   */
  private static boolean overtakes(Pending queued, Pending sending) {
    return sending.verifying && queued.push.quantity() < sending.push.quantity();
  }

  /** Moves queued figures to "sending". Figures replaced meanwhile are skipped. */
  synchronized List<Pending> markInFlight(List<Pending> batch) {
    List<Pending> taken = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      Slot s = slots.get(key(p.push));
      if (s != null && s.queued == p && (s.sending == null || overtakes(p, s.sending))) {
        // An overtaken figure's verification is dropped: the newer write's covers the listing.
        s.queued = null;
        s.sending = p;
        taken.add(p);
      }
    }
    return taken;
  }

  /**
   * Lets the figure queued for a listing-location stand in for a re-read of it: it is forced, so
   * it is sent even if it comes to equal the figure the engine last confirmed, and the push's
   * answer (confirmed, or stale with the store's actual figure) tells what the store shows. It
   * is not {@linkplain Thrift#urgent urgent}: the store's own sale lowered the figure already, so
   * it waits for company like a comfortable one.
   *
   * @return true when a figure was queued (and is now forced); false when none is, or one is on
   *     its way (its answer may predate what the caller wants to learn)
   */
  synchronized boolean standIn(String listingId, StockRef ref) {
    Slot s = slots.get(new Key(listingId, ref));
    if (s == null || s.queued == null || s.sending != null) {
      return false;
    }
    s.queued.force = true;
    s.queued.standIn = true;
    return true;
  }

  /** Drops a queued figure that turned out to be there already. */
  synchronized void dropQueued(Pending p) {
    Key k = key(p.push);
    Slot s = slots.get(k);
    if (s != null && s.queued == p) {
      s.queued = null;
      if (s.empty()) {
        slots.remove(k);
      }
    }
  }

  /** A sent figure is done (confirmed, stale or rejected); what is queued behind it stays. */
  synchronized void complete(Pending p) {
    Key k = key(p.push);
    Slot s = slots.get(k);
    if (s != null && s.sending == p) {
      s.sending = null;
      if (s.empty()) {
        slots.remove(k);
      }
    }
  }

  /**
   * A sent figure must be sent again from {@code notBefore} (transient failure, or accepted but
   * not landed). A newer queued figure supersedes it and inherits the backoff.
   */
  synchronized void retry(Pending p, Instant notBefore) {
    Key k = key(p.push);
    Slot s = slots.get(k);
    p.verifying = false;
    p.attempts++;
    p.notBefore = notBefore;
    if (s == null || s.sending != p) {
      return;
    }
    s.sending = null;
    if (s.queued == null) {
      s.queued = p;
    } else {
      s.queued.attempts = Math.max(s.queued.attempts, p.attempts);
      if (s.queued.notBefore.isBefore(notBefore)) {
        s.queued.notBefore = notBefore;
      }
    }
  }

  /** The call never happened: the sent figure goes back to the queue untouched. */
  synchronized void release(Pending p) {
    Key k = key(p.push);
    Slot s = slots.get(k);
    if (s == null || s.sending != p) {
      return;
    }
    s.sending = null;
    if (s.queued == null) {
      s.queued = p;
    }
  }

  /** The channel accepted a sent figure without applying it: read it back at {@code verifyAt}. */
  synchronized void accepted(Pending p, Instant verifyAt) {
    p.verifying = true;
    p.notBefore = verifyAt;
  }

  /** Returns up to {@code max} accepted figures whose verification read is due. */
  synchronized List<Pending> dueVerifications(Instant now, int max) {
    List<Pending> out = new ArrayList<>();
    for (Slot s : slots.values()) {
      if (out.size() >= max) {
        break;
      }
      Pending p = s.sending;
      if (p != null && p.verifying && !p.notBefore.isAfter(now)) {
        out.add(p);
      }
    }
    return out;
  }

  /** When the next queued figure or verification read becomes ready, if any waits. */
  synchronized Optional<Instant> nextReadyAt() {
    return nextReadyAt(Instant.MIN, null);
  }

  /**
   * When the next queued figure or verification read becomes ready under {@code thrift}, if any
   * waits: a comfortable figure once it has waited its hold, a held increase at the next
   * re-check after {@code now}.
   */
  synchronized Optional<Instant> nextReadyAt(Instant now, @Nullable Thrift thrift) {
    Instant min = null;
    for (Slot s : slots.values()) {
      Pending p = s.sending != null ? (s.sending.verifying ? s.sending : null) : s.queued;
      if (p == null) {
        continue;
      }
      Instant at = p.notBefore;
      if (thrift != null && p == s.queued) {
        if (thrift.held(p)) {
          Instant recheck = now.plus(thrift.recheck());
          at = at.isAfter(recheck) ? at : recheck;
        } else if (!thrift.urgent(p)) {
          Instant due = p.queuedAt.plus(thrift.hold());
          at = at.isAfter(due) ? at : due;
        }
      }
      if (min == null || at.isBefore(min)) {
        min = at;
      }
    }
    return Optional.ofNullable(min);
  }

  /** The listing-locations with a figure queued or on its way. */
  synchronized int size() {
    return slots.size();
  }

  /** The desired figure queued for a listing-location, for tests and status. */
  synchronized @Nullable Long queuedQuantity(String listingId, StockRef ref) {
    Slot s = slots.get(new Key(listingId, ref));
    return s == null || s.queued == null ? null : s.queued.push.quantity();
  }

  /** The figure on its way (in flight or awaiting verification) for a listing-location, if any. */
  synchronized @Nullable Long sendingQuantity(String listingId, StockRef ref) {
    Slot s = slots.get(new Key(listingId, ref));
    return s == null || s.sending == null ? null : s.sending.push.quantity();
  }

  synchronized void clear() {
    slots.clear();
  }

  /** Drops every figure of a listing that no longer exists. */
  synchronized void removeListing(String listingId) {
    Iterator<Map.Entry<Key, Slot>> it = slots.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getKey().listingId().equals(listingId)) {
        it.remove();
      }
    }
  }
}
