package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;

/**
 * A file held with flock(2) for as long as this process keeps it open. The kernel drops the lock
 * when the holder dies, however it dies, so a file left by a crash never stands in the way and a
 * live holder always does; a pid alone, as dockerd's pid file checks it, may have been reused.
 * The descriptor is close-on-exec (and spawns close every descriptor past stdio), so no child,
 * conmon above all, inherits the lock and keeps it past our exit.
 */
public final class LockFile implements AutoCloseable {

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle FLOCK = LINKER.downcallHandle(
      LINKER.defaultLookup().find("flock").orElseThrow(() -> new UnsatisfiedLinkError("flock")),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
  private static final int O_RDWR = 2;
  private static final int O_CREAT = 0100;
  private static final int LOCK_EX = 2;
  private static final int LOCK_NB = 4;
  private static final int EWOULDBLOCK = 11;
  private static final int ATTEMPTS = 10;

  private final Path path;
  private int fd;

  private LockFile(Path path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  /**
   * Creates {@code path} if needed and locks it; empty if another open file holds the lock.
   *
   * @throws ErrnoException if the file cannot be opened or locked for another reason
   */
  public static Optional<LockFile> tryAcquire(Path path) {
    for (int i = 0; i < ATTEMPTS; i++) {
      int fd = Fd.open(path, O_RDWR | O_CREAT);
      boolean locked;
      try {
        locked = flock(fd, path);
      } catch (RuntimeException e) {
        Fd.close(fd);
        throw e;
      }
      if (!locked) {
        Fd.close(fd);
        return Optional.empty();
      }
      // A holder that removes the file on its way out may have done so between our open and our
      // lock: what we hold is then a name no longer in the directory. Lock the file now there.
      if (isAt(fd, path)) {
        var lock = new LockFile(path, fd);
        try {
          // open(2) here creates with mode 0; others may read who holds it.
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
          lock.close();
          throw new UncheckedIOException(e);
        }
        return Optional.of(lock);
      }
      Fd.close(fd);
    }
    throw new IllegalStateException(path + " keeps being replaced while it is locked");
  }

  /**
   * Links what a lock needs (flock, open and close) now rather than at the first {@link
   * #tryAcquire}: the FFM linker's first use costs ~40 ms of a cold JVM, which a start can spend
   * on another thread while it reads its configuration.
   */
  public static void link() {
    // Initialising this class links flock; LibC's group, open and close.
    LibC.Files.link();
  }

  public Path path() {
    return path;
  }

  /** Releases the lock; removing the file first, if asked, so no one locks a name on its way out. */
  public synchronized void release(boolean remove) {
    if (fd < 0) {
      return;
    }
    if (remove) {
      try {
        if (isAt(fd, path)) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        // the lock goes with the descriptor anyway
      }
    }
    Fd.close(fd);
    fd = -1;
  }

  @Override
  public void close() {
    release(false);
  }

  private static boolean flock(int fd, Path path) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      while (true) {
        int rc = (int) FLOCK.invokeExact(state, fd, LOCK_EX | LOCK_NB);
        if (rc == 0) {
          return true;
        }
        int errno = LibC.errno(state);
        if (errno == EWOULDBLOCK) {
          return false;
        }
        if (errno != ErrnoException.EINTR) {
          throw new ErrnoException("flock " + path, errno);
        }
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** True if {@code fd} is the file now at {@code path}: /proc/self/fd/N stats the open file itself. */
  private static boolean isAt(int fd, Path path) {
    try {
      Object open = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class).fileKey();
      Object named = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return Objects.equals(open, named);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
