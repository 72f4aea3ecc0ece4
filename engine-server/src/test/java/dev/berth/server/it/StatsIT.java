package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: stats carry the container's network interfaces and its block I/O, so {@code docker
 * stats} shows NET I/O and BLOCK I/O. Traffic stays on a bridge the test makes.
 */
class StatsIT extends WithBerthd {

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  /** One reading from the API itself (the CLI shows only sums). */
  private static JsonNode stats(String container) {
    try {
      var curl = new ProcessBuilder("curl", "-sf", "--unix-socket", daemon.socket.toString(),
          "http://berth/containers/" + container + "/stats?stream=false&one-shot=true").start();
      byte[] body = curl.getInputStream().readAllBytes();
      assertEquals(0, curl.waitFor(), "curl failed");
      return new ObjectMapper().readTree(body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void awaitLog(String container, String text) {
    Poll.until(container + " to log " + text, Duration.ofSeconds(30),
        () -> docker.run("logs", container).out().contains(text));
  }

  @Test
  void aContainerThatDownloadedOverItsBridgeCountsTheBytesOnEth0() {
    docker.run("network", "create", "statsnet").ok();
    try {
      docker.run("run", "-d", "--name", "web", "--network", "statsnet", "busybox", "sh", "-c",
          "mkdir /srv && dd if=/dev/zero of=/srv/blob bs=1k count=512 && httpd -f -p 80 -h /srv").ok();
      docker.run("run", "-d", "--name", "client", "--network", "statsnet", "busybox", "sh", "-c",
          "until wget -q -O /dev/null http://web/blob; do sleep 0.2; done; echo fetched; sleep 1000").ok();
      awaitLog("client", "fetched");

      JsonNode eth0 = stats("client").path("networks").path("eth0");
      assertTrue(eth0.path("rx_bytes").asLong() >= 512 * 1024, eth0.toString());
      assertTrue(eth0.path("rx_packets").asLong() > 0, eth0.toString());
      assertTrue(eth0.path("tx_bytes").asLong() > 0, eth0.toString());
      assertFalse(stats("client").path("networks").has("lo"), "dockerd reports no loopback");
      String netIo = docker.run("stats", "--no-stream", "--format", "{{.NetIO}}", "client").ok().line();
      assertNotEquals("0B / 0B", netIo);
    } finally {
      docker.run("rm", "-f", "web", "client");
      docker.run("network", "rm", "statsnet");
    }
  }

  @Test
  void withoutANetworkOfItsOwnThereAreNoNetworks() {
    String none = docker.run("run", "-d", "--network", "none", "busybox", "sleep", "1000").ok().line();
    String host = docker.run("run", "-d", "--network", "host", "busybox", "sleep", "1000").ok().line();
    try {
      assertFalse(stats(none).has("networks"), stats(none).toString());
      assertFalse(stats(host).has("networks"), stats(host).toString());
    } finally {
      docker.run("rm", "-f", none, host);
    }
  }

  /**
   * The kernel (6.x, cgroup v1) counts a cgroup's bios in blkio.throttle.* only where a throttle
   * limit applies: without one dockerd and berth both show zeros. The test sets a limit no write
   * reaches on the container's cgroup, as an operator could, and then expects the write counted.
   */
  @Test
  void aContainerThatWroteDirectlyToDiskCountsTheBytesAsWrite() throws IOException {
    String id = docker.run("run", "-d", "busybox", "sh", "-c", "while [ ! -f /go ]; do sleep 0.05; done; "
        + "dd if=/dev/zero of=/written bs=1M count=10 oflag=direct && echo written; sleep 1000").ok().line();
    try {
      Path blkio = Path.of("/sys/fs/cgroup/blkio", daemon.cgroupParent, id);
      Assumptions.assumeTrue(Files.isDirectory(blkio), "a cgroup v1 blkio hierarchy");
      long dev = (Long) Files.getAttribute(daemon.dir, "unix:dev");
      long major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffL);
      long minor = (dev & 0xff) | ((dev >> 12) & ~0xffL);
      try {
        Files.writeString(blkio.resolve("blkio.throttle.write_bps_device"), major + ":" + minor + " 1099511627776");
      } catch (IOException e) {
        Assumptions.abort("the data root's device takes no throttle rule (a partition?): " + e.getMessage());
      }
      String merged = docker.run("inspect", "--format", "{{.GraphDriver.Data.MergedDir}}", id).ok().line();
      Files.writeString(Path.of(merged, "go"), "", StandardCharsets.UTF_8);
      awaitLog(id, "written");

      long written = 0;
      for (JsonNode e : stats(id).path("blkio_stats").path("io_service_bytes_recursive")) {
        if (e.path("op").asText().equals("Write") && e.path("major").asLong() == major
            && e.path("minor").asLong() == minor) {
          written = e.path("value").asLong();
        }
      }
      assertTrue(written >= 10 << 20, "Write bytes: " + written + " in " + stats(id).path("blkio_stats"));
      String blockIo = docker.run("stats", "--no-stream", "--format", "{{.BlockIO}}", id).ok().line();
      assertTrue(blockIo.endsWith("/ 10.5MB"), blockIo);
    } finally {
      docker.run("rm", "-f", id);
    }
  }
}
