package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restart policies through the docker CLI, including across berthd restarts. */
class RestartPolicyIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String inspect(String format, String ref) {
    return docker.run("inspect", "--format", format, ref).ok().line();
  }

  @Test
  void onFailureRetriesUpToItsLimit() {
    String id = docker.run("run", "-d", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3").ok().line();
    Poll.until("two restarts and a final exit", Duration.ofSeconds(30),
        () -> inspect("{{.State.Status}} {{.RestartCount}}", id).equals("exited 2"));
    assertEquals("3", inspect("{{.State.ExitCode}}", id));
    assertEquals("on-failure 2", inspect("{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", id));
    docker.run("rm", id).ok();
  }

  @Test
  void stoppingARestartingContainerStopsItForGood() {
    String id = docker.run("run", "-d", "--restart", "always", "busybox", "sh", "-c", "exit 1").ok().line();
    Poll.until("a restart", Duration.ofSeconds(30), () -> Integer.parseInt(inspect("{{.RestartCount}}", id)) >= 2);
    docker.run("stop", id).ok();
    Poll.until("the stop to hold", Duration.ofSeconds(30), () -> inspect("{{.State.Status}}", id).equals("exited"));
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void killingARestartingContainerEndsItsRestarts() throws InterruptedException {
    String id = docker.run("run", "-d", "--restart", "always", "busybox", "sh", "-c", "exit 1").ok().line();
    Poll.until("a restart", Duration.ofSeconds(30), () -> Integer.parseInt(inspect("{{.RestartCount}}", id)) >= 2);
    // Whether it is waiting to restart or running again just then, dockerd's kill succeeds and ends it.
    docker.run("kill", id).ok();
    Poll.until("the kill to hold", Duration.ofSeconds(30), () -> inspect("{{.State.Status}}", id).equals("exited"));
    String count = inspect("{{.RestartCount}}", id);
    Thread.sleep(1500); // longer than the next restart's back-off would be
    assertEquals("exited " + count, inspect("{{.State.Status}} {{.RestartCount}}", id));
    docker.run("rm", id).ok();
  }

  @Test
  void policiesAreAppliedAgainWhenBerthdStarts() {
    String always = docker.run("run", "-d", "--restart", "always", "busybox", "sleep", "300").ok().line();
    String unlessStopped = docker.run("run", "-d", "--restart", "unless-stopped", "busybox", "sleep", "300").ok().line();
    String onFailure = docker.run("run", "-d", "--restart", "on-failure", "busybox", "sleep", "300").ok().line();
    docker.run("stop", "-t", "0", always, unlessStopped).ok();

    // While berthd is down, the on-failure container dies: its policy must catch up on start.
    int pid = Integer.parseInt(inspect("{{.State.Pid}}", onFailure));
    daemon.restart(false, () -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));

    Poll.until("the always container to be running again", Duration.ofSeconds(30),
        () -> inspect("{{.State.Running}}", always).equals("true"));
    Poll.until("the on-failure container to be restarted", Duration.ofSeconds(30),
        () -> inspect("{{.State.Running}} {{.RestartCount}}", onFailure).equals("true 1"));
    assertEquals("exited", inspect("{{.State.Status}}", unlessStopped), "a stopped unless-stopped container stays down");
    docker.run("rm", "-f", always, unlessStopped, onFailure).ok();
  }
}
