package dev.berth.core.container.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.attach.StdioSession;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.DetachKeys;
import dev.berth.core.container.model.ExecConfig;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.InMemoryContainerRepository;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import dev.berth.core.logs.StdStream;
import dev.berth.core.runtime.AttachChannel;
import dev.berth.core.runtime.ExecSession;
import dev.berth.core.runtime.FakeRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: exec start's framing, failures, resizes racing the start and detach keys, over a fake runtime. */
class ExecServiceTest {

  private static final ContainerId ID = new ContainerId("c".repeat(64));

  @TempDir
  Path tmp;

  private final FakeRuntime runtime = new FakeRuntime();
  private final EventBus bus = new EventBus(Clock.systemUTC());
  private ExecService execs;

  @BeforeEach
  void wire() throws IOException {
    var repository = new InMemoryContainerRepository();
    var config = new ContainerConfig("busybox", null, List.of("sh"), null, null, null, "box", null, null, false,
        false, false, false, false, false, null, null, null, null, null, null, null, false);
    repository.insert(new Container(ID, new ContainerName("box"), Instant.EPOCH,
        new ImageId(new Digest("b".repeat(64))), config, HostConfig.DEFAULT,
        new ContainerState.Running(1, 2, 3, Instant.EPOCH), 0, List.of()));
    var rootfs = new ContainerRootfs(new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth"), null);
    Files.createDirectories(rootfs.merged(ID));
    execs = new ExecService(new ContainerLookup(repository), runtime, rootfs, new ContainerEvents(bus));
  }

  private static ExecConfig exec(boolean tty, boolean stdin) {
    return new ExecConfig(List.of("sh"), null, null, null, tty, false, stdin, true, true, DetachKeys.DEFAULT, 0, 0);
  }

  private static String output(StdioSession s) throws Exception {
    var out = new StringBuilder();
    s.copyOutput((stream, data, off, len) -> out.append(stream == StdStream.STDERR ? "E:" : "O:")
        .append(new String(data, off, len, StandardCharsets.UTF_8)).append(';'));
    return out.toString();
  }

  @Test
  void theStartsTtyDecidesTheFramingAndARawStreamLosesStderr() throws Exception {
    runtime.execWith((id, spec) -> new FakeSession(false, "out", "err"));
    var raw = execs.launch(execs.claim(execs.create("box", exec(false, false)).id()),
        new ExecService.StartOptions(false, true, 0, 0));
    assertTrue(raw.tty(), "raw, as the start asked");
    assertEquals("O:out;", output(raw));

    var framed = execs.launch(execs.claim(execs.create("box", exec(false, false)).id()),
        new ExecService.StartOptions(false, false, 0, 0));
    assertFalse(framed.tty());
    assertEquals("O:out;E:err;", output(framed));
  }

  @Test
  void aRefusedStartRecordsDockerdsExitCodeAndWords() throws Exception {
    String runc = "exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH";
    runtime.execWith((id, spec) -> {
      throw new StartRefusedException(runc, 127);
    });
    var e = execs.create("box", exec(true, false));
    var session = execs.launch(execs.claim(e.id()), new ExecService.StartOptions(false, true, 0, 0));
    assertEquals("O:OCI runtime exec failed: " + runc + ": unknown\r\n;", output(session));
    assertEquals(127, e.exitCode().getAsInt());
    assertEquals(ExecInstance.Phase.EXITED, e.phase());
    assertEquals("exec process is not started",
        assertThrows(InvalidArgumentException.class, () -> execs.resize(e.id(), 30, 100)).getMessage());

    runtime.execWith((id, spec) -> {
      throw new StartRefusedException("exec failed: unable to start container process: exec: \"/etc\": is a directory",
          126, ": permission denied");
    });
    var detached = execs.create("box", exec(false, false));
    var refused = assertThrows(StartRefusedException.class,
        () -> execs.launch(execs.claim(detached.id()), new ExecService.StartOptions(true, false, 0, 0)));
    assertEquals("OCI runtime exec failed: exec failed: unable to start container process: exec: \"/etc\": is a "
        + "directory: unknown: permission denied", refused.getMessage());
    assertEquals(126, detached.exitCode().getAsInt());
  }

  @Test
  void aResizeThatComesBeforeTheStartWaitsForIt() throws Exception {
    var session = new FakeSession(true);
    runtime.execWith((id, spec) -> session);
    var e = execs.create("box", exec(true, false));
    var claimed = execs.claim(e.id());
    var resize = CompletableFuture.runAsync(() -> {
      try {
        execs.resize(e.id(), 30, 100);
      } catch (InterruptedException x) {
        throw new AssertionError(x);
      }
    });
    assertThrows(java.util.concurrent.TimeoutException.class, () -> resize.get(100, TimeUnit.MILLISECONDS));
    execs.launch(claimed, new ExecService.StartOptions(false, true, 0, 0));
    resize.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("30x100"), session.resizes);
  }

