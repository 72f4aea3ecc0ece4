package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.logs.ContainerLogs;
import dev.berth.core.logs.LogEntry;
import dev.berth.core.logs.LogQuery;
import dev.berth.core.logs.StdStream;
import dev.berth.core.os.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real containers through conmon and runc (crun on a pure cgroup v2 host); needs root. */
class ConmonRuntimeTest extends RealContainerTest {


  /** Everything the container wrote, by stream, read through attach until end of output. */
  record Output(String stdout, String stderr) {}

  static Output readAll(AttachChannel channel) throws IOException {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    for (var chunk = channel.read(); chunk != null; chunk = channel.read()) {
      (chunk.stream() == StdStream.STDERR ? err : out).write(chunk.data());
    }
    return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aWarmUpCompilesTheFilterADefaultContainerGetsAndKeepsIt() {
    var profile = dev.berth.core.seccomp.SeccompProfile.builtin();
    assertFalse(h.runtime.compiled(profile, DockerDefaults.CAPABILITIES));
    h.runtime.warmUp(profile, DockerDefaults.CAPABILITIES);
    assertTrue(h.runtime.compiled(profile, DockerDefaults.CAPABILITIES), "found compiled by the first run");
    assertFalse(h.runtime.compiled(profile, List.of("CAP_SYS_ADMIN")), "a filter of other capabilities is another");
  }

  @Test
  void stdoutAndStderrArriveApartThroughAttachAndInTheLog() throws Exception {
    var id = ContainerId.random();
    h.create(h.spec(id, h.process("sh", "-c", "echo out; echo err >&2; echo out2")));
    try (var channel = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      var output = readAll(channel);
      assertEquals("out\nout2\n", output.stdout());
      assertEquals("err\n", output.stderr());
    }
    assertEquals(0, h.awaitExit(id));
    var entries = new ArrayList<LogEntry>();
    ContainerLogs.read(h.logPath(id), LogQuery.all(), () -> false, entries::add);
    var stdout = entries.stream().filter(e -> e.stream() == StdStream.STDOUT).map(e -> new String(e.data())).toList();
    var stderr = entries.stream().filter(e -> e.stream() == StdStream.STDERR).map(e -> new String(e.data())).toList();
    assertEquals(List.of("out\n", "out2\n"), stdout);
    assertEquals(List.of("err\n"), stderr);
  }

  @Test
  void theSpecIsWhatTheContainerSees() throws Exception {
    Path shared = Files.createDirectories(h.root.resolve("shared"));
    Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(shared.resolve("greeting"), "hi from the host\n");
    Path hostsFile = Files.writeString(h.root.resolve("hosts"), "127.0.0.1 localhost\n");
    var id = ContainerId.random();
    String script = String.join("; ",
        "hostname", "cat /proc/sys/kernel/domainname", "id -u", "id -g", "id -G", "pwd", "echo $GREETING",
        "cat /mnt/greeting", "touch /mnt/rw && echo rw-ok", "cat /etc/hosts", "touch /etc/hosts 2>/dev/null || echo hosts-ro",
        "touch /root-write 2>/dev/null || echo root-ro", "ulimit -n", "wc -c < /proc/interrupts", "grep CapEff /proc/self/status",
        "touch /proc/sysrq-trigger 2>/dev/null || echo sysrq-ro", "df -k /dev/shm | tail -1");
    var process = new ProcessSpec(List.of("sh", "-c", script), List.of("PATH=/bin", "GREETING=hello"), "/tmp", 1000, 1000,
        List.of(2000, 3000), false, false, false, 0, 0);
    var spec = new RunSpec(id, h.rootfs, true, process, "web-1", "example.org", NetworkNamespace.PRIVATE,
        List.of(new BindMount(shared, "/mnt", false), new BindMount(hostsFile, "/etc/hosts", true)),
        DockerDefaults.CAPABILITIES, false, h.logPath(id), Resources.NONE, false);
    h.create(spec);
    Output output;
    try (var channel = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      output = readAll(channel);
    }
    var lines = output.stdout().split("\n");
    assertEquals("web-1", lines[0]);
    assertEquals("example.org", lines[1]);
    assertEquals("1000", lines[2]);
    assertEquals("1000", lines[3]);
    assertEquals("1000 2000 3000", lines[4]);
    assertEquals("/tmp", lines[5]);
    assertEquals("hello", lines[6]);
    assertEquals("hi from the host", lines[7]);
    assertEquals("rw-ok", lines[8]);
    assertEquals("127.0.0.1 localhost", lines[9]);
    assertEquals("hosts-ro", lines[10]);
    assertEquals("root-ro", lines[11]);
    assertEquals(Long.toString(Math.min(1048576, HostLimits.current().hardLimit("RLIMIT_NOFILE"))), lines[12]);
    assertEquals("0", lines[13].strip(), "/proc/interrupts is masked");
    assertEquals("CapEff:\t0000000000000000", lines[14], "a non-root user has no effective capabilities");
    assertEquals("sysrq-ro", lines[15]);
    assertTrue(lines[16].matches("shm\\s+65536\\s.*"), lines[16]);
    assertEquals(0, h.awaitExit(id), output.stderr());
  }

  @Test
  void aPrivilegedContainerGetsTheEnginesBoundingSet() throws Exception {
    var id = ContainerId.random();
    var spec = new RunSpec(id, h.rootfs, false, h.process("sh", "-c", "grep CapEff /proc/self/status; wc -c < /proc/interrupts"),
        "p", "", NetworkNamespace.PRIVATE, List.of(), DockerDefaults.CAPABILITIES, true, h.logPath(id), Resources.NONE,
        false);
    h.create(spec);
    Output output;
    try (var channel = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      output = readAll(channel);
    }
    String ownBounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).strip();
    var lines = output.stdout().split("\n");
    assertEquals("CapEff:\t" + ownBounding, lines[0]);
    assertNotEquals("0", lines[1].strip(), "nothing masked");
    assertEquals(0, h.awaitExit(id));
  }

