package io.stocksync.amazon;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Creates {@link AmazonConnector}s from configuration, for {@code ServiceLoader} discovery.
 * Settings: {@code sellerId}, {@code marketplaceId} and {@code fulfilment} ({@code FBM}, {@code
 * FBA} or {@code BOTH}) required; {@code accessToken} (secret); {@code endpoint} (optional, for
 * emulators and the sandbox).
 */
public final class AmazonConnectorFactory implements ChannelConnectorFactory {
  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public AmazonConnectorFactory() {}

  @Override
  public String channel() {
    return AmazonConnector.CHANNEL;
  }

  @Override
  public ChannelConnector create(ConnectorConfig config) {
    FulfilmentType type;
    try {
      type = FulfilmentType.valueOf(config.require("fulfilment").strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("fulfilment", "FBM, FBA or BOTH");
    }
    AmazonConnector.Builder b = AmazonConnector.builder()
        .sellerId(config.require("sellerId"))
        .marketplaceId(config.require("marketplaceId"))
        .fulfilment(type)
        .accessToken(config.require("accessToken"));
    config.get("storeName").ifPresent(b::storeName);
    config.get("endpoint").ifPresent(url -> {
      HttpUrl parsed = HttpUrl.parse(url);
      if (parsed == null) {
        throw new InvalidInputException("endpoint", "not an http(s) URL");
      }
      b.endpoint(parsed);
    });
    return b.build();
  }
}
