package dev.berth.server.stream;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Wraps the HTTP/1 connection selector so that a route handler can reach its own raw connection.
 * Helidon runs handlers on the connection's virtual thread, so a thread-local is exact. Attach
 * and exec start take their connection over this way: Helidon's upgrade path skips requests that
 * carry a body (exec start always does) and dockerode's hijack sends a chunked body that never ends.
 * It is also where a client speaking HTTP/1.0 is found and given {@link Http10Connection}.
 */
public final class ConnectionCapture implements ServerConnectionSelector {

  private static final ThreadLocal<ConnectionContext> CURRENT = new ThreadLocal<>();
  private final ServerConnectionSelector delegate;

  public ConnectionCapture(ServerConnectionSelector delegate) {
    this.delegate = delegate;
  }

  static Optional<ConnectionContext> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  @Override
  public int bytesToIdentifyConnection() {
    return delegate.bytesToIdentifyConnection();
  }

  @Override
  public Support supports(BufferData data) {
    return delegate.supports(data);
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return delegate.supportedApplicationProtocols();
  }

  /**
   * The HTTP/1 connection, made once the first request line has arrived: a client speaking HTTP/1.0
   * gets it through {@link Http10Connection}. Until then the connection counts as busy, never idle.
   */
  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    return new ServerConnection() {
      private volatile ServerConnection connection;
      private volatile Thread thread;
      private volatile boolean closed;

      @Override
      public void handle(Limit limit) throws InterruptedException {
        thread = Thread.currentThread();
        ConnectionContext c = Http10Connection.speaks10(ctx.dataReader()) ? Http10Connection.wrap(ctx) : ctx;
        ServerConnection http = delegate.connection(c);
        connection = http;
        if (closed) {
          return;
        }
        CURRENT.set(c);
        try {
          http.handle(limit);
        } finally {
          CURRENT.remove();
        }
      }

      @Override
      public Duration idleTime() {
        ServerConnection http = connection;
        return http == null ? Duration.ZERO : http.idleTime();
      }

      @Override
      public void close(boolean interrupt) {
        closed = true;
        ServerConnection http = connection;
        if (http != null) {
          http.close(interrupt);
        } else if (interrupt && thread != null) {
          thread.interrupt();
        }
      }
    };
  }
}
