package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.InvalidArgumentException;
import java.util.Objects;

/**
 * An extra process to run in a running container ({@code docker exec}).
 *
 * @param execId the exec instance's ID (64 lowercase hex digits, as Docker makes them)
 * @param process what to run, resolved; stdin reaches it only through an attached channel, and
 *     {@code stdinOnce} is implied (the process's stdin closes when the client closes its input)
 * @param privileged every capability the engine has instead of the container's own
 * @param attach connect an {@link AttachChannel} before the process starts; without one its output
 *     is discarded ({@code docker exec -d})
 */
public record ExecSpec(String execId, ProcessSpec process, boolean privileged, boolean attach) {

  public ExecSpec {
    if (!ContainerId.isHex64(execId)) {
      throw new InvalidArgumentException("invalid exec ID: " + execId);
    }
    Objects.requireNonNull(process, "process");
  }
}
