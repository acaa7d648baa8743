package io.stocksync.etsy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import okhttp3.HttpUrl;

/**
 * Creates {@link EtsyConnector}s from configuration, for {@code ServiceLoader} discovery.
 * Settings: {@code shopId} (required), {@code keystring} (required), {@code sharedSecret}
 * (required, secret), {@code accessToken} (required, secret, {@code {user_id}.{token}}), {@code
 * baseUrl} (optional, for emulators). Hosts whose tokens expire build the connector with an
 * OAuth token source instead.
 */
public final class EtsyConnectorFactory implements ChannelConnectorFactory {
  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public EtsyConnectorFactory() {}

  @Override
  public String channel() {
    return EtsyConnector.CHANNEL;
  }

  @Override
  public ChannelConnector create(ConnectorConfig config) {
    long shopId;
    try {
      shopId = Long.parseLong(config.require("shopId").strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("shopId", "not a number");
    }
    EtsyConnector.Builder b = EtsyConnector.builder().shopId(shopId)
        .apiKey(config.require("keystring"), config.require("sharedSecret"))
        .accessToken(config.require("accessToken"));
    config.get("baseUrl").ifPresent(url -> {
      HttpUrl parsed = HttpUrl.parse(url);
      if (parsed == null) {
        throw new InvalidInputException("baseUrl", "not an http(s) URL");
      }
      b.baseUrl(parsed);
    });
    return b.build();
  }
}
