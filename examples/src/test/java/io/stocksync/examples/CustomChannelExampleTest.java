package io.stocksync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The custom channel example ends with the POS showing what the hub has. */
class CustomChannelExampleTest {
  @Test
  void thePosEndsWithTheHubsFigure() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    long shelf = CustomChannelExample.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    // 20 opening - 2 sold + 10 delivered; a sale of 1 and its return cancel out.
    assertThat(shelf).isEqualTo(28);
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("shelf MUG-RED 20, TEA-EARL 50", "retries 1");
  }
}
