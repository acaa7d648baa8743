package io.stocksync.amazon;

import io.stocksync.oauth.InMemoryCredentialsStore;
import io.stocksync.oauth.OAuthTokenSource;
import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.amazon.AmazonEmulator;
import java.time.Instant;
import java.util.function.Consumer;

/** An emulated Amazon seller and connectors to it that log in through LWA, on a manual clock. */
final class AmazonTestbed implements AutoCloseable {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T08:00:00Z"));
  final AmazonEmulator amazon;
  final InMemoryCredentialsStore credentials = new InMemoryCredentialsStore();

  AmazonTestbed(Consumer<AmazonEmulator.Builder> emulator) {
    AmazonEmulator.Builder b = AmazonEmulator.builder().clock(clock);
    emulator.accept(b);
    amazon = b.build().start();
  }

  AmazonTestbed() {
    this(b -> {});
  }

  OAuthTokenSource tokens() {
    return AmazonConnector.lwa().tokenUrl(amazon.tokenUrl())
        .clientId(AmazonEmulator.DEFAULT_CLIENT_ID).clientSecret(AmazonEmulator.DEFAULT_CLIENT_SECRET)
        .credentialsStore(credentials, "amazon-test").initialRefreshToken(amazon.refreshToken())
        .clock(clock).build();
  }

  AmazonConnector.Builder connectorBuilder(FulfilmentType type) {
    return AmazonConnector.builder().sellerId(amazon.sellerId()).marketplaceId(amazon.marketplaceId())
        .fulfilment(type).endpoint(amazon.url()).accessTokens(tokens()).clock(clock);
  }

  AmazonConnector connector(FulfilmentType type) {
    return connectorBuilder(type).build();
  }

  @Override
  public void close() {
    amazon.close();
  }
}
