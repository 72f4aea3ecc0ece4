package dev.berth.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A real berthd for a test: its own process, socket, data root, exec root and cgroup parent, all
 * under a fresh short directory in /tmp. {@link #close} removes every container, stops the
 * daemon and then checks that nothing is left: no conmon, mount or cgroup of this instance.
 */
final class BerthDaemon implements AutoCloseable {

  /** The packaged berthd the daemons run. */
  static final Path JAR = Path.of(System.getProperty("berth.jar", "target/engine-server.jar")).toAbsolutePath();
  /** The launcher's shell functions (the JVM flags, the AOT cache). */
  static final Path COMMON = Path.of("..", "packaging", "common.sh").toAbsolutePath().normalize();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  final Path dir;
  final Path socket;
  final Path dataRoot;
  final Path execRoot;
  final String cgroupParent;
  final Path log;
  /** The default bridge network's host interface, unique per instance so daemons never share one. */
  final String bridge;
  private final List<String> networkLeftovers = new ArrayList<>();
  private final DockerCli docker;
  private Process process;
  /** Launched as systemd would with socket activation: the socket bound first and passed as fd 3 ({@link #startActivated}). */
  private boolean activated;

  private BerthDaemon(Path dir) {
    this.dir = dir;
    this.socket = dir.resolve("run/berth.sock");
    this.dataRoot = dir.resolve("data");
    this.execRoot = dir.resolve("run");
    this.cgroupParent = "berth-it-" + dir.getFileName().toString().substring(3);
    this.log = dir.resolve("berthd.log");
    this.bridge = "bt" + dir.getFileName().toString().substring(3);
    this.docker = new DockerCli(socket, dir.resolve("docker-config"));
  }

  static BerthDaemon start() {
    return start(bridge -> { });
  }

  /**
   * Starts one as systemd's socket activation does, without systemd: a small launcher binds the
   * socket, puts it at fd 3, sets LISTEN_FDS and LISTEN_PID and execs berthd with {@code -H fd://}.
   * Returns as soon as the socket exists, while berthd may still be starting.
   */
  static BerthDaemon startActivated() {
    return start(bridge -> { }, true, false);
  }

  /** Starts one after {@code beforeLaunch} was given the default bridge's name, e.g. to make that interface first. */
  static BerthDaemon start(java.util.function.Consumer<String> beforeLaunch) {
    return start(beforeLaunch, false, false);
  }

  /**
   * Starts one that masquerades its bridges' outbound traffic (dockerd's default, --ip-masq), for a
   * test whose traffic leaves the bridge only for a namespace it made itself.
   */
  static BerthDaemon startMasquerading() {
    return start(bridge -> { }, false, true);
  }

  private static BerthDaemon start(java.util.function.Consumer<String> beforeLaunch, boolean activated,
      boolean masquerade) {
    String id = HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(ThreadLocalRandom.current().nextInt()).array());
    try {
      Path dir = Files.createDirectories(Path.of("/tmp/bt-" + id));
      Files.createDirectories(dir.resolve("docker-config"));
      // Tests keep container traffic on this machine: no masquerading out of the bridges, but for
      // a test that routes it only into a namespace of its own.
      Files.writeString(dir.resolve("daemon.json"), "{\"ip-masq\": " + masquerade + ", \"bridge\": \"bt" + id + "\"}");
      var d = new BerthDaemon(dir);
      d.activated = activated;
      beforeLaunch.accept(d.bridge);
      try {
        d.launch();
      } catch (AssertionError e) {
        // A berthd that never came up leaves nothing either (its log is in the message).
        d.close();
        throw e;
      }
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  DockerCli docker() {
    return docker;
  }

  long pid() {
    return process.pid();
  }

  /** Stops berthd with SIGTERM (or SIGKILL) and starts it again on the same state. */
  void restart(boolean kill) {
    restart(kill, () -> { });
  }

  /** Restarts berthd, doing {@code whileDown} while it is not running. */
  void restart(boolean kill, Runnable whileDown) {
    stopProcess(kill);
    whileDown.run();
    launch();
  }

  private List<String> command(Path socket, Path dataRoot, Path execRoot) {
    var cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(List.of("-jar", JAR.toString(),
        "-H", activated ? "fd://" : "unix://" + socket, "--data-root", dataRoot.toString(), "--exec-root",
        execRoot.toString(), "--cgroup-parent", cgroupParent, "--config-file", dir.resolve("daemon.json").toString(),
        "--log-level", "debug"));
    if (activated) {
      cmd.addAll(0, List.of("python3", "-c", SOCKET_ACTIVATION, socket.toString()));
    }
    return cmd;
  }

  /** The JVM flags ./berthd and the systemd unit run berthd with: packaging/common.sh's berthd_jvm_flags, for this JDK. */
  private static final List<String> JVM_FLAGS = jvmFlags();

  private static List<String> jvmFlags() {
    try {
      var pb = new ProcessBuilder("bash", "-c", ". \"$1\" && berthd_jvm_flags && printf '%s\\n' \"${BERTHD_JVM_FLAGS[@]}\"",
          "bash", COMMON.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process p = pb.start();
      List<String> flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      if (p.waitFor() != 0 || flags.isEmpty()) {
        throw new IllegalStateException("berthd_jvm_flags in " + COMMON + " failed");
      }
      return flags;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** systemd's side of socket activation (sd_listen_fds(3)): argv[1] the socket's path, the rest the daemon. */
  private static final String SOCKET_ACTIVATION = """
      import os, socket, sys
      os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
      s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      s.bind(sys.argv[1])
      s.listen(128)
      os.dup2(s.fileno(), 3)
      os.set_inheritable(3, True)
      os.environ["LISTEN_FDS"] = "1"
      os.environ["LISTEN_PID"] = str(os.getpid())
      os.execvp(sys.argv[2], sys.argv[2:])
      """;

  /** What a second berthd that ran to its end did: its exit status and its output. */
  record Run(int exit, String output) {}

  /**
   * Runs another berthd beside this one, with this one's settings but the given socket, data root
   * and exec root, until it exits (it is killed after a minute). For tests that it refuses to start.
   */
  Run runAnother(Path socket, Path dataRoot, Path execRoot) {
    try {
      Process other = new ProcessBuilder(command(socket, dataRoot, execRoot)).redirectErrorStream(true).start();
      var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      if (!other.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        other.destroyForcibly().waitFor();
        throw new AssertionError("the second berthd did not exit:\n" + output.join());
      }
      return new Run(other.exitValue(), output.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private void launch() {
    var cmd = command(socket, dataRoot, execRoot);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("berthd exited with " + process.exitValue() + ":\n" + logTail());
      }
      if (activated ? Files.exists(socket) : pings()) {
        return;
      }
      Poll.pause();
    }
    throw new AssertionError("berthd did not answer on " + socket + " within " + START_TIMEOUT + ":\n" + logTail());
  }

  /**
   * One raw HTTP exchange on its own connection; returns the status line, headers and body as
   * text. The body is read by its Content-Length, or its chunks, or to end of stream.
   */
  String http(String method, String path, String body) {
    String req = method + " " + path + " HTTP/1.1\r\nHost: berth\r\n"
        + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
        + "\r\n" + (body == null ? "" : body);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.UTF_8)));
      var in = new java.io.DataInputStream(new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(ch)));
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return head.toString();
        }
        head.append((char) b);
      }
      String h = head.toString();
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      var out = new java.io.ByteArrayOutputStream();
      var m = java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(lower);
      if (method.equals("HEAD")) {
        // no body
      } else if (m.find()) {
        out.write(in.readNBytes(Integer.parseInt(m.group(1))));
      } else if (lower.contains("transfer-encoding: chunked")) {
        while (true) {
          String size = readLine(in);
          int n = Integer.parseInt(size.strip(), 16);
          if (n == 0) {
            break;
          }
          out.write(in.readNBytes(n));
          readLine(in);
        }
      } else {
        in.transferTo(out);
      }
      return h + out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readLine(java.io.InputStream in) throws IOException {
    var line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      line.append((char) b);
    }
    return line.toString();
  }

  private boolean pings() {
    if (!Files.exists(socket)) {
      return false;
    }
    try {
      return http("GET", "/_ping", null).startsWith("HTTP/1.1 200");
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void stopProcess(boolean kill) {
    if (process == null || !process.isAlive()) {
      return;
    }
    if (kill) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Conmon processes of this instance (their command line names our exec root), by pid. */
  List<Long> monitors() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("conmon") && c.contains(execRoot.toString())).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  /** Mount points under this instance's directory. */
  List<String> mounts() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
      return lines.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(dir.toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cgroup directories of this instance in every hierarchy, below its parent. */
  List<Path> cgroups() {
    var out = new ArrayList<Path>();
    for (Path parent : cgroupParents()) {
      try (Stream<Path> walk = Files.walk(parent)) {
        walk.filter(Files::isDirectory).filter(p -> !p.equals(parent)).forEach(out::add);
      } catch (IOException e) {
        // vanished meanwhile
      }
    }
    return out;
  }

  private List<Path> cgroupParents() {
    var out = new ArrayList<Path>();
    try (Stream<Path> hierarchies = Files.list(CGROUP_ROOT)) {
      hierarchies.map(h -> h.resolve(cgroupParent)).filter(Files::isDirectory).forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      if (process != null && process.isAlive()) {
        var ids = docker.run("ps", "-aq").out().strip();
        if (!ids.isEmpty()) {
          var args = new ArrayList<>(List.of("rm", "-f"));
          args.addAll(List.of(ids.split("\\s+")));
          docker.run(args.toArray(String[]::new));
        }
        List<String> networks = docker.run("network", "ls", "-q").out().lines().toList();
        docker.run("network", "prune", "-f");
        networkLeftovers.addAll(attachedTo(bridge));
        networkLeftovers.addAll(leases());
        networkLeftovers.addAll(iptablesRulesOf(networks));
      }
    } finally {
      stopProcess(false);
      sweep();
    }
  }

  /**
   * What networking left after every container and network was removed: interfaces on the
   * default bridge, address leases, iptables rules naming one of this instance's networks.
   */
  List<String> networkLeftovers() {
    return networkLeftovers;
  }

  /** Address leases host-local still holds: files named after addresses in its per-network directories. */
  private List<String> leases() {
    Path ipam = execRoot.resolve("cni/ipam");
    if (!Files.isDirectory(ipam)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(ipam)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).map(n -> "lease " + n).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * iptables rules that name one of these networks: the CNI plugins' comments carry berth-<short id>,
   * the isolation rules the bridge br-<short id>.
   */
  private static List<String> iptablesRulesOf(List<String> networkShortIds) {
    List<String> names = networkShortIds.stream().flatMap(id -> Stream.of("berth-" + id, "br-" + id)).toList();
    if (names.isEmpty()) {
      return List.of();
    }
    try {
      Process p = new ProcessBuilder("iptables-save").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String rules = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      return rules.lines().filter(l -> names.stream().anyMatch(l::contains)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static List<String> attachedTo(String bridge) {
    Path brif = Path.of("/sys/class/net", bridge, "brif");
    if (!Files.isDirectory(brif)) {
      return List.of();
    }
    try (Stream<Path> ports = Files.list(brif)) {
      return ports.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes what a failed test may have left; only this instance's own things are touched. */
  private void sweep() {
    dev.berth.core.os.Interfaces.deleteBridge(bridge);
    dev.berth.core.network.BridgeRules.remove(bridge);
    for (long pid : monitors()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    Poll.until("monitors of " + dir + " to exit", Duration.ofSeconds(10), () -> monitors().isEmpty());
    List<String> mounts = new ArrayList<>(mounts());
    mounts.sort(Comparator.comparingInt(String::length).reversed());
    for (String m : mounts) {
      exec("umount", "-l", m);
    }
    for (Path parent : cgroupParents()) {
      try (Stream<Path> walk = Files.walk(parent)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> exec("rmdir", p.toString()));
      } catch (IOException e) {
        // gone already
      }
    }
    exec("rm", "-rf", dir.toString());
  }

  private static void exec(String... cmd) {
    try {
      new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
