package dev.berth.core.container.model;

import java.util.List;

/**
 * The filters of {@code GET /containers/json}. Values of one key are alternatives; keys combine.
 *
 * @param all include containers that are not running
 * @param limit at most this many, newest first; 0 or less means no limit
 * @param labels {@code key} or {@code key=value}
 * @param statuses Docker status words: created, restarting, running, removing, paused, exited, dead
 * @param ancestors image references or IDs the container was created from
 * @param networks network names or IDs (or ID prefixes) it is on
 * @param published container ports it publishes, {@code 80} or {@code 80/tcp}
 * @param exposed container ports it exposes, the same forms
 * @param volumes volume names or mount destinations it has
 */
public record ContainerFilter(
    boolean all,
    int limit,
    List<String> ids,
    List<String> names,
    List<String> labels,
    List<String> statuses,
    List<String> ancestors,
    List<Integer> exitCodes,
    List<String> networks,
    List<String> published,
    List<String> exposed,
    List<String> volumes) {

  public ContainerFilter(boolean all, int limit, List<String> ids, List<String> names, List<String> labels,
      List<String> statuses, List<String> ancestors, List<Integer> exitCodes) {
    this(all, limit, ids, names, labels, statuses, ancestors, exitCodes, List.of(), List.of(), List.of(), List.of());
  }

  public ContainerFilter {
    networks = List.copyOf(networks);
    published = List.copyOf(published);
    exposed = List.copyOf(exposed);
    volumes = List.copyOf(volumes);
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
