package dev.berth.core.container.lifecycle;

import dev.berth.core.container.exec.ProcessEnvironment;
import dev.berth.core.container.fs.ContainerFiles;
import dev.berth.core.container.net.ContainerLinks;
import dev.berth.core.container.fs.ExecUser;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.container.model.SecurityOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.network.NetworkMode;
import dev.berth.core.runtime.BindMount;
import dev.berth.core.runtime.Capabilities;
import dev.berth.core.runtime.DeviceNode;
import dev.berth.core.runtime.DockerDefaults;
import dev.berth.core.runtime.HostDevices;
import dev.berth.core.runtime.NetworkNamespace;
import dev.berth.core.runtime.ProcessSpec;
import dev.berth.core.runtime.RunProcessOptions;
import dev.berth.core.runtime.RunMount;
import dev.berth.core.runtime.RunNamespaces;
import dev.berth.core.runtime.RunSecurity;
import dev.berth.core.runtime.RunSpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Map;

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
  private final List<ProcessOptions.Ulimit> defaultUlimits;

  /** @param allCapabilities what {@code ALL} means: the engine's own bounding set */
  RunSpecFactory(ContainerFiles files, List<String> defaultCapabilities, List<String> allCapabilities,
      SecurityDefaults security) {
    this(files, defaultCapabilities, allCapabilities, security, c -> List.of());
  }

  /** @param links the containers a starting container links to (legacy links on the default bridge) */
  RunSpecFactory(ContainerFiles files, List<String> defaultCapabilities, List<String> allCapabilities,
      SecurityDefaults security, Function<Container, List<ContainerLinks.Linked>> links) {
    this(files, defaultCapabilities, allCapabilities, security, links, List.of());
  }

  /** @param defaultUlimits the daemon's {@code default-ulimits}, for the names a container does not set */
  RunSpecFactory(ContainerFiles files, List<String> defaultCapabilities, List<String> allCapabilities,
      SecurityDefaults security, Function<Container, List<ContainerLinks.Linked>> links,
      List<ProcessOptions.Ulimit> defaultUlimits) {
    this.defaultUlimits = List.copyOf(defaultUlimits);
    this.links = links;
    this.files = files;
    this.defaultCapabilities = List.copyOf(defaultCapabilities);
    this.allCapabilities = List.copyOf(allCapabilities);
    this.security = security;
  }

  /** A run's spec, and the /etc/hosts lines of its links as {@link #build} resolved them. */
  record Built(RunSpec spec, List<String> linkLines) {

    Built withNamespaces(RunNamespaces shared) {
      return new Built(spec.withNamespaces(shared), linkLines);
    }
  }

  /**
   * Completes what {@link #build} wrote once the container has joined its networks: /etc/hosts
   * with its addresses. Nothing to do for a container that got none (no network, host, another
   * container's).
   */
  void networksJoined(Container c, Path dir, Built built) {
    if (c.networking().endpoints().values().stream().noneMatch(e -> e.attached() != null)) {
      return;
    }
    files.rewriteHosts(dir, c, built.spec().network().host(), built.linkLines());
  }

  /**
   * @param userMounts the container's volumes, binds and tmpfs mounts, in mount order; the
   *     generated /etc files follow unless one of them already covers that path
   * @param embeddedDns whether berth answers names for it at 127.0.0.11 (user-defined networks)
   */
  Built build(Container c, Path dir, Path rootfs, Path logPath, List<RunMount> userMounts, NetworkNamespace network,
      boolean embeddedDns) {
    ContainerConfig cfg = c.config();
    HostConfig hc = c.hostConfig();
    ExecUser user = ExecUser.resolve(rootfs, cfg.user());
    String cwd = cfg.workingDir().isEmpty() ? "/" : cfg.workingDir();
    makeWorkingDir(rootfs, cwd);
    List<ContainerLinks.Linked> linked = links.apply(c);
    List<String> linkLines = linked.stream().map(ContainerLinks.Linked::hostsLine).toList();
    ContainerFiles.Written written = files.write(dir, c, network.host(), embeddedDns, linkLines);
    List<String> linkEnv = linked.stream().flatMap(l -> l.env().stream()).toList();

    var process = new ProcessSpec(cfg.argv(), ProcessEnvironment.of(cfg, user, linkEnv), cwd, user.uid(), user.gid(),
        groups(user, ExecUser.additionalGroups(rootfs, hc.process().groupAdd())), cfg.tty(), cfg.openStdin(),
        cfg.stdinOnce(), hc.consoleHeight(), hc.consoleWidth());
    RunProcessOptions processOptions = processOptions(hc, defaultUlimits);
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
    return new Built(new RunSpec(c.id(), rootfs, hc.readonlyRootfs(), process, cfg.hostname(), cfg.domainname(),
        network, mounts,
        capabilities(hc), hc.privileged(), logPath, hc.resources(),
        // moby: no init in the host's or another container's PID namespace, which has its own.
        Boolean.TRUE.equals(hc.init()) && hc.namespaces().privatePid(),
        hc.storage().shmSize(), runSecurity(hc), RunNamespaces.PRIVATE, hc.namespaces().annotations(),
        processOptions,
        new RunSpec.Placement(hc.runtimeOptions().runtime(), hc.runtimeOptions().absoluteCgroupParent())), linkLines);
  }

  /** The user's supplementary groups, then those of GroupAdd (moby getUser). */
  static List<Integer> groups(ExecUser user, List<Integer> groupAdd) {
    var all = new LinkedHashSet<Integer>(user.additionalGids());
    all.addAll(groupAdd);
    return List.copyOf(all);
  }

  /**
   * Ulimits, Sysctls, Devices, DeviceCgroupRules and OomScoreAdj for the runtime, as moby's
   * withRlimits, WithSysctls, WithDevices and WithOOMScore set them.
   *
   * @throws ConfigRefusedException in dockerd's words for a device that is not there or a
   *     malformed device cgroup rule
   */
  static RunProcessOptions processOptions(HostConfig hc) {
    return processOptions(hc, List.of());
  }

  /** @param defaultUlimits the daemon's, after the container's own (moby mergeUlimits) */
  static RunProcessOptions processOptions(HostConfig hc, List<ProcessOptions.Ulimit> defaultUlimits) {
    ProcessOptions p = hc.process();
    var rlimits = new ArrayList<DockerDefaults.Rlimit>();
    var ulimits = new ArrayList<>(p.ulimits());
    ulimits.addAll(defaultUlimits);
    for (ProcessOptions.Ulimit u : ulimits) {
      // moby mergeUlimits: the first of a name wins.
      if (rlimits.stream().noneMatch(r -> r.type().equals(u.rlimitType()))) {
        rlimits.add(new DockerDefaults.Rlimit(u.rlimitType(), u.soft(), u.hard()));
      }
    }
    // moby WithDevices: a privileged container gets every host device, then its own mappings.
    var devices = new ArrayList<DeviceNode>(hc.privileged() ? HostDevices.all() : List.of());
    var rules = new ArrayList<DockerDefaults.DeviceRule>();
    try {
      for (ProcessOptions.DeviceMapping m : p.devices()) {
        if (hc.privileged() && m.pathOnHost().equals(m.target())) {
          continue;
        }
        for (DeviceNode n : HostDevices.fromPath(m.pathOnHost(), m.target())) {
          devices.add(n);
          rules.add(n.rule(hc.privileged() ? "rwm" : m.access()));
        }
      }
      for (String rule : p.deviceCgroupRules()) {
        rules.add(deviceRule(rule));
      }
    } catch (InvalidArgumentException e) {
      throw new ConfigRefusedException(e.getMessage());
    }
    var sysctls = new java.util.LinkedHashMap<String, String>();
    if (!(hc.network() instanceof NetworkMode.Host) && !(hc.network() instanceof NetworkMode.Container)) {
      sysctls.putAll(DEFAULT_NETWORK_SYSCTLS);
    }
    sysctls.putAll(p.sysctls());
    return new RunProcessOptions(rlimits, sysctls, devices, rules, p.oomScoreAdj());
  }

  /**
   * moby withCommonOptions: in a network namespace of its own, a container may ping without
   * CAP_NET_RAW and bind any port without CAP_NET_BIND_SERVICE (each where the kernel has the
   * sysctl; ping not where the engine runs in a user namespace). The container's own win.
   */
  private static final Map<String, String> DEFAULT_NETWORK_SYSCTLS = defaultNetworkSysctls();

  private static Map<String, String> defaultNetworkSysctls() {
    var out = new java.util.LinkedHashMap<String, String>();
    if (Files.exists(Path.of("/proc/sys/net/ipv4/ping_group_range")) && !inUserNamespace()) {
      out.put("net.ipv4.ping_group_range", "0 2147483647");
    }
    if (Files.exists(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))) {
      out.put("net.ipv4.ip_unprivileged_port_start", "0");
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  // moby/sys/userns RunningInUserNS: any uid map but the initial namespace's full one.
  private static boolean inUserNamespace() {
    try {
      String map = Files.readString(Path.of("/proc/self/uid_map")).strip();
      return !map.matches("0\\s+0\\s+4294967295");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static final java.util.regex.Pattern DEVICE_CGROUP_RULE =
      java.util.regex.Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$");

  private static Long number(String s, String which, String rule) {
    if (s.equals("*")) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("invalid " + which + " value in device cgroup rule format: '" + rule + "'");
    }
  }

  /** moby oci.AppendDevicePermissionsFromCgroupRules: {@code type major:minor access}, * for any. */
  static DockerDefaults.DeviceRule deviceRule(String rule) {
    var m = DEVICE_CGROUP_RULE.matcher(rule);
    if (!m.matches()) {
      throw new InvalidArgumentException("invalid device cgroup rule format: '" + rule + "'");
    }
    return new DockerDefaults.DeviceRule(true, m.group(1), number(m.group(2), "major", rule),
        number(m.group(3), "minor", rule), m.group(4));
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
