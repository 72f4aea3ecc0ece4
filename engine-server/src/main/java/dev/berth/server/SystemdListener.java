package dev.berth.server;

import dev.berth.core.os.Fd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A listening Unix socket handed to berthd by systemd's socket activation ({@code -H fd://} or
 * {@code fd://N}, as dockerd takes it): the sockets are file descriptors 3, 4, ... and the
 * environment says how many ({@code LISTEN_FDS}) and for which process ({@code LISTEN_PID}, so a
 * child that inherits the environment does not take them too). Helidon binds its own socket, so
 * {@link ApiServer} puts this one in the place of that socket's descriptor.
 *
 * @param fd the listening socket's descriptor
 * @param path where it is bound, for logs and {@code docker info}; the file is systemd's
 */
record SystemdListener(int fd, Path path) {

  /** SD_LISTEN_FDS_START: the first descriptor systemd passes. */
  static final int FIRST_FD = 3;

  /** dockerd's words when there is nothing to take (moby daemon/listeners). */
  static final String NONE = "no sockets found via socket activation: make sure the service was started by systemd";

  /**
   * The socket {@code address} (what follows {@code fd://}) names: the only one passed if empty
   * or {@code *}, else the one with that descriptor number.
   *
   * @throws DaemonConfig.UsageException as dockerd fails, if systemd passed none or not that one
   */
  static SystemdListener take(String address, Map<String, String> env, long pid, UnixSockets sockets) {
    int count = passed(env, pid);
    if (count == 0) {
      throw new DaemonConfig.UsageException(NONE);
    }
    int fd;
    if (address.isEmpty() || address.equals("*")) {
      if (count > 1) {
        throw new DaemonConfig.UsageException("berthd listens on one socket, but systemd passed " + count
            + ": name one with fd://N");
      }
      fd = FIRST_FD;
    } else {
      try {
        fd = Integer.parseInt(address);
      } catch (NumberFormatException e) {
        throw new DaemonConfig.UsageException("failed to parse systemd fd address: should be a number: " + address);
      }
      if (fd < FIRST_FD || fd - FIRST_FD + 1 > count) {
        throw new DaemonConfig.UsageException("too few socket activated files passed in by systemd");
      }
    }
    Path path = sockets.listeningPath(fd).orElseThrow(() ->
        new DaemonConfig.UsageException("failed to listen on systemd activated file: fd " + fd));
    return new SystemdListener(fd, path);
  }

  /**
   * Puts this socket in the place of this process's descriptor of the listening socket bound at
   * {@code bound} (dup3, keeping that one's blocking mode), and closes its own descriptor.
   */
  void replace(Path bound) {
    int own = UnixSockets.ofThisProcess().listeningFd(bound).orElseThrow(() ->
        new IllegalStateException("cannot find the descriptor of the socket bound at " + bound));
    Fd.replace(fd, own);
    Fd.close(fd);
  }

  /** How many sockets systemd passed to this process: none if LISTEN_PID names another. */
  static int passed(Map<String, String> env, long pid) {
    String fds = env.get("LISTEN_FDS");
    String listenPid = env.get("LISTEN_PID");
    if (fds == null || listenPid == null) {
      return 0;
    }
    try {
      if (Long.parseLong(listenPid.strip()) != pid) {
        return 0;
      }
      return Math.max(0, Integer.parseInt(fds.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * This process's Unix sockets, seen through /proc: which descriptor is which socket
   * ({@code /proc/self/fd/N} reads {@code socket:[inode]}) and where each listening one is bound
   * ({@code /proc/net/unix}).
   */
  static final class UnixSockets {

    /** __SO_ACCEPTCON in /proc/net/unix's flags: the socket listens. */
    private static final int ACCEPTING = 0x10000;

    private final Path proc;

    UnixSockets(Path proc) {
      this.proc = proc;
    }

    static UnixSockets ofThisProcess() {
      return new UnixSockets(Path.of("/proc"));
    }

    /** Where the listening Unix socket {@code fd} is bound, if it is one and has a path. */
    Optional<Path> listeningPath(int fd) {
      Optional<Long> inode = inode(fd);
      if (inode.isEmpty()) {
        return Optional.empty();
      }
      for (String[] row : table()) {
        if (Long.parseLong(row[6]) == inode.get() && (Integer.parseInt(row[3], 16) & ACCEPTING) != 0
            && row.length > 7 && row[7].startsWith("/")) {
          return Optional.of(Path.of(row[7]));
        }
      }
      return Optional.empty();
    }

    /** This process's descriptor of the listening socket bound at {@code path}. */
    Optional<Integer> listeningFd(Path path) {
      Long inode = null;
      for (String[] row : table()) {
        if (row.length > 7 && row[7].equals(path.toString()) && (Integer.parseInt(row[3], 16) & ACCEPTING) != 0) {
          inode = Long.parseLong(row[6]);
        }
      }
      if (inode == null) {
        return Optional.empty();
      }
      try (var fds = Files.list(proc.resolve("self/fd"))) {
        for (Path p : fds.toList()) {
          int fd = Integer.parseInt(p.getFileName().toString());
          if (inode(fd).filter(inode::equals).isPresent()) {
            return Optional.of(fd);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + proc.resolve("self/fd"), e);
      }
      return Optional.empty();
    }

    private Optional<Long> inode(int fd) {
      try {
        String target = Files.readSymbolicLink(proc.resolve("self/fd/" + fd)).toString();
        if (target.startsWith("socket:[") && target.endsWith("]")) {
          return Optional.of(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
        }
        return Optional.empty();
      } catch (IOException e) {
        return Optional.empty(); // not open
      }
    }

    /** /proc/net/unix's rows: Num RefCount Protocol Flags Type St Inode [Path]. */
    private List<String[]> table() {
      try {
        return Files.readAllLines(proc.resolve("net/unix")).stream().skip(1)
            .map(line -> line.strip().split("\\s+", 8)).filter(row -> row.length >= 7).toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + proc.resolve("net/unix"), e);
      }
    }
  }
}
