package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.vars;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.GraphQlTestClient.Reply;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator parses what it is sent and answers as Shopify would, to any client. */
class EmulatorGraphQlTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00.250Z"));
  ShopifyEmulator shop;
  GraphQlTestClient client;
  String east;
  String west;
  VariantIds mug;

  @BeforeEach
  void setUp() {
    shop = ShopifyEmulator.builder().clock(clock).build().start();
    client = new GraphQlTestClient(shop);
    east = shop.addLocation("East");
    west = shop.addLocation("West");
    shop.addLocation("North");
    mug = shop.addVariant(shop.addProduct("Mug", ProductStatus.ACTIVE), "MUG", true);
    shop.stock(mug.inventoryItemId(), east, 7);
    shop.stock(mug.inventoryItemId(), west, 3);
  }

  @AfterEach
  void tearDown() {
    shop.close();
  }

  @Test
  void requestWithoutOperationName_andLiteralArguments_isAnsweredAsShopifyWould() {
    Reply reply = client.query("{ locations(first: 1) { nodes { name } pageInfo { hasNextPage } } }",
        Map.of());

    assertThat(reply.errorCode()).isNull();
    assertThat(reply.list("data", "locations", "nodes")).hasSize(1);
    assertThat(reply.string("data", "locations", "nodes", 0, "name")).isEqualTo("East");
    assertThat(reply.at("data", "locations", "pageInfo", "hasNextPage")).isEqualTo(true);
  }

  @Test
  void anyOperationName_isAnswered_andTheNamedOneOfSeveralRuns() {
    Reply reply = client.postRaw(shop.graphqlUrl(ShopifyEmulator.API_VERSION), shop.accessToken(),
        "{\"query\":\"query Mine { shop { name } } query Other { shop { id } }\","
            + "\"operationName\":\"Mine\"}");

    assertThat(reply.at("data")).isEqualTo(Map.of("shop", Map.of("name", "Emulated Shop")));
  }

  @Test
  void exactlyTheSelectedFields_comeBack_withAliases() {
    Reply reply = client.query("{ shop { name } item: inventoryItem(id: \"" + mug.inventoryItemId()
        + "\") { tracked } }", Map.of());

    assertThat(reply.at("data")).isEqualTo(
        Map.of("shop", Map.of("name", "Emulated Shop"), "item", Map.of("tracked", true)));
  }

  @Test
  void quantitiesByName_returnExactlyTheNamesAskedFor() {
    shop.sell(mug.variantId(), 2, east);
    String levels = "{ inventoryItem(id: \"" + mug.inventoryItemId() + "\") { inventoryLevels(first: 1) {"
        + " nodes { quantities(names: [%s]) { name quantity } } } } }";

    Reply available = client.query(String.format(levels, "\"available\""), Map.of());
    Reply committed = client.query(String.format(levels, "\"committed\", \"on_hand\""), Map.of());

    assertThat(available.list("data", "inventoryItem", "inventoryLevels", "nodes", 0, "quantities"))
        .containsExactly(Map.of("name", "available", "quantity", 5.0));
    assertThat(committed.list("data", "inventoryItem", "inventoryLevels", "nodes", 0, "quantities"))
        .containsExactly(Map.of("name", "committed", "quantity", 2.0),
            Map.of("name", "on_hand", "quantity", 7.0));
  }

  @Test
  void nestedFirst_isHonoured_andTheRestIsReachedByItsCursor() {
    String page = "query($id: ID!, $after: String) { inventoryItem(id: $id) { inventoryLevels(first: 1,"
        + " after: $after) { nodes { location { id } } pageInfo { hasNextPage endCursor } } } }";

    Reply first = client.query(page, vars("id", mug.inventoryItemId()));
    Reply second = client.query(page, vars("id", mug.inventoryItemId(), "after",
        first.string("data", "inventoryItem", "inventoryLevels", "pageInfo", "endCursor")));

    assertThat(first.string("data", "inventoryItem", "inventoryLevels", "nodes", 0, "location", "id"))
        .isEqualTo(east);
    assertThat(first.at("data", "inventoryItem", "inventoryLevels", "pageInfo", "hasNextPage"))
        .isEqualTo(true);
    assertThat(second.string("data", "inventoryItem", "inventoryLevels", "nodes", 0, "location", "id"))
        .isEqualTo(west);
    assertThat(second.at("data", "inventoryItem", "inventoryLevels", "pageInfo", "hasNextPage"))
        .isEqualTo(false);
  }

  @Test
  void inventoryMutationWithALiteralIdempotencyKey_isApplied_andReplayedOnRetry() {
    String mutation = "mutation { inventorySetQuantities(input: { name: \"available\", reason:"
        + " \"correction\", quantities: [{ inventoryItemId: \"" + mug.inventoryItemId()
        + "\", locationId: \"" + east + "\", quantity: 9, changeFromQuantity: 7 }] })"
        + " @idempotent(key: \"literal-key-1\") { inventoryAdjustmentGroup { createdAt"
        + " changes { delta } } userErrors { code } } }";

    Reply applied = client.query(mutation, Map.of());
    Reply replayed = client.query(mutation, Map.of());

    assertThat(applied.list("data", "inventorySetQuantities", "userErrors")).isEmpty();
    assertThat(applied.at("data", "inventorySetQuantities", "inventoryAdjustmentGroup"))
        .isEqualTo(Map.of("createdAt", "2026-03-01T10:00:00Z", "changes", List.of(Map.of("delta", 2.0))));
    assertThat(replayed.at("data")).isEqualTo(applied.at("data"));
    assertThat(shop.available(mug.inventoryItemId(), east)).isEqualTo(9);
  }

  @Test
  void idempotencyKeyInAVariableOfAnyName_isAccepted() {
    Reply reply = client.query("mutation Set($in: InventorySetQuantitiesInput!, $k: String!) {"
        + " inventorySetQuantities(input: $in) @idempotent(key: $k) { userErrors { code } } }",
        vars("in", GraphQlTestClient.setInput(List.of(
            GraphQlTestClient.quantity(mug.inventoryItemId(), west, 4, 3))), "k", "any-name"));

    assertThat(reply.list("data", "inventorySetQuantities", "userErrors")).isEmpty();
    assertThat(shop.available(mug.inventoryItemId(), west)).isEqualTo(4);
  }

  @Test
  void mutationWithoutIdempotent_isRefused_andAppliesNothing() {
    Reply reply = client.query("mutation($in: InventorySetQuantitiesInput!) {"
        + " inventorySetQuantities(input: $in) { userErrors { code } } }",
        vars("in", GraphQlTestClient.setInput(List.of(
            GraphQlTestClient.quantity(mug.inventoryItemId(), west, 4, 3)))));

    assertThat(reply.at("data")).isNull();
    assertThat(reply.string("errors", 0, "message")).contains("@idempotent");
    assertThat(shop.available(mug.inventoryItemId(), west)).isEqualTo(3);
  }

  @Test
  void unknownField_isRefusedWithShopifysUndefinedFieldShape_andCostsNothing() {
    int before = shop.currentlyAvailable();

    Reply reply = client.query("{ shop { name bogus } }", Map.of());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.at("data")).isNull();
    assertThat(reply.string("errors", 0, "message")).isEqualTo("Field 'bogus' doesn't exist on type 'Shop'");
    assertThat(reply.errorCode()).isEqualTo("undefinedField");
    assertThat(reply.string("errors", 0, "extensions", "typeName")).isEqualTo("Shop");
    assertThat(reply.string("errors", 0, "extensions", "fieldName")).isEqualTo("bogus");
    assertThat(reply.list("errors", 0, "locations")).isNotEmpty();
    assertThat(shop.currentlyAvailable()).isEqualTo(before);
  }

  @Test
  void unknownArgument_isRefused() {
    Reply reply = client.query("{ locations(first: 1, bogus: 2) { nodes { id } } }", Map.of());

    assertThat(reply.at("data")).isNull();
    assertThat(reply.errorCode()).isEqualTo("argumentNotAccepted");
    assertThat(reply.string("errors", 0, "message"))
        .isEqualTo("Field 'locations' doesn't accept argument 'bogus'");
  }

  @Test
  void syntaxError_isRefusedWithAParseErrorAndItsLocation() {
    Reply reply = client.query("{ shop { name }", Map.of());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.at("data")).isNull();
    assertThat(reply.string("errors", 0, "message")).startsWith("Parse error on ");
    assertThat(reply.list("errors", 0, "locations")).isNotEmpty();
  }

  @Test
  void variableOfTheWrongType_isRefused_andAppliesNothing() {
    Reply reply = client.query("query($n: Int!) { locations(first: $n) { nodes { id } } }",
        vars("n", "ten"));

    assertThat(reply.at("data")).isNull();
    assertThat(reply.list("errors")).isNotEmpty();
  }

  @Test
  void dateTimes_areWholeSeconds() {
    shop.sell(mug.variantId(), 1, east);

    Reply reply = client.query("{ orders(first: 5, sortKey: UPDATED_AT) { nodes { createdAt updatedAt } } }",
        Map.of());

    assertThat(reply.string("data", "orders", "nodes", 0, "createdAt")).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(reply.string("data", "orders", "nodes", 0, "updatedAt")).isEqualTo("2026-03-01T10:00:00Z");
  }
}
