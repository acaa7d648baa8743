package io.stocksync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The quick start runs as documented: 3 mugs copied from the shop, 10 received, 13 shown. */
class QuickstartTest {
  @Test
  void theShopShowsTheAdjustedQuantity() throws InterruptedException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    long quantity = Quickstart.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    assertThat(quantity).isEqualTo(13);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("Shopify now shows 13 x MUG-RED");
  }
}
