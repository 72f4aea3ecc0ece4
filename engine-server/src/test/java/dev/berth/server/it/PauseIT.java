package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: pause, unpause and kill of a paused container answer as dockerd 28 does: its refusals
 * in its words, and a kill that reaches the frozen process (thawing it when the signal is the one
 * that stops the container).
 */
class PauseIT extends WithBerthd {

  // Exits 12 on SIGTERM and 13 on SIGHUP.
  private static final String TRAPPER = "trap 'exit 12' TERM; trap 'exit 13' HUP; echo ready; "
      + "while true; do sleep 0.1; done";

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String trapper(String... options) {
    var args = new java.util.ArrayList<>(java.util.List.of("run", "-d"));
    args.addAll(java.util.List.of(options));
    args.addAll(java.util.List.of("busybox", "sh", "-c", TRAPPER));
    String id = docker.run(args.toArray(String[]::new)).ok().line();
    Poll.until("the traps to be set", Duration.ofSeconds(10), () -> docker.run("logs", id).out().contains("ready"));
    return id;
  }

  private static String status(String id) {
    return docker.run("inspect", "--format", "{{.State.Status}}", id).ok().line();
  }

  @Test
  void unpauseOfARunningAndPauseOfAPausedContainerAreRefusedInDockerdsWords() {
    String id = trapper();
    try {
      var unpause = docker.run("unpause", id);
      assertEquals(1, unpause.exit());
      assertTrue(unpause.stderr().contains("Error response from daemon: Container " + id + " is not paused"),
          unpause.stderr());
      docker.run("pause", id).ok();
      var pause = docker.run("pause", id);
      assertEquals(1, pause.exit());
      assertTrue(pause.stderr().contains("Error response from daemon: Container " + id + " is already paused"),
          pause.stderr());
    } finally {
      docker.run("rm", "-f", id);
    }
  }

  @Test
  void killWithTheStopSignalReachesAPausedContainerAndThawsIt() {
    String id = trapper();
    try {
      docker.run("pause", id).ok();
      docker.run("kill", "-s", "TERM", id).ok();
      assertEquals("12", docker.run("wait", id).ok().line());
      assertEquals("exited", status(id));
    } finally {
      docker.run("rm", "-f", id);
    }
  }

  @Test
  void anotherSignalWaitsInTheFrozenContainerUntilItIsUnpaused() {
    String id = trapper("--stop-signal", "USR1");
    try {
      docker.run("pause", id).ok();
      docker.run("kill", "-s", "HUP", id).ok();
      assertEquals("paused", status(id));
      docker.run("unpause", id).ok();
      assertEquals("13", docker.run("wait", id).ok().line());
    } finally {
      docker.run("rm", "-f", id);
    }
  }
}
