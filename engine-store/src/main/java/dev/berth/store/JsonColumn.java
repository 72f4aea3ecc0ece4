package dev.berth.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import dev.berth.core.error.InternalException;
import dev.berth.core.image.Digest;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads and writes one kind of {@code *_json} column. Core records serialize directly; the mapper
 * ignores properties it does not know and leaves missing ones null/zero, so a column written by a
 * newer or older record shape still reads.
 */
public final class JsonColumn<T> {

  private final Class<T> type;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JsonColumn(Class<T> type) {
    var mapper = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .addModule(scalars())
        .build();
    this.type = type;
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
  }

  public static <T> JsonColumn<T> of(Class<T> type) {
    return new JsonColumn<>(type);
  }

  public String write(T value) {
    try {
      return writer.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InternalException("cannot serialize " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public T read(String json) {
    try {
      return reader.readValue(json);
    } catch (IOException | RuntimeException e) {
      throw new InternalException("corrupt " + type.getSimpleName() + " in database: " + e.getMessage(), e);
    }
  }

  // jackson-datatype-jsr310 is not a dependency, and a digest reads better as "sha256:..." than
  // as {"hex": "..."}.
  private static SimpleModule scalars() {
    return new SimpleModule("berth-store-scalars")
        .addSerializer(Instant.class, new StdScalarSerializer<>(Instant.class) {
          @Override
          public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Timestamps.format(value));
          }
        })
        .addDeserializer(Instant.class, new StdScalarDeserializer<>(Instant.class) {
          @Override
          public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Timestamps.parse(p.getValueAsString());
          }
        })
        .addSerializer(Digest.class, new StdScalarSerializer<>(Digest.class) {
          @Override
          public void serialize(Digest value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
          }
        })
        .addDeserializer(Digest.class, new StdScalarDeserializer<>(Digest.class) {
          @Override
          public Digest deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Digest.parse(p.getValueAsString());
          }
        });
  }
}
