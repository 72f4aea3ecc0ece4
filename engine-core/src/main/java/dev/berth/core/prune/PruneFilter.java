package dev.berth.core.prune;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The filters every prune endpoint accepts: {@code label} (all must match), {@code label!}
 * (excluded if all match) and {@code until} (only objects created before it), as moby's
 * {@code matchLabels} and {@code getUntilFromPruneFilters}.
 *
 * @param labels {@code key} or {@code key=value}
 * @param notLabels {@code key} or {@code key=value}
 * @param until null for no limit
 */
public record PruneFilter(List<String> labels, List<String> notLabels, Instant until) {

  public static final PruneFilter NONE = new PruneFilter(List.of(), List.of(), null);

  public PruneFilter {
    labels = List.copyOf(labels);
    notLabels = List.copyOf(notLabels);
  }

  public boolean matches(Map<String, String> objectLabels, Instant created) {
    if (until != null && created != null && created.isAfter(until)) {
      return false;
    }
    if (!matchAll(objectLabels, labels)) {
      return false;
    }
    return notLabels.isEmpty() || !matchAll(objectLabels, notLabels);
  }

  /** moby's {@code Args.MatchKVList}: every {@code key} must be present, every {@code key=value} equal. */
  public static boolean matchAll(Map<String, String> objectLabels, List<String> filters) {
    for (String f : filters) {
      int eq = f.indexOf('=');
      String key = eq < 0 ? f : f.substring(0, eq);
      if (!objectLabels.containsKey(key)) {
        return false;
      }
      if (eq >= 0 && !objectLabels.get(key).equals(f.substring(eq + 1))) {
        return false;
      }
    }
    return true;
  }
}
