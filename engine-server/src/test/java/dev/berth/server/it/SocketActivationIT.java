package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * berthd started as systemd's socket activation starts it (packaging/berthd.socket, -H fd://),
 * with the test in systemd's place: the socket exists before berthd runs, so a client that
 * connects while berthd starts waits for it instead of failing, and the docker CLI works through
 * the socket berthd was handed.
 */
class SocketActivationIT {

  @Test
  void aClientConnectingWhileBerthdStartsIsServedThroughThePassedSocket() {
    BerthDaemon d = BerthDaemon.startActivated();
    try {
      // Right away: berthd is most likely still starting, and the connection waits in the socket's backlog.
      var version = d.docker().run("version", "--format", "{{.Server.Os}}");
      assertEquals(0, version.exit(), version.stderr());
      assertEquals("linux", new String(version.stdout()).strip());

      Fixtures.importBusybox(d.docker(), "busybox:latest");
      var run = d.docker().run("run", "--rm", "--network", "none", "busybox", "echo", "activated");
      assertEquals(0, run.exit(), run.stderr());
      assertEquals("activated", new String(run.stdout()).strip());
      assertTrue(d.logTail().contains("from systemd"), d.logTail());
      assertTrue(Files.exists(d.socket));
    } finally {
      d.close();
    }
    assertTrue(d.monitors().isEmpty(), "conmon processes left: " + d.monitors());
    assertTrue(d.mounts().isEmpty(), "mounts left: " + d.mounts());
    assertTrue(d.cgroups().isEmpty(), "cgroups left: " + d.cgroups());
  }
}
