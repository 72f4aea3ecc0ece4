package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Issue 10: a JSON body is read whole only up to a limit. */
class ApiRequestTest {

  @Test
  void aBodyUpToTheLimitIsReadWhole() throws IOException {
    byte[] body = new byte[100];
    assertArrayEquals(body, ApiRequest.readBounded(new ByteArrayInputStream(body), 100, 100));
    assertArrayEquals(body, ApiRequest.readBounded(new ByteArrayInputStream(body), -1, 100));
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() {
    var never = new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("read a body already known to be too large");
      }
    };
    var e = assertThrows(InvalidArgumentException.class, () -> ApiRequest.readBounded(never, 101, 100));
    assertEquals("invalid JSON: http: request body too large", e.getMessage());
  }

  @Test
  void aChunkedBodyIsCutOffJustPastTheLimit() {
    var endless = new InputStream() {
      long served;

      @Override
      public int read() {
        served++;
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        served += len;
        return len;
      }
    };
    var e = assertThrows(InvalidArgumentException.class, () -> ApiRequest.readBounded(endless, -1, 100));
    assertEquals("invalid JSON: http: request body too large", e.getMessage());
    assertEquals(101, endless.served);
  }
}
