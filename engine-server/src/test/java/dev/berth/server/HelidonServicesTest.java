package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.config.Config;
import io.helidon.common.mapper.Mappers;
import io.helidon.webserver.spi.ServerFeatureProvider;
import org.junit.jupiter.api.Test;

/** Issue 15: Helidon's registry holds the mappers the server uses and nothing discovered on the class path. */
class HelidonServicesTest {

  @Test
  void theRegistryMapsValuesAndDiscoversNothing() {
    var registry = HelidonServices.create();

    // Header and query values (`asInt()` and the like) map through these.
    Mappers mappers = registry.get(Mappers.class);
    assertEquals(42, mappers.map("42", String.class, Integer.class, "test"));
    // Found on the class path only by discovery, which made every start read every descriptor.
    assertTrue(registry.first(Config.class).isEmpty(), "Helidon's config came from discovery");
    assertTrue(registry.all(ServerFeatureProvider.class).isEmpty(), "server features came from discovery");
  }
}
