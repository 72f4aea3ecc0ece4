package dev.berth.core.runtime;

import dev.berth.core.error.InternalException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.os.ContainerSpawn;
import dev.berth.core.os.ContainerSpawn.Confinement;
import dev.berth.core.os.ContainerSpawn.Credentials;
import dev.berth.core.os.ContainerSpawn.Pipes;
import dev.berth.core.os.ContainerSpawn.SpawnException;
import dev.berth.core.os.ContainerSpawn.Terminal;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.Processes;
import dev.berth.core.os.SealedCopy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts exec processes from the engine itself instead of through conmon and {@code runc exec}.
 * runc is a Go program that re-executes itself to enter the container: 20–35 ms a process on
 * this kind of host, most of an exec's latency. Here the engine runs {@code berth-enter}, a small
 * static program built with engine-core (src/main/c), which enters the container and starts the
 * process with the guarantees runc gives (see {@link ContainerSpawn}). The process is the
 * engine's child: it needs no monitor, and nothing is left once it exits.
 */
final class NamespaceExec {

  private static final String HELPER = "berth-enter";
  private static final String START_FAILED = "exec failed: unable to start container process: ";
  private static final int SIGKILL = 9;
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int ENOTDIR = 20;
  private static final int EISDIR = 21;
  private static final String NOT_DIRECTORY_HINT = ": Are you trying to mount a directory onto a file (or vice-versa)? "
      + "Check if the specified host path exists and is the expected type";
  // linux/resource.h (the same on x86-64 and arm64).
  static final Map<String, Integer> RLIMIT_NUMBERS = Map.ofEntries(Map.entry("RLIMIT_CPU", 0),
      Map.entry("RLIMIT_FSIZE", 1), Map.entry("RLIMIT_DATA", 2), Map.entry("RLIMIT_STACK", 3),
      Map.entry("RLIMIT_CORE", 4), Map.entry("RLIMIT_RSS", 5), Map.entry("RLIMIT_NPROC", 6),
      Map.entry("RLIMIT_NOFILE", 7), Map.entry("RLIMIT_MEMLOCK", 8), Map.entry("RLIMIT_AS", 9),
      Map.entry("RLIMIT_LOCKS", 10), Map.entry("RLIMIT_SIGPENDING", 11), Map.entry("RLIMIT_MSGQUEUE", 12),
      Map.entry("RLIMIT_NICE", 13), Map.entry("RLIMIT_RTPRIO", 14), Map.entry("RLIMIT_RTTIME", 15));

  private final SealedCopy helper;
  private final List<ContainerSpawn.Limit> limits;

  private NamespaceExec(SealedCopy helper, HostLimits host) {
    this.helper = helper;
    this.limits = DockerDefaults.RLIMITS.stream().map(l -> l.clampTo(host.hardLimit(l.type())))
        .map(l -> new ContainerSpawn.Limit(RLIMIT_NUMBERS.get(l.type()), l.soft(), l.hard())).toList();
  }

