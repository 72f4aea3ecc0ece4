package dev.berth.core.container.net;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerLink;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.ExposedPort;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Legacy links on the default bridge ({@code --link name:alias}), as dockerd's registerLinks,
 * setupLinkedContainers and addLegacyLinks make them: checked at create, and at start turned into
 * the linked containers' addresses in /etc/hosts and {@code ALIAS_*} variables (moby daemon/links).
 * On a user-defined network links are endpoint aliases answered by the embedded resolver instead.
 */
public final class ContainerLinks {

  private static final System.Logger LOG = System.getLogger(ContainerLinks.class.getName());

  private final ContainerLookup containers;
  private final ContainerRepository repository;
  /**
   * Whether any container may have legacy links: null until first asked (then read from the
   * repository once), true once a create registers one. It never goes back to false, so it may
   * over-answer but never under-answer; it spares every start a read of every container.
   */
  private final java.util.concurrent.atomic.AtomicReference<Boolean> linksMayExist =
      new java.util.concurrent.atomic.AtomicReference<>();

  public ContainerLinks(ContainerRepository repository) {
    this.repository = repository;
    this.containers = new ContainerLookup(repository);
  }

  /**
   * The create request's links with each linked container found: kept on the default bridge,
   * dropped on a user-defined network (dockerd registers none there; the CLI sends them per endpoint).
   *
   * @throws InvalidArgumentException for links with host or container networking, or to a
   *     container that does not exist, in dockerd's words
   */
  public HostConfig register(HostConfig hc) {
    if (hc.links().isEmpty()) {
      return hc;
    }
    switch (hc.network()) {
      case NetworkMode.Host h -> throw new InvalidArgumentException(
          "conflicting options: host type networking can't be used with links. This would result in undefined "
              + "behavior");
      case NetworkMode.Container c -> throw new InvalidArgumentException(
          "conflicting options: container type network can't be used with links. This would result in undefined "
              + "behavior");
      case NetworkMode.Named n -> {
        return hc.withLinks(List.of());
      }
      default -> { }
    }
    linksMayExist.set(true);
    var out = new ArrayList<ContainerLink>();
    for (ContainerLink l : hc.links()) {
      Container child;
      try {
        child = containers.find(l.container());
      } catch (NotFoundException e) {
        // A 404 would make the CLI pull the image (moby#39823): dockerd says it as a bad request.
        throw new InvalidArgumentException("could not get container for " + l.container() + ": " + e.getMessage());
      }
      while (child.hostConfig().network() instanceof NetworkMode.Container shared) {
        try {
          child = containers.find(shared.ref());
        } catch (NotFoundException e) {
          throw new InvalidArgumentException("could not get container for " + shared.ref() + ": " + e.getMessage());
        }
      }
      if (child.hostConfig().network() instanceof NetworkMode.Host) {
        throw new InvalidArgumentException("conflicting options: host type networking can't be used with links. "
            + "This would result in undefined behavior");
      }
      Container found = child;
      // dockerd reserves /parent/alias as a name and ignores a second link under one alias.
      if (out.stream().noneMatch(x -> x.alias().equals(l.alias()))) {
        out.add(new ContainerLink(found.id().hex(), found.name().value(), l.alias()));
      }
    }
    return hc.withLinks(out);
  }

  /**
   * The containers a starting container links to, with their default-bridge addresses.
   *
   * @throws InternalException {@code Cannot link to a non running container: /db AS /web/db}
   */
  public List<Linked> resolve(Container parent) {
    if (parent.hostConfig().links().isEmpty() || !parent.networking().endpoints().containsKey(Network.DEFAULT_BRIDGE)) {
      return List.of();
    }
    var out = new ArrayList<Linked>();
    for (ContainerLink l : parent.hostConfig().links()) {
      Optional<Container> found = repository.find(new dev.berth.core.container.model.ContainerId(l.container()));
      if (found.isEmpty()) {
        continue;
      }
      Container child = found.get();
      String fullName = l.fullName(parent.name());
      if (!child.state().isRunning()) {
        throw new InternalException("Cannot link to a non running container: " + child.name().slashed() + " AS "
            + fullName);
      }
      Endpoint bridge = child.networking().endpoints().get(Network.DEFAULT_BRIDGE);
      if (bridge == null || bridge.attached() == null) {
        throw new InternalException("Cannot link to " + child.name().slashed()
            + ", as it does not belong to the default network");
      }
      out.add(new Linked(fullName, l.alias(), child, bridge.attached().ipAddress()));
    }
    return out;
  }

  /**
   * Gives each running container that links to {@code child} the address {@code child} has now, in
   * the /etc/hosts line of that link (libnetwork's parent updates, etchosts.Update): a linked
   * container that started again may have a new one. Other lines, the user's edits among them,
   * stay as they are.
   *
   * @param hostsOf a container's /etc/hosts file on the host
   */
  public void updateLinkers(Container child, Function<Container, Path> hostsOf) {
    Endpoint bridge = child.networking().endpoints().get(Network.DEFAULT_BRIDGE);
    if (bridge == null || bridge.attached() == null || !linksMayExist()) {
      return;
    }
    for (Container parent : repository.list()) {
      if (!parent.state().isRunning()) {
        continue;
      }
      for (ContainerLink l : parent.hostConfig().links()) {
        if (l.container().equals(child.id().hex())) {
          String line = new Linked(l.fullName(parent.name()), l.alias(), child, bridge.attached().ipAddress())
              .hostsLine();
          replaceHostsLine(hostsOf.apply(parent), line);
        }
      }
    }
  }

