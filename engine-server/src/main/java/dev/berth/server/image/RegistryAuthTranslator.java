package dev.berth.server.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.image.registry.Credentials;
import dev.berth.server.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Docker's AuthConfig as clients send it: the {@code X-Registry-Auth} header (base64url of the
 * JSON, padded or not) on pull and push, the JSON body of {@code POST /auth}. Pure.
 */
public final class RegistryAuthTranslator {

  private RegistryAuthTranslator() {}

  /**
   * The credentials in an {@code X-Registry-Auth} header. Like moby's DecodeAuthConfig as the
   * pull and push routes use it, an undecodable header means anonymous rather than an error.
   */
  static Credentials header(String encoded) {
    if (encoded == null || encoded.isBlank()) {
      return Credentials.NONE;
    }
    byte[] json;
    try {
      json = Base64.getUrlDecoder().decode(unpadded(encoded.strip()));
    } catch (IllegalArgumentException e) {
      try {
        json = Base64.getDecoder().decode(encoded.strip());
      } catch (IllegalArgumentException e2) {
        return Credentials.NONE;
      }
    }
    try {
      return credentials(Json.MAPPER.readTree(json));
    } catch (java.io.IOException | RuntimeException e) {
      return Credentials.NONE;
    }
  }

  /** The AuthConfig JSON; {@code auth} (base64 of user:password) fills in what the fields leave empty. */
  public static Credentials credentials(JsonNode n) {
    if (n == null || !n.isObject()) {
      return Credentials.NONE;
    }
    String user = text(n, "username");
    String password = text(n, "password");
    String auth = text(n, "auth");
    if (!auth.isEmpty() && (user.isEmpty() || password.isEmpty())) {
      try {
        String pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon > 0) {
          user = user.isEmpty() ? pair.substring(0, colon) : user;
          password = password.isEmpty() ? pair.substring(colon + 1) : password;
        }
      } catch (IllegalArgumentException e) {
        // a bad "auth" adds nothing
      }
    }
    return new Credentials(user, password, text(n, "identitytoken"), text(n, "registrytoken"));
  }

  static String serverAddress(JsonNode n) {
    return n == null ? "" : text(n, "serveraddress");
  }

  /** Go's JSON decoding matches keys case-insensitively. */
  private static String text(JsonNode n, String key) {
    for (var e : n.properties()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue().isNull() ? "" : e.getValue().asText();
      }
    }
    return "";
  }

  private static String unpadded(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }
}
