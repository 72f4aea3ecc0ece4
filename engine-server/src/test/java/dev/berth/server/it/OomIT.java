package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a container whose memory cgroup's OOM killer killed its process reports it as dockerd
 * does: exit 137, {@code State.OOMKilled}, an {@code oom} event before {@code die}; the next run
 * starts with it false. It holds when berthd was down as the kill happened.
 */
class OomIT extends WithBerthd {

  // Memory and swap both 8 MB (this host has no swap; the flag keeps the test honest where one has).
  private static final List<String> SMALL = List.of("-m", "8m", "--memory-swap", "8m");
  // tail keeps the last line of a file: /dev/zero has no line end, so it grows until killed.
  private static final String EAT = "tail /dev/zero";

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String inspect(String format, String container) {
    return docker.run("inspect", "--format", format, container).ok().line();
  }

  @Test
  void anOomKilledContainerSaysSoUntilItRunsAgain() {
    long since = Instant.now().getEpochSecond() - 1;
    var args = new java.util.ArrayList<>(List.of("run", "--name", "eater"));
    args.addAll(SMALL);
    // The first run is killed; the next start finds /ran and exits 0.
    args.addAll(List.of("busybox", "sh", "-c", "if [ -f /ran ]; then exit 0; fi; touch /ran; " + EAT));
    try {
      assertEquals(137, docker.run(args.toArray(String[]::new)).exit());
      long until = Instant.now().getEpochSecond() + 1;
      assertEquals("true 137", inspect("{{.State.OOMKilled}} {{.State.ExitCode}}", "eater"));
      var events = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
          "--filter", "container=eater", "--filter", "event=oom", "--filter", "event=die",
          "--format", "{{.Action}} {{index .Actor.Attributes \"exitCode\"}}").ok();
      assertEquals(List.of("oom", "die 137"), events.out().lines().map(String::strip).toList());

      docker.run("start", "-a", "eater").ok();
      assertEquals("false 0", inspect("{{.State.OOMKilled}} {{.State.ExitCode}}", "eater"));
    } finally {
      docker.run("rm", "-f", "eater");
    }
  }

  @Test
  void aKilledChildIsReportedWhileTheContainerRunsOn() {
    long since = Instant.now().getEpochSecond() - 1;
    var args = new java.util.ArrayList<>(List.of("run", "-d"));
    args.addAll(SMALL);
    // The shell outlives the tail the OOM killer picks (the largest process).
    args.addAll(List.of("busybox", "sh", "-c", EAT + "; echo survived; sleep 1000"));
    String id = docker.run(args.toArray(String[]::new)).ok().line();
    try {
      Poll.until("the kill to be reported", Duration.ofSeconds(30),
          () -> inspect("{{.State.OOMKilled}}", id).equals("true"));
      assertEquals("running", inspect("{{.State.Status}}", id));
      Poll.until("the shell to go on", Duration.ofSeconds(10), () -> docker.run("logs", id).out().contains("survived"));
      long until = Instant.now().getEpochSecond() + 1;
      var events = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
          "--filter", "container=" + id, "--filter", "event=oom", "--filter", "event=die", "--format", "{{.Action}}")
          .ok();
      assertEquals(List.of("oom"), events.out().lines().toList());
      docker.run("kill", id).ok();
      assertEquals("true 137", inspect("{{.State.OOMKilled}} {{.State.ExitCode}}", id));
    } finally {
      docker.run("rm", "-f", id);
    }
  }

  @Test
  void aKillWhileBerthdIsDownIsFoundOnItsReturn() {
    var args = new java.util.ArrayList<>(List.of("run", "-d"));
    args.addAll(SMALL);
    args.addAll(List.of("busybox", "sh", "-c", "while [ ! -f /tmp/go ]; do sleep 0.05; done; " + EAT));
    String id = docker.run(args.toArray(String[]::new)).ok().line();
    try {
      String merged = inspect("{{.GraphDriver.Data.MergedDir}}", id);
      daemon.restart(true, () -> {
        try {
          Files.writeString(Path.of(merged, "tmp", "go"), "");
        } catch (IOException e) {
          throw new AssertionError(e);
        }
        Path exit = daemon.execRoot.resolve("exits").resolve(id);
        Poll.until("the container's exit", Duration.ofSeconds(30), () -> Files.exists(exit));
      });
      assertEquals("exited true 137", inspect("{{.State.Status}} {{.State.OOMKilled}} {{.State.ExitCode}}", id));
    } finally {
      docker.run("rm", "-f", id);
    }
  }
}
