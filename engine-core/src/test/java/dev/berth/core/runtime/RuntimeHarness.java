package dev.berth.core.runtime;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real containers for tests: a busybox rootfs, a short exec root under /tmp (conmon's attach
 * socket path must fit in 108 bytes) and a cgroup parent of its own. {@link #close} removes every
 * container, process, cgroup and file it made, even after failures.
 */
final class RuntimeHarness implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final Path root;
  final Path rootfs;
  final EnginePaths paths;
  final ConmonRuntime runtime;
  private final List<ContainerId> created = new CopyOnWriteArrayList<>();
  private final Map<ContainerId, CompletableFuture<Void>> exits = new ConcurrentHashMap<>();

  /** The runtime berthd would choose by default on this host. */
  static OciRuntime auto(EnginePaths paths) {
    return OciRuntime.select("auto", OciRuntime.Host.current(paths.execRoot()));
  }

  RuntimeHarness() throws IOException {
    String tag = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(4));
    root = Files.createDirectory(Path.of("/tmp/brt-" + tag));
    paths = new EnginePaths(root.resolve("data"), root.resolve("run"), "/berth-test-" + tag);
    try {
      rootfs = busyboxRootfs(root.resolve("rootfs"));
      runtime = new ConmonRuntime(paths, auto(paths), ConmonRuntime.findConmon(), "error");
    } catch (IOException | RuntimeException e) {
      deleteTree(root);
      throw e;
    }
    runtime.onExit(id -> exits.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(null));
  }

  static Path busyboxRootfs(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
    Process list = new ProcessBuilder("/bin/busybox", "--list").redirectErrorStream(true).start();
    for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
      }
    }
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
    for (String d : List.of("proc", "sys", "dev", "root")) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.createDirectories(dir.resolve("tmp"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    return dir;
  }

  ProcessSpec process(String... args) {
    return new ProcessSpec(List.of(args), List.of("PATH=/bin", "HOME=/root"), "/", 0, 0, List.of(), false, false, false, 0, 0);
  }

  RunSpec spec(ContainerId id, ProcessSpec process) {
    return spec(id, process, NetworkNamespace.PRIVATE);
  }

  RunSpec spec(ContainerId id, ProcessSpec process, NetworkNamespace network) {
    return new RunSpec(id, rootfs, false, process, "c" + id.shortId(), "", network, List.of(),
        DockerDefaults.CAPABILITIES, false, logPath(id), Resources.NONE, false);
  }

  Path logPath(ContainerId id) {
    return paths.container(id.hex()).resolve("ctr.log");
  }

  /** Creates (remembering it for cleanup). */
  MonitorProcess create(RunSpec spec) {
    created.add(spec.id());
    return runtime.create(spec);
  }

  /** Creates and starts {@code args} with a private network. */
  ContainerId run(String... args) {
    var id = ContainerId.random();
    create(spec(id, process(args)));
    runtime.start(id);
    return id;
  }

  /** Waits for the exit watcher to report {@code id}, then returns the recorded code. */
  int awaitExit(ContainerId id) throws Exception {
    exits.computeIfAbsent(id, k -> new CompletableFuture<>()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    OptionalInt code = runtime.exitCode(id);
    if (code.isEmpty()) {
      throw new AssertionError("exit reported but not recorded for " + id);
    }
    return code.getAsInt();
  }

  boolean exitReported(ContainerId id) {
    var f = exits.get(id);
    return f != null && f.isDone();
  }

  /** Deletes what tests created; used between tests and at the end. */
  void deleteAll() {
    var failures = new ArrayList<Throwable>();
    for (ContainerId id : created) {
      try {
        runtime.delete(id);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    created.clear();
    if (!failures.isEmpty()) {
      var e = new AssertionError("delete failed");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    Throwable failure = null;
    try {
      deleteAll();
    } catch (Throwable t) {
      failure = t;
    }
    try {
      runtime.close();
    } catch (Throwable t) {
      failure = failure == null ? t : failure;
    }
    // Whatever is left in our cgroups is ours: kill it, then remove the cgroups bottom-up.
    for (var h : runtime.cgroups().hierarchies()) {
      Path parent = h.mount().resolve(paths.cgroupParent().substring(1));
      if (!Files.isDirectory(parent)) {
        continue;
      }
      List<Path> dirs;
      try (Stream<Path> walk = Files.walk(parent)) {
        dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
      }
      for (Path dir : dirs) {
        killAll(dir);
        removeCgroup(dir);
      }
      failure = failure == null ? new AssertionError("cgroup left behind: " + parent) : failure;
    }
    deleteTree(root);
    if (failure instanceof Exception e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void killAll(Path cgroup) throws IOException {
    for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
      if (!line.isBlank()) {
        int pid = Integer.parseInt(line.strip());
        Processes.startTime(pid).ifPresent(start -> {
          Processes.signalIfSame(pid, start, 9);
          Processes.awaitExit(pid, start, 5000);
        });
      }
    }
  }

  private static void removeCgroup(Path dir) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("cannot remove cgroup " + dir, e);
        }
        Thread.onSpinWait();
      }
    }
  }
}
