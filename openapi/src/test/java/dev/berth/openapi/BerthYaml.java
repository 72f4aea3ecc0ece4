package dev.berth.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** openapi/berth.yaml as the tests read it. Surefire runs in the module's folder. */
final class BerthYaml {

  static final Path PATH = Path.of("berth.yaml");

  /** The HTTP methods an OpenAPI Path Item may hold. */
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** One operation: {@code method} upper case, as the route table writes it. */
  record Operation(String method, String path, JsonNode node) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private BerthYaml() {}

  static String text() {
    try {
      return Files.readString(PATH);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PATH.toAbsolutePath(), e);
    }
  }

  static JsonNode tree() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(text());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + PATH.toAbsolutePath(), e);
    }
  }

  static List<Operation> operations(JsonNode spec) {
    var ops = new ArrayList<Operation>();
    for (Map.Entry<String, JsonNode> path : spec.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> item : path.getValue().properties()) {
        if (METHODS.contains(item.getKey())) {
          ops.add(new Operation(item.getKey().toUpperCase(Locale.ROOT), path.getKey(), item.getValue()));
        }
      }
    }
    return ops;
  }
}