  /** Seals a copy of berth-enter, which engine-core carries as a resource. */
  static NamespaceExec create(HostLimits host) {
    try (InputStream in = NamespaceExec.class.getResourceAsStream(HELPER)) {
      if (in == null) {
        throw new InternalException("engine-core was built without " + HELPER + " (src/main/c needs gcc)");
      }
      return new NamespaceExec(SealedCopy.of(HELPER, in.readAllBytes()), host);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code spec} in the container whose init is {@code initPid}, joining its cgroups as
   * {@code joining} says.
   *
   * @param capabilities the mask the process keeps
   * @throws StartRefusedException in runc's words when the program or working directory is missing
   */
  ExecSession start(CgroupTree.Joining joining, int initPid, ExecSpec spec, long capabilities,
      Confinement confinement) {
    return start(joining, initPid, spec, capabilities, confinement, List.of());
  }

  /**
   * As {@link #start(CgroupTree.Joining, int, ExecSpec, long, Confinement)}, with the container's rlimits.
   *
   * @param rlimits the container's ({@code process.rlimits} of its config.json); empty for the defaults
   */
  ExecSession start(CgroupTree.Joining joining, int initPid, ExecSpec spec, long capabilities,
      Confinement confinement, List<DockerDefaults.Rlimit> rlimits) {
    List<ContainerSpawn.Limit> limits = rlimits.isEmpty() ? this.limits : rlimits.stream()
        .filter(l -> RLIMIT_NUMBERS.containsKey(l.type()))
        .map(l -> new ContainerSpawn.Limit(RLIMIT_NUMBERS.get(l.type()), l.soft(), l.hard())).toList();
    ProcessSpec p = spec.process();
    var fds = new Fds();
    try {
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
      ContainerSpawn.Spawned child = spawn(spec, new ContainerSpawn.Request(helper, initPid, joining.threadFiles(),
          joining.unified(), new Credentials(p.uid(), p.gid(), p.additionalGids(), capabilities), confinement, limits,
          p.cwd(), stdio, p.args(), p.env()));
      fds.closeChildEnds();
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
        Processes.kill(child.pid(), SIGKILL);
        Processes.waitFor(child.pid());
        Fd.close(child.terminalFd());
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
      throw refusal(e, request).orElseThrow(
          () -> new InternalException("cannot start exec " + spec.execId() + ": " + e.getMessage(), e));
    } catch (ErrnoException e) {
      throw new InternalException("cannot enter the container of exec " + spec.execId() + ": " + e.getMessage(), e);
    }
  }

  /**
   * runc's words for a process that cannot start through the caller's fault (its program or
   * working directory), as runc's setns init reports them (Go's exec.LookPath errors included),
   * with the exit code dockerd records for an exec start that fails so (moby
   * setExitCodeFromError, since 24.0): 126 for what cannot be run (permission denied, a
   * directory), 127 for what was not found (no such file, not a directory), 128 for the rest.
   */
  static Optional<StartRefusedException> refusal(SpawnException e, ContainerSpawn.Request request) {
    String name = request.argv().getFirst();
    String lookPath = START_FAILED + "exec: \"" + name + "\": ";
    String message = switch (e.step()) {
      case "chdir" -> START_FAILED + "chdir to cwd (\"" + request.cwd() + "\") set in config.json failed: " + e.reason();
      case "exec" -> START_FAILED + "exec " + e.detail() + ": " + e.reason();
      case "lookpath stat" -> lookPath + "stat " + name + ": " + e.reason();
      case "lookpath directory" -> lookPath + "is a directory";
      case "lookpath permission" -> lookPath + "permission denied";
      case "lookpath access" -> lookPath + e.reason();
      case "lookpath relative" -> lookPath + "cannot run executable found relative to current directory";
      case "lookpath not found" -> lookPath + "executable file not found in $PATH";
      default -> null;
    };
    if (message == null) {
      return Optional.empty();
    }
    boolean directory = e.step().equals("lookpath directory") || e.errno() == EISDIR;
    if (e.step().equals("lookpath permission") || e.errno() == EACCES) {
      return Optional.of(new StartRefusedException(message, 126));
    }
    if (directory) {
      // Go 1.20 says "is a directory" where it said "permission denied"; dockerd puts the old words back.
      return Optional.of(new StartRefusedException(message, 126, ": permission denied"));
    }
    if (e.errno() == ENOTDIR) {
      return Optional.of(new StartRefusedException(message, 127, NOT_DIRECTORY_HINT));
    }
    boolean notFound = e.step().equals("lookpath not found") || e.errno() == ENOENT;
    return Optional.of(new StartRefusedException(message, notFound ? 127 : 128));
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

    // The session owns the engine's ends from now on.
    void handOver() {
      engineEnds.clear();
    }

    void closeAll() {
      closeChildEnds();
      engineEnds.forEach(Fd::close);
      engineEnds.clear();
    }
  }
}
