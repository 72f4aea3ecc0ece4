package dev.berth.core.runtime;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.model.CgroupStats;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.os.ContainerSpawn;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Processes;
import dev.berth.core.seccomp.SeccompProfile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs each container under its own conmon over runc or crun.
 *
 * <p>Files per container: the bundle ({@code config.json}, the runtime's {@code pidfile}, conmon's
 * {@code conmon.pid}, the {@code ctl} fifo, the attach socket, and the start times that tell these
 * pids apart from later processes reusing them), {@code exits/<id>} and {@code persist/<id>/exit}
 * written by conmon, and the symlink {@code socket/<id>} to the bundle.
 *
 * <p>Exec processes are the engine's own children, with no files of their own ({@link
 * NamespaceExec}).
 *
 * <p>Cgroups, under the engine's cgroup parent in every hierarchy: {@code <parent>/<id>} for the
 * container (the runtime makes it; {@link #delete} makes sure it is gone) and {@code
 * <parent>/conmon} shared by all monitors, removed by {@link #close} once
 * no monitor is left in it.
 */
public final class ConmonRuntime implements ContainerRuntime, AutoCloseable {

  static final String CONFIG = "config.json";
  static final String PIDFILE = "pidfile";
  static final String CONMON_PIDFILE = "conmon.pid";
  private static final String INIT_START = "pidfile.start";
  private static final String CONMON_START = "conmon.pid.start";
  private static final String CTL = "ctl";
  // conmon creates it in its persist dir when the memory cgroup reports an OOM kill.
  private static final String OOM_FILE = "oom";

  /** The bundle's record of the runtime (first line) and cgroup parent (second) the container was made with. */
  private static final String PLACEMENT = "placement";
  private static final String MONITOR_CGROUP = "conmon";
  private static final int SIGKILL = 9;
  private static final int MAX_SOCKET_PATH = 108;
  private static final int MONITOR_EXIT_TIMEOUT_MILLIS = 10_000;
  private static final List<String> CONMON_LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
  private static final System.Logger LOG = System.getLogger(ConmonRuntime.class.getName());
  /** The engine's environment, which the runtime's calls get as ProcessBuilder gave it them. */
  private static final List<String> ENVIRONMENT = System.getenv().entrySet().stream()
      .map(e -> e.getKey() + "=" + e.getValue()).toList();

  private final EnginePaths paths;
  private final OciRuntime runtime;
  private final String conmonLogLevel;
  private final HostLimits host;
  private final OciSpecBuilder specs;
  private final CgroupTree cgroups;
  private final ConmonLauncher launcher;
  private final CgroupMovePrimer primer;
  private ExitWatcher watcher;
  private MonitorWatcher monitors;
  private OomWatcher oomWatcher;
  private NamespaceExec namespaceExec;
  private final SeccompPrograms seccompPrograms = new SeccompPrograms();
  /**
   * How each running container's exec processes are confined, read from its config.json at its
   * first exec and kept until the container is created again or deleted: an exec then neither
   * reads nor parses the config (with Docker's profile, some 30 KB of JSON) nor looks its filter up.
   */
  private final Map<String, ExecConfinement> execConfinements = new ConcurrentHashMap<>();

  private record ExecConfinement(List<String> capabilities, ContainerSpawn.Confinement confinement,
      List<DockerDefaults.Rlimit> rlimits) {}
  private final Map<String, OutputHub> hubs = new ConcurrentHashMap<>();
  /** The runtimes containers may name, the default among them. */
  private final Map<String, OciRuntime> runtimes;
  /** Each container's runtime and cgroups, from its create or (after an engine restart) its bundle. */
  private final Map<String, Placed> placements = new ConcurrentHashMap<>();

  private record Placed(OciRuntime runtime, CgroupTree cgroups) {}

  /**
   * @param conmon the conmon binary ({@link #findConmon()})
   * @param conmonLogLevel conmon's {@code --log-level}: error, warn, info, debug or trace
   * @throws InvalidArgumentException for an unknown log level, or an exec root so long that conmon's
   *     attach socket path would not fit in 108 bytes
   */
  public ConmonRuntime(EnginePaths paths, OciRuntime runtime, Path conmon, String conmonLogLevel) {
    this(paths, runtime, Map.of(), conmon, conmonLogLevel);
  }

  /**
   * @param others runtimes besides {@code runtime} that a container may name ({@code docker run
   *     --runtime}), by name
   */
  public ConmonRuntime(EnginePaths paths, OciRuntime runtime, Map<String, OciRuntime> others, Path conmon,
      String conmonLogLevel) {
    // <socket dir>/<64-hex id>/attach must fit in sun_path (108 bytes with its NUL), or attach fails.
    int attachPathLength = paths.sockets().toString().getBytes(StandardCharsets.UTF_8).length + 1 + 64 + "/attach".length();
    if (attachPathLength >= MAX_SOCKET_PATH) {
      throw new InvalidArgumentException("exec root " + paths.execRoot() + " is too long: conmon's attach socket path would be "
          + attachPathLength + " bytes, the limit is " + (MAX_SOCKET_PATH - 1));
    }
    if (!CONMON_LOG_LEVELS.contains(conmonLogLevel.toLowerCase(Locale.ROOT))) {
      // conmon exits at once on a level it does not know, before reporting anything.
      throw new InvalidArgumentException("unknown conmon log level " + conmonLogLevel + ": use one of " + CONMON_LOG_LEVELS);
    }
    this.paths = paths;
    this.runtime = runtime;
    this.conmonLogLevel = conmonLogLevel;
    this.host = HostLimits.current();
    this.specs = new OciSpecBuilder(host, paths.cgroupParent(), Executables.findInit());
    this.cgroups = CgroupTree.discover(paths.cgroupParent());
    this.launcher = new ConmonLauncher(conmon, cgroups, MONITOR_CGROUP);
    this.primer = new CgroupMovePrimer(cgroups);
    var all = new java.util.LinkedHashMap<String, OciRuntime>();
    all.put(runtime.name(), runtime);
    others.forEach(all::putIfAbsent);
    this.runtimes = Map.copyOf(all);
  }

  @Override
  public Map<String, String> runtimes() {
    var out = new java.util.TreeMap<String, String>();
    runtimes.forEach((name, r) -> out.put(name, r.binary().toString()));
    return out;
  }

  /** conmon from PATH (or the usual system directories). */
  public static Path findConmon() {
    return Executables.onPath("conmon").orElseThrow(() -> new InvalidArgumentException("conmon not found in PATH"));
  }

  @Override
  public String name() {
    return runtime.name();
  }

  /** conmon's move into the monitor cgroup is primed (CgroupMovePrimer) while the engine prepares the rest. */
  @Override
  public void startBegins() {
    primer.prime();
  }

  @Override
  public MonitorProcess create(RunSpec spec) {
    String id = spec.id().hex();
    execConfinements.remove(id);
    Path bundle = paths.bundle(id);
    if (Files.exists(paths.runtimeState().resolve(id))) {
      throw new ConflictException("container " + id + " already exists in " + runtime.name());
    }
    Placed placed = place(spec);
    try {
      prepareBundle(spec, placed);
      ensureMonitorCgroup();
      Optional<Path> cgroup2 = placed.runtime().hider().isPresent()
          ? placed.cgroups().createInCgroup2(id) : Optional.empty();
      try (var session = launcher.launch(ConmonArgs.forContainer(paths, placed.runtime(), cgroup2, conmonLogLevel,
          spec), bundle)) {
        SyncMessage reply = session.next();
        if (reply.failed()) {
          // The runtime refused the container (no such executable, bad working directory). Its words
          // go to the client as they are.
          throw placed.runtime().refusal(reply.runtimeError(), spec.process().args().getFirst());
        }
        int pid = reply.data();
        int conmonPid = readInt(bundle.resolve(CONMON_PIDFILE))
            .orElseThrow(() -> new InternalException("conmon wrote no pid file for " + id));
        long conmonStart = Processes.startTime(conmonPid)
            .orElseThrow(() -> new InternalException("conmon of " + id + " exited during create"));
        long initStart = Processes.startTime(pid)
            .orElseThrow(() -> new InternalException("the process of " + id + " exited during create"));
        Files.writeString(bundle.resolve(INIT_START), Long.toString(initStart));
        Files.writeString(bundle.resolve(CONMON_START), Long.toString(conmonStart));
        watchOom(spec.id());
        var monitor = new MonitorProcess(pid, conmonPid, conmonStart);
        watchMonitor(spec.id(), monitor);
        return monitor;
      }
    } catch (IOException e) {
      throw cleanUpAfter(spec.id(), new InternalException("cannot create " + id + ": " + e.getMessage(), e));
    } catch (RuntimeException e) {
      throw cleanUpAfter(spec.id(), e);
    }
  }

  /** The runtime and cgroups {@code spec} names, remembered for the container's later calls. */
  private Placed place(RunSpec spec) {
    String name = spec.placement().runtime();
    OciRuntime chosen = name.isEmpty() ? runtime : runtimes.get(name);
    if (chosen == null) {
      throw new InvalidArgumentException("unknown or invalid runtime name: " + name);
    }
    String parent = spec.placement().cgroupParent();
    var placed = new Placed(chosen, parent.isEmpty() ? cgroups : cgroups.withParent(parent));
    placements.put(spec.id().hex(), placed);
    return placed;
  }

  private Placed placed(String hex) {
    return placements.computeIfAbsent(hex, this::readPlacement);
  }

  // A bundle from before placements were recorded, or none at all: the defaults.
  private Placed readPlacement(String hex) {
    List<String> lines;
    try {
      lines = Files.readAllLines(paths.bundle(hex).resolve(PLACEMENT));
    } catch (NoSuchFileException e) {
      return new Placed(runtime, cgroups);
    } catch (IOException e) {
      throw new InternalException("cannot read the placement of " + hex + ": " + e.getMessage(), e);
    }
    OciRuntime r = lines.isEmpty() ? runtime : runtimes.get(lines.get(0));
    if (r == null) {
      LOG.log(Level.WARNING, "container {0} was made by runtime {1}, which is no longer configured; using {2}",
          hex, lines.get(0), runtime.name());
      r = runtime;
    }
    String parent = lines.size() > 1 ? lines.get(1) : "";
    return new Placed(r, parent.isEmpty() || parent.equals(cgroups.parent()) ? cgroups : cgroups.withParent(parent));
  }

  /**
   * Compiles the filter into the program cache, where runs and execs with it find it (the first
   * compilation links libseccomp, ~55 ms cold), and loads the attach channel's socket library
   * (~35 ms); issue 15, docs/benchmarks.md.
   */
  @Override
  public void warmUp(SeccompProfile profile, List<String> capabilities) {
    specs.seccomp(profile, capabilities).ifPresent(seccompPrograms::program);
    ConmonAttachChannel.load();
  }

  /** Whether the filter {@code profile} gives a process with {@code capabilities} is compiled and kept. */
  boolean compiled(SeccompProfile profile, List<String> capabilities) {
    return specs.seccomp(profile, capabilities).map(seccompPrograms::compiled).orElse(false);
  }

  private void prepareBundle(RunSpec spec, Placed placed) throws IOException {
    String id = spec.id().hex();
    Path bundle = paths.bundle(id);
    Files.createDirectories(bundle);
    Files.write(bundle.resolve(CONFIG), placed.runtime().loadsCompiledSeccomp()
        ? specs.toJson(spec, seccompPrograms::program) : specs.toJson(spec));
    Files.writeString(bundle.resolve(PLACEMENT), placed.runtime().name() + "\n" + placed.cgroups().parent() + "\n");
    Files.createDirectories(paths.exits());
    Files.createDirectories(paths.sockets());
    Files.createDirectories(paths.runtimeState());
    // conmon exits without an exit file if its persist dir is missing.
    Files.createDirectories(paths.persist(id));
    Files.deleteIfExists(paths.persist(id).resolve(OOM_FILE));
    if (spec.logPath() != null) {
      Files.createDirectories(spec.logPath().toAbsolutePath().getParent());
    }
    Files.deleteIfExists(paths.exits().resolve(id));
  }

  @Override
  public void start(ContainerId id) {
    var result = cli(id.hex(), null, "start", id.hex());
    if (result.exit() != 0) {
      if (!Files.isDirectory(paths.runtimeState().resolve(id.hex()))) {
        throw new NotFoundException("No such container: " + id.hex());
      }
      throw new InternalException("cannot start container " + id.hex() + ": " + result.error());
    }
  }

  /**
   * Signals the container's init process through a pidfd, after checking it is still the process
   * the runtime created (same pid and start time), so a pid reused after the container exited is
   * never hit.
   */
  @Override
  public boolean signal(ContainerId id, int signal) {
    Optional<InitProcess> init = init(id);
    if (init.isEmpty()) {
      return false;
    }
    boolean sent = Processes.signalIfSame(init.get().pid(), init.get().startTime(), signal);
    if (sent && signal == SIGKILL && placed(id.hex()).cgroups().frozen(id.hex())) {
      // A frozen task does not die of SIGKILL on a v1 freezer until it is thawed (moby kill.go
      // resumes after SIGKILL too). If it has died meanwhile, there is nothing left to resume.
      cli(id.hex(), null, "resume", id.hex());
    }
    return sent;
  }

  /** Clients without stdin share one connection per container ({@link OutputHub}). */
  @Override
  public AttachChannel attach(ContainerId id, boolean stdin) {
    String hex = id.hex();
    if (!Files.isDirectory(paths.bundle(hex))) {
      throw new NotFoundException("No such container: " + hex);
    }
    // Through the short symlink conmon made: the bundle path may not fit in sun_path (108 bytes).
    Path socket = paths.sockets().resolve(hex).resolve("attach");
    try {
      if (stdin) {
        return ConmonAttachChannel.connect(socket);
      }
      while (true) {
        OutputHub hub = hubs.get(hex);
        if (hub == null) {
          hub = connectHub(hex, socket);
        }
        Optional<AttachChannel> channel = hub.subscribe();
        if (channel.isPresent()) {
          return channel.get();
        }
        // That hub's container ended (or is being restarted): take a new one.
        hubs.remove(hex, hub);
      }
    } catch (IOException e) {
      throw new ConflictException("Container " + hex + " is not running");
    }
  }

  private synchronized OutputHub connectHub(String hex, Path socket) throws IOException {
    OutputHub hub = hubs.get(hex);
    if (hub == null) {
      var made = new OutputHub[1];
      made[0] = OutputHub.connect(socket, () -> hubs.remove(hex, made[0]));
      hub = made[0];
      hubs.put(hex, hub);
    }
    return hub;
  }

  @Override
  public void resize(ContainerId id, int height, int width) {
    CtlFifo.resize(paths.bundle(id.hex()).resolve(CTL), height, width, "Container " + id.hex() + " is not running");
  }

  @Override
  public OptionalInt exitCode(ContainerId id) {
    return ExitWatcher.read(paths.exits().resolve(id.hex()));
  }

  /**
   * conmon's word ({@code persist/<id>/oom}, written from the memory cgroup's OOM eventfd on v1 or
   * {@code memory.events} on v2) or the cgroup's own count: on v1 conmon may see the container's
   * exit before the OOM event and write no file, while the count stays until the cgroup is removed.
   */
  @Override
  public boolean oomKilled(ContainerId id) {
    return Files.exists(paths.persist(id.hex()).resolve(OOM_FILE)) || cgroups.oomKills(id.hex()) > 0;
  }

  @Override
  public boolean monitorAlive(MonitorProcess process) {
    OptionalLong started = Processes.startTime(process.monitorPid());
    return started.isPresent() && started.getAsLong() == process.monitorStartTime();
  }

  /** The monitor recorded for {@code id}, to watch it again after an engine restart. */
  public Optional<MonitorProcess> monitor(ContainerId id) {
    Path bundle = paths.bundle(id.hex());
    OptionalInt pid = readInt(bundle.resolve(PIDFILE));
    OptionalInt conmonPid = readInt(bundle.resolve(CONMON_PIDFILE));
    OptionalLong conmonStart = readLong(bundle.resolve(CONMON_START));
    if (pid.isEmpty() || conmonPid.isEmpty() || conmonStart.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new MonitorProcess(pid.getAsInt(), conmonPid.getAsInt(), conmonStart.getAsLong()));
  }

  /**
   * Every container this runtime holds anything of: a bundle, runtime state, persist directory,
   * attach socket link, exit record, cgroup under the engine's parent, or a monitor process (found
   * by its command line, so also one whose pid file a crash left unwritten).
   */
  @Override
  public Set<ContainerId> present() {
    var names = new HashSet<String>();
    for (Path dir : List.of(paths.bundle("x").getParent(), paths.runtimeState(), paths.persistRoot(), paths.sockets(),
        paths.exits())) {
      try (var entries = Files.newDirectoryStream(dir)) {
        entries.forEach(e -> names.add(e.getFileName().toString()));
      } catch (NoSuchFileException e) {
        // nothing made there yet
      } catch (IOException e) {
        throw new InternalException("cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    names.addAll(cgroups.children());
    var ids = new HashSet<ContainerId>();
    names.stream().filter(ContainerId::isHex64).map(ContainerId::new).forEach(ids::add);
    MonitorProcesses.of(paths.exits()).forEach(m -> ids.add(m.id()));
    return ids;
  }

  @Override
  public void delete(ContainerId id) {
    String hex = id.hex();
    execConfinements.remove(hex);
    // Kill first and let conmon record the exit: `runtime delete --force` on a live container
    // polls for its death in 100 ms steps, and conmon writes the exit file last, so it must be gone
    // before the files are removed or it could write one afterwards. Without a recorded init (it
    // has exited, or a crash of the engine cut its create short) the runtime kills what it made.
    if (!signal(id, SIGKILL)) {
      deleteState(hex);
    }
    awaitMonitorExit(id);
    deleteState(hex);
    try {
      FileTrees.delete(paths.bundle(hex));
      FileTrees.delete(paths.persist(hex));
      Files.deleteIfExists(paths.exits().resolve(hex));
      Files.deleteIfExists(paths.sockets().resolve(hex));
    } catch (IOException e) {
      throw new InternalException("cannot remove the files of " + hex + ": " + e.getMessage(), e);
    }
    CgroupTree tree = placed(hex).cgroups();
    // A process the runtime never recorded (its create was killed half-way with a crashed
    // engine's monitor) holds the cgroup: it is this container's, so it goes with it.
    tree.pids(hex).forEach(pid -> Processes.kill(pid, SIGKILL));
    tree.remove(hex);
    placements.remove(hex);
  }

  /** {@code runtime delete --force}, if the runtime has state for the container. */
  private void deleteState(String hex) {
    Path state = paths.runtimeState().resolve(hex);
    if (!Files.isDirectory(state)) {
      return;
    }
    var result = cli(hex, null, "delete", "--force", hex);
    // Judge by the runtime's state, not its message: gone is gone, whoever removed it.
    if (result.exit() == 0 || !Files.isDirectory(state)) {
      return;
    }
    if (!Files.exists(state.resolve("state.json")) && placed(hex).cgroups().pids(hex).isEmpty()) {
      // A create killed before the runtime wrote its state: nothing runs, what is left is a directory.
      FileTrees.delete(state);
      return;
    }
    throw new InternalException("cannot delete container " + hex + ": " + result.error());
  }

  /**
   * Runs the process from the engine (see {@link NamespaceExec}), not under conmon and runc,
   * confined as the container's own processes are: its capabilities (or, privileged, the
   * engine's), its no_new_privs, seccomp filter and AppArmor profile, read from its config.json as
   * {@code runc exec} reads them from the container's state.
   */
  @Override
  public ExecSession exec(ContainerId id, ExecSpec spec) {
    String hex = id.hex();
    Optional<InitProcess> init = init(id).filter(ConmonRuntime::alive);
    if (init.isEmpty()) {
      throw new ConflictException("container " + hex + " is not running");
    }
    if (placed(hex).cgroups().frozen(hex)) {
      throw new ConflictException("Container " + hex + " is paused, unpause the container before exec");
    }
    ExecConfinement container = execConfinements.computeIfAbsent(hex, this::execConfinement);
    // A privileged exec gets every capability, but the container's filter still (as runc exec does).
    List<String> capabilities = spec.privileged() ? host.boundingSet() : container.capabilities();
    return namespaceExec().start(placed(hex).cgroups().joining(hex), init.get().pid(), spec,
        Capabilities.toMask(capabilities), container.confinement(), container.rlimits());
  }

  private ExecConfinement execConfinement(String hex) {
    byte[] config;
    try {
      config = Files.readAllBytes(paths.bundle(hex).resolve(CONFIG));
    } catch (IOException e) {
      throw new InternalException("cannot read the config of " + hex + ": " + e.getMessage(), e);
    }
    var c = OciSpecBuilder.confinement(config);
    return new ExecConfinement(c.capabilities(), new ContainerSpawn.Confinement(c.noNewPrivileges(),
        c.seccomp().map(seccompPrograms::program), c.appArmorProfile(), c.oomScoreAdj()), c.rlimits());
  }

  // Made on first use: an engine that never runs an exec never makes the sealed copy.
  private synchronized NamespaceExec namespaceExec() {
    if (namespaceExec == null) {
      namespaceExec = NamespaceExec.create(host);
    }
    return namespaceExec;
  }

  @Override
  public void pause(ContainerId id) {
    String hex = id.hex();
    if (!running(id)) {
      throw new ConflictException("container " + hex + " is not running");
    }
    if (placed(hex).cgroups().frozen(hex)) {
      throw new ConflictException("container " + hex + " is already paused");
    }
    var result = cli(hex, null, "pause", hex);
    if (result.exit() != 0) {
      if (!running(id)) {
        throw new ConflictException("container " + hex + " is not running");
      }
      throw new InternalException("cannot pause container " + hex + ": " + result.error());
    }
  }

  @Override
  public void resume(ContainerId id) {
    String hex = id.hex();
    if (!placed(hex).cgroups().frozen(hex)) {
      throw new ConflictException("Container " + hex + " is not paused");
    }
    var result = cli(hex, null, "resume", hex);
    if (result.exit() != 0 && placed(hex).cgroups().frozen(hex)) {
      throw new InternalException("Cannot unpause container " + hex + ": " + result.error());
    }
  }

  @Override
  public boolean paused(ContainerId id) {
    return placed(id.hex()).cgroups().frozen(id.hex());
  }

  @Override
  public void update(ContainerId id, Resources resources) {
    String hex = id.hex();
    if (!running(id)) {
      throw new ConflictException("container " + hex + " is not running");
    }
    if (resources.isEmpty()) {
      return;
    }
    Placed placed = placed(hex);
    // crun 1.8 on cgroup v1 writes a pids limit or CPU quota of -1 (none) in a form the kernel refuses.
    boolean liftHere = placed.runtime().hider().isPresent();
    var result = cli(hex, specs.resourcesJson(resources, !liftHere), "update", "--resources", "-", hex);
    if (result.exit() != 0) {
      if (!running(id)) {
        throw new ConflictException("container " + hex + " is not running");
      }
      // dockerd's wording (daemon/update.go errCannotUpdate), then the runtime's.
      throw new InternalException("Cannot update container " + hex + ": " + result.error());
    }
    if (liftHere && Long.valueOf(-1).equals(resources.pidsLimit())) {
      placed.cgroups().write(hex, "pids", "pids.max", "max");
    }
    if (liftHere && Long.valueOf(-1).equals(resources.effectiveCpuQuota())) {
      placed.cgroups().write(hex, "cpu", "cpu.cfs_quota_us", "-1");
    }
  }

  @Override
  public List<Integer> pids(ContainerId id) {
    return placed(id.hex()).cgroups().pids(id.hex()).stream().sorted().toList();
  }

  @Override
  public Optional<CgroupStats> stats(ContainerId id) {
    return new CgroupStatsReader(placed(id.hex()).cgroups()).read(id.hex());
  }

  // Running: created by the runtime, no exit recorded, and its init still the process that was made.
  private boolean running(ContainerId id) {
    return init(id).filter(ConmonRuntime::alive).isPresent();
  }

  private static boolean alive(InitProcess init) {
    OptionalLong now = Processes.startTime(init.pid());
    return now.isPresent() && now.getAsLong() == init.startTime();
  }

  /** The container's init as the runtime made it, while no exit is recorded. */
  private record InitProcess(int pid, long startTime) {}

  private Optional<InitProcess> init(ContainerId id) {
    if (exitCode(id).isPresent()) {
      return Optional.empty();
    }
    Path bundle = paths.bundle(id.hex());
    OptionalInt pid = readInt(bundle.resolve(PIDFILE));
    OptionalLong started = readLong(bundle.resolve(INIT_START));
    if (pid.isEmpty() || started.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new InitProcess(pid.getAsInt(), started.getAsLong()));
  }

  /**
   * Listeners run on the watcher's one platform thread, in turn: hand work off rather than block.
   * An exit can be reported more than once.
   */
  @Override
  public synchronized void onExit(Consumer<ContainerId> listener) {
    if (watcher == null) {
      watcher = new ExitWatcher(paths.exits());
      watcher.addListener(listener);
      watcher.start();
      // A monitor that ends without writing the exit file (killed) is the only sign of that run's end.
      monitors = new MonitorWatcher();
      monitors.addListener(unlessExitRecorded(listener));
      try (var dirs = Files.list(paths.bundle("x").getParent())) {
        dirs.map(d -> d.getFileName().toString()).filter(ContainerId::isHex64).map(ContainerId::new)
            .forEach(id -> monitor(id).ifPresent(m -> monitors.watch(id, m)));
      } catch (NoSuchFileException e) {
        // No container has run yet.
      } catch (IOException e) {
        throw new InternalException("cannot list the bundles: " + e.getMessage(), e);
      }
    } else {
      watcher.addListener(listener);
      monitors.addListener(unlessExitRecorded(listener));
    }
  }

  /**
   * {@code listener} for monitors' ends, told only of those that recorded no exit: conmon writes
   * the exit file before it ends, so the exit watcher has that exit, and the exit handling is not
   * run a second time for every container that stops.
   */
  private Consumer<ContainerId> unlessExitRecorded(Consumer<ContainerId> listener) {
    return id -> {
      if (exitCode(id).isEmpty()) {
        listener.accept(id);
      }
    };
  }

  private synchronized void watchMonitor(ContainerId id, MonitorProcess monitor) {
    if (monitors != null) {
      monitors.watch(id, monitor);
    }
  }

  /**
   * Listeners hear of an OOM kill in a container while it runs (on the watcher's thread: hand work
   * off). Containers created before, by this engine or an earlier one, are watched from now on.
   */
  @Override
  public synchronized void onOom(Consumer<ContainerId> listener) {
    if (oomWatcher == null) {
      Path root = paths.persistRoot();
      oomWatcher = new OomWatcher(root, OOM_FILE);
      oomWatcher.addListener(listener);
      oomWatcher.start();
      try (var dirs = Files.list(root)) {
        dirs.map(d -> d.getFileName().toString()).filter(ContainerId::isHex64)
            .forEach(hex -> oomWatcher.watch(new ContainerId(hex)));
      } catch (NoSuchFileException e) {
        // No container has run yet.
      } catch (IOException e) {
        throw new InternalException("cannot list " + root + ": " + e.getMessage(), e);
      }
    } else {
      oomWatcher.addListener(listener);
    }
  }

  private synchronized void watchOom(ContainerId id) {
    if (oomWatcher != null) {
      oomWatcher.watch(id);
    }
  }

  /**
   * Containers whose exit is already recorded. At engine start, call {@link #onExit} first and
   * then this, so that no exit falls between the two.
   */
  public List<ContainerId> recordedExits() {
    return ExitWatcher.recorded(paths.exits());
  }

  /**
   * Stops the exit watcher and removes the monitor cgroup, the primer's, and the cgroup parent where
   * nothing is left in them. Containers and their monitors keep running.
   */
  @Override
  public synchronized void close() {
    hubs.values().forEach(OutputHub::close);
    if (watcher != null) {
      watcher.close();
      watcher = null;
      monitors.close();
      monitors = null;
    }
    if (oomWatcher != null) {
      oomWatcher.close();
      oomWatcher = null;
    }
    primer.close();
    if (cgroups.removeIfUnused(MONITOR_CGROUP)) {
      cgroups.removeParentIfEmpty();
    }
  }

  /** The cgroup tree this runtime uses (for tests and diagnostics). */
  CgroupTree cgroups() {
    return cgroups;
  }

  // Made on every create (a few stat calls) rather than remembered: another engine instance's close
  // may have removed it while it was empty.
  private void ensureMonitorCgroup() {
    cgroups.create(MONITOR_CGROUP);
  }

  private RuntimeException cleanUpAfter(ContainerId id, RuntimeException failure) {
    try {
      delete(id);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /**
   * Waits for the container's conmon to exit once its container is gone, killing it (and what it
   * runs) if it lingers. A monitor whose start time the engine never wrote (it crashed, or the
   * create failed) is recognised by its command line, at its pid or, without a pid file, among
   * all processes.
   */
  private void awaitMonitorExit(ContainerId id) {
    Path bundle = paths.bundle(id.hex());
    OptionalInt pid = readInt(bundle.resolve(CONMON_PIDFILE));
    OptionalLong started = readLong(bundle.resolve(CONMON_START));
    Optional<MonitorProcesses.Monitor> monitor;
    if (pid.isPresent() && started.isPresent()) {
      monitor = Optional.of(new MonitorProcesses.Monitor(pid.getAsInt(), started.getAsLong(), id));
    } else if (pid.isPresent()) {
      monitor = MonitorProcesses.at(pid.getAsInt(), paths.exits()).filter(m -> m.id().equals(id));
    } else if (Files.isDirectory(bundle)) {
      monitor = MonitorProcesses.of(paths.exits()).stream().filter(m -> m.id().equals(id)).findFirst();
    } else {
      monitor = Optional.empty();
    }
    if (monitor.isEmpty()) {
      return;
    }
    var m = monitor.get();
    if (!Processes.awaitExit(m.pid(), m.startTime(), MONITOR_EXIT_TIMEOUT_MILLIS)) {
      LOG.log(Level.WARNING, "conmon {0} of {1} outlived its container; killing it", m.pid(), id.hex());
      if (!MonitorProcesses.kill(m)) {
        throw new InternalException("conmon " + m.pid() + " of " + id.hex() + " does not exit");
      }
    }
  }

  private record CliResult(int exit, String error) {}

  /** Runs the runtime with {@code input} on its stdin (none: /dev/null), in the engine's environment. */
  private CliResult cli(String hex, byte[] input, String... args) {
    OciRuntime runtime = placed(hex).runtime();
    var command = runtime.command(paths.runtimeState(), args);
    try {
      var outcome = Processes.run(Path.of(command.getFirst()), command, ENVIRONMENT, input);
      return new CliResult(outcome.exit(), OciRuntime.errorMessage(outcome.stderr()));
    } catch (IOException | ErrnoException e) {
      throw new InternalException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
  }

  private static OptionalInt readInt(Path file) {
    OptionalLong value = readLong(file);
    return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
  }

  private static OptionalLong readLong(Path file) {
    try {
      String text = Files.readString(file).strip();
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      throw new InternalException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

}
