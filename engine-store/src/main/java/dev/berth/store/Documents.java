package dev.berth.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Small pieces the hand-written mappings between core records and the store's documents share.
 * A document read from a row may lack any field, so every step keeps a null as null and leaves
 * the default to the core record's constructor, as it was when rows were first written.
 */
public final class Documents {

  private Documents() {}

  public static <A, B> B map(A value, Function<? super A, ? extends B> f) {
    return value == null ? null : f.apply(value);
  }

  public static <A, B> List<B> mapEach(List<A> values, Function<? super A, ? extends B> f) {
    return values == null ? null : values.stream().<B>map(v -> map(v, f)).toList();
  }

  /** A set as a sorted array, so equal sets are stored as equal text. */
  public static Set<String> sorted(Set<String> values) {
    return values == null ? null : new TreeSet<>(values);
  }

  /** A map whose order means nothing (labels, options) as a sorted object. */
  public static Map<String, String> sorted(Map<String, String> values) {
    return values == null ? null : new TreeMap<>(values);
  }
}
