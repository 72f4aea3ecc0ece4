package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetNamespacesTest {

  @TempDir
  Path dir;

  @Test
  void aNewNamespaceHasOnlyLoopbackAndItIsUp() throws Exception {
    Path ns = dir.resolve("netns/one");
    NetNamespaces.create(ns);
    try {
      assertTrue(NetNamespaces.exists(ns));
      // /proc/net follows the process's main thread; the calling thread's view is under thread-self.
      List<String> inside = NetNamespaces.call(ns, () -> Files.readAllLines(Path.of("/proc/thread-self/net/dev"))
          .stream().skip(2).map(l -> l.trim().split(":")[0]).toList());
      assertEquals(List.of("lo"), inside);
      assertTrue(NetNamespaces.call(ns, () -> NetworkInterface.getByName("lo").isUp()));
      assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
          NetNamespaces.call(ns, () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))));
    } finally {
      NetNamespaces.remove(ns);
    }
    assertFalse(Files.exists(ns));
    NetNamespaces.remove(ns);
  }

  @Test
  void aSocketOpenedInsideStaysInsideAfterTheCallReturns() throws Exception {
    Path ns = dir.resolve("two");
    NetNamespaces.create(ns);
    try (DatagramChannel server = NetNamespaces.call(ns,
        () -> DatagramChannel.open().bind(new InetSocketAddress("127.0.0.11", 0)))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      NetNamespaces.call(ns, () -> {
        try (DatagramChannel client = DatagramChannel.open()) {
          client.send(ByteBuffer.wrap("ping".getBytes()), new InetSocketAddress("127.0.0.11", port));
        }
        return null;
      });
      ByteBuffer got = ByteBuffer.allocate(16);
      server.receive(got);
      assertEquals("ping", new String(got.array(), 0, got.position()));
    } finally {
      NetNamespaces.remove(ns);
    }
  }
}
