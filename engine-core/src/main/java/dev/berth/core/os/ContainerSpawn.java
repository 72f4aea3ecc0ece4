package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a process in a running container through {@code berth-enter} (engine-core's
 * src/main/c), a small static program that does what a JVM cannot: the work between fork and
 * execve. The engine spawns a sealed copy of it in the host's namespaces, where no container can
 * see it, and hands it the container's namespaces and cgroups as fds and the rest as a config on
 * a pipe; it joins them, forks the process into the container's PID namespace (as a child of the
 * engine, already in the container's cgroups and not dumpable), drops to the process's
 * credentials, sets no_new_privs and the seccomp filter, and executes the program. The engine
 * learns the process's pid, and the pseudo-terminal's master if it asked for one, on a socket
 * that closes as the program starts, or why it could not start.
 */
public final class ContainerSpawn {

  private static final int CLONE_NEWNS = 0x20000;
  private static final int CLONE_NEWCGROUP = 0x2000000;
  private static final int CLONE_NEWUTS = 0x4000000;
  private static final int CLONE_NEWIPC = 0x8000000;
  private static final int CLONE_NEWPID = 0x20000000;
  private static final int CLONE_NEWNET = 0x40000000;
  // Joined in this order: the mount namespace last (berth-enter joins the cgroup one from the child).
  private static final List<Namespace> NAMESPACES = List.of(new Namespace("cgroup", CLONE_NEWCGROUP),
      new Namespace("ipc", CLONE_NEWIPC), new Namespace("uts", CLONE_NEWUTS), new Namespace("net", CLONE_NEWNET),
      new Namespace("pid", CLONE_NEWPID), new Namespace("mnt", CLONE_NEWNS));

  private static final int O_RDONLY = 0;
  private static final int O_RDWR = 2;
  private static final int O_DIRECTORY = 0x10000;
  private static final long TIOCSWINSZ = 0x5414;
  private static final int CONFIG_FD = 3;
  private static final int STATUS_FD = 4;
  private static final int FIRST_PASSED_FD = 5;
  private static final int AF_UNIX = 1;
  private static final int SOCK_SEQPACKET = 5;
  private static final int MSG_CMSG_CLOEXEC = 0x40000000;
  private static final int SOL_SOCKET = 1;
  private static final int SCM_RIGHTS = 1;
  private static final int MESSAGE_SIZE = 8192;

  private ContainerSpawn() {}

  private record Namespace(String name, int flag) {}

  /**
   * Who the process runs as.
   *
   * @param capabilities mask of the capabilities it keeps (bit n is capability n): its bounding set,
   *     and its permitted and effective sets when it runs as root
   */
  public record Credentials(int uid, int gid, List<Integer> groups, long capabilities) {
    public Credentials {
      groups = List.copyOf(groups);
    }
  }

  /** The child's stdio. */
  public sealed interface Stdio {}

  /** The engine's fds to become the child's 0, 1 and 2; -1 for /dev/null. */
  public record Pipes(int stdin, int stdout, int stderr) implements Stdio {}

  /** A new pseudo-terminal from the container's devpts as stdin, stdout, stderr and controlling TTY. */
  public record Terminal(int rows, int columns) implements Stdio {}

  /** A resource limit (resource numbered as in linux/resource.h; -1 is unlimited). */
  public record Limit(int resource, long soft, long hard) {}

  /** A classic BPF seccomp program ({@code struct sock_filter[]}) and the flags to load it with. */
  public record SeccompProgram(int flags, byte[] filter) {
    public SeccompProgram {
      if (filter.length == 0 || filter.length % 8 != 0) {
        throw new IllegalArgumentException("not a sock_filter array: " + filter.length + " bytes");
      }
    }
  }

