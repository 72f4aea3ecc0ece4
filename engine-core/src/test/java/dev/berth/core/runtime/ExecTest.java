package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.logs.StdStream;
import dev.berth.core.os.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exec sessions in real containers, entered from the engine itself; needs root. */
class ExecTest extends RealContainerTest {

  private final List<ExecSession> sessions = new ArrayList<>();

  @AfterEach
  void closeSessions() {
    sessions.forEach(ExecSession::close);
  }

  record Output(String stdout, String stderr) {}

  static String newExecId() {
    return HexFormat.of().formatHex(java.security.SecureRandom.getSeed(32));
  }

  ProcessSpec process(String... args) {
    return h.process(args);
  }

  ExecSession exec(ContainerId id, ProcessSpec process, boolean attach) {
    var session = h.runtime.exec(id, new ExecSpec(newExecId(), process, false, attach));
    sessions.add(session);
    return session;
  }

  /** Reads to the end; asserts the exit code is known by then (the docker CLI asks for it at once). */
  static Output readAll(ExecSession session) throws IOException {
    var channel = session.channel().orElseThrow();
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    for (var chunk = channel.read(); chunk != null; chunk = channel.read()) {
      (chunk.stream() == StdStream.STDERR ? err : out).write(chunk.data());
    }
    assertTrue(session.exitCode().isPresent(), "the exit code is known when the output ends");
    return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Nothing of an ended exec remains: no child of the engine (live or zombie) and no process in the
   * container but its init.
   */
  static void assertNothingLeft(ContainerId id) throws IOException {
    assertEquals(List.of(), childrenOfThisProcess(), "children of the engine left");
    var pids = h.runtime.pids(id);
    assertEquals(1, pids.size(), "processes in the container besides its init: " + pids);
  }

  static List<Integer> childrenOfThisProcess() {
    int self = (int) ProcessHandle.current().pid();
    return processes().stream().filter(p -> p.ppid() == self).map(Proc::pid).toList();
  }

  @Test
  void stdoutAndStderrComeApartAndTheExitCodeBeforeTheEnd() throws Exception {
    var id = h.run("sleep", "1000");
    String execId = newExecId();
    var session = h.runtime.exec(id, new ExecSpec(execId, process("sh", "-c", "echo out; echo err >&2; echo out2; exit 3"),
        false, true));
    sessions.add(session);
    assertTrue(session.pid() > 0);
    assertEquals(new Output("out\nout2\n", "err\n"), readAll(session));
    assertEquals(3, session.exitCode().getAsInt());
    assertEquals(3, session.awaitExit());
    assertNothingLeft(id);
    assertTrue(h.runtime.exitCode(id).isEmpty(), "the container runs on");
  }

  @Test
  void exitCodesWithoutAttach() throws Exception {
    var id = h.run("sleep", "1000");
    assertEquals(0, exec(id, process("true"), false).awaitExit());
    var three = exec(id, process("sh", "-c", "exit 3"), false);
    assertTrue(three.channel().isEmpty());
    assertEquals(3, three.awaitExit());
    assertEquals(3, three.exitCode().getAsInt());
    assertNothingLeft(id);
  }

  @Test
  void aMissingBinaryIsTheCallersErrorInTheRuntimesWords() throws Exception {
    var id = h.run("sleep", "1000");
    for (boolean attach : List.of(false, true)) {
      String execId = newExecId();
      var e = assertThrows(StartRefusedException.class,
          () -> h.runtime.exec(id, new ExecSpec(execId, process("nosuch"), false, attach)));
      assertEquals(127, e.exitCode());
      assertTrue(e.getMessage().contains("executable file not found in $PATH"), e.getMessage());
      assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
      assertNothingLeft(id);
    }
  }

  @Test
  void stdinReachesTheProcessAndClosingItEndsCat() throws Exception {
    var id = h.run("sleep", "1000");
    var p = process("cat");
    var withStdin = new ProcessSpec(p.args(), p.env(), "/", 0, 0, List.of(), false, true, true, 0, 0);
    var session = exec(id, withStdin, true);
    var channel = session.channel().orElseThrow();
    byte[] input = "hello\nworld\n".getBytes();
    channel.writeStdin(input, 0, input.length);
    channel.closeStdin();
    assertEquals(new Output("hello\nworld\n", ""), readAll(session));
    assertEquals(0, session.awaitExit());
    assertNothingLeft(id);
  }

  @Test
  void aTerminalExecHasAPtyAndFollowsResizes() throws Exception {
    var id = h.run("sleep", "1000");
    var tty = new ProcessSpec(List.of("sh", "-c", "tty; read x; stty size; exit 4"), List.of("PATH=/bin", "TERM=xterm"), "/",
        0, 0, List.of(), true, true, false, 0, 0);
    var session = exec(id, tty, true);
    var channel = session.channel().orElseThrow();
    var seen = new StringBuilder();
    while (!seen.toString().contains("\n")) {
      var chunk = channel.read();
      assertTrue(chunk != null, "output ended early: " + seen);
      assertEquals(StdStream.STDOUT, chunk.stream());
      seen.append(new String(chunk.data(), StandardCharsets.UTF_8));
    }
    assertTrue(seen.toString().startsWith("/dev/pts/"), seen.toString());
    session.resize(30, 90);
    channel.writeStdin("\n".getBytes(), 0, 1);
    String rest = readAll(session).stdout();
    assertTrue(rest.contains("30 90\r\n"), rest);
    assertEquals(4, session.awaitExit());
    assertThrows(ConflictException.class, () -> session.resize(10, 10), "no TTY left to resize");
    assertNothingLeft(id);
  }

  @Test
  void aTerminalExecStartsWithTheRequestedSize() throws Exception {
    var id = h.run("sleep", "1000");
    var tty = new ProcessSpec(List.of("stty", "size"), List.of("PATH=/bin"), "/", 0, 0, List.of(), true, false, false, 40, 100);
    var session = exec(id, tty, true);
    assertEquals("40 100\r\n", readAll(session).stdout());
    assertEquals(0, session.awaitExit());
  }

  @Test
  void envUserWorkingDirectoryAndLimitsAreTheExecsOwn() throws Exception {
    var id = h.run("sleep", "1000");
    var own = new ProcessSpec(List.of("sh", "-c", "echo $FOO; pwd; id -u; id -g; id -G; ulimit -n; grep CapEff /proc/self/status"),
        List.of("PATH=/bin", "FOO=bar"), "/tmp", 65534, 65534, List.of(5), false, false, false, 0, 0);
    var session = exec(id, own, true);
    long nofile = DockerDefaults.RLIMITS.stream().filter(l -> l.type().equals("RLIMIT_NOFILE")).findFirst().orElseThrow()
        .clampTo(HostLimits.current().hardLimit("RLIMIT_NOFILE")).soft();
    assertEquals(new Output("bar\n/tmp\n65534\n65534\n65534 5\n" + nofile + "\nCapEff:\t0000000000000000\n", ""),
        readAll(session));
    assertEquals(0, session.awaitExit());
  }

  @Test
  void theProcessHasOnlyItsStdioAndRunsInTheContainersCgroups() throws Exception {
    var id = h.run("sleep", "1000");
    var session = exec(id, process("sh", "-c", "ls /proc/$$/fd; cat /proc/self/cgroup; echo --; cat /proc/1/cgroup"), true);
    var output = readAll(session);
    assertEquals(0, session.awaitExit(), output.stderr());
    var lines = output.stdout().lines().toList();
    assertEquals(List.of("0", "1", "2"), lines.subList(0, 3), "nothing of the engine's or berth-enter's: " + lines);
    int split = lines.indexOf("--");
    var own = lines.subList(3, split);
    assertFalse(own.isEmpty());
    assertEquals(lines.subList(split + 1, lines.size()), own, "the same cgroups as the container's init");
    for (String line : own) {
      assertTrue(line.endsWith("/" + id.hex()), "cgroup membership: " + line);
    }
  }

  @Test
  void aMissingWorkingDirectoryOrUnrunnableFileIsTheCallersErrorInRuncsWords() throws Exception {
    var id = h.run("sleep", "1000");
    var p = process("true");
    var nowhere = new ProcessSpec(p.args(), p.env(), "/no/such/dir", 0, 0, List.of(), false, false, false, 0, 0);
    var e = assertThrows(StartRefusedException.class, () -> exec(id, nowhere, true));
    assertEquals(127, e.exitCode());
    assertEquals("exec failed: unable to start container process: chdir to cwd (\"/no/such/dir\") set in config.json "
        + "failed: no such file or directory", e.getMessage());
    e = assertThrows(StartRefusedException.class, () -> exec(id, process("/etc/passwd"), true));
    assertEquals(126, e.exitCode());
    assertEquals("exec failed: unable to start container process: exec: \"/etc/passwd\": permission denied",
        e.getMessage());
    e = assertThrows(StartRefusedException.class, () -> exec(id, process("/etc"), true));
    assertEquals(126, e.exitCode(), "issue 11: dockerd records 126 for a directory");
    assertEquals("exec failed: unable to start container process: exec: \"/etc\": is a directory", e.getMessage());
    assertEquals(": permission denied", e.daemonNote());
    e = assertThrows(StartRefusedException.class, () -> exec(id, process("/no/such/binary"), false));
    assertEquals(127, e.exitCode());
    assertEquals("exec failed: unable to start container process: exec: \"/no/such/binary\": stat /no/such/binary: "
        + "no such file or directory", e.getMessage());
    assertNothingLeft(id);
  }

  @Test
  void aPrivilegedExecGetsTheEnginesBoundingSetAndAPlainOneTheContainers() throws Exception {
    var id = h.run("sleep", "1000");
    var plain = exec(id, process("grep", "CapEff", "/proc/self/status"), true);
    var privileged = h.runtime.exec(id, new ExecSpec(newExecId(), process("grep", "CapEff", "/proc/self/status"), true, true));
    sessions.add(privileged);
    String ownBounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).strip();
    long dockerMask = 0;
    for (String cap : DockerDefaults.CAPABILITIES) {
      dockerMask |= 1L << List.of(CAP_ORDER).indexOf(cap);
    }
    assertEquals("CapEff:\t" + String.format("%016x", dockerMask) + "\n", readAll(plain).stdout());
    assertEquals("CapEff:\t" + ownBounding + "\n", readAll(privileged).stdout());
  }

