package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TTYs, exec, attach, detach keys, pause, top, update, healthchecks and init through the docker CLI. */
class InteractiveIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String inspect(String format, String ref) {
    return docker.run("inspect", "--format", format, ref).ok().line();
  }

  @Test
  void runWithATerminalSeesItsTtyAndSize() {
    try (var t = Terminal.start(daemon, "tty", "run", "-it", "--rm", "busybox", "sh", "-c", "tty; stty size; echo done")) {
      t.awaitScreen("done", Duration.ofSeconds(20));
      String screen = t.screen();
      assertTrue(screen.matches("(?s).*/dev/pts/\\d+.*"), screen);
      assertTrue(screen.contains("30 100"), screen);
    }
  }

  @Test
  void detachKeysLeaveTheContainerRunningAndAttachGetsItBack() {
    try (var t = Terminal.start(daemon, "detach", "run", "-it", "--name", "detachable", "busybox", "sh")) {
      t.awaitScreen("#", Duration.ofSeconds(20));
      t.keys("echo typed-$((40+2))", "Enter");
      t.awaitScreen("typed-42", Duration.ofSeconds(10));
      t.keys("C-p", "C-q");
      t.awaitScreen("cli-exit-0", Duration.ofSeconds(10));
    }
    assertEquals("true", inspect("{{.State.Running}}", "detachable"));
    try (var t = Terminal.start(daemon, "reattach", "attach", "detachable")) {
      Poll.pause();
      t.keys("echo back-$((1+1))", "Enter");
      t.awaitScreen("back-2", Duration.ofSeconds(10));
      t.keys("exit", "Enter");
      t.awaitScreen("cli-exit-", Duration.ofSeconds(20));
    }
    Poll.until("the shell to exit", Duration.ofSeconds(20), () -> inspect("{{.State.Status}}", "detachable").equals("exited"));
    docker.run("rm", "detachable").ok();
    var bad = docker.run("attach", "--detach-keys", "ctrl-notakey", "none-such");
    assertNotEquals(0, bad.exit());
  }

  @Test
  void execRunsCommandsWithTheirOwnExitCodesEnvUserAndWorkdir() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    int monitorsBefore = daemon.monitors().size();
    assertEquals("hello\n", docker.run("exec", id, "echo", "hello").ok().out());
    assertEquals(5, docker.run("exec", id, "sh", "-c", "exit 5").exit());
    var missing = docker.run("exec", id, "no-such-binary");
    assertEquals(127, missing.exit(), missing.stderr());
    assertEquals("1 /tmp 65534\n", docker.run("exec", "-e", "X=1", "-w", "/tmp", "-u", "65534", id, "sh", "-c",
        "echo $X $(pwd) $(id -u)").ok().out());
    assertEquals("x\n", docker.withInput("x\n".getBytes(StandardCharsets.UTF_8), "exec", "-i", id, "cat").ok().out());
    try (var t = Terminal.start(daemon, "exectty", "exec", "-it", id, "sh", "-c", "tty; echo exec-done")) {
      t.awaitScreen("exec-done", Duration.ofSeconds(20));
      assertTrue(t.screen().matches("(?s).*/dev/pts/\\d+.*"), t.screen());
    }
    docker.run("exec", "-d", id, "sh", "-c", "echo detached > /tmp/d").ok();
    Poll.until("the detached exec to run", Duration.ofSeconds(10),
        () -> docker.run("exec", id, "cat", "/tmp/d").out().equals("detached\n"));
    Poll.until("exec monitors to be gone", Duration.ofSeconds(10), () -> daemon.monitors().size() == monitorsBefore);
    docker.run("stop", "-t", "0", id).ok();
    var stopped = docker.run("exec", id, "true");
    assertTrue(stopped.stderr().contains("is not running"), stopped.stderr());
    var nowhere = docker.run("exec", "no-such-container", "true");
    assertTrue(nowhere.stderr().contains("No such container: no-such-container"), nowhere.stderr());
    docker.run("rm", id).ok();
  }

  @Test
  void attachWithoutStdinFollowsATickerWithSeveralClients() throws Exception {
    String id = docker.run("run", "-d", "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.1; done")
        .ok().line();
    Path first = daemon.dir.resolve("attach1.out");
    Path second = daemon.dir.resolve("attach2.out");
    Process a = docker.startTo(first, "attach", "--no-stdin", id);
    Process b = docker.startTo(second, "attach", "--no-stdin", id);
    try {
      for (Path out : new Path[] {first, second}) {
        Poll.until("ticks through " + out.getFileName(), Duration.ofSeconds(10), () -> ticks(out) >= 3);
      }
      int seen = ticks(first);
      Poll.until("more ticks", Duration.ofSeconds(10), () -> ticks(first) > seen + 2 && ticks(second) > seen + 2);
    } finally {
      // SIGKILL: the CLI would pass a SIGTERM on to the container (sig-proxy).
      a.destroyForcibly().waitFor();
      b.destroyForcibly().waitFor();
    }
    assertEquals("true", inspect("{{.State.Running}}", id), "leaving an attach does not stop the container");
    docker.run("rm", "-f", id).ok();
  }

  private static int ticks(Path out) {
    try {
      return (int) Files.readAllLines(out).stream().filter(l -> l.startsWith("tick")).count();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Test
  void pauseTopAndUpdate() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    docker.run("pause", id).ok();
    assertEquals("paused true", inspect("{{.State.Status}} {{.State.Paused}}", id));
    assertTrue(docker.run("exec", id, "true").stderr().contains("is paused"));
    docker.run("unpause", id).ok();
    assertEquals("running false", inspect("{{.State.Status}} {{.State.Paused}}", id));
    String top = docker.run("top", id).ok().out();
    assertTrue(top.contains("PID") && top.contains("sleep 300"), top);

    docker.run("update", "-m", "64m", "--memory-swap", "128m", "--cpus", "0.5", "--pids-limit", "50", id).ok();
    assertEquals("67108864 134217728 500000000 50",
        inspect("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", id));
    assertEquals("67108864", cgroupFile("memory", id, "memory.limit_in_bytes"));
    assertEquals("50000", cgroupFile("cpu", id, "cpu.cfs_quota_us"));
    assertEquals("50", cgroupFile("pids", id, "pids.max"));
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void statsReportCpuMemoryAndPids() {
    String busy = docker.run("run", "-d", "-m", "64m", "busybox", "sh", "-c", "while true; do :; done").ok().line();
    String idle = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    String out = docker.run("stats", "--no-stream", "--format", "{{.ID}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}").ok().out();
    String busyLine = out.lines().filter(l -> busy.startsWith(l.split(" ")[0])).findFirst().orElseThrow(() ->
        new AssertionError(out));
    assertTrue(busyLine.contains("/ 64MiB") && busyLine.endsWith(" 1"), busyLine);
    double cpu = Double.parseDouble(busyLine.split(" ")[1].replace("%", ""));
    assertTrue(cpu > 20, "a spinning shell uses CPU: " + busyLine);
    assertTrue(out.lines().anyMatch(l -> idle.startsWith(l.split(" ")[0])), out);
    docker.run("rm", "-f", busy, idle).ok();
  }

  @Test
  void healthchecksTurnHealthyAndPsSaysSo() {
    String id = docker.run("run", "-d", "--health-cmd", "test -f /tmp/ready", "--health-interval", "200ms",
        "--health-retries", "2", "busybox", "sh", "-c", "sleep 0.5; touch /tmp/ready; sleep 300").ok().line();
    Poll.until("healthy", Duration.ofSeconds(20), () -> inspect("{{.State.Health.Status}}", id).equals("healthy"));
    assertTrue(docker.run("ps", "--filter", "id=" + id, "--format", "{{.Status}}").ok().line().endsWith("(healthy)"));
    docker.run("exec", id, "rm", "/tmp/ready").ok();
    Poll.until("unhealthy", Duration.ofSeconds(20), () -> inspect("{{.State.Health.Status}}", id).equals("unhealthy"));
    docker.run("rm", "-f", id).ok();
    // A restart starts over as dockerd does: starting, no failures counted, earlier probes kept.
    String failing = docker.run("run", "-d", "--health-cmd", "false", "--health-interval", "2s", "--health-retries", "1",
        "busybox", "sleep", "300").ok().line();
    Poll.until("unhealthy", Duration.ofSeconds(20), () -> inspect("{{.State.Health.Status}}", failing).equals("unhealthy"));
    docker.run("restart", "-t", "0", failing).ok();
    assertEquals("starting 0 1",
        inspect("{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{len .State.Health.Log}}", failing));
    docker.run("rm", "-f", failing).ok();
    var tooFast = docker.run("create", "--health-cmd", "true", "--health-interval", "1us", "busybox");
    assertTrue(tooFast.stderr().contains("Interval in Healthcheck cannot be less than 1ms"), tooFast.stderr());
  }

  @Test
  void initRunsAsPidOne() {
    String ps = docker.run("run", "--rm", "--init", "busybox", "ps").ok().out();
    assertTrue(ps.lines().anyMatch(l -> l.trim().startsWith("1 ") && l.contains("docker-init")), ps);
    assertEquals("true", docker.run("create", "--name", "with-init", "--init", "busybox", "true").exit() == 0
        ? inspect("{{.HostConfig.Init}}", "with-init") : "create failed");
    docker.run("rm", "with-init").ok();
  }

  @Test
  void badInputIsRefusedCleanly() {
    var policy = docker.run("create", "--restart", "sometimes", "busybox");
    assertTrue(policy.stderr().contains("invalid restart policy"), policy.stderr());
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    String resize = daemon.http("POST", "/containers/" + id + "/resize?h=10&w=20", null);
    assertTrue(resize.startsWith("HTTP/1.1 200"), "resizing a container without a TTY is not an error: " + resize);
    String keys = daemon.http("POST", "/containers/" + id + "/attach?stream=1&stdin=1&detachKeys=ctrl-%3F%3F", null);
    assertTrue(keys.startsWith("HTTP/1.1 400") && keys.contains("Invalid detach keys"), keys);
    String exec = daemon.http("POST", "/containers/nope/exec", "{\"Cmd\":[\"true\"]}");
    assertTrue(exec.startsWith("HTTP/1.1 404"), exec);
    docker.run("rm", "-f", id).ok();
  }

  private static String cgroupFile(String controller, String id, String file) {
    try {
      return Files.readString(Path.of("/sys/fs/cgroup", controller, daemon.cgroupParent, id, file)).strip();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
