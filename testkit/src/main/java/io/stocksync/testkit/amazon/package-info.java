/**
 * A stateful, in-process emulator of the Amazon Selling Partner API pieces a stock-sync
 * connector uses (Listings Items 2021-08-01, Feeds 2021-06-30 with {@code JSON_LISTINGS_FEED},
 * Orders 2026-01-01 {@code searchOrders}, FBA Inventory v1 summaries) and of the Login with Amazon
 * token endpoint, served over real HTTP.
 *
 * <p>{@link io.stocksync.testkit.amazon.AmazonEmulator} follows Amazon's own models: paths,
 * parameters, JSON names, the {@code {"errors":[...]}} error body, per-operation token buckets
 * with the models' default rate and burst (HTTP 429 {@code QuotaExceeded}), the 1,000-result cap of
 * {@code searchListingsItems}, PATCH answers that say ACCEPTED and apply later, and feeds that are
 * processed on the injected clock.
 */
@NullMarked
package io.stocksync.testkit.amazon;

import org.jspecify.annotations.NullMarked;
