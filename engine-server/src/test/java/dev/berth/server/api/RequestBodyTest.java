package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import io.helidon.common.buffers.DataReader;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Issue 11: a body the client did not finish, or framed wrongly, is its error (400), in Go's words. */
class RequestBodyTest {

  @Test
  void aBodyCutShortIsAnUnexpectedEof() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> new RequestBody(failing(new DataReader.InsufficientDataAvailableException()), "invalid JSON: ").read());
    assertEquals("invalid JSON: unexpected EOF", e.getMessage());
    assertTrue(RequestBody.isMalformed(e));
  }

  @Test
  void aChunkSizeThatIsNotHexIsAnInvalidByte() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> new RequestBody(failing(new NumberFormatException("zz")), "").read(new byte[8], 0, 8));
    assertEquals("invalid byte in chunk length", e.getMessage());
  }

  @Test
  void otherRefusalsAreNotMalformedBodies() {
    assertTrue(!RequestBody.isMalformed(new InvalidArgumentException("invalid JSON: x")));
  }

  private static InputStream failing(RuntimeException e) {
    return new InputStream() {
      @Override
      public int read() {
        throw e;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        throw e;
      }
    };
  }
}
