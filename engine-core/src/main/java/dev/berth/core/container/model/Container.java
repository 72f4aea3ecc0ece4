package dev.berth.core.container.model;

import dev.berth.core.image.ImageId;
import dev.berth.core.network.Networking;
import java.time.Instant;
import java.util.List;

/**
 * A container as the engine records it.
 *
 * @param imageId the image it was created from, fixed at create
 * @param restartCount restarts done by its restart policy since the last manual start
 * @param mounts what is mounted into it besides its root filesystem, decided at create
 * @param networking its networks and published ports
 */
public record Container(
    ContainerId id,
    ContainerName name,
    Instant created,
    ImageId imageId,
    ContainerConfig config,
    HostConfig hostConfig,
    ContainerState state,
    int restartCount,
    List<MountPoint> mounts,
    Networking networking) {

  public Container {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    networking = networking == null ? Networking.NONE : networking;
  }

  /** A container on no network. */
  public Container(ContainerId id, ContainerName name, Instant created, ImageId imageId, ContainerConfig config,
      HostConfig hostConfig, ContainerState state, int restartCount, List<MountPoint> mounts) {
    this(id, name, created, imageId, config, hostConfig, state, restartCount, mounts, Networking.NONE);
  }

  /** A container with nothing mounted besides its root filesystem. */
  public Container(ContainerId id, ContainerName name, Instant created, ImageId imageId, ContainerConfig config,
      HostConfig hostConfig, ContainerState state, int restartCount) {
    this(id, name, created, imageId, config, hostConfig, state, restartCount, List.of());
  }

  public Container withState(ContainerState s) {
    return new Container(id, name, created, imageId, config, hostConfig, s, restartCount, mounts, networking);
  }

  public Container withHostConfig(HostConfig h) {
    return new Container(id, name, created, imageId, config, h, state, restartCount, mounts, networking);
  }

  public Container withName(ContainerName n) {
    return new Container(id, n, created, imageId, config, hostConfig, state, restartCount, mounts, networking);
  }

  public Container withNetworking(Networking n) {
    return new Container(id, name, created, imageId, config, hostConfig, state, restartCount, mounts, n);
  }

  public Container withRestartCount(int n) {
    return new Container(id, name, created, imageId, config, hostConfig, state, n, mounts, networking);
  }
}
