package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: exec and healthcheck processes give a default container nothing to attack. A static
 * program runs as the container's init and PTRACE_SEIZEs every process that appears in its PID
 * namespace while execs and a 1 s healthcheck run; whatever it gets hold of must be confined as it
 * is itself, and no process it can see may carry the engine's memory.
 */
class ExecIsolationIT extends WithBerthd {

  private static final Pattern SUMMARY = Pattern.compile("seen (\\d+) seized (\\d+) escapes (\\d+) leaks (\\d+)");
  private static Path tools;

  @BeforeAll
  static void prepare() throws Exception {
    Fixtures.importBusybox(docker, "busybox:latest");
    tools = daemon.dir.resolve("tools");
  }

  @Test
  void aTracerInsideCatchesNoProcessOutsideTheContainersConfinement() throws Exception {
    Path attacker = Fixtures.compileStatic("ptrace-attacker", tools);
    String id = docker.run("run", "-d", "--health-cmd", "true", "--health-interval", "1s", "--health-start-period", "0s",
        "-v", tools + ":/attack:ro", "busybox", "/attack/" + attacker.getFileName()).ok().line();
    Poll.until("the attacker to start", Duration.ofSeconds(20),
        () -> docker.run("logs", id).out().contains("attacker ready"));
    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      docker.run("exec", id, "sleep", "0.02").ok();
    }
    // At least three probes, whatever the execs took.
    Poll.until("three healthchecks", Duration.ofSeconds(20),
        () -> Integer.parseInt(docker.run("inspect", "--format", "{{len .State.Health.Log}}", id).ok().line()) >= 3
            && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(3));
    assertEquals("healthy", docker.run("inspect", "--format", "{{.State.Health.Status}}", id).ok().line());
    docker.run("stop", "-t", "20", id).ok();
    String log = docker.run("logs", id).ok().out();
    var summary = SUMMARY.matcher(log);
    assertTrue(summary.find(), "the attacker's summary: " + log);
    System.out.println("ptrace attacker: " + summary.group());
    assertEquals("0", summary.group(3), "processes caught outside the container's confinement: " + log);
    assertEquals("0", summary.group(4), "processes showing the engine's memory: " + log);
    assertTrue(Long.parseLong(summary.group(2)) > 0, "the attacker got hold of some exec'd programs: " + log);
    docker.run("rm", id).ok();
  }

  @Test
  void anExecGetsTheSameAnswersFromTheFilterAsTheContainersInit() throws Exception {
    Path probe = Fixtures.compileStatic("syscall-probe", tools);
    String asInit = docker.run("run", "--rm", "-v", tools + ":/attack:ro", "busybox", "/attack/" + probe.getFileName())
        .ok().out();
    assertTrue(asInit.contains("Function not implemented"), "runc's ENOSYS for calls newer than the profile: " + asInit);
    String id = docker.run("run", "-d", "-v", tools + ":/attack:ro", "busybox", "sleep", "300").ok().line();
    assertEquals(asInit, docker.run("exec", id, "/attack/" + probe.getFileName()).ok().out());
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void anExecIsConfinedExactlyAsTheContainersInit() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    String script = "grep -E '^(Seccomp|NoNewPrivs|CapBnd|CapEff|CapPrm|CapInh|CapAmb):' /proc/%s/status; cat /proc/%s/cgroup";
    String init = docker.run("exec", id, "sh", "-c", String.format(script, "1", "1")).ok().out();
    String exec = docker.run("exec", id, "sh", "-c", String.format(script, "self", "self")).ok().out();
    assertEquals(init, exec);
    docker.run("rm", "-f", id).ok();
  }
}
