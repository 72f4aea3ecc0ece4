package dev.berth.server;

import dev.berth.core.container.Containers;
import dev.berth.core.events.EventBus;
import dev.berth.core.image.ImageService;
import dev.berth.core.image.RegistryService;
import dev.berth.core.image.registry.RegistryOptions;
import dev.berth.core.network.NetworkService;
import dev.berth.core.system.SystemService;
import dev.berth.core.volume.VolumeService;
import dev.berth.server.api.ApiRouter;
import dev.berth.server.container.ContainerHandlers;
import dev.berth.server.container.ExecHandlers;
import dev.berth.server.container.StatsHandlers;
import dev.berth.server.image.ImageHandlers;
import dev.berth.server.system.EventHandlers;
import dev.berth.server.system.DiskUsageHandlers;
import dev.berth.server.image.RegistryHandlers;
import dev.berth.server.system.SystemHandlers;
import dev.berth.server.network.NetworkHandlers;
import dev.berth.server.volume.VolumeHandlers;
import java.time.Clock;
import java.util.List;

/** The Docker Engine API as berthd serves it: every handler group, in one table. */
public final class DockerApi {

  /** The services the handlers call. */
  public record Services(SystemService system, Containers containers, ImageService images, RegistryService registry,
      VolumeService volumes, NetworkService networks, EventBus events,
      ContainerHandlers.InspectFacts inspectFacts, Clock clock) {}

  private DockerApi() {}

  public static ApiRouter router(Services s) {
    return new ApiRouter().register(
        new SystemHandlers(s.system(), s.registry() == null ? RegistryOptions.DEFAULTS
            : s.registry().registries().options()),
        new EventHandlers(s.events(), s.clock()),
        new ContainerHandlers(s.containers(), s.images(), s.inspectFacts(), s.clock()),
        new ExecHandlers(s.containers() == null ? null : s.containers().execs()),
        new StatsHandlers(s.containers() == null ? null : s.containers().stats()),
        new ImageHandlers(s.images(), s.registry(), s.clock()),
        new RegistryHandlers(s.registry()),
        new DiskUsageHandlers(s.containers(), s.images(), s.volumes(), s.clock()),
        new VolumeHandlers(s.volumes(), s.clock()),
        new NetworkHandlers(s.networks(), s.containers() == null ? null : s.containers().connections(), s.clock()));
  }

  /** Every served route; handlers only register here, so no service is needed to list them. */
  public static List<ApiRouter.Route> routeTable() {
    return router(new Services(null, null, null, null, null, null, null, null, Clock.systemUTC())).routes();
  }
}
