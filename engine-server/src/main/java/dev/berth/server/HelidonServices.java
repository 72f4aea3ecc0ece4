package dev.berth.server;

import io.helidon.common.mapper.DefaultMapperProvider__ServiceDescriptor;
import io.helidon.common.mapper.DefaultResolverService__ServiceDescriptor;
import io.helidon.common.mapper.MappersFactory__ServiceDescriptor;
import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.service.registry.ServiceRegistry;
import io.helidon.service.registry.ServiceRegistryConfig;
import io.helidon.service.registry.ServiceRegistryManager;

/**
 * Helidon's global service registry, made with only the services berthd's server uses: the
 * mappers behind header and query values. Left to itself, Helidon's first use makes a registry
 * from every descriptor and service file on the class path (its config, a metrics registry, the
 * request-scope feature of its injection), which was ~150 ms of CPU in each start (issue 15,
 * docs/benchmarks.md). The server is configured in code ({@link ApiServer}) and reads no Helidon
 * config, so nothing it needs is lost.
 */
final class HelidonServices {

  static {
    GlobalServiceRegistry.registry(create());
  }

  private HelidonServices() {}

  /** Sets the registry, once, before anything of Helidon's asks for it (initialising this class does). */
  static void install() {
    // nothing more
  }

  /** A registry of the services the server uses, found by no search. */
  static ServiceRegistry create() {
    return ServiceRegistryManager.create(ServiceRegistryConfig.builder()
        .discoverServices(false)
        .discoverServicesFromServiceLoader(false)
        .addServiceDescriptor(DefaultMapperProvider__ServiceDescriptor.INSTANCE)
        .addServiceDescriptor(DefaultResolverService__ServiceDescriptor.INSTANCE)
        .addServiceDescriptor(MappersFactory__ServiceDescriptor.INSTANCE)
        .build()).registry();
  }
}
