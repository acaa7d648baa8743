package io.stocksync.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.Document;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.stocksync.shopify.internal.Queries;
import io.stocksync.testkit.SpecFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every document the connector sends is valid against Shopify's own Admin API 2026-04 schema,
 * {@code ../shared/specs/shopify/admin-2026-04.schema.graphql} (skipped with a message when the
 * folder is absent, failing when {@code CI=true}). The emulator's own schema is checked against the
 * same file by {@code EmulatorSchemaSubsetTest} in testkit.
 */
class ShopifyDocumentsTest {
  @Test
  void everyDocumentTheConnectorSends_validatesAgainstShopifysSchema() throws IOException {
    String sdl = Files.readString(SpecFiles.require("shopify/admin-2026-04.schema.graphql"),
        StandardCharsets.UTF_8);
    GraphQLSchema shopify = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
    Map<String, List<String>> problems = new LinkedHashMap<>();

    Map<String, String> documents = new LinkedHashMap<>(Queries.all());
    documents.put("ProductVariants(15 levels)", Queries.productVariants(15));
    documents.put("InventoryItems(250 levels)", Queries.inventoryItems(250));
    documents.forEach((name, text) -> {
      Document document = Parser.parse(text);
      List<ValidationError> errors = new Validator().validateDocument(shopify, document, Locale.ENGLISH);
      if (!errors.isEmpty()) {
        problems.put(name, errors.stream().map(ValidationError::getMessage).toList());
      }
    });

    assertThat(documents).hasSizeGreaterThanOrEqualTo(10);
    assertThat(problems).isEmpty();
  }
}
