package io.stocksync.etsy;

import io.stocksync.oauth.ClientAuthentication;
import io.stocksync.oauth.CredentialsStore;
import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.testkit.etsy.EtsyEmulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An emulated Etsy shop and connectors to it, built the way a host builds them: API key
 * {@code keystring:shared_secret}, tokens from the shared OAuth source over a credentials store.
 */
final class EtsyTestShop implements AutoCloseable {
  static final String KEYSTRING = "emulatedkeystring";
  static final String SHARED_SECRET = "emulatedsharedsecret";

  final Clock clock;
  final EtsyEmulator etsy;
  final CredentialsStore credentials = new InMemoryCredentialsStore();
  final List<EtsyNotice> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<EtsyConnector> opened = new ArrayList<>();

  EtsyTestShop(Clock clock, UnaryOperator<EtsyEmulator.Builder> config) {
    this.clock = clock;
    this.etsy = config.apply(EtsyEmulator.builder().clock(clock)).build().start();
    // The seller's consent: the host stores the first refresh token.
    credentials.save(key(), io.stocksync.oauth.OAuthTokens.ofRefreshToken(etsy.issueRefreshToken()));
  }

  String key() {
    return "etsy:" + etsy.shopId();
  }

  OAuthTokenSource tokenSource() {
    return OAuthTokenSource.builder()
        .tokenUrl(etsy.url().resolve("v3/public/oauth/token"))
        .clientId(KEYSTRING)
        .clientAuthentication(ClientAuthentication.NONE)
        .credentialsStore(credentials, key())
        .clock(clock)
        .build();
  }

  EtsyConnector connector() {
    return connector(b -> b);
  }

  EtsyConnector connector(UnaryOperator<EtsyConnector.Builder> config) {
    EtsyConnector c = config.apply(EtsyConnector.builder().shopId(etsy.shopId())
        .apiKey(KEYSTRING, SHARED_SECRET).tokens(tokenSource()).baseUrl(etsy.url()).clock(clock)
        .notices(notices::add)).build();
    opened.add(c);
    return c;
  }

  @Override
  public void close() {
    opened.forEach(EtsyConnector::close);
    etsy.close();
  }
}
