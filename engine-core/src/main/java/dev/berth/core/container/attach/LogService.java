package dev.berth.core.container.attach;

import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.logs.ContainerLogs;
import dev.berth.core.logs.LogQuery;
import dev.berth.core.logs.LogSink;
import java.io.IOException;

/** A container's logged output, read back (and followed while it runs). */
public final class LogService {

  private final ContainerLookup containers;
  private final ContainerRootfs rootfs;

  public LogService(ContainerLookup containers, ContainerRootfs rootfs) {
    this.containers = containers;
    this.rootfs = rootfs;
  }

  /** Resolves the container first, so a missing one is a 404 before any output. */
  public Container find(String ref, LogQuery query) {
    if (!query.stdout() && !query.stderr()) {
      throw new InvalidArgumentException("Bad parameters: you must choose at least one stream");
    }
    return containers.find(ref);
  }

  /** Sends the selected records to {@code sink}; with follow, until the container stops. */
  public void read(Container c, LogQuery query, LogSink sink) throws IOException {
    ContainerId id = c.id();
    ContainerLogs.read(rootfs.logPath(id), query,
        () -> containers.get(id).map(x -> x.state().isRunning()).orElse(false), sink);
  }
}
