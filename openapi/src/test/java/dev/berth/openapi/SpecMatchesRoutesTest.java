package dev.berth.openapi;

import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.server.DockerApi;
import dev.berth.server.api.ApiRouter.Route;
import java.util.Collection;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * berth.yaml describes exactly the routes berthd serves: a route served but not specified, or
 * specified but not served, fails the build. Version prefixes ({@code /v1.24} .. {@code /v1.51})
 * are described once in berth.yaml's {@code servers}, so both sides list unprefixed templates.
 */
class SpecMatchesRoutesTest {

  private static final Comparator<Route> ORDER = Comparator.comparing(Route::template).thenComparing(Route::method);

  @Test
  void specifiesEveryServedRouteAndNothingElse() {
    Set<Route> served = sorted(DockerApi.routeTable());
    Set<Route> specified = sorted(BerthYaml.operations(BerthYaml.tree()).stream()
        .map(op -> new Route(op.method(), op.path())).toList());

    Set<Route> unspecified = sorted(served);
    unspecified.removeAll(specified);
    Set<Route> unserved = sorted(specified);
    unserved.removeAll(served);

    if (!unspecified.isEmpty() || !unserved.isEmpty()) {
      fail("openapi/berth.yaml and DockerApi.routeTable() disagree.\n"
          + "  Served but not in berth.yaml (add it to openapi/operations.txt, run python3 openapi/generate.py):\n"
          + list(unspecified)
          + "  In berth.yaml but not served (serve it, or take it out of openapi/operations.txt):\n"
          + list(unserved));
    }
  }

  private static Set<Route> sorted(Collection<Route> routes) {
    var set = new TreeSet<>(ORDER);
    set.addAll(routes);
    return set;
  }

  private static String list(Set<Route> routes) {
    if (routes.isEmpty()) {
      return "    (none)\n";
    }
    return routes.stream().map(r -> "    " + r.method() + " " + r.template() + "\n").collect(Collectors.joining());
  }
}
