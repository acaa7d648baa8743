package io.stocksync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command must succeed, and say so. */
class DemoTest {
  @Test
  void demoConvergesAndPrintsTheFinalCheck() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    int status = Demo.run(out);

    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertThat(status).as(printed).isZero();
    assertThat(printed).containsPattern("✔ all \\d+ listing-locations match");
    assertThat(printed).contains("Acme Shopify", "Acme Etsy", "acme-ebay on EBAY_US");
    // Compact: progress lines are rewritten in place with \r, so count real lines only.
    assertThat(printed.split("\n")).hasSizeLessThanOrEqualTo(80);
  }
}
