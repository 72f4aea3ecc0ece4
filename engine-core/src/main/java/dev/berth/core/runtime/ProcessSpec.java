package dev.berth.core.runtime;

import java.util.List;

/**
 * The process a container runs, resolved: numeric user, absolute working directory.
 *
 * @param stdin whether the process gets a stdin that attach clients write to
 * @param stdinOnce close the process's stdin when the last attached client detaches
 * @param consoleHeight initial TTY rows (0: leave it to a later resize)
 */
public record ProcessSpec(
    List<String> args,
    List<String> env,
    String cwd,
    int uid,
    int gid,
    List<Integer> additionalGids,
    boolean terminal,
    boolean stdin,
    boolean stdinOnce,
    int consoleHeight,
    int consoleWidth) {

  public ProcessSpec {
    args = List.copyOf(args);
    env = List.copyOf(env);
    additionalGids = List.copyOf(additionalGids);
  }

  /** The same process with other arguments (e.g. behind an init). */
  public ProcessSpec withArgs(List<String> newArgs) {
    return new ProcessSpec(newArgs, env, cwd, uid, gid, additionalGids, terminal, stdin, stdinOnce, consoleHeight,
        consoleWidth);
  }
}
