package dev.berth.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire JSON mapper. Requests are read the way Go's encoding/json reads them: keys match
 * case-insensitively, unknown keys are ignored, and a lone string where a list is expected is a
 * one-element list (Docker's strslice: {@code "Cmd": "echo hi"}), a {@code null} in a list or
 * map of strings is the empty string ({@code "Labels": {"a": null}}), Go's zero value, and a
 * number or boolean where a string is expected is a 400, as Go refuses it.
 */
public final class Json {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .addModule(new SimpleModule("go-string-nulls").setDeserializerModifier(new GoStringNulls()))
      // Go does not read a number or a boolean into a string ({"Image": 5} is a 400 from dockerd).
      .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
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

  /**
   * Go's encoding/json decodes a {@code null} element of a {@code []string} or value of a
   * {@code map[string]string} as {@code ""}; dockerd then takes it as any other empty string (a label
   * {@code a=}). Only collections of strings: a {@code null} struct stays absent.
   */
  private static final class GoStringNulls extends BeanDeserializerModifier {

    @Override
    public JsonDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
        BeanDescription desc, JsonDeserializer<?> deserializer) {
      return type.getContentType().hasRawClass(String.class) ? new NullsAsEmpty(deserializer) : deserializer;
    }

    @Override
    public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
        BeanDescription desc, JsonDeserializer<?> deserializer) {
      return type.getContentType().hasRawClass(String.class) ? new NullsAsEmpty(deserializer) : deserializer;
    }
  }

  private static final class NullsAsEmpty extends DelegatingDeserializer {

    NullsAsEmpty(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new NullsAsEmpty(delegate);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return blank(super.deserialize(p, ctxt));
    }

    @SuppressWarnings("unchecked")
    private static Object blank(Object value) {
      switch (value) {
        case Map<?, ?> m -> ((Map<Object, Object>) m).replaceAll((k, v) -> v == null ? "" : v);
        case List<?> l -> ((List<Object>) l).replaceAll(v -> v == null ? "" : v);
        case Collection<?> c when c.contains(null) -> {
          ((Collection<Object>) c).remove(null);
          ((Collection<Object>) c).add("");
        }
        case null, default -> { }
      }
      return value;
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