  @Test
  void anExecRootTooLongForTheAttachSocketIsRefused() {
    var paths = new dev.berth.core.config.EnginePaths(h.root, Path.of("/tmp/" + "x".repeat(40)), "/berth-unused");
    assertThrows(InvalidArgumentException.class,
        () -> new ConmonRuntime(paths, RuntimeHarness.auto(h.paths), ConmonRuntime.findConmon(), "error"));
  }

  @Test
  void exitCodesAreRecorded() throws Exception {
    var zero = h.run("true");
    var fortyTwo = h.run("sh", "-c", "exit 42");
    assertEquals(0, h.awaitExit(zero));
    assertEquals(42, h.awaitExit(fortyTwo));
    assertFalse(h.runtime.signal(zero, 9), "an exited container is not signalled");
  }

  @Test
  void aPrimedStartMovesOnlyThePrimersOwnThreadWithinItsOwnCgroup() throws Exception {
    h.runtime.startBegins();
    Path tasks = h.runtime.cgroups().threadDir(CgroupMovePrimer.CGROUP).orElseThrow().resolve("tasks");
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (!Files.exists(tasks) || Files.readAllLines(tasks).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the primer's thread never parked in " + tasks);
      Thread.sleep(5);
    }
    List<String> parked = Files.readAllLines(tasks);
    assertEquals(1, parked.size(), "one thread: " + parked);
    assertTrue(Files.isDirectory(Path.of("/proc/self/task", parked.getFirst())), "a thread of the engine");
    h.runtime.startBegins();
    var zero = h.run("true");
    h.runtime.startBegins();
    assertEquals(0, h.awaitExit(zero));
    assertEquals(parked, Files.readAllLines(tasks), "primes move nothing; no container process joins");
    // close() (the harness's) ends the thread and removes the cgroup; the harness checks nothing is left.
  }

