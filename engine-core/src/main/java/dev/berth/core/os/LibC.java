package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles for the few libc functions the JDK lacks. Every call that sets errno is bound
 * with errno capture, because the JVM may clobber errno between the call and our read of it.
 *
 * <p>The handles are grouped in holder classes, so a group's handles are made when one of them is
 * first used: linking a handle costs ~5 ms of a cold JVM, and start-up needs only a few of them
 * (the lock file's open and close, and what the runtime probe's sealed copy of crun needs:
 * memfd_create, write and fcntl; nothing else before the first request).
 */
final class LibC {

  private static final Linker LINKER = Linker.nativeLinker();
  static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option WITH_ERRNO = Linker.Option.captureCallState("errno");

  /** open and close: what the engine's lock file needs as it starts. */
  static final class Files {
    static final MethodHandle OPEN = variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle CLOSE = errno("close", JAVA_INT, JAVA_INT);

    private Files() {}

    /** Makes this group's handles now (initialising the class does). */
    static void link() {
      // nothing more
    }
  }

  /** read and write. */
  static final class Io {
    static final MethodHandle READ = errno("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    static final MethodHandle WRITE = errno("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);

    private Io() {}
  }

  /** fcntl: descriptor flags and a sealed copy's seals, which the runtime probe needs as berthd starts. */
  static final class Fcntl {
    static final MethodHandle FCNTL = variadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);

    private Fcntl() {}
  }

  /** Pipes and the descriptors of processes the engine talks to: pipe2, dup3, poll, shutdown. */
  static final class Pipes {
    static final MethodHandle PIPE2 = errno("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle DUP3 = errno("dup3", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle POLL = errno("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    static final MethodHandle SHUTDOWN = errno("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);

    private Pipes() {}
  }

  /** memfd_create, for sealed copies of programs and seccomp filters. */
  static final class Memfd {
    static final MethodHandle MEMFD_CREATE = errno("memfd_create", JAVA_INT, ADDRESS, JAVA_INT);

    private Memfd() {}
  }

  /** fallocate, for sparse files. */
  static final class Sparse {
    static final MethodHandle FALLOCATE = errno("fallocate", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);

    private Sparse() {}
  }

  /** Mounts and namespaces. */
  static final class Mount {
    static final MethodHandle MOUNT = errno("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    static final MethodHandle UMOUNT2 = errno("umount2", JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle UNSHARE = errno("unshare", JAVA_INT, JAVA_INT);
    static final MethodHandle SETNS = errno("setns", JAVA_INT, JAVA_INT, JAVA_INT);

    private Mount() {}
  }

  /** Sockets and interface ioctls. */
  static final class Net {
    static final MethodHandle SOCKET = errno("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle SOCKETPAIR = errno("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    static final MethodHandle RECVMSG = errno("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle IOCTL = variadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);

    private Net() {}
  }

  /** Process ids, signals and pidfds. */
  static final class Proc {
    static final MethodHandle KILL = errno("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle WAITPID = errno("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    // pidfd_open and pidfd_send_signal have no glibc 2.36 wrappers on every distribution; syscall(2) is variadic.
    static final MethodHandle SYSCALL_PIDFD_OPEN = variadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
    static final MethodHandle SYSCALL_PIDFD_SEND_SIGNAL =
        variadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);

    private Proc() {}
  }

  /** posix_spawn and its attributes; these return the error number instead of setting errno. */
  static final class Spawn {
    static final MethodHandle SPAWN =
        plain("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle FA_INIT = plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    static final MethodHandle FA_DESTROY = plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    static final MethodHandle FA_DUP2 =
        plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle FA_OPEN =
        plain("posix_spawn_file_actions_addopen", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle FA_CLOSEFROM =
        plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle FA_CHDIR = plain("posix_spawn_file_actions_addchdir_np", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
    static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SIGEMPTYSET = plain("sigemptyset", JAVA_INT, ADDRESS);
    static final MethodHandle SIGFILLSET = plain("sigfillset", JAVA_INT, ADDRESS);

    private Spawn() {}
  }

  private static final class Strerror {
    static final MethodHandle STRERROR = plain("strerror", ADDRESS, JAVA_INT);

    private Strerror() {}
  }

  private LibC() {}

  private static MethodHandle errno(String name, MemoryLayout ret, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(ret, args), WITH_ERRNO);
  }

  private static MethodHandle variadic(String name, int firstVariadic, MemoryLayout ret, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(ret, args), WITH_ERRNO,
        Linker.Option.firstVariadicArg(firstVariadic));
  }

  private static MethodHandle plain(String name, MemoryLayout ret, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(ret, args));
  }

  private static MemorySegment find(String name) {
    return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
  }

  static MemorySegment captureState(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  static String strerror(int errno) {
    try {
      MemorySegment p = (MemorySegment) Strerror.STRERROR.invokeExact(errno);
      return p.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  static MemorySegment cString(Arena arena, String s) {
    return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
  }

  /** Rethrows what a downcall threw: nothing checked can come out of invokeExact on these handles. */
  static RuntimeException propagate(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
