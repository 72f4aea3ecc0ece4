package dev.berth.server.container;

import dev.berth.core.container.attach.AttachOptions;
import dev.berth.core.container.attach.AttachService;
import dev.berth.core.container.attach.AttachSession;
import dev.berth.core.container.attach.LogService;
import dev.berth.core.container.model.Container;
import dev.berth.core.logs.LogEntry;
import dev.berth.core.logs.LogQuery;
import dev.berth.core.logs.LogSink;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.stream.HijackedConnection;
import dev.berth.server.stream.StdStreamWriter;
import dev.berth.server.stream.StdioPump;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;

/** A container's streams: attach, the size of its TTY, and its logs. */
public final class AttachHandlers {

  private final AttachService attach;
  private final LogService logs;

  public AttachHandlers(AttachService attach, LogService logs) {
    this.attach = attach;
    this.logs = logs;
  }

  public static void routes(ApiRoutes.Operations<AttachHandlers> r) {
    r.post("/containers/{id}/attach", AttachHandlers::containerAttach);
    r.get("/containers/{id}/logs", AttachHandlers::containerLogs);
    r.post("/containers/{id}/resize", AttachHandlers::containerResize);
  }

  /**
   * Attach hijacks the connection (101 with {@code Upgrade: tcp}, else a bare 200 as dockerd
   * answers docker-java) and copies stdin in and output out until the container's output ends.
   * A body with a length (dockerode's options) is read first, so it never reaches stdin.
   */
  private void containerAttach(ApiRequest req, ServerResponse res) throws Exception {
    var options = new AttachOptions(req.bool("stdin"), req.bool("stdout"), req.bool("stderr"), req.bool("stream"),
        req.bool("logs"), ContainerTranslator.detachKeys(req.query("detachKeys").orElse("")));
    req.skipDeclaredBody();
    try (AttachSession session = attach.open(req.path("id"), options)) {
      throw StdioPump.run(session, req.wantsUpgrade(),
          ContainerTranslator.multiplexedMediaType(session.tty(), req.version()));
    }
  }

  private void containerResize(ApiRequest req, ServerResponse res) {
    attach.resize(req.path("id"), ContainerTranslator.dimension(req, "h"), ContainerTranslator.dimension(req, "w"));
    res.status(io.helidon.http.Status.OK_200);
    res.send();
  }

  /**
   * Logs go out on the raw connection: the 200 and its headers leave at once (a follow may wait
   * long for the first line), and the body ends when the connection closes, as dockerd's does.
   */
  private void containerLogs(ApiRequest req, ServerResponse res) throws Exception {
    LogQuery query = ContainerTranslator.logQuery(req.bool("stdout"), req.bool("stderr"), req.query("tail").orElse(""),
        req.query("since").orElse(""), req.query("until").orElse(""), req.bool("follow"));
    boolean timestamps = req.bool("timestamps");
    boolean details = req.bool("details");
    Container c = logs.find(req.path("id"), query);
    boolean multiplexed = !c.config().tty();
    var conn = HijackedConnection.takeOver(false,
        ContainerTranslator.multiplexedMediaType(c.config().tty(), req.version())
            ? HijackedConnection.MULTIPLEXED : HijackedConnection.RAW);
    // Buffered: a log's records go out in 64 KiB writes, flushed whenever the read has caught up.
    var writer = new StdStreamWriter(conn.output(), multiplexed, false);
    // A follow counts until its stream has ended, so a forced remove answers only after it.
    try (LogService.Follow follow = query.follow() ? logs.follow(c) : () -> { }) {
      try {
        logs.read(c, query, new LogSink() {
          @Override
          public void accept(LogEntry e) throws IOException {
            byte[] data = details ? ContainerTranslator.withDetails(e.attrs(), e.data()) : e.data();
            data = timestamps ? ContainerTranslator.withTimestamp(e.time(), data) : data;
            writer.write(e.stream(), data, 0, data.length);
          }

          @Override
          public void flush() throws IOException {
            writer.flush();
          }
        });
        writer.flush();
      } catch (IOException e) {
        // the client went away
      }
      conn.close();
    }
    throw conn.finished();
  }
}