  @Test
  void aMissingExecutableIsTheCallersErrorInTheRuntimesWords() {
    var id = ContainerId.random();
    var e = assertThrows(StartRefusedException.class, () -> h.create(h.spec(id, h.process("nosuch"))));
    assertTrue(e.getMessage().contains("executable file not found"), e.getMessage());
    assertEquals(127, e.exitCode(), "what dockerd records for a command not found");
    assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
    assertFalse(Files.exists(h.paths.bundle(id.hex())), "a failed create leaves no bundle");
    assertTrue(h.runtime.cgroups().existing(id.hex()).isEmpty());
  }

  @Test
  void aBadWorkingDirectoryIsTheCallersError() {
    var id = ContainerId.random();
    var p = h.process("true");
    // runc makes a missing working directory (as Docker does); a file in its place is an error.
    var process = new ProcessSpec(p.args(), p.env(), "/etc/passwd", 0, 0, List.of(), false, false, false, 0, 0);
    var e = assertThrows(StartRefusedException.class, () -> h.create(h.spec(id, process)));
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    assertEquals(128, e.exitCode());
  }

  @Test
  void stdinOnceEndsWhenTheClientClosesStdin() throws Exception {
    var id = ContainerId.random();
    var process = new ProcessSpec(List.of("cat"), List.of("PATH=/bin"), "/", 0, 0, List.of(), false, true, true, 0, 0);
    h.create(h.spec(id, process));
    try (var channel = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      byte[] input = "hello\nworld\n".getBytes();
      channel.writeStdin(input, 0, input.length);
      channel.closeStdin();
      assertEquals(new Output("hello\nworld\n", ""), readAll(channel));
    }
    assertEquals(0, h.awaitExit(id));
  }

  @Test
  void clientsWithoutStdinComingAndGoingLeaveAStdinOnceContainersInputOpen() throws Exception {
    var id = ContainerId.random();
    var process = new ProcessSpec(List.of("cat"), List.of("PATH=/bin"), "/", 0, 0, List.of(), false, true, true, 0, 0);
    h.create(h.spec(id, process));
    try (var withStdin = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      try (var watcher = h.runtime.attach(id, false)) {
        withStdin.writeStdin("one\n".getBytes(), 0, 4);
        assertEquals("one\n", new String(watcher.read().data()));
      }
      try (var another = h.runtime.attach(id, false)) {
        withStdin.writeStdin("two\n".getBytes(), 0, 4);
        assertEquals("two\n", new String(another.read().data()));
        withStdin.closeStdin();
        assertEquals(null, another.read(), "output ends with the container");
      }
      assertEquals(new Output("one\ntwo\n", ""), readAll(withStdin));
    }
    assertEquals(0, h.awaitExit(id));
  }

  @Test
  void stdinKeptOpenSurvivesADetachedClient() throws Exception {
    var id = ContainerId.random();
    var process = new ProcessSpec(List.of("sh", "-c", "read a; read b; echo $a$b"), List.of("PATH=/bin"), "/", 0, 0,
        List.of(), false, true, false, 0, 0);
    h.create(h.spec(id, process));
    try (var first = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      first.writeStdin("one\n".getBytes(), 0, 4);
    }
    try (var second = h.runtime.attach(id, true)) {
      second.writeStdin("two\n".getBytes(), 0, 4);
      assertEquals("onetwo\n", readAll(second).stdout());
    }
    assertEquals(0, h.awaitExit(id));
  }

  @Test
  void aTerminalHasAPtyAndFollowsResizes() throws Exception {
    var id = ContainerId.random();
    var process = new ProcessSpec(List.of("sh", "-c", "tty; while :; do stty size; read -t 0.2 x && exit 7; done"),
        List.of("PATH=/bin", "TERM=xterm"), "/", 0, 0, List.of(), true, true, false, 0, 0);
    h.create(h.spec(id, process));
    try (var channel = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      h.runtime.resize(id, 30, 90);
      var seen = new StringBuilder();
      while (!seen.toString().contains("30 90")) {
        var chunk = channel.read();
        assertTrue(chunk != null, "output ended before the resize showed: " + seen);
        assertEquals(StdStream.STDOUT, chunk.stream(), "a terminal has one output stream");
        seen.append(new String(chunk.data(), StandardCharsets.UTF_8));
      }
      assertTrue(seen.toString().startsWith("/dev/pts/"), seen.toString());
      assertTrue(seen.toString().contains("\r\n"), "the pty translates newlines");
      channel.writeStdin("\n".getBytes(), 0, 1);
      readAll(channel);
    }
    assertEquals(7, h.awaitExit(id));
  }

