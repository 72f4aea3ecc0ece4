package dev.berth.server.system;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.registry.RegistryOptions;
import dev.berth.core.system.DiskUsage;
import dev.berth.server.api.ApiVersion;
import dev.berth.server.container.ContainerTranslator;
import dev.berth.server.image.ImageTranslator;
import dev.berth.server.volume.VolumeTranslator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** The engine's facts as {@code /info} and {@code /system/df} word them. Pure. */
final class SystemTranslator {

  private SystemTranslator() {}

  /**
   * dockerd's RegistryConfig: loopback then configured CIDRs; an index entry for docker.io (with
   * the mirrors, written with the trailing slash dockerd adds) and one per insecure registry name.
   */
  static SystemJson.RegistryConfig registryConfig(RegistryOptions o) {
    var cidrs = new ArrayList<>(RegistryOptions.LOOPBACK_CIDRS);
    o.insecureCidrs().stream().filter(c -> !cidrs.contains(c)).forEach(cidrs::add);
    List<String> mirrors = o.mirrors().stream().map(m -> m + "/").toList();
    var indexes = new TreeMap<String, SystemJson.IndexInfo>();
    indexes.put("docker.io", new SystemJson.IndexInfo("docker.io", mirrors, true, true));
    for (String h : o.insecureHosts()) {
      indexes.put(h, new SystemJson.IndexInfo(h, List.of(), false, false));
    }
    return new SystemJson.RegistryConfig(cidrs, indexes, mirrors);
  }

  /** Before API 1.25 dockerd lists only the names ("seccomp"), not "name=seccomp,profile=builtin". */
  static List<String> securityOptions(List<String> options, ApiVersion version) {
    if (version.atLeast(1, 25)) {
      return options;
    }
    return options.stream().map(o -> o.split(",")[0].substring("name=".length())).toList();
  }

  /** {@code system df}'s {@code type} parameters; none means every kind. */
  static Set<DiskUsage.Kind> diskUsageKinds(List<String> types) {
    if (types.isEmpty()) {
      return EnumSet.allOf(DiskUsage.Kind.class);
    }
    var kinds = EnumSet.noneOf(DiskUsage.Kind.class);
    for (String t : types) {
      kinds.add(switch (t) {
        case "container" -> DiskUsage.Kind.CONTAINER;
        case "image" -> DiskUsage.Kind.IMAGE;
        case "volume" -> DiskUsage.Kind.VOLUME;
        case "build-cache" -> DiskUsage.Kind.BUILD_CACHE;
        default -> throw new InvalidArgumentException("unknown object type: " + t);
      });
    }
    return kinds;
  }

  /** moby types.DiskUsage; kinds not asked for are null, as dockerd leaves them. */
  static SystemJson.DiskUsage diskUsage(DiskUsage du, Instant now) {
    return new SystemJson.DiskUsage(
        du.images().map(DiskUsage.Images::layersSize).orElse(null),
        du.images().map(i -> i.images().stream()
            .map(u -> ImageTranslator.summary(u.image(), u.sharedSize(), u.containers())).toList()).orElse(null),
        du.containers().map(cs -> cs.stream()
            .map(c -> ContainerTranslator.summary(c.container(), now, c.size(), null)).toList()).orElse(null),
        du.volumes().map(vs -> vs.stream()
            .map(v -> VolumeTranslator.volume(v.volume(), v.mountpoint(), VolumeTranslator.usage(v.size(), v.refCount())))
            .toList()).orElse(null),
        du.buildCache() ? List.of() : null);
  }
}
