package dev.berth.core.prune;

import java.util.List;

/**
 * What a prune removed and the bytes it freed.
 *
 * @param deleted IDs or names of what went, in the order removed
 */
public record PruneReport(List<String> deleted, long spaceReclaimed) {

  public PruneReport {
    deleted = List.copyOf(deleted);
  }
}
