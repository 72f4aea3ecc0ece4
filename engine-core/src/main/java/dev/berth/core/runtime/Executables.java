package dev.berth.core.runtime;

import dev.berth.core.os.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds helper binaries (conmon, runc, crun, the init) the way a shell would. */
public final class Executables {

  private Executables() {}

  /**
   * The init bound into {@code --init} containers: {@code docker-init} (what dockerd looks for),
   * else {@code tini-static}, else {@code tini}. Static builds first: the init runs inside the
   * container's filesystem, which need not have the host's C library.
   */
  public static Optional<Path> findInit() {
    for (String name : List.of("docker-init", "tini-static", "tini")) {
      Optional<Path> found = onPath(name);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** See {@link Processes#onPath}. */
  public static Optional<Path> onPath(String name) {
    return Processes.onPath(name);
  }
}
