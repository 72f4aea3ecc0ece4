package dev.berth.server.container;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** Wire shapes of the exec endpoints; field names are the spec's. */
final class ExecJson {

  private ExecJson() {}

  /** Cmd and Env are plain lists in Go (not Docker's strslice): a lone string is a 400, as from dockerd. */
  record Create(
      boolean AttachStdin,
      boolean AttachStdout,
      boolean AttachStderr,
      List<Integer> ConsoleSize,
      String DetachKeys,
      boolean Tty,
      @JsonFormat(without = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> Env,
      @JsonFormat(without = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> Cmd,
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
