/**
 * A stateful, in-process emulator of the Shopify Admin GraphQL API, served over real HTTP.
 *
 * <p>{@link io.stocksync.testkit.shopify.ShopifyEmulator} holds a small shop (locations,
 * products, variants, inventory levels, orders), answers the handful of named GraphQL operations
 * a stock-sync connector needs, applies Shopify's leaky-bucket rate limit on an injectable clock,
 * injects transport faults on demand and delivers HMAC-signed webhooks.
 */
@NullMarked
package io.stocksync.testkit.shopify;

import org.jspecify.annotations.NullMarked;
