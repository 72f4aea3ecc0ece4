package dev.berth.server.system;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Responses;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Set;

/** {@code GET /plugins}: berth has no managed plugins, so the list is empty once the filters are checked. */
public final class PluginHandlers {

  public static void routes(ApiRoutes.Operations<PluginHandlers> r) {
    r.get("/plugins", PluginHandlers::pluginList);
  }

  /** As moby's plugin Manager.List: only {@code enabled} and {@code capability}, and {@code enabled} a boolean. */
  private void pluginList(ApiRequest req, ServerResponse res) {
    Filters f = req.filters().only(Set.of("enabled", "capability"));
    if (f.values().containsKey("enabled")) {
      List<String> v = f.get("enabled");
      boolean no = v.contains("0") || v.contains("false");
      boolean yes = v.contains("1") || v.contains("true");
      if (no == yes) {
        // Go prints the values as a slice: [a b]
        throw new InvalidArgumentException("invalid filter 'enabled=[" + String.join(" ", v) + "]'");
      }
    }
    Responses.json(res, 200, List.of());
  }
}
