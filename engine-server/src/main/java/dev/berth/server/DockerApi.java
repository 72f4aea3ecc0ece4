package dev.berth.server;

import dev.berth.core.build.BuildService;
import dev.berth.core.container.lifecycle.Containers;
import dev.berth.core.events.EventBus;
import dev.berth.core.image.ImageService;
import dev.berth.core.image.distribution.RegistryService;
import dev.berth.core.network.NetworkService;
import dev.berth.core.system.DiskUsageService;
import dev.berth.core.system.SystemService;
import dev.berth.core.volume.VolumeService;
import dev.berth.server.api.ApiRouter;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.build.BuildHandlers;
import dev.berth.server.container.ArchiveHandlers;
import dev.berth.server.container.AttachHandlers;
import dev.berth.server.container.ContainerHandlers;
import dev.berth.server.container.ExecHandlers;
import dev.berth.server.container.StatsHandlers;
import dev.berth.server.image.ImageHandlers;
import dev.berth.server.image.RegistryHandlers;
import dev.berth.server.network.NetworkHandlers;
import dev.berth.server.swarm.SwarmHandlers;
import dev.berth.server.system.DiskUsageHandlers;
import dev.berth.server.system.EventHandlers;
import dev.berth.server.system.PluginHandlers;
import dev.berth.server.system.SystemHandlers;
import dev.berth.server.volume.VolumeHandlers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Docker Engine API as berthd serves it: every handler group, in one table. Each group is
 * made with exactly the services it calls (moby's router backends).
 */
public final class DockerApi {

  /** The engine's services, as Main wires them. */
  public record Services(SystemService system, Containers containers, DiskUsageService diskUsage, ImageService images,
      RegistryService registry, VolumeService volumes, NetworkService networks, EventBus events, Clock clock,
      BuildService builds) {}

  /** A handler group: the operations it declares, and how it is made from the services. */
  private record Group<G>(Consumer<ApiRoutes.Operations<G>> routes, Function<Services, G> make) {

    void register(ApiRouter router, Services s) {
      router.register(routes, make.apply(s));
    }

    void list(List<ApiRouter.Route> out) {
      routes.accept((method, template, op) -> out.add(ApiRouter.Route.of(method, template)));
    }
  }

  private static final List<Group<?>> GROUPS = List.of(
      new Group<>(SystemHandlers::routes, s -> new SystemHandlers(s.system(), s.registry().registries().options())),
      new Group<>(EventHandlers::routes, s -> new EventHandlers(s.events(), s.clock())),
      new Group<>(ContainerHandlers::routes, s -> new ContainerHandlers(s.containers().service(),
          s.containers().lifecycle(), s.containers().inspection(), s.clock())),
      new Group<>(AttachHandlers::routes, s -> new AttachHandlers(s.containers().attach(), s.containers().logs())),
      new Group<>(ArchiveHandlers::routes, s -> new ArchiveHandlers(s.containers().service(),
          s.containers().archive(), s.containers().commits())),
      new Group<>(ExecHandlers::routes, s -> new ExecHandlers(s.containers().execs())),
      new Group<>(StatsHandlers::routes, s -> new StatsHandlers(s.containers().stats())),
      new Group<>(ImageHandlers::routes, s -> new ImageHandlers(s.images(), s.registry(), s.clock())),
      new Group<>(RegistryHandlers::routes, s -> new RegistryHandlers(s.registry())),
      new Group<>(BuildHandlers::routes, s -> new BuildHandlers(s.builds(), s.registry())),
      new Group<>(DiskUsageHandlers::routes, s -> new DiskUsageHandlers(s.diskUsage(), s.clock())),
      new Group<>(VolumeHandlers::routes, s -> new VolumeHandlers(s.volumes(), s.clock())),
      new Group<>(NetworkHandlers::routes, s -> new NetworkHandlers(s.networks(), s.containers().connections(),
          s.clock())),
      new Group<>(PluginHandlers::routes, s -> new PluginHandlers()),
      new Group<>(SwarmHandlers::routes, s -> new SwarmHandlers()));

  private DockerApi() {}

  public static ApiRouter router(Services s) {
    var router = new ApiRouter();
    GROUPS.forEach(g -> g.register(router, s));
    return router;
  }

  /** Every served route, as the groups declare them: listing them needs no service. */
  public static List<ApiRouter.Route> routeTable() {
    var routes = new ArrayList<ApiRouter.Route>();
    GROUPS.forEach(g -> g.list(routes));
    return List.copyOf(routes);
  }
}
