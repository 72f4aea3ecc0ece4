package dev.berth.server.api;

import dev.berth.core.error.InvalidArgumentException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as handlers see it: path parameters from the route template, the API version from
 * the path prefix, and query values decoded the way Go decodes them.
 */
public final class ApiRequest {

  /**
   * Far above any real request (all of a process's arguments and environment must fit in 6 MiB for
   * execve) and small enough that a few at once cannot exhaust berthd's heap.
   */
  public static final long MAX_BODY = 16L << 20;

  private final ServerRequest request;
  private final Map<String, String> pathParams;
  private final ApiVersion version;
  private final Map<String, List<String>> query;

  ApiRequest(ServerRequest request, Map<String, String> pathParams, ApiVersion version) {
    this.request = request;
    this.pathParams = pathParams;
    this.version = version;
    this.query = parseQuery(request.query().rawValue());
  }

  public ServerRequest raw() {
    return request;
  }

  public ApiVersion version() {
    return version;
  }

  public String path(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return v;
  }

  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  public boolean hasQuery(String name) {
    return query.containsKey(name);
  }

  /** Go's httputils.BoolValue: false only for "", 0, no, false, none (any case). */
  public boolean bool(String name) {
    return query(name).map(ApiRequest::truthy).orElse(false);
  }

  public static boolean truthy(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    return !(s.isEmpty() || s.equals("0") || s.equals("no") || s.equals("false") || s.equals("none"));
  }

  public Optional<Integer> integer(String name) {
    Optional<String> v = query(name).filter(s -> !s.isEmpty());
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(v.get()));
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("invalid value for " + name + ": " + v.get());
    }
  }

  public Optional<String> header(HeaderName name) {
    return request.headers().first(name);
  }

  public boolean wantsUpgrade() {
    return header(HeaderNames.UPGRADE).map(v -> v.equalsIgnoreCase("tcp")).orElse(false);
  }

  /**
   * A body streamed to disk or a pipe as it arrives (archives, image tars): never held in memory,
   * so no size limit applies.
   */
  public InputStream bodyStream() {
    return new RequestBody(request.content().inputStream(), "");
  }

  /**
   * A body read whole (JSON). At most {@link #MAX_BODY} bytes; a larger one is refused before it is
   * read (by its Content-Length) or as soon as it passes the limit.
   *
   * @throws InvalidArgumentException for a body over the limit
   */
  public byte[] bodyBytes() {
    long declared = request.headers().contentLength().orElse(-1);
    try {
      return readBounded(new RequestBody(request.content().inputStream(), "invalid JSON: "), declared, MAX_BODY);
    } catch (IOException e) {
      throw new InvalidArgumentException("invalid JSON: " + e.getMessage());
    }
  }

  /**
   * Reads and drops a body the client declared by its Content-Length, for routes that take none
   * but hijack the connection afterwards: dockerode sends its attach options as such a body, and
   * those bytes come before the raw stream, never in it. A body without a length (dockerode's
   * chunked one that never ends) is left alone: it is the stream.
   */
  public void skipDeclaredBody() {
    if (request.headers().contentLength().orElse(0) > 0) {
      bodyBytes();
    }
  }

  static byte[] readBounded(InputStream in, long declared, long max) throws IOException {
    if (declared > max) {
      throw tooLarge();
    }
    byte[] bytes = in.readNBytes((int) max + 1);
    if (bytes.length > max) {
      throw tooLarge();
    }
    return bytes;
  }

  /**
   * dockerd reads JSON bodies without a limit; Go's way to set one, {@code http.MaxBytesReader},
   * makes its decoder fail with this text, which dockerd's ReadJSON turns into a 400.
   */
  private static InvalidArgumentException tooLarge() {
    return new InvalidArgumentException("invalid JSON: http: request body too large");
  }

  /** Docker's filters parameter: {@code {"k":{"v":true}}} from Go clients, {@code {"k":["v"]}} from others. */
  public Filters filters() {
    return Filters.parse(query("filters").orElse(""));
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    var out = new LinkedHashMap<String, List<String>>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  // Go's url.ParseQuery turns '+' into a space; docker-java relies on it.
  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("invalid query: " + s);
    }
  }
}
