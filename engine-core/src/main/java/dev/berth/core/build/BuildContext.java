package dev.berth.core.build;

import dev.berth.core.archive.TarUnpacker;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.image.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The build context: the client's tar (plain, gzip, bzip2, xz or zstd) extracted into a directory
 * of the build's own, with the layer extraction's rules, so an entry that climbs out ({@code ..},
 * an absolute name), a hard link to outside or a write through a symlink is refused and nothing
 * lands outside. Paths named by the Dockerfile are resolved inside it, symlinks followed against the
 * context's root (moby's FollowSymlinkInScope): a COPY can never read outside. Only berthd writes
 * the directory, so the resolution cannot race.
 */
final class BuildContext implements AutoCloseable {

  private static final int MAX_LINKS = 255;

  private final Path root;

  private BuildContext(Path root) {
    this.root = root;
  }

  /** Extracts {@code tar} into {@code dir}, a fresh directory that the context owns from now on. */
  static BuildContext extract(InputStream tar, Path dir) {
    var ctx = new BuildContext(dir);
    try {
      Files.createDirectories(dir);
      InputStream plain;
      try {
        plain = Compression.decompress(tar);
      } catch (IOException e) {
        throw new InvalidArgumentException("failed to read the build context: " + e.getMessage());
      }
      try (RootedPath tree = RootedPath.open(dir)) {
        TarUnpacker.unpackLayer(plain, tree, (e, components, x) -> false);
      }
      return ctx;
    } catch (IOException e) {
      ctx.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      ctx.close();
      throw e;
    }
  }

  Path root() {
    return root;
  }

  /** A file's text, if it is a regular file in the context (symlinks followed inside it). */
  Optional<String> read(String path) {
    try {
      Path p = resolve(path);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    } catch (InvalidArgumentException | IOException e) {
      return Optional.empty();
    }
  }

  void delete(String path) {
    FileTrees.delete(root.resolve(DockerIgnore.GoPathClean.clean(path)));
  }

  /**
   * {@code path} (relative to the context; a leading / is the context's root) with every symlink
   * on it followed inside the context.
   *
   * @throws InvalidArgumentException {@code forbidden path outside the build context} when the
   *     path itself climbs out, as dockerd says it
   */
  Path resolve(String path) {
    String clean = DockerIgnore.GoPathClean.clean("/" + path);
    String rel = DockerIgnore.GoPathClean.clean(path);
    if (rel.equals("..") || rel.startsWith("../")) {
      throw new InvalidArgumentException("forbidden path outside the build context: " + path + " ()");
    }
    var parts = new ArrayList<String>();
    for (String c : clean.split("/")) {
      if (!c.isEmpty()) {
        parts.add(c);
      }
    }
    return walk(parts, 0);
  }

  private Path walk(List<String> todo, int links) {
    Path cur = root;
    var pending = new java.util.ArrayDeque<>(todo);
    while (!pending.isEmpty()) {
      String c = pending.removeFirst();
      if (c.equals("..")) {
        if (!cur.equals(root)) {
          cur = cur.getParent();
        }
        continue;
      }
      Path next = cur.resolve(c);
      if (Files.isSymbolicLink(next)) {
        if (++links > MAX_LINKS) {
          throw new InvalidArgumentException("too many links");
        }
        String target;
        try {
          target = Files.readSymbolicLink(next).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (target.startsWith("/")) {
          cur = root;
        }
        var expanded = new ArrayList<String>();
        for (String t : target.split("/")) {
          if (!t.isEmpty() && !t.equals(".")) {
            expanded.add(t);
          }
        }
        for (int i = expanded.size() - 1; i >= 0; i--) {
          pending.addFirst(expanded.get(i));
        }
        continue;
      }
      cur = next;
    }
    return cur;
  }

  /** The context's files (relative, slash-separated, sorted) whose names match a COPY source glob. */
  List<String> glob(String pattern) {
    String clean = DockerIgnore.GoPathClean.clean(pattern);
    if (clean.startsWith("/")) {
      clean = clean.substring(1);
    }
    var re = java.util.regex.Pattern.compile(DockerIgnore.regex(clean.isEmpty() ? "." : clean)
        .replace("(.*/)?", "[^/]*/?").replace(".*$", "[^/]*$"));
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
          .filter(rel -> re.matcher(rel).matches()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A content checksum of a file or tree for the cache: names, types, modes, owners, link targets
   * and contents, never times (as dockerd's tarsum leaves out mtime).
   */
  static String checksum(Path p) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
      if (dir) {
        try (Stream<Path> all = Files.walk(p)) {
          for (Path f : all.sorted().toList()) {
            entry(md, p.relativize(f).toString(), f);
          }
        }
      } else {
        entry(md, "", p);
      }
      return (dir ? "dir:" : "file:") + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchFileException e) {
      throw new InvalidArgumentException("file not found in build context or excluded by .dockerignore: stat "
          + e.getFile() + ": file does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void entry(MessageDigest md, String name, Path f) throws IOException {
    PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int uid = (Integer) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int gid = (Integer) Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    md.update((name + "\0" + mode + "\0" + uid + "\0" + gid + "\0").getBytes(StandardCharsets.UTF_8));
    if (a.isSymbolicLink()) {
      md.update(Files.readSymbolicLink(f).toString().getBytes(StandardCharsets.UTF_8));
    } else if (a.isRegularFile()) {
      md.update(Long.toString(a.size()).getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
    }
    md.update((byte) '\n');
  }

  @Override
  public void close() {
    FileTrees.delete(root);
  }
}
