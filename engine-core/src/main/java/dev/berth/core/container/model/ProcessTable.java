package dev.berth.core.container.model;

import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * {@code docker top}: the host's {@code ps} with the client's arguments, keeping only the rows of
 * the container's processes, as dockerd does.
 */
public record ProcessTable(List<String> titles, List<List<String>> processes) {

  public ProcessTable {
    titles = List.copyOf(titles);
    processes = List.copyOf(processes);
  }

  /** Runs {@code ps psArgs} (default {@code -ef}) and keeps the rows whose PID is in {@code pids}. */
  public static ProcessTable of(Collection<Integer> pids, String psArgs) {
    String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
    var cmd = new ArrayList<String>(List.of("ps"));
    cmd.addAll(Arrays.asList(args.trim().split("\\s+")));
    String out;
    try {
      var run = Processes.capture(cmd);
      out = new String(run.stdout(), StandardCharsets.UTF_8);
      if (run.exit() != 0) {
        throw new InternalException("ps: " + run.said().strip());
      }
    } catch (IOException | ErrnoException e) {
      throw new InternalException("running ps: " + e.getMessage(), e);
    }
    return parse(out, pids);
  }

  /** Splits ps output into columns; the last column (the command) keeps its spaces. */
  static ProcessTable parse(String output, Collection<Integer> pids) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new InternalException("ps printed nothing");
    }
    List<String> titles = List.of(lines.getFirst().trim().split("\\s+"));
    int pidColumn = titles.indexOf("PID");
    if (pidColumn < 0) {
      throw new InvalidArgumentException("Couldn't find PID field in ps output");
    }
    var rows = new ArrayList<List<String>>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.trim().split("\\s+", titles.size());
      if (fields.length <= pidColumn) {
        continue;
      }
      try {
        if (pids.contains(Integer.parseInt(fields[pidColumn]))) {
          rows.add(List.of(fields));
        }
      } catch (NumberFormatException e) {
        throw new InternalException("unexpected pid '" + fields[pidColumn] + "' in ps output");
      }
    }
    return new ProcessTable(titles, rows);
  }
}
