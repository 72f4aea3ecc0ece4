package dev.berth.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The training run for berthd's JDK AOT cache (JEP 483/514/515): {@code ./berthd} runs it once per
 * build with {@code -XX:AOTCacheOutput}, on a private data root, exec root, socket and cgroup
 * parent, and starts berthd with {@code -XX:AOTCache} from then on. It starts the engine as
 * berthd does, answers the requests a client makes first ({@code docker version}, {@code info},
 * {@code ps}, {@code images}) through its own socket, and stops it; the classes loaded and
 * linked on that path are what the cache holds, so a start with it skips most of their loading.
 * Takes berthd's own flags.
 */
public final class AotTraining {

  private static final List<String> REQUESTS = List.of("/_ping", "/v1.51/version", "/v1.51/info",
      "/v1.51/containers/json?all=1", "/v1.51/images/json", "/v1.51/networks", "/v1.51/volumes",
      "/v1.51/containers/none/json", "/v1.51/events?until=1");

  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    DaemonConfig config;
    try {
      config = DaemonConfig.parse(List.of(args));
    } catch (DaemonConfig.UsageException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.logLevel());
    try (Main.Engine engine = Main.Engine.start(config)) {
      for (int round = 0; round < 3; round++) {
        for (String path : REQUESTS) {
          get(config.socket(), path);
        }
      }
    }
    System.exit(0);
  }

  /** One request on its own connection, read to the end; the answer does not matter. */
  private static void get(java.nio.file.Path socket, String path) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII)));
      var out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (ch.read(buf) >= 0) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
    }
  }
}
