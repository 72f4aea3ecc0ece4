package dev.berth.core.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** mount(2) and umount2(2): ~0.3 ms each, against ~3 ms for spawning mount(8). */
public final class Mounts {

  public static final long MS_RDONLY = 1;
  public static final long MS_NOSUID = 2;
  public static final long MS_NODEV = 4;
  public static final long MS_REMOUNT = 32;
  public static final long MS_BIND = 4096;
  public static final long MS_REC = 16384;
  public static final long MS_PRIVATE = 1L << 18;
  public static final int MNT_DETACH = 2;
  private static final int EINVAL = 22;

  private Mounts() {}

  public static void mount(String source, Path target, String fsType, long flags, String data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) LibC.Mount.MOUNT.invokeExact(state, LibC.cString(arena, source),
          LibC.cString(arena, target.toString()), LibC.cString(arena, fsType), flags, LibC.cString(arena, data));
      if (rc != 0) {
        throw new ErrnoException("mount " + target, LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * Mounts an overlay of {@code lowers} (topmost first) under {@code upper} at {@code target}.
   * The option string must fit in one page; callers with very deep images pass short paths.
   */
  public static void overlay(List<Path> lowers, Path upper, Path work, Path target) {
    String lower = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
    String data = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
    mount("overlay", target, "overlay", 0, data);
  }

  /** Unmounts {@code target}; a path that is not mounted (EINVAL) or gone (ENOENT) is fine. */
  public static void unmount(Path target, boolean detach) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) LibC.Mount.UMOUNT2.invokeExact(state, arena.allocateFrom(target.toString()),
          detach ? MNT_DETACH : 0);
      if (rc != 0) {
        int errno = LibC.errno(state);
        if (errno != EINVAL && errno != ErrnoException.ENOENT) {
          throw new ErrnoException("umount " + target, errno);
        }
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** Mount points at or below {@code dir}, deepest first, read from /proc/self/mountinfo. */
  public static List<Path> under(Path dir) {
    String prefix = dir.toAbsolutePath().normalize().toString();
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> unescape(line.split(" ")[4]))
          .filter(p -> p.equals(prefix) || p.startsWith(prefix + "/"))
          .sorted((a, b) -> b.length() - a.length())
          .map(Path::of)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean isMountPoint(Path dir) {
    return under(dir).contains(dir.toAbsolutePath().normalize());
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    var out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() + 0 && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
