package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.core.channel.ChannelOrderLine;
import io.stocksync.shopify.internal.OrderLocations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule that splits a line item by location: the parts always add up to the line. */
class OrderLocationsTest {
  static Map<String, Long> at(Object... pairs) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
    }
    return out;
  }

  static void assertAddsUp(List<ChannelOrderLine> parts, long q, long f, long c, long r) {
    assertThat(parts.stream().mapToLong(ChannelOrderLine::quantity).sum()).isEqualTo(q);
    assertThat(parts.stream().mapToLong(ChannelOrderLine::fulfilled).sum()).isEqualTo(f);
    assertThat(parts.stream().mapToLong(ChannelOrderLine::cancelled).sum()).isEqualTo(c);
    assertThat(parts.stream().mapToLong(ChannelOrderLine::restocked).sum()).isEqualTo(r);
  }

  @Test
  void notRouted_isOneLineWithoutLocation() {
    List<ChannelOrderLine> parts = OrderLocations.split("L", "TEE", 3, 0, 0, 0, Map.of(), Map.of());

    assertThat(parts).containsExactly(new ChannelOrderLine("L", "TEE", 3, 0, 0, 0, null));
  }

  @Test
  void oneLocation_keepsTheLineId() {
    List<ChannelOrderLine> parts = OrderLocations.split("L", "TEE", 3, 1, 0, 0, at("A", 1L),
        at("A", 2L));

    assertThat(parts).containsExactly(new ChannelOrderLine("L", "TEE", 3, 1, 0, 0, "A"));
  }

  @Test
  void openAtTwoLocations_givesAPartPerOtherLocation() {
    List<ChannelOrderLine> parts = OrderLocations.split("L", "TEE", 5, 0, 0, 0, Map.of(),
        at("A", 3L, "B", 2L));

    assertThat(parts).containsExactly(new ChannelOrderLine("L", "TEE", 3, 0, 0, 0, "A"),
        new ChannelOrderLine("L@B", "TEE", 2, 0, 0, 0, "B"));
  }

  @Test
  void shippedFromBothCancelledAndReturned_partsAddUp_andTheBaseIsWhereItFirstShipped() {
    List<ChannelOrderLine> parts = OrderLocations.split("L", "TEE", 8, 5, 1, 4, at("B", 2L, "A", 3L),
        at("A", 2L));

    assertAddsUp(parts, 8, 5, 1, 4);
    assertThat(parts.get(0)).isEqualTo(new ChannelOrderLine("L", "TEE", 3, 2, 1, 2, "B"));
    assertThat(parts.get(1)).isEqualTo(new ChannelOrderLine("L@A", "TEE", 5, 3, 0, 2, "A"));
  }

  @Test
  void figuresThatDoNotAgree_areClampedSoTheLineStillAddsUp() {
    // Fulfilment orders claim more open units than the line has: the base's own come first.
    List<ChannelOrderLine> parts = OrderLocations.split("L", "TEE", 4, 1, 1, 0, at("A", 1L),
        at("A", 1L, "B", 5L));

    assertAddsUp(parts, 4, 1, 1, 0);
    assertThat(parts.get(0)).isEqualTo(new ChannelOrderLine("L", "TEE", 3, 1, 1, 0, "A"));
    assertThat(parts.get(1)).isEqualTo(new ChannelOrderLine("L@B", "TEE", 1, 0, 0, 0, "B"));
  }
}
