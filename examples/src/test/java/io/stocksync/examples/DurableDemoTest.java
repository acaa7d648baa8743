package io.stocksync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableDemoTest {
  @TempDir Path dir;

  private String run(Path file, int expectedStatus) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = DurableDemo.run(file, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(out).isEqualTo(expectedStatus);
    return out;
  }

  @Test
  void secondRunOverTheSameFile_resumesAndBooksNoOrderTwice() {
    Path file = dir.resolve("hub");

    String first = run(file, 0);
    String second = run(file, 0);

    assertThat(first).contains("run 1", "first run", "3 orders booked once each over 1 run(s)");
    assertThat(second).contains("run 2", "resumed: 3 products, 3 orders already applied",
        "6 orders booked once each over 2 run(s)");
  }
}
