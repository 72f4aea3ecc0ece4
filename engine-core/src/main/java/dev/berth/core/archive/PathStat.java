package dev.berth.core.archive;

import java.time.Instant;

/**
 * What {@code HEAD /containers/{id}/archive} reports about a path (moby container.PathStat).
 *
 * @param mode Go os.FileMode bits ({@link FileMode})
 * @param linkTarget for a symlink, the container path it finally resolves to; empty otherwise
 */
public record PathStat(String name, long size, long mode, Instant mtime, String linkTarget) {

  public boolean isDirectory() {
    return (mode & FileMode.DIR) != 0;
  }
}
