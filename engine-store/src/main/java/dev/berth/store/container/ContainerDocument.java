package dev.berth.store.container;

import dev.berth.core.container.ContainerConfig;
import dev.berth.core.container.HostConfig;
import dev.berth.core.container.MountPoint;
import dev.berth.core.error.InternalException;
import dev.berth.core.network.Networking;
import java.util.List;

/**
 * What {@code containers.config_json} holds. Adding a field to a core record needs no change
 * here; changing the meaning of one needs a new {@code version} and a conversion on read.
 */
record ContainerDocument(int version, ContainerConfig config, HostConfig hostConfig, List<MountPoint> mounts,
    Networking networking) {

  static final int CURRENT = 1;

  static ContainerDocument of(ContainerConfig config, HostConfig hostConfig, List<MountPoint> mounts,
      Networking networking) {
    return new ContainerDocument(CURRENT, config, hostConfig, mounts, networking);
  }

  ContainerDocument requireReadable(String containerId) {
    if (version != CURRENT) {
      throw new InternalException("container " + containerId + " has config version " + version
          + ", this berth reads only " + CURRENT);
    }
    return this;
  }
}
