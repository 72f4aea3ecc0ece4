package dev.berth.core.container;

import java.util.List;

/**
 * The filters of {@code GET /containers/json}. Values of one key are alternatives; keys combine.
 *
 * @param all include containers that are not running
 * @param limit at most this many, newest first; 0 or less means no limit
 * @param labels {@code key} or {@code key=value}
 * @param statuses Docker status words: created, restarting, running, removing, paused, exited, dead
 * @param ancestors image references or IDs the container was created from
 */
public record ContainerFilter(
    boolean all,
    int limit,
    List<String> ids,
    List<String> names,
    List<String> labels,
    List<String> statuses,
    List<String> ancestors,
    List<Integer> exitCodes) {

  public ContainerFilter {
    ids = List.copyOf(ids);
    names = List.copyOf(names);
    labels = List.copyOf(labels);
    statuses = List.copyOf(statuses);
    ancestors = List.copyOf(ancestors);
    exitCodes = List.copyOf(exitCodes);
  }

  public static ContainerFilter everything() {
    return new ContainerFilter(true, 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }
}