  // Bit numbers of the capabilities in Docker's default set (linux/capability.h).
  private static final String[] CAP_ORDER = {
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
      "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
      "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
      "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
      "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
      "CAP_SETFCAP"};

  @Test
  void eightExecsAtOnce() throws Exception {
    var id = h.run("sleep", "1000");
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new ArrayList<CompletableFuture<String>>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        futures.add(CompletableFuture.supplyAsync(() -> {
          try {
            var session = h.runtime.exec(id, new ExecSpec(newExecId(),
                process("sh", "-c", "echo exec-" + n + "; echo e" + n + " >&2; exit " + n), false, true));
            try (session) {
              var output = readAll(session);
              return output.stdout() + output.stderr() + session.awaitExit();
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }, pool));
      }
      for (int i = 0; i < 8; i++) {
        assertEquals("exec-" + i + "\ne" + i + "\n" + i, futures.get(i).get(60, TimeUnit.SECONDS));
      }
    }
    assertNothingLeft(id);
  }

  @Test
  void intoAStoppedOrMissingContainerIsAConflict() throws Exception {
    var id = h.run("true");
    h.awaitExit(id);
    var e = assertThrows(ConflictException.class, () -> exec(id, process("true"), false));
    assertEquals("container " + id.hex() + " is not running", e.getMessage());
    var never = ContainerId.random();
    assertThrows(ConflictException.class, () -> exec(never, process("true"), false));
  }

