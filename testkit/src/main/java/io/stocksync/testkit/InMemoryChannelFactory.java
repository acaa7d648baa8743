package io.stocksync.testkit;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@code "memory"} channel's factory: hands out {@link InMemoryChannel}s that a test registered
 * beforehand, by the {@code storeId} setting.
 *
 * <p>The registry is static because {@link java.util.ServiceLoader} creates factories with the
 * no-argument constructor, so a test cannot hand channels to the instance the engine discovers.
 * Tests should {@link #unregister} what they registered (or {@link #clear()} in an
 * {@code @AfterEach}) so they do not leak channels into each other.
 *
 * <pre>{@code
 * InMemoryChannel shop = InMemoryChannel.builder(StoreId.of("memory", "shop-1")).build();
 * InMemoryChannelFactory.register(shop);
 * // ConnectorConfig.builder().set("storeId", "shop-1").build() now creates `shop`
 * }</pre>
 */
public final class InMemoryChannelFactory implements ChannelConnectorFactory {
  /** The channel name this factory serves. */
  public static final String CHANNEL = "memory";

  /** The setting naming the store: the registered channel's {@code storeId().externalId()}. */
  public static final String STORE_ID = "storeId";

  private static final ConcurrentMap<String, InMemoryChannel> REGISTRY = new ConcurrentHashMap<>();

  /** Creates the factory; all instances share one registry. */
  public InMemoryChannelFactory() {}

  /**
   * Registers a channel under its store's external id, replacing any channel registered there.
   *
   * @param channel the channel
   */
  public static void register(InMemoryChannel channel) {
    REGISTRY.put(channel.storeId().externalId(), Objects.requireNonNull(channel, "channel"));
  }

  /**
   * Removes a channel if it is the one registered under its store's external id.
   *
   * @param channel the channel
   */
  public static void unregister(InMemoryChannel channel) {
    REGISTRY.remove(channel.storeId().externalId(), channel);
  }

  /** Removes every registered channel. */
  public static void clear() {
    REGISTRY.clear();
  }

  @Override
  public String channel() {
    return CHANNEL;
  }

  /**
   * Returns the channel registered under the {@code storeId} setting, the same instance on every
   * call (closing it changes nothing).
   *
   * @param config the settings; {@code storeId} is required
   * @return the registered channel
   * @throws InvalidInputException if the setting is missing or no channel is registered under it
   */
  @Override
  public ChannelConnector create(ConnectorConfig config) {
    String storeId = config.require(STORE_ID);
    InMemoryChannel channel = REGISTRY.get(storeId);
    if (channel == null) {
      throw new InvalidInputException(STORE_ID, "no InMemoryChannel registered for " + storeId);
    }
    return channel;
  }
}
