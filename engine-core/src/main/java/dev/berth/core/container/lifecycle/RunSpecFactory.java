package dev.berth.core.container.lifecycle;

import dev.berth.core.container.exec.ProcessEnvironment;
import dev.berth.core.container.fs.ContainerFiles;
import dev.berth.core.container.net.ContainerLinks;
import dev.berth.core.container.fs.ExecUser;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.container.model.SecurityOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.runtime.BindMount;
import dev.berth.core.runtime.Capabilities;
import dev.berth.core.runtime.NetworkNamespace;
import dev.berth.core.runtime.ProcessSpec;
import dev.berth.core.runtime.RunMount;
import dev.berth.core.runtime.RunSecurity;
import dev.berth.core.runtime.RunSpec;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;

/**
 * Turns a container record and its mounted root filesystem into what the runtime runs: the
 * user resolved in the image's passwd file, the working directory made, the generated /etc
 * files written, and the environment dockerd would give (PATH, HOSTNAME, TERM, HOME).
 */
final class RunSpecFactory {

  private final ContainerFiles files;
  private final List<String> defaultCapabilities;
  private final List<String> allCapabilities;
  private final SecurityDefaults security;
  private final Function<Container, List<ContainerLinks.Linked>> links;

  /** @param allCapabilities what {@code ALL} means: the engine's own bounding set */
  RunSpecFactory(ContainerFiles files, List<String> defaultCapabilities, List<String> allCapabilities,
      SecurityDefaults security) {
    this(files, defaultCapabilities, allCapabilities, security, c -> List.of());
  }

  /** @param links the containers a starting container links to (legacy links on the default bridge) */
  RunSpecFactory(ContainerFiles files, List<String> defaultCapabilities, List<String> allCapabilities,
      SecurityDefaults security, Function<Container, List<ContainerLinks.Linked>> links) {
    this.links = links;
    this.files = files;
    this.defaultCapabilities = List.copyOf(defaultCapabilities);
    this.allCapabilities = List.copyOf(allCapabilities);
    this.security = security;
  }

  /**
   * @param userMounts the container's volumes, binds and tmpfs mounts, in mount order; the
   *     generated /etc files follow unless one of them already covers that path
   * @param embeddedDns whether berth answers names for it at 127.0.0.11 (user-defined networks)
   */
  RunSpec build(Container c, Path dir, Path rootfs, Path logPath, List<RunMount> userMounts, NetworkNamespace network,
      boolean embeddedDns) {
    ContainerConfig cfg = c.config();
    HostConfig hc = c.hostConfig();
    ExecUser user = ExecUser.resolve(rootfs, cfg.user());
    String cwd = cfg.workingDir().isEmpty() ? "/" : cfg.workingDir();
    makeWorkingDir(rootfs, cwd);
    List<ContainerLinks.Linked> linked = links.apply(c);
    ContainerFiles.Written written = files.write(dir, c, network.host(), embeddedDns,
        linked.stream().map(ContainerLinks.Linked::hostsLine).toList());
    List<String> linkEnv = linked.stream().flatMap(l -> l.env().stream()).toList();

    var process = new ProcessSpec(cfg.argv(), ProcessEnvironment.of(cfg, user, linkEnv), cwd, user.uid(), user.gid(),
        user.additionalGids(), cfg.tty(), cfg.openStdin(), cfg.stdinOnce(), hc.consoleHeight(), hc.consoleWidth());
    var mounts = new ArrayList<RunMount>(userMounts);
    var taken = userMounts.stream().map(RunMount::destination).collect(java.util.stream.Collectors.toSet());
    // moby TrySetNetworkMount: a user's mount at one of these paths wins over the generated file.
    for (var generated : List.of(
        new BindMount(written.resolvConf(), "/etc/resolv.conf", false),
        new BindMount(written.hostname(), "/etc/hostname", false),
        new BindMount(written.hosts(), "/etc/hosts", false))) {
      if (!taken.contains(generated.destination())) {
        mounts.add(generated);
      }
    }
    return new RunSpec(c.id(), rootfs, hc.readonlyRootfs(), process, cfg.hostname(), cfg.domainname(),
        network, mounts,
        capabilities(hc), hc.privileged(), logPath, hc.resources(), Boolean.TRUE.equals(hc.init()),
        hc.storage().shmSize(), runSecurity(hc));
  }

  /** moby's WithSeccomp, WithApparmor, WithNoNewPrivileges, WithNamespaces (cgroup) and paths. */
  RunSecurity runSecurity(HostConfig hc) {
    SecurityConfig sc = hc.security();
    SecurityOptions opts = sc.parsedOptions();
    return new RunSecurity(security.seccompFor(opts, hc.privileged()), opts.noNewPrivileges(),
        security.appArmor().profileFor(opts.appArmorProfile(), hc.privileged()), sc.privateCgroupns(),
        sc.maskedPaths(), sc.readonlyPaths(), opts.writableCgroups());
  }

  /**
   * moby oci/caps {@code TweakCapabilities}: ALL in add means the bounding set less what is
   * dropped; ALL in drop means only what is added; otherwise the defaults less drop plus add.
   */
  List<String> capabilities(HostConfig hc) {
    var caps = new LinkedHashSet<String>();
    List<String> add = hc.capAdd().stream().map(RunSpecFactory::capName).toList();
    List<String> drop = hc.capDrop().stream().map(RunSpecFactory::capName).toList();
    if (add.contains("CAP_ALL")) {
      allCapabilities.stream().filter(c -> !drop.contains(c)).forEach(caps::add);
      return List.copyOf(caps);
    }
    if (!drop.contains("CAP_ALL")) {
      caps.addAll(defaultCapabilities);
      caps.removeAll(drop);
    }
    caps.addAll(add);
    return List.copyOf(caps);
  }

  static String capName(String s) {
    String up = s.toUpperCase(Locale.ROOT);
    String name = up.startsWith("CAP_") ? up : "CAP_" + up;
    if (!name.equals("CAP_ALL") && !Capabilities.isKnown(name)) {
      throw new InvalidArgumentException("unknown capability: \"" + name + "\"");
    }
    return name;
  }

  private static void makeWorkingDir(Path rootfs, String cwd) {
    try (RootedPath tree = RootedPath.open(rootfs)) {
      tree.makeDirectories(cwd);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("creating working directory " + cwd, e.getCause());
    }
  }
}
