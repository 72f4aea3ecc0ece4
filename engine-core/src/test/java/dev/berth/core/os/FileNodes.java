package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Device nodes, FIFOs, overlay whiteouts and extended attributes by host path, which java.nio
 * cannot make: for tests that build fixtures. The engine itself works on descriptors
 * ({@link RootedFiles}).
 */
public final class FileNodes {

  public static final int S_IFIFO = 0010000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;
  private static final int ENODATA = 61;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle MKNOD = errno("mknod", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
  private static final MethodHandle LSETXATTR =
      errno("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
  private static final MethodHandle LGETXATTR =
      errno("lgetxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
  private static final MethodHandle LLISTXATTR = errno("llistxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
  private static final MethodHandle UTIMENSAT =
      errno("utimensat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);

  private FileNodes() {}

  private static MethodHandle errno(String name, MemoryLayout ret,
      MemoryLayout... args) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
        FunctionDescriptor.of(ret, args), Linker.Option.captureCallState("errno"));
  }

  /** mknod(2); {@code type} is one of the S_IF* constants, {@code mode} the permission bits. */
  public static void mknod(Path path, int type, int mode, int major, int minor) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), type | (mode & 07777),
          RootedFiles.makedev(major, minor));
      if (rc != 0) {
        throw new ErrnoException("mknod " + path, LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** An overlayfs whiteout: a character device 0/0 hides the same name in lower layers. */
  public static void whiteout(Path path) {
    mknod(path, S_IFCHR, 0, 0, 0);
  }

  /** lsetxattr(2): never follows a symlink, so a link's own attributes are set. */
  public static void setXattr(Path path, String name, byte[] value) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      MemorySegment v = value.length == 0 ? arena.allocate(1) : arena.allocateFrom(JAVA_BYTE, value);
      int rc = (int) LSETXATTR.invokeExact(state, arena.allocateFrom(path.toString()), arena.allocateFrom(name),
          v, (long) value.length, 0);
      if (rc != 0) {
        throw new ErrnoException("setxattr " + name + " " + path, LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  public static Optional<byte[]> getXattr(Path path, String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      MemorySegment buf = arena.allocate(65536);
      long n = (long) LGETXATTR.invokeExact(state, arena.allocateFrom(path.toString()), arena.allocateFrom(name),
          buf, 65536L);
      if (n < 0) {
        int errno = LibC.errno(state);
        if (errno == ENODATA) {
          return Optional.empty();
        }
        throw new ErrnoException("getxattr " + name + " " + path, errno);
      }
      return Optional.of(buf.asSlice(0, n).toArray(JAVA_BYTE));
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  public static List<String> listXattrs(Path path) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      MemorySegment buf = arena.allocate(65536);
      long n = (long) LLISTXATTR.invokeExact(state, arena.allocateFrom(path.toString()), buf, 65536L);
      if (n < 0) {
        throw new ErrnoException("listxattr " + path, LibC.errno(state));
      }
      var names = new ArrayList<String>();
      byte[] all = buf.asSlice(0, n).toArray(JAVA_BYTE);
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == 0) {
          names.add(new String(all, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return names;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * utimensat(2) with AT_SYMLINK_NOFOLLOW: sets a symlink's own times, and never opens the file,
   * which for a FIFO would block and for a device could have side effects (the JDK's setTimes opens).
   */
  public static void setTimes(Path path, Instant mtime, Instant atime) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment times = arena.allocate(JAVA_LONG, 4);
      times.setAtIndex(JAVA_LONG, 0, atime.getEpochSecond());
      times.setAtIndex(JAVA_LONG, 1, atime.getNano());
      times.setAtIndex(JAVA_LONG, 2, mtime.getEpochSecond());
      times.setAtIndex(JAVA_LONG, 3, mtime.getNano());
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) UTIMENSAT.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), times,
          AT_SYMLINK_NOFOLLOW);
      if (rc != 0) {
        throw new ErrnoException("utimensat " + path, LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }
}
