package dev.berth.core.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.UnauthorizedException;
import dev.berth.core.error.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A bearer token from the realm a registry's challenge names (Docker's token authentication):
 * {@code GET realm?service=..&scope=..}, with Basic credentials if there are any, or the OAuth2
 * refresh-token grant ({@code POST realm}) for an identity token from an earlier login.
 */
final class TokenFetch {

  /** A token and how long it may be used; registries default to 60 seconds. */
  record Token(String value, long expiresInSeconds) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long DEFAULT_EXPIRY = 60;
  // distribution's client id, which token servers see for docker.
  private static final String CLIENT_ID = "docker";

  private TokenFetch() {}

  /**
   * @param call the request the token is for, named in errors as Go's client names it
   * @throws UnauthorizedException if the realm refuses the credentials
   */
  static Token fetch(HttpClient http, Challenge bearer, Credentials creds, List<String> scopes, Transport.Call call) {
    String realm = bearer.param("realm");
    if (realm.isEmpty()) {
      throw new UpstreamException("no realm specified for token auth challenge");
    }
    var query = new ArrayList<String>();
    if (!bearer.param("service").isEmpty()) {
      query.add("service=" + enc(bearer.param("service")));
    }
    scopes.forEach(s -> query.add("scope=" + enc(s)));
    HttpRequest req;
    if (!creds.identityToken().isEmpty()) {
      var form = new ArrayList<>(query);
      form.add("grant_type=refresh_token");
      form.add("refresh_token=" + enc(creds.identityToken()));
      form.add("client_id=" + CLIENT_ID);
      req = HttpRequest.newBuilder(URI.create(realm)).timeout(TIMEOUT).header("User-Agent", Transport.USER_AGENT)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form))).build();
    } else {
      if (creds.hasPassword()) {
        query.add("account=" + enc(creds.username()));
      }
      String sep = realm.contains("?") ? "&" : "?";
      var b = HttpRequest.newBuilder(URI.create(query.isEmpty() ? realm : realm + sep + String.join("&", query)))
          .timeout(TIMEOUT).header("User-Agent", Transport.USER_AGENT).GET();
      if (creds.hasPassword()) {
        b.header("Authorization", Authorizer.basic(creds.username(), creds.password()));
      }
      req = b.build();
    }
    HttpResponse<InputStream> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UpstreamException(Http.describe(req.method(), req.uri(), e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while fetching a token", e);
    }
    if (r.statusCode() != 200) {
      RegistryError err = Transport.error(r);
      String what = Http.goMethod(call.method()) + " \"" + call.uri() + "\": ";
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        String m = err.message().isEmpty() ? "authentication required" : err.message();
        throw new UnauthorizedException(what + "unauthorized: " + m);
      }
      throw new UpstreamException(what + "token auth attempt for registry: " + req.uri().getScheme() + "://"
          + req.uri().getAuthority() + req.uri().getPath() + " request failed with status: " + r.statusCode() + " "
          + Transport.statusText(r.statusCode()));
    }
    try (InputStream in = r.body()) {
      JsonNode n = JSON.readTree(in);
      String token = n.path("token").asText(n.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new UpstreamException("authorization server did not include a token in the response");
      }
      long expires = n.path("expires_in").asLong(DEFAULT_EXPIRY);
      return new Token(token, expires < DEFAULT_EXPIRY ? DEFAULT_EXPIRY : expires);
    } catch (IOException e) {
      throw new UpstreamException("cannot read the token response from " + req.uri().getAuthority() + ": "
          + e.getMessage(), e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
