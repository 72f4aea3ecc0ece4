package dev.berth.core.runtime;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.ContainerId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * conmon's command line (flags as conmon 2.1.6 {@code --help} lists them). An exec session
 * differs in {@code -e --exec-process-spec}, its own bundle (ctl fifo, attach socket), exit dir and
 * attach id, and in having no log.
 */
final class ConmonArgs {

  private ConmonArgs() {}

  /** Arguments (without the program) that create the container {@code spec.id()} from its bundle. */
  static List<String> forContainer(EnginePaths paths, OciRuntime runtime, String logLevel, RunSpec spec) {
    String id = spec.id().hex();
    var bundle = paths.bundle(id);
    var args = new ArrayList<>(List.of(
        "--api-version", "1",
        "-c", id,
        // The attach socket lives at <socket-dir>/<-u>/attach: keep -u short and unique.
        "-u", id,
        "-n", id,
        "-r", runtime.binary().toString(),
        "-b", bundle.toString(),
        "-p", bundle.resolve(ConmonRuntime.PIDFILE).toString(),
        "-P", bundle.resolve(ConmonRuntime.CONMON_PIDFILE).toString(),
        "-l", "k8s-file:" + spec.logPath().toAbsolutePath(),
        "--exit-dir", paths.exits().toString(),
        "--persist-dir", paths.persist(id).toString(),
        "--socket-dir-path", paths.sockets().toString(),
        "--log-level", logLevel));
    for (String arg : runtime.globalArgs(paths.runtimeState())) {
      args.add("--runtime-arg");
      args.add(arg);
    }
    ProcessSpec process = spec.process();
    if (process.terminal()) {
      // With a TTY, conmon always forwards attach input to the terminal; -i would make a detach close it.
      args.add("-t");
    } else if (process.stdin()) {
      args.add("-i");
      if (!process.stdinOnce()) {
        args.add("--leave-stdin-open");
      }
    }
    return args;
  }

  /**
   * Arguments that run {@code spec}'s process in the running container {@code id}. {@code dir} is
   * the session's own directory: conmon's bundle (ctl fifo, attach socket), the runtime's pid file,
   * conmon's pid file, the process spec and the exit directory, where conmon names the exit file
   * after the container, which is why every session needs its own.
   */
  static List<String> forExec(EnginePaths paths, OciRuntime runtime, String logLevel, ContainerId id, ExecSpec spec,
      ExecFiles dir) {
    String hex = id.hex();
    var args = new ArrayList<>(List.of(
        "--api-version", "1",
        "-c", hex,
        "-u", spec.execId(),
        "-n", hex,
        "-r", runtime.binary().toString(),
        "-b", dir.root().toString(),
        "-p", dir.pidFile().toString(),
        "-P", dir.conmonPidFile().toString(),
        // Docker keeps exec output out of the container's log; attached clients still get it.
        "-l", "none",
        "--exit-dir", dir.exitDir().toString(),
        "--socket-dir-path", paths.sockets().toString(),
        // conmon's debug lines of an attached exec land in the exec's own stderr stream, where
        // the client would see them; an exec's monitor never logs below info.
        "--log-level", logLevel.equals("debug") || logLevel.equals("trace") ? "info" : logLevel));
    for (String arg : runtime.globalArgs(paths.runtimeState())) {
      args.add("--runtime-arg");
      args.add(arg);
    }
    args.add("-e");
    args.add("--exec-process-spec");
    args.add(dir.processSpec().toString());
    ProcessSpec process = spec.process();
    if (process.terminal()) {
      args.add("-t");
    } else if (process.stdin() && spec.attach()) {
      // Without --leave-stdin-open: the process's stdin closes when the client closes its input.
      args.add("-i");
    }
    if (spec.attach()) {
      args.add("--exec-attach");
    }
    return args;
  }

  /** The files of one exec session, all under {@code root}. */
  record ExecFiles(Path root) {
    Path processSpec() {
      return root.resolve("process.json");
    }

    Path pidFile() {
      return root.resolve(ConmonRuntime.PIDFILE);
    }

    Path conmonPidFile() {
      return root.resolve(ConmonRuntime.CONMON_PIDFILE);
    }

    Path exitDir() {
      return root.resolve("exit");
    }

    Path ctl() {
      return root.resolve("ctl");
    }
  }
}
