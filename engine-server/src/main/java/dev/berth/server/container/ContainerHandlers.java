package dev.berth.server.container;

import dev.berth.core.archive.PathStat;
import dev.berth.core.container.AttachOptions;
import dev.berth.core.container.AttachSession;
import dev.berth.core.container.Container;
import dev.berth.core.container.Containers;
import dev.berth.core.container.ExitStatus;
import dev.berth.core.container.WaitCondition;
import dev.berth.core.image.ImageService;
import dev.berth.core.logs.LogQuery;
import dev.berth.core.prune.PruneReport;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Json;
import dev.berth.server.api.PruneFilters;
import dev.berth.server.api.Responses;
import dev.berth.server.stream.HijackedConnection;
import dev.berth.server.stream.StdStreamWriter;
import dev.berth.server.stream.StdioPump;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The {@code /containers} endpoints. Handlers parse, make one domain call, and answer. */
public final class ContainerHandlers implements ApiRoutes.Group {

  private static final String PATH_STAT = "X-Docker-Container-Path-Stat";
  private static final java.util.Set<String> PRUNE_FILTERS = java.util.Set.of("label", "label!", "until");

  private final Containers engine;
  private final ImageService images;
  private final InspectFacts facts;
  private final Clock clock;

  /** Engine facts the inspect shape reports. */
  public record InspectFacts(java.nio.file.Path containersDir, String runtime, dev.berth.core.runtime.AppArmor appArmor,
      java.nio.file.Path netnsDir) {}

  public ContainerHandlers(Containers c, ImageService images, InspectFacts facts, Clock clock) {
    this.engine = c;
    this.images = images;
    this.facts = facts;
    this.clock = clock;
  }

  @Override
  public void routes(ApiRoutes r) {
    r.post("/containers/create", this::containerCreate);
    r.get("/containers/json", this::containerList);
    r.get("/containers/{id}/json", this::containerInspect);
    r.post("/containers/{id}/start", this::containerStart);
    r.post("/containers/{id}/stop", this::containerStop);
    r.post("/containers/{id}/restart", this::containerRestart);
    r.post("/containers/{id}/kill", this::containerKill);
    r.post("/containers/{id}/rename", this::containerRename);
    r.post("/containers/{id}/wait", this::containerWait);
    r.post("/containers/{id}/attach", this::containerAttach);
    r.get("/containers/{id}/logs", this::containerLogs);
    r.post("/containers/{id}/resize", this::containerResize);
    r.post("/containers/{id}/pause", this::containerPause);
    r.post("/containers/{id}/unpause", this::containerUnpause);
    r.get("/containers/{id}/top", this::containerTop);
    r.post("/containers/{id}/update", this::containerUpdate);
    r.delete("/containers/{id}", this::containerDelete);
    r.head("/containers/{id}/archive", this::containerArchiveInfo);
    r.get("/containers/{id}/archive", this::containerArchive);
    r.put("/containers/{id}/archive", this::putContainerArchive);
    r.get("/containers/{id}/changes", this::containerChanges);
    r.get("/containers/{id}/export", this::containerExport);
    r.post("/containers/prune", this::containerPrune);
    r.post("/commit", this::imageCommit);
  }

  private void containerArchiveInfo(ApiRequest req, ServerResponse res) {
    PathStat st = engine.archive().stat(req.path("id"), ContainerTranslator.archivePath(req.query("path")));
    res.header(PATH_STAT, ContainerTranslator.pathStatHeader(st));
    res.status(io.helidon.http.Status.OK_200);
    res.send();
  }

  /** The stat goes in a header, so it is known before the first byte of the tar is written. */
  private void containerArchive(ApiRequest req, ServerResponse res) throws IOException {
    try (var archive = engine.archive().archive(req.path("id"), ContainerTranslator.archivePath(req.query("path")))) {
      res.header(PATH_STAT, ContainerTranslator.pathStatHeader(archive.stat()));
      res.header(HeaderNames.CONTENT_TYPE, "application/x-tar");
      try (OutputStream out = res.outputStream()) {
        archive.writeTo(out);
      }
    }
  }

