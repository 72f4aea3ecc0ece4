package dev.berth.core.container;

import dev.berth.core.image.ImageId;
import java.time.Instant;

/**
 * A container as the engine records it.
 *
 * @param imageId the image it was created from, fixed at create
 * @param restartCount restarts done by its restart policy since the last manual start
 */
public record Container(
    ContainerId id,
    ContainerName name,
    Instant created,
    ImageId imageId,
    ContainerConfig config,
    HostConfig hostConfig,
    ContainerState state,
    int restartCount) {

  public Container withState(ContainerState s) {
    return new Container(id, name, created, imageId, config, hostConfig, s, restartCount);
  }

  public Container withHostConfig(HostConfig h) {
    return new Container(id, name, created, imageId, config, h, state, restartCount);
  }

  public Container withName(ContainerName n) {
    return new Container(id, n, created, imageId, config, hostConfig, state, restartCount);
  }
}
