package io.stocksync.amazon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.channel.ChannelConnector;
import io.stocksync.core.channel.ChannelConnectorFactory;
import io.stocksync.core.channel.ConnectorConfig;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The factory is found by ServiceLoader and builds a working connector from settings. */
class AmazonConnectorFactoryTest {
  @Test
  void serviceLoader_findsTheAmazonFactory_andItBuildsAConnectorThatWorks() {
    ChannelConnectorFactory factory = ServiceLoader.load(ChannelConnectorFactory.class).stream()
        .map(ServiceLoader.Provider::get).filter(f -> f.channel().equals("amazon")).findFirst()
        .orElseThrow();
    try (AmazonTestbed bed = new AmazonTestbed()) {
      bed.amazon.addListing("X", "LUGGAGE", 1L, null);
      ConnectorConfig config = ConnectorConfig.builder().set("sellerId", bed.amazon.sellerId())
          .set("marketplaceId", bed.amazon.marketplaceId()).set("fulfilment", "fbm")
          .set("endpoint", bed.amazon.url().toString())
          .secret("accessToken", bed.amazon.issueAccessToken()).build();

      ChannelConnector c = factory.create(config);

      assertThat(c.storeId().channel()).isEqualTo("amazon");
      assertThat(c.identity().id()).isEqualTo(c.storeId());
      assertThat(c.locations()).extracting(l -> l.id()).containsExactly("FBM");
      assertThat(config.toString()).doesNotContain("Atza|");
    }
  }

  @Test
  void missingFulfilmentType_isRefusedNamingTheSetting() {
    ConnectorConfig config = ConnectorConfig.builder().set("sellerId", "S")
        .set("marketplaceId", "ATVPDKIKX0DER").secret("accessToken", "t").build();

    assertThatThrownBy(() -> new AmazonConnectorFactory().create(config))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("fulfilment");
  }
}
