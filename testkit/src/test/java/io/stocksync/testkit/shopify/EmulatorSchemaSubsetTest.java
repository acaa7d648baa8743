package io.stocksync.testkit.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLDirective;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import io.stocksync.testkit.SpecFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's schema is a subset of Shopify's own Admin API 2026-04 schema: every type, field,
 * argument, enum value, interface and directive it declares exists there with the same type.
 */
class EmulatorSchemaSubsetTest {
  static GraphQLSchema shopify;
  static final GraphQLSchema EMULATOR = GraphQlApi.emulatorSchema();

  @BeforeAll
  static void loadShopifysSchema() throws IOException {
    String sdl = Files.readString(SpecFiles.require("shopify/admin-2026-04.schema.graphql"),
        StandardCharsets.UTF_8);
    shopify = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
  }

  @Test
  void everyTypeFieldArgumentEnumValueAndInterface_existsInShopifysSchema_withTheSameType() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (GraphQLNamedType type : EMULATOR.getAllTypesAsList()) {
      String name = type.getName();
      if (name.startsWith("__") || (type instanceof GraphQLScalarType && !name.equals("DateTime"))) {
        continue;
      }
      GraphQLNamedType theirs = (GraphQLNamedType) shopify.getType(name);
      if (theirs == null) {
        problems.add("type " + name + " is not Shopify's");
        continue;
      }
      if (!theirs.getClass().equals(type.getClass())) {
        problems.add("type " + name + " is a " + type.getClass().getSimpleName() + ", Shopify's a "
            + theirs.getClass().getSimpleName());
        continue;
      }
      checked++;
      if (type instanceof GraphQLFieldsContainer ours) {
        GraphQLFieldsContainer shop = (GraphQLFieldsContainer) theirs;
        for (GraphQLFieldDefinition field : ours.getFieldDefinitions()) {
          GraphQLFieldDefinition their = shop.getFieldDefinition(field.getName());
          String at = name + "." + field.getName();
          if (their == null) {
            problems.add("field " + at + " is not Shopify's");
            continue;
          }
          checked++;
          same(problems, at, GraphQLTypeUtil.simplePrint(field.getType()),
              GraphQLTypeUtil.simplePrint(their.getType()));
          for (GraphQLArgument argument : field.getArguments()) {
            GraphQLArgument theirArgument = their.getArgument(argument.getName());
            if (theirArgument == null) {
              problems.add("argument " + at + "(" + argument.getName() + ") is not Shopify's");
              continue;
            }
            checked++;
            same(problems, at + "(" + argument.getName() + ")",
                GraphQLTypeUtil.simplePrint(argument.getType()),
                GraphQLTypeUtil.simplePrint(theirArgument.getType()));
          }
          for (GraphQLArgument theirArgument : their.getArguments()) {
            if (theirArgument.getType() instanceof GraphQLNonNull && !theirArgument.hasSetDefaultValue()
                && field.getArgument(theirArgument.getName()) == null) {
              problems.add("required argument " + at + "(" + theirArgument.getName() + ") missing");
            }
          }
        }
      }
      if (type instanceof GraphQLObjectType ours) {
        for (GraphQLNamedOutputType iface : ours.getInterfaces()) {
          if (((GraphQLObjectType) theirs).getInterfaces().stream()
              .noneMatch(i -> i.getName().equals(iface.getName()))) {
            problems.add(name + " implements " + iface.getName() + " only here");
          }
        }
      }
      if (type instanceof GraphQLEnumType ours) {
        for (GraphQLEnumValueDefinition value : ours.getValues()) {
          checked++;
          if (((GraphQLEnumType) theirs).getValue(value.getName()) == null) {
            problems.add("enum value " + name + "." + value.getName() + " is not Shopify's");
          }
        }
      }
      if (type instanceof GraphQLInputObjectType ours) {
        GraphQLInputObjectType shop = (GraphQLInputObjectType) theirs;
        for (GraphQLInputObjectField field : ours.getFieldDefinitions()) {
          GraphQLInputObjectField their = shop.getFieldDefinition(field.getName());
          if (their == null) {
            problems.add("input field " + name + "." + field.getName() + " is not Shopify's");
            continue;
          }
          checked++;
          same(problems, name + "." + field.getName(), GraphQLTypeUtil.simplePrint(field.getType()),
              GraphQLTypeUtil.simplePrint(their.getType()));
        }
        for (GraphQLInputObjectField their : shop.getFieldDefinitions()) {
          if (ours.getFieldDefinition(their.getName()) == null) {
            problems.add("input field " + name + "." + their.getName() + " of Shopify's is missing");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).as("types, fields, arguments and values checked").isGreaterThan(250);
  }

  @Test
  void rootTypesAndTheIdempotentDirective_areShopifys() {
    assertThat(EMULATOR.getQueryType().getName()).isEqualTo(shopify.getQueryType().getName());
    assertThat(EMULATOR.getMutationType().getName()).isEqualTo(shopify.getMutationType().getName());
    GraphQLDirective ours = EMULATOR.getDirective("idempotent");
    GraphQLDirective theirs = shopify.getDirective("idempotent");
    assertThat(theirs).isNotNull();
    assertThat(GraphQLTypeUtil.simplePrint(ours.getArgument("key").getType()))
        .isEqualTo(GraphQLTypeUtil.simplePrint(theirs.getArgument("key").getType()));
    assertThat(ours.validLocations()).isEqualTo(theirs.validLocations());
  }

  private static void same(List<String> problems, String at, String ours, String theirs) {
    if (!ours.equals(theirs)) {
      problems.add(at + " is " + ours + " here, " + theirs + " in Shopify's schema");
    }
  }
}
