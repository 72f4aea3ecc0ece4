package dev.berth.core.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsTest {

  @TempDir
  Path dir;

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  /** A record as conmon writes it; {@code text} must not contain a newline. */
  private static String record(Instant time, String stream, boolean full, String text) {
    return time.atOffset(java.time.ZoneOffset.ofHours(1)).format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        + " " + stream + " " + (full ? "F" : "P") + " " + text + "\n";
  }

  private Path log(String... records) throws IOException {
    Path file = dir.resolve("ctr.log");
    Files.writeString(file, String.join("", records));
    return file;
  }

  private static List<LogEntry> read(Path file, LogQuery query) throws IOException {
    var entries = new ArrayList<LogEntry>();
    ContainerLogs.read(file, query, () -> false, entries::add);
    return entries;
  }

  private static String text(List<LogEntry> entries) {
    var out = new ByteArrayOutputStream();
    entries.forEach(e -> out.writeBytes(e.data()));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aReaderStartsSmallAndGrowsWhileThereIsMoreToRead() throws IOException {
    var text = new StringBuilder();
    var lines = new ArrayList<String>();
    for (int i = 0; i < 3000; i++) {
      String l = i == 1500 ? "x".repeat(100_000) : "line " + i;
      lines.add(l);
      text.append(l).append('\n');
    }
    Path file = dir.resolve("many.log");
    Files.writeString(file, text.toString());
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
      var idle = new ContainerLogs.RecordReader(ch, file.toFile().length());
      assertNull(idle.next());
      assertTrue(idle.buffered() <= 8 * 1024, "a reader with nothing to read holds " + idle.buffered() + " bytes");

      var reader = new ContainerLogs.RecordReader(ch, 0);
      var read = new ArrayList<String>();
      for (byte[] l = reader.next(); l != null; l = reader.next()) {
        read.add(new String(l, reader.offset(), reader.length(), StandardCharsets.UTF_8));
      }
      assertEquals(lines, read);
      assertEquals(file.toFile().length(), reader.consumed());
      assertTrue(reader.buffered() >= 100_000, "grew to hold the longest line");
    }
  }

  @Test
  void parsesFullAndPartialRecords() throws IOException {
    Path file = log(
        record(T0, "stdout", true, "hello"),
        record(T0.plusMillis(1), "stderr", false, "par"),
        record(T0.plusMillis(2), "stderr", true, "tial"),
        record(T0.plusMillis(3), "stdout", true, ""));
    var entries = read(file, LogQuery.all());
    assertEquals(4, entries.size());
    assertEquals(StdStream.STDOUT, entries.get(0).stream());
    assertArrayEquals("hello\n".getBytes(), entries.get(0).data());
    assertEquals(T0, entries.get(0).time());
    assertEquals(StdStream.STDERR, entries.get(1).stream());
    assertArrayEquals("par".getBytes(), entries.get(1).data());
    assertArrayEquals("\n".getBytes(), entries.get(3).data());
    assertTrue(entries.get(0).endsLine());
    assertTrue(!entries.get(1).endsLine());
  }

  @Test
  void conmonsTimeFormIsReadAsTheGeneralParserReadsIt() {
    for (String t : List.of("2026-11-23T08:48:37.123456789+01:00", "2026-11-23T08:48:37.000000000-05:30",
        "2024-02-29T23:59:59.999999999+00:00", "1970-01-01T00:00:00.000000001+14:00",
        "2026-11-23T08:48:37.123456789+01:00")) {
      byte[] b = ("x" + t).getBytes(StandardCharsets.US_ASCII);
      assertEquals(java.time.OffsetDateTime.parse(t).toInstant(), K8sFileFormat.conmonTime(b, 1, b.length), t);
    }
    for (String t : List.of("2026-13-23T08:48:37.123456789+01:00", "2026-02-30T08:48:37.123456789+01:00",
        "2026-11-23T08:48:37.12345678+01:00", "2026-11-23T08:48:37.123456789Z")) {
      byte[] b = t.getBytes(StandardCharsets.US_ASCII);
      assertNull(K8sFileFormat.conmonTime(b, 0, b.length), t);
    }
  }

  @Test
  void parsesConmonsOwnTimestamps() {
    byte[] line = "2026-11-23T08:48:37.123456789+01:00 stdout F x".getBytes();
    var entry = K8sFileFormat.parse(line, 0, line.length);
    assertEquals(Instant.parse("2026-11-23T07:48:37.123456789Z"), entry.time());
    byte[] bad = "not a record".getBytes();
    assertNull(K8sFileFormat.parse(bad, 0, bad.length));
  }

  @Test
  void skipsMalformedRecords() throws IOException {
    Path file = log("garbage\n", record(T0, "stdout", true, "ok"), "2026-11-23T08:00:00Z stdin F x\n");
    assertEquals("ok\n", text(read(file, LogQuery.all())));
  }

  @Test
  void bytesComeBackExactly() throws IOException {
    byte[] text = "caf\u00e9 \t\r bin\u0001ary".getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("ctr.log");
    var out = new ByteArrayOutputStream();
    out.writeBytes("2026-11-23T08:00:00.000000001+00:00 stdout P ".getBytes());
    out.writeBytes(text);
    out.writeBytes("\n2026-11-23T08:00:00.000000002+00:00 stdout F ".getBytes());
    out.writeBytes(text);
    out.writeBytes("\n".getBytes());
    Files.write(file, out.toByteArray());
    var all = new ByteArrayOutputStream();
    read(file, LogQuery.all()).forEach(e -> all.writeBytes(e.data()));
    var expected = new ByteArrayOutputStream();
    expected.writeBytes(text);
    expected.writeBytes(text);
    expected.writeBytes("\n".getBytes());
    assertArrayEquals(expected.toByteArray(), all.toByteArray());
  }

  @Test
  void filtersByStream() throws IOException {
    Path file = log(record(T0, "stdout", true, "out"), record(T0, "stderr", true, "err"));
    assertEquals("out\n", text(read(file, new LogQuery(true, false, -1, null, null, false))));
    assertEquals("err\n", text(read(file, new LogQuery(false, true, -1, null, null, false))));
  }

  @Test
  void sinceAndUntilBoundTheTimes() throws IOException {
    var records = new ArrayList<String>();
    for (int i = 0; i < 10; i++) {
      records.add(record(T0.plusSeconds(i), "stdout", true, Integer.toString(i)));
    }
    Path file = log(records.toArray(String[]::new));
    assertEquals("3\n4\n5\n", text(read(file, new LogQuery(true, true, -1, T0.plusSeconds(3), T0.plusSeconds(5), false))));
    assertEquals("8\n9\n", text(read(file, new LogQuery(true, true, -1, T0.plusSeconds(8), null, false))));
  }

  @Test
  void tailCountsLinesFromTheEnd() throws IOException {
    Path file = log(
        record(T0, "stdout", true, "one"),
        record(T0, "stdout", false, "tw"),
        record(T0, "stdout", true, "o"),
        record(T0, "stderr", true, "three"),
        record(T0, "stdout", false, "fo"),
        record(T0, "stdout", false, "ur"));
    assertEquals("four", text(read(file, tail(1))), "a line still being written counts once");
    assertEquals("three\nfour", text(read(file, tail(2))));
    assertEquals("two\nthree\nfour", text(read(file, tail(3))), "partial records belong to the line they start");
    assertEquals("one\ntwo\nthree\nfour", text(read(file, tail(4))));
    assertEquals("one\ntwo\nthree\nfour", text(read(file, tail(100))));
    assertEquals("", text(read(file, tail(0))));
  }

  @Test
  void tailOfALogLargerThanItsBlocks() throws IOException {
    var records = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      records.append(record(T0, "stdout", true, "line " + i + " " + "x".repeat(i % 50)));
    }
    Path file = log(records.toString());
    assertTrue(Files.size(file) > 4 * 64 * 1024);
    var entries = read(file, tail(1234));
    assertEquals(1234, entries.size());
    assertTrue(new String(entries.getFirst().data()).startsWith("line " + (50_000 - 1234) + " "));
    assertTrue(new String(entries.getLast().data()).startsWith("line 49999 "));
  }

  @Test
  void anIncompleteLastRecordWaitsForItsNewline() throws IOException {
    Path file = log(record(T0, "stdout", true, "done"));
    Files.writeString(file, "2026-11-23T08:00:00Z stdout F half", StandardOpenOption.APPEND);
    assertEquals("done\n", text(read(file, LogQuery.all())));
    assertEquals("done\n", text(read(file, tail(1))));
  }

  @Test
  void aMissingLogIsEmpty() throws IOException {
    assertEquals(List.of(), read(dir.resolve("none.log"), LogQuery.all()));
  }

  @Test
  void followDeliversEverythingWrittenBeforeTheContainerStopped() throws Exception {
    Path file = dir.resolve("ctr.log");
    var running = new AtomicBoolean(true);
    var got = new ByteArrayOutputStream();
    var reader = CompletableFuture.runAsync(() -> {
      try {
        ContainerLogs.read(file, new LogQuery(true, true, -1, null, null, true), running::get,
            e -> got.writeBytes(e.data()));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    var expected = new StringBuilder();
    try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < 200; i++) {
        String rec = record(T0.plusMillis(i), i % 3 == 0 ? "stdout" : "stderr", i % 4 != 0, "chunk-" + i);
        expected.append("chunk-").append(i).append(i % 4 != 0 ? "\n" : "");
        // Split records across writes, as a reader can catch conmon mid-writev.
        byte[] bytes = rec.getBytes();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        if (i % 50 == 0) {
          Thread.sleep(5);
        }
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        out.flush();
      }
    }
    running.set(false);
    reader.get(10, TimeUnit.SECONDS);
    assertEquals(expected.toString(), got.toString(StandardCharsets.UTF_8));
  }

  @Test
  void followStopsWhenTheClientGoesAway() {
    var e = assertThrows(Exception.class, () -> CompletableFuture.runAsync(() -> {
      try {
        ContainerLogs.read(log(record(T0, "stdout", true, "x")), new LogQuery(true, true, -1, null, null, true), () -> true,
            entry -> {
              throw new IOException("broken pipe");
            });
      } catch (IOException ex) {
        throw new RuntimeException(ex);
      }
    }).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getCause() instanceof IOException, e.toString());
  }

  @Test
  void followWaitsForTheLogToAppear() throws Exception {
    Path file = dir.resolve("later.log");
    var running = new AtomicBoolean(true);
    var got = new ArrayList<LogEntry>();
    var reader = CompletableFuture.runAsync(() -> {
      try {
        ContainerLogs.read(file, new LogQuery(true, true, -1, null, null, true), running::get, got::add);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Files.writeString(file, record(T0, "stdout", true, "late"));
    running.set(false);
    reader.get(10, TimeUnit.SECONDS);
    assertEquals("late\n", text(got));
  }

  private static LogQuery tail(int n) {
    return new LogQuery(true, true, n, null, null, false);
  }
}
