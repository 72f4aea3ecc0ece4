package dev.berth.core.image.registry;

import dev.berth.core.error.UnauthorizedException;
import dev.berth.core.error.UpstreamException;
import dev.berth.core.image.ImageReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The registries this engine talks to: which endpoint serves a domain (TLS or not, mirrors for
 * Docker Hub), clients for repositories on them, and logins. One HTTP client and one
 * {@link AuthCache} are shared by everything.
 */
public final class Registries {

  /** Where Docker Hub's registry API is; {@code docker.io} is only its name in references. */
  static final URI DOCKER_HUB = URI.create("https://registry-1.docker.io");
  private static final Duration ENDPOINT_TTL = Duration.ofMinutes(5);
  private static final String INDEX_SERVER = "https://index.docker.io/v1/";

  /** Access a client needs; decides the token scope. */
  public enum Access { PULL, PUSH }

  private final RegistryOptions options;
  // Made on first use: an HttpClient (and the TLS context of the second) costs berthd's start-up
  // ~0.1 s of CPU, and many daemons never talk to a registry.
  private volatile HttpClient http;
  // For insecure registries that do speak TLS: their certificates are not checked, as dockerd's aren't.
  private volatile HttpClient unverified;
  private final AuthCache cache;
  private final Clock clock;
  private final java.util.Map<String, Endpoint> endpoints = new java.util.concurrent.ConcurrentHashMap<>();

  public Registries(RegistryOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.cache = new AuthCache(clock);
  }

  // HTTP/1.1: plain-HTTP registries would otherwise be sent an h2c upgrade they do not expect.
  // Redirects are followed by Transport, which drops credentials when the host changes.
  private static HttpClient client(HttpClient.Builder b) {
    return b.version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(15)).build();
  }

  public RegistryOptions options() {
    return options;
  }

  /**
   * Clients for {@code repository}, in the order to try them: for a pull of a Docker Hub image the
   * mirrors come first; a push goes only to the registry itself, as with dockerd.
   */
  public List<RegistryClient> clients(ImageReference repository, Credentials credentials, Access access) {
    var out = new ArrayList<RegistryClient>();
    String scope = "repository:" + repository.path() + (access == Access.PUSH ? ":pull,push" : ":pull");
    if (access == Access.PULL && repository.domain().equals(ImageReference.DEFAULT_DOMAIN)) {
      for (URI m : options.mirrors()) {
        // Mirrors get no credentials: they are not Docker Hub, and dockerd sends them none either.
        out.add(client(m, repository, Credentials.NONE, scope, true));
      }
    }
    out.add(client(base(repository.domain()), repository, credentials, scope, false));
    return out;
  }

  private RegistryClient client(URI base, ImageReference repository, Credentials credentials, String scope,
      boolean mirror) {
    HttpClient h = httpFor(base);
    var auth = new Authorizer(h, base, credentials, List.of(scope), cache);
    return new RegistryClient(new Transport(h, base, auth), auth, repository, mirror);
  }

  private HttpClient httpFor(URI base) {
    boolean insecure = base.getScheme().equals("https") && !base.equals(DOCKER_HUB)
        && !options.isSecure(base.getAuthority());
    return insecure ? unverified() : http();
  }

  private HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        h = http;
        if (h == null) {
          h = http = client(HttpClient.newBuilder());
        }
      }
    }
    return h;
  }

  private HttpClient unverified() {
    HttpClient h = unverified;
    if (h == null) {
      synchronized (this) {
        h = unverified;
        if (h == null) {
          h = unverified = client(HttpClient.newBuilder().sslContext(TrustAll.context()));
        }
      }
    }
    return h;
  }

  /**
   * The endpoint of a registry domain: HTTPS; for an insecure registry, plain HTTP if it answers
   * as a registry there, else HTTPS without checking its certificate. dockerd tries the same two,
   * HTTPS first; asking in plain HTTP first gets the same answer from a port that speaks one of
   * them, without waiting out servers that never answer a TLS hello they cannot read.
   */
  public URI base(String domain) {
    if (domain.equals(ImageReference.DEFAULT_DOMAIN)) {
      return DOCKER_HUB;
    }
    URI https = URI.create("https://" + domain);
    if (options.isSecure(domain)) {
      return https;
    }
    Endpoint known = endpoints.get(domain);
    if (known != null && clock.instant().isBefore(known.until())) {
      return known.base();
    }
    URI plain = URI.create("http://" + domain);
    Optional<Boolean> registry = answersAsRegistry(plain);
    URI chosen = registry.orElse(false) ? plain : https;
    // Only an answer is remembered: a registry that was down is asked again next time.
    registry.ifPresent(r -> endpoints.put(domain, new Endpoint(chosen, clock.instant().plus(ENDPOINT_TTL))));
    return chosen;
  }

  /** An insecure registry's endpoint as last found, until when to trust that. */
  private record Endpoint(URI base, Instant until) {}

  // A registry answers /v2/ with 200, or 401 when it wants credentials. A TLS port answers plain
  // HTTP with a 400 (Go, nginx) or hangs up; a proxy may redirect to HTTPS. Empty: no answer.
  private Optional<Boolean> answersAsRegistry(URI plain) {
    try {
      var request = java.net.http.HttpRequest.newBuilder(plain.resolve("/v2/")).timeout(Duration.ofSeconds(15))
          .header("User-Agent", Transport.USER_AGENT).GET().build();
      int status = http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return Optional.of(status == 200 || status == 401);
    } catch (java.io.IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * {@code docker login}: checks the credentials against the registry's {@code /v2/}, as moby's
   * loginV2 does.
   *
   * @param serverAddress as the CLI sends it: empty or Docker Hub's index URL, a host, or a URL
   * @throws UnauthorizedException if a token realm refuses the credentials
   * @throws UpstreamException with moby's {@code login attempt to <url> failed with status: 401 Unauthorized}
   *     when the registry itself refuses them (dockerd answers that with a 500, too)
   */
  public void login(String serverAddress, Credentials credentials) {
    URI base = base(loginDomain(serverAddress));
    var call = new Transport.Call("GET", base.resolve("/v2/"), java.util.Map.of(),
        java.net.http.HttpRequest.BodyPublishers.noBody());
    // No cached challenge or token: a login must prove these credentials now.
    HttpClient h = httpFor(base);
    var auth = new Authorizer(h, base, credentials, List.of(), new AuthCache(Clock.systemUTC()));
    var transport = new Transport(h, base, auth);
    HttpResponse<java.io.InputStream> r = transport.send(call);
    Transport.close(r);
    if (r.statusCode() != 200) {
      throw new UpstreamException("login attempt to " + call.uri() + " failed with status: " + r.statusCode() + " "
          + Transport.statusText(r.statusCode()));
    }
  }

  /** moby's ConvertToHostname plus the index names: what domain a login's server address means. */
  static String loginDomain(String serverAddress) {
    String s = serverAddress == null ? "" : serverAddress.strip();
    if (s.isEmpty() || s.equals(INDEX_SERVER) || s.equals("index.docker.io") || s.equals("docker.io")
        || s.equals("registry-1.docker.io")) {
      return ImageReference.DEFAULT_DOMAIN;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) {
      s = s.substring(7);
    } else if (lower.startsWith("https://")) {
      s = s.substring(8);
    }
    int slash = s.indexOf('/');
    String host = slash < 0 ? s : s.substring(0, slash);
    return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? ImageReference.DEFAULT_DOMAIN
        : host;
  }
}
