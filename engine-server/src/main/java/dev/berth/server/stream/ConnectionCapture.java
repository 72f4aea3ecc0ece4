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

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    ServerConnection connection = delegate.connection(ctx);
    return new ServerConnection() {
      @Override
      public void handle(Limit limit) throws InterruptedException {
        CURRENT.set(ctx);
        try {
          connection.handle(limit);
        } finally {
          CURRENT.remove();
        }
      }

      @Override
      public Duration idleTime() {
        return connection.idleTime();
      }

      @Override
      public void close(boolean interrupt) {
        connection.close(interrupt);
      }
    };
  }
}
