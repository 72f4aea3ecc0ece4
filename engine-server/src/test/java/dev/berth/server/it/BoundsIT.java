package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Issue 10: what a client or a second daemon can do to berthd is bounded. */
class BoundsIT extends WithBerthd {

  private static final int LIMIT = 16 << 20;

  @Test
  void aSecondBerthdOnTheSameStateIsRefusedAndTheFirstKeepsServing() throws IOException {
    var run = daemon.runAnother(daemon.socket, daemon.dataRoot, daemon.execRoot);
    assertEquals(1, run.exit(), run.output());
    Path pidFile = daemon.execRoot.resolve("berth.pid");
    assertTrue(run.output().contains("failed to start daemon, ensure berthd is not running or delete " + pidFile
        + ": process with PID " + daemon.pid() + " is still running"), run.output());
    assertStillServing();
    assertEquals(Long.toString(daemon.pid()), Files.readString(pidFile));
  }

  @Test
  void aSecondBerthdOnTheSameSocketIsRefusedBeforeItTouchesItsDataRoot() {
    Path other = daemon.dir.resolve("other-socket");
    var run = daemon.runAnother(daemon.socket, other.resolve("data"), other.resolve("run"));
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().contains("failed to load listeners: can't create unix socket " + daemon.socket
        + ": another process is listening on it, ensure berthd is not running"), run.output());
    assertFalse(Files.exists(other.resolve("data")), "the refused daemon did not touch its data root");
    assertFalse(Files.exists(other.resolve("run/berth.pid")), "and removed its pid file");
    assertStillServing();
  }

  @Test
  void aSecondBerthdOnTheSameDataRootIsRefused() {
    Path other = daemon.dir.resolve("other-data");
    var run = daemon.runAnother(other.resolve("berth.sock"), daemon.dataRoot, other.resolve("run"));
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().contains("failed to start daemon, ensure berthd is not running: data root "
        + daemon.dataRoot + " is in use: process with PID " + daemon.pid() + " is still running"), run.output());
    assertFalse(Files.exists(other.resolve("berth.sock")));
    assertFalse(Files.exists(other.resolve("run/berth.pid")), "the refused daemon removed its pid file");
    assertStillServing();
  }

  @Test
  void theSocketHasItsModeAndAKilledDaemonsSocketAndPidFileDoNotBlockARestart() throws IOException {
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket)));
    assertEquals(List.of(), staging());
    daemon.restart(true, () -> {
      assertTrue(Files.exists(daemon.socket, LinkOption.NOFOLLOW_LINKS), "SIGKILL leaves the socket file");
      assertTrue(Files.exists(daemon.execRoot.resolve("berth.pid")), "and the pid file");
    });
    assertStillServing();
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket)));
    assertEquals(List.of(), staging());
  }

  @Test
  void aJsonBodyOverTheLimitIsRefusedAndTheDaemonCarriesOn() {
    String declared = exchange("POST /volumes/create HTTP/1.1\r\nHost: berth\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n", filler(LIMIT + 1));
    assertTrue(declared.startsWith("HTTP/1.1 400"), declared);
    assertTrue(declared.endsWith("{\"message\":\"invalid JSON: http: request body too large\"}"), declared);

    byte[] body = filler(LIMIT + 4096);
    var chunked = new ByteArrayOutputStream();
    for (int off = 0; off < body.length; off += 65536) {
      int n = Math.min(65536, body.length - off);
      chunked.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.write(body, off, n);
      chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String streamed = exchange("POST /containers/create HTTP/1.1\r\nHost: berth\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n", chunked.toByteArray());
    assertTrue(streamed.startsWith("HTTP/1.1 400"), streamed);
    assertTrue(streamed.endsWith("{\"message\":\"invalid JSON: http: request body too large\"}"), streamed);
    assertStillServing();

    // A large body under the limit is fine: a volume with a 1 MiB label.
    String big = "{\"Name\":\"bounded\",\"Labels\":{\"big\":\"" + "x".repeat(1 << 20) + "\"}}";
    String created = daemon.http("POST", "/volumes/create", big);
    assertTrue(created.startsWith("HTTP/1.1 201"), created.substring(0, Math.min(300, created.length())));
    docker.run("volume", "rm", "bounded").ok();
  }

  @Test
  void anEventsFollowerThatStopsReadingIsDroppedAndOthersAreNot() throws Exception {
    Path seen = daemon.dir.resolve("destroyed.txt");
    Process reader = docker.startTo(seen, "events", "--filter", "type=volume", "--filter", "event=destroy",
        "--format", "{{.Actor.ID}}");
    try (SocketChannel stuck = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      stuck.connect(UnixDomainSocketAddress.of(daemon.socket));
      stuck.write(ByteBuffer.wrap("GET /events HTTP/1.1\r\nHost: berth\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      InputStream in = Channels.newInputStream(stuck);
      // The answer's head comes once it follows; from here on it reads nothing.
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
      // The CLI follower subscribes some time after it starts: mark until it has seen a marker.
      Poll.until("the reading follower to start", Duration.ofSeconds(30), () -> {
        volumeCycle("marker");
        return read(seen).contains("marker\n");
      });

      // Enough events to fill the socket's buffers and then the stuck follower's backlog of 1024.
      int cycles = 1200;
      for (int i = 0; i < cycles; i++) {
        volumeCycle("ev" + i);
      }
      // The stuck follower's stream ends: what was buffered, then end of file.
      long bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
      assertTrue(bytes > 0);
      Poll.until("the reading follower to see the last removal", Duration.ofSeconds(30),
          () -> read(seen).contains("ev" + (cycles - 1) + "\n"));
      var expected = Stream.iterate(0, i -> i + 1).limit(cycles).map(i -> "ev" + i).toList();
      assertEquals(expected, read(seen).lines().dropWhile(l -> l.equals("marker")).toList(),
          "the reading follower saw every removal, in order");
    } finally {
      reader.destroy();
      reader.waitFor();
    }
    assertStillServing();
  }

  private static void volumeCycle(String name) {
    String created = daemon.http("POST", "/volumes/create", "{\"Name\":\"" + name + "\"}");
    assertTrue(created.startsWith("HTTP/1.1 201"), created);
    String removed = daemon.http("DELETE", "/volumes/" + name, null);
    assertTrue(removed.startsWith("HTTP/1.1 204"), removed);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertStillServing() {
    assertTrue(Files.exists(daemon.socket, LinkOption.NOFOLLOW_LINKS), "the first daemon's socket is still there");
    assertTrue(daemon.http("GET", "/_ping", null).startsWith("HTTP/1.1 200"));
  }

  /** What is left in the socket's directory of berthd's private binding directories. */
  private static List<String> staging() throws IOException {
    try (Stream<Path> entries = Files.list(daemon.socket.getParent())) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".berth.sock.")).toList();
    }
  }

  private static byte[] filler(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) ' ');
    return b;
  }

  /**
   * Sends a request whose body the server may refuse before reading it: the body goes from a
   * thread of its own (its write fails once the server closes), the answer is read here.
   */
  private static String exchange(String head, byte[] body) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(daemon.socket));
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          // A blocking write may still write only part of a large buffer.
          ByteBuffer rest = ByteBuffer.wrap(body);
          while (rest.hasRemaining()) {
            ch.write(rest);
          }
        } catch (IOException e) {
          // the server answered and closed without reading it all
        }
      });
      InputStream in = Channels.newInputStream(ch);
      var head2 = new StringBuilder();
      while (!head2.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return head2.toString();
        }
        head2.append((char) b);
      }
      var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head2);
      String answer = head2 + (m.find() ? new String(in.readNBytes(Integer.parseInt(m.group(1))),
          StandardCharsets.UTF_8) : "");
      ch.close();
      writer.join();
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
