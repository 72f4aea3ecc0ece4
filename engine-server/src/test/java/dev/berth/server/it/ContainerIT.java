package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Containers through the real docker CLI: run, exit codes, streams, logs, lifecycle, cleanup. */
class ContainerIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void runRmEchoesAndLeavesNothing() {
    var r = docker.run("run", "--rm", "--name", "hello-rm", "busybox", "echo", "hello").ok();
    assertEquals("hello\n", r.out());
    assertFalse(docker.run("ps", "-a", "--format", "{{.Names}}").ok().out().contains("hello-rm"));
  }

  @Test
  void exitCodesComeThrough() {
    assertEquals(42, docker.run("run", "--rm", "busybox", "sh", "-c", "exit 42").exit());
    var missing = docker.run("run", "--rm", "busybox", "no-such-binary");
    assertEquals(127, missing.exit(), missing.stderr());
    assertTrue(missing.stderr().contains("executable file not found"), missing.stderr());
    // Once, as with dockerd: the removal's wait answers "Error": null, so the CLI logs no second copy.
    assertFalse(missing.stderr().contains("Error waiting for container"), missing.stderr());
  }

  @Test
  void stdoutAndStderrStayApart() {
    var r = docker.run("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2").ok();
    assertEquals("out\n", r.out());
    assertEquals("err\n", r.stderr());
  }

  @Test
  void stdinIsPipedIn() {
    var r = docker.withInput("x\ny\n".getBytes(StandardCharsets.UTF_8), "run", "-i", "--rm", "busybox", "cat").ok();
    assertEquals("x\ny\n", r.out());
  }

  @Test
  void envWorkdirUserHostnameAndEntrypoint() throws IOException {
    Path envFile = Files.writeString(daemon.dir.resolve("env.list"), "FROM_FILE=yes\n# comment\n");
    var r = docker.run("run", "--rm", "-e", "A=1", "--env-file", envFile.toString(), "-w", "/made/here",
        "-u", "1000:1001", "--hostname", "myhost", "--entrypoint", "/bin/sh", "busybox",
        "-c", "echo $A $FROM_FILE; pwd; id -u; id -g; hostname").ok();
    assertEquals("1 yes\n/made/here\n1000\n1001\nmyhost\n", r.out());
    assertEquals("65534\n", docker.run("run", "--rm", "-u", "nobody", "busybox", "id", "-u").ok().out());
    var unknown = docker.run("run", "--rm", "-u", "nosuchuser", "busybox", "true");
    assertNotEquals(0, unknown.exit());
    assertTrue(unknown.stderr().contains("unable to find user nosuchuser"), unknown.stderr());
  }

  @Test
  void detachedLogsTailTimestampsAndFollow() {
    String id = docker.run("run", "-d", "busybox", "sh", "-c",
        "for i in 1 2 3 4 5; do echo line$i; done; sleep 1; echo last").ok().line();
    Process follow = docker.start(false, "logs", "-f", id);
    CompletableFuture<byte[]> followed = DockerCli.drain(follow.getInputStream());
    assertEquals("0", docker.run(null, Duration.ofSeconds(30), "wait", id).ok().line());
    assertEquals("line1\nline2\nline3\nline4\nline5\nlast\n", new String(followed.join(), StandardCharsets.UTF_8));
    assertEquals("line5\nlast\n", docker.run("logs", "--tail", "2", id).ok().out());
    String stamped = docker.run("logs", "-t", "--tail", "1", id).ok().out();
    assertTrue(stamped.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z last\\n"), stamped);
    docker.run("rm", id).ok();
  }

  @Test
  void psFiltersAndInspectFormat() {
    assertEquals(3, docker.run("run", "--name", "ps-a", "--label", "suite=ps", "busybox", "sh", "-c", "exit 3").exit());
    docker.run("create", "--name", "ps-b", "--label", "suite=ps", "busybox", "true").ok();
    assertEquals("ps-b\nps-a", docker.run("ps", "-a", "--filter", "label=suite=ps", "--format", "{{.Names}}").ok().line());
    assertEquals("ps-a", docker.run("ps", "-a", "--filter", "label=suite", "--filter", "exited=3", "--format",
        "{{.Names}}").ok().line());
    assertEquals("ps-b", docker.run("ps", "-a", "--filter", "label=suite", "--filter", "status=created", "--format",
        "{{.Names}}").ok().line());
    assertEquals("ps-a", docker.run("ps", "-a", "--filter", "name=ps-a", "--format", "{{.Names}}").ok().line());
    assertTrue(docker.run("ps", "-a", "--filter", "ancestor=busybox", "--format", "{{.Names}}").ok().out().contains("ps-b"));
    assertEquals("", docker.run("ps", "--filter", "label=suite=ps", "--format", "{{.Names}}").ok().line());
    assertEquals("3 exited", docker.run("inspect", "--format", "{{.State.ExitCode}} {{.State.Status}}", "ps-a").ok().line());
    assertTrue(docker.run("ps", "-a", "--filter", "name=ps-a").ok().out().contains("Exited (3)"));
    docker.run("run", "--name", "ps-size", "busybox", "dd", "if=/dev/zero", "of=/big", "bs=1000", "count=1000").ok();
    assertTrue(docker.run("ps", "-a", "-s", "--filter", "name=ps-size", "--format", "{{.Size}}").ok().line()
        .startsWith("1MB (virtual "), "the writable layer's megabyte is counted");
    docker.run("rm", "ps-size").ok();
    docker.run("rm", "ps-a", "ps-b").ok();
  }

  @Test
  void stopKillAndWait() {
    // sleep as PID 1 ignores SIGTERM, so stop must escalate to SIGKILL after its timeout. It must be
    // sleep by then: runc's init (Go) still finishing the exec exits 2 on SIGTERM, as under dockerd.
    String sleeper = docker.run("run", "-d", "busybox", "sh", "-c", "echo ready; exec sleep 100").ok().line();
    Poll.until("the sleeper to run", Duration.ofSeconds(10), () -> docker.run("logs", sleeper).out().contains("ready"));
    docker.run("stop", "-t", "1", sleeper).ok();
    assertEquals("137", docker.run("wait", sleeper).ok().line());
    assertEquals(0, docker.run("stop", sleeper).exit(), "stopping a stopped container is not an error");

    String trapper = docker.run("run", "-d", "busybox", "sh", "-c",
        "trap 'exit 12' USR1; echo ready; while true; do sleep 0.1; done").ok().line();
    Poll.until("the trap to be set", Duration.ofSeconds(10), () -> docker.run("logs", trapper).out().contains("ready"));
    docker.run("kill", "-s", "USR1", trapper).ok();
    assertEquals("12", docker.run("wait", trapper).ok().line());
    var notRunning = docker.run("kill", trapper);
    assertEquals(1, notRunning.exit());
    assertTrue(notRunning.stderr().contains("is not running"), notRunning.stderr());
    docker.run("rm", sleeper, trapper).ok();
  }

  @Test
  void removeRunningNeedsForce() {
    String id = docker.run("run", "-d", "--name", "busy-rm", "busybox", "sleep", "100").ok().line();
    var refused = docker.run("rm", "busy-rm");
    assertNotEquals(0, refused.exit());
    assertTrue(refused.stderr().contains("cannot remove container \"/busy-rm\": container is running"), refused.stderr());
    docker.run("rm", "-f", "busy-rm").ok();
    assertEquals(1, docker.run("inspect", id).exit());
  }

  @Test
  void restartAndRename() {
    String id = docker.run("run", "-d", "--name", "to-restart", "busybox", "sleep", "100").ok().line();
    String before = docker.run("inspect", "--format", "{{.State.StartedAt}}", id).ok().line();
    docker.run("restart", "-t", "0", id).ok();
    assertEquals("true", docker.run("inspect", "--format", "{{.State.Running}}", id).ok().line());
    assertNotEquals(before, docker.run("inspect", "--format", "{{.State.StartedAt}}", id).ok().line());
    docker.run("rename", "to-restart", "renamed").ok();
    assertEquals("/renamed", docker.run("inspect", "--format", "{{.Name}}", id).ok().line());
    var taken = docker.run("create", "--name", "renamed", "busybox", "true");
    assertTrue(taken.stderr().contains("is already in use by container \"" + id + "\""), taken.stderr());
    docker.run("rm", "-f", "renamed").ok();
  }

  @Test
  void createThenStartAttached() {
    String id = docker.run("create", "busybox", "echo", "from create").ok().line();
    assertEquals("from create\n", docker.run("start", "-a", id).ok().out());
    docker.run("rm", id).ok();
  }

  @Test
  void detachedAutoRemoveGoesAway() {
    String id = docker.run("run", "-d", "--rm", "busybox", "sh", "-c", "sleep 0.3").ok().line();
    Poll.until("the --rm container to be removed", Duration.ofSeconds(20),
        () -> !docker.run("ps", "-aq", "--no-trunc").out().contains(id));
  }

  @Test
  void twentyMegabytesThroughAttachAndLogsAreExact() throws Exception {
    String script = "head -c 20000000 /dev/urandom > /tmp/data; sha256sum /tmp/data >&2; cat /tmp/data";
    // local keeps bytes as they are; json-file, as dockerd's, turns invalid UTF-8 into U+FFFD.
    var attached = docker.run(null, Duration.ofSeconds(120), "run", "--name", "big", "--log-driver", "local",
        "--log-opt", "max-size=50m", "busybox", "sh", "-c", script).ok();
    String expected = attached.stderr().strip().split("\\s+")[0];
    assertEquals(20_000_000, attached.stdout().length);
    assertEquals(expected, sha256(attached.stdout()));
    var logged = docker.run(null, Duration.ofSeconds(120), "logs", "big").ok();
    assertEquals(expected, sha256(logged.stdout()));
    docker.run("rm", "big").ok();
  }

  @Test
  void twelveParallelRunsAllSucceed() {
    List<CompletableFuture<DockerCli.Result>> runs = IntStream.range(0, 12)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> docker.run("run", "--rm", "busybox", "echo", "n" + i),
            r -> Thread.ofVirtual().start(r)))
        .toList();
    for (int i = 0; i < runs.size(); i++) {
      var r = runs.get(i).join();
      assertEquals(0, r.exit(), r.stderr());
      assertEquals("n" + i + "\n", r.out());
    }
  }

  @Test
  void removalLeavesNoMonitorMountCgroupOrBundle() {
    String id = docker.run("run", "-d", "busybox", "sleep", "100").ok().line();
    assertTrue(daemon.mounts().stream().anyMatch(m -> m.contains(id)), "a running container has its rootfs mounted");
    docker.run("rm", "-f", id).ok();
    assertTrue(daemon.mounts().stream().noneMatch(m -> m.contains(id)), daemon.mounts().toString());
    assertTrue(daemon.cgroups().stream().noneMatch(p -> p.toString().contains(id)), daemon.cgroups().toString());
    assertFalse(Files.exists(daemon.execRoot.resolve("bundles").resolve(id)));
    assertFalse(Files.exists(daemon.dataRoot.resolve("containers").resolve(id)));
    assertTrue(daemon.monitors().stream().allMatch(pid -> ProcessHandle.of(pid).flatMap(p -> p.info().commandLine())
        .map(c -> !c.contains(id)).orElse(true)), "its conmon is gone");
  }

  @Test
  void containersSurviveDaemonRestarts() {
    for (boolean kill : new boolean[] {false, true}) {
      String id = docker.run("run", "-d", "busybox", "sh", "-c",
          "echo before; while [ ! -f /tmp/go ]; do sleep 0.05; done; echo after; exit 7").ok().line();
      Poll.until("first output", Duration.ofSeconds(10), () -> docker.run("logs", id).out().contains("before"));
      daemon.restart(kill);
      assertTrue(docker.run("ps", "-q", "--no-trunc").ok().out().contains(id), "still running after restart");
      // Let the container finish while berthd watches it again.
      var lateWaiter = docker.start(false, "wait", id);
      CompletableFuture<byte[]> waited = DockerCli.drain(lateWaiter.getInputStream());
      // The container itself cannot be reached by exec yet; end it from the host through its rootfs.
      String merged = docker.run("inspect", "--format", "{{.GraphDriver.Data.MergedDir}}", id).ok().line();
      try {
        Files.writeString(Path.of(merged, "tmp", "go"), "");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      assertEquals("7", new String(waited.join(), StandardCharsets.UTF_8).strip());
      assertEquals("before\nafter\n", docker.run("logs", id).ok().out());
      assertEquals("7", docker.run("inspect", "--format", "{{.State.ExitCode}}", id).ok().line());
      docker.run("rm", id).ok();
    }
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  static List<String> lines(String s) {
    return new ArrayList<>(List.of(s.strip().split("\n")));
  }
}
