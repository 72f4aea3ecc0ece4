package dev.berth.core.container.lifecycle;

import dev.berth.core.container.fs.ContainerMounts;
import dev.berth.core.container.model.Container;
import dev.berth.core.runtime.RunMount;
import java.util.List;

/**
 * Containers' volumes, binds and tmpfs mounts on this host: {@link ContainerMounts} over the
 * volume service. An adapter rather than {@code ContainerMounts implements Volumes}, because
 * container.fs lies below this room and may not depend on it.
 */
final class MountedVolumes implements Volumes {

  private final ContainerMounts mounts;

  MountedVolumes(ContainerMounts mounts) {
    this.mounts = mounts;
  }

  @Override
  public List<RunMount> acquire(Container c) {
    return mounts.acquire(c);
  }

  @Override
  public void release(Container c) {
    mounts.release(c);
  }

  @Override
  public void announce(Container c, boolean mounted) {
    mounts.announce(c, mounted);
  }

  @Override
  public void removeAnonymous(Container c) {
    mounts.removeAnonymous(c);
  }

  @Override
  public void unmountUnused() {
    mounts.volumes().unmountUnused();
  }
}
