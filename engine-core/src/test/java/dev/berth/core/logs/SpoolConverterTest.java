package dev.berth.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 13: conmon's records become the messages dockerd's copier makes (16 KB pieces, joined partials). */
class SpoolConverterTest {

  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  private static LogEntry record(int ms, StdStream s, String text) {
    return new LogEntry(T0.plusMillis(ms), s, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(SpoolConverter.Message m) {
    return new String(m.entry().data(), StandardCharsets.UTF_8);
  }

  @Test
  void partialRecordsJoinIntoOneLineWithTheFirstTime() {
    var c = new SpoolConverter();
    var out = new ArrayList<SpoolConverter.Message>();
    c.accept(record(0, StdStream.STDOUT, "ab"), 10, out);
    c.accept(record(1, StdStream.STDERR, "err\n"), 20, out);
    assertEquals(new SpoolPlace(10, 30), c.place(30, SpoolPlace.at(0)),
        "stdout held back from its first partial record, stderr written up to where the read is");
    c.accept(record(2, StdStream.STDOUT, "cd\n"), 30, out);
    assertEquals(List.of("err\n", "abcd\n"), out.stream().map(SpoolConverterTest::text).toList());
    assertEquals(T0, out.get(1).entry().time());
    assertNull(out.get(1).split());
    assertEquals(SpoolPlace.at(40), c.place(40, SpoolPlace.at(0)));
    assertEquals(new SpoolPlace(50, 40), c.place(40, new SpoolPlace(50, 0)), "passed over up to 50 before");
  }

  @Test
  void longLinesComeInSixteenKilobytePieces() {
    var c = new SpoolConverter();
    var out = new ArrayList<SpoolConverter.Message>();
    String big = "x".repeat(40_000);
    c.accept(record(0, StdStream.STDOUT, big.substring(0, 8192)), 0, out);
    c.accept(record(1, StdStream.STDOUT, big.substring(8192, 30_000)), 100, out);
    c.accept(record(2, StdStream.STDOUT, big.substring(30_000) + "\n"), 200, out);
    assertEquals(3, out.size());
    assertEquals(16384, out.get(0).entry().data().length);
    assertEquals(16384, out.get(1).entry().data().length);
    assertEquals(40_000 - 32768 + 1, out.get(2).entry().data().length);
    assertTrue(out.get(2).entry().endsLine());
    assertEquals(out.get(0).split().id(), out.get(2).split().id());
    assertEquals(List.of(1, 2, 3), out.stream().map(m -> m.split().ordinal()).toList());
    assertEquals(List.of(false, false, true), out.stream().map(m -> m.split().last()).toList());
    assertTrue(out.stream().allMatch(m -> m.entry().time().equals(T0)), "every piece has the first one's time");
  }

  @Test
  void exactlySixteenKilobytesAndANewlineEndWithAnEmptyPiece() {
    var c = new SpoolConverter();
    var out = new ArrayList<SpoolConverter.Message>();
    c.accept(record(0, StdStream.STDOUT, "y".repeat(16384) + "\n"), 0, out);
    assertEquals(2, out.size());
    assertEquals("\n", text(out.get(1)));
  }

  @Test
  void whatIsHeldBackGoesOutPartialAtTheEnd() {
    var c = new SpoolConverter();
    var out = new ArrayList<SpoolConverter.Message>();
    c.accept(record(0, StdStream.STDOUT, "no newline"), 0, out);
    assertTrue(out.isEmpty());
    c.flush(out);
    assertEquals("no newline", text(out.get(0)));
    assertTrue(!out.get(0).entry().endsLine());
  }
}
