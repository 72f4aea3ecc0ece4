package dev.berth.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.util.Map;

/** Reading JSON that Go programs wrote, the way Go's encoding/json reads it back. */
public final class GoJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private GoJson() {}

  /** @throws InvalidArgumentException naming {@code what} if the bytes are not JSON */
  public static JsonNode parse(byte[] json, String what) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null) {
        throw new InvalidArgumentException("invalid " + what + ": empty");
      }
      return n;
    } catch (IOException e) {
      throw new InvalidArgumentException("invalid " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * A Dockerfile instruction's JSON form ({@code ["a", "b"]}, also {@code commit --change}'s): its
   * strings, or null when the text is not a JSON array of strings (the shell form).
   */
  public static java.util.List<String> stringArray(String text) {
    if (!text.startsWith("[")) {
      return null;
    }
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || !n.isArray()) {
        return null;
      }
      var out = new java.util.ArrayList<String>();
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          return null;
        }
        out.add(e.asText());
      }
      return out;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * True when the text is a JSON array with an element that is no string: buildkit's parser
   * refuses that form instead of taking it for the shell form.
   */
  public static boolean nonStringArray(String text) {
    if (!text.startsWith("[")) {
      return false;
    }
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || !n.isArray()) {
        return false;
      }
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Go matches keys exactly first, then case-insensitively. Null if absent or not an object. */
  static JsonNode field(JsonNode obj, String key) {
    if (obj == null || !obj.isObject()) {
      return null;
    }
    JsonNode exact = obj.get(key);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() ? "" : n.asText();
  }
}