  private void putContainerArchive(ApiRequest req, ServerResponse res) {
    engine.archive().extract(req.path("id"), ContainerTranslator.archivePath(req.query("path")),
        req.bool("noOverwriteDirNonDir"), req.bool("copyUIDGID"), req.bodyStream());
    res.status(io.helidon.http.Status.OK_200);
    res.send();
  }

  private void containerChanges(ApiRequest req, ServerResponse res) {
    Responses.json(res, 200, ContainerTranslator.changes(engine.archive().changes(req.path("id"))));
  }

  private void containerExport(ApiRequest req, ServerResponse res) throws IOException {
    engine.service().find(req.path("id"));
    res.header(HeaderNames.CONTENT_TYPE, "application/x-tar");
    try (OutputStream out = res.outputStream()) {
      engine.archive().export(req.path("id"), out);
    }
  }

  private void containerPrune(ApiRequest req, ServerResponse res) {
    var filter = PruneFilters.parse(req.filters(), PRUNE_FILTERS, clock.instant());
    PruneReport report = engine.lifecycle().prune(filter);
    Responses.json(res, 200, new ContainerJson.PruneResponse(report.deleted().isEmpty() ? null : report.deleted(),
        report.spaceReclaimed()));
  }

  private void imageCommit(ApiRequest req, ServerResponse res) {
    var request = ContainerTranslator.commitRequest(req.bodyBytes(), req.query("repo").orElse(""),
        req.query("tag").orElse(""), req.query("author").orElse(""), req.query("comment").orElse(""),
        req.queryAll("changes"), req.query("pause"));
    var id = engine.commits().commit(req.query("container").orElse(""), request);
    Responses.json(res, 201, new ContainerJson.CommitResponse(id.toString()));
  }

  private void containerCreate(ApiRequest req, ServerResponse res) {
    var request = ContainerTranslator.createRequest(req.bodyBytes(), req.query("name").orElse(null));
    Container c = engine.service().create(request);
    Responses.json(res, 201, new ContainerJson.CreateResponse(c.id().hex(), List.of()));
  }

  private void containerList(ApiRequest req, ServerResponse res) {
    int limit = req.integer("limit").orElse(-1);
    var filter = ContainerTranslator.filter(req.bool("all"), limit, req.filters());
    var now = clock.instant();
    boolean size = req.bool("size");
    Responses.json(res, 200, engine.service().list(filter).stream()
        .map(c -> ContainerTranslator.summary(c, now, size ? engine.service().diskUsage(c) : null,
            engine.lifecycle().health(c.id()).orElse(null))).toList());
  }

  private void containerInspect(ApiRequest req, ServerResponse res) {
    Container c = engine.service().find(req.path("id"));
    var dir = facts.containersDir().resolve(c.id().hex());
    // dockerd lists the container's init layer first in LowerDir, above the image's layers.
    var lowers = new java.util.ArrayList<java.nio.file.Path>();
    if (java.nio.file.Files.isDirectory(dir.resolve("init"))) {
      lowers.add(dir.resolve("init"));
    }
    lowers.addAll(images.layerDirs(c.imageId()));
    var ctx = new ContainerTranslator.InspectContext(dir, lowers, facts.runtime(), facts.appArmor(),
        clock.instant(), engine.lifecycle().health(c.id()).orElse(null),
        engine.execs().idsOf(c.id()), facts.netnsDir().resolve(c.id().hex()).toString());
    Responses.json(res, 200, ContainerTranslator.inspect(c, ctx, req.bool("size") ? engine.service().diskUsage(c) : null));
  }

  private void containerStart(ApiRequest req, ServerResponse res) {
    engine.lifecycle().start(req.path("id"));
    Responses.noContent(res);
  }

  private void containerStop(ApiRequest req, ServerResponse res) {
    engine.lifecycle().stop(req.path("id"), timeout(req), req.query("signal").orElse(null));
    Responses.noContent(res);
  }

  private void containerRestart(ApiRequest req, ServerResponse res) {
    engine.lifecycle().restart(req.path("id"), timeout(req), req.query("signal").orElse(null));
    Responses.noContent(res);
  }

