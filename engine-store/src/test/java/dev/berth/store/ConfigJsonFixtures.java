package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The {@code config_json} values earlier berths wrote, under {@code src/test/resources/config_json}. */
public final class ConfigJsonFixtures {

  private static final JsonMapper MAPPER = new JsonMapper();

  private ConfigJsonFixtures() {}

  /** A fixture's text as it was stored, e.g. {@code containers/v1-full.json}. */
  public static String read(String name) {
    try (InputStream in = ConfigJsonFixtures.class.getResourceAsStream("/config_json/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * That {@code written} holds the fixture's fields under the same names with the same values,
   * apart from the {@code empty} flags no longer written.
   */
  public static void assertSameDocument(String fixture, String written) {
    assertEquals(withoutEmptyFlags(parse(read(fixture))), parse(written), fixture);
  }

  /** The text of one row's config_json. */
  public static String configJson(Database db, String table, String keyColumn, String key) {
    return db.read(c -> {
      try (var ps = c.prepareStatement("SELECT config_json FROM " + table + " WHERE " + keyColumn + " = ?")) {
        ps.setString(1, key);
        try (var rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException("no row " + key + " in " + table);
          }
          return rs.getString(1);
        }
      }
    });
  }

  /** Runs one statement with string parameters, as an earlier berth's write would have. */
  public static void exec(Database db, String sql, Object... params) {
    db.writeVoid(c -> {
      try (var ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        ps.executeUpdate();
      }
    });
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode withoutEmptyFlags(JsonNode node) {
    if (node instanceof ObjectNode o && o.path("empty").isBoolean()) {
      o.remove("empty");
    }
    node.forEach(ConfigJsonFixtures::withoutEmptyFlags);
    return node;
  }
}
