package dev.berth.server.container;

import dev.berth.core.container.exec.ExecService;
import dev.berth.core.container.model.DetachKeys;
import dev.berth.core.container.model.ExecConfig;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.server.api.ApiVersion;
import dev.berth.server.stream.HijackedConnection;
import java.util.List;

/** Exec create and start bodies to the domain's terms, as dockerd's exec routes read them. */
final class ExecTranslator {

  private ExecTranslator() {}

  /**
   * An exec create body. ConsoleSize counts from API 1.42 (older versions ignore it, as dockerd);
   * detach keys that do not parse are refused with dockerd's words (its 500).
   */
  static ExecConfig config(ExecJson.Create body, ApiVersion version) {
    if (body == null) {
      throw new InvalidArgumentException("No exec command specified");
    }
    String keys = body.DetachKeys() == null ? "" : body.DetachKeys();
    DetachKeys detachKeys;
    try {
      detachKeys = keys.isEmpty() ? DetachKeys.DEFAULT : DetachKeys.parse(keys);
    } catch (InvalidArgumentException e) {
      throw new InternalException("Invalid escape keys (" + keys + ") provided");
    }
    List<Integer> size = version.atLeast(1, 42) ? body.ConsoleSize() : null;
    return new ExecConfig(body.Cmd(), body.Env(), body.User(), body.WorkingDir(), body.Tty(), body.Privileged(),
        body.AttachStdin(), body.AttachStdout(), body.AttachStderr(), detachKeys, size(size, 0), size(size, 1));
  }

  /**
   * An exec start body, as moby's postContainerExecStart reads it: the start's {@code Tty} decides
   * whether the stream is raw or multiplexed (whatever the exec was made with); its ConsoleSize
   * counts from API 1.42 and only with {@code Tty}, else the one from exec create applies.
   */
  static ExecService.StartOptions startOptions(ExecJson.Start body, ExecConfig config, ApiVersion version) {
    List<Integer> size = body.ConsoleSize() != null && body.Tty() && version.atLeast(1, 42) ? body.ConsoleSize() : null;
    if (size == null) {
      return new ExecService.StartOptions(body.Detach(), body.Tty(), config.consoleHeight(), config.consoleWidth());
    }
    return new ExecService.StartOptions(body.Detach(), body.Tty(), size(size, 0), size(size, 1));
  }

  /**
   * The media type of a start's head: multiplexed for a framed stream from API 1.42 after an
   * upgrade; dockerd's plain 200 (no upgrade) always names the raw stream.
   */
  static String mediaType(ExecService.StartOptions options, boolean upgrade, ApiVersion version) {
    return upgrade && ContainerTranslator.multiplexedMediaType(options.rawStream(), version)
        ? HijackedConnection.MULTIPLEXED : HijackedConnection.RAW;
  }

  private static int size(List<Integer> consoleSize, int index) {
    return consoleSize != null && consoleSize.size() == 2 && consoleSize.get(index) != null ? consoleSize.get(index) : 0;
  }
}