  private void containerKill(ApiRequest req, ServerResponse res) {
    engine.lifecycle().kill(req.path("id"), req.query("signal").orElse(null));
    Responses.noContent(res);
  }

  private void containerRename(ApiRequest req, ServerResponse res) {
    engine.service().rename(req.path("id"), req.query("name").orElse(""));
    Responses.noContent(res);
  }

  private void containerDelete(ApiRequest req, ServerResponse res) {
    engine.lifecycle().remove(req.path("id"), req.bool("force"), req.bool("v"));
    Responses.noContent(res);
  }

  /**
   * The CLI starts a container only after this answer's headers arrive, so they go out before
   * the wait is over: one space of JSON whitespace, flushed, then the result when it comes.
   */
  private void containerWait(ApiRequest req, ServerResponse res) throws Exception {
    WaitCondition condition = WaitCondition.parse(req.query("condition").orElse(""));
    CompletableFuture<ExitStatus> exit = engine.lifecycle().waitFor(req.path("id"), condition);
    res.header(HeaderNames.CONTENT_TYPE, Responses.JSON);
    try (OutputStream out = res.outputStream()) {
      out.write(' ');
      out.flush();
      ExitStatus s = exit.get();
      out.write(Json.bytes(new ContainerJson.WaitResponse(s.code(),
          s.error() == null || s.error().isEmpty() ? null : new ContainerJson.WaitError(s.error()))));
      out.write('\n');
    }
  }

  /**
   * Attach hijacks the connection (101 with {@code Upgrade: tcp}, else a bare 200 as dockerd
   * answers docker-java) and copies stdin in and output out until the container's output ends.
   */
  private void containerAttach(ApiRequest req, ServerResponse res) throws Exception {
    var options = new AttachOptions(req.bool("stdin"), req.bool("stdout"), req.bool("stderr"), req.bool("stream"),
        req.bool("logs"), ContainerTranslator.detachKeys(req.query("detachKeys").orElse("")));
    try (AttachSession session = engine.attach().open(req.path("id"), options)) {
      throw StdioPump.run(session, req.wantsUpgrade(), !session.tty() && req.version().atLeast(1, 42));
    }
  }

  private void containerPause(ApiRequest req, ServerResponse res) {
    engine.lifecycle().pause(req.path("id"));
    Responses.noContent(res);
  }

  private void containerUnpause(ApiRequest req, ServerResponse res) {
    engine.lifecycle().unpause(req.path("id"));
    Responses.noContent(res);
  }

  private void containerTop(ApiRequest req, ServerResponse res) {
    var table = engine.lifecycle().top(req.path("id"), req.query("ps_args").orElse(""));
    Responses.json(res, 200, new ContainerJson.Top(table.titles(), table.processes()));
  }

  private void containerUpdate(ApiRequest req, ServerResponse res) {
    var update = ContainerTranslator.update(req.bodyBytes());
    engine.lifecycle().update(req.path("id"), update.resources(), update.restartPolicy());
    Responses.json(res, 200, new ContainerJson.UpdateResponse(List.of()));
  }

  private void containerResize(ApiRequest req, ServerResponse res) {
    engine.attach().resize(req.path("id"), ContainerTranslator.dimension(req, "h"), ContainerTranslator.dimension(req, "w"));
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
    Container c = engine.logs().find(req.path("id"), query);
    boolean multiplexed = !c.config().tty();
    var conn = HijackedConnection.takeOver(false, multiplexed && req.version().atLeast(1, 42)
        ? HijackedConnection.MULTIPLEXED : HijackedConnection.RAW);
    var writer = new StdStreamWriter(conn.output(), multiplexed);
    try {
      engine.logs().read(c, query, e -> {
        byte[] data = timestamps ? ContainerTranslator.withTimestamp(e.time(), e.data()) : e.data();
        writer.write(e.stream(), data, 0, data.length);
      });
    } catch (IOException e) {
      // the client went away
    }
    throw conn.finished();
  }

  private static Integer timeout(ApiRequest req) {
    return req.integer("t").or(() -> req.integer("timeout")).orElse(null);
  }
}
