package dev.berth.openapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The answers berth.yaml promises, held strictly: a body must match its operation's schema for
 * that status and media type, carry every property the schema requires and no property the schema
 * does not name. Docker's schemas leave {@code additionalProperties} out, which JSON Schema reads
 * as "anything else is fine"; here every object schema that names its properties, and says nothing
 * of others, gets {@code unevaluatedProperties: false} where it describes a value (the answer
 * itself, a property, an array item), so that properties named through {@code allOf} and
 * {@code $ref} count and nothing else does.
 */
public final class ResponseSchemas {

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final String COMPONENTS = "#/components/schemas/";
  private static final String DEFS = "#/$defs/";
  /** {@code /v1.51/containers/json} is {@code /containers/json}: the prefix is stated once in servers. */
  private static final Pattern VERSION_PREFIX = Pattern.compile("^/v1\\.\\d+(?=/)");

  private final JsonNode spec;
  private final ObjectNode defs;
  private final List<Template> templates;
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  /** A path of berth.yaml as a pattern; {@code {name}} of images may hold slashes. */
  private record Template(String path, Pattern pattern, int literals) {
    static Template of(String path) {
      var regex = new StringBuilder("^");
      int literals = 0;
      for (String part : path.split("(?=\\{)|(?<=\\})")) {
        if (part.startsWith("{")) {
          regex.append(part.equals("{name}") ? "(.+)" : "([^/]+)");
        } else {
          regex.append(Pattern.quote(part));
          literals += part.length();
        }
      }
      return new Template(path, Pattern.compile(regex.append("$").toString()), literals);
    }
  }

  private ResponseSchemas(JsonNode spec) {
    this.spec = spec;
    this.defs = JSON.createObjectNode();
    spec.path("components").path("schemas").properties()
        .forEach(e -> defs.set(e.getKey(), strict(e.getValue().deepCopy(), false)));
    var paths = new ArrayList<Template>();
    spec.path("paths").fieldNames().forEachRemaining(p -> paths.add(Template.of(p)));
    paths.sort(Comparator.comparingInt(Template::literals).reversed());
    this.templates = List.copyOf(paths);
  }

  /** berth.yaml of this module (tests run in the module's folder). */
  public static ResponseSchemas ofBerthYaml() {
    return new ResponseSchemas(BerthYaml.tree());
  }

