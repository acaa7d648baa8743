/**
 * A stateful, in-process emulator of the eBay seller APIs a stock-sync connector needs, served over
 * real HTTP: Sell Inventory v1 (inventory items, offers, bulk price/quantity updates), Sell
 * Fulfillment v1 (orders), the Trading API (XML: listings with variations, revisions), the OAuth
 * token endpoint and the Notification API's public-key service, with eBay's error bodies, daily
 * call quotas, the per-listing daily revision cap and signed {@code ORDER_CONFIRMATION}
 * notifications.
 */
@NullMarked
package io.stocksync.testkit.ebay;

import org.jspecify.annotations.NullMarked;
