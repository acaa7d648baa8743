package io.stocksync.core.channel;

/**
 * Creates connectors of one channel from configuration. Register one by hand with the engine's
 * builder, or let the builder discover them with {@link java.util.ServiceLoader} (list the
 * implementation in {@code META-INF/services/io.stocksync.core.channel.ChannelConnectorFactory}).
 */
public interface ChannelConnectorFactory {
  /**
   * Returns the channel name this factory serves, e.g. {@code "shopify"}.
   *
   * @return the lower-case channel name
   */
  String channel();

  /**
   * Creates a connector. Must not call the network; the engine validates credentials with
   * {@link ChannelConnector#identity()}.
   *
   * @param config the store's settings and secrets
   * @return the connector
   * @throws io.stocksync.core.InvalidInputException if a setting is missing or malformed
   */
  ChannelConnector create(ConnectorConfig config);
}
