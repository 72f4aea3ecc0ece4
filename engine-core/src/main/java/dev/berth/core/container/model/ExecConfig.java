package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;

/**
 * What {@code docker exec} asked to run. Empty user and working directory mean the container's.
 *
 * @param consoleHeight initial TTY rows, 0 when unknown
 */
public record ExecConfig(
    List<String> cmd,
    List<String> env,
    String user,
    String workingDir,
    boolean tty,
    boolean privileged,
    boolean attachStdin,
    boolean attachStdout,
    boolean attachStderr,
    DetachKeys detachKeys,
    int consoleHeight,
    int consoleWidth) {

  public ExecConfig {
    if (cmd == null || cmd.isEmpty()) {
      throw new InvalidArgumentException("No exec command specified");
    }
    cmd = List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    user = user == null ? "" : user;
    workingDir = workingDir == null ? "" : workingDir;
    detachKeys = detachKeys == null ? DetachKeys.DEFAULT : detachKeys;
  }
}
