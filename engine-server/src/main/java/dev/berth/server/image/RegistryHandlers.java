package dev.berth.server.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.image.distribution.RegistryService;
import dev.berth.core.image.registry.Credentials;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Json;
import dev.berth.server.api.Responses;
import dev.berth.server.stream.JsonLines;
import io.helidon.webserver.http.ServerResponse;

/** {@code docker push} and {@code docker login}. */
public final class RegistryHandlers {

  /** SystemAuthResponse. */
  record AuthResponse(String Status, String IdentityToken) {}

  private final RegistryService registry;

  public RegistryHandlers(RegistryService registry) {
    this.registry = registry;
  }

  public static void routes(ApiRoutes.Operations<RegistryHandlers> r) {
    r.post("/images/{name*}/push", RegistryHandlers::imagePush);
    r.post("/auth", RegistryHandlers::systemAuth);
  }

  /** Progress like dockerd's; every failure after "The push refers to repository" is in-band. */
  private void imagePush(ApiRequest req, ServerResponse res) throws Exception {
    Credentials creds = RegistryAuthTranslator.header(req.header(ImageHandlers.REGISTRY_AUTH).orElse(null));
    String name = req.path("name");
    String tag = req.query("tag").orElse("");
    try (var lines = new JsonLines(res)) {
      try {
        registry.push(name, tag, creds, p -> lines.send(ProgressTranslator.line(p)));
      } catch (RuntimeException e) {
        lines.fail(e);
      }
    }
  }

  /** moby's postAuth: the answer on success; a refusal is an error status with the registry's reason. */
  private void systemAuth(ApiRequest req, ServerResponse res) {
    JsonNode body = Json.read(req.bodyBytes(), JsonNode.class, null);
    registry.login(RegistryAuthTranslator.serverAddress(body), RegistryAuthTranslator.credentials(body));
    Responses.json(res, 200, new AuthResponse("Login Succeeded", ""));
  }
}
