package io.stocksync.testkit.shopify;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A change Shopify would announce by webhook, before it is serialised and signed.
 *
 * @param topic the webhook topic, e.g. {@code orders/create}
 * @param payload the REST-shaped payload
 * @param triggeredAt when the change happened, on the emulator's clock
 */
record WebhookEvent(String topic, Map<String, @Nullable Object> payload, Instant triggeredAt) {}
