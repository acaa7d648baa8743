package io.stocksync.testkit.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost calculator on worked examples. */
class CostModelTest {
  /** The part of Shopify's schema the published worked example touches. */
  static final GraphQLSchema PRODUCT_SCHEMA = new SchemaGenerator().makeExecutableSchema(
      new SchemaParser().parse("type Query { product(id: ID!): Product }"
          + " type Product { id: ID! variants(first: Int): ProductVariantConnection! }"
          + " type ProductVariantConnection { nodes: [ProductVariant!]! pageInfo: PageInfo! }"
          + " type PageInfo { hasNextPage: Boolean! endCursor: String }"
          + " type ProductVariant { id: ID! inventoryItem: InventoryItem! }"
          + " type InventoryItem { id: ID! tracked: Boolean! }"),
      RuntimeWiring.newRuntimeWiring().build());

  static int requested(GraphQLSchema schema, String query, Map<String, Object> vars, CostModel model) {
    Document document = Parser.parse(query);
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
    return new QueryCost(schema, fragments, new LinkedHashMap<>(vars), model)
        .requested(document.getDefinitionsOfType(OperationDefinition.class).get(0));
  }

  static final String OBSERVED = "{ product(id: \"gid://shopify/Product/1\") {"
      + " variants(first: 250) { nodes { inventoryItem { id tracked } } pageInfo { hasNextPage } } } }";

  @Test
  void documented_reproducesShopifysObservedVariants250FigureOf25() {
    assertThat(requested(PRODUCT_SCHEMA, OBSERVED, Map.of(), CostModel.documented())).isEqualTo(25);
  }

  @Test
  void linear_givesTheLinearRulesFigureOf503() {
    assertThat(requested(PRODUCT_SCHEMA, OBSERVED, Map.of(), CostModel.linear())).isEqualTo(503);
  }

  @Test
  void documentedConnections_growLogarithmicallyInFirst() {
    CostModel m = CostModel.documented();
    assertThat(m.connection(1, 1)).as("first 1 priced as 2").isEqualTo(3);
    assertThat(m.connection(2, 1)).isEqualTo(3);
    assertThat(m.connection(10, 1)).isEqualTo(6);
    assertThat(m.connection(50, 3)).isEqualTo(2 + 7 * 3);
    assertThat(m.connection(250, 2)).isEqualTo(24);
    assertThat(m.connection(1000, 2)).as("capped at 250").isEqualTo(24);
    assertThat(m.connection(0, 5)).as("empty page").isEqualTo(2);
    assertThat(m.mutation(250)).isEqualTo(10);
  }

  @Test
  void linearConnections_andMutations_scaleWithSize() {
    CostModel m = CostModel.linear();
    assertThat(m.connection(250, 2)).isEqualTo(502);
    assertThat(m.connection(0, 2)).isEqualTo(2);
    assertThat(m.mutation(250)).isEqualTo(260);
  }

  @Test
  void scalarsAndPageInfoAreFree_objectsCostOne_variablesAndLiteralsAlike() {
    GraphQLSchema schema = GraphQlApi.emulatorSchema();
    assertThat(requested(schema, "{ shop { id name } }", Map.of(), CostModel.documented())).isEqualTo(1);
    assertThat(requested(schema, "query($n: Int) { locations(first: $n) { nodes { id } pageInfo { endCursor } } }",
        Map.of("n", 10), CostModel.documented())).isEqualTo(6);
    assertThat(requested(schema, "{ locations(first: 10) { edges { cursor node { id } } } }",
        Map.of(), CostModel.documented())).isEqualTo(6);
  }

  @Test
  void plainLists_costTheirElementTimesTheKnownSize() {
    GraphQLSchema schema = GraphQlApi.emulatorSchema();
    String q = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryItem { id tracked } } }";
    assertThat(requested(schema, q, Map.of("ids", List.of("a", "b", "c")), CostModel.documented()))
        .isEqualTo(3);
    assertThat(requested(schema, "fragment L on InventoryLevel { quantities(names: [\"available\", \"on_hand\"]) { quantity } }"
        + " query { inventoryItem(id: \"x\") { inventoryLevels(first: 2) { nodes { ...L } } } }",
        Map.of(), CostModel.documented()))
        .as("item 1 + levels 2 + floor(2 ln 2) x (level 1 + 2 quantities)").isEqualTo(1 + 2 + 3);
  }
}
