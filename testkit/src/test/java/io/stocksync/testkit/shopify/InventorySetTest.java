package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.quantity;
import static io.stocksync.testkit.shopify.GraphQlTestClient.setInput;
import static io.stocksync.testkit.shopify.GraphQlTestClient.vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.GraphQlTestClient.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InventorySetTest {
  private static final String GROUP = "inventorySetQuantities";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ShopifyEmulator shop;
  private GraphQlTestClient client;
  private String warehouse;
  private String store;
  private VariantIds shirt;
  private VariantIds mug;

  @BeforeEach
  void setUp() {
    shop = ShopifyEmulator.builder().clock(clock).build().start();
    client = new GraphQlTestClient(shop);
    warehouse = shop.addLocation("Warehouse");
    store = shop.addLocation("Store");
    String product = shop.addProduct("Shirt", ProductStatus.ACTIVE);
    shirt = shop.addVariant(product, "SHIRT-1", true);
    mug = shop.addVariant(shop.addProduct("Mug", ProductStatus.ACTIVE), "MUG-1", true);
    shop.stock(shirt.inventoryItemId(), warehouse, 10);
    shop.stock(shirt.inventoryItemId(), store, 3);
    shop.stock(mug.inventoryItemId(), warehouse, 7);
  }

  @AfterEach
  void tearDown() {
    shop.close();
  }

  @Test
  void setQuantities_whenChangeFromMatches_appliesAndReportsOnlyChangedItems() {
    Reply reply =
        client.set(
            "key-1",
            List.of(
                quantity(shirt.inventoryItemId(), warehouse, 12, 10),
                quantity(mug.inventoryItemId(), warehouse, 7, 7)));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.list("data", GROUP, "userErrors")).isEmpty();
    assertThat(reply.string("data", GROUP, "inventoryAdjustmentGroup", "reason"))
        .isEqualTo("correction");
    assertThat(reply.list("data", GROUP, "inventoryAdjustmentGroup", "changes")).hasSize(1);
    String change = "changes";
    assertThat(reply.string("data", GROUP, "inventoryAdjustmentGroup", change, 0, "name"))
        .isEqualTo("available");
    assertThat(reply.number("data", GROUP, "inventoryAdjustmentGroup", change, 0, "delta"))
        .isEqualTo(2);
    assertThat(
            reply.number(
                "data", GROUP, "inventoryAdjustmentGroup", change, 0, "quantityAfterChange"))
        .isEqualTo(12);
    assertThat(reply.string("data", GROUP, "inventoryAdjustmentGroup", change, 0, "item", "id"))
        .isEqualTo(shirt.inventoryItemId());
    assertThat(
            reply.string("data", GROUP, "inventoryAdjustmentGroup", change, 0, "location", "id"))
        .isEqualTo(warehouse);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(12);
    assertThat(shop.onHand(shirt.inventoryItemId(), warehouse)).isEqualTo(12);
  }

  @Test
  void setQuantities_whenChangeFromIsStale_returnsStaleErrorAndChangesNothing() {
    Reply reply =
        client.set(
            "key-stale",
            List.of(
                quantity(mug.inventoryItemId(), warehouse, 1, 7),
                quantity(shirt.inventoryItemId(), warehouse, 5, 9)));

    assertThat(reply.at("data", GROUP, "inventoryAdjustmentGroup")).isNull();
    assertThat(reply.list("data", GROUP, "userErrors")).hasSize(1);
    assertThat(reply.string("data", GROUP, "userErrors", 0, "code"))
        .isEqualTo("CHANGE_FROM_QUANTITY_STALE");
    assertThat(reply.list("data", GROUP, "userErrors", 0, "field"))
        .containsExactly("input", "quantities", "1", "changeFromQuantity");
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(7);
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(10);
  }

  @Test
  void setQuantities_whenChangeFromIsNull_overwritesWithoutComparing() {
    Reply reply = client.set("key-null", List.of(quantity(mug.inventoryItemId(), warehouse, 0, null)));

    assertThat(reply.list("data", GROUP, "userErrors")).isEmpty();
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isZero();
  }

  @Test
  void setQuantities_whenChangeFromKeyIsMissing_returnsCompareQuantityRequired() {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("inventoryItemId", mug.inventoryItemId());
    q.put("locationId", warehouse);
    q.put("quantity", 1);

    Reply reply = client.set("key-missing", List.of(q));

    assertThat(reply.string("data", GROUP, "userErrors", 0, "code"))
        .isEqualTo("COMPARE_QUANTITY_REQUIRED");
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(7);
  }

  @Test
  void setQuantities_whenSeveralItemsAreInvalid_reportsEachWithItsIndexAndAppliesNothing() {
    String untrackedProduct = shop.addProduct("Gift card", ProductStatus.ACTIVE);
    VariantIds untracked = shop.addVariant(untrackedProduct, "GIFT", false);
    shop.stock(untracked.inventoryItemId(), warehouse, 0);
    Reply reply =
        client.set(
            "key-many",
            List.of(
                quantity(shirt.inventoryItemId(), warehouse, 1, null),
                quantity("gid://shopify/InventoryItem/1", warehouse, 1, null),
                quantity(shirt.inventoryItemId(), "gid://shopify/Location/2", 1, null),
                quantity(mug.inventoryItemId(), store, 1, null),
                quantity(untracked.inventoryItemId(), warehouse, 1, null),
                quantity(shirt.inventoryItemId(), store, -1, null),
                quantity(mug.inventoryItemId(), warehouse, 1_000_000_001, null),
                quantity(shirt.inventoryItemId(), warehouse, 2, null)));

    assertThat(reply.at("data", GROUP, "inventoryAdjustmentGroup")).isNull();
    List<String> codes = new ArrayList<>();
    List<Object> indices = new ArrayList<>();
    for (Object error : reply.list("data", GROUP, "userErrors")) {
      Map<?, ?> e = (Map<?, ?>) error;
      codes.add((String) e.get("code"));
      indices.add(((List<?>) e.get("field")).get(2));
    }
    assertThat(codes)
        .containsExactly(
            "INVALID_INVENTORY_ITEM",
            "INVALID_LOCATION",
            "ITEM_NOT_STOCKED_AT_LOCATION",
            "NON_MUTABLE_INVENTORY_ITEM",
            "INVALID_QUANTITY_NEGATIVE",
            "INVALID_QUANTITY_TOO_HIGH",
            "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR");
    assertThat(indices).containsExactly("1", "2", "3", "4", "5", "6", "7");
    assertThat(shop.available(shirt.inventoryItemId(), warehouse)).isEqualTo(10);
  }

  @Test
  void setQuantities_whenNameIsNotAQuantityName_returnsInvalidName() {
    Map<String, Object> input = setInput(List.of(quantity(mug.inventoryItemId(), warehouse, 1, 7)));
    input.put("name", "committed");

    Reply reply = client.post("InventorySet", vars("input", input, "idempotencyKey", "key-name"));

    assertThat(reply.string("data", GROUP, "userErrors", 0, "code")).isEqualTo("INVALID_NAME");
    assertThat(reply.list("data", GROUP, "userErrors", 0, "field")).containsExactly("input", "name");
  }

  @Test
  void setQuantities_whenMoreThan250Quantities_returnsTopLevelErrorWithoutCharging() {
    List<Map<String, Object>> quantities = new ArrayList<>();
    for (int i = 0; i < 251; i++) {
      quantities.add(new LinkedHashMap<>(quantity(mug.inventoryItemId(), warehouse, i, null)));
    }
    int before = shop.currentlyAvailable();

    Reply reply = client.set("key-big", quantities);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.errorCode()).isEqualTo("MAX_INPUT_SIZE_EXCEEDED");
    assertThat(reply.at("data")).isNull();
    assertThat(shop.currentlyAvailable()).isEqualTo(before);
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(7);
  }

  @Test
  void setQuantities_whenSameKeyAndSameInputAreRetried_replaysWithoutApplyingTwice() {
    List<Map<String, Object>> quantities =
        List.of(new LinkedHashMap<>(quantity(mug.inventoryItemId(), warehouse, 9, 7)));
    Reply first = client.set("key-replay", quantities);
    shop.stock(mug.inventoryItemId(), warehouse, 4);

    Reply second = client.set("key-replay", quantities);

    assertThat(second.at("data")).isEqualTo(first.at("data"));
    assertThat(second.list("data", GROUP, "userErrors")).isEmpty();
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(4);
  }

  @Test
  void setQuantities_whenSameKeyComesWithOtherInput_returnsParameterMismatch() {
    client.set("key-reused", List.of(quantity(mug.inventoryItemId(), warehouse, 9, 7)));

    Reply reply = client.set("key-reused", List.of(quantity(mug.inventoryItemId(), warehouse, 3, 9)));

    assertThat(reply.string("data", GROUP, "userErrors", 0, "code"))
        .isEqualTo("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    assertThat(reply.at("data", GROUP, "inventoryAdjustmentGroup")).isNull();
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(9);
  }

  @Test
  void setQuantities_whenIdempotentDirectiveIsMissing_returnsTopLevelError() {
    String body =
        "{\"query\":\"mutation InventorySet($input: InventorySetQuantitiesInput!) {"
            + " inventorySetQuantities(input: $input) { userErrors { code } } }\","
            + "\"operationName\":\"InventorySet\",\"variables\":{\"idempotencyKey\":\"k\","
            + "\"input\":{\"name\":\"available\",\"reason\":\"correction\",\"quantities\":[]}}}";

    Reply reply = client.postRaw(shop.graphqlUrl(), shop.accessToken(), body);

    assertThat(reply.errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(reply.string("errors", 0, "message")).contains("@idempotent");
  }

  @Test
  void setQuantities_whenIdempotencyKeyVariableIsMissing_returnsTopLevelError() {
    Reply reply =
        client.post(
            "InventorySet",
            vars("input", setInput(List.of(quantity(mug.inventoryItemId(), warehouse, 1, 7)))));

    assertThat(reply.errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(7);
  }

  @Test
  void setQuantities_onCurrentVersion_rejectsTheRetiredCompareQuantityField() {
    Map<String, Object> q = new LinkedHashMap<>(quantity(mug.inventoryItemId(), warehouse, 1, 7));
    q.put("compareQuantity", 7);

    Reply reply = client.set("key-old-field", List.of(q));

    assertThat(reply.errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(7);
  }

  @Test
  void setQuantities_whenServerFailsAfterCommit_appliesOnceAndRetryWithSameKeyIsReplayed() {
    List<Map<String, Object>> quantities =
        List.of(new LinkedHashMap<>(quantity(mug.inventoryItemId(), warehouse, 5, 7)));
    shop.failNext(1, Fault.SERVER_ERROR_AFTER_COMMIT);

    Reply failed = client.set("key-commit", quantities);
    assertThat(failed.status()).isEqualTo(502);
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(5);
    shop.stock(mug.inventoryItemId(), warehouse, 6);

    Reply retried = client.set("key-commit", quantities);

    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.number("data", GROUP, "inventoryAdjustmentGroup", "changes", 0, "delta"))
        .isEqualTo(-2);
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(6);
    assertThat(shop.recordedRequests())
        .filteredOn(r -> "InventorySet".equals(r.operationName()))
        .extracting(RecordedOperation::idempotencyKey, RecordedOperation::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("key-commit", 502),
            org.assertj.core.groups.Tuple.tuple("key-commit", 200));
  }

  @Test
  void setQuantities_ofAvailable_leavesCommittedUnitsInOnHand() {
    shop.sell(mug.variantId(), 2, warehouse);
    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(5);
    assertThat(shop.onHand(mug.inventoryItemId(), warehouse)).isEqualTo(7);

    client.set("key-onhand", List.of(quantity(mug.inventoryItemId(), warehouse, 10, 5)));

    assertThat(shop.available(mug.inventoryItemId(), warehouse)).isEqualTo(10);
    assertThat(shop.onHand(mug.inventoryItemId(), warehouse)).isEqualTo(12);
  }

  @Test
  void available_whenItemIsNotStockedAtLocation_throws() {
    assertThatThrownBy(() -> shop.available(mug.inventoryItemId(), store))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hardRefresh_of20000VariantsAtTwoLocations_neverThrottles() {
    shop.close();
    ManualClock perfClock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (ShopifyEmulator big = ShopifyEmulator.builder().clock(perfClock).build().start()) {
      GraphQlTestClient bigClient = new GraphQlTestClient(big);
      List<String> locations = List.of(big.addLocation("A"), big.addLocation("B"));
      List<VariantIds> variants = big.seedCatalogue(20_000, locations, 5, "SKU-");
      List<Map<String, Object>> batch = new ArrayList<>(250);
      int calls = 0;
      for (VariantIds v : variants) {
        for (String location : locations) {
          batch.add(new LinkedHashMap<>(quantity(v.inventoryItemId(), location, 8, 5)));
          if (batch.size() == 250) {
            Reply reply = bigClient.set("refresh-" + calls++, batch);
            if (reply.errorCode() != null) {
              throw new AssertionError(reply.body());
            }
            batch.clear();
            perfClock.advance(Duration.ofSeconds(3));
          }
        }
      }

      assertThat(calls).isEqualTo(160);
      assertThat(big.throttledCount()).isZero();
      assertThat(big.available(variants.get(19_999).inventoryItemId(), locations.get(1)))
          .isEqualTo(8);
    }
  }
}
