package dev.berth.core.volume;

import java.util.List;
import java.util.Map;

/**
 * Tells the volume side which containers reference which volumes. As in dockerd a container
 * references its volumes from create to removal, running or not; the answer is derived from the
 * container records each time, so there are no reference counts to drift.
 */
@FunctionalInterface
public interface VolumeUsage {

  /** Volume name to the IDs (64 hex) of the containers referencing it; volumes nobody uses are absent. */
  Map<String, List<String>> references();

  /** Of those, the containers that are running now: their volumes are mounted in them. */
  default Map<String, List<String>> running() {
    return Map.of();
  }
}
