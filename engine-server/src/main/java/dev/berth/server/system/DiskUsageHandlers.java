package dev.berth.server.system;

import dev.berth.core.container.Container;
import dev.berth.core.container.ContainerFilter;
import dev.berth.core.container.Containers;
import dev.berth.core.image.ImageFilter;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageService;
import dev.berth.core.volume.VolumeFilter;
import dev.berth.core.volume.VolumeService;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Responses;
import dev.berth.server.container.ContainerTranslator;
import dev.berth.server.image.ImageTranslator;
import dev.berth.server.volume.VolumeTranslator;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /system/df}: what images, containers and volumes take on disk. */
public final class DiskUsageHandlers implements ApiRoutes.Group {

  private final Containers containers;
  private final ImageService images;
  private final VolumeService volumes;
  private final java.time.Clock clock;

  public DiskUsageHandlers(Containers containers, ImageService images, VolumeService volumes, java.time.Clock clock) {
    this.containers = containers;
    this.images = images;
    this.volumes = volumes;
    this.clock = clock;
  }

  /** moby types.DiskUsage; kinds not asked for with {@code type} are null, as dockerd leaves them. */
  record DiskUsage(Long LayersSize, List<Object> Images, List<Object> Containers, List<Object> Volumes,
      List<Object> BuildCache) {}

  @Override
  public void routes(ApiRoutes r) {
    r.get("/system/df", this::systemDataUsage);
  }

  private void systemDataUsage(ApiRequest req, ServerResponse res) {
    List<String> types = req.queryAll("type");
    boolean all = types.isEmpty();
    for (String t : types) {
      if (!List.of("container", "image", "volume", "build-cache").contains(t)) {
        throw new dev.berth.core.error.InvalidArgumentException("unknown object type: " + t);
      }
    }
    List<Container> ctrs = containers.service().list(new ContainerFilter(true, -1, List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of()));
    Instant now = clock.instant();
    Long layersSize = null;
    List<Object> imageRows = null;
    if (all || types.contains("image")) {
      ImageService.DiskUsage du = images.diskUsage();
      Map<ImageId, Long> users = new HashMap<>();
      ctrs.forEach(c -> users.merge(c.imageId(), 1L, Long::sum));
      layersSize = du.layersSize();
      imageRows = images.list(ImageFilter.NONE).stream()
          .map(i -> ImageTranslator.summaryJson(i, du.sharedSize().getOrDefault(i.id(), 0L),
              users.getOrDefault(i.id(), 0L)))
          .toList();
    }
    List<Object> containerRows = null;
    if (all || types.contains("container")) {
      containerRows = ctrs.stream().map(c -> ContainerTranslator.summaryJson(c, now,
          containers.service().diskUsage(c), null)).toList();
    }
    List<Object> volumeRows = null;
    if (all || types.contains("volume")) {
      Map<String, List<String>> refs = volumes.references();
      // As dockerd's LocalVolumesSize: volumes with mount options are left out.
      volumeRows = volumes.list(VolumeFilter.NONE).stream().filter(v -> v.options().isEmpty())
          .map(v -> (Object) VolumeTranslator.volume(v, volumes.dataDir(v.name()),
              VolumeTranslator.usage(volumes.size(v), refs.getOrDefault(v.name().value(), List.of()).size())))
          .toList();
    }
    List<Object> buildCache = all || types.contains("build-cache") ? List.of() : null;
    Responses.json(res, 200, new DiskUsage(layersSize, imageRows, containerRows, volumeRows, buildCache));
  }

}
