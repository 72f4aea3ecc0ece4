package dev.berth.core.container;

import dev.berth.core.image.ImageId;
import java.time.Instant;
import java.util.List;

/**
 * A container as the engine records it.
 *
 * @param imageId the image it was created from, fixed at create
 * @param restartCount restarts done by its restart policy since the last manual start
 * @param mounts what is mounted into it besides its root filesystem, decided at create
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
    List<MountPoint> mounts) {

  public Container {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /** A container with nothing mounted besides its root filesystem. */
  public Container(ContainerId id, ContainerName name, Instant created, ImageId imageId, ContainerConfig config,
      HostConfig hostConfig, ContainerState state, int restartCount) {
    this(id, name, created, imageId, config, hostConfig, state, restartCount, List.of());
  }

  public Container withState(ContainerState s) {
    return new Container(id, name, created, imageId, config, hostConfig, s, restartCount, mounts);
  }

  public Container withHostConfig(HostConfig h) {
    return new Container(id, name, created, imageId, config, h, state, restartCount, mounts);
  }

  public Container withName(ContainerName n) {
    return new Container(id, n, created, imageId, config, hostConfig, state, restartCount, mounts);
  }

  public Container withRestartCount(int n) {
    return new Container(id, name, created, imageId, config, hostConfig, state, n, mounts);
  }
}