  @Test
  void aTerminalStartsWithTheRequestedSize() throws Exception {
    var id = ContainerId.random();
    var process = new ProcessSpec(List.of("stty", "size"), List.of("PATH=/bin"), "/", 0, 0, List.of(), true, false, false,
        40, 100);
    h.create(h.spec(id, process));
    try (var channel = h.runtime.attach(id, true)) {
      h.runtime.start(id);
      assertEquals("40 100\r\n", readAll(channel).stdout());
    }
    assertEquals(0, h.awaitExit(id));
  }

  @Test
  void signalsEndTheContainer() throws Exception {
    var killed = h.run("sleep", "100");
    var terminated = h.run("sh", "-c", "trap 'exit 143' TERM; echo trapped; while :; do sleep 0.05; done");
    assertTrue(h.runtime.signal(killed, 9));
    assertEquals(137, h.awaitExit(killed));
    // The shell is the namespace's init: a TERM before its trap is set would be dropped.
    ConmonControlTest.eventually("the trap is set", () -> ConmonControlTest.size(h.logPath(terminated)) > 0);
    assertTrue(h.runtime.signal(terminated, 15));
    assertEquals(143, h.awaitExit(terminated));
    assertFalse(h.runtime.signal(killed, 9));
  }

  @Test
  void onExitFiresAndRecordedExitsListIt() throws Exception {
    var id = h.run("true");
    h.awaitExit(id);
    assertTrue(h.exitReported(id));
    assertTrue(h.runtime.recordedExits().contains(id));
  }

  @Test
  void conmonLivesOnItsOwnInTheEnginesCgroup() throws Exception {
    var id = ContainerId.random();
    var monitor = h.create(h.spec(id, h.process("sleep", "100")));
    assertNotEquals(ProcessHandle.current().pid(), parentOf(monitor.monitorPid()), "conmon is not the JVM's child");
    assertTrue(h.runtime.monitorAlive(monitor));
    var cgroups = Files.readString(Path.of("/proc/" + monitor.monitorPid() + "/cgroup"));
    for (String line : cgroups.split("\n")) {
      assertTrue(line.endsWith(h.paths.cgroupParent() + "/conmon"), "conmon's cgroup: " + line);
    }
    var containerCgroups = Files.readString(Path.of("/proc/" + monitor.pid() + "/cgroup"));
    assertTrue(containerCgroups.contains(h.paths.cgroupParent() + "/" + id.hex()), containerCgroups);
    assertEquals(monitor, h.runtime.monitor(id).orElseThrow());
    try (var fds = Files.list(Path.of("/proc/" + monitor.monitorPid() + "/fd"))) {
      for (Path fd : fds.toList()) {
        String target = Files.readSymbolicLink(fd).toString();
        assertFalse(target.endsWith(".jar") || target.contains("surefire"), "conmon inherited a JVM fd: " + target);
      }
    }

    h.runtime.attach(id, true).close();
    h.runtime.start(id);
    h.runtime.attach(id, true).close();
    assertTrue(h.runtime.monitorAlive(monitor), "conmon outlives its attach clients");
    assertTrue(h.runtime.exitCode(id).isEmpty());
    assertTrue(h.runtime.signal(id, 9));
    assertEquals(137, h.awaitExit(id));
    assertTrue(Processes.awaitExit(monitor.monitorPid(), monitor.monitorStartTime(), 10_000));
    assertFalse(h.runtime.monitorAlive(monitor));
  }

