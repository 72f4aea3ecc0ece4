package dev.berth.core.volume;

import java.util.List;

/**
 * The filters of {@code GET /volumes}; different keys must all match.
 *
 * @param names regular expressions searched for in the name (moby's {@code Args.Match}); any may match
 * @param labels {@code key} or {@code key=value}; all must match
 * @param dangling null for no filter; true for volumes no container references
 * @param drivers driver names; any may match
 */
public record VolumeFilter(List<String> names, List<String> labels, Boolean dangling, List<String> drivers) {

  public static final VolumeFilter NONE = new VolumeFilter(List.of(), List.of(), null, List.of());

  public VolumeFilter {
    names = List.copyOf(names);
    labels = List.copyOf(labels);
    drivers = List.copyOf(drivers);
  }
}
