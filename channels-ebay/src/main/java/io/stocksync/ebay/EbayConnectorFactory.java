package io.stocksync.ebay;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Creates {@link EbayConnector}s from configuration, for {@code ServiceLoader} discovery.
 * Settings: {@code sellerId} (required); either {@code clientId}, {@code clientSecret} (secret)
 * and {@code refreshToken} (secret) for refreshing OAuth tokens (kept in memory; use the builder
 * with your own {@code CredentialsStore} to persist them), or a fixed {@code accessToken}
 * (secret); {@code marketplaceId} (default {@code EBAY_US}), {@code baseUrl} (optional, for
 * emulators; also the token endpoint's host), {@code maxRequestsPerSecond} (optional).
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
    EbayConnector.Builder b = EbayConnector.builder().sellerId(config.require("sellerId"));
    Optional<String> refresh = config.get("refreshToken");
    if (refresh.isPresent()) {
      String base = config.get("baseUrl").orElse("https://api.ebay.com/");
      HttpUrl tokenUrl = HttpUrl.parse(base) == null ? null
          : HttpUrl.get(base).resolve("identity/v1/oauth2/token");
      if (tokenUrl == null) {
        throw new InvalidInputException("baseUrl", "not an http(s) URL");
      }
      b.tokenSource(OAuthTokenSource.builder().tokenUrl(tokenUrl)
          .clientId(config.require("clientId")).clientSecret(config.require("clientSecret"))
          .clientAuthentication(ClientAuthentication.BASIC)
          .extraParam("scope", EbayConnector.SCOPES)
          .credentialsStore(new InMemoryCredentialsStore(), "ebay:" + config.require("sellerId"))
          .initialRefreshToken(refresh.get()).build());
    } else {
      b.accessToken(config.require("accessToken"));
    }
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
