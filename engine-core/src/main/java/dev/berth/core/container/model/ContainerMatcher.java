package dev.berth.core.container.model;

import dev.berth.core.network.ExposedPort;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** {@link ContainerFilter} as a predicate, with dockerd's matching rules for each key. */
public final class ContainerMatcher {

  private ContainerMatcher() {}

  /** @param ancestorIds resolves an image reference or ID to the image IDs (hex) it names */
  public static Predicate<Container> of(ContainerFilter f, Function<String, List<String>> ancestorIds) {
    List<String> ancestors = f.ancestors().stream().flatMap(a -> ancestorIds.apply(a).stream()).toList();
    // A status filter implies all; exited= does not (moby daemon/list.go foldFilter), so
    // `docker ps --filter exited=0` without -a lists nothing, as with dockerd.
    boolean statusGiven = !f.statuses().isEmpty();
    return c -> {
      String status = ContainerStatus.of(c.state());
      if (!f.all() && !statusGiven && !status.equals("running")) {
        return false;
      }
      if (!f.ids().isEmpty() && f.ids().stream().noneMatch(i -> c.id().hex().startsWith(i))) {
        return false;
      }
      // dockerd matches names as regular expressions against "/name" and against "name".
      if (!f.names().isEmpty() && f.names().stream().noneMatch(n -> matchesName(n, c.name()))) {
        return false;
      }
      if (!f.labels().stream().allMatch(l -> hasLabel(c, l))) {
        return false;
      }
      if (!f.statuses().isEmpty() && !f.statuses().contains(status)) {
        return false;
      }
      if (!f.exitCodes().isEmpty()) {
        if (!(c.state() instanceof ContainerState.Exited e) || !f.exitCodes().contains(e.exitCode())) {
          return false;
        }
      }
      if (!f.networks().isEmpty() && f.networks().stream().noneMatch(n -> onNetwork(c, n))) {
        return false;
      }
      if (!f.published().isEmpty() && f.published().stream().noneMatch(p -> c.networking().published().stream()
          .anyMatch(b -> samePort(p, b.containerPort(), b.protocol())))) {
        return false;
      }
      if (!f.exposed().isEmpty() && f.exposed().stream().noneMatch(p -> c.config().exposedPorts().stream()
          .map(ExposedPort::parse).anyMatch(x -> samePort(p, x.port(), x.protocol())))) {
        return false;
      }
      // moby matches a volume filter against each mount's name and its destination.
      if (!f.volumes().isEmpty() && f.volumes().stream().noneMatch(v -> c.mounts().stream()
          .anyMatch(m -> v.equals(m.name()) || v.equals(m.destination())))) {
        return false;
      }
      return f.ancestors().isEmpty() || ancestors.contains(c.imageId().digest().hex());
    };
  }

  private static boolean onNetwork(Container c, String ref) {
    return c.networking().endpoints().entrySet().stream().anyMatch(e -> e.getKey().equals(ref)
        || e.getValue().networkId() != null && e.getValue().networkId().hex().startsWith(ref));
  }

  /** {@code 80} matches 80 over any protocol, {@code 80/udp} only over UDP. */
  private static boolean samePort(String filter, int port, String protocol) {
    String[] f = filter.split("/", 2);
    return f[0].equals(Integer.toString(port)) && (f.length == 1 || f[1].equals(protocol));
  }

  private static boolean matchesName(String pattern, ContainerName name) {
    try {
      var p = java.util.regex.Pattern.compile(pattern);
      return p.matcher(name.slashed()).find() || p.matcher(name.value()).find();
    } catch (java.util.regex.PatternSyntaxException e) {
      return name.value().equals(pattern) || name.slashed().equals(pattern);
    }
  }

  private static boolean hasLabel(Container c, String filter) {
    int eq = filter.indexOf('=');
    if (eq < 0) {
      return c.config().labels().containsKey(filter);
    }
    return filter.substring(eq + 1).equals(c.config().labels().get(filter.substring(0, eq)));
  }
}
