package dev.berth.store.container;

import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountType;

/**
 * One of {@code mounts} in {@code containers.config_json}: a {@link MountPoint}. {@code type} is
 * stored as {@code BIND}, {@code VOLUME} or {@code TMPFS}, the names the first rows were written
 * with; a new kind of mount needs a new word here.
 */
record MountPointDoc(String type, String name, String source, String destination, String driver, String mode,
    boolean rw, String propagation, boolean anonymous, boolean copyData, boolean nonRecursive, boolean createSource,
    String tmpfsOptions) {

  static MountPointDoc of(MountPoint m) {
    return new MountPointDoc(type(m.type()), m.name(), m.source(), m.destination(), m.driver(), m.mode(), m.rw(),
        m.propagation(), m.anonymous(), m.copyData(), m.nonRecursive(), m.createSource(), m.tmpfsOptions());
  }

  MountPoint toCore() {
    return new MountPoint(type(type), name, source, destination, driver, mode, rw, propagation, anonymous, copyData,
        nonRecursive, createSource, tmpfsOptions);
  }

  private static String type(MountType t) {
    return t == null ? null : switch (t) {
      case BIND -> "BIND";
      case VOLUME -> "VOLUME";
      case TMPFS -> "TMPFS";
    };
  }

  private static MountType type(String stored) {
    return stored == null ? null : switch (stored) {
      case "BIND" -> MountType.BIND;
      case "VOLUME" -> MountType.VOLUME;
      case "TMPFS" -> MountType.TMPFS;
      default -> throw new IllegalArgumentException("unknown mount type " + stored);
    };
  }
}
