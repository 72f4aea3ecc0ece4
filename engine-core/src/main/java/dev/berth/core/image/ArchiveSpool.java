package dev.berth.core.image;

import dev.berth.core.archive.TarInput;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image archive read to the end and kept in scratch space, because {@code manifest.json} may
 * come after the blobs it names. Regular files are stored under generated names and found through
 * a map, and links are resolved in that map, never on disk, so no entry name, however hostile,
 * decides where anything is written.
 */
final class ArchiveSpool implements AutoCloseable {

  private static final int MAX_LINK_HOPS = 40;
  private static final long MAX_IN_MEMORY = 64L << 20;

  private final Path dir;
  private final Map<String, Path> files = new HashMap<>();
  private final Map<String, String> symlinks = new HashMap<>();
  private int count;

  private ArchiveSpool(Path dir) {
    this.dir = dir;
  }

  /**
   * Reads a tar stream, plain or compressed.
   *
   * @throws InvalidArgumentException for a malformed tar or an entry name that leaves the archive
   */
  static ArchiveSpool read(InputStream archive, Scratch scratch) {
    var spool = new ArchiveSpool(scratch.newDir("load-"));
    try {
      var tar = TarInput.open(Compression.decompress(archive));
      TarArchiveEntry e;
      while ((e = nextEntry(tar)) != null) {
        spool.add(e, tar);
      }
      return spool;
    } catch (IOException e) {
      spool.close();
      throw new InvalidArgumentException("invalid archive: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      spool.close();
      throw e;
    }
  }

  /** The file at {@code name}, following the archive's own links; empty if there is none. */
  Optional<Path> file(String name) {
    String resolved = resolve(name, 0);
    return Optional.ofNullable(resolved == null ? null : files.get(resolved));
  }

  boolean has(String name) {
    return file(name).isPresent();
  }

  /** A small file (JSON) in memory; a huge one is refused rather than exhausting the heap. */
  byte[] read(String name) {
    Path p = file(name).orElseThrow(() -> new InvalidArgumentException("invalid archive: missing " + name));
    try {
      if (Files.size(p) > MAX_IN_MEMORY) {
        throw new InvalidArgumentException("invalid archive: " + name + " is too large");
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    FileTrees.delete(dir);
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw new InvalidArgumentException("invalid archive: " + e.getMessage(), e);
    }
  }

  private void add(TarArchiveEntry e, InputStream data) throws IOException {
    if (e.isGlobalPaxHeader() || e.isDirectory()) {
      return;
    }
    String name = normalize(e.getName());
    if (e.isSymbolicLink()) {
      symlinks.put(name, e.getLinkName());
    } else if (e.isLink()) {
      String target = resolve(e.getLinkName(), 0);
      if (target != null && files.containsKey(target)) {
        files.put(name, files.get(target));
      }
    } else if (e.isFile() && !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) {
      Path p = dir.resolve("f" + count++);
      try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW)) {
        data.transferTo(out);
      }
      files.put(name, p);
    }
  }

  /** A clean relative name: no leading slash or "./", no empty or "." parts; ".." is refused. */
  static String normalize(String name) {
    String trimmed = name;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    var parts = new ArrayDeque<String>();
    for (String c : trimmed.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new InvalidArgumentException("invalid archive entry " + LayerExtractor.quote(name) + ": path escapes the archive");
      }
      parts.add(c);
    }
    return String.join("/", parts);
  }

  /**
   * Resolves symlinks component by component inside the archive's namespace, like a chroot at the
   * archive root: ".." never goes above it. Null if the links loop.
   */
  private String resolve(String name, int hops) {
    if (hops > MAX_LINK_HOPS) {
      return null;
    }
    List<String> parts = List.of(name.split("/"));
    var done = new ArrayDeque<String>();
    for (int i = 0; i < parts.size(); i++) {
      String c = parts.get(i);
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        done.pollLast();
        continue;
      }
      done.addLast(c);
      String sofar = String.join("/", done);
      String link = symlinks.get(sofar);
      if (link != null) {
        done.pollLast();
        String base = link.startsWith("/") ? "" : String.join("/", done);
        String rest = String.join("/", parts.subList(i + 1, parts.size()));
        return resolve(base + "/" + link + "/" + rest, hops + 1);
      }
    }
    return String.join("/", done);
  }
}
