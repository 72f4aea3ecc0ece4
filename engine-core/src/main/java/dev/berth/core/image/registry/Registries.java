package dev.berth.core.image.registry;

import dev.berth.core.error.UnauthorizedException;
import dev.berth.core.error.UpstreamException;
import dev.berth.core.image.ImageReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The registries this engine talks to: which endpoint serves a domain (TLS or not, mirrors for
 * Docker Hub), clients for repositories on them, and logins. One HTTP client and one
 * {@link AuthCache} are shared by everything.
 */
public final class Registries {

  /** Where Docker Hub's registry API is; {@code docker.io} is only its name in references. */
  static final URI DOCKER_HUB = URI.create("https://registry-1.docker.io");
  private static final String INDEX_SERVER = "https://index.docker.io/v1/";

  /** Access a client needs; decides the token scope. */
  public enum Access { PULL, PUSH }

  private final RegistryOptions options;
  private final HttpClient http;
  // For insecure registries that do speak TLS: their certificates are not checked, as dockerd's aren't.
  private final HttpClient unverified;
  private final AuthCache cache;

  public Registries(RegistryOptions options, Clock clock) {
    this.options = options;
    this.http = client(HttpClient.newBuilder());
    this.unverified = client(HttpClient.newBuilder().sslContext(TrustAll.context()));
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
    return insecure ? unverified : http;
  }

  /**
   * The endpoint of a registry domain: HTTPS; for an insecure registry, HTTPS without checking its
   * certificate if it answers there and plain HTTP if it does not, the two endpoints dockerd tries
   * in that order.
   */
  public URI base(String domain) {
    if (domain.equals(ImageReference.DEFAULT_DOMAIN)) {
      return DOCKER_HUB;
    }
    URI https = URI.create("https://" + domain);
    if (options.isSecure(domain) || answersOverTls(https)) {
      return https;
    }
    return URI.create("http://" + domain);
  }

  // Any HTTP answer on /v2/ will do; a refused connection or a failed handshake (a plain-HTTP
  // server answers a ClientHello with garbage) will not.
  private boolean answersOverTls(URI https) {
    try {
      var request = java.net.http.HttpRequest.newBuilder(https.resolve("/v2/")).timeout(Duration.ofSeconds(15))
          .header("User-Agent", Transport.USER_AGENT).GET().build();
      unverified.send(request, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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
