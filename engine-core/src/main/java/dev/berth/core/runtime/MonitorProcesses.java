package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.InternalException;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The conmon processes of one engine as the host shows them: found by their command lines (the
 * engine's exit directory and the container id after {@code -c}), not by the pid files the engine
 * writes after the spawn, which a crash of the engine can leave unwritten. With them their
 * descendants: the runtime still creating the container, its init waiting to be started.
 */
final class MonitorProcesses {

  private static final int SIGKILL = 9;
  private static final int EXIT_TIMEOUT_MILLIS = 10_000;
  private static final Path PROC = Path.of("/proc");

  /** One conmon, identified by pid and start time, and the container it monitors. */
  record Monitor(int pid, long startTime, ContainerId id) {}

  private MonitorProcesses() {}

  /** Every live conmon whose exit directory is {@code exitDir}. */
  static List<Monitor> of(Path exitDir) {
    var out = new ArrayList<Monitor>();
    for (int pid : pids()) {
      at(pid, exitDir).ifPresent(out::add);
    }
    return out;
  }

  /** The process {@code pid}, if it is a live conmon whose exit directory is {@code exitDir}. */
  static Optional<Monitor> at(int pid, Path exitDir) {
    List<String> argv = argv(pid);
    if (argv.isEmpty() || !argv.getFirst().endsWith("conmon") || !exitDir.toString().equals(after(argv, "--exit-dir"))) {
      return Optional.empty();
    }
    String id = after(argv, "-c");
    OptionalLong started = Processes.startTime(pid);
    if (id == null || !ContainerId.isHex64(id) || started.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Monitor(pid, started.getAsLong(), new ContainerId(id)));
  }

  /**
   * Kills a monitor and everything below it, the leaves first, and waits for it to be gone. conmon
   * is a subreaper, so an orphan of the runtime it ran comes back to it while it lives: children
   * are killed until none is left, then conmon.
   *
   * @return false if the monitor is still there after the timeout
   */
  static boolean kill(Monitor m) {
    for (int round = 0; round < 50 && Processes.startTime(m.pid()).orElse(-1) == m.startTime(); round++) {
      List<Integer> below = descendants(m.pid());
      if (below.isEmpty()) {
        break;
      }
      below.forEach(pid -> Processes.kill(pid, SIGKILL));
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Processes.signalIfSame(m.pid(), m.startTime(), SIGKILL);
    return Processes.awaitExit(m.pid(), m.startTime(), EXIT_TIMEOUT_MILLIS);
  }

  /** The live descendants of {@code root}, from /proc's parent links. */
  static List<Integer> descendants(int root) {
    Map<Integer, List<Integer>> children = new HashMap<>();
    for (int pid : pids()) {
      int parent = parent(pid);
      if (parent > 0) {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(pid);
      }
    }
    var out = new ArrayList<Integer>();
    var seen = new HashSet<Integer>();
    var todo = new ArrayList<>(children.getOrDefault(root, List.of()));
    while (!todo.isEmpty()) {
      int pid = todo.removeLast();
      if (seen.add(pid)) {
        out.add(pid);
        todo.addAll(children.getOrDefault(pid, List.of()));
      }
    }
    return out;
  }

  private static Set<Integer> pids() {
    var out = new HashSet<Integer>();
    try (Stream<Path> entries = Files.list(PROC)) {
      entries.map(p -> p.getFileName().toString()).filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
          .forEach(n -> out.add(Integer.parseInt(n)));
    } catch (IOException e) {
      throw new InternalException("cannot list /proc: " + e.getMessage(), e);
    }
    return out;
  }

  private static List<String> argv(int pid) {
    try {
      byte[] raw = Files.readAllBytes(PROC.resolve(Integer.toString(pid)).resolve("cmdline"));
      var out = new ArrayList<String>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  private static int parent(int pid) {
    try {
      String stat = Files.readString(PROC.resolve(Integer.toString(pid)).resolve("stat"));
      String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(after[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String after(List<String> argv, String flag) {
    int i = argv.indexOf(flag);
    return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : null;
  }
}
