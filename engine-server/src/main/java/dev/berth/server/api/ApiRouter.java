package dev.berth.server.api;

import dev.berth.core.error.NotFoundException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker API route table. Every route answers unversioned and under {@code /v1.24} ..
 * {@code /v1.51}. As in dockerd, an unknown path and a known path with the wrong method both get
 * 404 "page not found" (never 405). Image names contain slashes, so a template segment written
 * {@code {name*}} matches one or more segments.
 */
public final class ApiRouter implements ApiRoutes {

  /** A served operation, as openapi/berth.yaml must describe it. */
  public record Route(String method, String template) {

    /** The route of a template as handlers write it: a greedy {@code {name*}} is listed as {@code {name}}. */
    public static Route of(String method, String template) {
      return new Route(method, template.replace("*}", "}"));
    }
  }

  private record Entry(Route route, Pattern pattern, List<String> params, ApiHandler handler) {}

  private static final Pattern VERSIONED = Pattern.compile("^/v([0-9][0-9.]*)(/.*)$");
  private static final Pattern PARAM = Pattern.compile("\\{(\\w+)(\\*?)}");

  private final List<Entry> entries = new ArrayList<>();

  /** Registers the operations {@code routes} declares, each run by {@code group}. */
  public <G> ApiRouter register(java.util.function.Consumer<ApiRoutes.Operations<G>> routes, G group) {
    routes.accept(ApiRoutes.Operations.bound(this, group));
    return this;
  }

  @Override
  public void route(String method, String template, ApiHandler handler) {
    var params = new ArrayList<String>();
    var regex = new StringBuilder("^");
    Matcher m = PARAM.matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
      params.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last))).append('$');
    entries.add(new Entry(Route.of(method, template), Pattern.compile(regex.toString()), List.copyOf(params), handler));
  }

  public List<Route> routes() {
    return entries.stream().map(Entry::route).toList();
  }

  /** Finds the handler for a request and runs it; errors propagate to the error mapper. */
  public void dispatch(ServerRequest req, ServerResponse res) throws Exception {
    String path = req.path().path();
    ApiVersion version = ApiVersion.CURRENT;
    Matcher vm = VERSIONED.matcher(path);
    if (vm.matches()) {
      version = ApiVersion.parse(vm.group(1));
      path = vm.group(2);
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String method = req.prologue().method().text();
    for (Entry e : entries) {
      if (!e.route.method().equals(method)) {
        continue;
      }
      Matcher pm = e.pattern.matcher(path);
      if (pm.matches()) {
        var params = new LinkedHashMap<String, String>();
        for (int i = 0; i < e.params.size(); i++) {
          params.put(e.params.get(i), pm.group(i + 1));
        }
        e.handler.handle(new ApiRequest(req, Map.copyOf(params), version), res);
        return;
      }
    }
    // Let a client that sent a body without reading our answer still get it.
    if (req.headers().contains(HeaderNames.CONTENT_LENGTH) || req.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
      req.content().consume();
    }
    throw new NotFoundException("page not found");
  }
}
