/**
 * Shopify channel: {@link io.stocksync.shopify.ShopifyConnector} on the Admin GraphQL API and
 * {@link io.stocksync.shopify.ShopifyWebhookHandler} for verified webhooks.
 */
@NullMarked
package io.stocksync.shopify;

import org.jspecify.annotations.NullMarked;
