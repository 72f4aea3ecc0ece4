package dev.berth.core.container.attach;

import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotImplementedException;
import dev.berth.core.logs.DriverLogs;
import dev.berth.core.logs.LogDriver;
import dev.berth.core.logs.LogQuery;
import dev.berth.core.logs.LogSettings;
import dev.berth.core.logs.LogTag;
import dev.berth.core.logs.LogSink;
import dev.berth.core.logs.LogTarget;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A container's logged output: conmon spools it, a pump writes it to the container's log driver
 * while it runs, and reads go through the driver's files (and what is not converted yet).
 */
public final class LogService {

  // A follow notices its container's end within ContainerLogs' idle poll (100 ms) and then drains the file.
  private static final long FOLLOWERS_WAIT_MILLIS = 10_000;

  private final ContainerLookup containers;
  private final ContainerRootfs rootfs;
  // Guarded by itself: the open follows of each container, counted.
  private final Map<ContainerId, Integer> follows = new HashMap<>();
  private final DriverLogs drivers = new DriverLogs();

  public LogService(ContainerLookup containers, ContainerRootfs rootfs) {
    this.containers = containers;
    this.rootfs = rootfs;
  }

  /**
   * Resolves the container first, so a missing one is a 404 before any output.
   *
   * @throws NotImplementedException dockerd's words for a container whose driver is none
   */
  public Container find(String ref, LogQuery query) {
    if (!query.stdout() && !query.stderr()) {
      throw new InvalidArgumentException("Bad parameters: you must choose at least one stream");
    }
    Container c = containers.find(ref);
    if (settings(c).driver() == LogDriver.NONE) {
      throw new NotImplementedException("configured logging driver does not support reading");
    }
    return c;
  }

  /** Whether the container's driver keeps a log to read back (every one but none). */
  public boolean readable(Container c) {
    return settings(c).driver() != LogDriver.NONE;
  }

  /** Where the container's log lives and how it is kept. */
  public LogTarget target(Container c) {
    LogSettings settings = settings(c);
    return new LogTarget(c.id().hex(), rootfs.dir(c.id()), settings,
        settings.attributes().of(c.config().labels() == null ? Map.of() : c.config().labels(),
            c.config().env() == null ? java.util.List.of() : c.config().env(),
            new LogTag.Subject(c.id().hex(), c.name().value(), c.config().argv(),
                c.imageId() == null ? "" : c.imageId().toString(),
                c.config().image())));
  }

  private static LogSettings settings(Container c) {
    try {
      return c.hostConfig().logConfig().settings();
    } catch (InvalidArgumentException e) {
      // Checked at create; a record that no longer passes (berth changed) cannot be logged as asked.
      throw new ConflictException("the log configuration of " + c.name().slashed() + " is no longer valid: "
          + e.getMessage());
    }
  }

  /**
   * Starts converting the container's output into its driver's files while it runs; call it once
   * the container is recorded as running, and for every container when the engine starts.
   */
  public void pump(Container c) {
    ContainerId id = c.id();
    drivers.pump(target(c), () -> containers.get(id).map(x -> x.state().isRunning()).orElse(false));
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

  /**
   * The container has stopped (recorded so): waits up to 5 s for its output to be in its driver's
   * files, as dockerd's exit waits for its log copier before it wakes waiters.
   */
  public void awaitConverted(Container c) {
    drivers.awaitConverted(c.id().hex(), 5_000);
  }

  /** After the engine starts: pumps a running container's output, and what a stopped one left unconverted. */
  public void recover(Container c) {
    ContainerId id = c.id();
    drivers.recover(target(c), () -> containers.get(id).map(x -> x.state().isRunning()).orElse(false));
  }

  /**
   * Sends the selected records to {@code sink}; with follow, until the container stops. A
   * container whose driver is none has nothing to send (attach's replay of its output).
   */
  public void read(Container c, LogQuery query, LogSink sink) throws IOException {
    ContainerId id = c.id();
    drivers.read(target(c), query, () -> containers.get(id).map(x -> x.state().isRunning()).orElse(false), sink);
  }
}
