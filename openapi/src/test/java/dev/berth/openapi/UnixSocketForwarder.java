package dev.berth.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A loopback TCP port whose every connection is carried, byte for byte, to a Unix socket: Java's
 * HttpClient speaks only TCP, berthd only its socket. Each connection gets one unix connection
 * and two virtual threads, one per direction; an end of stream in one direction half-closes the
 * other side, so {@code Connection: close} and streamed answers behave as on the socket.
 */
public final class UnixSocketForwarder implements AutoCloseable {

  private final ServerSocketChannel server;
  private final Path socket;

  private UnixSocketForwarder(ServerSocketChannel server, Path socket) {
    this.server = server;
    this.socket = socket;
  }

  /** Listens on 127.0.0.1 at a free port and forwards to {@code socket} until closed. */
  public static UnixSocketForwarder to(Path socket) {
    try {
      var server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      var forwarder = new UnixSocketForwarder(server, socket);
      Thread.ofVirtual().name("forward-accept").start(forwarder::accept);
      return forwarder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUri() {
    try {
      return "http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
        unix.connect(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> pump(client, unix));
        Thread.ofVirtual().start(() -> pump(unix, client));
      } catch (IOException e) {
        // closed, or berthd is gone: the client sees its connection fail
      }
    }
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    var buffer = ByteBuffer.allocate(64 * 1024);
    try (from) {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(to);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
