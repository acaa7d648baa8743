package io.stocksync.ebay;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import okhttp3.HttpUrl;

/**
 * Creates {@link EbayConnector}s from configuration, for {@code ServiceLoader} discovery.
 * Settings: {@code sellerId} (required), {@code accessToken} (required, secret), {@code
 * marketplaceId} (default {@code EBAY_US}), {@code baseUrl} (optional, for emulators), {@code
 * maxRequestsPerSecond} (optional).
 */
public final class EbayConnectorFactory implements ChannelConnectorFactory {
  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public EbayConnectorFactory() {}

  @Override
  public String channel() {
    return EbayConnector.CHANNEL;
  }

  @Override
  public ChannelConnector create(ConnectorConfig config) {
    EbayConnector.Builder b = EbayConnector.builder()
        .sellerId(config.require("sellerId"))
        .accessToken(config.require("accessToken"));
    config.get("marketplaceId").ifPresent(b::marketplaceId);
    config.get("baseUrl").ifPresent(url -> {
      HttpUrl parsed = HttpUrl.parse(url);
      if (parsed == null) {
        throw new InvalidInputException("baseUrl", "not an http(s) URL");
      }
      b.baseUrl(parsed);
    });
    config.get("maxRequestsPerSecond").ifPresent(rate -> {
      try {
        b.maxRequestsPerSecond(Double.parseDouble(rate));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("maxRequestsPerSecond", "not a number: " + rate);
      }
    });
    return b.build();
  }
}
