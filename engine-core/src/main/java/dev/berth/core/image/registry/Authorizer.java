package dev.berth.core.image.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the {@code Authorization} header for one client's requests, the way distribution's
 * client does: ping {@code /v2/} to learn the registry's challenge, then answer a Basic challenge
 * with the credentials and a Bearer challenge with a token from its realm (anonymous when there
 * are no credentials), scoped to the repositories this client touches.
 */
final class Authorizer {

  private final HttpClient http;
  private final URI base;
  private final Credentials credentials;
  private final Set<String> scopes;
  private final AuthCache cache;
  private List<Challenge> challenges;
  private String header;
  private boolean decided;

  Authorizer(HttpClient http, URI base, Credentials credentials, List<String> scopes, AuthCache cache) {
    this.http = http;
    this.base = base;
    this.credentials = credentials;
    this.scopes = new LinkedHashSet<>(scopes);
    this.cache = cache;
  }

  /** Adds a scope (a mount's source repository) for the tokens fetched from now on. */
  synchronized void addScope(String scope) {
    if (scopes.add(scope)) {
      decided = false;
    }
  }

  /** Learns the challenge (pinging once per registry) and settles the header before a request. */
  synchronized void prepare(Transport.Call call) {
    if (challenges == null) {
      challenges = cache.challenges(base.toString()).orElseGet(() -> {
        List<Challenge> c = Ping.challenges(http, base);
        cache.challenges(base.toString(), c);
        return c;
      });
    }
    if (!decided) {
      header = compute(call, false);
      decided = true;
    }
  }

  synchronized String header(Transport.Call call) {
    return header;
  }

  /**
   * After a 401: takes the challenge it carried and authenticates afresh. False when that
   * would send the same thing again, so the 401 stands.
   */
  synchronized boolean retry(Transport.Call call, HttpResponse<InputStream> r) {
    List<Challenge> fresh = Challenge.parse(String.join(", ", r.headers().allValues("WWW-Authenticate")));
    if (!fresh.isEmpty()) {
      challenges = fresh;
      cache.challenges(base.toString(), fresh);
      fresh.stream().filter(c -> c.scheme().equals("bearer")).map(c -> c.param("scope"))
          .filter(s -> !s.isEmpty()).forEach(s -> List.of(s.split(" ")).forEach(scopes::add));
    }
    String before = header;
    header = compute(call, true);
    decided = true;
    return header != null && !header.equals(before);
  }

  private String compute(Transport.Call call, boolean refresh) {
    if (!credentials.registryToken().isEmpty()) {
      return "Bearer " + credentials.registryToken();
    }
    Optional<Challenge> bearer = challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
    if (bearer.isPresent()) {
      String key = base + "|" + credentials.username() + "|" + String.join(" ", scopes);
      if (refresh) {
        cache.forgetToken(key);
      }
      Optional<String> cached = cache.token(key);
      if (cached.isPresent()) {
        return "Bearer " + cached.get();
      }
      TokenFetch.Token t = TokenFetch.fetch(http, bearer.get(), credentials, List.copyOf(scopes), call);
      cache.token(key, t.value(), t.expiresInSeconds());
      return "Bearer " + t.value();
    }
    if (challenges.stream().anyMatch(c -> c.scheme().equals("basic"))) {
      if (!credentials.hasPassword()) {
        throw new dev.berth.core.error.UpstreamException(Http.goMethod(call.method()) + " \"" + call.uri()
            + "\": no basic auth credentials");
      }
      return basic(credentials.username(), credentials.password());
    }
    return null;
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
