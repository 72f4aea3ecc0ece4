package dev.berth.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: berth.yaml says, field by field, what berth does with each HostConfig field of a
 * create body, and the fields it describes are exactly those the engine reads. (That each is
 * applied or refused is engine-server's EveryHostConfigFieldTest.)
 */
class HostConfigFactsTest {

  private static final JsonNode SCHEMAS = BerthYaml.tree().path("components").path("schemas");

  /** A schema's properties, through its allOf members and their $refs. */
  private static Map<String, JsonNode> properties(String schema) {
    var out = new TreeMap<String, JsonNode>();
    JsonNode s = SCHEMAS.path(schema);
    var parts = s.has("allOf") ? s.path("allOf") : java.util.List.of(s);
    for (JsonNode part : parts) {
      if (part.has("$ref")) {
        String ref = part.path("$ref").asText();
        out.putAll(properties(ref.substring(ref.lastIndexOf('/') + 1)));
      } else {
        part.path("properties").properties().forEach(e -> out.put(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  @Test
  void everyHostConfigFieldSaysWhatBerthDoesWithIt() {
    var silent = properties("HostConfig").entrySet().stream()
        .filter(e -> !e.getValue().path("description").asText().contains("**berth:**"))
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(silent.isEmpty(), "HostConfig fields without a berth fact (add one to BERTH_SCHEMAS in "
        + "openapi/generate.py, run python3 openapi/generate.py): " + silent);
  }

  @Test
  void theSpecsHostConfigIsTheOneTheEngineReads() throws Exception {
    Set<String> read = Arrays.stream(Class.forName("dev.berth.server.container.ContainerJson$HostConfig")
        .getRecordComponents()).map(c -> c.getName()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(properties("HostConfig").keySet()), read);
  }
}
