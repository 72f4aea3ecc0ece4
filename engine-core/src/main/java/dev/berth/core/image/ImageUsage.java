package dev.berth.core.image;

import java.util.Optional;
import java.util.Set;

/** Tells the image side which container, if any, still uses an image. */
@FunctionalInterface
public interface ImageUsage {

  /** A container (its 64-hex ID) created from {@code id}; only running ones if {@code runningOnly}. */
  Optional<String> containerUsing(ImageId id, boolean runningOnly);

  /**
   * Every image some container was created from. An image force-removed while a stopped container
   * still uses it disappears from the image list, as in Docker, but its layers must outlive it for
   * the container's sake; layer cleanup keeps the layers of these images.
   */
  default Set<ImageId> imagesInUse() {
    return Set.of();
  }
}
