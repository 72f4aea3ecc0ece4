package dev.berth.core.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.container.model.Resources;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.os.ContainerSpawn.SeccompProgram;
import dev.berth.core.seccomp.Seccomp;
import dev.berth.core.seccomp.SeccompProfile;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a {@link RunSpec} into an OCI runtime config.json (runtime-spec 1.0.2) with Docker's
 * defaults. Limits come from {@link HostLimits}: rlimits are clamped to what this process may
 * grant, and a privileged container gets this process's bounding set rather than every capability
 * the kernel knows (which would fail with EPERM where the engine itself lacks some).
 */
public final class OciSpecBuilder {

  static final String OCI_VERSION = "1.0.2";
  /** Where dockerd binds its init in a container started with {@code --init} (moby oci_linux.go). */
  public static final String INIT_PATH = "/sbin/docker-init";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** crun's annotation for a seccomp filter given compiled, in base64. */
  static final String COMPILED_SECCOMP = "run.oci.seccomp_bpf_data";

  private final HostLimits host;
  private final String cgroupParent;
  private final Optional<Path> initBinary;
  private final SeccompProfile.Host seccompHost;

  /**
   * @param cgroupParent absolute cgroup under which each container gets {@code <parent>/<id>}
   * @param initBinary the host's init for {@link RunSpec#init()} containers ({@link Executables#findInit()})
   */
  public OciSpecBuilder(HostLimits host, String cgroupParent, Optional<Path> initBinary) {
    this(host, cgroupParent, initBinary, SeccompProfile.Host.current());
  }

  /** @param seccompHost the architecture and kernel seccomp profiles are resolved against */
  public OciSpecBuilder(HostLimits host, String cgroupParent, Optional<Path> initBinary,
      SeccompProfile.Host seccompHost) {
    if (!cgroupParent.startsWith("/")) {
      // A relative cgroupsPath nests under the runtime's own cgroup: never what we want.
      throw new IllegalArgumentException("cgroup parent must be absolute: " + cgroupParent);
    }
    this.host = host;
    this.cgroupParent = cgroupParent;
    this.initBinary = initBinary;
    this.seccompHost = seccompHost;
  }

  /** @throws InvalidArgumentException for an init container on a host without an init binary */
  public byte[] toJson(RunSpec spec) {
    return bytes(build(spec, Optional.empty()));
  }

  /**
   * As {@link #toJson(RunSpec)}, with the container's seccomp filter also given compiled, for a
   * runtime that loads it so (crun's {@code run.oci.seccomp_bpf_data} annotation, base64). crun
   * compiles {@code linux.seccomp} without runc's ENOSYS answer for calls newer than the profile;
   * the filter berthd compiles for exec has it, and init and exec then load the same program.
   */
  public byte[] toJson(RunSpec spec, Function<Seccomp, SeccompProgram> compile) {
    return bytes(build(spec, Optional.of(compile)));
  }

  /** The filter a process with {@code capabilities} gets from {@code profile} (null: none) on this host. */
  Optional<Seccomp> seccomp(SeccompProfile profile, List<String> capabilities) {
    return profile == null ? Optional.empty() : profile.resolve(capabilities, seccompHost);
  }

  /**
   * {@code linux.resources} without devices, as {@code runc update --resources} reads it. Absent
   * fields leave a limit as it is; -1 lifts one (pids, swap, quota).
   */
  public byte[] resourcesJson(Resources resources) {
    return resourcesJson(resources, true);
  }

  /**
   * As {@link #resourcesJson(Resources)}.
   *
   * @param lift whether a pids limit or CPU quota of -1 (none) goes to the runtime: false for one
   *     that writes them as they are (crun 1.8 on cgroup v1, which the kernel refuses), whose caller
   *     lifts them
   */
  public byte[] resourcesJson(Resources resources, boolean lift) {
    return bytes(limits(JSON.createObjectNode(), resources, lift));
  }

  /**
   * How a container's config.json confines its processes, as {@code runc exec} reads it from the
   * container's state for each process it starts there.
   *
   * @param capabilities the capability set (the bounding set, which this builder makes equal to the others)
   * @param seccomp the filter runc loads ({@code linux.seccomp}); empty for a container without one
   */
  public record ProcessConfinement(List<String> capabilities, boolean noNewPrivileges, Optional<Seccomp> seccomp,
      Optional<String> appArmorProfile, List<DockerDefaults.Rlimit> rlimits, java.util.OptionalInt oomScoreAdj) {
    public ProcessConfinement {
      capabilities = List.copyOf(capabilities);
      rlimits = List.copyOf(rlimits);
    }

    /** A confinement with the engine's default rlimits and OOM score. */
    public ProcessConfinement(List<String> capabilities, boolean noNewPrivileges, Optional<Seccomp> seccomp,
        Optional<String> appArmorProfile) {
      this(capabilities, noNewPrivileges, seccomp, appArmorProfile, List.of(), java.util.OptionalInt.empty());
    }
  }

