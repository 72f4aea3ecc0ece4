package dev.berth.core.logs;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One container's log: where conmon spools its output, the driver it goes to and the files it
 * keeps there. Everything lives in the container's directory and goes with it.
 *
 * @param id the container's id (dockerd names the json-file after it)
 * @param dir the container's directory
 * @param attrs what each entry carries ({@code --log-opt labels=...}), already picked from the container
 */
public record LogTarget(String id, Path dir, LogSettings settings, Map<String, String> attrs) {

  public LogTarget {
    attrs = attrs == null ? Map.of() : Map.copyOf(attrs);
  }

  /** conmon's k8s-file spool (named as berth's single log was before drivers, so older containers' output is kept). */
  public Path spool() {
    return dir.resolve("container.log");
  }

  Path state() {
    return dir.resolve("container.log.pump");
  }

  /** The driver's current file; empty for none. */
  public Optional<Path> current() {
    return settings.driver().file(dir, id);
  }

  /** What inspect shows as LogPath: json-file's current file only, as dockerd (local's layout is not API). */
  public String logPath() {
    return settings.driver() == LogDriver.JSON_FILE ? current().orElseThrow().toString() : "";
  }
}
