package dev.berth.core.runtime;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.model.ContainerId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * conmon's command line (flags as conmon 2.1.6 {@code --help} lists them). An exec session
 * differs in {@code -e --exec-process-spec}, its own bundle (ctl fifo, attach socket), exit dir and
 * attach id, and in having no log.
 */
final class ConmonArgs {

  private ConmonArgs() {}

  /**
   * Arguments (without the program) that create the container {@code spec.id()} from its bundle.
   *
   * @param cgroup2 the container's directory in the cgroup2 tree, for a runtime that does not see
   *     that tree ({@link OciRuntime#createArgs}); empty for one that places the container itself
   */
  static List<String> forContainer(EnginePaths paths, OciRuntime runtime, Optional<Path> cgroup2, String logLevel,
      RunSpec spec) {
    String id = spec.id().hex();
    var bundle = paths.bundle(id);
    var args = new ArrayList<>(List.of(
        "--api-version", "1",
        "-c", id,
        // The attach socket lives at <socket-dir>/<-u>/attach: keep -u short and unique.
        "-u", id,
        "-n", id,
        "-r", runtime.program().toString(),
        "-b", bundle.toString(),
        "-p", bundle.resolve(ConmonRuntime.PIDFILE).toString(),
        "-P", bundle.resolve(ConmonRuntime.CONMON_PIDFILE).toString(),
        // berthd converts the spool to the container's log driver; conmon never waits for berthd.
        "-l", spec.logPath() == null ? "none" : "k8s-file:" + spec.logPath().toAbsolutePath(),
        "--exit-dir", paths.exits().toString(),
        "--persist-dir", paths.persist(id).toString(),
        "--socket-dir-path", paths.sockets().toString(),
        "--log-level", logLevel));
    for (String arg : cgroup2.map(dir -> runtime.createArgs(paths.runtimeState(), dir))
        .orElseGet(() -> runtime.globalArgs(paths.runtimeState()))) {
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
}
