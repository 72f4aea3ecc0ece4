package dev.berth.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The two interface operations berth does itself, each one or two ioctls where spawning a tool
 * would cost milliseconds: bringing an interface up, and deleting a bridge. They act in the
 * calling thread's network namespace.
 */
public final class Interfaces {

  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM_CLOEXEC = 2 | 0x80000;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  private static final long SIOCBRDELBR = 0x89a1;
  private static final short IFF_UP = 1;
  private static final int IFREQ_SIZE = 40;
  private static final int IFNAMSIZ = 16;
  private static final int ENODEV = 19;

  private Interfaces() {}

  public static void up(String name) {
    setUp(name, true);
  }

  /** Takes a bridge down and deletes it; a bridge that is not there is fine. */
  public static void deleteBridge(String name) {
    if (!exists(name)) {
      return;
    }
    setUp(name, false);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int sock = socket(state);
      try {
        int rc = (int) LibC.Net.IOCTL.invokeExact(state, sock, SIOCBRDELBR, arena.allocateFrom(name));
        int errno = LibC.errno(state);
        if (rc != 0 && errno != ENODEV && errno != ErrnoException.ENXIO) {
          throw new ErrnoException("delete bridge " + name, errno);
        }
      } finally {
        Fd.close(sock);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** Whether an interface of that name is in this (the host's) namespace. */
  public static boolean exists(String name) {
    return java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", name));
  }

  private static void setUp(String name, boolean up) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int sock = socket(state);
      try {
        MemorySegment ifr = arena.allocate(IFREQ_SIZE);
        ifr.setString(0, name);
        if ((int) LibC.Net.IOCTL.invokeExact(state, sock, SIOCGIFFLAGS, ifr) != 0) {
          throw new ErrnoException("SIOCGIFFLAGS " + name, LibC.errno(state));
        }
        short flags = ifr.get(ValueLayout.JAVA_SHORT, IFNAMSIZ);
        ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (up ? flags | IFF_UP : flags & ~IFF_UP));
        if ((int) LibC.Net.IOCTL.invokeExact(state, sock, SIOCSIFFLAGS, ifr) != 0) {
          throw new ErrnoException("SIOCSIFFLAGS " + name, LibC.errno(state));
        }
      } finally {
        Fd.close(sock);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  private static int socket(MemorySegment state) throws Throwable {
    int sock = (int) LibC.Net.SOCKET.invokeExact(state, AF_INET, SOCK_DGRAM_CLOEXEC, 0);
    if (sock < 0) {
      throw new ErrnoException("socket", LibC.errno(state));
    }
    return sock;
  }
}
