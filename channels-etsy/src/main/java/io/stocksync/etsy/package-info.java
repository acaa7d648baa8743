/**
 * Etsy channel: {@link io.stocksync.etsy.EtsyConnector} on Open API v3 and {@link
 * io.stocksync.etsy.EtsyWebhookHandler} for Standard-Webhooks-signed order events.
 */
@NullMarked
package io.stocksync.etsy;

import org.jspecify.annotations.NullMarked;
