package dev.berth.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * berth.yaml is a valid OpenAPI 3.1 document: swagger-parser reads it without a message, and the
 * checks it does not make for 3.1 are made here. Each test lists every problem it finds.
 */
class SpecIsValidOpenApiTest {

  private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([^}]+)}");
  private static final String ERROR_REF = "#/components/schemas/ErrorResponse";
  /** Swagger 2.0 keys that generate.py must have converted away. */
  private static final Set<String> SWAGGER2_KEYS = Set.of("swagger", "definitions", "consumes", "produces",
      "collectionFormat", "x-nullable", "basePath");

  private final JsonNode spec = BerthYaml.tree();

  @Test
  void swaggerParserReadsItAsOpenApi31WithoutMessages() {
    var options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(BerthYaml.text(), null, options);
    assertEquals(List.of(), result.getMessages(), "swagger-parser messages for berth.yaml");
    assertNotNull(result.getOpenAPI(), "swagger-parser read no document");
    assertEquals(SpecVersion.V31, result.getOpenAPI().getSpecVersion());
    assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
  }

  /** swagger-parser does not check schemas themselves (a {@code type: objekt} passes it). */
  @Test
  void everySchemaIsValidJsonSchema202012() {
    JsonSchema metaSchema = JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
        .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    var problems = new ArrayList<String>();
    BiConsumer<String, JsonNode> check = (pointer, schema) -> {
      for (ValidationMessage m : metaSchema.validate(schema)) {
        problems.add(pointer + ": " + m.getMessage());
      }
    };
    spec.path("components").path("schemas").properties()
        .forEach(e -> check.accept("/components/schemas/" + escape(e.getKey()), e.getValue()));
    walk(spec.path("paths"), "/paths", (pointer, node) -> {
      if (node.has("schema")) {
        check.accept(pointer + "/schema", node.get("schema"));
      }
    });
    assertNoProblems(problems);
  }

  @Test
  void everyRefResolves() {
    var problems = new ArrayList<String>();
    walk(spec, "", (pointer, node) -> {
      JsonNode ref = node.get("$ref");
      if (ref != null && (!ref.asText().startsWith("#/") || spec.at(ref.asText().substring(1)).isMissingNode())) {
        problems.add(pointer + ": $ref " + ref.asText() + " does not resolve");
      }
    });
    assertNoProblems(problems);
  }

  @Test
  void everyPathParameterIsDeclaredAndEveryDeclaredOneIsInThePath() {
    var problems = new ArrayList<String>();
    for (BerthYaml.Operation op : BerthYaml.operations(spec)) {
      Set<String> inTemplate = new TreeSet<>();
      Matcher m = TEMPLATE_PARAM.matcher(op.path());
      while (m.find()) {
        inTemplate.add(m.group(1));
      }
      Set<String> declared = new TreeSet<>();
      for (JsonNode p : op.node().path("parameters")) {
        if (p.path("in").asText().equals("path")) {
          declared.add(p.path("name").asText());
          if (!p.path("required").asBoolean()) {
            problems.add(op + ": path parameter " + p.path("name").asText() + " is not required: true");
          }
        }
      }
      if (!inTemplate.equals(declared)) {
        problems.add(op + ": the path has parameters " + inTemplate + " but the operation declares " + declared);
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void everyOperationHasAUniqueOperationIdAndResponses() {
    var problems = new ArrayList<String>();
    Map<String, BerthYaml.Operation> ids = new HashMap<>();
    for (BerthYaml.Operation op : BerthYaml.operations(spec)) {
      String id = op.node().path("operationId").asText("");
      if (id.isEmpty()) {
        problems.add(op + ": no operationId");
      } else if (ids.putIfAbsent(id, op) != null) {
        problems.add(op + ": operationId " + id + " is also " + ids.get(id) + "'s");
      }
      if (op.node().path("responses").isEmpty()) {
        problems.add(op + ": no responses");
      }
    }
    assertNoProblems(problems);
  }

  /** The docker CLI prints an error's message only when the Content-Type is exactly application/json. */
  @Test
  void everyErrorResponseIsJsonErrorResponse() {
    var problems = new ArrayList<String>();
    for (BerthYaml.Operation op : BerthYaml.operations(spec)) {
      for (Map.Entry<String, JsonNode> r : op.node().path("responses").properties()) {
        boolean isError = r.getKey().startsWith("4") || r.getKey().startsWith("5");
        if (!isError || op.method().equals("HEAD")) {
          continue;
        }
        JsonNode content = r.getValue().path("content");
        if (content.size() != 1 || !content.path("application/json").path("schema").path("$ref").asText()
            .equals(ERROR_REF)) {
          problems.add(op + " " + r.getKey() + ": content is not exactly application/json with " + ERROR_REF);
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void noSwagger2LeftoversRemain() {
    var problems = new ArrayList<String>();
    walk(spec, "", (pointer, node) -> {
      node.fieldNames().forEachRemaining(key -> {
        if (SWAGGER2_KEYS.contains(key) && !pointer.contains("/properties")) {
          problems.add(pointer + ": Swagger 2.0 key " + key);
        }
      });
    });
    for (BerthYaml.Operation op : BerthYaml.operations(spec)) {
      for (JsonNode p : op.node().path("parameters")) {
        String in = p.path("in").asText();
        if (!Set.of("path", "query", "header", "cookie").contains(in)) {
          problems.add(op + ": parameter " + p.path("name").asText() + " is in " + in);
        }
        if (p.has("type") || !p.has("schema")) {
          problems.add(op + ": parameter " + p.path("name").asText() + " has its type outside a schema");
        }
      }
    }
    assertNoProblems(problems);
  }

  /** Visits every object in the tree with its JSON pointer. */
  private static void walk(JsonNode node, String pointer, BiConsumer<String, JsonNode> visit) {
    if (node.isObject()) {
      visit.accept(pointer, node);
      node.properties().forEach(e -> walk(e.getValue(), pointer + "/" + escape(e.getKey()), visit));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), pointer + "/" + i, visit);
      }
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static void assertNoProblems(List<String> problems) {
    assertTrue(problems.isEmpty(), () -> problems.size() + " problem(s) in berth.yaml:\n  "
        + String.join("\n  ", problems));
  }
}
