package dev.berth.core.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Network namespaces kept alive by a bind mount of their nsfs file, as {@code ip netns} and Podman
 * keep them, so a container's network outlives its processes and berthd can enter it again after
 * a restart.
 *
 * <p>Namespace membership belongs to a thread, not the process. Every operation therefore runs on
 * a platform thread of its own that ends with the operation: no JVM thread is ever left in a
 * container's namespace, and a virtual thread never carries one from carrier to carrier.
 */
public final class NetNamespaces {

  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;

  private NetNamespaces() {}

  /**
   * Creates a network namespace pinned at {@code file} (made if missing), with its loopback
   * interface up as Docker's {@code none} network has it.
   */
  public static void create(Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    onOwnThread(() -> {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment state = LibC.captureState(arena);
        if ((int) LibC.Mount.UNSHARE.invokeExact(state, CLONE_NEWNET) != 0) {
          throw new ErrnoException("unshare(CLONE_NEWNET)", LibC.errno(state));
        }
      } catch (Throwable t) {
        throw LibC.propagate(t);
      }
      Mounts.mount("/proc/thread-self/ns/net", file, "none", Mounts.MS_BIND, null);
      Interfaces.up("lo");
      return null;
    });
  }

  /** Unpins and deletes a namespace file; it is fine if it is already gone. */
  public static void remove(Path file) {
    Mounts.unmount(file, true);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code file} pins a namespace (it is a mount point, not the empty file under it). */
  public static boolean exists(Path file) {
    return Files.exists(file) && Mounts.isMountPoint(file);
  }

  /**
   * Runs {@code action} inside the namespace at {@code file}. Sockets it opens stay in that
   * namespace after it returns, which is how berthd listens inside a container's network.
   */
  public static <T> T call(Path file, Callable<T> action) {
    return onOwnThread(() -> {
      int fd = Fd.open(file, O_RDONLY_CLOEXEC);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment state = LibC.captureState(arena);
        if ((int) LibC.Mount.SETNS.invokeExact(state, fd, CLONE_NEWNET) != 0) {
          throw new ErrnoException("setns " + file, LibC.errno(state));
        }
      } catch (Throwable t) {
        throw LibC.propagate(t);
      } finally {
        Fd.close(fd);
      }
      return action.call();
    });
  }

  private static <T> T onOwnThread(Callable<T> action) {
    var result = new AtomicReference<T>();
    var failure = new AtomicReference<Throwable>();
    Thread t = Thread.ofPlatform().name("berth-netns").unstarted(() -> {
      try {
        result.set(action.call());
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in a network namespace operation", e);
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
    if (f != null) {
      throw new UncheckedIOException(f instanceof IOException io ? io : new IOException(f));
    }
    return result.get();
  }
}
