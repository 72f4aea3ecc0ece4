package dev.berth.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The wire JSON mapper. Requests are read the way Go's encoding/json reads them: keys match
 * case-insensitively, unknown keys are ignored, and a lone string where a list is expected is a
 * one-element list (Docker's strslice: {@code "Cmd": "echo hi"}).
 */
public final class Json {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();

  private Json() {}

  /** Reads a request body; an empty body is {@code empty}. Malformed JSON is a 400 as in dockerd. */
  public static <T> T read(byte[] body, Class<T> type, T empty) {
    try {
      if (isBlank(body)) {
        return empty;
      }
      return MAPPER.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidArgumentException("failed to read request body: " + e.getMessage());
    }
  }

  public static <T> T parse(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("invalid JSON: " + e.getOriginalMessage());
    }
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("wire types always serialize", e);
    }
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * Docker's encoding of a set ({@code ExposedPorts}, {@code Volumes}): each member a key of an
   * empty object, in sorted order.
   */
  public static Map<String, Map<String, Object>> set(Set<String> keys) {
    var out = new LinkedHashMap<String, Map<String, Object>>();
    keys.stream().sorted().forEach(k -> out.put(k, Map.of()));
    return out;
  }
}
