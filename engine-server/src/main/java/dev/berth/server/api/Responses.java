package dev.berth.server.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Writing ordinary (non-streamed) answers. */
public final class Responses {

  public static final String JSON = "application/json";

  private Responses() {}

  public static void json(ServerResponse res, int status, Object body) {
    written(res, status, Json.bytes(body));
  }

  /** An answer whose JSON is already written. */
  public static void written(ServerResponse res, int status, byte[] json) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.send(json);
  }

  /** What a {@link #streamed} answer writes. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * An answer of {@code length} bytes of JSON that {@code body} writes as it goes (through a
   * 64 KiB buffer), so that no copy of it whole is made.
   */
  public static void streamed(ServerResponse res, int status, long length, Body body) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length));
    try (var out = new BufferedOutputStream(res.outputStream(), 64 * 1024)) {
      body.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void noContent(ServerResponse res) {
    res.status(Status.NO_CONTENT_204);
    res.send();
  }
}
