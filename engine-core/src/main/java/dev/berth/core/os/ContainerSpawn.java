package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a process in a running container's namespaces, as {@code runc exec} does but without a
 * runtime process of its own: a platform thread made for the purpose unshares its filesystem
 * context, joins the container's namespaces, takes the process's credentials and capabilities
 * (thread-local in Linux), and posix_spawns a sealed trampoline that the child inherits all of it
 * from. The thread ends right after, so no JVM thread stays in a container.
 *
 * <p>Once the thread is in the container's mount namespace every path is the container's. From
 * there on it makes only downcalls prepared beforehand and reports failures as numbers: no class
 * loading, no message catalogue, nothing that could open a file the container controls.
 *
 * <p>The child is not dumpable while it is still a copy of the JVM (the engine makes itself not
 * dumpable), so the container cannot open its {@code /proc/PID/exe} or fds in that window; then
 * it runs the sealed trampoline with fds 0–2 as {@link Request#stdio}, {@link Request#passFds}
 * from fd 3 on and the trampoline itself next ({@link #trampolineFd}), nothing else.
 */
public final class ContainerSpawn {

  private static final int CLONE_FS = 0x200;
  private static final int CLONE_NEWNS = 0x20000;
  private static final int CLONE_NEWCGROUP = 0x2000000;
  private static final int CLONE_NEWUTS = 0x4000000;
  private static final int CLONE_NEWIPC = 0x8000000;
  private static final int CLONE_NEWPID = 0x20000000;
  private static final int CLONE_NEWNET = 0x40000000;
  // Joined in this order: the mount namespace last, because after it /proc is the container's.
  private static final List<Namespace> NAMESPACES = List.of(new Namespace("cgroup", CLONE_NEWCGROUP),
      new Namespace("ipc", CLONE_NEWIPC), new Namespace("uts", CLONE_NEWUTS), new Namespace("net", CLONE_NEWNET),
      new Namespace("pid", CLONE_NEWPID), new Namespace("mnt", CLONE_NEWNS));

  private static final int O_RDONLY = 0;
  private static final int O_RDWR = 2;
  private static final int O_NOCTTY = 0x100;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  private static final long TIOCSWINSZ = 0x5414;
  private static final long TIOCGPTN = 0x80045430L;
  private static final long TIOCSPTLCK = 0x40045431L;
  private static final int PR_SET_DUMPABLE = 4;
  private static final int PR_CAPBSET_DROP = 24;
  private static final int PR_CAP_AMBIENT = 47;
  private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
  private static final int CAPABILITY_VERSION_3 = 0x20080522;
  private static final int FIRST_PASSED_FD = 3;
  private static final int SIGKILL = 9;
  private static final Syscalls SYSCALLS = Syscalls.forArch(System.getProperty("os.arch"));

  static {
    // Loaded now: a class first needed on a thread inside a container would be looked for there.
    List.of(SpawnException.class, Spawned.class, Terminal.class, Pipes.class, Credentials.class, Syscalls.class,
        Namespace.class, Limit.class).forEach(ContainerSpawn::load);
  }

  private ContainerSpawn() {}

  private static void load(Class<?> c) {
    try {
      Class.forName(c.getName(), true, c.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Namespace(String name, int flag) {}

  /** setresuid, setresgid and setgroups by number, since glibc's wrappers act on every thread. */
  private record Syscalls(long setgroups, long setresuid, long setresgid) {
    static Syscalls forArch(String arch) {
      return switch (arch) {
        case "amd64", "x86_64" -> new Syscalls(116, 117, 119);
        case "aarch64", "arm64" -> new Syscalls(159, 147, 149);
        default -> null;
      };
    }
  }

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

  /**
   * @param initPid the container's init, whose namespaces are joined
   * @param trampolineArgv what the trampoline runs as
   * @param passFds the engine's fds to become the child's 3, 4, ...
   * @param limits set on the child right after it is spawned
   */
  public record Request(int initPid, SealedCopy trampoline, List<String> trampolineArgv, List<String> env, String cwd,
      Credentials credentials, Stdio stdio, List<Integer> passFds, List<Limit> limits) {
    public Request {
      trampolineArgv = List.copyOf(trampolineArgv);
      env = List.copyOf(env);
      passFds = List.copyOf(passFds);
      limits = List.copyOf(limits);
    }
  }

  /** The child's fd for the trampoline, after those passed: the trampoline should close it. */
  public static int trampolineFd(int passed) {
    return FIRST_PASSED_FD + passed;
  }

  /** @param terminalFd the pseudo-terminal's master (close-on-exec), or -1 */
  public record Spawned(int pid, int terminalFd) {}

  /** Why the child could not be started, worded by the caller; {@code step} is "chdir", "setns" etc. */
  public static final class SpawnException extends RuntimeException {
    private final String step;
    private final int errno;

    SpawnException(String step, int errno) {
      this.step = step;
      this.errno = errno;
    }

    // Worded only when asked, on a thread in the engine's mount namespace (strerror may read a
    // message catalogue, which on the spawning thread would be the container's).
    @Override
    public String getMessage() {
      return step + ": " + LibC.strerror(errno);
    }

    public String step() {
      return step;
    }

    public int errno() {
      return errno;
    }

    /** As Go words it ("no such file or directory"). */
    public String reason() {
      return ErrnoException.reason(errno);
    }
  }

  /**
   * Keeps the engine's memory (and so a spawned child before it executes) from being opened
   * through /proc by processes of the same user, containers included.
   */
  public static void makeEngineUndumpable() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      if ((int) LibC.PRCTL.invokeExact(state, PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) != 0) {
        throw new ErrnoException("prctl(PR_SET_DUMPABLE)", LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** Sets a pseudo-terminal's size. */
  public static void resize(int terminalFd, int rows, int columns) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      if ((int) LibC.IOCTL.invokeExact(state, terminalFd, TIOCSWINSZ, winsize(arena, rows, columns)) != 0) {
        throw new ErrnoException("ioctl(TIOCSWINSZ)", LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * Spawns the trampoline in the container. The caller must reap the child (it is the engine's)
   * and release or close the gate.
   *
   * @throws SpawnException if a step failed (for "chdir", the working directory is missing)
   */
  public static Spawned spawn(Request request) {
    if (SYSCALLS == null) {
      throw new UnsupportedOperationException("exec is not supported on " + System.getProperty("os.arch"));
    }
    var result = new AtomicReference<Spawned>();
    var failure = new AtomicReference<Throwable>();
    Thread thread = Thread.ofPlatform().name("berth-exec-spawn").unstarted(() -> {
      try {
        result.set(spawnOnThisThread(request));
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

  private static Spawned spawnOnThisThread(Request request) throws Throwable {
    var nsFds = new ArrayList<Integer>();
    int devNull = -1;
    int master = -1;
    Terminal terminal = request.stdio() instanceof Terminal t ? t : null;
    try (Arena arena = Arena.ofConfined()) {
      for (Namespace ns : NAMESPACES) {
        nsFds.add(Fd.open(java.nio.file.Path.of("/proc/" + request.initPid() + "/ns/" + ns.name()), O_RDONLY));
      }
      devNull = Fd.open(java.nio.file.Path.of("/dev/null"), O_RDWR);
      MemorySegment state = LibC.captureState(arena);
      MemorySegment cwd = arena.allocateFrom(request.cwd());
      MemorySegment ptmx = arena.allocateFrom("/dev/ptmx");
      MemorySegment program = arena.allocateFrom("/proc/self/fd/" + trampolineFd(request.passFds().size()));
      MemorySegment argv = Processes.strings(arena, request.trampolineArgv());
      MemorySegment envp = Processes.strings(arena, request.env());
      MemorySegment number = arena.allocate(JAVA_INT);
      MemorySegment pid = arena.allocate(JAVA_INT);
      MemorySegment winsize = terminal == null ? MemorySegment.NULL : winsize(arena, terminal.rows(), terminal.columns());
      MemorySegment ptsPath = arena.allocate(32);
      MemorySegment groups = arena.allocate(JAVA_INT, Math.max(1, request.credentials().groups().size()));
      for (int i = 0; i < request.credentials().groups().size(); i++) {
        groups.setAtIndex(JAVA_INT, i, request.credentials().groups().get(i));
      }
      MemorySegment capHeader = arena.allocate(8, 4);
      capHeader.set(JAVA_INT, 0, CAPABILITY_VERSION_3);
      MemorySegment capData = arena.allocate(24, 4);
      MemorySegment limits = arena.allocate(16L * request.limits().size(), 8);
      for (int i = 0; i < request.limits().size(); i++) {
        limits.set(JAVA_LONG, 16L * i, request.limits().get(i).soft());
        limits.set(JAVA_LONG, 16L * i + 8, request.limits().get(i).hard());
      }
      MemorySegment actions = arena.allocate(256, 16);
      MemorySegment attr = arena.allocate(512, 16);
      MemorySegment sigset = arena.allocate(128, 16);
      fileActions(actions, request, devNull);
      Processes.resetSignals(attr, sigset, POSIX_SPAWN_SETSID);

      // From here on this thread is in the container: the container's files, and no class may be
      // loaded (a class loader would read the container's files). Downcalls and plain Java only.
      check((int) LibC.UNSHARE.invokeExact(state, CLONE_FS), "unshare", state);
      for (int i = 0; i < NAMESPACES.size(); i++) {
        check((int) LibC.SETNS.invokeExact(state, (int) nsFds.get(i), NAMESPACES.get(i).flag()), "setns", state);
      }
      // As root, before the user changes, as runc does first (a directory the user cannot enter
      // may still be its working directory).
      check((int) LibC.CHDIR.invokeExact(state, cwd), "chdir", state);
      if (terminal != null) {
        master = (int) LibC.OPEN.invokeExact(state, ptmx, O_RDWR | O_NOCTTY | Fd.O_CLOEXEC, 0);
        check(master < 0 ? -1 : 0, "open /dev/ptmx", state);
        number.set(JAVA_INT, 0, 0);
        check((int) LibC.IOCTL.invokeExact(state, master, TIOCSPTLCK, number), "ioctl(TIOCSPTLCK)", state);
        check((int) LibC.IOCTL.invokeExact(state, master, TIOCGPTN, number), "ioctl(TIOCGPTN)", state);
        if (terminal.rows() > 0 && terminal.columns() > 0) {
          check((int) LibC.IOCTL.invokeExact(state, master, TIOCSWINSZ, winsize), "ioctl(TIOCSWINSZ)", state);
        }
        // String.concat, not +: string concatenation may spin classes on first use.
        ptsPath.setString(0, "/dev/pts/".concat(Integer.toString(number.get(JAVA_INT, 0))));
        // Opened by the new session's leader without O_NOCTTY: it becomes the controlling terminal.
        checkSpawn((int) LibC.FA_OPEN.invokeExact(actions, 0, ptsPath, O_RDWR, 0), "addopen");
        checkSpawn((int) LibC.FA_DUP2.invokeExact(actions, 0, 1), "adddup2");
        checkSpawn((int) LibC.FA_DUP2.invokeExact(actions, 0, 2), "adddup2");
      }
      dropPrivileges(state, request.credentials(), groups, capHeader, capData);
      int rc = (int) LibC.SPAWN.invokeExact(pid, program, actions, attr, argv, envp);
      int ignored = (int) LibC.FA_DESTROY.invokeExact(actions);
      ignored = (int) LibC.ATTR_DESTROY.invokeExact(attr);
      if (rc != 0) {
        throw new SpawnException("posix_spawn", rc);
      }
      int child = pid.get(JAVA_INT, 0);
      // From this thread, whose ids are now the child's: the engine lacks CAP_SYS_RESOURCE on some
      // hosts, which prlimit on a process of another user needs.
      for (int i = 0; i < request.limits().size(); i++) {
        int limited = (int) LibC.PRLIMIT.invokeExact(state, child, request.limits().get(i).resource(),
            limits.asSlice(16L * i, 16), MemorySegment.NULL);
        if (limited != 0) {
          int errno = LibC.errno(state);
          ignored = (int) LibC.KILL.invokeExact(state, child, SIGKILL);
          ignored = (int) LibC.WAITPID.invokeExact(state, child, pid, 0);
          throw new SpawnException("prlimit", errno);
        }
      }
      Spawned spawned = new Spawned(child, master);
      master = -1;
      return spawned;
    } finally {
      nsFds.forEach(Fd::close);
      Fd.close(devNull);
      Fd.close(master);
    }
  }

  // The child gets 0-2, the passed fds, the trampoline, and no other fd of the engine. A
  // terminal's slave is opened last, once its number is known.
  private static void fileActions(MemorySegment actions, Request request, int devNull) throws Throwable {
    checkSpawn((int) LibC.FA_INIT.invokeExact(actions), "posix_spawn_file_actions_init");
    var fds = new java.util.HashMap<Integer, Integer>();
    if (request.stdio() instanceof Pipes pipes) {
      fds.put(0, pipes.stdin() < 0 ? devNull : pipes.stdin());
      fds.put(1, pipes.stdout() < 0 ? devNull : pipes.stdout());
      fds.put(2, pipes.stderr() < 0 ? devNull : pipes.stderr());
    }
    for (int i = 0; i < request.passFds().size(); i++) {
      fds.put(FIRST_PASSED_FD + i, request.passFds().get(i));
    }
    int trampoline = trampolineFd(request.passFds().size());
    fds.put(trampoline, request.trampoline().fd());
    Processes.dup2All(actions, fds);
    checkSpawn((int) LibC.FA_CLOSEFROM.invokeExact(actions, trampoline + 1), "addclosefrom_np");
  }

  // Bounding set first (needs CAP_SETPCAP), then groups and ids (CAP_SETGID, CAP_SETUID); a
  // non-root uid clears the permitted and effective sets by itself. Nothing is inheritable or
  // ambient, as in Docker since 20.10.14.
  private static void dropPrivileges(MemorySegment state, Credentials credentials, MemorySegment groups,
      MemorySegment capHeader, MemorySegment capData) throws Throwable {
    long keep = credentials.capabilities();
    // Up to the first capability this kernel does not know (EINVAL), as libcap finds the last one.
    for (int cap = 0; cap < Long.SIZE; cap++) {
      if ((keep & (1L << cap)) == 0) {
        int rc = (int) LibC.PRCTL.invokeExact(state, PR_CAPBSET_DROP, (long) cap, 0L, 0L, 0L);
        if (rc != 0 && LibC.errno(state) == ErrnoException.EINVAL) {
          break;
        }
        check(rc, "prctl(PR_CAPBSET_DROP)", state);
      }
    }
    check((int) LibC.PRCTL.invokeExact(state, PR_CAP_AMBIENT, (long) PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L),
        "prctl(PR_CAP_AMBIENT)", state);
    check((int) (long) LibC.SYSCALL_LONG_PTR.invokeExact(state, SYSCALLS.setgroups(),
        (long) credentials.groups().size(), groups), "setgroups", state);
    int gid = credentials.gid();
    check((int) (long) LibC.SYSCALL_INT3.invokeExact(state, SYSCALLS.setresgid(), gid, gid, gid), "setresgid", state);
    int uid = credentials.uid();
    check((int) (long) LibC.SYSCALL_INT3.invokeExact(state, SYSCALLS.setresuid(), uid, uid, uid), "setresuid", state);
    long effective = uid == 0 ? keep : 0;
    for (int word = 0; word < 2; word++) {
      int bits = (int) (effective >>> (32 * word));
      capData.set(JAVA_INT, word * 12L, bits);
      capData.set(JAVA_INT, word * 12L + 4, bits);
      capData.set(JAVA_INT, word * 12L + 8, 0);
    }
    check((int) LibC.CAPSET.invokeExact(state, capHeader, capData), "capset", state);
    // Changing ids resets the engine's dumpable flag to fs.suid_dumpable, which a host may have set
    // to 1: make sure the child is spawned undumpable.
    check((int) LibC.PRCTL.invokeExact(state, PR_SET_DUMPABLE, 0L, 0L, 0L, 0L), "prctl(PR_SET_DUMPABLE)", state);
  }

  private static MemorySegment winsize(Arena arena, int rows, int columns) {
    MemorySegment ws = arena.allocate(8, 2);
    ws.set(JAVA_SHORT, 0, (short) rows);
    ws.set(JAVA_SHORT, 2, (short) columns);
    return ws;
  }

  private static void check(int rc, String step, MemorySegment state) {
    if (rc != 0) {
      throw new SpawnException(step, LibC.errno(state));
    }
  }

  private static void checkSpawn(int rc, String step) {
    if (rc != 0) {
      throw new SpawnException(step, rc);
    }
  }
}
