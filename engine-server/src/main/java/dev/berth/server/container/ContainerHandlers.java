package dev.berth.server.container;

import dev.berth.core.container.lifecycle.ContainerInspection;
import dev.berth.core.container.lifecycle.ContainerLifecycle;
import dev.berth.core.container.lifecycle.ContainerService;
import dev.berth.core.container.model.ExitStatus;
import dev.berth.core.container.model.WaitCondition;
import dev.berth.core.prune.PruneReport;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Json;
import dev.berth.server.api.PruneFilters;
import dev.berth.server.api.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The {@code /containers} endpoints of a container's life. Handlers parse, make one domain call, and answer. */
public final class ContainerHandlers {

  private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "until");

  private final ContainerService containers;
  private final ContainerLifecycle lifecycle;
  private final ContainerInspection inspection;
  private final Clock clock;
  private final ListEntries entries = new ListEntries();

  public ContainerHandlers(ContainerService containers, ContainerLifecycle lifecycle, ContainerInspection inspection,
      Clock clock) {
    this.containers = containers;
    this.lifecycle = lifecycle;
    this.inspection = inspection;
    this.clock = clock;
  }

  public static void routes(ApiRoutes.Operations<ContainerHandlers> r) {
    r.post("/containers/create", ContainerHandlers::containerCreate);
    r.get("/containers/json", ContainerHandlers::containerList);
    r.get("/containers/{id}/json", ContainerHandlers::containerInspect);
    r.post("/containers/{id}/start", ContainerHandlers::containerStart);
    r.post("/containers/{id}/stop", ContainerHandlers::containerStop);
    r.post("/containers/{id}/restart", ContainerHandlers::containerRestart);
    r.post("/containers/{id}/kill", ContainerHandlers::containerKill);
    r.post("/containers/{id}/rename", ContainerHandlers::containerRename);
    r.post("/containers/{id}/wait", ContainerHandlers::containerWait);
    r.post("/containers/{id}/pause", ContainerHandlers::containerPause);
    r.post("/containers/{id}/unpause", ContainerHandlers::containerUnpause);
    r.get("/containers/{id}/top", ContainerHandlers::containerTop);
    r.post("/containers/{id}/update", ContainerHandlers::containerUpdate);
    // A link is named /parent/alias: dockerd routes {name:.*} here for docker rm --link.
    r.delete("/containers/{id*}", ContainerHandlers::containerDelete);
    r.post("/containers/prune", ContainerHandlers::containerPrune);
  }

  private void containerPrune(ApiRequest req, ServerResponse res) {
    var filter = PruneFilters.parse(req.filters(), PRUNE_FILTERS, clock.instant());
    PruneReport report = lifecycle.prune(filter);
    Responses.json(res, 200, new ContainerJson.PruneResponse(report.deleted().isEmpty() ? null : report.deleted(),
        report.spaceReclaimed()));
  }

  private void containerCreate(ApiRequest req, ServerResponse res) {
    var request = ContainerTranslator.createRequest(req.bodyBytes(), req.query("name").orElse(null), req.version());
    var created = containers.create(request);
    Responses.json(res, 201, new ContainerJson.CreateResponse(created.container().id().hex(), created.warnings()));
  }

  private void containerList(ApiRequest req, ServerResponse res) {
    int limit = req.integer("limit").orElse(-1);
    var filter = ContainerTranslator.filter(req.bool("all"), limit, req.filters());
    var now = clock.instant();
    boolean size = req.bool("size");
    var listing = containers.listing(filter);
    if (size) {
      Responses.json(res, 200, listing.containers().stream()
          .map(c -> ContainerTranslator.summary(c, now, containers.diskUsage(c), lifecycle.health(c.id()).orElse(null),
              listing.linkNames().getOrDefault(c.id(), List.of()))).toList());
      return;
    }
    ListEntries.Listing list = entries.write(listing.containers(),
        c -> ContainerTranslator.summaryStatus(c, now, lifecycle.health(c.id()).orElse(null)),
        c -> listing.linkNames().getOrDefault(c.id(), List.of()));
    Responses.streamed(res, 200, list.length(), list::writeTo);
  }

  private void containerInspect(ApiRequest req, ServerResponse res) {
    Responses.json(res, 200, ContainerTranslator.inspect(inspection.inspect(req.path("id"), req.bool("size"))));
  }

  private void containerStart(ApiRequest req, ServerResponse res) {
    lifecycle.start(req.path("id"));
    Responses.noContent(res);
  }

  private void containerStop(ApiRequest req, ServerResponse res) {
    lifecycle.stop(req.path("id"), timeout(req), req.query("signal").orElse(null));
    Responses.noContent(res);
  }

  private void containerRestart(ApiRequest req, ServerResponse res) {
    lifecycle.restart(req.path("id"), timeout(req), req.query("signal").orElse(null));
    Responses.noContent(res);
  }

  private void containerKill(ApiRequest req, ServerResponse res) {
    lifecycle.kill(req.path("id"), req.query("signal").orElse(null));
    Responses.noContent(res);
  }

  private void containerRename(ApiRequest req, ServerResponse res) {
    containers.rename(req.path("id"), req.query("name").orElse(""));
    Responses.noContent(res);
  }

  private void containerDelete(ApiRequest req, ServerResponse res) {
    if (req.bool("link")) {
      containers.removeLink(req.path("id"));
      Responses.noContent(res);
      return;
    }
    lifecycle.remove(req.path("id"), req.bool("force"), req.bool("v"));
    Responses.noContent(res);
  }

  /**
   * The CLI starts a container only after this answer's headers arrive, so they go out before
   * the wait is over: one space of JSON whitespace, flushed, then the result when it comes.
   */
  private void containerWait(ApiRequest req, ServerResponse res) throws Exception {
    WaitCondition condition = WaitCondition.parse(req.query("condition").orElse(""));
    CompletableFuture<ExitStatus> exit = lifecycle.waitFor(req.path("id"), condition);
    res.header(HeaderNames.CONTENT_TYPE, Responses.JSON);
    try (OutputStream out = res.outputStream()) {
      out.write(' ');
      out.flush();
      ExitStatus s = exit.get();
      out.write(Json.bytes(new ContainerJson.WaitResponse(s.code(),
          s.error() == null || s.error().isEmpty() ? null : new ContainerJson.WaitError(s.error()))));
      out.write('\n');
    }
  }

  private void containerPause(ApiRequest req, ServerResponse res) {
    lifecycle.pause(req.path("id"));
    Responses.noContent(res);
  }

  private void containerUnpause(ApiRequest req, ServerResponse res) {
    lifecycle.unpause(req.path("id"));
    Responses.noContent(res);
  }

  private void containerTop(ApiRequest req, ServerResponse res) {
    var table = lifecycle.top(req.path("id"), req.query("ps_args").orElse(""));
    Responses.json(res, 200, new ContainerJson.Top(table.titles(), table.processes()));
  }

  private void containerUpdate(ApiRequest req, ServerResponse res) {
    var update = ContainerTranslator.update(req.bodyBytes());
    List<String> warnings = lifecycle.update(req.path("id"), update.resources(), update.restartPolicy());
    Responses.json(res, 200, new ContainerJson.UpdateResponse(warnings));
  }

  private static Integer timeout(ApiRequest req) {
    return req.integer("t").or(() -> req.integer("timeout")).orElse(null);
  }
}
