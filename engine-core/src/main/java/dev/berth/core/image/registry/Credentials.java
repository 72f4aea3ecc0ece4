package dev.berth.core.image.registry;

/**
 * What a client sent to authenticate to a registry ({@code X-Registry-Auth}, {@code POST /auth}).
 * Any field may be empty; {@link #NONE} is anonymous.
 *
 * @param identityToken an OAuth refresh token from an earlier login, used instead of the password
 * @param registryToken a bearer token for the registry itself, used as is
 */
public record Credentials(String username, String password, String identityToken, String registryToken) {

  public static final Credentials NONE = new Credentials("", "", "", "");

  public Credentials {
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    identityToken = identityToken == null ? "" : identityToken;
    registryToken = registryToken == null ? "" : registryToken;
  }

  boolean hasPassword() {
    return !username.isEmpty() && !password.isEmpty();
  }

  /** Never the secrets: these objects end up in exception messages and logs by accident otherwise. */
  @Override
  public String toString() {
    return "Credentials[" + (username.isEmpty() ? "anonymous" : username) + "]";
  }
}
