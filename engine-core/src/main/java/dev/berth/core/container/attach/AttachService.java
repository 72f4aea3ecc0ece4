package dev.berth.core.container.attach;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLocks;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.error.ConflictException;
import dev.berth.core.logs.LogQuery;
import dev.berth.core.runtime.ContainerRuntime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Attaching clients to containers' stdio, live. */
public final class AttachService {

  private static final System.Logger LOG = System.getLogger(AttachService.class.getName());
  // What dockerd (20.10 to 29) writes on an attach with logs=1 to a container whose driver is none.
  static final String NO_NONE_DRIVER = "Error attaching: failed to get logging factory: logger: no log driver named "
      + "'none' is registered: error looking up logging plugin none: plugin \"none\" not found\n";

  private final ContainerLookup containers;
  private final ContainerRuntime runtime;
  private final ContainerLocks locks;
  private final LogService logs;
  private final ContainerEvents events;
  private final Map<ContainerId, Set<AttachSession>> pending = new ConcurrentHashMap<>();

  public AttachService(ContainerLookup containers, ContainerRuntime runtime, ContainerLocks locks, LogService logs,
      ContainerEvents events) {
    this.containers = containers;
    this.runtime = runtime;
    this.locks = locks;
    this.logs = logs;
    this.events = events;
  }

  /**
   * Opens a session. A running container is connected at once; any other waits for its next start
   * (that is how {@code docker run} and {@code docker start -a} see the first output).
   *
   * @throws dev.berth.core.error.NotFoundException for an unknown container
   */
  public AttachSession open(String ref, AttachOptions options) {
    Container found = containers.find(ref);
    ContainerId id = found.id();
    return locks.with(id, () -> {
      Container c = containers.get(id).orElseThrow(() -> new ConflictException("container " + id + " was removed"));
      if (options.logs() && !logs.readable(c)) {
        // dockerd looks "none" up as a logging plugin, finds none, says so on the stream and
        // attaches no further (no attach event either).
        var failed = AttachSession.failed(c, options, NO_NONE_DRIVER, this::forget);
        failed.end();
        return failed;
      }
      AttachSession.Replay replay = sink -> logs.read(c, new LogQuery(options.stdout(), options.stderr(), -1, null,
          null, false), e -> sink.write(e.stream(), e.data(), 0, e.data().length));
      // As dockerd, a client that types the detach keys leaves a "detach" event.
      var session = new AttachSession(c, options, replay, this::forget, () -> events.emit(c, "detach"));
      events.emit(c, "attach");
      if (!options.stream()) {
        session.end();
      } else if (c.state().isRunning()) {
        connect(session, id);
      } else {
        pending.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(session);
      }
      return session;
    });
  }

  /**
   * Sets the TTY size of a running container. A container without a TTY has nothing to resize;
   * as with dockerd, that is not an error.
   *
   * @throws ConflictException if it is not running
   */
  public void resize(String ref, int height, int width) {
    Container c = containers.find(ref);
    if (!c.state().isRunning()) {
      throw new ConflictException("container " + c.id().hex() + " is not running");
    }
    if (c.config().tty()) {
      runtime.resize(c.id(), height, width);
    }
  }

  /** The container runs (recorded so): its output is converted into its log driver's files from now on. */
  public void outputStarted(Container c) {
    try {
      logs.pump(c);
    } catch (RuntimeException e) {
      // conmon keeps spooling; the next engine start converts it.
      LOG.log(System.Logger.Level.WARNING, "converting the log of " + c.id().shortId() + ": " + e.getMessage());
    }
  }

  /** The container stopped: its output is in its log driver's files before this returns (5 s at most). */
  public void outputEnded(Container c) {
    logs.awaitConverted(c);
  }

  /**
   * After the engine starts: a running container's output is converted again, and what a stopped
   * one wrote while the engine was down is converted; a failure is logged, never thrown.
   */
  public void recoverOutput(Container c) {
    try {
      logs.recover(c);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "recovering the log of " + c.id().shortId() + ": " + e.getMessage());
    }
  }

  /** Connects sessions waiting for {@code id}; called by its start, before the process runs. */
  public void connectPending(ContainerId id) {
    Set<AttachSession> waiting = pending.remove(id);
    if (waiting != null) {
      waiting.forEach(s -> connect(s, id));
    }
  }

  /** Ends sessions waiting for a container that will never start again. */
  public void containerRemoved(ContainerId id) {
    Set<AttachSession> waiting = pending.remove(id);
    if (waiting != null) {
      waiting.forEach(AttachSession::end);
    }
  }

  /**
   * Waits until the log follows of a removed container have ended (bounded), as dockerd's
   * {@code DELETE} answers only after them.
   */
  public void awaitLogFollowsEnded(ContainerId id) {
    try {
      logs.awaitFollowsEnded(id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void connect(AttachSession session, ContainerId id) {
    try {
      session.connect(runtime.attach(id, session.options().stdin()));
    } catch (RuntimeException e) {
      // The container ended between our check and the connect: there is no live output.
      session.end();
    }
  }

  private void forget(AttachSession session) {
    pending.computeIfPresent(session.container().id(), (k, set) -> {
      set.remove(session);
      return set.isEmpty() ? null : set;
    });
  }
}
