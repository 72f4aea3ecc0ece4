package dev.berth.server.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.system.DiskUsage;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeName;
import dev.berth.server.api.ApiVersion;
import dev.berth.server.api.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemTranslatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void diskUsageKindsDefaultToAllAndRefuseUnknownOnes() {
    assertEquals(EnumSet.allOf(DiskUsage.Kind.class), SystemTranslator.diskUsageKinds(List.of()));
    assertEquals(EnumSet.of(DiskUsage.Kind.VOLUME, DiskUsage.Kind.BUILD_CACHE),
        SystemTranslator.diskUsageKinds(List.of("build-cache", "volume")));
    var e = assertThrows(InvalidArgumentException.class,
        () -> SystemTranslator.diskUsageKinds(List.of("image", "plugin")));
    assertEquals("unknown object type: plugin", e.getMessage());
  }

  @Test
  void kindsNotAskedForAreNullAndBuildCacheIsEmpty() {
    var none = new DiskUsage(Optional.empty(), Optional.empty(), Optional.empty(), false);
    assertEquals("{\"LayersSize\":null,\"Images\":null,\"Containers\":null,\"Volumes\":null,\"BuildCache\":null}",
        text(SystemTranslator.diskUsage(none, NOW)));
    var cache = new DiskUsage(Optional.empty(), Optional.empty(), Optional.empty(), true);
    assertEquals("{\"LayersSize\":null,\"Images\":null,\"Containers\":null,\"Volumes\":null,\"BuildCache\":[]}",
        text(SystemTranslator.diskUsage(cache, NOW)));
  }

  @Test
  void volumesCarryTheirUsage() {
    var v = new Volume(new VolumeName("data"), "local", Map.of(), null, Instant.parse("2025-12-31T10:00:00.5Z"));
    var du = new DiskUsage(Optional.empty(), Optional.of(List.of()), Optional.of(List.of(
        new DiskUsage.VolumeUse(v, Path.of("/var/lib/berth/volumes/data/_data"), 4096, 2))), false);
    assertEquals("{\"LayersSize\":null,\"Images\":null,\"Containers\":[],\"Volumes\":[{\"CreatedAt\":"
        + "\"2025-12-31T10:00:00Z\",\"Driver\":\"local\",\"Labels\":null,\"Mountpoint\":"
        + "\"/var/lib/berth/volumes/data/_data\",\"Name\":\"data\",\"Options\":null,\"Scope\":\"local\","
        + "\"UsageData\":{\"Size\":4096,\"RefCount\":2}}],\"BuildCache\":null}",
        text(SystemTranslator.diskUsage(du, NOW)));
  }

  @Test
  void securityOptionsBeforeApi125AreBareNames() {
    var options = List.of("name=seccomp,profile=builtin", "name=cgroupns");
    assertEquals(options, SystemTranslator.securityOptions(options, ApiVersion.CURRENT));
    assertEquals(List.of("seccomp", "cgroupns"), SystemTranslator.securityOptions(options, ApiVersion.MIN));
  }

  private static String text(Object value) {
    return new String(Json.bytes(value), StandardCharsets.UTF_8);
  }
}
