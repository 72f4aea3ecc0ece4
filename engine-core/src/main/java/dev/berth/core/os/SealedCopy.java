package dev.berth.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An executable copied into a sealed memfd. A process that runs it inside a container can be
 * reached from there through {@code /proc/PID/exe}; runc clones itself the same way so that such
 * a handle (CVE-2019-5736) leads to a file nobody can write, never to a binary on the host.
 *
 * @param name what the memfd is called ({@code /proc/PID/exe} shows {@code /memfd:NAME (deleted)})
 * @param fd close-on-exec, held for the engine's lifetime
 */
public record SealedCopy(String name, int fd) {

  private static final int MFD_CLOEXEC = 1;
  private static final int MFD_ALLOW_SEALING = 2;
  private static final int F_ADD_SEALS = 1033;
  private static final int F_GET_SEALS = 1034;
  // F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE: what runc checks for.
  static final int ALL_SEALS = 1 | 2 | 4 | 8;

  public static SealedCopy of(String name, byte[] content) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int fd = (int) LibC.Memfd.MEMFD_CREATE.invokeExact(state, arena.allocateFrom(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
      if (fd < 0) {
        throw new ErrnoException("memfd_create", LibC.errno(state));
      }
      try {
        Fd.write(fd, content);
        Fd.fcntl(fd, F_ADD_SEALS, ALL_SEALS, "fcntl(F_ADD_SEALS)");
      } catch (RuntimeException e) {
        Fd.close(fd);
        throw e;
      }
      return new SealedCopy(name, fd);
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** The seals on the copy (for tests: all of {@link #ALL_SEALS}). */
  public int seals() {
    return Fd.fcntl(fd, F_GET_SEALS, 0, "fcntl(F_GET_SEALS)");
  }
}
