package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Raw file descriptors: the pipes handed to conmon, which Java streams cannot wrap. */
public final class Fd {

  public static final int O_WRONLY = 1;
  public static final int O_NONBLOCK = 04000;
  public static final int O_CLOEXEC = 0x80000;
  private static final short POLLIN = 1;
  private static final int F_DUPFD_CLOEXEC = 1030;

  private Fd() {}

  /** A pipe whose ends are close-on-exec; spawn dup2s the end a child needs, clearing that flag. */
  public record Pipe(int readFd, int writeFd) {

    public static Pipe open() {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        MemorySegment state = LibC.captureState(arena);
        int rc = (int) LibC.Pipes.PIPE2.invokeExact(state, fds, O_CLOEXEC);
        if (rc != 0) {
          throw new ErrnoException("pipe2", LibC.errno(state));
        }
        return new Pipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
      } catch (Throwable t) {
        throw LibC.propagate(t);
      }
    }

    public void close() {
      Fd.close(readFd);
      Fd.close(writeFd);
    }
  }

  /**
   * open(2) with raw flags. Java cannot open a FIFO without blocking until a reader appears;
   * {@code O_WRONLY | O_NONBLOCK} fails at once with ENXIO instead.
   */
  public static int open(java.nio.file.Path path, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int fd = (int) LibC.Files.OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags | O_CLOEXEC, 0);
      if (fd < 0) {
        throw new ErrnoException("open " + path, LibC.errno(state));
      }
      return fd;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** A close-on-exec duplicate of {@code fd}, to be closed by its own owner. */
  public static int dup(int fd) {
    return fcntl(fd, F_DUPFD_CLOEXEC, 0, "fcntl(F_DUPFD_CLOEXEC)");
  }

  /** fcntl(2) with an int argument; its non-negative result. */
  private static final int F_GETFL = 3;
  private static final int F_SETFL = 4;

  /**
   * Makes {@code target} refer to what {@code source} refers to (dup3, close-on-exec), closing
   * what {@code target} was, in one step: a thread blocked on {@code target} or about to use it
   * meets the new file. {@code source} takes {@code target}'s blocking mode first, so its user
   * keeps the mode it set. {@code source} stays open.
   */
  public static void replace(int source, int target) {
    int nonBlocking = fcntl(target, F_GETFL, 0, "fcntl F_GETFL") & O_NONBLOCK;
    int flags = fcntl(source, F_GETFL, 0, "fcntl F_GETFL");
    fcntl(source, F_SETFL, (flags & ~O_NONBLOCK) | nonBlocking, "fcntl F_SETFL");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) LibC.Pipes.DUP3.invokeExact(state, source, target, O_CLOEXEC);
      if (rc < 0) {
        throw new ErrnoException("dup3", LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  static int fcntl(int fd, int command, int arg, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) LibC.Fcntl.FCNTL.invokeExact(state, fd, command, arg);
      if (rc < 0) {
        throw new ErrnoException(what, LibC.errno(state));
      }
      return rc;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** shutdown(fd, SHUT_WR): the peer reads end of file while this side can still read. */
  public static void shutdownWrite(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) LibC.Pipes.SHUTDOWN.invokeExact(state, fd, 1);
      if (rc != 0 && LibC.errno(state) != ErrnoException.ENOTCONN) {
        throw new ErrnoException("shutdown", LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  public static void close(int fd) {
    if (fd < 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      int ignored = (int) LibC.Files.CLOSE.invokeExact(LibC.captureState(arena), fd);
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** Reads up to {@code max} bytes; null at end of file. Retries on EINTR. */
  public static byte[] read(int fd, int max) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(max);
      MemorySegment state = LibC.captureState(arena);
      while (true) {
        long n = (long) LibC.Io.READ.invokeExact(state, fd, buf, (long) max);
        if (n < 0) {
          int errno = LibC.errno(state);
          if (errno == ErrnoException.EINTR) {
            continue;
          }
          throw new ErrnoException("read", errno);
        }
        return n == 0 ? null : buf.asSlice(0, n).toArray(JAVA_BYTE);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** Reads until end of file or a newline; null if nothing came before end of file. */
  public static String readLine(int fd) {
    var out = new ByteArrayOutputStream();
    while (true) {
      byte[] b = read(fd, 1);
      if (b == null) {
        return out.size() == 0 ? null : out.toString(java.nio.charset.StandardCharsets.UTF_8);
      }
      if (b[0] == '\n') {
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
      }
      out.write(b[0]);
    }
  }

  public static void write(int fd, byte[] data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocateFrom(JAVA_BYTE, data);
      MemorySegment state = LibC.captureState(arena);
      long off = 0;
      while (off < data.length) {
        long n = (long) LibC.Io.WRITE.invokeExact(state, fd, buf.asSlice(off), (long) data.length - off);
        if (n < 0) {
          int errno = LibC.errno(state);
          if (errno == ErrnoException.EINTR) {
            continue;
          }
          throw new ErrnoException("write", errno);
        }
        off += n;
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** True if {@code fd} becomes readable (or hits end of file) within {@code timeoutMillis}. */
  public static boolean pollIn(int fd, int timeoutMillis) {
    return pollIn(new int[] {fd}, timeoutMillis)[0];
  }

  /**
   * Waits at most {@code timeoutMillis} (-1: for ever) until one of {@code fds} is readable, at end
   * of file or in error; which of them are. Negative fds are left out, as poll(2) does.
   */
  public static boolean[] pollIn(int[] fds, int timeoutMillis) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment pfds = arena.allocate(8L * fds.length, 4);
      for (int i = 0; i < fds.length; i++) {
        pfds.set(JAVA_INT, 8L * i, fds[i]);
        pfds.set(JAVA_SHORT, 8L * i + 4, POLLIN);
      }
      MemorySegment state = LibC.captureState(arena);
      while (true) {
        int rc = (int) LibC.Pipes.POLL.invokeExact(state, pfds, (long) fds.length, timeoutMillis);
        if (rc < 0) {
          int errno = LibC.errno(state);
          if (errno == ErrnoException.EINTR) {
            continue;
          }
          throw new ErrnoException("poll", errno);
        }
        boolean[] ready = new boolean[fds.length];
        for (int i = 0; i < fds.length; i++) {
          ready[i] = pfds.get(JAVA_SHORT, 8L * i + 6) != 0;
        }
        return ready;
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }
}
