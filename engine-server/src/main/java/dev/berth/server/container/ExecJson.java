package dev.berth.server.container;

import java.util.List;

/** Wire shapes of the exec endpoints; field names are the spec's. */
final class ExecJson {

  private ExecJson() {}

  record Create(
      boolean AttachStdin,
      boolean AttachStdout,
      boolean AttachStderr,
      List<Integer> ConsoleSize,
      String DetachKeys,
      boolean Tty,
      List<String> Env,
      List<String> Cmd,
      boolean Privileged,
      String User,
      String WorkingDir) {}

  record Start(boolean Detach, boolean Tty, List<Integer> ConsoleSize) {}

  record IdResponse(String Id) {}

  record ProcessConfig(boolean privileged, String user, boolean tty, String entrypoint, List<String> arguments) {}

  record Inspect(
      boolean CanRemove,
      String ContainerID,
      String DetachKeys,
      Integer ExitCode,
      String ID,
      boolean OpenStderr,
      boolean OpenStdin,
      boolean OpenStdout,
      ProcessConfig ProcessConfig,
      boolean Running,
      int Pid) {}
}
