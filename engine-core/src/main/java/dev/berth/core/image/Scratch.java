package dev.berth.core.image;

import dev.berth.core.fs.FileTrees;
import dev.berth.core.config.EnginePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image side's scratch space, {@code <tmp>/image}. It is on the same filesystem as blobs and
 * layers so finished work is renamed in atomically; nothing in it is ever trusted, so a crash only
 * leaves garbage that {@link #clear} removes at startup.
 */
public final class Scratch {

  private final Path dir;

  public Scratch(EnginePaths paths) {
    this.dir = paths.tmp().resolve("image");
  }

  public Path dir() {
    return dir;
  }

  public Path newDir(String prefix) {
    try {
      return Files.createTempDirectory(ensure(), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path newFile(String prefix) {
    try {
      return Files.createTempFile(ensure(), prefix, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes everything in scratch; only safe before any image operation runs. */
  public void clear() {
    FileTrees.deleteChildren(dir);
  }

  private Path ensure() throws IOException {
    return Files.createDirectories(dir);
  }
}
