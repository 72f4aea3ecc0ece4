package dev.berth.core.runtime;

import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.os.ContainerSpawn;
import dev.berth.core.os.ContainerSpawn.Credentials;
import dev.berth.core.os.ContainerSpawn.Pipes;
import dev.berth.core.os.ContainerSpawn.SpawnException;
import dev.berth.core.os.ContainerSpawn.Terminal;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.Processes;
import dev.berth.core.os.SealedCopy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts exec processes from the engine itself instead of through conmon and {@code runc exec}.
 * runc is a Go program that re-executes itself to enter the container: 20–35 ms a process on
 * this kind of host, most of an exec's latency. Here a thread of the engine enters the
 * container's namespaces and spawns the process directly (see {@link ContainerSpawn}).
 *
 * <p>What it spawns is a sealed copy of the host's static busybox running {@link #script}: it is
 * what the child executes first, so no host binary is ever the exe of a process in the container.
 * The script waits on its gate (fd 3) while the engine moves it into any cgroup that only a move
 * by pid can reach (a cgroup2 tree with controllers), then moves itself into the container's v1
 * cgroups through their {@code tasks} files (fds 4...; a self-move skips the global lock that a
 * move by pid takes), closes every fd but 0–2 and executes the command. The process is the
 * engine's child: it needs no monitor, and nothing is left once it exits.
 */
final class NamespaceExec {

  private static final int GATE_FD = 3;
  private static final int SIGKILL = 9;
  // linux/resource.h (the same on x86-64 and arm64).
  private static final Map<String, Integer> RLIMIT_NUMBERS = Map.ofEntries(Map.entry("RLIMIT_CPU", 0),
      Map.entry("RLIMIT_FSIZE", 1), Map.entry("RLIMIT_DATA", 2), Map.entry("RLIMIT_STACK", 3),
      Map.entry("RLIMIT_CORE", 4), Map.entry("RLIMIT_RSS", 5), Map.entry("RLIMIT_NPROC", 6),
      Map.entry("RLIMIT_NOFILE", 7), Map.entry("RLIMIT_MEMLOCK", 8), Map.entry("RLIMIT_AS", 9),
      Map.entry("RLIMIT_LOCKS", 10), Map.entry("RLIMIT_SIGPENDING", 11), Map.entry("RLIMIT_MSGQUEUE", 12),
      Map.entry("RLIMIT_NICE", 13), Map.entry("RLIMIT_RTPRIO", 14), Map.entry("RLIMIT_RTTIME", 15));

  private final SealedCopy trampoline;
  private final CgroupTree cgroups;
  private final List<ContainerSpawn.Limit> limits;

  private NamespaceExec(SealedCopy trampoline, CgroupTree cgroups, HostLimits host) {
    this.trampoline = trampoline;
    this.cgroups = cgroups;
    this.limits = DockerDefaults.RLIMITS.stream().map(l -> l.clampTo(host.hardLimit(l.type())))
        .map(l -> new ContainerSpawn.Limit(RLIMIT_NUMBERS.get(l.type()), l.soft(), l.hard())).toList();
  }

  /**
   * Makes the engine undumpable (see {@link ContainerSpawn}) and seals a copy of the static busybox.
   *
   * @throws InvalidArgumentException if there is no statically linked busybox on the PATH
   */
  static NamespaceExec create(CgroupTree cgroups, HostLimits host) {
    Path busybox = Executables.findStaticBusybox().orElseThrow(() -> new InvalidArgumentException(
        "exec needs a statically linked busybox on the PATH (Debian: apt-get install busybox-static)"));
    ContainerSpawn.makeEngineUndumpable();
    return new NamespaceExec(SealedCopy.of(busybox), cgroups, host);
  }

  /**
   * Starts {@code spec} in the container whose init is {@code initPid} and whose cgroup is
   * {@code cgroup} under the engine's parent.
   *
   * @param capabilities the mask the process keeps
   * @throws InvalidArgumentException in runc's words when the program or working directory is missing
   */
  ExecSession start(String cgroup, int initPid, ExecSpec spec, long capabilities) {
    ProcessSpec p = spec.process();
    String program = ExecPath.resolve(Path.of("/proc/" + initPid + "/root"), p.args().getFirst(), p.env(), p.cwd());
    CgroupTree.Joining joining = cgroups.joining(cgroup);
    var argv = new ArrayList<>(List.of("sh", "-c", script(joining.threadFiles().size()), p.args().getFirst(), program));
    argv.addAll(p.args().subList(1, p.args().size()));
    var fds = new Fds();
    try {
      var passed = new ArrayList<Integer>();
      passed.add(fds.pipe());
      int gateWrite = fds.last.writeFd();
      for (Path tasks : joining.threadFiles()) {
        passed.add(fds.openForWriting(tasks));
      }
      ContainerSpawn.Stdio stdio;
      int stdin = -1;
      int[] outputs = new int[0];
      if (p.terminal()) {
        stdio = new Terminal(p.consoleHeight(), p.consoleWidth());
      } else if (spec.attach()) {
        int childIn = -1;
        if (p.stdin()) {
          childIn = fds.pipe();
          stdin = fds.last.writeFd();
        }
        int childOut = fds.pipeForWriting();
        int out = fds.last.readFd();
        int childErr = fds.pipeForWriting();
        outputs = new int[] {out, fds.last.readFd()};
        stdio = new Pipes(childIn, childOut, childErr);
      } else {
        stdio = new Pipes(-1, -1, -1);
      }
      ContainerSpawn.Spawned child = spawn(spec, new ContainerSpawn.Request(initPid, trampoline, argv, p.env(),
          p.cwd(), new Credentials(p.uid(), p.gid(), p.additionalGids(), capabilities), stdio, passed, limits));
      fds.closeChildEnds();
      release(joining, child, gateWrite);
      try {
        if (child.terminalFd() >= 0) {
          outputs = new int[] {child.terminalFd()};
          stdin = spec.attach() ? Fd.dup(child.terminalFd()) : -1;
        }
        var session = NamespaceExecSession.started(spec.execId(), child.pid(), child.terminalFd(), stdin, outputs,
            spec.attach());
        fds.handOver();
        return session;
      } catch (IOException | RuntimeException e) {
        abandon(child);
        throw e;
      }
    } catch (IOException e) {
      throw new InternalException("cannot start exec " + spec.execId() + ": " + e.getMessage(), e);
    } finally {
      fds.closeAll();
    }
  }

