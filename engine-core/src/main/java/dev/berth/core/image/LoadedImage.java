package dev.berth.core.image;

import java.util.List;

/** One image an archive brought in, with the references the archive gave it. */
public record LoadedImage(ImageId id, List<ImageReference> tags) {

  public LoadedImage {
    tags = List.copyOf(tags);
  }
}
