/**
 * A stateful, in-process emulator of Etsy's Open API v3 for stock sync, served over real HTTP.
 *
 * <p>{@link io.stocksync.testkit.etsy.EtsyEmulator} holds one shop (listings with variations,
 * offerings, states, receipts with transactions, refunds and cancellations), validates the
 * whole-inventory {@code PUT} the way Etsy does, renews sold-out listings on {@code PATCH
 * state=active} (and counts the fee), applies per-second and per-day rate limits with Etsy's
 * headers on an injectable clock, issues and rotates OAuth tokens, injects faults on demand and
 * delivers Standard-Webhooks-signed order events with retries.
 */
@NullMarked
package io.stocksync.testkit.etsy;

import org.jspecify.annotations.NullMarked;
