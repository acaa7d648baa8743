/**
 * The Amazon channel: {@link io.stocksync.amazon.AmazonConnector} on the Selling Partner API
 * (Listings Items, Feeds, Orders 2026-01-01, FBA Inventory), with merchant-fulfilled (FBM) stock
 * pushed and Amazon-fulfilled (FBA) stock read-only, and {@link
 * io.stocksync.amazon.AmazonNotifications}, which turns an {@code ORDER_CHANGE} notification the
 * host received from its SQS queue or EventBridge bus into the engine's event.
 */
@NullMarked
package io.stocksync.amazon;

import org.jspecify.annotations.NullMarked;
