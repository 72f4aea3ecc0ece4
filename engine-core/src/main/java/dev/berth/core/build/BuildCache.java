package dev.berth.core.build;

import dev.berth.core.fs.FileTrees;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The classic builder's cache: which image a step made on top of which parent. dockerd finds it
 * by comparing the candidate children's container configs; berth keeps an index from the parent
 * and the step's key (its history command and the config it commits, which for COPY and ADD
 * carries the sources' content checksums) to the image made. An entry whose image is gone is no
 * hit. Entries are written by rename, so a crash never leaves half of one.
 */
final class BuildCache {

  private final Path dir;

  BuildCache(Path dir) {
    this.dir = dir;
  }

  /** The key's file name: sha256 of the parent ID (empty for scratch) and the step's key. */
  static String entry(ImageId parent, String key) {
    String p = parent == null ? "" : parent.toString();
    return Digest.of((p + "\n" + key).getBytes(StandardCharsets.UTF_8)).hex();
  }

  Optional<ImageId> probe(ImageId parent, String key, Predicate<ImageId> exists) {
    Path f = dir.resolve(entry(parent, key));
    try {
      if (!Files.isRegularFile(f)) {
        return Optional.empty();
      }
      ImageId id = ImageId.parse(Files.readString(f).strip());
      return exists.test(id) ? Optional.of(id) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  void store(ImageId parent, String key, ImageId child) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".new-", "");
      Files.writeString(tmp, child.toString());
      Files.move(tmp, dir.resolve(entry(parent, key)), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many entries and their bytes on disk, for {@code system df}. */
  long count() {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets every entry; returns how many there were. */
  long clear() {
    long n = count();
    FileTrees.delete(dir);
    return n;
  }
}