  /**
   * What is wrong with {@code body} as berthd's answer to {@code method path} with this status and
   * Content-Type: empty when the spec describes exactly that. JSON bodies are validated (a stream
   * of JSON values, as a pull or an import sends, value by value); other bodies must be of a media
   * type the spec lists for that status.
   */
  public List<String> problems(String method, String path, int status, Optional<String> contentType, byte[] body) {
    String bare = VERSION_PREFIX.matcher(path).replaceFirst("");
    String lower = method.toLowerCase(Locale.ROOT);
    Optional<Template> template = templates.stream()
        .filter(t -> t.pattern().matcher(bare).matches() && spec.path("paths").path(t.path()).has(lower)).findFirst();
    if (template.isEmpty()) {
      return List.of("no operation " + method + " " + bare + " in berth.yaml");
    }
    String where = method + " " + template.get().path() + " " + status;
    JsonNode responses = spec.path("paths").path(template.get().path()).path(lower).path("responses");
    String code = Integer.toString(status);
    JsonNode response = responses.has(code) ? responses.get(code) : responses.get("default");
    if (response == null) {
      return List.of(where + ": berth.yaml has no such status for this operation");
    }
    JsonNode content = response.path("content");
    if (body.length == 0) {
      return List.of();
    }
    if (content.isEmpty()) {
      return List.of(where + ": berth.yaml says no body, berthd sent " + body.length + " bytes");
    }
    String mediaType = contentType.map(c -> c.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
    if (!content.has(mediaType)) {
      return List.of(where + ": Content-Type '" + mediaType + "' is not one of " + fieldNames(content));
    }
    if (!mediaType.equals("application/json")) {
      return List.of();
    }
    String pointer = "/paths/" + escape(template.get().path()) + "/" + lower + "/responses/"
        + (responses.has(code) ? code : "default") + "/content/application~1json/schema";
    JsonSchema schema = schemas.computeIfAbsent(pointer, p -> compile(spec.at(p)));
    var out = new ArrayList<String>();
    try (JsonParser values = JSON.createParser(body)) {
      for (JsonNode value = JSON.readTree(values); value != null; value = JSON.readTree(values)) {
        withoutEchoes(schema.validate(value)).forEach(m -> out.add(where + ": " + m));
      }
    } catch (IOException | RuntimeException e) {
      out.add(where + ": not JSON: " + e.getMessage());
    }
    return out;
  }

  /**
   * The messages, less the "not evaluated" ones of an object that has a failure further in: a
   * subschema that fails evaluates nothing, so every property it names shows up again as
   * unevaluated one level up. Those echoes go once the failure inside is fixed.
   */
  private static List<String> withoutEchoes(Set<ValidationMessage> messages) {
    List<String> failing = messages.stream().map(m -> m.getInstanceLocation().toString()).toList();
    return messages.stream()
        .filter(m -> !m.getType().equals("unevaluatedProperties") || failing.stream()
            .noneMatch(f -> f.startsWith(m.getInstanceLocation().toString() + ".")
                || f.startsWith(m.getInstanceLocation().toString() + "[")))
        .map(m -> m.getInstanceLocation() + ": " + m.getMessage().replaceFirst("^\\$[^:]*: ", "")).toList();
  }

  private JsonSchema compile(JsonNode responseSchema) {
    ObjectNode root = (ObjectNode) strict(responseSchema.deepCopy(), true);
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("$defs", defs);
    return JsonSchemaFactory.getInstance(VersionFlag.V202012).getSchema(root);
  }

  /**
   * Rewrites {@code $ref}s to {@code $defs} and closes every object schema in a value position
   * ({@code describesValue}) that names properties and leaves others unsaid.
   */
  private JsonNode strict(JsonNode schema, boolean describesValue) {
    if (!(schema instanceof ObjectNode s)) {
      return schema;
    }
    if (s.has("$ref") && s.get("$ref").asText().startsWith(COMPONENTS)) {
      s.put("$ref", DEFS + s.get("$ref").asText().substring(COMPONENTS.length()));
    }
    if (s.get("properties") instanceof ObjectNode props) {
      props.properties().forEach(e -> strict(e.getValue(), true));
    }
    for (String key : List.of("additionalProperties", "items")) {
      strict(s.path(key), true);
    }
    for (String key : List.of("allOf", "anyOf", "oneOf")) {
      s.path(key).forEach(member -> strict(member, false));
    }
    if (describesValue && declares(s, "properties", new HashSet<>()) && !declares(s, "additionalProperties", new HashSet<>())
        && !s.has("unevaluatedProperties")) {
      s.put("unevaluatedProperties", false);
    }
    return s;
  }

  /** Whether the schema, through its $refs and combinators, has {@code key}. */
  private boolean declares(JsonNode schema, String key, Set<String> seen) {
    if (schema.has(key)) {
      return true;
    }
    String ref = schema.path("$ref").asText("");
    for (String prefix : List.of(COMPONENTS, DEFS)) {
      if (ref.startsWith(prefix)) {
        String name = ref.substring(prefix.length());
        if (seen.add(name) && declares(spec.path("components").path("schemas").path(name), key, seen)) {
          return true;
        }
      }
    }
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      for (JsonNode member : schema.path(combinator)) {
        if (declares(member, key, seen)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String escape(String pathKey) {
    return pathKey.replace("~", "~0").replace("/", "~1");
  }

  private static List<String> fieldNames(JsonNode node) {
    var names = new ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
