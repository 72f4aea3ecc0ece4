package dev.berth.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed {@code filters} query parameter: each key with its values. */
public record Filters(Map<String, List<String>> values) {

  public static final Filters NONE = new Filters(Map.of());

  public static Filters parse(String json) {
    if (json == null || json.isBlank()) {
      return NONE;
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("invalid filter: " + e.getOriginalMessage());
    }
    if (!root.isObject()) {
      throw new InvalidArgumentException("invalid filter: expected a JSON object");
    }
    var out = new LinkedHashMap<String, List<String>>();
    for (var field : root.properties()) {
      var list = new ArrayList<String>();
      JsonNode v = field.getValue();
      if (v.isArray()) {
        v.forEach(n -> list.add(n.asText()));
      } else if (v.isObject()) {
        v.properties().forEach(e -> {
          if (e.getValue().asBoolean()) {
            list.add(e.getKey());
          }
        });
      } else {
        throw new InvalidArgumentException("invalid filter: values of " + field.getKey() + " must be a list or map");
      }
      out.put(field.getKey(), List.copyOf(list));
    }
    return new Filters(Map.copyOf(out));
  }

  public List<String> get(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** Refuses keys the endpoint does not know, with dockerd's wording. */
  public Filters only(Set<String> allowed) {
    for (String k : values.keySet()) {
      if (!allowed.contains(k)) {
        throw new InvalidArgumentException("invalid filter '" + k + "'");
      }
    }
    return this;
  }
}
