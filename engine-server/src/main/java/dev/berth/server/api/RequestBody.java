package dev.berth.server.api;

import dev.berth.core.error.InvalidArgumentException;
import io.helidon.common.buffers.DataReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as it arrives, where a body that cannot be read (the client stopped before its
 * Content-Length, or broke the chunked framing) is the client's error: a 400 with Go's words,
 * as dockerd answers (its decoder's error, "invalid JSON: unexpected EOF" for a JSON body), never
 * a 500. The connection is then in an unknown state, so the answer closes it
 * ({@link #isMalformed}).
 */
public final class RequestBody extends FilterInputStream {

  /** The cause of a body that could not be read. */
  static final class Malformed extends RuntimeException {
    Malformed(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final String prefix;

  RequestBody(InputStream in, String prefix) {
    super(in);
    this.prefix = prefix;
  }

  /** Whether {@code e} is a refusal of a body that could not be read. */
  public static boolean isMalformed(Throwable e) {
    return e instanceof InvalidArgumentException && e.getCause() instanceof Malformed;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException | RuntimeException e) {
      throw malformed(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      throw malformed(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException | RuntimeException e) {
      throw malformed(e);
    }
  }

  /** Go's words for what its chunked reader and body reader find (net/http/internal/chunked.go). */
  private InvalidArgumentException malformed(Exception e) {
    boolean eof = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      eof |= t instanceof DataReader.InsufficientDataAvailableException;
    }
    String go = eof ? "unexpected EOF"
        : e instanceof NumberFormatException || e.getCause() instanceof NumberFormatException
            ? "invalid byte in chunk length" : "malformed chunked encoding";
    return new InvalidArgumentException(prefix + go, new Malformed(e));
  }
}
