package dev.berth.core.image;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Content-addressed blobs at {@code <data-root>/blobs/sha256/<hex>}: image configs, layer archives
 * as received. A blob path only ever appears through an atomic rename of a file whose digest was
 * checked, so whatever is there is complete and correct.
 */
public final class BlobStore {

  private final Path dir;
  private final Scratch scratch;

  public BlobStore(EnginePaths paths, Scratch scratch) {
    this.dir = paths.blobs();
    this.scratch = scratch;
  }

  public boolean has(Digest d) {
    return Files.isRegularFile(path(d));
  }

  /** Where the blob lives; read it, never write it. */
  public Path path(Digest d) {
    return dir.resolve(d.hex());
  }

  public long size(Digest d) {
    try {
      return Files.size(path(d));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("blob " + d + " not found");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @throws NotFoundException if absent */
  public InputStream open(Digest d) {
    try {
      return Files.newInputStream(path(d));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("blob " + d + " not found");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] read(Digest d) {
    try (InputStream in = open(d)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Digest put(byte[] content) {
    Digest d = Digest.of(content);
    if (has(d)) {
      return d;
    }
    Path tmp = scratch.newFile("blob-");
    try {
      Files.write(tmp, content);
      install(tmp, d);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Stores a stream, checking it against {@code expected} if given.
   *
   * @throws InvalidArgumentException if the content does not match {@code expected}
   */
  public Digest put(InputStream in, Digest expected) {
    Path tmp = scratch.newFile("blob-");
    try {
      MessageDigest md = Digest.sha256();
      try (OutputStream out = Files.newOutputStream(tmp); var din = new DigestInputStream(in, md)) {
        din.transferTo(out);
      }
      Digest actual = Digest.of(md);
      check(expected, actual);
      if (!has(actual)) {
        install(tmp, actual);
      }
      return actual;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Takes over a file already in scratch space (moved, not copied: layers are large), checking it
   * against {@code expected} if given. The file is gone afterwards either way.
   */
  public Digest adopt(Path file, Digest expected) {
    try {
      Digest actual = digest(file);
      check(expected, actual);
      if (!has(actual)) {
        install(file, actual);
      }
      return actual;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(file);
    }
  }

  /** Removes a blob; no error if it is absent. */
  public void delete(Digest d) {
    deleteQuietly(path(d));
  }

  static Digest digest(Path file) throws IOException {
    MessageDigest md = Digest.sha256();
    try (var in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return Digest.of(md);
  }

  private static void check(Digest expected, Digest actual) {
    if (expected != null && !expected.equals(actual)) {
      throw new InvalidArgumentException("digest mismatch: expected " + expected + ", got " + actual);
    }
  }

  private void install(Path file, Digest d) throws IOException {
    Files.createDirectories(dir);
    try {
      // rename(2) replaces an existing target atomically; a racing writer stored the same bytes.
      Files.move(file, path(d), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Path tmp = scratch.newFile("blob-");
      try {
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, path(d), StandardCopyOption.ATOMIC_MOVE);
      } finally {
        deleteQuietly(tmp);
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
