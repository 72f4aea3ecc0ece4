package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13: json-file, local and none as dockerd writes them, with rotation; docker logs reads
 * across rotated and compressed files and follows through rotations; nothing is lost while
 * berthd is killed and restarted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogDriversIT extends WithBerthd {

  private static final ObjectMapper JSON = new ObjectMapper();
  // Prints lines "n<i> <padding>" of 100 bytes each, i from 0 to count-1, once /tmp/go exists.
  private static final String NUMBERED = "while [ ! -f /tmp/go ]; do sleep 0.05; done; i=0; while [ $i -lt %d ]; do "
      + "printf 'n%%07d %%090d\\n' $i 0; i=$((i+1)); %s done";

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String numbered(int count, String each, String... runArgs) {
    var args = new java.util.ArrayList<>(List.of("run", "-d"));
    args.addAll(List.of(runArgs));
    args.addAll(List.of("busybox", "sh", "-c", String.format(NUMBERED, count, each)));
    return docker.run(args.toArray(String[]::new)).ok().line();
  }

  private static void go(String id) {
    String merged = docker.run("inspect", "--format", "{{.GraphDriver.Data.MergedDir}}", id).ok().line();
    try {
      Files.writeString(Path.of(merged, "tmp", "go"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String expected(int from, int to) {
    var sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(String.format("n%07d %090d\n", i, 0));
    }
    return sb.toString();
  }

  private static Path dir(String id) {
    return daemon.dataRoot.resolve("containers").resolve(id);
  }

  private static long bytesOf(Path dir, String prefix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Blocks the file really holds (a punched spool is sparse). */
  private static long allocatedKb(Path file) {
    try {
      Process p = new ProcessBuilder("du", "-k", file.toString()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return Long.parseLong(out.split("\\s+")[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void wait(String id) {
    assertEquals("0", docker.run(null, Duration.ofSeconds(120), "wait", id).ok().line());
  }

  @Test
  @Order(1)
  void jsonFileRotatesAndAFollowStartedBeforeSeesEveryLine() throws Exception {
    String id = numbered(50_000, "", "--log-opt", "max-size=100k", "--log-opt", "max-file=2");
    Process follow = docker.start(false, "logs", "-f", id);
    CompletableFuture<byte[]> followed = DockerCli.drain(follow.getInputStream());
    Thread.sleep(300);
    go(id);
    wait(id);
    String all = expected(0, 50_000);
    String got = new String(followed.get(60, java.util.concurrent.TimeUnit.SECONDS), StandardCharsets.UTF_8);
    assertEquals(all.length(), got.length(), "the follow saw every byte across rotations");
    assertEquals(all, got);
    assertEquals(expected(49_995, 50_000), docker.run("logs", "--tail", "5", id).ok().out());
    long onDisk = bytesOf(dir(id), id + "-json.log");
    assertTrue(onDisk < 300_000, "json-file logs hold " + onDisk + " bytes");
    assertTrue(Files.exists(dir(id).resolve(id + "-json.log.1")), "rotated once at least");
    assertTrue(allocatedKb(dir(id).resolve("container.log")) < 2048, "the spool's converted head is freed: "
        + allocatedKb(dir(id).resolve("container.log")) + " KB");
    String logPath = docker.run("inspect", "--format", "{{.LogPath}}", id).ok().line();
    assertEquals(dir(id).resolve(id + "-json.log").toString(), logPath);
    // Each line is Docker's json-file object: log, stream, time in RFC 3339 with nanoseconds.
    var check = new ProcessBuilder("python3", "-c", """
        import json, sys
        n = 0
        for line in open(sys.argv[1]):
            o = json.loads(line)
            assert set(o) == {"log", "stream", "time"}, o
            assert o["stream"] == "stdout" and o["log"].endswith("\\n") and o["time"].endswith("Z"), o
            n += 1
        print(n)
        """, logPath).redirectErrorStream(true).start();
    String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, check.waitFor(), checked);
    assertTrue(Integer.parseInt(checked) > 0, checked);
    docker.run("rm", id).ok();
    assertFalse(Files.exists(dir(id)), "the logs go with the container");
  }

  @Test
  @Order(2)
  void localRotatesAndCompresses() {
    String id = numbered(50_000, "", "--log-driver", "local", "--log-opt", "max-size=200k");
    go(id);
    wait(id);
    Path logs = dir(id).resolve("local-logs");
    assertTrue(Files.exists(logs.resolve("container.log.1.gz")), "rotated and gzipped");
    assertTrue(Files.exists(logs.resolve("container.log.4.gz")), "five files by default");
    assertFalse(Files.exists(logs.resolve("container.log.5.gz")), "no more than five");
    assertEquals(expected(49_997, 50_000), docker.run("logs", "--tail", "3", id).ok().out());
    String all = docker.run("logs", id).ok().out();
    assertTrue(all.endsWith(expected(45_000, 50_000)), "reads through the compressed files");
    assertTrue(all.length() < 5_000_000, "the oldest files are gone");
    assertEquals("", docker.run("inspect", "--format", "{{.LogPath}}", id).ok().line(), "as dockerd: not API");
    assertEquals("local", docker.run("inspect", "--format", "{{.HostConfig.LogConfig.Type}}", id).ok().line());
    docker.run("rm", id).ok();
  }

  @Test
  @Order(3)
  void noneLogsNothingAndLogsSaysSo() {
    String id = docker.run("run", "-d", "--log-driver", "none", "busybox", "echo", "hello").ok().line();
    wait(id);
    var logs = docker.run("logs", id);
    assertNotEquals(0, logs.exit());
    assertTrue(logs.stderr().contains("configured logging driver does not support reading"), logs.stderr());
    assertFalse(Files.exists(dir(id).resolve("container.log")), "conmon kept no log");
    assertEquals("", docker.run("inspect", "--format", "{{.LogPath}}", id).ok().line());
    // An attach that replays the log (logs=1) gets what dockerd writes there: why it cannot, on stdout.
    assertEquals("Error attaching: failed to get logging factory: logger: no log driver named 'none' is registered: "
        + "error looking up logging plugin none: plugin \"none\" not found\n", attachLogs(id));
    docker.run("rm", id).ok();
  }

  /** The stdout frames of {@code POST /containers/{id}/attach?logs=1&stdout=1&stderr=1}, to the end. */
  private static String attachLogs(String id) {
    try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      ch.connect(java.net.UnixDomainSocketAddress.of(daemon.socket));
      ch.write(java.nio.ByteBuffer.wrap(("POST /containers/" + id + "/attach?logs=1&stdout=1&stderr=1 HTTP/1.1\r\n"
          + "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII)));
      var in = new java.io.DataInputStream(java.nio.channels.Channels.newInputStream(ch));
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
      var out = new StringBuilder();
      byte[] header = new byte[8];
      while (in.readNBytes(header, 0, 8) == 8) {
        int size = java.nio.ByteBuffer.wrap(header, 4, 4).getInt();
        String data = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        if (header[0] == 1) {
          out.append(data);
        }
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @Order(4)
  void unknownDriversAndOptionsAreRefused() {
    var bogus = docker.run("run", "--log-driver", "bogus", "busybox", "true");
    assertNotEquals(0, bogus.exit());
    assertTrue(bogus.stderr().contains("error looking up logging plugin bogus: plugin \"bogus\" not found"),
        bogus.stderr());
    var nope = docker.run("run", "--log-opt", "nope=1", "busybox", "true");
    assertNotEquals(0, nope.exit());
    assertTrue(nope.stderr().contains("unknown log opt 'nope' for json-file log driver"), nope.stderr());
    var syslog = docker.run("create", "--log-driver", "syslog", "busybox", "true");
    assertNotEquals(0, syslog.exit(), "a driver berth lacks is refused, never accepted and dropped");
    var size = docker.run("create", "--log-opt", "max-size=lots", "busybox", "true");
    assertTrue(size.stderr().contains("invalid size: 'lots'"), size.stderr());
  }

  @Test
  @Order(5)
  void detailsShowTheAttributesAskedFor() {
    String id = docker.run("run", "-d", "--label", "team=logs", "--log-opt", "labels=team", "busybox", "echo", "hi")
        .ok().line();
    wait(id);
    assertEquals("team=logs hi\n", docker.run("logs", "--details", id).ok().out());
    assertEquals("hi\n", docker.run("logs", id).ok().out());
    docker.run("rm", id).ok();
  }

  @Test
  @Order(5)
  void tagIsRenderedIntoEachLinesAttributes() throws IOException {
    String id = docker.run("run", "-d", "--name", "tagged", "--label", "team=logs", "--log-opt", "labels=team",
        "--log-opt", "tag={{.DaemonName}}/{{.Name}}/{{.ID}}/{{.ImageName}}", "busybox", "echo", "hi").ok().line();
    wait(id);
    String tag = "docker/tagged/" + id.substring(0, 12) + "/busybox";
    assertEquals("tag=" + tag.replace("/", "%2F") + ",team=logs hi\n", docker.run("logs", "--details", id).ok().out());
    String logPath = docker.run("inspect", "--format", "{{.LogPath}}", id).ok().line();
    var line = new ObjectMapper().readTree(Files.readAllLines(Path.of(logPath)).getFirst());
    assertEquals(tag, line.path("attrs").path("tag").asText(), line.toString());
    assertEquals("logs", line.path("attrs").path("team").asText(), line.toString());
    docker.run("rm", id).ok();
    var piped = docker.run("create", "--log-opt", "tag={{.Name | printf \"%s\"}}", "busybox", "true");
    assertNotEquals(0, piped.exit(), "a template berth cannot render is refused, never mis-rendered");
    assertTrue(piped.stderr().contains("berth renders only literal text and {{.Field}}"), piped.stderr());
  }

  @Test
  @Order(6)
  void aContainerLoggingWhileBerthdIsKilledLosesNoLine() throws Exception {
    // ~2 MB over a few seconds, rotating at 100 KB with 50 files kept: every line stays readable.
    String id = numbered(20_000, "[ $((i % 500)) = 0 ] && sleep 0.1;", "--log-opt", "max-size=100k",
        "--log-opt", "max-file=50");
    go(id);
    Poll.until("output to begin", Duration.ofSeconds(10), () -> docker.run("logs", "--tail", "1", id).out()
        .startsWith("n"));
    daemon.restart(true);
    wait(id);
    String got = docker.run(null, Duration.ofSeconds(60), "logs", id).ok().out();
    assertEquals(expected(0, 20_000).length(), got.length(), "no line lost or doubled");
    assertEquals(expected(0, 20_000), got);
    docker.run("rm", id).ok();
  }

  @Test
  @Order(7)
  void daemonLogOptsApplyToNewContainers() throws Exception {
    Path config = daemon.dir.resolve("daemon.json");
    String before = Files.readString(config);
    daemon.restart(false, () -> {
      try {
        ObjectNode json = (ObjectNode) JSON.readTree(before);
        json.put("log-driver", "json-file");
        json.putObject("log-opts").put("max-size", "10k").put("max-file", "3");
        Files.writeString(config, json.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      assertEquals("json-file", docker.run("info", "--format", "{{.LoggingDriver}}").ok().line());
      String id = numbered(2_000, "");
      assertEquals("map[max-file:3 max-size:10k]",
          docker.run("inspect", "--format", "{{.HostConfig.LogConfig.Config}}", id).ok().line());
      go(id);
      wait(id);
      assertTrue(Files.exists(dir(id).resolve(id + "-json.log.2")), "rotated as the daemon's options say");
      assertFalse(Files.exists(dir(id).resolve(id + "-json.log.3")));
      assertEquals(expected(1_999, 2_000), docker.run("logs", "--tail", "1", id).ok().out());
      docker.run("rm", id).ok();
    } finally {
      daemon.restart(false, () -> {
        try {
          Files.writeString(config, before);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
