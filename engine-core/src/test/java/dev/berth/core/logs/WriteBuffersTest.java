package dev.berth.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Issue 15: the logs' write buffers are shared, so a container's open log holds none between writes. */
class WriteBuffersTest {

  @Test
  void aBufferGivenBackIsTakenAgainEmpty() {
    var buffers = new WriteBuffers(2);
    ByteBuffer b = buffers.take();
    assertTrue(b.isDirect());
    assertEquals(WriteBuffers.SIZE, b.capacity());
    b.put(new byte[100]);
    buffers.give(b);
    assertEquals(1, buffers.idle());
    ByteBuffer again = buffers.take();
    assertSame(b, again);
    assertEquals(0, again.position());
    assertEquals(WriteBuffers.SIZE, again.remaining());
    assertEquals(0, buffers.idle());
  }

  @Test
  void writesAtOnceEachHaveTheirOwnAndOnlyKeptManyStayIdle() {
    var buffers = new WriteBuffers(2);
    ByteBuffer a = buffers.take();
    ByteBuffer b = buffers.take();
    ByteBuffer c = buffers.take();
    assertNotSame(a, b);
    assertNotSame(b, c);
    buffers.give(a);
    buffers.give(b);
    buffers.give(c);
    assertEquals(2, buffers.idle());
  }

  @Test
  void refusesANegativeCount() {
    assertThrows(IllegalArgumentException.class, () -> new WriteBuffers(-1));
  }
}
