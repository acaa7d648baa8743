package io.stocksync.testkit.shopify;

import static io.stocksync.testkit.shopify.GraphQlTestClient.vars;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.ManualClock;
import io.stocksync.testkit.shopify.GraphQlTestClient.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogueQueriesTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ShopifyEmulator shop;
  private GraphQlTestClient client;

  @BeforeEach
  void setUp() {
    shop =
        ShopifyEmulator.builder()
            .clock(clock)
            .shopDomain("a.myshopify.com")
            .shopName("Shop A")
            .build()
            .start();
    client = new GraphQlTestClient(shop);
  }

  @AfterEach
  void tearDown() {
    shop.close();
  }

  @Test
  void shop_returnsIdNameAndDomain() {
    Reply reply = client.post("Shop", Map.of());

    assertThat(reply.string("data", "shop", "name")).isEqualTo("Shop A");
    assertThat(reply.string("data", "shop", "myshopifyDomain")).isEqualTo("a.myshopify.com");
    assertThat(reply.string("data", "shop", "id")).startsWith("gid://shopify/Shop/");
  }

  @Test
  void locations_listActiveOnesByDefaultAndInactiveOnesOnRequest() {
    String main = shop.addLocation("Main");
    String closed = shop.addLocation("Closed", false);

    Reply active = client.post("Locations", vars("first", 10));
    Reply all = client.post("Locations", vars("first", 10, "includeInactive", true));

    assertThat(active.list("data", "locations", "nodes")).hasSize(1);
    assertThat(active.string("data", "locations", "nodes", 0, "id")).isEqualTo(main);
    assertThat(active.at("data", "locations", "nodes", 0, "isActive")).isEqualTo(true);
    assertThat(active.at("data", "locations", "nodes", 0, "fulfillsOnlineOrders")).isEqualTo(true);
    assertThat(all.list("data", "locations", "nodes")).hasSize(2);
    assertThat(all.string("data", "locations", "nodes", 1, "id")).isEqualTo(closed);
    assertThat(all.at("data", "locations", "nodes", 1, "isActive")).isEqualTo(false);
  }

  @Test
  void ids_areGlobalIdsWhoseNumbersExceed32Bits() {
    String location = shop.addLocation("Main");
    VariantIds ids = shop.addVariant(shop.addProduct("P", ProductStatus.ACTIVE), "S", true);

    for (String gid : List.of(location, ids.variantId(), ids.inventoryItemId())) {
      assertThat(gid).matches("gid://shopify/(Location|ProductVariant|InventoryItem)/\\d+");
      assertThat(Long.parseLong(gid.substring(gid.lastIndexOf('/') + 1)))
          .isGreaterThan(Integer.MAX_VALUE * 2L);
    }
  }

  @Test
  void productVariants_pagingCoversEveryVariantExactlyOnce() {
    String location = shop.addLocation("Main");
    List<VariantIds> seeded = shop.seedCatalogue(1_003, List.of(location), 4, "P-");

    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    while (true) {
      Reply page = client.post("ProductVariants", pageVars(250, after, null));
      pages++;
      for (Object node : page.list("data", "productVariants", "nodes")) {
        seen.add((String) ((Map<?, ?>) node).get("id"));
      }
      if (!Boolean.TRUE.equals(page.at("data", "productVariants", "pageInfo", "hasNextPage"))) {
        break;
      }
      after = page.string("data", "productVariants", "pageInfo", "endCursor");
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(pages).isEqualTo(5);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).containsExactlyElementsOf(seeded.stream().map(VariantIds::variantId).toList());
  }

  @Test
  void productVariants_nodeCarriesSkuProductAndBothQuantitiesPerLocation() {
    String a = shop.addLocation("A");
    String b = shop.addLocation("B");
    String product = shop.addProduct("Shirt", ProductStatus.DRAFT);
    VariantIds v = shop.addVariant(product, "SHIRT-1", true);
    shop.stock(v.inventoryItemId(), a, 5);
    shop.stock(v.inventoryItemId(), b, 2);

    Reply reply = client.post("ProductVariants", pageVars(10, null, null));

    Object[] node = {"data", "productVariants", "nodes", 0};
    assertThat(reply.string(path(node, "sku"))).isEqualTo("SHIRT-1");
    assertThat(reply.string(path(node, "updatedAt"))).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(reply.string(path(node, "product", "id"))).isEqualTo(product);
    assertThat(reply.string(path(node, "product", "status"))).isEqualTo("DRAFT");
    assertThat(reply.string(path(node, "inventoryItem", "id"))).isEqualTo(v.inventoryItemId());
    assertThat(reply.at(path(node, "inventoryItem", "tracked"))).isEqualTo(true);
    Object[] levels = path(node, "inventoryItem", "inventoryLevels", "nodes");
    assertThat(reply.list(levels)).hasSize(2);
    assertThat(reply.string(path(levels, 1, "location", "id"))).isEqualTo(b);
    assertThat(reply.string(path(levels, 1, "quantities", 0, "name"))).isEqualTo("available");
    assertThat(reply.number(path(levels, 1, "quantities", 0, "quantity"))).isEqualTo(2);
    assertThat(reply.string(path(levels, 1, "quantities", 1, "name"))).isEqualTo("on_hand");
    assertThat(reply.number(path(levels, 1, "quantities", 1, "quantity"))).isEqualTo(2);
  }

  @Test
  void productVariants_returnVariantsWithNullOrBlankSku() {
    String product = shop.addProduct("No SKUs", ProductStatus.ACTIVE);
    shop.addVariant(product, null, true);
    shop.addVariant(product, "  ", true);

    Reply reply = client.post("ProductVariants", pageVars(10, null, null));

    assertThat(reply.list("data", "productVariants", "nodes")).hasSize(2);
    assertThat(reply.at("data", "productVariants", "nodes", 0, "sku")).isNull();
    assertThat(reply.at("data", "productVariants", "nodes", 1, "sku")).isEqualTo("  ");
  }

  @Test
  void productVariants_filterByProductStatus() {
    VariantIds active = shop.addVariant(shop.addProduct("A", ProductStatus.ACTIVE), "A", true);
    VariantIds draft = shop.addVariant(shop.addProduct("D", ProductStatus.DRAFT), "D", true);
    shop.addVariant(shop.addProduct("X", ProductStatus.ARCHIVED), "X", true);

    assertThat(variantIds(pageVars(50, null, "product_status:active")))
        .containsExactly(active.variantId());
    assertThat(variantIds(pageVars(50, null, "product_status:ACTIVE,draft")))
        .containsExactly(active.variantId(), draft.variantId());
  }

  @Test
  void productVariants_filterByUpdatedAtSeesSkuAndStatusChangesButNotQuantityChanges() {
    String location = shop.addLocation("Main");
    String productA = shop.addProduct("A", ProductStatus.ACTIVE);
    VariantIds a = shop.addVariant(productA, "A", true);
    VariantIds b = shop.addVariant(shop.addProduct("B", ProductStatus.ACTIVE), "B", true);
    VariantIds c = shop.addVariant(shop.addProduct("C", ProductStatus.ACTIVE), "C", true);
    shop.stock(c.inventoryItemId(), location, 1);
    Instant checkpoint = clock.advance(Duration.ofMinutes(5));
    clock.advance(Duration.ofSeconds(1));

    shop.setSku(b.variantId(), "B-2");
    shop.setProductStatus(productA, ProductStatus.DRAFT);
    shop.stock(c.inventoryItemId(), location, 9);

    String since = "updated_at:>'" + checkpoint + "'";
    assertThat(variantIds(pageVars(50, null, since))).containsExactly(a.variantId(), b.variantId());
    assertThat(variantIds(pageVars(50, null, since + " AND product_status:active")))
        .containsExactly(b.variantId());
    assertThat(variantIds(pageVars(50, null, "updated_at:>='" + clock.instant() + "'")))
        .containsExactly(a.variantId(), b.variantId());
  }

  @Test
  void productVariants_whenPageSizeIsOutOfRange_returnTopLevelError() {
    assertThat(client.post("ProductVariants", pageVars(251, null, null)).errorCode())
        .isEqualTo("BAD_REQUEST");
    assertThat(client.post("ProductVariants", pageVars(0, null, null)).errorCode())
        .isEqualTo("BAD_REQUEST");
  }

  @Test
  void productVariants_whenCursorIsForeignOrGarbage_returnTopLevelError() {
    shop.addLocation("A");
    shop.addLocation("B");
    String locationCursor =
        client.post("Locations", vars("first", 1)).string("data", "locations", "pageInfo", "endCursor");

    assertThat(client.post("ProductVariants", pageVars(5, locationCursor, null)).errorCode())
        .isEqualTo("BAD_REQUEST");
    assertThat(client.post("ProductVariants", pageVars(5, "!!", null)).errorCode())
        .isEqualTo("BAD_REQUEST");
  }

  @Test
  void productVariants_whenQueryIsUnsupported_returnTopLevelError() {
    assertThat(client.post("ProductVariants", pageVars(5, null, "sku:ABC")).errorCode())
        .isEqualTo("BAD_REQUEST");
  }

  @Test
  void inventoryItems_returnNodesInRequestOrderWithNullForUnknownIds() {
    String location = shop.addLocation("Main");
    VariantIds a = shop.addVariant(shop.addProduct("A", ProductStatus.ACTIVE), "A", true);
    VariantIds b = shop.addVariant(shop.addProduct("B", ProductStatus.ACTIVE), "B", false);
    shop.stock(a.inventoryItemId(), location, 3);

    Reply reply =
        client.post(
            "InventoryItems",
            vars(
                "ids",
                List.of(b.inventoryItemId(), "gid://shopify/InventoryItem/42", a.inventoryItemId())));

    assertThat(reply.list("data", "nodes")).hasSize(3);
    assertThat(reply.string("data", "nodes", 0, "id")).isEqualTo(b.inventoryItemId());
    assertThat(reply.at("data", "nodes", 0, "tracked")).isEqualTo(false);
    assertThat(reply.at("data", "nodes", 1)).isNull();
    assertThat(
            reply.number(
                "data", "nodes", 2, "inventoryLevels", "nodes", 0, "quantities", 0, "quantity"))
        .isEqualTo(3);
    assertThat(reply.number("extensions", "cost", "actualQueryCost")).isEqualTo(1 + 3 * 3);
  }

  @Test
  void inventoryItems_whenMoreThan250Ids_returnTopLevelError() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 251; i++) {
      ids.add("gid://shopify/InventoryItem/" + i);
    }

    assertThat(client.post("InventoryItems", vars("ids", ids)).errorCode())
        .isEqualTo("MAX_INPUT_SIZE_EXCEEDED");
  }

  private List<String> variantIds(Map<String, @Nullable Object> variables) {
    Reply reply = client.post("ProductVariants", variables);
    List<String> ids = new ArrayList<>();
    for (Object node : reply.list("data", "productVariants", "nodes")) {
      ids.add((String) ((Map<?, ?>) node).get("id"));
    }
    return ids;
  }

  private static Map<String, @Nullable Object> pageVars(
      int first, @Nullable String after, @Nullable String query) {
    Map<String, @Nullable Object> vars = new HashMap<>();
    vars.put("first", first);
    vars.put("after", after);
    vars.put("query", query);
    return vars;
  }

  private static Object[] path(Object[] prefix, Object... more) {
    Object[] path = Arrays.copyOf(prefix, prefix.length + more.length);
    System.arraycopy(more, 0, path, prefix.length, more.length);
    return path;
  }
}
