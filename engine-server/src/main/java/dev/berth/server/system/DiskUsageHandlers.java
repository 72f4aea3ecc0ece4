package dev.berth.server.system;

import dev.berth.core.system.DiskUsageService;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Responses;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;

/** {@code GET /system/df}: what images, containers and volumes take on disk. */
public final class DiskUsageHandlers {

  private final DiskUsageService diskUsage;
  private final Clock clock;

  public DiskUsageHandlers(DiskUsageService diskUsage, Clock clock) {
    this.diskUsage = diskUsage;
    this.clock = clock;
  }

  public static void routes(ApiRoutes.Operations<DiskUsageHandlers> r) {
    r.get("/system/df", DiskUsageHandlers::systemDataUsage);
  }

  private void systemDataUsage(ApiRequest req, ServerResponse res) {
    var kinds = SystemTranslator.diskUsageKinds(req.queryAll("type"));
    Responses.json(res, 200, SystemTranslator.diskUsage(diskUsage.usage(kinds), clock.instant()));
  }
}