  @Test
  void aNewEngineInstanceTakesOverRunningContainers() throws Exception {
    var id = ContainerId.random();
    var process = new ProcessSpec(List.of("sh", "-c", "read x; echo got:$x; exit 5"), List.of("PATH=/bin"), "/", 0, 0,
        List.of(), false, true, true, 0, 0);
    var monitor = h.create(h.spec(id, process));
    h.runtime.start(id);
    new ConmonRuntime(h.paths, RuntimeHarness.auto(h.paths), ConmonRuntime.findConmon(), "error").close();
    assertFalse(h.runtime.cgroups().existing("conmon").isEmpty(), "an engine shutting down keeps a live monitor's cgroup");
    try (var restarted = new ConmonRuntime(h.paths, RuntimeHarness.auto(h.paths), ConmonRuntime.findConmon(), "error")) {
      var exits = new java.util.concurrent.LinkedBlockingQueue<ContainerId>();
      restarted.onExit(exits::add);
      assertEquals(monitor, restarted.monitor(id).orElseThrow());
      assertTrue(restarted.monitorAlive(monitor));
      assertFalse(restarted.recordedExits().contains(id));
      try (var channel = restarted.attach(id, true)) {
        channel.writeStdin("hi\n".getBytes(), 0, 3);
        channel.closeStdin();
        assertEquals("got:hi\n", readAll(channel).stdout());
      }
      assertEquals(id, exits.poll(20, TimeUnit.SECONDS));
      assertEquals(5, restarted.exitCode(id).orElseThrow());
    }
  }

