package io.stocksync.shopify;

import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import okhttp3.HttpUrl;

/**
 * Creates {@link ShopifyConnector}s from configuration, for {@code ServiceLoader} discovery.
 * Settings: {@code shopDomain} (required), {@code accessToken} (required, secret), {@code
 * webhookSecret} (optional, secret), {@code baseUrl} (optional, for emulators).
 */
public final class ShopifyConnectorFactory implements ChannelConnectorFactory {
  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public ShopifyConnectorFactory() {}

  @Override
  public String channel() {
    return ShopifyConnector.CHANNEL;
  }

  @Override
  public ChannelConnector create(ConnectorConfig config) {
    ShopifyConnector.Builder b = ShopifyConnector.builder()
        .shopDomain(config.require("shopDomain"))
        .accessToken(config.require("accessToken"));
    config.get("webhookSecret").ifPresent(b::webhookSecret);
    config.get("baseUrl").ifPresent(url -> {
      HttpUrl parsed = HttpUrl.parse(url);
      if (parsed == null) {
        throw new io.stocksync.core.InvalidInputException("baseUrl", "not an http(s) URL");
      }
      b.baseUrl(parsed);
    });
    return b.build();
  }
}
