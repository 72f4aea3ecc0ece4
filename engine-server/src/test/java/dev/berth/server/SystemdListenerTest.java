package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.os.Fd;
import dev.berth.server.api.ApiRouter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Socket activation without systemd: the test plays systemd, with a socket and LISTEN_FDS/LISTEN_PID. */
class SystemdListenerTest {

  private static final long SELF = ProcessHandle.current().pid();
  private static final SystemdListener.UnixSockets PROC = SystemdListener.UnixSockets.ofThisProcess();

  @TempDir
  Path dir;

  @Test
  void berthdServesOnTheSocketItWasHanded() throws Exception {
    Path path = dir.resolve("berth.sock");
    int passed;
    try (ServerSocketChannel systemd = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      systemd.bind(UnixDomainSocketAddress.of(path));
      // What systemd hands over is a descriptor of its listening socket; the test keeps its channel apart.
      passed = Fd.dup(PROC.listeningFd(path).orElseThrow());
    }
    // fd://N for the descriptor the test has, with LISTEN_FDS reaching up to it.
    var env = Map.of("LISTEN_FDS", Integer.toString(passed - SystemdListener.FIRST_FD + 1), "LISTEN_PID",
        Long.toString(SELF));
    SystemdListener listener = SystemdListener.take(Integer.toString(passed), env, SELF, PROC);
    assertEquals(path, listener.path());

    var router = new ApiRouter();
    router.get("/_ping", (req, res) -> res.send("OK"));
    try (ApiServer server = ApiServer.stage(listener.path()).adopt(listener, router)) {
      assertEquals(path, server.socket());
      for (int i = 0; i < 3; i++) {
        assertTrue(get(path, "/_ping").endsWith("\r\n\r\nOK"), "served through the passed socket");
      }
      assertEquals(java.util.Optional.empty(), PROC.listeningPath(passed), "the passed descriptor is closed");
    }
    assertTrue(Files.exists(path), "the socket file is systemd's: it stays for the next start");
    try (var entries = Files.list(dir)) {
      assertEquals(1, entries.count(), "no staging directory left");
    }
  }

  @Test
  void nothingPassedIsRefusedInDockerdsWords() {
    var none = assertThrows(DaemonConfig.UsageException.class, () -> SystemdListener.take("", Map.of(), SELF, PROC));
    assertEquals(SystemdListener.NONE, none.getMessage());
    var otherProcess = Map.of("LISTEN_FDS", "1", "LISTEN_PID", Long.toString(SELF + 1));
    assertEquals(SystemdListener.NONE, assertThrows(DaemonConfig.UsageException.class,
        () -> SystemdListener.take("", otherProcess, SELF, PROC)).getMessage(), "meant for another process");
  }

  @Test
  void anAddressNamesOneOfThePassedDescriptors() {
    var two = Map.of("LISTEN_FDS", "2", "LISTEN_PID", Long.toString(SELF));
    assertEquals("failed to parse systemd fd address: should be a number: x",
        assertThrows(DaemonConfig.UsageException.class, () -> SystemdListener.take("x", two, SELF, PROC)).getMessage());
    assertEquals("too few socket activated files passed in by systemd",
        assertThrows(DaemonConfig.UsageException.class, () -> SystemdListener.take("5", two, SELF, PROC)).getMessage());
    assertTrue(assertThrows(DaemonConfig.UsageException.class, () -> SystemdListener.take("", two, SELF, PROC))
        .getMessage().startsWith("berthd listens on one socket, but systemd passed 2"));
    assertEquals(2, SystemdListener.passed(two, SELF));
    assertEquals(0, SystemdListener.passed(Map.of("LISTEN_FDS", "1"), SELF), "no LISTEN_PID: not ours");
  }

  @Test
  void fdHostsParseWithoutASocketPath() throws IOException {
    var c = DaemonConfigFiles.parse(dir, "{}", "-H", "fd://");
    assertEquals("", c.systemdFd());
    assertEquals(null, c.socket());
    assertEquals("3", DaemonConfigFiles.parse(dir, "{}", "--host=fd://3").systemdFd());
    assertEquals(null, DaemonConfigFiles.parse(dir, "{}").systemdFd());
  }

  private static String get(Path socket, String path) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII)));
      var out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (ch.read(buf) >= 0) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      return out.toString(StandardCharsets.US_ASCII);
    }
  }
}
