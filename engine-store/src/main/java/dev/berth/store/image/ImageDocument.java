package dev.berth.store.image;

import dev.berth.core.error.InternalException;
import dev.berth.core.image.ImageConfig;

/**
 * What {@code images.config_json} holds. Adding a field to {@link ImageConfig} needs no change
 * here; changing the meaning of one needs a new {@code version} and a conversion on read.
 */
record ImageDocument(int version, ImageConfig config) {

  static final int CURRENT = 1;

  static ImageDocument of(ImageConfig config) {
    return new ImageDocument(CURRENT, config);
  }

  ImageConfig readableConfig(String imageId) {
    if (version != CURRENT) {
      throw new InternalException("image " + imageId + " has config version " + version
          + ", this berth reads only " + CURRENT);
    }
    return config;
  }
}
