package dev.berth.core.system;

import dev.berth.core.container.lifecycle.ContainerService;
import dev.berth.core.container.model.Container;
import dev.berth.core.image.Image;
import dev.berth.core.volume.Volume;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What images, containers and volumes take on disk ({@code docker system df}). A kind nobody
 * asked for is empty, as dockerd leaves it out.
 *
 * @param buildCache whether build cache was asked for; berth's build cache is an index of images
 *     (counted as images), so it lists no records
 */
public record DiskUsage(Optional<Images> images, Optional<List<ContainerUse>> containers,
    Optional<List<VolumeUse>> volumes, boolean buildCache) {

  public DiskUsage {
    containers = containers.map(List::copyOf);
    volumes = volumes.map(List::copyOf);
  }

  /** The kinds of object {@code system df} can be asked about. */
  public enum Kind { CONTAINER, IMAGE, VOLUME, BUILD_CACHE }

  /**
   * @param layersSize bytes of every extracted layer, each counted once however many images share it
   */
  public record Images(long layersSize, List<ImageUse> images) {

    public Images {
      images = List.copyOf(images);
    }
  }

  /**
   * @param sharedSize bytes of its layers that other images use too
   * @param containers how many containers were created from it
   */
  public record ImageUse(Image image, long sharedSize, long containers) {}

  public record ContainerUse(Container container, ContainerService.DiskUsage size) {}

  /**
   * @param mountpoint where containers see its content
   * @param refCount how many containers reference it
   */
  public record VolumeUse(Volume volume, Path mountpoint, long size, long refCount) {}
}
