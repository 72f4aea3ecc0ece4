package dev.berth.core.image;

import java.util.Optional;

/** Tells the image side which container, if any, still uses an image. */
@FunctionalInterface
public interface ImageUsage {

  /** A container (its 64-hex ID) created from {@code id}; only running ones if {@code runningOnly}. */
  Optional<String> containerUsing(ImageId id, boolean runningOnly);
}
