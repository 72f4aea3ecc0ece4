package dev.berth.core.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * Tells a listener how many bytes have been read, for progress lines. Reports at most every
 * {@value #STEP} bytes and at the end, so a listener that writes to a client is not flooded.
 */
final class CountingInputStream extends FilterInputStream {

  private static final long STEP = 256 * 1024;

  private final LongConsumer listener;
  private long count;
  private long reported;

  CountingInputStream(InputStream in, LongConsumer listener) {
    super(in);
    this.listener = listener;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      advance(1);
    } else {
      finish();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      advance(n);
    } else if (n < 0) {
      finish();
    }
    return n;
  }

  long count() {
    return count;
  }

  private void advance(long n) {
    count += n;
    if (count - reported >= STEP) {
      reported = count;
      listener.accept(count);
    }
  }

  private void finish() {
    if (reported != count) {
      reported = count;
      listener.accept(count);
    }
  }
}
