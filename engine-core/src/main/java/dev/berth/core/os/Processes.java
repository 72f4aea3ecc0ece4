package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Spawning and signalling processes. ProcessBuilder cannot hand a child a chosen fd (conmon's sync
 * pipe is fd 3) and would leak nothing, but posix_spawn without closefrom would leak every JVM fd
 * (the API socket, the database) into conmon, which outlives us.
 */
public final class Processes {

  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 1;
  private static final int SIGKILL = 9;
  private static final long SYS_PIDFD_SEND_SIGNAL = 424;
  private static final long SYS_PIDFD_OPEN = 434;

  // Looked in after PATH, which a bare environment (systemd, tests) may lack.
  private static final String FALLBACK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private Processes() {}

  /**
   * posix_spawn with an explicit fd table: {@code fds} maps child fd to parent fd; stdin, stdout
   * and stderr not in it are /dev/null; every other fd is closed in the child. Signal mask and
   * dispositions are reset, since the JVM blocks and handles signals the child must not inherit.
   *
   * @return the child's pid; the caller must reap it with {@link #waitFor}
   */
  public static int spawn(Path program, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
    return spawn(program, argv, env, fds, null);
  }

  /** As {@link #spawn(Path, List, List, Map)}, with the child's working directory {@code cwd} (null: ours). */
  public static int spawn(Path program, List<String> argv, List<String> env, Map<Integer, Integer> fds, Path cwd) {
    int closeFrom = fds.keySet().stream().mapToInt(Integer::intValue).max().orElse(2) + 1;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment actions = arena.allocate(256, 16);
      MemorySegment attr = arena.allocate(512, 16);
      MemorySegment sigset = arena.allocate(128, 16);
      check((int) LibC.Spawn.FA_INIT.invokeExact(actions), "posix_spawn_file_actions_init");
      try {
        dup2All(actions, fds);
        MemorySegment devNull = arena.allocateFrom("/dev/null");
        for (int std = 0; std <= 2; std++) {
          if (!fds.containsKey(std)) {
            check((int) LibC.Spawn.FA_OPEN.invokeExact(actions, std, devNull, std == 0 ? O_RDONLY : O_WRONLY, 0),
                "addopen");
          }
        }
        check((int) LibC.Spawn.FA_CLOSEFROM.invokeExact(actions, closeFrom), "addclosefrom_np");
        if (cwd != null) {
          check((int) LibC.Spawn.FA_CHDIR.invokeExact(actions, arena.allocateFrom(cwd.toString())), "addchdir_np");
        }
        resetSignals(attr, sigset, (short) 0);
        try {
          MemorySegment pid = arena.allocate(JAVA_INT);
          int rc = (int) LibC.Spawn.SPAWN.invokeExact(pid, arena.allocateFrom(program.toString()), actions, attr,
              strings(arena, argv), strings(arena, env));
          if (rc != 0) {
            throw new ErrnoException("posix_spawn " + program, rc);
          }
          return pid.get(JAVA_INT, 0);
        } finally {
          int ignored = (int) LibC.Spawn.ATTR_DESTROY.invokeExact(attr);
        }
      } finally {
        int ignored = (int) LibC.Spawn.FA_DESTROY.invokeExact(actions);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** How a program run by {@link #run} ended: its exit status (128 + signal if killed) and its stderr. */
  public record Outcome(int exit, String stderr) {}

  /** How a program run by {@link #capture} ended: its exit status (128 + signal if killed), stdout and stderr. */
  public record Captured(int exit, byte[] stdout, String stderr) {

    /** All the program said, stdout then stderr: for a message about its failure. */
    public String said() {
      return new String(stdout, java.nio.charset.StandardCharsets.UTF_8) + stderr;
    }
  }

  /**
   * Runs {@code program} to its end with {@code input} on its stdin (null: /dev/null), its stdout
   * discarded and its stderr collected, spawned directly: not through ProcessBuilder, whose
   * jspawnhelper holds every descriptor of the JVM until the JVM has told it what to run. A
   * berthd killed in the middle of two such spawns left two helpers waiting on each other's pipe
   * for good, holding the API's listening socket, so no berthd could start again. The pipes are
   * read as JDK streams over /proc/self/fd, so a virtual thread's carrier is compensated for while
   * they block; waiting for the exit holds it only once the program has closed its stderr, which
   * it does as it ends.
   *
   * @throws IOException if the pipes cannot be read or written
   */
  public static Outcome run(Path program, List<String> argv, List<String> env, byte[] input) throws IOException {
    Captured c = run(program, argv, env, input, false);
    return new Outcome(c.exit(), c.stderr());
  }

  /**
   * As {@link #run}, and collects the program's stdout as well; its stderr is read beside it on a
   * virtual thread, so neither pipe fills while the other is read.
   *
   * @throws IOException if the pipes cannot be read or written
   */
  public static Captured capture(Path program, List<String> argv, List<String> env, byte[] input)
      throws IOException {
    return run(program, argv, env, input, true);
  }

  /**
   * {@link #capture} of a command line as a shell runs it: its first word found on our PATH, our
   * environment given to it, no input.
   *
   * @throws IOException if the pipes cannot be read or written, or the program is not on PATH
   */
  public static Captured capture(List<String> command) throws IOException {
    String name = command.getFirst();
    Path program = name.contains("/") ? Path.of(name) : onPath(name).orElseThrow(() ->
        new java.nio.file.NoSuchFileException(name, null, "executable file not found in $PATH"));
    return capture(program, command, environment(Map.of()), null);
  }

  /** Our environment, with {@code overrides} set, as a child's {@code NAME=value} list. */
  public static List<String> environment(Map<String, String> overrides) {
    var env = new java.util.TreeMap<>(System.getenv());
    env.putAll(overrides);
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  /**
   * Where {@code name} is on our PATH, then in the usual places (the engine may be started with a
   * bare environment: systemd, tests), as a shell would find it.
   */
  public static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":" + FALLBACK_PATH;
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Captured run(Path program, List<String> argv, List<String> env, byte[] input, boolean stdout)
      throws IOException {
    var pipes = new java.util.ArrayList<Fd.Pipe>();
    Fd.Pipe stderr;
    Fd.Pipe stdin = null;
    Fd.Pipe out = null;
    int pid;
    try {
      var fds = new java.util.HashMap<Integer, Integer>();
      stderr = open(pipes);
      fds.put(2, stderr.writeFd());
      if (input != null) {
        stdin = open(pipes);
        fds.put(0, stdin.readFd());
      }
      if (stdout) {
        out = open(pipes);
        fds.put(1, out.writeFd());
      }
      pid = spawn(program, argv, env, fds);
    } catch (RuntimeException e) {
      pipes.forEach(Fd.Pipe::close);
      throw e;
    }
    // The child has its ends. Ours are reopened as JDK streams (see above); then every raw fd of
    // the pipes is closed, each exactly once, whatever fails.
    java.io.InputStream err = null;
    java.io.OutputStream in = null;
    java.io.InputStream output = null;
    try {
      err = new java.io.FileInputStream("/proc/self/fd/" + stderr.readFd());
      if (stdin != null) {
        in = new java.io.FileOutputStream("/proc/self/fd/" + stdin.writeFd());
      }
      if (out != null) {
        output = new java.io.FileInputStream("/proc/self/fd/" + out.readFd());
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(err);
      closeQuietly(in);
      kill(pid, SIGKILL);
      waitFor(pid);
      throw e;
    } finally {
      pipes.forEach(Fd.Pipe::close);
    }
    String text;
    byte[] collected = new byte[0];
    try (var errors = err; var toChild = in; var fromChild = output) {
      if (toChild != null) {
        write(toChild, input);
      }
      if (fromChild != null) {
        var errText = new java.util.concurrent.FutureTask<>(() -> errors.readAllBytes());
        Thread.ofVirtual().name("stderr-" + pid).start(errText);
        collected = fromChild.readAllBytes();
        text = new String(joined(errText), java.nio.charset.StandardCharsets.UTF_8);
      } else {
        text = new String(errors.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException | RuntimeException e) {
      kill(pid, SIGKILL);
      waitFor(pid);
      throw e;
    }
    return new Captured(waitFor(pid), collected, text);
  }

  private static Fd.Pipe open(List<Fd.Pipe> opened) {
    Fd.Pipe p = Fd.Pipe.open();
    opened.add(p);
    return p;
  }

  /** What a reader of a child's pipe read; its failure thrown here. */
  private static byte[] joined(java.util.concurrent.FutureTask<byte[]> reading) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return reading.get();
        } catch (InterruptedException e) {
          // The pipe ends with the child, which is being waited for anyway.
          interrupted = true;
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Writes {@code data} to a program's stdin and closes it. A program that exits without reading
   * all its input has closed the pipe: that is its business, told by its exit status.
   */
  private static void write(java.io.OutputStream in, byte[] data) throws IOException {
    try (in) {
      in.write(data);
    } catch (IOException e) {
      if (!"Broken pipe".equals(e.getMessage())) {
        throw e;
      }
    }
  }

  private static void closeQuietly(java.io.Closeable stream) {
    if (stream == null) {
      return;
    }
    try {
      stream.close();
    } catch (IOException e) {
      // Only a pipe end of ours: nothing was buffered in it.
    }
  }

  /**
   * Adds dup2 actions giving the child each target fd (key) from the parent's fd (value). Two
   * passes, so that a target fd never clobbers a source still to be copied: first every source
   * goes to a staging fd above all sources and targets, then to its target. The staging fds are
   * the caller's to close (closefrom above the targets does it).
   */
  static void dup2All(MemorySegment actions, Map<Integer, Integer> fds) throws Throwable {
    int staging = 1 + Math.max(fds.keySet().stream().mapToInt(Integer::intValue).max().orElse(2),
        fds.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    for (var e : fds.entrySet()) {
      check((int) LibC.Spawn.FA_DUP2.invokeExact(actions, (int) e.getValue(), staging + e.getKey()), "adddup2");
    }
    for (var e : fds.entrySet()) {
      check((int) LibC.Spawn.FA_DUP2.invokeExact(actions, staging + e.getKey(), (int) e.getKey()), "adddup2");
    }
  }

  /**
   * Initialises {@code attr} to give the child an empty signal mask and default dispositions (the
   * JVM blocks and handles signals a child must not inherit), with {@code flags} besides.
   */
  static void resetSignals(MemorySegment attr, MemorySegment sigset, short flags) throws Throwable {
    check((int) LibC.Spawn.ATTR_INIT.invokeExact(attr), "posix_spawnattr_init");
    short all = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | flags);
    check((int) LibC.Spawn.ATTR_SETFLAGS.invokeExact(attr, all), "setflags");
    int ignored = (int) LibC.Spawn.SIGEMPTYSET.invokeExact(sigset);
    check((int) LibC.Spawn.ATTR_SETSIGMASK.invokeExact(attr, sigset), "setsigmask");
    ignored = (int) LibC.Spawn.SIGFILLSET.invokeExact(sigset);
    check((int) LibC.Spawn.ATTR_SETSIGDEFAULT.invokeExact(attr, sigset), "setsigdefault");
  }

  /** Waits for a child spawned here and returns its exit status (128 + signal if killed). */
  public static int waitFor(int pid) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment status = arena.allocate(JAVA_INT);
      MemorySegment state = LibC.captureState(arena);
      while (true) {
        int rc = (int) LibC.Proc.WAITPID.invokeExact(state, pid, status, 0);
        if (rc < 0) {
          int errno = LibC.errno(state);
          if (errno == ErrnoException.EINTR) {
            continue;
          }
          throw new ErrnoException("waitpid " + pid, errno);
        }
        int s = status.get(JAVA_INT, 0);
        return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * A pidfd of {@code pid} (close-on-exec), readable once the process has exited. Only for a child
   * not yet reaped, whose pid cannot have been reused.
   */
  public static int pidfd(int pid) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int fd = (int) (long) LibC.Proc.SYSCALL_PIDFD_OPEN.invokeExact(state, SYS_PIDFD_OPEN, pid, 0);
      if (fd < 0) {
        throw new ErrnoException("pidfd_open " + pid, LibC.errno(state));
      }
      return fd;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** kill(2); false if no such process. */
  public static boolean kill(int pid, int signal) {
    if (pid <= 0) {
      throw new IllegalArgumentException("refusing to signal pid " + pid);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) LibC.Proc.KILL.invokeExact(state, pid, signal);
      if (rc == 0) {
        return true;
      }
      int errno = LibC.errno(state);
      if (errno == ErrnoException.ESRCH) {
        return false;
      }
      throw new ErrnoException("kill " + pid, errno);
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * Sends {@code signal} to {@code pid} only if it is still the process that started at
   * {@code startTime}. A pidfd pins the process: once it is open, checking the start time and
   * signalling cannot hit a later process that reused the pid.
   *
   * @return false if that process is gone (or is a zombie)
   */
  public static boolean signalIfSame(int pid, long startTime, int signal) {
    return withPidfd(pid, startTime, false, pidfd -> {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment state = LibC.captureState(arena);
        long rc = (long) LibC.Proc.SYSCALL_PIDFD_SEND_SIGNAL.invokeExact(state, SYS_PIDFD_SEND_SIGNAL, pidfd, signal,
            MemorySegment.NULL, 0);
        if (rc == 0) {
          return true;
        }
        int errno = LibC.errno(state);
        if (errno == ErrnoException.ESRCH) {
          return false;
        }
        throw new ErrnoException("pidfd_send_signal " + pid, errno);
      } catch (Throwable t) {
        throw LibC.propagate(t);
      }
    });
  }

  /**
   * Waits until the process {@code pid} that started at {@code startTime} has exited (a pidfd
   * becomes readable then), at most {@code timeoutMillis}. True if it is gone.
   */
  public static boolean awaitExit(int pid, long startTime, int timeoutMillis) {
    return withPidfd(pid, startTime, true, pidfd -> Fd.pollIn(pidfd, timeoutMillis));
  }

  /**
   * Runs {@code action} on a pidfd of {@code pid} if that is still the process that started at
   * {@code startTime}; otherwise answers {@code ifGone}.
   */
  private static boolean withPidfd(int pid, long startTime, boolean ifGone,
      java.util.function.IntPredicate action) {
    if (pid <= 0) {
      throw new IllegalArgumentException("refusing to use pid " + pid);
    }
    int pidfd;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      pidfd = (int) (long) LibC.Proc.SYSCALL_PIDFD_OPEN.invokeExact(state, SYS_PIDFD_OPEN, pid, 0);
      if (pidfd < 0) {
        int errno = LibC.errno(state);
        if (errno == ErrnoException.ESRCH) {
          return ifGone;
        }
        throw new ErrnoException("pidfd_open " + pid, errno);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
    try {
      OptionalLong started = startTime(pid);
      if (started.isEmpty() || started.getAsLong() != startTime) {
        return ifGone;
      }
      return action.test(pidfd);
    } finally {
      Fd.close(pidfd);
    }
  }


  /**
   * The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), which with the
   * pid identifies a process across pid reuse. Empty if it is gone or a zombie.
   */
  public static OptionalLong startTime(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (after[0].equals("Z") || after[0].equals("X")) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Long.parseLong(after[19]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Whether this process runs as root (its effective uid is 0), read from /proc with no libc call to link. */
  public static boolean isRoot() {
    try {
      // "Uid:" real, effective, saved and file system uids.
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
          .map(l -> l.split("\\s+")[2]).anyMatch("0"::equals);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read /proc/self/status", e);
    }
  }

  static MemorySegment strings(Arena arena, List<String> values) {
    MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
    for (int i = 0; i < values.size(); i++) {
      array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
    }
    array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
    return array;
  }

  static void check(int rc, String call) {
    if (rc != 0) {
      throw new ErrnoException(call, rc);
    }
  }
}
