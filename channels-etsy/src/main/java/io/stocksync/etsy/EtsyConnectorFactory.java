package io.stocksync.etsy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import okhttp3.HttpUrl;

/**
 * Creates {@link EtsyConnector}s from configuration, for {@code ServiceLoader} discovery.
 * Settings: {@code shopId} (required), {@code keystring} (required), {@code sharedSecret}
 * (required, secret), {@code refreshToken} (secret; the seller's grant, refreshed and rotated
 * by an {@link OAuthTokenSource} over an {@link InMemoryCredentialsStore}) or {@code
 * accessToken} (secret, fixed, {@code {user_id}.{token}}), {@code baseUrl} (optional, for
 * emulators; the token endpoint is below it). Rotated refresh tokens live in memory here: hosts
 * that must survive a restart build the connector with their own {@code CredentialsStore}.
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
    String keystring = config.require("keystring");
    EtsyConnector.Builder b = EtsyConnector.builder().shopId(shopId)
        .apiKey(keystring, config.require("sharedSecret"));
    HttpUrl base = HttpUrl.get("https://openapi.etsy.com/");
    if (config.get("baseUrl").isPresent()) {
      HttpUrl parsed = HttpUrl.parse(config.get("baseUrl").get());
      if (parsed == null) {
        throw new InvalidInputException("baseUrl", "not an http(s) URL");
      }
      base = parsed;
      b.baseUrl(parsed);
    }
    if (config.get("refreshToken").isPresent()) {
      b.tokens(OAuthTokenSource.builder()
          .tokenUrl(base.resolve("v3/public/oauth/token"))
          .clientId(keystring)
          .clientAuthentication(ClientAuthentication.NONE)
          .credentialsStore(new InMemoryCredentialsStore(), "etsy:" + shopId)
          .initialRefreshToken(config.require("refreshToken"))
          .build());
    } else {
      b.accessToken(config.require("accessToken"));
    }
    return b.build();
  }
}
