package dev.berth.core.container.model;

/**
 * Something mounted into a container, decided at create (moby volume/mounts {@code MountPoint}).
 * Inspect's {@code Mounts} reports these.
 *
 * @param name the volume's name; null for binds and tmpfs
 * @param source the host path mounted: the bind source, or the volume's data directory; null for tmpfs
 * @param driver {@code local} for volumes, null otherwise
 * @param mode the mode string the client gave ({@code ro,z}); {@code z} for named volumes without one
 * @param propagation {@code rprivate} and friends for binds, empty otherwise
 * @param anonymous a volume created for this container without a name: {@code docker rm -v} removes it
 * @param copyData copy the image's content into the volume at create when it is empty (not {@code nocopy})
 * @param nonRecursive bind without submounts
 * @param createSource make a missing bind source at start ({@code -v /host:/c}, not {@code --mount})
 * @param tmpfsOptions the tmpfs data string ({@code size=64m,mode=1777}); null for other types
 */
public record MountPoint(MountType type, String name, String source, String destination, String driver, String mode,
    boolean rw, String propagation, boolean anonymous, boolean copyData, boolean nonRecursive, boolean createSource,
    String tmpfsOptions) {

  public MountPoint {
    mode = mode == null ? "" : mode;
    propagation = propagation == null ? "" : propagation;
  }

  public MountPoint withVolume(String volumeName, String dataDir) {
    return new MountPoint(type, volumeName, dataDir, destination, "local", mode, rw, propagation, anonymous, copyData,
        nonRecursive, createSource, tmpfsOptions);
  }

  /** How {@code --volumes-from} copies it: read-only if asked, never copied up again, mode not carried. */
  public MountPoint inherited(boolean writable) {
    return new MountPoint(type, name, source, destination, driver, "", rw && writable, propagation, anonymous, false,
        nonRecursive, createSource, tmpfsOptions);
  }
}
