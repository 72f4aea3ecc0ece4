package dev.berth.core.system;

import dev.berth.core.container.lifecycle.ContainerService;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerFilter;
import dev.berth.core.image.ImageFilter;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageService;
import dev.berth.core.volume.VolumeFilter;
import dev.berth.core.volume.VolumeService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code docker system df}: what images, containers and volumes take on disk. */
public final class DiskUsageService {

  private final ContainerService containers;
  private final ImageService images;
  private final VolumeService volumes;

  public DiskUsageService(ContainerService containers, ImageService images, VolumeService volumes) {
    this.containers = containers;
    this.images = images;
    this.volumes = volumes;
  }

  /** @param kinds what to measure; each walks files, so only what was asked for is */
  public DiskUsage usage(Set<DiskUsage.Kind> kinds) {
    List<Container> all = kinds.contains(DiskUsage.Kind.IMAGE) || kinds.contains(DiskUsage.Kind.CONTAINER)
        ? containers.list(ContainerFilter.everything()) : List.of();
    Optional<DiskUsage.Images> imageUse = Optional.empty();
    if (kinds.contains(DiskUsage.Kind.IMAGE)) {
      ImageService.DiskUsage du = images.diskUsage();
      Map<ImageId, Long> users = new HashMap<>();
      all.forEach(c -> users.merge(c.imageId(), 1L, Long::sum));
      imageUse = Optional.of(new DiskUsage.Images(du.layersSize(), images.list(ImageFilter.NONE).stream()
          .map(i -> new DiskUsage.ImageUse(i, du.sharedSize().getOrDefault(i.id(), 0L), users.getOrDefault(i.id(), 0L)))
          .toList()));
    }
    Optional<List<DiskUsage.ContainerUse>> containerUse = Optional.empty();
    if (kinds.contains(DiskUsage.Kind.CONTAINER)) {
      containerUse = Optional.of(all.stream()
          .map(c -> new DiskUsage.ContainerUse(c, containers.diskUsage(c))).toList());
    }
    Optional<List<DiskUsage.VolumeUse>> volumeUse = Optional.empty();
    if (kinds.contains(DiskUsage.Kind.VOLUME)) {
      Map<String, List<String>> refs = volumes.references();
      // As dockerd's LocalVolumesSize: volumes with mount options are left out.
      volumeUse = Optional.of(volumes.list(VolumeFilter.NONE).stream().filter(v -> v.options().isEmpty())
          .map(v -> new DiskUsage.VolumeUse(v, volumes.dataDir(v.name()), volumes.size(v),
              refs.getOrDefault(v.name().value(), List.of()).size()))
          .toList());
    }
    return new DiskUsage(imageUse, containerUse, volumeUse, kinds.contains(DiskUsage.Kind.BUILD_CACHE));
  }
}
