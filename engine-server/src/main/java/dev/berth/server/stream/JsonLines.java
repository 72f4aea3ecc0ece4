package dev.berth.server.stream;

import dev.berth.server.api.Json;
import dev.berth.server.api.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A stream of JSON messages, one per line, each flushed (progress of load, import, pull). The
 * 200 goes out with the first message, so a failure before any output is still a plain HTTP
 * error; after that it travels in-band as {@code {"errorDetail":{"message":m},"error":m}}.
 */
public final class JsonLines implements AutoCloseable {

  private final ServerResponse res;
  private OutputStream out;

  public JsonLines(ServerResponse res) {
    this.res = res;
  }

  public synchronized void send(Object message) {
    try {
      if (out == null) {
        res.header(HeaderNames.CONTENT_TYPE, Responses.JSON);
        out = res.outputStream();
      }
      out.write(Json.bytes(message));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("client went away", e);
    }
  }

  /**
   * A newline between messages (JSON whitespace, which every client's decoder skips, as it skips
   * dockerd's own {@code \r\n}), to find out whether the client is still there.
   *
   * @throws UncheckedIOException once it is gone
   */
  public synchronized void whitespace() {
    try {
      if (out == null) {
        res.header(HeaderNames.CONTENT_TYPE, Responses.JSON);
        out = res.outputStream();
      }
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("client went away", e);
    }
  }

  public boolean started() {
    return out != null;
  }

  /** Reports {@code e} in-band if output began; otherwise rethrows it for the error mapper. */
  public void fail(RuntimeException e) {
    if (!started()) {
      throw e;
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    send(new ErrorLine(new ErrorDetail(m), m));
  }

  /** A jsonmessage that ends a stream in error: the CLI prints errorDetail's message. */
  record ErrorLine(ErrorDetail errorDetail, String error) {}

  record ErrorDetail(String message) {}

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
