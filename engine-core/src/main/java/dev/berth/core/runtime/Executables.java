package dev.berth.core.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds helper binaries (conmon, runc, crun, the init) the way a shell would. */
public final class Executables {

  // The engine may be started with a bare environment (systemd, tests); look in the usual places too.
  private static final String FALLBACK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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

  public static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + FALLBACK_PATH;
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