  /** What confines the process besides its credentials, as the container's own processes are confined. */
  public record Confinement(boolean noNewPrivileges, Optional<SeccompProgram> seccomp, Optional<String> apparmor,
      java.util.OptionalInt oomScoreAdj) {
    public static final Confinement NONE = new Confinement(false, Optional.empty(), Optional.empty());

    /** A confinement that leaves the OOM score as the engine's. */
    public Confinement(boolean noNewPrivileges, Optional<SeccompProgram> seccomp, Optional<String> apparmor) {
      this(noNewPrivileges, seccomp, apparmor, java.util.OptionalInt.empty());
    }
  }

  /**
   * @param initPid the container's init, whose namespaces are joined
   * @param cgroupTasks the container's cgroup v1 {@code tasks} files
   * @param cgroup2 the container's directory in the cgroup2 tree, if there is one
   * @param argv the command; argv[0] is looked up on the PATH in {@code env} as runc does
   */
  public record Request(SealedCopy helper, int initPid, List<Path> cgroupTasks, Optional<Path> cgroup2,
      Credentials credentials, Confinement confinement, List<Limit> limits, String cwd, Stdio stdio,
      List<String> argv, List<String> env) {
    public Request {
      cgroupTasks = List.copyOf(cgroupTasks);
      limits = List.copyOf(limits);
      argv = List.copyOf(argv);
      env = List.copyOf(env);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("no command");
      }
    }
  }

  /** @param terminalFd the pseudo-terminal's master (close-on-exec), or -1 */
  public record Spawned(int pid, int terminalFd) {}

  /**
   * Why the process could not be started, worded by the caller: {@code step} is what berth-enter
   * was doing ("chdir", "setns", "exec", "lookpath not found" ...), {@code detail} the path an
   * execve was given, else empty.
   */
  public static final class SpawnException extends RuntimeException {
    private final String step;
    private final int errno;
    private final String detail;

    SpawnException(String step, int errno, String detail) {
      super(step + ": " + (errno == 0 ? "failed" : LibC.strerror(errno)));
      this.step = step;
      this.errno = errno;
      this.detail = detail;
    }

    public String step() {
      return step;
    }

    public int errno() {
      return errno;
    }

    public String detail() {
      return detail;
    }

    /** As Go words it ("no such file or directory"). */
    public String reason() {
      return ErrnoException.reason(errno);
    }
  }

  /** Sets a pseudo-terminal's size. */
  public static void resize(int terminalFd, int rows, int columns) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      if ((int) LibC.Net.IOCTL.invokeExact(state, terminalFd, TIOCSWINSZ, winsize(arena, rows, columns)) != 0) {
        throw new ErrnoException("ioctl(TIOCSWINSZ)", LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * Starts the process and returns once it is executing its program. The caller must reap the
   * child (it is the engine's). Runs on a platform thread of its own: a process in the container
   * can stop the child before it executes, and a virtual thread must not pin its carrier waiting.
   *
   * @throws SpawnException if a step failed
   * @throws ErrnoException if the container's namespaces or cgroups cannot be opened
   */
  public static Spawned spawn(Request request) {
    var result = new AtomicReference<Spawned>();
    var failure = new AtomicReference<Throwable>();
    Thread thread = Thread.ofPlatform().name("berth-exec-spawn").unstarted(() -> {
      try {
        result.set(spawnAndWait(request));
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    thread.start();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        // The child may already exist; only the thread knows its pid, so wait for it.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
    return result.get();
  }

  private static Spawned spawnAndWait(Request request) {
    var opened = new ArrayList<Integer>();
    int helper = -1;
    int child = -1;
    int master = -1;
    int[] status = null;
    try {
      var fds = new HashMap<Integer, Integer>();
      var config = new Config();
      int next = FIRST_PASSED_FD;
      for (Namespace ns : NAMESPACES) {
        int fd = open(opened, Path.of("/proc/" + request.initPid() + "/ns/" + ns.name()), O_RDONLY);
        fds.put(next, fd);
        config.pair('N', next++, ns.flag());
      }
      for (Path tasks : request.cgroupTasks()) {
        fds.put(next, open(opened, tasks, Fd.O_WRONLY));
        config.u32('T', next++);
      }
      if (request.cgroup2().isPresent()) {
        fds.put(next, open(opened, request.cgroup2().get(), O_RDONLY | O_DIRECTORY));
        config.u32('C', next++);
      }
      describe(config, request);
      Fd.Pipe configPipe = Fd.Pipe.open();
      opened.add(configPipe.readFd());
      opened.add(configPipe.writeFd());
      status = socketPair();
      opened.add(status[1]);
      fds.put(CONFIG_FD, configPipe.readFd());
      fds.put(STATUS_FD, status[1]);
      int devNull = open(opened, Path.of("/dev/null"), O_RDWR);
      if (request.stdio() instanceof Pipes pipes) {
        fds.put(0, pipes.stdin() < 0 ? devNull : pipes.stdin());
        fds.put(1, pipes.stdout() < 0 ? devNull : pipes.stdout());
        fds.put(2, pipes.stderr() < 0 ? devNull : pipes.stderr());
      } else {
        fds.put(0, devNull);
        fds.put(1, devNull);
        fds.put(2, devNull);
      }
      int program = next;
      fds.put(program, request.helper().fd());
      helper = Processes.spawn(Path.of("/proc/self/fd/" + program), List.of("berth-enter"), List.of(), fds);
      opened.forEach(fd -> {
        if (fd != configPipe.writeFd()) {
          Fd.close(fd);
        }
      });
      opened.clear();
      SpawnException failed = null;
      try {
        Fd.write(configPipe.writeFd(), config.bytes());
      } catch (ErrnoException e) {
        // berth-enter ended before reading it all: its status says why, else this does.
        failed = new SpawnException("write config", e.errno(), "");
      } finally {
        Fd.close(configPipe.writeFd());
      }
      for (Message m = receive(status[0]); m != null; m = receive(status[0])) {
        switch (m.kind()) {
          case 'M' -> master = m.fd();
          case 'P' -> child = ByteBuffer.wrap(m.data(), 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
          case 'E' -> failed = failure(m.data());
          default -> failed = new SpawnException("status message " + (char) m.kind(), ErrnoException.EINVAL, "");
        }
      }
      Processes.waitFor(helper);
      helper = -1;
      if (failed == null && child < 0) {
        failed = new SpawnException("berth-enter ended early", ErrnoException.EIO, "");
      }
      if (failed != null) {
        throw failed;
      }
      Spawned spawned = new Spawned(child, master);
      child = -1;
      master = -1;
      return spawned;
    } finally {
      opened.forEach(Fd::close);
      if (status != null) {
        Fd.close(status[0]);
      }
      Fd.close(master);
      if (helper > 0) {
        Processes.kill(helper, 9);
        Processes.waitFor(helper);
      }
      if (child > 0) {
        Processes.kill(child, 9);
        Processes.waitFor(child);
      }
    }
  }

  private static int open(List<Integer> opened, Path path, int flags) {
    int fd = Fd.open(path, flags);
    opened.add(fd);
    return fd;
  }

  private static void describe(Config config, Request request) {
    Credentials who = request.credentials();
    config.u32('u', who.uid());
    config.u32('g', who.gid());
    var groups = ByteBuffer.allocate(4 * who.groups().size()).order(ByteOrder.LITTLE_ENDIAN);
    who.groups().forEach(groups::putInt);
    config.record('G', groups.array());
    config.record('k', ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(who.capabilities()).array());
    for (Limit l : request.limits()) {
      config.record('r', ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(l.resource()).putLong(l.soft())
          .putLong(l.hard()).array());
    }
    config.string('w', request.cwd());
    if (request.stdio() instanceof Terminal t) {
      config.record('t', ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) t.rows())
          .putShort((short) t.columns()).array());
    }
    Confinement c = request.confinement();
    if (c.noNewPrivileges()) {
      config.record('n', new byte[0]);
    }
    c.seccomp().ifPresent(s -> config.record('s', ByteBuffer.allocate(4 + s.filter().length)
        .order(ByteOrder.LITTLE_ENDIAN).putInt(s.flags()).put(s.filter()).array()));
    c.apparmor().ifPresent(profile -> config.string('a', profile));
    c.oomScoreAdj().ifPresent(score -> config.u32('o', score));
    request.argv().forEach(a -> config.string('A', a));
    request.env().forEach(e -> config.string('E', e));
  }

  // 'E', u32 errno, the step, and after a NUL the detail.
  private static SpawnException failure(byte[] data) {
    int errno = ByteBuffer.wrap(data, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    String text = new String(data, 5, data.length - 5, StandardCharsets.UTF_8);
    int nul = text.indexOf('\0');
    return nul < 0 ? new SpawnException(text, errno, "")
        : new SpawnException(text.substring(0, nul), errno, text.substring(nul + 1));
  }

  /** berth-enter's input: records of a tag, a little-endian u32 length and the bytes. */
  private static final class Config {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void record(char tag, byte[] data) {
      out.write(tag);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
      out.writeBytes(data);
    }

    void u32(char tag, int value) {
      record(tag, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    void pair(char tag, int first, int second) {
      record(tag, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(first).putInt(second).array());
    }

    void string(char tag, String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      for (byte b : bytes) {
        if (b == 0) {
          throw new IllegalArgumentException("NUL in " + tag + " value");
        }
      }
      record(tag, bytes);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  private record Message(int kind, byte[] data, int fd) {}

  private static int[] socketPair() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fds = arena.allocate(JAVA_INT, 2);
      MemorySegment state = LibC.captureState(arena);
      if ((int) LibC.Net.SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_SEQPACKET | Fd.O_CLOEXEC, 0, fds) != 0) {
        throw new ErrnoException("socketpair", LibC.errno(state));
      }
      return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  // One message and the fd it carries (-1 for none); null at end of file.
  private static Message receive(int socket) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(MESSAGE_SIZE);
      MemorySegment iov = arena.allocate(16, 8);
      iov.set(ADDRESS, 0, buffer);
      iov.set(JAVA_LONG, 8, MESSAGE_SIZE);
      MemorySegment control = arena.allocate(64, 8);
      MemorySegment msg = arena.allocate(56, 8);
      msg.set(ADDRESS, 16, iov);
      msg.set(JAVA_LONG, 24, 1);
      msg.set(ADDRESS, 32, control);
      msg.set(JAVA_LONG, 40, control.byteSize());
      MemorySegment state = LibC.captureState(arena);
      long n;
      while (true) {
        n = (long) LibC.Net.RECVMSG.invokeExact(state, socket, msg, MSG_CMSG_CLOEXEC);
        if (n >= 0 || LibC.errno(state) != ErrnoException.EINTR) {
          break;
        }
      }
      if (n < 0) {
        throw new ErrnoException("recvmsg", LibC.errno(state));
      }
      if (n == 0) {
        return null;
      }
      int fd = -1;
      long controlLength = msg.get(JAVA_LONG, 40);
      if (controlLength >= 20 && control.get(JAVA_INT, 8) == SOL_SOCKET && control.get(JAVA_INT, 12) == SCM_RIGHTS) {
        fd = control.get(JAVA_INT, 16);
      }
      return new Message(buffer.get(JAVA_BYTE, 0), buffer.asSlice(0, n).toArray(JAVA_BYTE), fd);
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  private static MemorySegment winsize(Arena arena, int rows, int columns) {
    MemorySegment ws = arena.allocate(8, 2);
    ws.set(JAVA_SHORT, 0, (short) rows);
    ws.set(JAVA_SHORT, 2, (short) columns);
    return ws;
  }
}