  @Test
  void detachKeysEndATtyExecsStreamAndPassThroughWithoutATty() throws Exception {
    var events = bus.subscribe(null);
    var tty = new FakeSession(true);
    runtime.execWith((id, spec) -> tty);
    var e = execs.create("box", exec(true, true));
    var s = execs.launch(execs.claim(e.id()), new ExecService.StartOptions(false, true, 0, 0));
    assertEquals(StdioSession.InputEnd.DETACHED, s.copyInput(new ByteArrayInputStream(new byte[] {'l', 's', 16, 17})));
    assertEquals("ls", tty.stdin.toString(StandardCharsets.UTF_8));
    s.close();
    assertEquals("", output(s), "a detached client's stream ends though the process runs on");
    var actions = new ArrayList<String>();
    for (EngineEvent ev = events.next(0); ev != null; ev = events.next(0)) {
      actions.add(ev.action());
    }
    assertTrue(actions.contains("exec_detach"), actions.toString());

    var plain = new FakeSession(false);
    runtime.execWith((id, spec) -> plain);
    var p = execs.launch(execs.claim(execs.create("box", exec(false, true)).id()),
        new ExecService.StartOptions(false, false, 0, 0));
    assertEquals(StdioSession.InputEnd.CLOSED, p.copyInput(new ByteArrayInputStream(new byte[] {16, 17, 'x'})));
    assertEquals(List.of(16, 17, (int) 'x'), plain.stdin.toString(StandardCharsets.ISO_8859_1).chars().boxed().toList());
  }

  /** A process that printed {@code out} and {@code err} and exited 0; with no output it runs until its channel closes. */
  private static final class FakeSession implements ExecSession, AttachChannel {
    private final LinkedBlockingQueue<Optional<Chunk>> output = new LinkedBlockingQueue<>();
    private final boolean running;
    final List<String> resizes = new ArrayList<>();
    final ByteArrayOutputStream stdin = new ByteArrayOutputStream();

    FakeSession(boolean terminal, String... outAndErr) {
      running = outAndErr.length == 0;
      for (int i = 0; i < outAndErr.length; i++) {
        output.add(Optional.of(new Chunk(i == 0 ? StdStream.STDOUT : StdStream.STDERR,
            outAndErr[i].getBytes(StandardCharsets.UTF_8))));
      }
      if (!running) {
        output.add(Optional.empty());
      }
    }

    @Override
    public int pid() {
      return 42;
    }

    @Override
    public Optional<AttachChannel> channel() {
      return Optional.of(this);
    }

    @Override
    public synchronized void resize(int height, int width) {
      resizes.add(height + "x" + width);
    }

    @Override
    public OptionalInt exitCode() {
      return running ? OptionalInt.empty() : OptionalInt.of(0);
    }

    @Override
    public int awaitExit() throws InterruptedException {
      if (running) {
        new CompletableFuture<Void>().join();
      }
      return 0;
    }

    @Override
    public Chunk read() throws IOException {
      try {
        Optional<Chunk> c = output.take();
        if (c.isEmpty()) {
          output.add(c);
        }
        return c.orElse(null);
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
    }

    @Override
    public void writeStdin(byte[] data, int offset, int length) {
      stdin.write(data, offset, length);
    }

    @Override
    public void closeStdin() {
      // nothing to close
    }

    @Override
    public void close() {
      output.add(Optional.empty());
    }
  }
}
