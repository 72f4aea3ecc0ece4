package dev.berth.core.container.model;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code HostConfig.Mounts} ({@code docker run --mount}) as the client sent it; kept
 * as given so inspect can echo it. What it mounts is decided at create ({@link MountPoint}).
 *
 * @param type bind, volume or tmpfs; anything else is refused at create with dockerd's words
 * @param source host path (bind), volume name (volume, empty for anonymous); empty for tmpfs
 * @param consistency accepted and ignored on Linux, as dockerd does
 * @param bindOptions null unless given
 * @param volumeOptions null unless given
 * @param tmpfsOptions null unless given
 */
public record MountRequest(String type, String source, String target, boolean readOnly, String consistency,
    BindOptions bindOptions, VolumeOptions volumeOptions, TmpfsOptions tmpfsOptions) {

  public MountRequest {
    type = type == null ? "" : type;
    source = source == null ? "" : source;
    target = target == null ? "" : target;
    consistency = consistency == null ? "" : consistency;
  }

  /** @param propagation empty for the default, rprivate */
  public record BindOptions(String propagation, boolean nonRecursive, boolean createMountpoint,
      boolean readOnlyNonRecursive, boolean readOnlyForceRecursive) {

    public BindOptions {
      propagation = propagation == null ? "" : propagation;
    }
  }

  /** @param driverName null unless a driver config was given */
  public record VolumeOptions(boolean noCopy, Map<String, String> labels, String subpath, String driverName,
      Map<String, String> driverOptions) {

    public VolumeOptions {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      subpath = subpath == null ? "" : subpath;
      driverOptions = driverOptions == null ? Map.of() : Map.copyOf(driverOptions);
    }
  }

  /**
   * @param mode permission bits as Go's os.FileMode (0 for the default 1777)
   * @param options flag options as 1-element lists, key/value ones as 2-element lists
   */
  public record TmpfsOptions(long sizeBytes, int mode, List<List<String>> options) {

    public TmpfsOptions {
      options = options == null ? List.of() : options.stream().map(o -> o == null ? List.<String>of() : List.copyOf(o))
          .toList();
    }
  }
}
