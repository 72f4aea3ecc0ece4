package dev.berth.server;

import dev.berth.core.error.EngineException;
import dev.berth.server.api.ApiRouter;
import dev.berth.server.error.ErrorMapper;
import dev.berth.server.stream.ConnectionCapture;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** Helidon on a Unix socket, serving the Docker API route table. */
public final class ApiServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
  private static final String SOCKET_GROUP = "berth";

  private final WebServer server;
  private final Path socket;

  private ApiServer(WebServer server, Path socket) {
    this.server = server;
    this.socket = socket;
  }

  /**
   * Binds {@code socket} (replacing a stale file a crash left behind), mode 0660 and group
   * {@code berth} when that group exists, and starts serving.
   */
  public static ApiServer start(Path socket, ApiRouter router) {
    try {
      Files.createDirectories(socket.toAbsolutePath().getParent());
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + socket, e);
    }
    var http1 = Http1ConnectionSelector.builder()
        // Clients send odd Host headers (api.moby.localhost, docker.sock, none at all).
        .config(Http1Config.builder().validateRequestHostHeader(false).build())
        .build();
    WebServer server = WebServer.builder()
        .bindAddress(UnixDomainSocketAddress.of(socket))
        .protocolsDiscoverServices(false)
        .addConnectionSelector(new ConnectionCapture(http1))
        .routing(r -> routing(r, router))
        .build()
        .start();
    restrict(socket);
    LOG.log(System.Logger.Level.INFO, "API listening on unix://" + socket);
    return new ApiServer(server, socket);
  }

  static void routing(HttpRouting.Builder r, ApiRouter router) {
    r.addFilter((chain, req, res) -> {
      long start = System.nanoTime();
      res.header("Api-Version", dev.berth.server.api.ApiVersion.CURRENT.toString());
      res.header("Ostype", "linux");
      res.header("Docker-Experimental", "false");
      res.header(HeaderNames.SERVER, "berth/" + dev.berth.core.system.EngineVersion.VERSION + " (linux)");
      try {
        chain.proceed();
      } finally {
        LOG.log(System.Logger.Level.DEBUG, () -> String.format("%s %s -> %d (%.1f ms)",
            req.prologue().method().text(), req.path().rawPath(), res.status().code(),
            (System.nanoTime() - start) / 1e6));
      }
    });
    r.any((req, res) -> router.dispatch(req, res));
    r.error(EngineException.class, ErrorMapper::write);
    r.error(Throwable.class, ErrorMapper::unexpected);
  }

  private static void restrict(Path socket) {
    try {
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
      GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByGroupName(SOCKET_GROUP);
      Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(group);
    } catch (UserPrincipalNotFoundException e) {
      // No berth group: only root may use the socket, like dockerd without a docker group.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set permissions of " + socket, e);
    }
  }

  public Path socket() {
    return socket;
  }

  @Override
  public void close() {
    server.stop();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remove " + socket + ": " + e.getMessage());
    }
  }
}
