package dev.berth.core.container;

import java.nio.file.Path;

/**
 * A container's directory under the data root, and what the engine keeps where in it. It lives
 * until the container is removed; inspect shows these paths as dockerd shows its own.
 */
record ContainerDir(Path path) {

  Path resolvConf() {
    return path.resolve("resolv.conf");
  }

  Path hostname() {
    return path.resolve("hostname");
  }

  Path hosts() {
    return path.resolve("hosts");
  }

  /** conmon's k8s-file log of the container's output. */
  Path log() {
    return path.resolve("container.log");
  }

  /** The init layer: see {@link InitLayer}. */
  Path init() {
    return path.resolve("init");
  }

  /** The overlay's upper directory: everything the container changed. */
  Path upper() {
    return path.resolve("upper");
  }

  Path work() {
    return path.resolve("work");
  }

  /** Where the overlay is mounted while the container runs. */
  Path merged() {
    return path.resolve("merged");
  }
}
