package dev.berth.store.volume;

import dev.berth.core.error.InternalException;
import dev.berth.core.volume.LocalOptions;
import java.util.Map;

/** What {@code volumes.config_json} holds. */
record VolumeDocument(int version, Map<String, String> labels, LocalOptions options) {

  static final int CURRENT = 1;

  VolumeDocument requireReadable(String name) {
    if (version != CURRENT) {
      throw new InternalException("volume " + name + " has config version " + version + ", this berth reads only "
          + CURRENT);
    }
    return this;
  }
}
