package dev.berth.store.volume;

import dev.berth.core.error.InternalException;
import dev.berth.core.volume.LocalOptions;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeName;
import dev.berth.store.Documents;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code volumes.config_json} holds. The field names are the stored ones (the fixtures under
 * {@code src/test/resources/volumes/} are rows as berth wrote them) and must not change; a field
 * renamed or added in {@link Volume} shows as a compile error here. A change of meaning needs a
 * new {@code version}.
 */
record VolumeDocument(int version, Map<String, String> labels, OptionsDoc options) {

  static final int CURRENT = 1;

  static VolumeDocument of(Volume v) {
    return new VolumeDocument(CURRENT, Documents.sorted(v.labels()), Documents.map(v.options(), OptionsDoc::of));
  }

  VolumeDocument requireReadable(String name) {
    if (version != CURRENT) {
      throw new InternalException("volume " + name + " has config version " + version + ", this berth reads only "
          + CURRENT);
    }
    return this;
  }

  /** The volume these settings and its columns make. */
  Volume toVolume(VolumeName name, String driver, Instant created) {
    return new Volume(name, driver, labels, Documents.map(options, OptionsDoc::toCore), created);
  }

  /**
   * The local driver's options exactly as given ({@link LocalOptions}), under {@code raw}. Rows
   * written before this mapping also hold an {@code empty} flag (a by-product of serialising the
   * core record) that says nothing {@code raw} does not; it is ignored on read and no longer
   * written.
   */
  record OptionsDoc(Map<String, String> raw) {

    static OptionsDoc of(LocalOptions o) {
      return new OptionsDoc(Documents.sorted(o.raw()));
    }

    LocalOptions toCore() {
      return new LocalOptions(raw);
    }
  }
}