  private static ContainerSpawn.Spawned spawn(ExecSpec spec, ContainerSpawn.Request request) {
    try {
      return ContainerSpawn.spawn(request);
    } catch (SpawnException e) {
      if (e.step().equals("chdir")) {
        throw new InvalidArgumentException("exec failed: unable to start container process: chdir to cwd (\""
            + request.cwd() + "\") set in config.json failed: " + e.reason());
      }
      throw new InternalException("cannot start exec " + spec.execId() + ": " + e.getMessage(), e);
    } catch (ErrnoException e) {
      throw new InternalException("cannot enter the container of exec " + spec.execId() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The trampoline's script for {@code threadFiles} tasks files: $0 is the command's argv[0], "$@"
   * its resolved path and the rest of its arguments. Exit 126 (as for a command that cannot run)
   * if the engine gave up on it or it could not join a cgroup.
   */
  static String script(int threadFiles) {
    var join = new StringBuilder();
    var close = new StringBuilder(" " + GATE_FD + "<&-");
    for (int fd = GATE_FD + 1; fd <= GATE_FD + threadFiles; fd++) {
      join.append(join.isEmpty() ? "" : " && ").append("echo 0 >&").append(fd);
      close.append(' ').append(fd).append(">&-");
    }
    close.append(' ').append(ContainerSpawn.trampolineFd(1 + threadFiles)).append("<&-");
    String joined = join.isEmpty() ? ""
        : "{ " + join + "; } 2>/dev/null || { echo \"cannot join the container's cgroups\" >&2; exit 126; }; ";
    return "read -r _ <&" + GATE_FD + " || exit 126; " + joined + "exec -a \"$0\"" + close + " \"$@\"";
  }

  // The child waits on its gate: place it where only the engine can, then let it go; on failure
  // it never runs.
  private static void release(CgroupTree.Joining joining, ContainerSpawn.Spawned child, int gateWrite) {
    try {
      for (Path procs : joining.procsFiles()) {
        try {
          Files.writeString(procs, Integer.toString(child.pid()), StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new InternalException("cannot move exec process " + child.pid() + " into " + procs + ": "
              + e.getMessage(), e);
        }
      }
      Fd.write(gateWrite, "\n".getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      abandon(child);
      throw e;
    }
  }

  private static void abandon(ContainerSpawn.Spawned child) {
    Processes.kill(child.pid(), SIGKILL);
    Processes.waitFor(child.pid());
    Fd.close(child.terminalFd());
  }

  /** The pipes of one start: the child's ends close once it has them, the rest on failure. */
  private static final class Fds {
    private final List<Integer> childEnds = new ArrayList<>();
    private final List<Integer> engineEnds = new ArrayList<>();
    Fd.Pipe last;

    // A pipe the child reads from; returns the child's end.
    int pipe() {
      last = Fd.Pipe.open();
      childEnds.add(last.readFd());
      engineEnds.add(last.writeFd());
      return last.readFd();
    }

    // A file only the child writes to (through the fd passed); returns that fd.
    int openForWriting(Path file) {
      int fd = Fd.open(file, Fd.O_WRONLY);
      childEnds.add(fd);
      return fd;
    }

    // A pipe the child writes to; returns the child's end.
    int pipeForWriting() {
      last = Fd.Pipe.open();
      childEnds.add(last.writeFd());
      engineEnds.add(last.readFd());
      return last.writeFd();
    }

    void closeChildEnds() {
      childEnds.forEach(Fd::close);
      childEnds.clear();
    }

    // The session owns the engine's ends from now on, except the gate's (the first), which is done with.
    void handOver() {
      Fd.close(engineEnds.getFirst());
      engineEnds.clear();
    }

    void closeAll() {
      closeChildEnds();
      engineEnds.forEach(Fd::close);
      engineEnds.clear();
    }
  }
}
