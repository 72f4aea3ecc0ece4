package dev.berth.server.container;

import dev.berth.core.container.attach.StdioSession;
import dev.berth.core.container.exec.ExecInstance;
import dev.berth.core.container.exec.ExecService;
import dev.berth.core.container.model.ExecConfig;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Json;
import dev.berth.server.api.Responses;
import dev.berth.server.stream.HijackedConnection;
import dev.berth.server.stream.StdioPump;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** {@code docker exec}: create, start (hijacked or detached), resize, inspect. */
public final class ExecHandlers {

  private final ExecService execs;

  public ExecHandlers(ExecService execs) {
    this.execs = execs;
  }

  public static void routes(ApiRoutes.Operations<ExecHandlers> r) {
    r.post("/containers/{id}/exec", ExecHandlers::containerExec);
    r.post("/exec/{id}/start", ExecHandlers::execStart);
    r.post("/exec/{id}/resize", ExecHandlers::execResize);
    r.get("/exec/{id}/json", ExecHandlers::execInspect);
  }

  private void containerExec(ApiRequest req, ServerResponse res) {
    ExecJson.Create body = Json.read(req.bodyBytes(), ExecJson.Create.class, null);
    ExecInstance e = execs.create(req.path("id"), ExecTranslator.config(body, req.version()));
    Responses.json(res, 201, new ExecJson.IdResponse(e.id()));
  }

  /**
   * The body comes first (Helidon reads exactly its length, leaving what follows for stdin); then
   * the connection is taken over, as for attach, and only then does the process start, as with
   * dockerd: a client that reads the answer's head through a buffer and then the raw socket
   * (docker-py) would lose output that came in the same read as the head. The stream ends only
   * after the exit code is recorded: the CLI asks for it the moment the stream closes.
   */
  private void execStart(ApiRequest req, ServerResponse res) throws Exception {
    ExecJson.Start body = Json.read(req.bodyBytes(), ExecJson.Start.class, new ExecJson.Start(false, false, null));
    ExecService.Claimed e = execs.claim(req.path("id"));
    ExecService.StartOptions options = ExecTranslator.startOptions(body, e.instance().config(), req.version());
    if (options.detach()) {
      execs.launch(e, options);
      res.status(Status.OK_200);
      res.send();
      return;
    }
    var conn = HijackedConnection.takeOver(req.wantsUpgrade(), ExecTranslator.mediaType(options, req.wantsUpgrade(),
        req.version()));
    try (StdioSession session = execs.launch(e, options)) {
      throw StdioPump.run(conn, session);
    }
  }

  private void execResize(ApiRequest req, ServerResponse res) throws InterruptedException {
    execs.resize(req.path("id"), ContainerTranslator.dimension(req, "h"), ContainerTranslator.dimension(req, "w"));
    res.status(Status.OK_200);
    res.send();
  }

  private void execInspect(ApiRequest req, ServerResponse res) {
    ExecInstance e = execs.find(req.path("id"));
    ExecConfig c = e.config();
    var process = new ExecJson.ProcessConfig(c.privileged(), c.user(), c.tty(), c.cmd().getFirst(),
        c.cmd().subList(1, c.cmd().size()));
    boolean running = e.phase() == ExecInstance.Phase.RUNNING;
    Responses.json(res, 200, new ExecJson.Inspect(false, e.containerId().hex(), "", e.exitCode().isPresent()
        ? e.exitCode().getAsInt() : null, e.id(), c.attachStderr(), c.attachStdin(), c.attachStdout(), process,
        running, e.pid()));
  }
}
