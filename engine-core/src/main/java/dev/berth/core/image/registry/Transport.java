package dev.berth.core.image.registry;

import dev.berth.core.error.InternalException;
import dev.berth.core.error.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Sends one registry request: adds the authorization the {@link Authorizer} holds, answers a 401
 * challenge once by authenticating and resending, follows redirects by hand (so credentials never
 * travel to another host, as blob storage often is), and turns I/O failures into engine errors.
 */
final class Transport {

  /** How to build the request each time it is sent (a retry needs a fresh body publisher). */
  record Call(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body) {}

  private static final int MAX_REDIRECTS = 5;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  static final String USER_AGENT = "berth (docker compatible)";

  private final HttpClient http;
  private final URI base;
  private final Authorizer auth;

  Transport(HttpClient http, URI base, Authorizer auth) {
    this.http = http;
    this.base = base;
    this.auth = auth;
  }

  URI base() {
    return base;
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  /**
   * Sends {@code call}; the answer's body must be read or closed by the caller. Statuses are not
   * judged here except 401 (authenticated once) and redirects (followed).
   */
  HttpResponse<InputStream> send(Call call) {
    auth.prepare(call);
    HttpResponse<InputStream> r = exchange(call, auth.header(call));
    if (r.statusCode() == 401 && auth.retry(call, r)) {
      close(r);
      r = exchange(call, auth.header(call));
    }
    URI at = call.uri();
    for (int hop = 0; isRedirect(r.statusCode()) && hop < MAX_REDIRECTS; hop++) {
      String location = r.headers().firstValue("Location").orElse(null);
      if (location == null) {
        break;
      }
      close(r);
      at = at.resolve(location);
      boolean sameHost = Objects.equals(at.getAuthority(), base.getAuthority());
      var next = new Call(call.method(), at, Map.of(), HttpRequest.BodyPublishers.noBody());
      r = exchange(next, sameHost ? auth.header(call) : null);
    }
    return r;
  }

  private HttpResponse<InputStream> exchange(Call call, String authorization) {
    var b = HttpRequest.newBuilder(call.uri()).timeout(TIMEOUT).header("User-Agent", USER_AGENT)
        .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body());
    call.headers().forEach(b::header);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UpstreamException(Http.describe(call.method(), call.uri(), e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while talking to " + call.uri().getAuthority(), e);
    }
  }

  static RegistryError error(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      return RegistryError.parse(r.statusCode(), in.readNBytes(64 * 1024));
    } catch (IOException e) {
      return RegistryError.parse(r.statusCode(), new byte[0]);
    }
  }

  static void close(HttpResponse<InputStream> r) {
    try {
      r.body().close();
    } catch (IOException e) {
      // the connection is dropped instead of reused; nothing else to do
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Go's http.StatusText for the statuses registries answer; clients print it. */
  static String statusText(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 416 -> "Requested Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
