package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import java.nio.file.Path;
import java.util.Set;

/**
 * A container's files, as the lifecycle uses them: its directory (generated /etc files, log),
 * kept from create to removal, and its root filesystem, mounted while it runs. Every method is
 * idempotent, so a crash or a failed start is mended by calling it again.
 */
interface ContainerFilesystem {

  /** The container's own directory, where its generated /etc files are written at each start. */
  Path dir(ContainerId id);

  /** Where the container's output is logged, kept until the container is removed. */
  Path logPath(ContainerId id);

  /** Mounts the root filesystem, if it is not mounted, and returns its root. */
  Path mount(Container c);

  /** Unmounts the root filesystem; the container's changes stay. */
  void unmount(ContainerId id);

  /**
   * The containers with anything mounted under their directory now (root filesystem, /dev/shm),
   * from one read of the mount table: at engine start, only these need {@link #unmount}.
   */
  Set<ContainerId> mounted();

  /** Bytes in the container's writable layer. */
  long upperSize(ContainerId id);

  /**
   * Unmounts everything the container had on disk and takes it out of sight, so that nothing is
   * left under its name; returns the deletion of what was taken away, for the caller to run once it
   * has answered (a crash before that leaves it to {@link #removeLeftovers}).
   */
  Runnable setAside(ContainerId id);

  /** Deletes the directories of containers not in {@code known}: removals a crash interrupted. */
  void removeLeftovers(Set<ContainerId> known);
}