  public static ProcessConfinement confinement(byte[] configJson) {
    JsonNode config = tree(configJson);
    JsonNode process = config.path("process");
    var capabilities = new ArrayList<String>();
    process.path("capabilities").path("bounding").forEach(n -> capabilities.add(n.asText()));
    JsonNode filter = config.path("linux").path("seccomp");
    String profile = process.path("apparmorProfile").asText("");
    // runc exec: an exec process gets the container's rlimits and OOM score (moby execSetPlatformOpt).
    var rlimits = new ArrayList<DockerDefaults.Rlimit>();
    process.path("rlimits").forEach(r -> rlimits.add(new DockerDefaults.Rlimit(r.path("type").asText(),
        new BigInteger(r.path("soft").asText("0")).longValue(), new BigInteger(r.path("hard").asText("0")).longValue())));
    JsonNode oom = process.path("oomScoreAdj");
    return new ProcessConfinement(capabilities, process.path("noNewPrivileges").asBoolean(false),
        filter.isObject() ? Optional.of(Seccomp.fromJson(filter)) : Optional.empty(),
        profile.isEmpty() ? Optional.empty() : Optional.of(profile), rlimits,
        oom.isNumber() ? java.util.OptionalInt.of(oom.asInt()) : java.util.OptionalInt.empty());
  }

  private static JsonNode tree(byte[] configJson) {
    try {
      return JSON.readTree(configJson);
    } catch (IOException e) {
      throw new InternalException("unreadable OCI spec: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new InternalException("cannot write OCI spec: " + e.getMessage(), e);
    }
  }

  /**
   * The container's cgroup, the same path in every hierarchy: under its own parent if it names
   * one, else under the engine's.
   */
  public String cgroupPath(RunSpec spec) {
    String parent = spec.placement().cgroupParent();
    return (parent.isEmpty() ? cgroupParent : parent) + "/" + spec.id().hex();
  }

  ObjectNode build(RunSpec spec) {
    return build(spec, Optional.empty());
  }

  private ObjectNode build(RunSpec spec,
      Optional<Function<Seccomp, SeccompProgram>> compile) {
    ObjectNode config = JSON.createObjectNode();
    config.put("ociVersion", OCI_VERSION);
    ProcessSpec process = spec.process();
    if (spec.init()) {
      // dockerd's order: init, "--", then the container's own command.
      var args = new ArrayList<String>(List.of(INIT_PATH, "--"));
      args.addAll(process.args());
      process = process.withArgs(args);
    }
    List<String> capabilities = spec.privileged() ? host.boundingSet() : spec.capabilities();
    ObjectNode processNode = process(process, capabilities);
    RunProcessOptions options = spec.processOptions();
    ArrayNode rlimits = processNode.putArray("rlimits");
    for (var limit : options.effectiveRlimits(host)) {
      rlimits.addObject().put("type", limit.type()).put("hard", unsigned(limit.hard())).put("soft", unsigned(limit.soft()));
    }
    // moby WithOOMScore: always set, so a container does not inherit the engine's score.
    processNode.put("oomScoreAdj", options.oomScoreAdj());
    RunSecurity security = spec.security();
    // Docker leaves setuid binaries working unless --security-opt no-new-privileges.
    processNode.put("noNewPrivileges", security.noNewPrivileges());
    if (!security.appArmorProfile().isEmpty()) {
      processNode.put("apparmorProfile", security.appArmorProfile());
    }
    config.set("process", processNode);
    config.putObject("root").put("path", spec.rootfs().toAbsolutePath().toString()).put("readonly", spec.readonlyRootfs());
    // In the host's UTS namespace the runtime may set neither (moby clears the hostname).
    boolean ownUts = !spec.namespaces().hostUts();
    if (ownUts && spec.hostname() != null && !spec.hostname().isEmpty()) {
      config.put("hostname", spec.hostname());
    }
    if (ownUts && spec.domainname() != null && !spec.domainname().isEmpty()) {
      config.put("domainname", spec.domainname());
    }
    config.set("mounts", mounts(spec));
    ObjectNode linux = linux(spec);
    // Resolved against the capabilities the process gets, as moby's WithSeccomp runs after
    // WithCapabilities.
    Optional<Seccomp> filter = seccomp(security.seccomp(), capabilities);
    filter.ifPresent(f -> linux.set("seccomp", f.toJson()));
    config.set("linux", linux);
    var annotations = new java.util.TreeMap<>(spec.annotations());
    filter.flatMap(f -> compile.map(c -> c.apply(f))).ifPresent(program ->
        annotations.put(COMPILED_SECCOMP, java.util.Base64.getEncoder().encodeToString(program.filter())));
    if (!annotations.isEmpty()) {
      annotations.forEach(config.putObject("annotations")::put);
    }
    return config;
  }

  /**
   * The process object alone; exec sessions hand the same shape to the runtime as their
   * {@code --process} file.
   */
  ObjectNode process(ProcessSpec p, List<String> capabilities) {
    ObjectNode process = JSON.createObjectNode();
    process.put("terminal", p.terminal());
    if (p.terminal() && p.consoleHeight() > 0 && p.consoleWidth() > 0) {
      process.putObject("consoleSize").put("height", p.consoleHeight()).put("width", p.consoleWidth());
    }
    ObjectNode user = process.putObject("user").put("uid", p.uid()).put("gid", p.gid());
    if (!p.additionalGids().isEmpty()) {
      ArrayNode gids = user.putArray("additionalGids");
      p.additionalGids().forEach(gids::add);
    }
    strings(process.putArray("args"), p.args());
    strings(process.putArray("env"), p.env());
    process.put("cwd", p.cwd());
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      strings(caps.putArray(set), capabilities);
    }
    ArrayNode rlimits = process.putArray("rlimits");
    for (var limit : DockerDefaults.RLIMITS) {
      var clamped = limit.clampTo(host.hardLimit(limit.type()));
      rlimits.addObject().put("type", clamped.type()).put("hard", unsigned(clamped.hard())).put("soft", unsigned(clamped.soft()));
    }
    process.put("noNewPrivileges", false);
    return process;
  }

