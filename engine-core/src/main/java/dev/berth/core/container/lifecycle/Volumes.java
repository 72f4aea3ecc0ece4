package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.runtime.RunMount;
import java.util.List;

/**
 * A container's mounts besides its root filesystem (volumes, binds, tmpfs), as the lifecycle uses
 * them: held while it runs, released when the run ends. Volumes are shared, so holding and
 * releasing are counted per container.
 */
interface Volumes {

  /**
   * The runtime mounts for a start, parents before children; its volumes are held (mounted, if
   * they have options) until {@link #release}. Releases what it held if it fails.
   */
  List<RunMount> acquire(Container c);

  /** Undoes {@link #acquire}; harmless for a container that holds nothing. */
  void release(Container c);

  /** Publishes the volume events of a start ({@code mount}) or of the end of a run ({@code unmount}). */
  void announce(Container c, boolean mounted);

  /** {@code docker rm -v}: the container's anonymous volumes no other container uses; after its record is gone. */
  void removeAnonymous(Container c);

  /** After berthd restarts: unmounts volumes with options that no running container holds. */
  void unmountUnused();
}
