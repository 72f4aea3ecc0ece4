package dev.berth.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.StartRefusedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An OCI runtime binary and the global arguments it is always called with.
 *
 * @param name {@code runc}, {@code crun} or the file name of a custom binary
 * @param globalArgs arguments before the subcommand on every call (the engine adds {@code --root})
 * @param hider for crun on a hybrid cgroup host, {@link Cgroup2Hider}'s program, through which every
 *     call goes, and what it becomes: {@code binary}, or a sealed copy of it the engine holds
 *     ({@link Cgroup2Hider#install}), which crun takes as the clone of itself it would otherwise
 *     make on every call; empty for a runtime called directly
 */
public record OciRuntime(String name, Path binary, List<String> globalArgs, Optional<Cgroup2Hider.Installed> hider) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger(OciRuntime.class.getName());
  // runc and crun both understand it; errors then arrive as {"level":"error","msg":...} lines.
  private static final List<String> JSON_ERRORS = List.of("--log-format=json");

  public OciRuntime {
    globalArgs = List.copyOf(globalArgs);
  }

  /** A runtime called directly. */
  public OciRuntime(String name, Path binary, List<String> globalArgs) {
    this(name, binary, globalArgs, Optional.empty());
  }

  /**
   * What auto-selection looks at on the host.
   *
   * @param hybrid v1 hierarchies beside a cgroup2 tree, the layout {@link Cgroup2Hider} handles
   * @param hider installs the hider's program for a crun binary and checks crun runs through it:
   *     the program and what it executes (crun's sealed copy, or crun), empty if crun does not run
   */
  public record Host(boolean pureCgroupV2, boolean hybrid, Function<String, Optional<Path>> onPath,
      Function<Path, Optional<Cgroup2Hider.Installed>> hider) {

    Host(boolean pureCgroupV2, Function<String, Optional<Path>> onPath) {
      this(pureCgroupV2, false, onPath, crun -> Optional.empty());
    }

    /**
     * The host berthd runs on; the hider's program is installed and tried at most once per crun,
     * with one {@code --version} of crun's sealed copy through it.
     *
     * @param helperDir where the hider's program is written (the exec root)
     */
    public static Host current(Path helperDir) {
      var installed = new java.util.HashMap<Path, Optional<Cgroup2Hider.Installed>>();
      return new Host(isCgroup2(Path.of("/sys/fs/cgroup")), Cgroup2Hider.hybridHost(), Executables::onPath,
          crun -> installed.computeIfAbsent(crun, c -> Cgroup2Hider.install(helperDir, c)));
    }

    /** crun, called directly on a pure cgroup v2 host, through the hider on a hybrid one; empty elsewhere. */
    Optional<OciRuntime> crun() {
      Optional<Path> crun = onPath.apply("crun");
      if (crun.isEmpty()) {
        return Optional.empty();
      }
      if (pureCgroupV2) {
        return Optional.of(new OciRuntime("crun", crun.get(), JSON_ERRORS));
      }
      if (hybrid) {
        return hider.apply(crun.get()).map(h -> new OciRuntime("crun", crun.get(), JSON_ERRORS, Optional.of(h)));
      }
      return Optional.empty();
    }

    private static boolean isCgroup2(Path mount) {
      try {
        FileStore store = Files.getFileStore(mount);
        return store.type().equals("cgroup2");
      } catch (IOException e) {
        return false;
      }
    }
  }

  /**
   * {@code auto}, {@code runc}, {@code crun} or an absolute path to a runtime binary. {@code auto}
   * takes crun where it runs (it is the faster): on a pure cgroup v2 host, and on a hybrid host
   * (v1 controllers beside a cgroup2 tree, which crun 1.8 refuses) through {@link Cgroup2Hider};
   * runc otherwise.
   *
   * @throws InvalidArgumentException if the runtime cannot be found
   */
  public static OciRuntime select(String requested, Host host) {
    if (requested.startsWith("/")) {
      Path binary = Path.of(requested);
      if (!Files.isExecutable(binary)) {
        throw new InvalidArgumentException("OCI runtime " + requested + " is not an executable file");
      }
      return new OciRuntime(binary.getFileName().toString(), binary, List.of());
    }
    if (requested.equals("crun")) {
      Optional<OciRuntime> crun = host.crun();
      if (crun.isPresent()) {
        return crun.get();
      }
    }
    if (requested.equals("runc") || requested.equals("crun")) {
      return new OciRuntime(requested, host.onPath().apply(requested)
          .orElseThrow(() -> new InvalidArgumentException("OCI runtime " + requested + " not found in PATH")), JSON_ERRORS);
    }
    if (!requested.equals("auto")) {
      throw new InvalidArgumentException("unknown OCI runtime " + requested + ": use auto, runc, crun or an absolute path");
    }
    Optional<OciRuntime> runs = host.crun();
    if (runs.isPresent()) {
      OciRuntime crun = runs.get();
      LOG.log(Level.INFO, "OCI runtime: crun ({0}), {1}", crun.binary(), crun.hider().isPresent()
          ? "in a mount namespace without the host's cgroup2 tree (" + crun.hider().get().program() + ")"
          : "the host has a pure cgroup v2 hierarchy");
      return crun;
    }
    Optional<Path> crun = host.onPath().apply("crun");
    Optional<Path> runc = host.onPath().apply("runc");
    if (runc.isPresent()) {
      String why = crun.isEmpty() ? "crun is not installed" : host.hybrid()
          ? "crun does not run through " + Cgroup2Hider.PROGRAM + " here"
          : "crun is taken on a pure cgroup v2 host or a hybrid one only";
      LOG.log(Level.INFO, "OCI runtime: runc ({0}), {1}", runc.get(), why);
      return new OciRuntime("runc", runc.get(), JSON_ERRORS);
    }
    if (crun.isPresent()) {
      LOG.log(Level.WARNING, "OCI runtime: crun ({0}), runc is not installed; crun may refuse this cgroup v1 host",
          crun.get());
      return new OciRuntime("crun", crun.get(), JSON_ERRORS);
    }
    throw new InvalidArgumentException("no OCI runtime found: install runc or crun");
  }

  /**
   * A runtime the daemon's configuration names ({@code runtimes} in daemon.json,
   * {@code --add-runtime}): its binary (absolute, or found on PATH) called with its own arguments.
   */
  public static OciRuntime configured(String name, String path, List<String> runtimeArgs) {
    Path binary = path.startsWith("/") ? Path.of(path) : Executables.onPath(path).orElse(Path.of(path));
    return new OciRuntime(name, binary, runtimeArgs);
  }

  /**
   * The runtimes a container may name beside the default, as dockerd offers them: its stock runc
   * (also as containerd's {@code io.containerd.runc.v2}) when installed, and crun where it runs
   * (see {@link #select(String, Host)}).
   */
  public static java.util.Map<String, OciRuntime> builtIn(Host host) {
    var found = new java.util.LinkedHashMap<String, OciRuntime>();
    host.onPath().apply("runc").ifPresent(runc -> {
      found.put("runc", new OciRuntime("runc", runc, JSON_ERRORS));
      found.put("io.containerd.runc.v2", new OciRuntime("io.containerd.runc.v2", runc, JSON_ERRORS));
    });
    host.crun().ifPresent(crun -> found.put("crun", crun));
    return found;
  }

  /** The command line for one runtime call: binary, global args, {@code --root}, then {@code args}. */
  public List<String> command(Path stateRoot, String... args) {
    var command = new ArrayList<String>();
    command.add(program().toString());
    command.addAll(globalArgs(stateRoot));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Whether the container's seccomp filter goes to this runtime compiled as well (crun: see
   * {@link OciSpecBuilder#toJson(RunSpec, java.util.function.Function)}).
   */
  boolean loadsCompiledSeccomp() {
    return crun();
  }

  private boolean crun() {
    return binary.getFileName().toString().equals("crun");
  }

  /** What is run: the runtime's binary, or the hider that becomes it. */
  Path program() {
    return hider.map(Cgroup2Hider.Installed::program).orElse(binary);
  }

  /**
   * The runtime's own words from what it wrote on stderr. With {@code --log-format=json} runc and
   * crun write one object per line; the last error's {@code msg} is what a user should read.
   * Anything else is passed on as it came.
   */
  static String errorMessage(String stderr) {
    String found = null;
    for (String line : stderr.split("\n")) {
      try {
        JsonNode node = JSON.readTree(line);
        if (node != null && node.isObject() && node.has("msg") && node.path("level").asText("error").equals("error")) {
          found = node.get("msg").asText();
        }
      } catch (IOException e) {
        // Not a log object: keep looking, fall back to the raw text.
      }
    }
    return found != null ? found : stderr.strip();
  }

  /** Global arguments as conmon passes them on ({@code --runtime-arg} each). */
  List<String> globalArgs(Path stateRoot) {
    var args = new ArrayList<String>();
    hider.ifPresent(h -> args.add(Cgroup2Hider.RUNTIME_OPTION + h.executes()));
    args.addAll(globalArgs);
    args.add("--root=" + stateRoot);
    return args;
  }

  /**
   * Global arguments for the call that creates a container whose cgroup2 directory is
   * {@code cgroup2}: through the hider, it places the container there; a runtime called directly
   * places it itself.
   */
  List<String> createArgs(Path stateRoot, Path cgroup2) {
    var args = globalArgs(stateRoot);
    if (hider.isPresent()) {
      args.add(0, Cgroup2Hider.CGROUP2_OPTION + cgroup2);
    }
    return args;
  }

  /**
   * A runtime's refusal to create a container, typed once here, where its words are read: the exit
   * code dockerd records for them (moby translateContainerdStartErr: 127 for a command or file
   * not found, 126 for one that cannot be run, 128 for anything else).
   */
  static StartRefusedException refusal(String runtimeError) {
    int code = runtimeError.contains("executable file not found") || runtimeError.contains("no such file or directory")
        ? 127 : runtimeError.contains("permission denied") ? 126 : 128;
    return new StartRefusedException(runtimeError, code);
  }

  /**
   * As {@link #refusal(String)}, with crun's words put as runc puts them (see {@link CrunWords}).
   *
   * @param executable the first argument of the container's process
   */
  StartRefusedException refusal(String runtimeError, String executable) {
    if (!crun()) {
      return refusal(runtimeError);
    }
    return refusal(CrunWords.asRunc(runtimeError, executable).map(words -> name + " create failed: " + words)
        .orElse(runtimeError));
  }
}
