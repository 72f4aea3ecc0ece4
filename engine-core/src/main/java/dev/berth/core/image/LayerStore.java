package dev.berth.core.image;

import dev.berth.core.fs.FileTrees;
import dev.berth.core.config.EnginePaths;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Extracted layers at {@code <data-root>/layers/<chain-id hex>/diff}, one per chain ID, shared by
 * every image whose chain contains it. A layer is extracted into scratch space and renamed into
 * place only when complete; the repository row is written after the rename, so a directory without
 * a row is a crash leftover ({@link #removeLeftovers}) and a row always has a complete directory.
 */
public final class LayerStore {

  private record Extracted(Path dir, Digest diffId, long size) {}

  private final Path dir;
  private final Scratch scratch;
  private final ImageRepository repo;
  private final BlobStore blobs;
  // One lock per chain ID, so concurrent loads sharing a layer extract it once. Entries are tiny and
  // bounded by the layers seen, so they are never removed.
  private final ConcurrentHashMap<ChainId, Object> locks = new ConcurrentHashMap<>();
  // Adding content (register layers, then insert the image using them) is shared; removing unused
  // layers is exclusive, so it never takes a layer registered for an image not inserted yet.
  private final ReentrantReadWriteLock gc = new ReentrantReadWriteLock();

  /** A held lock; closing releases it. */
  public interface Guard extends AutoCloseable {
    @Override
    void close();
  }

  public LayerStore(EnginePaths paths, Scratch scratch, ImageRepository repo, BlobStore blobs) {
    this.dir = paths.layers();
    this.scratch = scratch;
    this.repo = repo;
    this.blobs = blobs;
  }

  /**
   * Hold this from the first {@link #register} until the image using the layers is inserted (and
   * while reading layers that must not vanish, as save does). Any number may hold it at once.
   */
  public Guard adding() {
    Lock l = gc.readLock();
    l.lock();
    return l::unlock;
  }

  /** Hold this while finding and deleting unused layers; it waits for every {@link #adding} holder. */
  public Guard removing() {
    Lock l = gc.writeLock();
    l.lock();
    return l::unlock;
  }

  /** The directory holding the layer's own files, for an overlay lowerdir. */
  public Path diffDir(ChainId chainId) {
    return dir.resolve(chainId.digest().hex()).resolve("diff");
  }

  public Optional<Layer> find(ChainId chainId) {
    return repo.findLayer(chainId);
  }

  /**
   * Makes the layer whose archive is {@code blob} (plain or compressed) available on top of
   * {@code parent}; a no-op returning the existing layer if its chain ID is already stored.
   *
   * @param parent chain ID of the layer beneath, null for a base layer
   * @param expectedDiffId the uncompressed digest the image config promises; null to take whatever the blob holds
   * @throws InvalidArgumentException if the content does not match {@code expectedDiffId} or a tar entry escapes
   */
  public Layer register(ChainId parent, Digest expectedDiffId, Digest blob, String mediaType) {
    return register(parent, expectedDiffId, blob, mediaType, null);
  }

  /**
   * As {@link #register(ChainId, Digest, Digest, String)}, telling {@code progress} how many bytes
   * of the blob extraction has read so far (for a pull's "Extracting" lines); null for no reports.
   */
  public Layer register(ChainId parent, Digest expectedDiffId, Digest blob, String mediaType, LongConsumer progress) {
    if (expectedDiffId != null) {
      ChainId chain = ChainId.of(parent, expectedDiffId);
      synchronized (lock(chain)) {
        Optional<Layer> existing = repo.findLayer(chain);
        if (existing.isPresent()) {
          return existing.get();
        }
        Extracted x = extract(blob, progress);
        try {
          if (!x.diffId().equals(expectedDiffId)) {
            throw new InvalidArgumentException(
                "invalid diffID for layer: expected \"" + expectedDiffId + "\", got \"" + x.diffId() + "\"");
          }
          return install(x, chain, parent, blob, mediaType);
        } finally {
          FileTrees.delete(x.dir());
        }
      }
    }
    Extracted x = extract(blob, progress);
    try {
      ChainId chain = ChainId.of(parent, x.diffId());
      synchronized (lock(chain)) {
        Optional<Layer> existing = repo.findLayer(chain);
        return existing.isPresent() ? existing.get() : install(x, chain, parent, blob, mediaType);
      }
    } finally {
      FileTrees.delete(x.dir());
    }
  }

  /** Removes the layer's row, then its directory. Callers hold {@link #removing} and make sure no image uses it. */
  public void delete(Layer layer) {
    synchronized (lock(layer.chainId())) {
      repo.deleteLayer(layer.chainId());
      discard(dir.resolve(layer.chainId().digest().hex()));
    }
  }

  /** Removes layer directories that have no repository row: extractions a crash interrupted. Call at startup. */
  public void removeLeftovers() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (Digest.isHex64(name) && repo.findLayer(new ChainId(new Digest(name))).isEmpty()) {
          discard(child);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Streams the uncompressed tar of a layer blob. */
  public InputStream openUncompressed(Digest blob) throws IOException {
    return Compression.decompress(blobs.open(blob));
  }

  private Extracted extract(Digest blob, LongConsumer progress) {
    Path tmp = scratch.newDir("layer-");
    try {
      Path diff = tmp.resolve("diff");
      // The tar's "./" entry, if any, sets the final mode; without one the root must still be traversable.
      Files.createDirectory(diff);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(diff, PosixFilePermissions.fromString("rwxr-xr-x"));
      MessageDigest md = Digest.sha256();
      long size;
      try (var in = new DigestInputStream(uncompressedForExtraction(blob, progress), md)) {
        size = LayerExtractor.extract(in, diff);
        // The diffID covers the whole stream, including the padding after the end-of-archive blocks.
        drain(in, blob);
      }
      return new Extracted(tmp, Digest.of(md), size);
    } catch (IOException e) {
      FileTrees.delete(tmp);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      FileTrees.delete(tmp);
      throw e;
    }
  }

  private InputStream uncompressedForExtraction(Digest blob, LongConsumer progress) {
    try {
      InputStream raw = blobs.open(blob);
      return Compression.decompress(progress == null ? raw : new CountingInputStream(raw, progress));
    } catch (IOException e) {
      throw new InvalidArgumentException("invalid layer " + blob + ": " + e.getMessage(), e);
    }
  }

  private static void drain(InputStream in, Digest blob) {
    try {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // Reading the blob is all this does: a failure is corrupt compressed data, the sender's fault.
      throw new InvalidArgumentException("invalid layer " + blob + ": " + e.getMessage(), e);
    }
  }

  private Layer install(Extracted x, ChainId chain, ChainId parent, Digest blob, String mediaType) {
    Path target = dir.resolve(chain.digest().hex());
    try {
      Files.createDirectories(dir);
      if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        discard(target);
      }
      Files.move(x.dir(), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var layer = new Layer(chain, x.diffId(), parent, x.size(), blob, mediaType);
    repo.insertLayer(layer);
    return layer;
  }

  /** Renames a directory out of sight first, so a crash mid-delete never leaves a half layer under its name. */
  private void discard(Path layerDir) {
    if (!Files.exists(layerDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path away = scratch.newDir("deleting-");
    Path moved = away.resolve("layer");
    try {
      Files.move(layerDir, moved, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FileTrees.delete(away);
  }

  private Object lock(ChainId chain) {
    return locks.computeIfAbsent(chain, k -> new Object());
  }
}
