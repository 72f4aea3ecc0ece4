package dev.berth.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's docker-registry (distribution 2.8) on 127.0.0.1 and a free port, with its own config
 * and storage in a temporary directory; optionally behind htpasswd (bcrypt) basic auth. {@link #close}
 * stops it by its pid and deletes the directory.
 */
final class TestRegistry implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/docker-registry");

  final Path dir;
  final int port;
  private final Process process;
  private final boolean tls;

  private TestRegistry(Path dir, int port, Process process, boolean tls) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.tls = tls;
  }

  /** An open registry. */
  static TestRegistry start() {
    return start(null, null, false);
  }

  /** A registry that wants {@code user}/{@code password} (basic auth). */
  static TestRegistry start(String user, String password) {
    return start(user, password, false);
  }

  /** An open registry on HTTPS with a self-signed certificate for another host name. */
  static TestRegistry startTls() {
    return start(null, null, true);
  }

  private static TestRegistry start(String user, String password, boolean tls) {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError("these tests need Debian's docker-registry (apt-get install docker-registry)");
    }
    try {
      Path dir = Files.createTempDirectory("berth-registry-");
      int port = freePort();
      String auth = "";
      if (user != null) {
        run(List.of("htpasswd", "-Bbc", dir.resolve("htpasswd").toString(), user, password));
        auth = "auth:\n  htpasswd:\n    realm: berth-test\n    path: " + dir.resolve("htpasswd") + "\n";
      }
      String certificate = "";
      if (tls) {
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
            "/CN=registry.invalid", "-keyout", dir.resolve("key.pem").toString(), "-out",
            dir.resolve("cert.pem").toString()));
        certificate = "  tls:\n    certificate: " + dir.resolve("cert.pem") + "\n    key: " + dir.resolve("key.pem") + "\n";
      }
      Files.writeString(dir.resolve("config.yml"), """
          version: 0.1
          log:
            level: warn
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
          %s%s""".formatted(dir.resolve("data"), port, certificate, auth));
      Process p = new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
      var r = new TestRegistry(dir, port, p, tls);
      try {
        r.awaitReady();
      } catch (RuntimeException | Error e) {
        r.close();
        throw e;
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:<port>}, as image references name it. */
  String host() {
    return "127.0.0.1:" + port;
  }

  private void awaitReady() {
    var http = HttpClient.newHttpClient();
    Poll.until("docker-registry on " + host(), Duration.ofSeconds(20), () -> {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited: " + log());
      }
      if (tls) {
        // Its certificate is nobody's: that it listens is enough.
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
          return true;
        } catch (IOException e) {
          return false;
        }
      }
      try {
        int s = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        return s == 200 || s == 401;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  /**
   * {@code skopeo copy} from an image archive ({@code docker-archive:...}, {@code oci-archive:...})
   * into {@code repo:tag} here.
   */
  void put(String source, String repoTag, String... extra) {
    var cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false"));
    cmd.addAll(List.of(extra));
    cmd.add(source);
    cmd.add("docker://" + host() + "/" + repoTag);
    run(cmd);
  }

  /** {@code skopeo inspect} of {@code repo:tag} here, as JSON text. */
  String inspect(String repoTag, String... extra) {
    var cmd = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
    cmd.addAll(List.of(extra));
    cmd.add("docker://" + host() + "/" + repoTag);
    return run(cmd);
  }

  String log() {
    try {
      return Files.readString(dir.resolve("registry.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      run(List.of("rm", "-rf", dir.toString()));
    }
  }
}
