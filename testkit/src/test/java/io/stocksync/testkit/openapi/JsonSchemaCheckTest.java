package io.stocksync.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.testkit.SpecFiles;
import org.junit.jupiter.api.Test;

/** Amazon listings-feed messages checked against Amazon's own draft-07 message schema. */
class JsonSchemaCheckTest {
  private static final String MERGE_QUANTITY =
      "{\"messageId\":1,\"sku\":\"MUG-1\",\"operationType\":\"PATCH\",\"productType\":\"MUG\","
          + "\"patches\":[{\"op\":\"merge\",\"path\":\"/attributes/fulfillment_availability\","
          + "\"value\":[{\"fulfillment_channel_code\":\"DEFAULT\",\"quantity\":7}]}]}";

  private final JsonSchemaCheck messages =
      JsonSchemaCheck.forSchema(SpecFiles.require("amazon/listings-feed-message-schema-v2.json"));

  @Test
  void aQuantityMergePatch_conforms() {
    assertThat(messages.violations(MERGE_QUANTITY)).isEmpty();
    messages.assertValid(MERGE_QUANTITY);
  }

  @Test
  void missingRequiredFieldsAndUnknownEnums_areNamedByLocation() {
    String bad =
        "{\"messageId\":0,\"operationType\":\"UPSERT\",\"patches\":[{\"op\":\"merge\","
            + "\"path\":\"/attributes/fulfillment_availability\",\"value\":[]}]}";

    assertThat(messages.violations(bad))
        .contains("/: required property 'sku' not found")
        .anySatisfy(v -> assertThat(v).startsWith("/operationType: does not have a value in"))
        .anySatisfy(v -> assertThat(v).startsWith("/messageId: must have a minimum value of 1"));
    assertThatThrownBy(() -> messages.assertValid(bad))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("listings-feed-message-schema-v2.json");
  }
}
