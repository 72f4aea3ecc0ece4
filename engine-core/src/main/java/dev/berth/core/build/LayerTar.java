package dev.berth.core.build;

import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tars COPY and ADD write: entries named relative to the root ({@code /srv/a} is
 * {@code srv/a}), from the context, a local archive, or another image's {@code docker cp} tar.
 */
final class LayerTar {

  private LayerTar() {}

  /** What writes a layer's entries. */
  @FunctionalInterface
  interface Entries {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  static String rel(String abs) {
    String s = DockerIgnore.GoPathClean.clean(abs);
    return s.equals("/") ? "" : s.substring(1);
  }

  /** Entries for each directory on the way to {@code dir}, root-owned 0755 (a fresh layer). */
  static void dirEntries(TarArchiveOutputStream tar, String dir) throws IOException {
    String r = rel(dir);
    if (r.isEmpty()) {
      return;
    }
    var prefix = new StringBuilder();
    for (String c : r.split("/")) {
      prefix.append(c).append('/');
      var e = new TarArchiveEntry(prefix.toString());
      e.setMode(040755);
      e.setIds(0, 0);
      e.setModTime(System.currentTimeMillis());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    }
  }

  static void dirEntry(TarArchiveOutputStream tar, String dir, int mode, int[] owner) throws IOException {
    String r = rel(dir);
    if (r.isEmpty()) {
      return;
    }
    var e = new TarArchiveEntry(r + "/");
    e.setMode(040000 | mode);
    e.setIds(owner[0], owner[1]);
    e.setModTime(System.currentTimeMillis());
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  static void file(TarArchiveOutputStream tar, Path src, String target, int[] owner) throws IOException {
    String name = rel(target);
    int mode = (Integer) Files.getAttribute(src, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    var mtime = Files.getLastModifiedTime(src, LinkOption.NOFOLLOW_LINKS);
    if (Files.isSymbolicLink(src)) {
      var e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(src).toString());
      e.setIds(owner[0], owner[1]);
      e.setModTime(mtime.toMillis());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return;
    }
    if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
      var e = new TarArchiveEntry(name + "/");
      e.setMode(mode);
      e.setIds(owner[0], owner[1]);
      e.setModTime(mtime.toMillis());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return;
    }
    if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    var e = new TarArchiveEntry(name);
    e.setMode(mode);
    e.setSize(Files.size(src));
    e.setIds(owner[0], owner[1]);
    e.setModTime(mtime.toMillis());
    tar.putArchiveEntry(e);
    Files.copy(src, tar);
    tar.closeArchiveEntry();
  }

  /** A context directory's contents (not the directory itself) under {@code dest}. */
  static void tree(TarArchiveOutputStream tar, Path dir, String dest, int[] owner) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted().toList()) {
        if (p.equals(dir)) {
          continue;
        }
        file(tar, p, join(dest, dir.relativize(p).toString()), owner);
      }
    }
  }

  static boolean isArchive(Path p) {
    try (InputStream in = dev.berth.core.image.Compression.decompress(Files.newInputStream(p));
        var tin = new TarArchiveInputStream(in)) {
      return tin.getNextEntry() != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** ADD of a local archive: its entries under {@code dest}, owners as in the archive. */
  static void untarInto(TarArchiveOutputStream tar, Path archive, String dest) throws IOException {
    try (InputStream in = dev.berth.core.image.Compression.decompress(Files.newInputStream(archive));
        var tin = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tin.getNextEntry()) != null) {
        String clean = DockerIgnore.GoPathClean.clean(e.getName());
        if (clean.startsWith("/")) {
          clean = clean.substring(1);
        }
        if (clean.equals("..") || clean.startsWith("../")) {
          throw new InvalidArgumentException("ADD " + archive.getFileName() + ": entry " + GoQuote.quote(e.getName())
              + " is outside of the destination");
        }
        String name = clean.equals(".") ? rel(dest) : rel(join(dest, clean));
        if (name.isEmpty()) {
          continue;
        }
        e.setName(e.isDirectory() ? name + "/" : name);
        if (e.isLink()) {
          String target = DockerIgnore.GoPathClean.clean(e.getLinkName());
          if (target.startsWith("/") || target.equals("..") || target.startsWith("../")) {
            throw new InvalidArgumentException("ADD " + archive.getFileName() + ": hard link "
                + GoQuote.quote(e.getLinkName()) + " is outside of the archive");
          }
          e.setLinkName(rel(join(dest, target)));
        }
        tar.putArchiveEntry(e);
        if (e.isFile() && !e.isLink()) {
          tin.transferTo(tar);
        }
        tar.closeArchiveEntry();
      }
    }
  }

  /** A {@code docker cp} tar (its first component the source's name) renamed to {@code target}. */
  static void rerooted(TarArchiveOutputStream tar, Path cpTar, String target, boolean dir, int[] owner)
      throws IOException {
    try (var tin = new TarArchiveInputStream(new java.io.BufferedInputStream(Files.newInputStream(cpTar)))) {
      TarArchiveEntry e;
      while ((e = tin.getNextEntry()) != null) {
        String n = DockerIgnore.GoPathClean.clean(e.getName());
        int slash = n.indexOf('/');
        String restPath = slash < 0 ? "" : n.substring(slash + 1);
        if (dir && restPath.isEmpty()) {
          continue;
        }
        String name = rel(restPath.isEmpty() ? target : join(target, restPath));
        e.setName(e.isDirectory() ? name + "/" : name);
        if (e.isLink()) {
          String ln = DockerIgnore.GoPathClean.clean(e.getLinkName());
          int s2 = ln.indexOf('/');
          e.setLinkName(rel(s2 < 0 ? target : join(target, ln.substring(s2 + 1))));
        }
        if (owner != null) {
          e.setIds(owner[0], owner[1]);
        }
        tar.putArchiveEntry(e);
        if (e.isFile() && !e.isLink()) {
          tin.transferTo(tar);
        }
        tar.closeArchiveEntry();
      }
    }
  }

  static String join(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }
}
