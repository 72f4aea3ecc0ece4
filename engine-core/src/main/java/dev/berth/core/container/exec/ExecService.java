package dev.berth.core.container.exec;

import dev.berth.core.container.attach.StdioSession;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.fs.ExecUser;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.ExecConfig;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.logs.StdStream;
import dev.berth.core.runtime.AttachChannel;
import dev.berth.core.runtime.ContainerRuntime;
import dev.berth.core.runtime.ExecSession;
import dev.berth.core.runtime.ExecSpec;
import dev.berth.core.runtime.ProcessSpec;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code docker exec}: instances are made, started once, and kept for inspection until their
 * container stops. They live in memory, as in dockerd.
 */
public final class ExecService {

  private static final System.Logger LOG = System.getLogger(ExecService.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long RESIZE_WAIT_MILLIS = 10_000;

  private final ContainerLookup containers;
  private final ContainerRuntime runtime;
  private final ContainerRootfs rootfs;
  private final ContainerEvents events;
  private final java.util.function.Function<Container, List<String>> linkEnv;
  private final Map<String, ExecInstance> instances = new ConcurrentHashMap<>();

  /** An exec service for containers without legacy links. */
  public ExecService(ContainerLookup containers, ContainerRuntime runtime, ContainerRootfs rootfs, ContainerEvents events) {
    this(containers, runtime, rootfs, events, c -> List.of());
  }

  /**
   * @param linkEnv a container's legacy-link variables as its processes get them ({@code --link}),
   *     worked out at each exec as dockerd does (a linked container that stopped fails the exec)
   */
  public ExecService(ContainerLookup containers, ContainerRuntime runtime, ContainerRootfs rootfs, ContainerEvents events,
      java.util.function.Function<Container, List<String>> linkEnv) {
    this.containers = containers;
    this.runtime = runtime;
    this.rootfs = rootfs;
    this.events = events;
    this.linkEnv = linkEnv;
  }

  /**
   * Makes an exec instance in a running container.
   *
   * @throws NotFoundException for an unknown container
   * @throws ConflictException if it is not running or is paused, with dockerd's words
   */
  public ExecInstance create(String containerRef, ExecConfig config) {
    Container c = containers.find(containerRef);
    requireRunning(c);
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    var instance = new ExecInstance(HexFormat.of().formatHex(b), c.id(), config);
    instances.put(instance.id(), instance);
    events.emit(c, "exec_create: " + action(config), java.util.Map.of("execID", instance.id()));
    return instance;
  }

  /** @throws NotFoundException {@code No such exec instance: <id>} */
  public ExecInstance find(String id) {
    ExecInstance e = instances.get(id);
    if (e == null) {
      throw new NotFoundException("No such exec instance: " + id);
    }
    return e;
  }

  /** The exec instances of a container, as inspect's ExecIDs lists them. */
  public List<String> idsOf(ContainerId id) {
    return instances.values().stream().filter(e -> e.containerId().equals(id)).map(ExecInstance::id).sorted().toList();
  }

  /**
   * The checks of a start and the claim on the instance, without starting anything yet: the
   * caller answers the client first (a hijacked exec start), then calls {@link #launch}.
   *
   * @throws NotFoundException for an unknown instance
   * @throws ConflictException if its container is not running or it has started already
   */
  public Claimed claim(String id) {
    ExecInstance e = find(id);
    Container c = containers.get(e.containerId())
        .orElseThrow(() -> new ConflictException("container " + e.containerId().hex() + " is not running"));
    requireRunning(c);
    e.claim();
    return new Claimed(e, c);
  }

  /** An instance claimed for a start, with its container as the checks found it. */
  public record Claimed(ExecInstance instance, Container container) {}

  /**
   * How a start wants its exec run.
   *
   * @param rawStream whether the client asked for a raw stream (the start's {@code Tty}): dockerd
   *     frames the output by this, not by whether the process has a TTY, and without it drops
   *     stderr of a process without one
   * @param consoleHeight the TTY's rows; with {@code consoleWidth}, both 0 for the kernel's default
   */
  public record StartOptions(boolean detach, boolean rawStream, int consoleHeight, int consoleWidth) {}

  /**
   * Runs a claimed instance. Attached, the returned session carries its stdio and ends after its
   * exit code is recorded; one that cannot start carries only why, as dockerd writes it into the
   * stream, with the exit code the CLI then reads. Detached ({@code docker exec -d}) it returns
   * null and the exit code is recorded when the process ends.
   */
  public StdioSession launch(Claimed claimed, StartOptions options) {
    ExecInstance e = claimed.instance();
    Container c = claimed.container();
    ExecSession session;
    // As dockerd: exec_start goes out before the process starts, whether it then starts or not.
    events.emit(c, "exec_start: " + action(e.config()), java.util.Map.of("execID", e.id()));
    try {
      session = runtime.exec(c.id(), new ExecSpec(e.id(), process(c, e.config(), options.consoleHeight(),
          options.consoleWidth()), e.config().privileged(), !options.detach()));
    } catch (RuntimeException ex) {
      // As dockerd (moby setExitCodeFromError): the runtime's refusal, with containerd's ": unknown",
      // records 126, 127 or 128; any other failure to start records 126.
      String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
      RuntimeException failure = ex;
      if (ex instanceof StartRefusedException refused) {
        m = "OCI runtime exec failed: " + m + ": unknown" + refused.daemonNote();
        failure = new StartRefusedException(m, refused.exitCode());
      }
      e.failed(ex instanceof StartRefusedException refused ? refused.exitCode() : 126);
      if (options.detach()) {
        throw failure;
      }
      return new FailedExec(options.rawStream(), m + "\r\n");
    }
    e.started(session);
    Thread.ofVirtual().name("exec-" + e.id().substring(0, 12)).start(() -> {
      record(e, session);
      events.emit(c, "exec_die", java.util.Map.of("execID", e.id(), "exitCode",
          Integer.toString(e.exitCode().orElse(-1))));
    });
    return options.detach() ? null : new ExecStream(e, session, options.rawStream(),
        () -> events.emit(c, "exec_detach", java.util.Map.of("execID", e.id())));
  }

  /**
   * Resizes an exec's TTY; an exec without one has nothing to resize. As dockerd, a resize that
   * comes before the process has started (the CLI resizes as soon as its start request is sent)
   * waits for it, up to 10 s.
   *
   * @throws NotFoundException for an unknown instance
   * @throws ConflictException if its container is not running, or the process has ended
   * @throws dev.berth.core.error.InvalidArgumentException {@code exec process is not started} if its start failed
   * @throws dev.berth.core.error.InternalException {@code timeout waiting for exec session ready}
   */
  public void resize(String id, int height, int width) throws InterruptedException {
    ExecInstance e = find(id);
    Container c = containers.get(e.containerId())
        .orElseThrow(() -> new NotFoundException("No such container: " + id));
    requireRunning(c);
    ExecSession s = e.awaitStart(RESIZE_WAIT_MILLIS).orElseThrow(
        () -> new dev.berth.core.error.InvalidArgumentException("exec process is not started"));
    if (e.config().tty()) {
      s.resize(height, width);
    }
  }

  /** How a process run by {@link #run} ended; a timed-out one was killed. */
  public record Result(int exitCode, String output, boolean timedOut) {}

  /**
   * Runs {@code config} in a container to its end and returns its exit code and (for healthchecks)
   * its output, at most {@code maxOutput} bytes; kills it after {@code timeoutMillis}.
   */
  public Result run(Container c, ExecConfig config, long timeoutMillis, int maxOutput) throws InterruptedException {
    requireRunning(c);
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    try (ExecSession s = runtime.exec(c.id(), new ExecSpec(id, process(c, config, 0, 0), false, true))) {
      var out = new java.io.ByteArrayOutputStream();
      Thread reader = Thread.ofVirtual().start(() -> {
        try {
          AttachChannel ch = s.channel().orElseThrow();
          AttachChannel.Chunk chunk;
          while ((chunk = ch.read()) != null) {
            synchronized (out) {
              int room = maxOutput - out.size();
              if (room > 0) {
                out.write(chunk.data(), 0, Math.min(room, chunk.data().length));
              }
            }
          }
        } catch (IOException e) {
          // the session ended under us
        }
      });
      reader.join(timeoutMillis);
      if (reader.isAlive()) {
        s.close();
        reader.join();
        return new Result(-1, "", true);
      }
      synchronized (out) {
        return new Result(s.awaitExit(), out.toString(java.nio.charset.StandardCharsets.UTF_8), false);
      }
    }
  }

  /** Forgets the exec instances of a container that stopped or went away. */
  public void containerStopped(ContainerId id) {
    instances.values().removeIf(e -> e.containerId().equals(id));
  }

  private ProcessSpec process(Container c, ExecConfig e, int height, int width) {
    ContainerConfig cc = c.config();
    var root = rootfs.merged(c.id());
    ExecUser user = ExecUser.resolve(root, e.user().isEmpty() ? cc.user() : e.user());
    var merged = new java.util.ArrayList<>(cc.env());
    merged.addAll(e.env());
    var envConfig = new ContainerConfig(cc.image(), cc.entrypoint(), cc.cmd(), merged, cc.workingDir(), cc.user(),
        cc.hostname(), cc.domainname(), cc.labels(), e.tty(), cc.openStdin(), cc.stdinOnce(), cc.attachStdin(),
        cc.attachStdout(), cc.attachStderr(), cc.stopSignal(), cc.stopTimeout(), cc.exposedPorts(), cc.volumes(),
        cc.healthcheck(), cc.onBuild(), cc.shell(), cc.argsEscaped());
    String cwd = !e.workingDir().isEmpty() ? e.workingDir() : cc.workingDir().isEmpty() ? "/" : cc.workingDir();
    // moby getUser: an exec process gets the container's GroupAdd too.
    var groups = new java.util.LinkedHashSet<Integer>(user.additionalGids());
    groups.addAll(ExecUser.additionalGroups(root, c.hostConfig().process().groupAdd()));
    return new ProcessSpec(e.cmd(), ProcessEnvironment.of(envConfig, user, linkEnv.apply(c)), cwd, user.uid(), user.gid(),
        List.copyOf(groups), e.tty(), e.attachStdin(), true, height, width);
  }

  // dockerd's words: the entrypoint, a space, the arguments (so "echo " for an echo without any).
  private static String action(ExecConfig config) {
    return config.cmd().getFirst() + " " + String.join(" ", config.cmd().subList(1, config.cmd().size()));
  }

  private static void requireRunning(Container c) {
    switch (c.state()) {
      case ContainerState.Paused p ->
          throw new ConflictException("container " + c.id().hex() + " is paused, unpause the container before exec");
      case ContainerState.Running r -> { }
      default -> throw new ConflictException("container " + c.id().hex() + " is not running");
    }
  }

  private static void record(ExecInstance e, ExecSession s) {
    try {
      e.exited(s.awaitExit());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ex) {
      LOG.log(System.Logger.Level.WARNING, "exec " + e.id() + " ended without an exit code: " + ex.getMessage());
      e.exited(-1);
    }
  }

  /** An exec that never started: its stream carries only why, as dockerd's does (on stdout). */
  private record FailedExec(boolean tty, String message) implements StdioSession {
    @Override
    public void copyOutput(OutputSink sink) throws IOException {
      byte[] b = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      sink.write(StdStream.STDOUT, b, 0, b.length);
    }

    @Override
    public InputEnd copyInput(InputStream in) {
      return InputEnd.CLOSED;
    }

    @Override
    public void close() {
      // nothing was started
    }
  }

  /**
   * An attached exec's stdio, ending once its exit code is known, or when the client detaches.
   * {@link #tty()} is the start's {@code Tty} (how the stream is framed); what the process has
   * is its config's.
   */
  private static final class ExecStream implements StdioSession {
    private final ExecInstance exec;
    private final ExecSession session;
    private final boolean rawStream;
    private final Runnable onDetach;

    ExecStream(ExecInstance exec, ExecSession session, boolean rawStream, Runnable onDetach) {
      this.exec = exec;
      this.session = session;
      this.rawStream = rawStream;
      this.onDetach = onDetach;
    }

    @Override
    public boolean tty() {
      return rawStream;
    }

    @Override
    public void copyOutput(OutputSink sink) throws IOException, InterruptedException {
      AttachChannel ch = session.channel().orElseThrow();
      boolean terminal = exec.config().tty();
      AttachChannel.Chunk chunk;
      while ((chunk = ch.read()) != null) {
        // dockerd hands a raw-stream start no stderr writer: a process without a TTY loses its stderr.
        boolean wanted = terminal || (chunk.stream() == StdStream.STDOUT ? exec.config().attachStdout()
            : exec.config().attachStderr() && !rawStream);
        if (wanted) {
          sink.write(chunk.stream(), chunk.data(), 0, chunk.data().length);
        }
      }
      // The runtime ends the stream only once the exit code is known: record it before the client
      // sees the end.
      session.exitCode().ifPresent(exec::exited);
    }

    /**
     * As dockerd: the detach keys (ctrl-p,ctrl-q unless the exec was made with others) end the
     * client's attachment to an exec with a TTY; without one, input is copied as it is.
     */
    @Override
    public InputEnd copyInput(InputStream in) throws IOException {
      if (!exec.config().attachStdin()) {
        return InputEnd.CLOSED;
      }
      byte[] buf = new byte[32 * 1024];
      InputEnd end = StdioSession.pumpInput(in, buf, in.read(buf), exec.config().tty() ? exec.config().detachKeys()
          : null, session.channel().orElseThrow());
      if (end == InputEnd.DETACHED) {
        onDetach.run();
      }
      return end;
    }

    /** Disconnects the client; the exec goes on until it exits. */
    @Override
    public void close() {
      try {
        session.channel().orElseThrow().close();
      } catch (IOException e) {
        // already disconnected
      }
    }
  }
}
