package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the integration tests: one real berthd per test class, driven by the docker CLI. At the
 * end every container is removed and the daemon stopped, and nothing of it may remain: no conmon,
 * no mount, no cgroup.
 */
abstract class WithBerthd {

  static BerthDaemon daemon;
  static DockerCli docker;

  @BeforeAll
  static void startDaemon() {
    daemon = BerthDaemon.start();
    docker = daemon.docker();
  }

  @AfterAll
  static void stopDaemon() {
    if (daemon == null) {
      return;
    }
    daemon.close();
    assertTrue(daemon.monitors().isEmpty(), "conmon processes left: " + daemon.monitors());
    assertTrue(daemon.mounts().isEmpty(), "mounts left: " + daemon.mounts());
    assertTrue(daemon.cgroups().isEmpty(), "cgroups left: " + daemon.cgroups());
    assertTrue(daemon.networkLeftovers().isEmpty(), "network state left: " + daemon.networkLeftovers());
    daemon = null;
  }
}
