package io.stocksync.testkit.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON documents against a JSON Schema file (draft-04 to 2020-12, as the schema's
 * {@code $schema} says; draft-07 when it says nothing), with networknt's json-schema-validator.
 * Amazon's connector uses it to check every listings-feed message it builds against {@code
 * listings-feed-message-schema-v2.json}. Thread-safe.
 */
public final class JsonSchemaCheck {
  private static final Map<Path, Schema> PARSED = new ConcurrentHashMap<>();

  private final Path file;
  private final Schema schema;

  private JsonSchemaCheck(Path file, Schema schema) {
    this.file = file;
    this.schema = schema;
  }

  /**
   * Loads a schema file (parsed once per file and shared).
   *
   * @param schemaFile the schema, e.g. {@code SpecFiles.require("amazon/listings-feed-message-schema-v2.json")}
   * @return the check
   * @throws UncheckedIOException if the file cannot be read
   */
  public static JsonSchemaCheck forSchema(Path schemaFile) {
    Path absolute = Objects.requireNonNull(schemaFile, "schemaFile").toAbsolutePath().normalize();
    Schema schema = PARSED.computeIfAbsent(absolute, JsonSchemaCheck::parse);
    return new JsonSchemaCheck(absolute, schema);
  }

  private static Schema parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + file, e);
    }
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(text, InputFormat.JSON);
  }

  /**
   * Lists how a document breaks the schema.
   *
   * @param json the document
   * @return one line per problem, {@code "<JSON pointer>: <message>"} ({@code /} for the root);
   *     empty when valid
   */
  public List<String> violations(String json) {
    Objects.requireNonNull(json, "json");
    List<String> out = new ArrayList<>();
    for (Error error : schema.validate(json, InputFormat.JSON)) {
      String location = String.valueOf(error.getInstanceLocation());
      out.add((location.isEmpty() ? "/" : location) + ": " + error.getMessage());
    }
    return out;
  }

  /**
   * Fails unless a document conforms.
   *
   * @param json the document
   * @throws AssertionError listing every problem, naming the schema file
   */
  public void assertValid(String json) {
    List<String> violations = violations(json);
    if (!violations.isEmpty()) {
      throw new AssertionError(
          violations.size() + " violation(s) of " + file.getFileName() + ":\n  - "
              + String.join("\n  - ", violations));
    }
  }
}