  @Test
  void deleteLeavesNothingBehind() throws Exception {
    var id = ContainerId.random();
    var monitor = h.create(h.spec(id, h.process("sleep", "100")));
    h.runtime.start(id);
    long initStart = Processes.startTime(monitor.pid()).orElseThrow();
    assertFalse(h.runtime.cgroups().existing(id.hex()).isEmpty());

    h.runtime.delete(id);

    assertFalse(Files.exists(h.paths.bundle(id.hex())));
    assertFalse(Files.exists(h.paths.exits().resolve(id.hex())));
    assertFalse(Files.exists(h.paths.persist(id.hex())));
    assertFalse(Files.exists(h.paths.sockets().resolve(id.hex()), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(h.paths.runtimeState().resolve(id.hex())));
    assertEquals(List.of(), h.runtime.cgroups().existing(id.hex()));
    assertFalse(h.runtime.monitorAlive(monitor));
    assertTrue(Processes.awaitExit(monitor.pid(), initStart, 1));
    h.runtime.delete(id);
    assertThrows(ConflictException.class, () -> h.runtime.resize(id, 10, 10));
  }

  @Test
  void privateNetworkHasOnlyLoopbackAndHostNetworkIsTheHosts() throws Exception {
    var priv = ContainerId.random();
    h.create(h.spec(priv, h.process("ip", "-o", "link", "show")));
    var host = ContainerId.random();
    h.create(h.spec(host, h.process("ls", "/sys/class/net"), NetworkNamespace.HOST));
    String privateLinks;
    String hostLinks;
    try (var a = h.runtime.attach(priv, true); var b = h.runtime.attach(host, true)) {
      h.runtime.start(priv);
      h.runtime.start(host);
      privateLinks = readAll(a).stdout();
      hostLinks = readAll(b).stdout();
    }
    var lines = privateLinks.strip().split("\n");
    assertEquals(1, lines.length, privateLinks);
    assertTrue(lines[0].contains(": lo: <LOOPBACK,UP"), privateLinks);
    List<String> hostNames;
    try (var names = Files.list(Path.of("/sys/class/net"))) {
      hostNames = names.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(hostNames, Arrays.stream(hostLinks.strip().split("\\s+")).sorted().toList());
  }

  @Test
  void twelveContainersStartInParallel() throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new ArrayList<CompletableFuture<Integer>>();
      for (int i = 0; i < 12; i++) {
        futures.add(CompletableFuture.supplyAsync(() -> {
          try {
            return h.awaitExit(h.run("sh", "-c", "exit $(( $(hostname | wc -c) > 0 ? 3 : 1 ))"));
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }, pool));
      }
      for (var f : futures) {
        assertEquals(3, f.get(60, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void twentyMegabytesComeBackByteForByte() throws Exception {
    byte[] data = new byte[20_000_000];
    new java.util.Random(7).nextBytes(data);
    // Text runs among the binary: long lines that conmon must split into partial records.
    for (int i = 0; i < data.length; i += 100_000) {
      Arrays.fill(data, i, Math.min(i + 30_000, data.length), (byte) 'x');
    }
    Path file = h.rootfs.resolve("tmp").resolve("data.bin");
    Files.write(file, data);
    try {
      var id = ContainerId.random();
      h.create(h.spec(id, h.process("sh", "-c", "echo start >&2; cat /tmp/data.bin; echo end >&2")));
      var followed = new ByteArrayOutputStream();
      var follower = CompletableFuture.runAsync(() -> {
        try {
          ContainerLogs.read(h.logPath(id), new LogQuery(true, false, -1, null, null, true),
              () -> h.runtime.exitCode(id).isEmpty(), e -> followed.write(e.data()));
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }, Executors.newVirtualThreadPerTaskExecutor());
      Output attached;
      try (var channel = h.runtime.attach(id, true)) {
        h.runtime.start(id);
        attached = readAllBytes(channel);
      }
      assertEquals(0, h.awaitExit(id));
      follower.get(60, TimeUnit.SECONDS);

      var stdout = new ByteArrayOutputStream();
      var stderr = new ByteArrayOutputStream();
      ContainerLogs.read(h.logPath(id), LogQuery.all(), () -> false,
          e -> (e.stream() == StdStream.STDOUT ? stdout : stderr).write(e.data()));
      assertArrayEquals(data, stdout.toByteArray(), "log");
      assertEquals("start\nend\n", stderr.toString());
      assertArrayEquals(data, followed.toByteArray(), "followed log");
      assertArrayEquals(data, attached.stdout().getBytes(StandardCharsets.ISO_8859_1), "attach");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void createStartExitTiming() throws Exception {
    var total = new ArrayList<Long>();
    var create = new ArrayList<Long>();
    var start = new ArrayList<Long>();
    var exit = new ArrayList<Long>();
    var delete = new ArrayList<Long>();
    for (int i = 0; i < 23; i++) {
      var id = ContainerId.random();
      long t0 = System.nanoTime();
      h.create(h.spec(id, h.process("true")));
      long t1 = System.nanoTime();
      h.runtime.start(id);
      long t2 = System.nanoTime();
      h.awaitExit(id);
      long t3 = System.nanoTime();
      h.runtime.delete(id);
      long t4 = System.nanoTime();
      if (i >= 3) {
        total.add((t3 - t0) / 1000);
        create.add((t1 - t0) / 1000);
        start.add((t2 - t1) / 1000);
        exit.add((t3 - t2) / 1000);
        delete.add((t4 - t3) / 1000);
      }
    }
    System.out.printf("%s, median of %d (ms): create+start+exit %.1f (create %.1f, start %.1f, exit noticed %.1f), delete %.1f%n",
        h.runtime.name(), total.size(), median(total), median(create), median(start), median(exit), median(delete));
    assertTrue(median(total) < 2000);
  }

  private static double median(List<Long> micros) {
    var sorted = micros.stream().sorted().toList();
    return sorted.get(sorted.size() / 2) / 1000.0;
  }

  private static Output readAllBytes(AttachChannel channel) throws IOException {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    for (var chunk = channel.read(); chunk != null; chunk = channel.read()) {
      (chunk.stream() == StdStream.STDERR ? err : out).write(chunk.data());
    }
    return new Output(out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
  }

  private static void assertArrayEquals(byte[] expected, byte[] actual, String what) {
    if (!Arrays.equals(expected, actual)) {
      throw new AssertionError(what + ": " + actual.length + " bytes differ from the " + expected.length + " written"
          + " (first difference at " + Arrays.mismatch(expected, actual) + ")");
    }
  }

  private static long parentOf(int pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
  }

}