  private boolean linksMayExist() {
    if (linksMayExist.get() == null) {
      // A create registering a link meanwhile has set true, which this read must not undo.
      linksMayExist.compareAndSet(null, repository.list().stream().anyMatch(c -> !c.hostConfig().links().isEmpty()));
    }
    return linksMayExist.get();
  }

  /** Replaces the lines naming the same hosts as {@code line} (its part after the address) with it. */
  static void replaceHostsLine(Path hosts, String line) {
    String names = line.substring(line.indexOf('\t') + 1);
    try {
      List<String> lines = Files.readAllLines(hosts);
      var out = new StringBuilder();
      for (String l : lines) {
        int tab = l.indexOf('\t');
        out.append(tab >= 0 && l.substring(tab + 1).equals(names) ? line : l).append('\n');
      }
      // In place: the container sees the file through a bind mount of this inode.
      Files.writeString(hosts, out);
    } catch (NoSuchFileException e) {
      // Removed under us: the container is going away.
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "updating " + hosts + ": " + e.getMessage());
    }
  }

  /**
   * {@code docker rm --link /parent/alias}: the link goes, both containers stay.
   *
   * @throws InternalException for a container's own name, which is not a link (dockerd's 500)
   * @throws NotFoundException if there is no such container or link
   */
  public void remove(String linkName) {
    String name = linkName.startsWith("/") ? linkName : "/" + linkName;
    int slash = name.lastIndexOf('/');
    if (slash == 0) {
      containers.find(linkName);
      throw new InternalException("Conflict, cannot remove the default link name of the container");
    }
    String parentName = name.substring(1, slash);
    String alias = name.substring(slash + 1);
    Container parent = containers.findOptional(parentName).orElseThrow(() -> new NotFoundException(
        "No such container: " + linkName));
    List<ContainerLink> kept = parent.hostConfig().links().stream().filter(l -> !l.alias().equals(alias)).toList();
    if (kept.size() == parent.hostConfig().links().size()) {
      throw new NotFoundException("No such container: " + linkName);
    }
    repository.update(parent.withHostConfig(parent.hostConfig().withLinks(kept)));
  }

  /**
   * One link as the starting container sees it.
   *
   * @param fullName {@code /parent/alias}
   * @param ip the linked container's address on the default bridge
   */
  public record Linked(String fullName, String alias, Container child, String ip) {

    /** The /etc/hosts line: the alias, the linked container's hostname and, if different, its name. */
    public String hostsLine() {
      String names = alias + " " + child.config().hostname();
      if (!alias.equals(child.name().value())) {
        names += " " + child.name().value();
      }
      return ip + "\t" + names;
    }

    /** moby daemon/links ToEnv: ports (TCP first, ranges bundled), the name, the linked environment. */
    public List<String> env() {
      String prefix = alias.toUpperCase(Locale.ROOT).replace('-', '_');
      List<ExposedPort> ports = child.config().exposedPorts().stream().map(ExposedPort::parse)
          .sorted(Comparator.comparing((ExposedPort p) -> !p.protocol().equalsIgnoreCase("tcp"))
              .thenComparing(p -> p.protocol().toLowerCase(Locale.ROOT)).thenComparingInt(ExposedPort::port))
          .toList();
      var env = new ArrayList<String>();
      ExposedPort start = null;
      ExposedPort end = null;
      for (int i = 0; i < ports.size(); i++) {
        ExposedPort p = ports.get(i);
        if (i == 0) {
          start = p;
          end = p;
          env.add(prefix + "_PORT=" + p.protocol() + "://" + ip + ":" + p.port());
        }
        String key = prefix + "_PORT_" + p.port() + "_" + p.protocol().toUpperCase(Locale.ROOT);
        env.add(key + "=" + p.protocol() + "://" + ip + ":" + p.port());
        env.add(key + "_ADDR=" + ip);
        env.add(key + "_PORT=" + p.port());
        env.add(key + "_PROTO=" + p.protocol());
        if (p.port() == end.port() + 1 && p.protocol().equalsIgnoreCase(start.protocol())) {
          end = p;
          if (i < ports.size() - 1) {
            continue;
          }
        }
        if (!end.equals(start)) {
          String range = prefix + "_PORT_" + start.port() + "_" + start.protocol().toUpperCase(Locale.ROOT);
          env.add(range + "_START=" + start.protocol() + "://" + ip + ":" + start.port());
          env.add(range + "_PORT_START=" + start.port());
          env.add(range + "_END=" + end.protocol() + "://" + ip + ":" + end.port());
          env.add(range + "_PORT_END=" + end.port());
        }
        start = p;
        end = p;
      }
      env.add(prefix + "_NAME=" + fullName);
      for (String v : child.config().env()) {
        int eq = v.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String name = v.substring(0, eq);
        if (!name.equals("HOME") && !name.equals("PATH")) {
          env.add(prefix + "_ENV_" + name + "=" + v.substring(eq + 1));
        }
      }
      return env;
    }
  }

  /** Inspect's HostConfig.Links entry: {@code /linked:/parent/alias}. */
  public static String inspectForm(ContainerName parent, ContainerLink l) {
    return "/" + l.name() + ":" + l.fullName(parent);
  }
}
