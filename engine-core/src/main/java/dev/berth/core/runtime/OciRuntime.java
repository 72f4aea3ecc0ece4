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
 */
public record OciRuntime(String name, Path binary, List<String> globalArgs) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger(OciRuntime.class.getName());
  // runc and crun both understand it; errors then arrive as {"level":"error","msg":...} lines.
  private static final List<String> JSON_ERRORS = List.of("--log-format=json");

  public OciRuntime {
    globalArgs = List.copyOf(globalArgs);
  }

  /** What auto-selection looks at on the host. */
  record Host(boolean pureCgroupV2, Function<String, Optional<Path>> onPath) {
    static Host current() {
      return new Host(isCgroup2(Path.of("/sys/fs/cgroup")), Executables::onPath);
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
   * takes crun on a pure cgroup v2 host (it is the faster) and runc otherwise: crun 1.8 refuses
   * hybrid hosts, which have v1 controllers beside a cgroup2 tree.
   *
   * @throws InvalidArgumentException if the runtime cannot be found
   */
  public static OciRuntime select(String requested) {
    return select(requested, Host.current());
  }

  static OciRuntime select(String requested, Host host) {
    if (requested.startsWith("/")) {
      Path binary = Path.of(requested);
      if (!Files.isExecutable(binary)) {
        throw new InvalidArgumentException("OCI runtime " + requested + " is not an executable file");
      }
      return new OciRuntime(binary.getFileName().toString(), binary, List.of());
    }
    if (requested.equals("runc") || requested.equals("crun")) {
      return new OciRuntime(requested, host.onPath().apply(requested)
          .orElseThrow(() -> new InvalidArgumentException("OCI runtime " + requested + " not found in PATH")), JSON_ERRORS);
    }
    if (!requested.equals("auto")) {
      throw new InvalidArgumentException("unknown OCI runtime " + requested + ": use auto, runc, crun or an absolute path");
    }
    Optional<Path> crun = host.onPath().apply("crun");
    Optional<Path> runc = host.onPath().apply("runc");
    if (host.pureCgroupV2() && crun.isPresent()) {
      LOG.log(Level.INFO, "OCI runtime: crun ({0}), the host has a pure cgroup v2 hierarchy", crun.get());
      return new OciRuntime("crun", crun.get(), JSON_ERRORS);
    }
    if (runc.isPresent()) {
      String why = host.pureCgroupV2()
          ? "crun is not installed"
          : "the host has cgroup v1 hierarchies, which crun does not support beside a cgroup2 tree";
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
   * (also as containerd's {@code io.containerd.runc.v2}) when installed, and crun on a pure cgroup
   * v2 host, the only kind crun 1.8 runs on.
   */
  public static java.util.Map<String, OciRuntime> builtIn() {
    return builtIn(Host.current());
  }

  static java.util.Map<String, OciRuntime> builtIn(Host host) {
    var found = new java.util.LinkedHashMap<String, OciRuntime>();
    host.onPath().apply("runc").ifPresent(runc -> {
      found.put("runc", new OciRuntime("runc", runc, JSON_ERRORS));
      found.put("io.containerd.runc.v2", new OciRuntime("io.containerd.runc.v2", runc, JSON_ERRORS));
    });
    if (host.pureCgroupV2()) {
      host.onPath().apply("crun").ifPresent(crun -> found.put("crun", new OciRuntime("crun", crun, JSON_ERRORS)));
    }
    return found;
  }

  /** The command line for one runtime call: binary, global args, {@code --root}, then {@code args}. */
  public List<String> command(Path stateRoot, String... args) {
    var command = new ArrayList<String>();
    command.add(binary.toString());
    command.addAll(globalArgs);
    command.add("--root=" + stateRoot);
    command.addAll(List.of(args));
    return command;
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
    var args = new ArrayList<>(globalArgs);
    args.add("--root=" + stateRoot);
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
}
