package dev.berth.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the pump converts a spool into rotated (and gzipped) driver files, a read goes through
 * all of them and what is not converted yet, a follow goes on across rotations, and a restarted
 * pump goes on where the last one recorded its place.
 */
class DriverLogsTest {

  @TempDir
  Path dir;

  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
  private final AtomicBoolean running = new AtomicBoolean(true);

  private LogTarget target(String driver, Map<String, String> opts) {
    return new LogTarget("c0ffee", dir, new LogConfig(driver, opts).settings(), Map.of());
  }

  /** Appends lines {@code from..to-1} to the spool as conmon writes them. */
  private void spool(int from, int to) throws IOException {
    var sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(T0.plusMillis(i)).append(" stdout F line ").append(i).append('\n');
    }
    Files.writeString(dir.resolve("container.log"), sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String lines(int from, int to) {
    var sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("line ").append(i).append('\n');
    }
    return sb.toString();
  }

  private String read(DriverLogs logs, LogTarget t, int tail) throws IOException {
    var out = new ByteArrayOutputStream();
    logs.read(t, new LogQuery(true, true, tail, null, null, false), running::get, e -> out.writeBytes(e.data()));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The container stops as the engine records it: no longer running, then its pump is woken to drain. */
  private void stop(DriverLogs logs) {
    running.set(false);
    logs.awaitConverted("c0ffee", 20_000);
  }

  private static void until(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void jsonFileRotatesAndReadsBackAcrossGzippedFiles() throws Exception {
    var t = target("json-file", Map.of("max-size", "2k", "max-file", "3", "compress", "true"));
    var logs = new DriverLogs();
    spool(0, 200);
    logs.pump(t, running::get);
    spool(200, 400);
    stop(logs);
    until("the pump to end", () -> !logs.pumping("c0ffee"));
    Path current = dir.resolve("c0ffee-json.log");
    assertTrue(Files.exists(current.resolveSibling("c0ffee-json.log.1.gz")));
    assertTrue(Files.exists(current.resolveSibling("c0ffee-json.log.2.gz")));
    assertFalse(Files.exists(current.resolveSibling("c0ffee-json.log.3.gz")), "max-file counts the current one");
    assertFalse(Files.exists(current.resolveSibling("c0ffee-json.log.1")), "only the gzipped copy stays");
    String all = read(logs, t, -1);
    assertTrue(all.endsWith(lines(350, 400)), all);
    assertTrue(all.length() < lines(0, 400).length(), "the oldest went");
    assertEquals(lines(395, 400), read(logs, t, 5));
    int kept = all.split("\n").length;
    assertEquals(lines(400 - kept + 2, 400), read(logs, t, kept - 2), "a tail reaching into the gzipped files");
    assertEquals(all, read(logs, t, 100_000));
  }

  @Test
  void aReadIncludesWhatThePumpHasNotConverted() throws Exception {
    var t = target("local", Map.of("max-size", "1k"));
    var logs = new DriverLogs();
    spool(0, 50);
    running.set(false);
    // No pump has run: everything is still in the spool.
    assertEquals(lines(0, 50), read(logs, t, -1));
    assertEquals(lines(48, 50), read(logs, t, 2));
    logs.recover(t, running::get);
    until("the pump to end", () -> !logs.pumping("c0ffee"));
    assertTrue(Files.exists(dir.resolve("local-logs").resolve("container.log.1.gz")));
    assertEquals(lines(0, 50), read(logs, t, -1), "converted, rotated and gzipped, nothing lost or doubled");
    assertEquals(lines(48, 50), read(logs, t, 2));
  }

  @Test
  void aFollowSeesEveryLineAcrossRotations() throws Exception {
    var t = target("json-file", Map.of("max-size", "1k", "max-file", "2"));
    var logs = new DriverLogs();
    spool(0, 1);
    logs.pump(t, running::get);
    var out = new ByteArrayOutputStream();
    var follow = CompletableFuture.runAsync(() -> {
      try {
        logs.read(t, new LogQuery(true, true, -1, null, null, true), running::get, e -> {
          synchronized (out) {
            out.writeBytes(e.data());
          }
        });
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    // The follow must be under way before the files rotate: one that starts after max-file
    // rotations has lost the deleted files' lines, as under dockerd.
    until("the follow to have read the first line", () -> {
      synchronized (out) {
        return out.toString(StandardCharsets.UTF_8).equals(lines(0, 1));
      }
    });
    for (int i = 1; i < 3000; i += 100) {
      spool(i, i + 100);
      Thread.sleep(2);
    }
    spool(3001 - 1 + 1, 3001);
    stop(logs);
    follow.get(20, TimeUnit.SECONDS);
    assertEquals(lines(0, 3001), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aRotationInsideABatchRecordsThePlaceBeforeAndAfterIt() throws Exception {
    // Killed between any two steps, the engine resumes from a place that matches the files: the
    // entries before the rotation with the full file's size, then the same offset with size 0.
    var settings = new LogConfig("json-file", Map.of("max-size", "10", "max-file", "2")).settings();
    var places = new java.util.ArrayList<String>();
    try (var files = new LogFiles(dir.resolve("r-json.log"), settings, -1, SpoolPlace.at(0))) {
      files.write(List.of(new byte[6], new byte[6], new byte[6]),
          new SpoolPlace[] {SpoolPlace.at(100), SpoolPlace.at(200), SpoolPlace.at(300)}, SpoolPlace.at(300),
          (place, size) -> places.add(place.offset() + "@" + size));
    }
    assertEquals(List.of("200@12", "200@0"), places);
    assertEquals(12, Files.size(dir.resolve("r-json.log.1")));
    assertEquals(6, Files.size(dir.resolve("r-json.log")));
  }

  @Test
  void aCompressionCutOffByACrashIsFinishedBeforeTheNextRotation() throws Exception {
    // Killed while gzipping the file it had just rotated (a 20 MB local log takes a good part of a
    // second): the plain .1 is left, with perhaps a partial .1.gz.tmp. The next rotation must not
    // move the current file over it.
    var settings = new LogConfig("json-file", Map.of("max-size", "10", "max-file", "3", "compress", "true"))
        .settings();
    Path current = dir.resolve("r-json.log");
    Files.write(current.resolveSibling("r-json.log.2.gz"), gzip("oldest"));
    Files.writeString(current.resolveSibling("r-json.log.1"), "older\\n");
    Files.writeString(current.resolveSibling("r-json.log.1.gz.tmp"), "a crash's");
    Files.writeString(current, "0123456789");
    try (var files = new LogFiles(current, settings, 10, SpoolPlace.at(0))) {
      files.write(List.of("newest".getBytes(StandardCharsets.UTF_8)), new SpoolPlace[] {SpoolPlace.at(1)},
          SpoolPlace.at(1), (place, size) -> { });
    }
    assertEquals("older\\n", gunzip(current.resolveSibling("r-json.log.2.gz")), "kept, compressed, moved up");
    assertEquals("0123456789", gunzip(current.resolveSibling("r-json.log.1.gz")));
    assertEquals("newest", Files.readString(current));
    try (var left = Files.list(dir)) {
      assertEquals(List.of("r-json.log", "r-json.log.1.gz", "r-json.log.2.gz"),
          left.map(p -> p.getFileName().toString()).sorted().toList(), "max-file 3; nothing else left");
    }
  }

  private static byte[] gzip(String text) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static String gunzip(Path file) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRestartedPumpGoesOnWhereTheLastOneRecordedItsPlace() throws Exception {
    var t = target("json-file", Map.of());
    var logs = new DriverLogs();
    spool(0, 100);
    logs.pump(t, running::get);
    until("the first lines", () -> {
      try {
        return Files.exists(dir.resolve("c0ffee-json.log")) && Files.size(dir.resolve("c0ffee-json.log")) > 0
            && LogPump.readState(dir.resolve("container.log.pump"))[0] == Files.size(dir.resolve("container.log"));
      } catch (IOException e) {
        return false;
      }
    });
    stop(logs);
    until("the pump to end", () -> !logs.pumping("c0ffee"));
    // As if the engine died after writing an entry but before recording it: the entry is cut off.
    Files.writeString(dir.resolve("c0ffee-json.log"), "{\"log\":\"torn", StandardOpenOption.APPEND);
    spool(100, 200);
    running.set(true);
    var again = new DriverLogs();
    again.recover(t, running::get);
    stop(again);
    until("the second pump to end", () -> !again.pumping("c0ffee"));
    assertEquals(lines(0, 200), read(again, t, -1));
    for (String line : Files.readAllLines(dir.resolve("c0ffee-json.log"))) {
      assertTrue(line.startsWith("{\"log\":\"line ") && line.endsWith("\"}"), line);
    }
  }

  @Test
  void aPumpKilledBeforeItFirstRecordedItsPlaceWritesNothingTwice() throws Exception {
    // LogDriversIT's SIGKILL case doubled 385 lines so once: the first batch was in the file, its
    // place not yet in the state file, and the next pump kept the file and began at the spool's start.
    var t = target("json-file", Map.of());
    spool(0, 100);
    Files.writeString(t.current().orElseThrow(), "{\"log\":\"line 0\\n\",\"stream\":\"stdout\",\"time\":\""
        + T0 + "\"}\n");
    Files.createFile(t.state());
    assertEquals(lines(0, 100), read(new DriverLogs(), t, -1), "a read leaves the unrecorded entry out");
    var logs = new DriverLogs();
    logs.recover(t, running::get);
    stop(logs);
    until("the pump to end", () -> !logs.pumping("c0ffee"));
    assertEquals(lines(0, 100), read(logs, t, -1));
  }

  /** Appends one record as conmon writes it. */
  private void record(int ms, String stream, char tag, String text) throws IOException {
    Files.writeString(dir.resolve("container.log"), T0.plusMillis(ms) + " " + stream + " " + tag + " " + text + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void linesHeldBackOnBothStreamsAreNeitherDoubledNorLostByAReadOrAKilledPump() throws Exception {
    var t = target("json-file", Map.of());
    record(0, "stdout", 'P', "par");
    record(1, "stderr", 'F', "e1");
    record(2, "stderr", 'P', "e");
    var pump = LogPump.open(t.spool(), t.state(), t.current().orElseThrow(), t.settings(), Map.of(), running::get);
    Thread thread = Thread.ofVirtual().start(pump);
    until("e1 to be written", () -> {
      try {
        return Files.exists(t.current().orElseThrow()) && Files.size(t.current().orElseThrow()) > 0
            && LogPump.readState(t.state())[3] > 0;
      } catch (IOException e) {
        return false;
      }
    });
    // The read goes back to the held "par" in the spool and passes over e1, which the file has.
    assertEquals("e1\npare", read(new DriverLogs(), t, -1));
    // Killed: the held text is not flushed, the place recorded last stays.
    thread.interrupt();
    thread.join();
    record(3, "stdout", 'F', "tial");
    record(4, "stderr", 'F', "2");
    var again = new DriverLogs();
    again.recover(t, running::get);
    stop(again);
    until("the second pump to end", () -> !again.pumping("c0ffee"));
    assertEquals("e1\npartial\ne2\n", read(again, t, -1));
  }

  @Test
  void aRunningContainersPumpAsksWhetherItRunsOnlyWhenWoken() throws Exception {
    var t = target("json-file", Map.of());
    var logs = new DriverLogs();
    var asked = new java.util.concurrent.atomic.AtomicInteger();
    spool(0, 1);
    logs.pump(t, () -> {
      asked.incrementAndGet();
      return running.get();
    });
    until("the first line", () -> {
      try {
        return Files.exists(dir.resolve("c0ffee-json.log")) && Files.size(dir.resolve("c0ffee-json.log")) > 0;
      } catch (IOException e) {
        return false;
      }
    });
    // Idle polls (every 50 ms at most) read the spool, never the store the engine's answer comes from.
    Thread.sleep(500);
    spool(1, 2);
    Thread.sleep(200);
    assertEquals(1, asked.get(), "asked at the start only");
    stop(logs);
    assertFalse(logs.pumping("c0ffee"), "the wake made it ask, and end");
    assertEquals(2, asked.get());
    assertEquals(lines(0, 2), read(logs, t, -1));
  }

  @Test
  void noneHasNoLog() throws IOException {
    var t = target("none", Map.of());
    assertEquals("", t.logPath());
    var logs = new DriverLogs();
    logs.pump(t, running::get);
    assertFalse(logs.pumping("c0ffee"));
  }
}