  @Test
  void killingTheContainerEndsItsExecs() throws Exception {
    var id = h.run("sleep", "1000");
    var attached = exec(id, process("sleep", "1000"), true);
    var detached = exec(id, process("sleep", "1000"), false);
    assertTrue(h.runtime.signal(id, 9));
    assertEquals(137, h.awaitExit(id));
    assertEquals(new Output("", ""), readAll(attached));
    assertEquals(137, attached.awaitExit());
    assertEquals(137, detached.awaitExit());
    assertEquals(List.of(), childrenOfThisProcess(), "children of the engine left");
  }

  @Test
  void closingARunningExecKillsItAndCleansUp() throws Exception {
    var id = h.run("sleep", "1000");
    String execId = newExecId();
    var session = h.runtime.exec(id, new ExecSpec(execId, process("sleep", "1000"), false, false));
    int pid = session.pid();
    long started = Processes.startTime(pid).orElseThrow();
    session.close();
    assertEquals(137, session.exitCode().getAsInt());
    assertTrue(Processes.awaitExit(pid, started, 1));
    assertNothingLeft(id);
    session.close();
  }

  @Test
  void deletingTheContainerWhileAnExecRunsLeavesNothing() throws Exception {
    var id = h.run("sleep", "1000");
    String execId = newExecId();
    var session = h.runtime.exec(id, new ExecSpec(execId, process("sleep", "1000"), false, true));
    sessions.add(session);
    h.runtime.delete(id);
    assertEquals(137, session.awaitExit());
    assertFalse(Files.exists(h.paths.bundle(id.hex())));
    assertEquals(List.of(), childrenOfThisProcess(), "children of the engine left");
  }

  @Test
  void execLatency() throws Exception {
    var id = h.run("sleep", "1000");
    var detached = new ArrayList<Long>();
    var attached = new ArrayList<Long>();
    for (int i = 0; i < 23; i++) {
      long t0 = System.nanoTime();
      try (var session = h.runtime.exec(id, new ExecSpec(newExecId(), process("true"), false, false))) {
        session.awaitExit();
      }
      long t1 = System.nanoTime();
      try (var session = h.runtime.exec(id, new ExecSpec(newExecId(), process("true"), false, true))) {
        readAll(session);
        session.awaitExit();
      }
      long t2 = System.nanoTime();
      if (i >= 3) {
        detached.add((t1 - t0) / 1000);
        attached.add((t2 - t1) / 1000);
      }
    }
    System.out.printf("exec of `true`, create+start+exit incl. cleanup, median of %d (ms): detached %.1f, attached %.1f%n",
        detached.size(), median(detached), median(attached));
    assertNothingLeft(id);
    assertTrue(median(attached) < 2000);
  }

  private static double median(List<Long> micros) {
    var sorted = micros.stream().sorted().toList();
    return sorted.get(sorted.size() / 2) / 1000.0;
  }
}
