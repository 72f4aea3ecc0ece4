package dev.berth.core.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: the json-file and local formats, byte for byte as dockerd writes them. */
class LogFormatsTest {

  @TempDir
  Path dir;

  private static final Instant T = Instant.parse("2026-12-07T01:02:03.120000000Z");

  private static LogEntry entry(String text) {
    return new LogEntry(T, StdStream.STDOUT, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonFileLinesAreDockersObjects() {
    assertEquals("{\"log\":\"hi\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T01:02:03.12Z\"}\n",
        new String(JsonFileFormat.INSTANCE.encode(entry("hi\n"), null, Map.of()), StandardCharsets.UTF_8));
    assertEquals("{\"log\":\"\\u003ca\\u003e \\u0026\\u0009\\\"q\\\"\\\\ \\u2028\\r\",\"stream\":\"stderr\","
        + "\"attrs\":{\"k\":\"v\"},\"time\":\"2026-12-07T01:02:03Z\"}\n",
        new String(JsonFileFormat.INSTANCE.encode(new LogEntry(Instant.parse("2026-12-07T01:02:03Z"), StdStream.STDERR,
            "<a> &\t\"q\"\\ \u2028\r".getBytes(StandardCharsets.UTF_8)), null, Map.of("k", "v")),
            StandardCharsets.UTF_8));
    byte[] invalid = {'a', (byte) 0xff, 'b', '\n'};
    assertEquals("{\"log\":\"a\\ufffdb\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T01:02:03.12Z\"}\n",
        new String(JsonFileFormat.INSTANCE.encode(new LogEntry(T, StdStream.STDOUT, invalid), null, Map.of()),
            StandardCharsets.UTF_8));
  }

  @Test
  void goTimeDropsTrailingZeros() {
    assertEquals("2026-12-07T01:02:03.000000001Z", JsonFileFormat.rfc3339Nano(Instant.parse("2026-12-07T01:02:03.000000001Z")));
    assertEquals("2026-12-07T01:02:03.1Z", JsonFileFormat.rfc3339Nano(Instant.parse("2026-12-07T01:02:03.100Z")));
  }

  @Test
  void bothFormatsReadBackWhatTheyWrote() throws IOException {
    for (LogFormat f : new LogFormat[] {JsonFileFormat.INSTANCE, LocalFormat.INSTANCE}) {
      var out = new ByteArrayOutputStream();
      out.writeBytes(f.encode(entry("one\n"), null, Map.of()));
      out.writeBytes(f.encode(entry("par"), null, Map.of()));
      out.writeBytes(f.encode(entry("ü\n"), null, Map.of("a", "b")));
      out.writeBytes(f.encode(entry("piece"), new LogFormat.Split("id", 1, false), Map.of()));
      out.writeBytes(f.encode(entry("end\n"), new LogFormat.Split("id", 2, true), Map.of()));
      var in = new ByteArrayInputStream(out.toByteArray());
      assertArrayEquals("one\n".getBytes(StandardCharsets.UTF_8), f.decode(in).data(), f.toString());
      assertArrayEquals("par".getBytes(StandardCharsets.UTF_8), f.decode(in).data());
      LogEntry third = f.decode(in);
      assertArrayEquals("ü\n".getBytes(StandardCharsets.UTF_8), third.data());
      assertEquals(Map.of("a", "b"), third.attrs());
      assertEquals(T, third.time());
      assertArrayEquals("piece".getBytes(StandardCharsets.UTF_8), f.decode(in).data());
      assertArrayEquals("end\n".getBytes(StandardCharsets.UTF_8), f.decode(in).data());
      assertNull(f.decode(in));
    }
  }

  @Test
  void jsonFileLinesLongerThanAChunkAndManyShortOnesReadBack() throws IOException {
    String long1 = "x".repeat(40_000) + "\n";
    var out = new ByteArrayOutputStream();
    out.writeBytes(JsonFileFormat.INSTANCE.encode(entry(long1), null, Map.of()));
    for (int i = 0; i < 1000; i++) {
      out.writeBytes(JsonFileFormat.INSTANCE.encode(entry(i + "\n"), null, Map.of()));
    }
    // Through a buffered (markable) stream, and one that is not: the same entries.
    for (var in : new java.io.InputStream[] {new java.io.BufferedInputStream(new ByteArrayInputStream(out.toByteArray())),
        new java.io.FilterInputStream(new ByteArrayInputStream(out.toByteArray())) {
          @Override
          public boolean markSupported() {
            return false;
          }
        }}) {
      assertEquals(long1, new String(JsonFileFormat.INSTANCE.decode(in).data(), StandardCharsets.UTF_8));
      for (int i = 0; i < 1000; i++) {
        assertEquals(i + "\n", new String(JsonFileFormat.INSTANCE.decode(in).data(), StandardCharsets.UTF_8));
      }
      assertNull(JsonFileFormat.INSTANCE.decode(in));
    }
  }

  @Test
  void localFramesAProtobufEntryWithItsLengthOnBothSides() {
    byte[] b = LocalFormat.INSTANCE.encode(new LogEntry(Instant.ofEpochSecond(1), StdStream.STDOUT,
        "hi\n".getBytes(StandardCharsets.UTF_8)), null, Map.of());
    // source "stdout" (1), time_nano 1e9 (2), line "hi" (3)
    byte[] proto = {0x0a, 6, 's', 't', 'd', 'o', 'u', 't', 0x10, (byte) 0x80, (byte) 0x94, (byte) 0xeb, (byte) 0xdc, 0x03,
        0x1a, 2, 'h', 'i'};
    assertEquals(proto.length + 8, b.length);
    assertEquals(proto.length, b[3]);
    assertArrayEquals(proto, java.util.Arrays.copyOfRange(b, 4, 4 + proto.length));
    assertEquals(proto.length, b[b.length - 1]);
  }

  @Test
  void theLastEntriesAreFoundFromTheEnd() throws IOException {
    for (LogFormat f : new LogFormat[] {JsonFileFormat.INSTANCE, LocalFormat.INSTANCE}) {
      Path file = dir.resolve(f.getClass().getSimpleName());
      var out = new ByteArrayOutputStream();
      long[] starts = new long[5000];
      for (int i = 0; i < 5000; i++) {
        starts[i] = out.size();
        out.writeBytes(f.encode(entry("line " + i + "\n"), null, Map.of()));
      }
      Files.write(file, out.toByteArray());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        int[] found = new int[1];
        assertEquals(starts[4997], f.startOfLast(ch, ch.size(), 3, found));
        assertEquals(3, found[0]);
        assertEquals(0, f.startOfLast(ch, ch.size(), 9000, found));
        assertEquals(5000, found[0]);
        assertEquals(ch.size(), f.startOfLast(ch, ch.size(), 0, found));
      }
    }
  }
}
