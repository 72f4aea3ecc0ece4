package dev.berth.core.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A registry for tests of the client, on 127.0.0.1: Docker's token authentication (a realm on
 * the same server), blobs served through a redirect, and faults on demand (a connection cut
 * part-way through a blob, corrupted content). What distribution does not make easy to provoke.
 */
final class FakeRegistry implements AutoCloseable {

  final HttpServer server;
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
  /** Every request as {@code METHOD path?query [Authorization]}. */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** Blob digests whose download stops after this many bytes, connection closed. */
  final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
  /** How many more times to cut a blob short (after a third of it); absent: as {@link #cutAfter} says. */
  final Map<String, Integer> cutTimes = new ConcurrentHashMap<>();
  final Map<String, byte[]> corrupt = new ConcurrentHashMap<>();
  volatile String user;
  volatile String password;
  volatile boolean anonymousTokens = true;

  private static final String TOKEN = "t0ken";

  FakeRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Stores an image as an OCI manifest under {@code repo:tag}; returns the manifest's digest. */
  Digest put(String repo, String tag, BusyboxImages.ImageSpec spec) {
    byte[] config = spec.config();
    blobs.put(Digest.of(config).toString(), config);
    var layers = new StringBuilder();
    for (byte[] b : spec.blobs()) {
      blobs.put(Digest.of(b).toString(), b);
      layers.append(layers.isEmpty() ? "" : ",").append("{\"mediaType\":\"")
          .append(spec.gzip() ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER).append("\",\"digest\":\"")
          .append(Digest.of(b)).append("\",\"size\":").append(b.length).append("}");
    }
    String m = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.of(config) + "\",\"size\":" + config.length
        + "},\"layers\":[" + layers + "]}";
    byte[] bytes = m.getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.of(bytes);
    manifests.put(repo + ":" + tag, bytes);
    manifests.put(repo + ":" + d, bytes);
    manifestTypes.put(repo + ":" + tag, MediaTypes.OCI_MANIFEST);
    manifestTypes.put(repo + ":" + d, MediaTypes.OCI_MANIFEST);
    return d;
  }

  /** Stores any manifest or index under {@code repo:tag} and its digest. */
  void putRaw(String repo, String tag, byte[] content, String mediaType) {
    for (String k : List.of(repo + ":" + tag, repo + ":" + Digest.of(content))) {
      manifests.put(k, content);
      manifestTypes.put(k, mediaType);
    }
  }

  long count(String prefix) {
    return requests.stream().filter(r -> r.startsWith(prefix)).count();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String auth = x.getRequestHeaders().getFirst("Authorization");
      requests.add(x.getRequestMethod() + " " + x.getRequestURI() + (auth == null ? "" : " [" + auth + "]"));
      if (path.equals("/token")) {
        token(x, auth);
        return;
      }
      if (path.startsWith("/storage/")) {
        blob(x, path.substring("/storage/".length()));
        return;
      }
      if (!("Bearer " + TOKEN).equals(auth)) {
        x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
            + "/token\",service=\"fake\"" + (path.equals("/v2/") ? "" : ",scope=\"repository:app:pull\""));
        send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        return;
      }
      if (path.equals("/v2/")) {
        send(x, 200, "{}");
        return;
      }
      var m = java.util.regex.Pattern.compile("/v2/(.+)/(manifests|blobs)/(.+)").matcher(path);
      if (!m.matches()) {
        send(x, 404, "");
        return;
      }
      String key = m.group(1) + ":" + m.group(3);
      if (m.group(2).equals("blobs")) {
        // Blob stores live on other hosts ("localhost" is another authority than "127.0.0.1"): the
        // client must follow, and must not take our token along.
        x.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/storage/"
            + m.group(3));
        send(x, 307, "");
        return;
      }
      byte[] manifest = manifests.get(key);
      if (manifest == null) {
        send(x, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
        return;
      }
      x.getResponseHeaders().add("Content-Type", manifestTypes.get(key));
      x.getResponseHeaders().add("Docker-Content-Digest", Digest.of(manifest).toString());
      if (x.getRequestMethod().equals("HEAD")) {
        x.sendResponseHeaders(200, -1);
        return;
      }
      x.sendResponseHeaders(200, manifest.length);
      x.getResponseBody().write(manifest);
    }
  }

  private void token(HttpExchange x, String auth) throws IOException {
    boolean ok = user == null ? anonymousTokens || auth != null
        : ("Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8))).equals(auth);
    if (!ok) {
      send(x, 401, "{\"details\":\"incorrect username or password\"}");
      return;
    }
    send(x, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}");
  }

  private void blob(HttpExchange x, String digest) throws IOException {
    if (x.getRequestHeaders().getFirst("Authorization") != null) {
      send(x, 400, "credentials sent to blob storage");
      return;
    }
    byte[] b = corrupt.getOrDefault(digest, blobs.get(digest));
    if (b == null) {
      send(x, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}");
      return;
    }
    Integer cut = cutAfter.get(digest);
    if (cut == null && cutTimes.getOrDefault(digest, 0) > 0) {
      cutTimes.merge(digest, -1, Integer::sum);
      cut = b.length / 3;
    }
    x.sendResponseHeaders(200, b.length);
    OutputStream out = x.getResponseBody();
    if (cut != null) {
      out.write(b, 0, cut);
      out.flush();
      // Leaving without the rest: the server closes a connection whose body is short.
      return;
    }
    out.write(b);
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
