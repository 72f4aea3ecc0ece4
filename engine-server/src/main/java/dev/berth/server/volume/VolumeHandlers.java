package dev.berth.server.volume;

import dev.berth.core.prune.PruneReport;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeService;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Json;
import dev.berth.server.api.PruneFilters;
import dev.berth.server.api.Responses;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Set;

/** The {@code /volumes} endpoints. */
public final class VolumeHandlers {

  private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");
  private static final VolumeJson.CreateRequest EMPTY = new VolumeJson.CreateRequest(null, null, null, null);

  private final VolumeService volumes;
  private final Clock clock;

  public VolumeHandlers(VolumeService volumes, Clock clock) {
    this.volumes = volumes;
    this.clock = clock;
  }

  public static void routes(ApiRoutes.Operations<VolumeHandlers> r) {
    r.get("/volumes", VolumeHandlers::volumeList);
    r.post("/volumes/create", VolumeHandlers::volumeCreate);
    r.post("/volumes/prune", VolumeHandlers::volumePrune);
    r.get("/volumes/{name}", VolumeHandlers::volumeInspect);
    r.delete("/volumes/{name}", VolumeHandlers::volumeDelete);
  }

  private void volumeList(ApiRequest req, ServerResponse res) {
    var filter = VolumeTranslator.filter(req.filters());
    Responses.json(res, 200, new VolumeJson.ListResponse(volumes.list(filter).stream().map(this::json).toList(), null));
  }

  private void volumeCreate(ApiRequest req, ServerResponse res) {
    VolumeJson.CreateRequest body = Json.read(req.bodyBytes(), VolumeJson.CreateRequest.class, EMPTY);
    Volume v = volumes.create(body.Name(), body.Driver(), body.DriverOpts(), body.Labels());
    Responses.json(res, 201, json(v));
  }

  private void volumeInspect(ApiRequest req, ServerResponse res) {
    Responses.json(res, 200, json(volumes.get(req.path("name"))));
  }

  private void volumeDelete(ApiRequest req, ServerResponse res) {
    volumes.remove(req.path("name"), req.bool("force"));
    Responses.noContent(res);
  }

  private void volumePrune(ApiRequest req, ServerResponse res) {
    var filters = req.filters();
    var filter = PruneFilters.parse(filters, PRUNE_FILTERS, clock.instant());
    boolean all = VolumeTranslator.pruneAll(filters.get("all"), req.version());
    PruneReport report = volumes.prune(filter, all);
    Responses.json(res, 200, new VolumeJson.PruneResponse(report.deleted(), report.spaceReclaimed()));
  }

  private VolumeJson.Volume json(Volume v) {
    return VolumeTranslator.volume(v, volumes.dataDir(v.name()), null);
  }
}
