package dev.berth.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads and writes one kind of {@code *_json} column as the store's own document records, whose
 * component names are the column's field names. Core records never go through here: each column
 * maps them to and from its documents by hand, so renaming a core field breaks the mapping's
 * compile rather than changing what is stored. The mapper ignores properties it does not know and
 * leaves missing ones null/zero, so a column written by a newer or older berth still reads.
 */
public final class JsonColumn<T> {

  private static final String CORE_PACKAGE = "dev.berth.core.";
  /** The document types of the columns made, for {@link #resolveAll}. */
  private static final Set<Class<?>> TYPES = ConcurrentHashMap.newKeySet();

  private final Class<T> type;
  // Made on first use: resolving a document's (de)serializers is most of what opening the store
  // cost berthd's start-up, and a column may not be read until a request needs it.
  private volatile ObjectReader reader;
  private volatile ObjectWriter writer;

  private JsonColumn(Class<T> type) {
    requireNoCoreTypes(type, type, new HashSet<>());
    this.type = type;
  }

  /**
   * One mapper for every column: they are configured alike, and it caches what it resolved.
   * Documents are records of records, strings, numbers, lists, sets and maps, none of them
   * polymorphic, so each property is written by the serializer of its declared type (static
   * typing): all of them are then resolved with the document's writer, rather than each list's
   * and map's on the first write of a value of each runtime class (~15 ms of the first container's
   * create after a start, issue 15). What is written is the same.
   */
  private static final class Mapper {
    static final JsonMapper INSTANCE = JsonMapper.builder()
        .enable(MapperFeature.USE_STATIC_TYPING)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .build();
  }

  private ObjectReader reader() {
    ObjectReader r = reader;
    if (r == null) {
      r = reader = Mapper.INSTANCE.readerFor(type); // a race makes two equal readers, no harm
    }
    return r;
  }

  private ObjectWriter writer() {
    ObjectWriter w = writer;
    if (w == null) {
      w = writer = Mapper.INSTANCE.writerFor(type);
    }
    return w;
  }

  /**
   * @throws IllegalArgumentException if {@code type} reaches a core type: its stored shape would
   *     then follow the core's field names
   */
  public static <T> JsonColumn<T> of(Class<T> type) {
    var column = new JsonColumn<>(type);
    TYPES.add(type);
    return column;
  }

  /**
   * Resolves the (de)serializers of every column's document now, which the mapper keeps: for a
   * warm-up once the engine serves, so the first request that reads or writes a row does not pay
   * for them (~150 ms for a first {@code docker run}, issue 15).
   */
  public static void resolveAll() {
    for (Class<?> type : TYPES) {
      Mapper.INSTANCE.readerFor(type);
      Mapper.INSTANCE.writerFor(type);
    }
  }

  /** How many serializers the mapper has made and kept (for tests: what a warm-up leaves to the first write). */
  static int serializersMade() {
    return ((DefaultSerializerProvider) Mapper.INSTANCE.getSerializerProvider()).cachedSerializersCount();
  }

  public String write(T value) {
    try {
      return writer().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InternalException("cannot serialize " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public T read(String json) {
    try {
      return reader().readValue(json);
    } catch (IOException | RuntimeException e) {
      throw new InternalException("corrupt " + type.getSimpleName() + " in database: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a row's document and maps it to what the core holds. A value the core refuses (a
   * restart policy, a limit) was not written by berth: like unreadable JSON, that is a corrupt
   * row, not the caller's mistake.
   */
  public <R> R read(String json, Function<? super T, ? extends R> toCore) {
    return map(read(json), toCore);
  }

  /** {@link #read(String, Function)} of a document read before, e.g. one a cache kept. */
  public <R> R map(T document, Function<? super T, ? extends R> toCore) {
    try {
      return toCore.apply(document);
    } catch (InternalException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InternalException("corrupt " + type.getSimpleName() + " in database: " + e.getMessage(), e);
    }
  }

  private static void requireNoCoreTypes(Type t, Class<?> root, Set<Type> seen) {
    if (!seen.add(t)) {
      return;
    }
    switch (t) {
      case Class<?> c when c.isArray() -> requireNoCoreTypes(c.getComponentType(), root, seen);
      case Class<?> c -> {
        if (c.getName().startsWith(CORE_PACKAGE)) {
          throw new IllegalArgumentException(root.getName() + " reaches core type " + c.getName()
              + ": map it to a document record of the store");
        }
        if (c.isRecord()) {
          for (RecordComponent rc : c.getRecordComponents()) {
            requireNoCoreTypes(rc.getGenericType(), root, seen);
          }
        }
      }
      case ParameterizedType p -> {
        requireNoCoreTypes(p.getRawType(), root, seen);
        for (Type arg : p.getActualTypeArguments()) {
          requireNoCoreTypes(arg, root, seen);
        }
      }
      case GenericArrayType a -> requireNoCoreTypes(a.getGenericComponentType(), root, seen);
      default -> { }
    }
  }
}
