package dev.berth.server.stream;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A client connection taken out of HTTP: after the 101 (or the old-style 200) the socket carries
 * raw stdin one way and output the other, as dockerd's hijack does.
 */
public final class HijackedConnection implements AutoCloseable {

  public static final String RAW = "application/vnd.docker.raw-stream";
  public static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";

  private final ConnectionContext ctx;
  private final OutputStream out = new Output();
  private volatile boolean closed;

  private HijackedConnection(ConnectionContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Takes over the current request's connection and writes the response head: {@code 101
   * UPGRADED} when the client asked for {@code Upgrade: tcp}, else a bare 200 that ends when the
   * connection closes (docker-java and dockerode without hijack). The head goes out in a write of
   * its own: docker-py reads the stream from beneath its buffered HTTP reader.
   */
  public static HijackedConnection takeOver(boolean upgrade, String contentType) {
    ConnectionContext ctx = ConnectionCapture.current()
        .orElseThrow(() -> new IllegalStateException("handler is not running on its connection's thread"));
    String head = upgrade
        ? "HTTP/1.1 101 UPGRADED\r\nContent-Type: " + contentType + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
        : "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nConnection: close\r\n";
    head += "Api-Version: 1.51\r\nOstype: linux\r\nDocker-Experimental: false\r\n\r\n";
    ctx.dataWriter().writeNow(BufferData.create(head.getBytes(StandardCharsets.US_ASCII)));
    return new HijackedConnection(ctx);
  }

  /** Output to the client; writes are flushed at once and safe from several threads. */
  public OutputStream output() {
    return out;
  }

  /**
   * Raw bytes the client sends; end of stream when it half-closes or goes away. With no stdin
   * attached the docker CLI half-closes at once, which must not end the output.
   */
  public InputStream input() {
    return input;
  }

  private final InputStream input = new InputStream() {
    private BufferData pending;

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pending == null || pending.available() == 0) {
        pending = next();
        if (pending == null) {
          return -1;
        }
      }
      int n = Math.min(len, pending.available());
      pending.read(b, off, n);
      return n;
    }
  };

  private BufferData next() {
    if (closed) {
      return null;
    }
    try {
      return ctx.dataReader().readBuffer();
    } catch (DataReader.InsufficientDataAvailableException e) {
      return null;
    } catch (RuntimeException e) {
      if (closed) {
        return null;
      }
      throw e;
    }
  }

  /** Closes the socket, which also ends a read blocked on it. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        ctx.serverSocket().close();
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
  }

  /**
   * What the handler throws at the end: returning normally would make Helidon answer the request
   * again and parse stdin as the next request.
   */
  public RuntimeException finished() {
    close();
    return new CloseConnectionException("hijacked stream finished");
  }

  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("connection closed");
      }
      try {
        synchronized (this) {
          ctx.dataWriter().writeNow(BufferData.create(b, off, len));
        }
      } catch (RuntimeException e) {
        throw new IOException("client went away", e);
      }
    }
  }
}
