package dev.berth.core.container.fs;

import dev.berth.core.fs.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * dockerd's init layer (daemon/initlayer): the mount points the runtime binds or mounts over in
 * every container (/etc/hosts, /proc, ...), made in a read-only layer beneath the container's
 * own. Without it the runtime would create them in the writable layer, and {@code docker diff},
 * {@code commit} and {@code export} would show files nobody wrote. Only what the image lacks is
 * made.
 */
final class InitLayer {

  private static final List<String> DIRS = List.of("/dev/pts", "/dev/shm", "/proc", "/sys");
  private static final List<String> FILES = List.of("/.dockerenv", "/etc/resolv.conf", "/etc/hosts", "/etc/hostname",
      "/dev/console");

  private InitLayer() {}

  /**
   * The container's init layer directory, made (complete, through a rename) if missing.
   *
   * @param layers the image's layer directories
   */
  static Path ensure(Path containerDir, List<Path> layers) throws IOException {
    Path init = new ContainerDir(containerDir).init();
    if (Files.isDirectory(init, LinkOption.NOFOLLOW_LINKS)) {
      return init;
    }
    Path tmp = containerDir.resolve("init.tmp");
    FileTrees.delete(tmp);
    Files.createDirectory(tmp);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String d : DIRS) {
      if (!inImage(layers, d)) {
        mkdirs(tmp, d);
      }
    }
    for (String f : FILES) {
      if (!inImage(layers, f)) {
        Path p = mkdirs(tmp, parent(f)).resolve(f.substring(f.lastIndexOf('/') + 1));
        Files.createFile(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    if (!inImage(layers, "/etc/mtab")) {
      Files.createSymbolicLink(mkdirs(tmp, "/etc").resolve("mtab"), Path.of("/proc/mounts"));
    }
    try {
      Files.move(tmp, init, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      FileTrees.delete(tmp);
      throw new UncheckedIOException(e);
    }
    return init;
  }

  private static boolean inImage(List<Path> layers, String path) {
    String rel = path.substring(1);
    return layers.stream().anyMatch(l -> Files.exists(l.resolve(rel), LinkOption.NOFOLLOW_LINKS));
  }

  private static Path mkdirs(Path root, String dir) throws IOException {
    Path p = root;
    for (String part : dir.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      p = p.resolve(part);
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    return p;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
