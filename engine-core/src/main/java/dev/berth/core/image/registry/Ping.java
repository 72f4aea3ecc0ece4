package dev.berth.core.image.registry;

import dev.berth.core.error.InternalException;
import dev.berth.core.error.UpstreamException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** {@code GET /v2/}: is this a v2 registry, and how does it want to be authenticated. */
final class Ping {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Ping() {}

  /** The challenges of a 401; none for any other answer (an open registry answers 200). */
  static List<Challenge> challenges(HttpClient http, URI base) {
    HttpResponse<Void> r = send(http, base, null);
    if (r.statusCode() == 401) {
      return Challenge.parse(String.join(", ", r.headers().allValues("WWW-Authenticate")));
    }
    return List.of();
  }

  /** The status of {@code GET /v2/} sent with {@code authorization} (null for none). */
  static HttpResponse<Void> send(HttpClient http, URI base, String authorization) {
    URI uri = base.resolve("/v2/");
    var b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("User-Agent", Transport.USER_AGENT).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new UpstreamException(Http.describe("GET", uri, e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while pinging " + uri, e);
    }
  }
}
