package dev.berth.server.container;

import dev.berth.core.archive.PathStat;
import dev.berth.core.container.fs.ContainerArchive;
import dev.berth.core.container.lifecycle.ContainerCommit;
import dev.berth.core.container.lifecycle.ContainerService;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;

/** A container's filesystem: copies in and out ({@code docker cp}), changes, export and commit. */
public final class ArchiveHandlers {

  private static final String PATH_STAT = "X-Docker-Container-Path-Stat";

  private final ContainerService containers;
  private final ContainerArchive archive;
  private final ContainerCommit commits;

  public ArchiveHandlers(ContainerService containers, ContainerArchive archive, ContainerCommit commits) {
    this.containers = containers;
    this.archive = archive;
    this.commits = commits;
  }

  public static void routes(ApiRoutes.Operations<ArchiveHandlers> r) {
    r.head("/containers/{id}/archive", ArchiveHandlers::containerArchiveInfo);
    r.get("/containers/{id}/archive", ArchiveHandlers::containerArchive);
    r.put("/containers/{id}/archive", ArchiveHandlers::putContainerArchive);
    r.get("/containers/{id}/changes", ArchiveHandlers::containerChanges);
    r.get("/containers/{id}/export", ArchiveHandlers::containerExport);
    r.post("/commit", ArchiveHandlers::imageCommit);
  }

  private void containerArchiveInfo(ApiRequest req, ServerResponse res) {
    PathStat st = archive.stat(req.path("id"), ContainerTranslator.archivePath(req.query("path")));
    res.header(PATH_STAT, ContainerTranslator.pathStatHeader(st));
    res.status(io.helidon.http.Status.OK_200);
    res.send();
  }

  /** The stat goes in a header, so it is known before the first byte of the tar is written. */
  private void containerArchive(ApiRequest req, ServerResponse res) throws IOException {
    try (var a = archive.archive(req.path("id"), ContainerTranslator.archivePath(req.query("path")))) {
      res.header(PATH_STAT, ContainerTranslator.pathStatHeader(a.stat()));
      res.header(HeaderNames.CONTENT_TYPE, "application/x-tar");
      try (OutputStream out = res.outputStream()) {
        a.writeTo(out);
      }
    }
  }

  private void putContainerArchive(ApiRequest req, ServerResponse res) {
    archive.extract(req.path("id"), ContainerTranslator.archivePath(req.query("path")),
        req.bool("noOverwriteDirNonDir"), req.bool("copyUIDGID"), req.bodyStream());
    res.status(io.helidon.http.Status.OK_200);
    res.send();
  }

  private void containerChanges(ApiRequest req, ServerResponse res) {
    Responses.json(res, 200, ContainerTranslator.changes(archive.changes(req.path("id"))));
  }

  /** An unknown container is a 404 before the tar's headers go out. */
  private void containerExport(ApiRequest req, ServerResponse res) throws IOException {
    containers.find(req.path("id"));
    res.header(HeaderNames.CONTENT_TYPE, "application/x-tar");
    try (OutputStream out = res.outputStream()) {
      archive.export(req.path("id"), out);
    }
  }

  private void imageCommit(ApiRequest req, ServerResponse res) {
    var request = ContainerTranslator.commitRequest(req.bodyBytes(), req.query("repo").orElse(""),
        req.query("tag").orElse(""), req.query("author").orElse(""), req.query("comment").orElse(""),
        req.queryAll("changes"), req.query("pause"));
    var id = commits.commit(req.query("container").orElse(""), request);
    Responses.json(res, 201, new ContainerJson.CommitResponse(id.toString()));
  }
}