  private ArrayNode mounts(RunSpec spec) {
    ArrayNode mounts = JSON.createArrayNode();
    // As moby's withMounts: a user mount replaces the default at its destination, and a user /dev
    // replaces everything under /dev.
    var user = spec.mounts().stream().map(RunMount::destination).collect(java.util.stream.Collectors.toSet());
    boolean userDev = user.contains("/dev");
    // A privileged container may write /sys (Docker clears "ro" on /sys and below for --privileged),
    // and /sys/fs/cgroup unless --security-opt writable-cgroups says otherwise.
    String sysMode = spec.privileged() ? "rw" : "ro";
    Boolean writableCgroups = spec.security().writableCgroups();
    String cgroupMode = (writableCgroups != null ? writableCgroups : spec.privileged()) ? "rw" : "ro";
    var defaults = JSON.createArrayNode();
    mount(defaults, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
    mount(defaults, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(defaults, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
    mount(defaults, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", sysMode);
    mount(defaults, "/sys/fs/cgroup", "cgroup", "cgroup", cgroupMode, "nosuid", "noexec", "nodev");
    mount(defaults, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    switch (spec.namespaces().shm()) {
      case RunNamespaces.Shm.Private p -> mount(defaults, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev",
          "mode=1777", "size=" + spec.shmSize() / 1024 + "k");
      case RunNamespaces.Shm.None n -> { }
      // moby IpcMounts: the shared /dev/shm as a writable rprivate bind.
      case RunNamespaces.Shm.Bind b -> mount(defaults, "/dev/shm", "bind", b.source().toString(), "rbind",
          "rprivate");
    }
    for (var d : defaults) {
      String dest = d.get("destination").asText();
      if (!user.contains(dest) && !(userDev && dest.startsWith("/dev/"))) {
        mounts.add(d);
      }
    }
    for (RunMount m : spec.mounts()) {
      switch (m) {
        case BindMount bind -> {
          ObjectNode o = mounts.addObject()
              .put("destination", bind.destination())
              .put("type", "bind")
              .put("source", bind.source().toAbsolutePath().toString());
          ArrayNode options = o.putArray("options").add(bind.recursive() ? "rbind" : "bind");
          if (bind.readOnly()) {
            options.add("ro");
          }
          if (!bind.propagation().isEmpty()) {
            options.add(bind.propagation());
          }
        }
        case TmpfsMount tmpfs -> {
          ObjectNode o = mounts.addObject()
              .put("destination", tmpfs.destination())
              .put("type", "tmpfs")
              .put("source", "tmpfs");
          strings(o.putArray("options"), tmpfs.options());
        }
      }
    }
    if (spec.init()) {
      Path init = initBinary.orElseThrow(() -> new InvalidArgumentException(
          "exec: \"docker-init\": executable file not found in $PATH (install tini to run containers with --init)"));
      mounts.addObject()
          .put("destination", INIT_PATH)
          .put("type", "bind")
          .put("source", init.toString())
          .set("options", JSON.createArrayNode().add("bind").add("ro"));
    }
    return mounts;
  }

  private ObjectNode linux(RunSpec spec) {
    ObjectNode linux = JSON.createObjectNode();
    ArrayNode namespaces = linux.putArray("namespaces");
    RunNamespaces shared = spec.namespaces();
    // No entry of a kind means the container stays in the runtime's (the host's) namespace.
    namespace(namespaces, "pid", shared.pid());
    namespace(namespaces, "ipc", shared.ipc());
    if (!shared.hostUts()) {
      namespaces.addObject().put("type", "uts");
    }
    namespaces.addObject().put("type", "mount");
    if (spec.security().cgroupNamespace()) {
      // runc unshares it after joining the container's cgroups, so /proc/self/cgroup shows "/".
      namespaces.addObject().put("type", "cgroup");
    }
    // No network entry at all means the container stays in the runtime's (the host's) namespace.
    if (!spec.network().host()) {
      ObjectNode net = namespaces.addObject().put("type", "network");
      if (spec.network().path() != null) {
        net.put("path", spec.network().path().toString());
      }
    }
    if (!shared.hostUts() && spec.domainname() != null && !spec.domainname().isEmpty()) {
      // runc 1.1 ignores the domainname field (runtime-spec 1.1); the sysctl works in a private UTS
      // namespace with every runtime, as dockerd set it before the field existed.
      linux.putObject("sysctl").put("kernel.domainname", spec.domainname());
    }
    if (!spec.processOptions().sysctls().isEmpty()) {
      // moby WithSysctls: the HostConfig's win; runc refuses those outside the container's namespaces.
      ObjectNode sysctl = linux.has("sysctl") ? (ObjectNode) linux.get("sysctl") : linux.putObject("sysctl");
      spec.processOptions().sysctls().forEach(sysctl::put);
    }
    if (!spec.processOptions().devices().isEmpty()) {
      ArrayNode nodes = linux.putArray("devices");
      for (DeviceNode n : spec.processOptions().devices()) {
        nodes.addObject().put("path", n.path()).put("type", n.type()).put("major", n.major()).put("minor", n.minor())
            .put("fileMode", n.fileMode()).put("uid", n.uid()).put("gid", n.gid());
      }
    }
    linux.put("cgroupsPath", cgroupPath(spec));
    ObjectNode resources = linux.putObject("resources");
    ArrayNode devices = resources.putArray("devices");
    var rules = new ArrayList<DockerDefaults.DeviceRule>(DockerDefaults.DEVICE_RULES);
    // moby WithDevices: a privileged container may use every device, whatever its own rules say.
    rules.addAll(spec.processOptions().deviceRules());
    for (var rule : spec.privileged() ? List.of(DockerDefaults.DeviceRule.allowAll()) : rules) {
      ObjectNode d = devices.addObject().put("allow", rule.allow());
      if (rule.type() != null) {
        d.put("type", rule.type());
      }
      if (rule.major() != null) {
        d.put("major", rule.major());
      }
      if (rule.minor() != null) {
        d.put("minor", rule.minor());
      }
      d.put("access", rule.access());
    }
    // A new cgroup has no pids limit or CPU quota to lift.
    limits(resources, spec.resources(), false);
    // moby: privileged clears both lists, then HostConfig's own lists (when given) apply.
    RunSecurity security = spec.security();
    List<String> masked = security.maskedPaths() != null ? security.maskedPaths()
        : spec.privileged() ? List.of() : DockerDefaults.maskedPaths();
    List<String> readonly = security.readonlyPaths() != null ? security.readonlyPaths()
        : spec.privileged() ? List.of() : DockerDefaults.READONLY_PATHS;
    if (!masked.isEmpty()) {
      strings(linux.putArray("maskedPaths"), masked);
    }
    if (!readonly.isEmpty()) {
      strings(linux.putArray("readonlyPaths"), readonly);
    }
    return linux;
  }

  /**
   * Memory, CPU and pids limits into {@code resources}, the way dockerd maps HostConfig
   * (moby {@code getMemoryResources}, {@code getCPUResources}, {@code getPidsLimit}); objects with
   * nothing set are left out.
   */
  static ObjectNode limits(ObjectNode resources, Resources r, boolean lift) {
    ObjectNode memory = JSON.createObjectNode();
    putIfSet(memory, "limit", r.memory());
    putIfSet(memory, "reservation", r.memoryReservation());
    putIfSet(memory, "swap", r.memorySwap());
    putIfSet(memory, "swappiness", r.memorySwappiness());
    putIfSet(memory, "kernelTCP", r.kernelMemoryTcp());
    if (r.oomKillDisable() != null) {
      memory.put("disableOOMKiller", r.oomKillDisable());
    }
    if (!memory.isEmpty()) {
      resources.set("memory", memory);
    }
    ObjectNode cpu = JSON.createObjectNode();
    putIfSet(cpu, "shares", r.cpuShares());
    if (r.effectiveCpuQuota() != null && (r.effectiveCpuQuota() != -1 || lift)) {
      cpu.put("quota", r.effectiveCpuQuota());
    }
    putIfSet(cpu, "period", r.effectiveCpuPeriod());
    if (r.cpusetCpus() != null) {
      cpu.put("cpus", r.cpusetCpus());
    }
    if (r.cpusetMems() != null) {
      cpu.put("mems", r.cpusetMems());
    }
    putIfSet(cpu, "realtimePeriod", r.cpuRealtimePeriod());
    putIfSet(cpu, "realtimeRuntime", r.cpuRealtimeRuntime());
    if (!cpu.isEmpty()) {
      resources.set("cpu", cpu);
    }
    if (r.pidsLimit() != null && (r.pidsLimit() > 0 || lift)) {
      resources.putObject("pids").put("limit", r.pidsLimit());
    }
    ObjectNode blockIO = JSON.createObjectNode();
    if (r.blkioWeight() != null) {
      blockIO.put("weight", r.blkioWeight());
    }
    if (r.blkioWeightDevice() != null) {
      ArrayNode devices = blockIO.putArray("weightDevice");
      for (var d : r.blkioWeightDevice()) {
        BlockDevice.of(d.path()).into(devices.addObject()).put("weight", d.weight());
      }
    }
    throttle(blockIO, "throttleReadBpsDevice", r.blkioDeviceReadBps());
    throttle(blockIO, "throttleWriteBpsDevice", r.blkioDeviceWriteBps());
    throttle(blockIO, "throttleReadIOPSDevice", r.blkioDeviceReadIOps());
    throttle(blockIO, "throttleWriteIOPSDevice", r.blkioDeviceWriteIOps());
    if (!blockIO.isEmpty()) {
      resources.set("blockIO", blockIO);
    }
    return resources;
  }

  private static void throttle(ObjectNode blockIO, String field, List<Resources.ThrottleDevice> devices) {
    if (devices == null) {
      return;
    }
    ArrayNode array = blockIO.putArray(field);
    for (var d : devices) {
      BlockDevice.of(d.path()).into(array.addObject()).put("rate", d.rate());
    }
  }

  /** A device file's number, as moby's getBlkioThrottleDevices reads it with stat(2) at each start. */
  record BlockDevice(long major, long minor) {

    static BlockDevice of(String path) {
      long rdev;
      try {
        rdev = ((Number) java.nio.file.Files.getAttribute(Path.of(path), "unix:rdev")).longValue();
      } catch (java.nio.file.NoSuchFileException e) {
        throw new InternalException("stat " + path + ": no such file or directory");
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        throw new InternalException("stat " + path + ": " + e.getMessage(), e);
      }
      return fromRdev(rdev);
    }

    /** glibc's gnu_dev_major and gnu_dev_minor. */
    static BlockDevice fromRdev(long rdev) {
      long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
      long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
      return new BlockDevice(major, minor);
    }

    ObjectNode into(ObjectNode node) {
      return node.put("major", major).put("minor", minor);
    }
  }

  private static void putIfSet(ObjectNode node, String field, Long value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void namespace(ArrayNode namespaces, String type, SharedNamespace ns) {
    if (!ns.host()) {
      ObjectNode entry = namespaces.addObject().put("type", type);
      if (ns.path() != null) {
        entry.put("path", ns.path().toString());
      }
    }
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode m = mounts.addObject().put("destination", destination).put("type", type).put("source", source);
    strings(m.putArray("options"), List.of(options));
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  // RLIM_INFINITY is all ones as a uint64; JSON wants the unsigned number.
  private static BigInteger unsigned(long value) {
    return new BigInteger(Long.toUnsignedString(value));
  }
}
