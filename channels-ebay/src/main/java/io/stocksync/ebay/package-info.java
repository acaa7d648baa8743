/**
 * eBay channel: {@link io.stocksync.ebay.EbayConnector} on the Sell Inventory, Sell Fulfillment
 * and Trading APIs, and {@link io.stocksync.ebay.EbayNotificationHandler} for verified Notification
 * API messages.
 */
@NullMarked
package io.stocksync.ebay;

import org.jspecify.annotations.NullMarked;
