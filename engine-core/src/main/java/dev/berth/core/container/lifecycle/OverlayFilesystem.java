package dev.berth.core.container.lifecycle;

import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import java.nio.file.Path;
import java.util.Set;

/**
 * Containers' files on disk: {@link ContainerRootfs}'s overlay over the image's layers. An adapter
 * rather than {@code ContainerRootfs implements ContainerFilesystem}, because container.fs lies
 * below this room and may not depend on it.
 */
final class OverlayFilesystem implements ContainerFilesystem {

  private final ContainerRootfs rootfs;

  OverlayFilesystem(ContainerRootfs rootfs) {
    this.rootfs = rootfs;
  }

  @Override
  public Path dir(ContainerId id) {
    return rootfs.dir(id);
  }

  @Override
  public Path logPath(ContainerId id) {
    return rootfs.logPath(id);
  }

  @Override
  public Path mount(Container c) {
    return rootfs.mount(c);
  }

  @Override
  public void unmount(ContainerId id) {
    rootfs.unmount(id);
  }

  @Override
  public Set<ContainerId> mounted() {
    return rootfs.mounted();
  }

  @Override
  public long upperSize(ContainerId id) {
    return rootfs.upperSize(id);
  }

  @Override
  public Runnable setAside(ContainerId id) {
    return rootfs.setAside(id);
  }

  @Override
  public void removeLeftovers(Set<ContainerId> known) {
    rootfs.removeLeftovers(known);
  }
}
