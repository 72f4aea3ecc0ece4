package dev.berth.server;

import dev.berth.core.error.EngineException;
import dev.berth.server.api.ApiRouter;
import dev.berth.server.error.ErrorMapper;
import dev.berth.server.stream.ConnectionCapture;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.temporal.ChronoUnit;

/** Helidon on a Unix socket, serving the Docker API route table. */
public final class ApiServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
  private static final String SOCKET_GROUP = "berth";

  /** dockerd's prefix for a socket it cannot make. */
  private static final String LISTENERS = "failed to load listeners: can't create unix socket ";
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final byte[] WARM_REQUEST = "GET /_ping HTTP/1.1\r\nHost: berthd\r\nConnection: close\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private final WebServer server;
  private final Path socket;
  private final Object fileKey;

  private ApiServer(WebServer server, Path socket, Object fileKey) {
    this.server = server;
    this.socket = socket;
    this.fileKey = fileKey;
  }

  /**
   * Starts Helidon in a private directory beside {@code socket}, where no client can reach it, so
   * that its start-up can run while the engine starts: {@link Staged#publish} or {@link
   * Staged#adopt} then serves the engine's routes on the real socket.
   */
  public static Staged stage(Path socket) {
    HelidonServices.install();
    Path staging = staging(socket);
    var staged = new Staged(staging);
    Path bound = staging.resolve("s");
    staged.server = serve(bound, staged);
    // Nothing waits for it: a start never hangs on its own warm-up.
    Thread.ofVirtual().name("berth-api-warmup").start(() -> warm(bound));
    return staged;
  }

  /**
   * Sends the staged server one request, which it answers 503 while it has no routes: Helidon's
   * accept, parsing and answer paths then run for the first time beside the engine's start rather
   * than in the first client's request (~5 ms of a start's first {@code /_ping}, issue 15). Only
   * berthd can reach the staging directory, so this request is the only one answered so; if the
   * routes are published first, it is an ordinary {@code /_ping}.
   */
  private static void warm(Path bound) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(bound));
      ch.write(ByteBuffer.wrap(WARM_REQUEST));
      // Up to the end of the answer's head: it has no body.
      var answer = ByteBuffer.allocate(4096);
      while (answer.hasRemaining() && ch.read(answer) >= 0
          && !new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
        // more of the head to come
      }
    } catch (IOException e) {
      // The first client's request pays for it instead.
    }
  }

  /** A server started in its staging directory, not yet reachable; see {@link #stage}. */
  public static final class Staged implements AutoCloseable {

    private final Path staging;
    private final Path bound;
    private WebServer server;
    private volatile ApiRouter router;
    private boolean handedOver;

    private Staged(Path staging) {
      this.staging = staging;
      this.bound = staging.resolve("s");
    }

    private void dispatch(ServerRequest req, ServerResponse res)
        throws Exception {
      ApiRouter r = router;
      if (r == null) {
        // stage's own warm-up request: nothing else reaches the staging directory.
        res.status(Status.SERVICE_UNAVAILABLE_503).send();
        return;
      }
      r.dispatch(req, res);
    }

    /**
     * Serves {@code router} on {@code socket}, mode 0660 and group {@code berth} when that group
     * exists, from the moment it appears there. Helidon binds and listens in one step, and the
     * JVM's umask is the whole process's, so the socket is bound in the private staging directory
     * (0700), given its mode and group there and only then linked into place; dockerd
     * (go-connections) gets the same by setting the mode between bind and listen. A file left by a
     * crash is replaced; a socket some process still listens on is not.
     *
     * @throws InstanceLock.Refused if another process listens on {@code socket}
     */
    public ApiServer publish(Path socket, ApiRouter router) {
      handedOver = true;
      this.router = router;
      Object key;
      try {
        restrict(bound);
        checkFree(socket);
        Files.deleteIfExists(socket);
        // A link, not a rename: it fails rather than replace a socket another process bound meanwhile.
        Files.createLink(socket, bound);
        key = fileKey(socket);
        removeStaging(staging);
      } catch (IOException | RuntimeException e) {
        abandon(server, staging);
        if (e instanceof FileAlreadyExistsException) {
          throw new InstanceLock.Refused(inUse(socket));
        }
        if (e instanceof IOException io) {
          throw new UncheckedIOException("cannot create unix socket " + socket, io);
        }
        throw (RuntimeException) e;
      }
      LOG.log(System.Logger.Level.INFO, "API listening on unix://" + socket);
      return new ApiServer(server, socket, key);
    }

    /**
     * Serves {@code router} on the socket systemd passed (socket activation). Helidon takes no
     * socket it did not bind, so the passed socket is put in the place of the staged one's
     * descriptor (dup3): Helidon's next accept takes connections from systemd's socket. Its accept
     * already waiting on its own socket is woken with one empty connection. The socket's file,
     * mode and group are systemd's (packaging/berthd.socket), and stay when berthd stops.
     */
    public ApiServer adopt(SystemdListener listener, ApiRouter router) {
      handedOver = true;
      this.router = router;
      try {
        listener.replace(bound);
        wake(bound);
        removeStaging(staging);
      } catch (IOException | RuntimeException e) {
        abandon(server, staging);
        if (e instanceof IOException io) {
          throw new UncheckedIOException("cannot serve on the socket systemd passed, " + listener.path(), io);
        }
        throw (RuntimeException) e;
      }
      LOG.log(System.Logger.Level.INFO, "API listening on unix://" + listener.path() + " (fd " + listener.fd()
          + ", from systemd)");
      return new ApiServer(server, listener.path(), null);
    }

    /** Stops the server if it was never published (the engine failed to start). */
    @Override
    public void close() {
      if (!handedOver) {
        handedOver = true;
        abandon(server, staging);
      }
    }
  }

  /** Stops a server whose socket could not be put in place, and removes its staging directory. */
  private static void abandon(WebServer server, Path staging) {
    server.stop();
    try {
      removeStaging(staging);
    } catch (IOException ignored) {
      // what is left is ours and private, and removed on the next start
    }
  }

  /** Ends an accept waiting on the socket bound at {@code bound}, if one is. */
  private static void wake(Path bound) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(bound));
    } catch (IOException e) {
      // Nothing waited on it: the socket went with its last descriptor.
    }
  }

  /** A private directory (0700) beside {@code socket}, to bind in before anyone may connect. */
  private static Path staging(Path socket) {
    Path parent = socket.toAbsolutePath().getParent();
    Path staging = parent.resolve("." + socket.getFileName() + "." + ProcessHandle.current().pid());
    try {
      Files.createDirectories(parent);
      removeStaging(staging);
      Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + socket, e);
    }
    return staging;
  }

  private static WebServer serve(Path bound, Staged staged) {
    var http1 = Http1ConnectionSelector.builder()
        // Clients send odd Host headers (api.moby.localhost, docker.sock, none at all).
        .config(Http1Config.builder().validateRequestHostHeader(false)
            // Go's server takes a query as it comes: curl -g and scripts send filters={"a":["b"]} unencoded.
            .validatePrologue(false)
            .build())
        .build();
    return WebServer.builder()
        .bindAddress(UnixDomainSocketAddress.of(bound))
        .protocolsDiscoverServices(false)
        // berthd stops the server from its own shutdown hook, in order with the rest of the
        // engine; Helidon's would load its Main, which looks for a logging provider on the whole
        // class path and says on stderr that there is none.
        .shutdownHook(false)
        // Go's server (dockerd) never closes an idle kept-alive connection; Helidon's default is 5 min.
        .idleConnectionTimeout(ChronoUnit.FOREVER.getDuration())
        .addConnectionSelector(new ConnectionCapture(http1))
        .routing(r -> routing(r, staged::dispatch))
        .build()
        .start();
  }

  /**
   * Refuses a socket path some process listens on; a socket file nothing listens on (a crash left
   * it) is fine and will be replaced.
   *
   * @throws InstanceLock.Refused if a process accepts connections there, or the path is not a socket
   */
  static void checkFree(Path socket) {
    int mode;
    try {
      mode = (int) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + socket, e);
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new InstanceLock.Refused(LISTENERS + socket + ": the path exists and is not a socket");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // Non-blocking: a listener whose backlog is full is alive but would block a plain connect.
      probe.configureBlocking(false);
      probe.connect(UnixDomainSocketAddress.of(socket));
    } catch (ConnectException e) {
      return;
    } catch (IOException e) {
      if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      // EAGAIN: a backlog full of waiting connections, so something listens
    }
    throw new InstanceLock.Refused(inUse(socket));
  }

  private static String inUse(Path socket) {
    return LISTENERS + socket + ": another process is listening on it, ensure berthd is not running";
  }

  /** Our own staging directory, maybe left by a crashed berthd that had our pid; nothing in it is followed. */
  private static void removeStaging(Path staging) throws IOException {
    if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      try (var entries = Files.list(staging)) {
        for (Path p : entries.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.deleteIfExists(staging);
  }

  private static Object fileKey(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }

  static void routing(HttpRouting.Builder r, Handler router) {
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
      // The answer is complete here (filters wrap the commit). Helidon marks it Connection: close
      // when the request asked for that (or was HTTP/1.0), as does an answer to a body that could
      // not be read, but then waits for another request on the connection: Go's server closes it,
      // and clients that read to end of stream (Testcontainers' reaper) wait for exactly that.
      if (res.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
        throw new CloseConnectionException("the exchange asked for Connection: close");
      }
    });
    r.any(router);
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
    if (fileKey == null) {
      return; // systemd's socket: it stays, and the next start takes it again
    }
    try {
      // Only our own socket: the path may have been given to another daemon since.
      if (fileKey.equals(fileKey(socket))) {
        Files.delete(socket);
      }
    } catch (NoSuchFileException e) {
      // removed already
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remove " + socket + ": " + e.getMessage());
    }
  }
}
