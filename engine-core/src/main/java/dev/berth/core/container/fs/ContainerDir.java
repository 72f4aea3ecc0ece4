package dev.berth.core.container.fs;

import java.nio.file.Path;

/**
 * A container's directory under the data root, and what the engine keeps where in it. It lives
 * until the container is removed; inspect shows these paths as dockerd shows its own.
 */
public record ContainerDir(Path path) {

  public Path resolvConf() {
    return path.resolve("resolv.conf");
  }

  public Path hostname() {
    return path.resolve("hostname");
  }

  public Path hosts() {
    return path.resolve("hosts");
  }

  /** conmon's k8s-file spool of the container's output, which berthd converts into its log driver's files. */
  public Path log() {
    return path.resolve("container.log");
  }

  /** The init layer: see {@link InitLayer}. */
  public Path init() {
    return path.resolve("init");
  }

  /** The overlay's upper directory: everything the container changed. */
  public Path upper() {
    return path.resolve("upper");
  }

  public Path work() {
    return path.resolve("work");
  }

  /** Where the overlay is mounted while the container runs. */
  public Path merged() {
    return path.resolve("merged");
  }

  /**
   * A shareable IPC container's /dev/shm while it runs: a tmpfs on the host side, which it and the
   * containers joining its IPC namespace bind (dockerd's ShmPath, containers/ID/mounts/shm).
   */
  public Path shm() {
    return path.resolve("shm");
  }
}
