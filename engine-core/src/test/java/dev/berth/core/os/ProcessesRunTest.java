package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProcessesRunTest {

  private static final Path SH = Path.of("/bin/sh");

  private static Processes.Outcome sh(String script, List<String> env, byte[] input) throws Exception {
    return Processes.run(SH, List.of("sh", "-c", script), env, input);
  }

  @Test
  void givesTheProgramItsInputAndEnvironmentAndReturnsItsStatusAndStderr() throws Exception {
    var outcome = sh("cat >&2; echo \" $GREETING\" >&2; echo not collected; exit 3", List.of("GREETING=hello"),
        "input".getBytes());
    assertEquals(new Processes.Outcome(3, "input hello\n"), outcome);
  }

  @Test
  void withoutInputStdinIsEmpty() throws Exception {
    assertEquals(new Processes.Outcome(0, "0\n"), sh("wc -c >&2", List.of(), null));
  }

  @Test
  void aProgramThatIgnoresItsInputIsNoError() throws Exception {
    assertEquals(0, sh("exec 0<&-; sleep 0.05", List.of(), new byte[1 << 20]).exit());
  }

  @Test
  void aKilledProgramEndsWith128PlusTheSignal() throws Exception {
    assertEquals(128 + 9, sh("kill -9 $$", List.of(), null).exit());
  }

  @Test
  void theChildHasOnlyItsStandardStreams() throws Exception {
    // Pipes and files of ours stay ours: ls sees 0, 1, 2 and the directory it lists (3).
    int held = Fd.open(Path.of("/dev/null"), 0);
    try {
      String fds = sh("exec ls -1 /proc/self/fd 1>&2", List.of(), null).stderr();
      assertEquals("0\n1\n2\n3\n", fds);
    } finally {
      Fd.close(held);
    }
  }

  @Test
  void leavesNoFdOpenAfterwardsEvenWhenTheProgramCannotBeRun() throws Exception {
    sh("true", List.of(), "x".getBytes());
    long before = openFds();
    for (int i = 0; i < 20; i++) {
      sh("cat >/dev/null; echo e >&2", List.of(), "x".getBytes());
      assertThrows(ErrnoException.class,
          () -> Processes.run(Path.of("/nonexistent/program"), List.of("program"), List.of(), "x".getBytes()));
    }
    assertEquals(before, openFds());
  }

  @Test
  void runsOnAVirtualThread() throws Exception {
    var result = new AtomicReference<Object>();
    Thread.ofVirtual().start(() -> {
      try {
        result.set(sh("echo virtual >&2", List.of(), null));
      } catch (Exception e) {
        result.set(e);
      }
    }).join();
    assertEquals(new Processes.Outcome(0, "virtual\n"), result.get());
  }

  @Test
  void captureCollectsStdoutAndStderrApartThoughBothFillTheirPipes() throws Exception {
    // stderr first, more than a pipe holds: read one after the other, the child would block on it.
    var c = Processes.capture(SH, List.of("sh", "-c", "head -c 200000 /dev/zero | tr '\\0' e >&2; "
        + "head -c 300000 /dev/zero | tr '\\0' o; exit 4"), List.of(), null);
    assertEquals(4, c.exit());
    assertEquals("o".repeat(300_000), new String(c.stdout()));
    assertEquals("e".repeat(200_000), c.stderr());
  }

  @Test
  void aCommandIsFoundOnPathAndGetsOurEnvironment() throws Exception {
    var c = Processes.capture(List.of("sh", "-c", "echo $PATH"));
    assertEquals(System.getenv("PATH") + "\n", new String(c.stdout()));
    assertThrows(java.nio.file.NoSuchFileException.class, () -> Processes.capture(List.of("no-such-berth-program")));
  }

  private static long openFds() throws Exception {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
