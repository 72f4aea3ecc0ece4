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
import java.util.HashMap;
import java.util.Map;

/** A container's logged output, read back (and followed while it runs). */
public final class LogService {

  // A follow notices its container's end within ContainerLogs' idle poll (100 ms) and then drains the file.
  private static final long FOLLOWERS_WAIT_MILLIS = 10_000;

  private final ContainerLookup containers;
  private final ContainerRootfs rootfs;
  // Guarded by itself: the open follows of each container, counted.
  private final Map<ContainerId, Integer> follows = new HashMap<>();

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

  /**
   * Counts a client following {@code c}'s log until the returned handle is closed, which its
   * handler does once the client's stream has ended; {@link #awaitFollowsEnded} waits for them.
   */
  public Follow follow(Container c) {
    ContainerId id = c.id();
    synchronized (follows) {
      follows.merge(id, 1, Integer::sum);
    }
    return () -> {
      synchronized (follows) {
        follows.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
        follows.notifyAll();
      }
    };
  }

  /** A counted follow; closing it twice is a bug. */
  @FunctionalInterface
  public interface Follow extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits (up to 10 s) until no client follows the log of {@code id}, which has stopped or is
   * gone, so its follows are draining. dockerd ends them before {@code DELETE} answers.
   */
  public void awaitFollowsEnded(ContainerId id) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(FOLLOWERS_WAIT_MILLIS);
    synchronized (follows) {
      while (follows.containsKey(id)) {
        long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return;
        }
        follows.wait(left);
      }
    }
  }

  /** Sends the selected records to {@code sink}; with follow, until the container stops. */
  public void read(Container c, LogQuery query, LogSink sink) throws IOException {
    ContainerId id = c.id();
    ContainerLogs.read(rootfs.logPath(id), query,
        () -> containers.get(id).map(x -> x.state().isRunning()).orElse(false), sink);
  }
}
