/**
 * The connector SPI: what a channel adapter implements so the sync engine can read a store's
 * locations, listings and orders and push quantities to it.
 *
 * <p>Start with {@link io.stocksync.core.channel.ChannelConnector}. The {@code stocksync-testkit}
 * artifact has {@code InMemoryChannel}, the smallest complete adapter, and {@code
 * ChannelConnectorContract}, the suite every adapter should pass.
 */
@NullMarked
package io.stocksync.core.channel;

import org.jspecify.annotations.NullMarked;
