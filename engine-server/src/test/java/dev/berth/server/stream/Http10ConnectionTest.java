package dev.berth.server.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: HTTP/1.0 as Go's server speaks it, over Helidon's HTTP/1.1. */
class Http10ConnectionTest {

  @Test
  void theFirstRequestLineTellsAnHttp10Client() {
    assertTrue(Http10Connection.speaks10(reader("GET /_ping HTTP/1.0\r\n\r\n")));
    assertTrue(Http10Connection.speaks10(reader("GET /_ping", " HTTP/1.0\r\nHost: x\r\n\r\n")));
    assertFalse(Http10Connection.speaks10(reader("GET /_ping HTTP/1.1\r\n\r\n")));
    assertFalse(Http10Connection.speaks10(reader("GET /_ping HTTP/1.0\n\n")));
  }

  @Test
  void aFixedLengthAnswerOnlyChangesItsStatusLine() {
    var out = new Capture();
    var w = new Http10Connection.Writer(out);
    w.write(data("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"));
    assertEquals("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK", out.text());
  }

  @Test
  void aChunkedAnswerLosesItsFramingWhereverTheWritesSplitIt() {
    String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
    for (int split = 1; split < answer.length(); split++) {
      var out = new Capture();
      var w = new Http10Connection.Writer(out);
      w.write(data(answer.substring(0, split)));
      w.writeNow(data(answer.substring(split)));
      assertEquals("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\nhello, world", out.text(), "split " + split);
    }
  }

  @Test
  void anInformationalAnswerIsNotSentToAnHttp10Client() {
    var out = new Capture();
    var w = new Http10Connection.Writer(out);
    w.writeNow(data("HTTP/1.1 100 Continue\r\n\r\n"));
    w.write(data("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}"));
    assertEquals("HTTP/1.0 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}", out.text());
  }

  private static DataReader reader(String... reads) {
    var queue = new ArrayDeque<>(List.of(reads));
    return DataReader.create(() -> queue.isEmpty() ? null : queue.poll().getBytes(StandardCharsets.US_ASCII));
  }

  private static BufferData data(String s) {
    return BufferData.create(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static final class Capture implements DataWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    String text() {
      return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void write(BufferData... buffers) {
      for (BufferData b : buffers) {
        write(b);
      }
    }

    @Override
    public void write(BufferData buffer) {
      byte[] a = new byte[buffer.available()];
      buffer.read(a);
      bytes.writeBytes(a);
    }

    @Override
    public void writeNow(BufferData... buffers) {
      write(buffers);
    }

    @Override
    public void writeNow(BufferData buffer) {
      write(buffer);
    }
  }
}
