package io.stocksync.core.sync;

import io.stocksync.core.channel.StockRef;
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
 * Pending pushes of one store, coalesced per (listing, location) so the newest desired quantity
 * wins. Thread-safe: the planner offers while the store's worker takes batches.
 */
final class PushQueue {
  /** One queued push and its retry state. Mutable only under the queue's lock. */
  static final class Pending {
    final PlannedPush push;
    final boolean force;
    boolean priority;
    int attempts;
    Instant notBefore;
    boolean inFlight;
    // The channel accepted this push without applying it yet (PushResult.Accepted): it waits
    // until notBefore to be read back, and counts as pushed only if the read shows it.
    boolean verifying;
    // The idempotency key belongs to one logical change: this desired quantity from this
    // expected one. It is reused on every retry of that change and replaced when either moves.
    @Nullable String key;
    @Nullable Long keyExpected;

    Pending(PlannedPush push, boolean force, boolean priority, Instant notBefore) {
      this.push = push;
      this.force = force;
      this.priority = priority;
      this.notBefore = notBefore;
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

  private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();

  /**
   * Queues a push, replacing an older one for the same listing-location unless it asks for the
   * same quantity.
   */
  synchronized void offer(PlannedPush push, boolean force, boolean priority, Instant now) {
    Key key = new Key(push.listingId(), push.ref());
    Pending existing = pending.get(key);
    if (existing != null && existing.push.quantity() == push.quantity() && (existing.force || !force)) {
      existing.priority |= priority;
      return;
    }
    pending.remove(key);
    pending.put(key, new Pending(push, force, priority, now));
  }

  /** Drops a queued push that the planner found unnecessary, unless it is in flight. */
  synchronized void cancel(PlannedPush push) {
    Key key = new Key(push.listingId(), push.ref());
    Pending existing = pending.get(key);
    if (existing == null || existing.inFlight || existing.force) {
      return;
    }
    if (existing.verifying) {
      // The store may be about to show the accepted figure: the unchanged one must be set again.
      if (existing.push.quantity() != push.quantity()) {
        pending.put(key, new Pending(push, true, existing.priority, existing.notBefore));
      }
      return;
    }
    pending.remove(key);
  }

  /**
   * Returns up to {@code max} ready pushes without removing them: priority first, then
   * decreases, then increases, each in queue order.
   */
  synchronized List<Pending> peekReady(Instant now, int max) {
    List<Pending> out = new ArrayList<>(Math.min(max, pending.size()));
    for (int pass = 0; pass < 3 && out.size() < max; pass++) {
      for (Pending p : pending.values()) {
        if (out.size() >= max) {
          break;
        }
        if (p.inFlight || p.verifying || p.notBefore.isAfter(now)) {
          continue;
        }
        boolean take =
            pass == 0 ? p.priority : pass == 1 ? !p.priority && p.push.decrease() : !p.priority && !p.push.decrease();
        if (take) {
          out.add(p);
        }
      }
    }
    return out;
  }

  synchronized void markInFlight(List<Pending> batch) {
    for (Pending p : batch) {
      p.inFlight = true;
    }
  }

  /** Removes a push that is done, unless a newer one replaced it meanwhile. */
  synchronized void complete(Pending p) {
    Key key = new Key(p.push.listingId(), p.push.ref());
    if (pending.get(key) == p) {
      pending.remove(key);
    }
    p.inFlight = false;
  }

  /** Returns up to {@code max} accepted pushes whose verification read is due. */
  synchronized List<Pending> dueVerifications(Instant now, int max) {
    List<Pending> out = new ArrayList<>();
    for (Pending p : pending.values()) {
      if (out.size() >= max) {
        break;
      }
      if (p.verifying && !p.inFlight && !p.notBefore.isAfter(now)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Keeps an accepted push until its figure is read back at {@code verifyAt}. */
  synchronized void accepted(Pending p, Instant verifyAt) {
    p.inFlight = false;
    p.verifying = true;
    p.notBefore = verifyAt;
  }

  /** An accepted push whose figure did not show: push it again (after a backoff). */
  synchronized void notLanded(Pending p, Instant notBefore) {
    p.inFlight = false;
    p.verifying = false;
    p.attempts++;
    p.notBefore = notBefore;
  }

  /** Keeps a push queued for another attempt. */
  synchronized void retry(Pending p, Instant notBefore) {
    p.inFlight = false;
    p.attempts++;
    p.notBefore = notBefore;
  }

  /** Returns a push to the queue untouched (the call never happened). */
  synchronized void release(Pending p) {
    p.inFlight = false;
  }

  synchronized Optional<Instant> nextReadyAt() {
    Instant min = null;
    for (Pending p : pending.values()) {
      if (!p.inFlight && (min == null || p.notBefore.isBefore(min))) {
        min = p.notBefore;
      }
    }
    return Optional.ofNullable(min);
  }

  synchronized int size() {
    return pending.size();
  }

  synchronized void clear() {
    pending.clear();
  }

  /** Drops queued pushes of listings that no longer exist. */
  synchronized void removeListing(String listingId) {
    Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getKey().listingId().equals(listingId)) {
        it.remove();
      }
    }
  }
}
