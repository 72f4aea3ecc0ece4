package dev.berth.server.image;

import dev.berth.core.image.Platform;
import dev.berth.core.image.distribution.RegistryService;
import dev.berth.core.image.registry.Credentials;
import io.helidon.http.HeaderName;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageService;
import dev.berth.core.image.LoadedImage;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.PruneFilters;
import dev.berth.server.api.Responses;
import dev.berth.server.stream.JsonLines;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.util.List;

/** The {@code /images} endpoints. */
public final class ImageHandlers {

  private static final java.util.Set<String> PRUNE_FILTERS = java.util.Set.of("dangling", "label", "label!", "until");
  static final HeaderName REGISTRY_AUTH = HeaderNames.create("X-Registry-Auth");

  private final ImageService images;
  private final RegistryService registry;
  private final java.time.Clock clock;

  public ImageHandlers(ImageService images, RegistryService registry, java.time.Clock clock) {
    this.images = images;
    this.registry = registry;
    this.clock = clock;
  }

  public static void routes(ApiRoutes.Operations<ImageHandlers> r) {
    r.get("/images/json", ImageHandlers::imageList);
    r.post("/images/prune", ImageHandlers::imagePrune);
    r.post("/images/load", ImageHandlers::imageLoad);
    r.post("/images/create", ImageHandlers::imageCreate);
    r.get("/images/get", ImageHandlers::imageGetAll);
    r.get("/images/{name*}/json", ImageHandlers::imageInspect);
    r.get("/images/{name*}/history", ImageHandlers::imageHistory);
    r.get("/images/{name*}/get", ImageHandlers::imageGet);
    r.post("/images/{name*}/tag", ImageHandlers::imageTag);
    r.delete("/images/{name*}", ImageHandlers::imageDelete);
    r.get("/distribution/{name*}/json", ImageHandlers::distributionInspect);
  }

  /** {@code GET /distribution/{name}/json}: what the registry holds under the name, nothing pulled. */
  private void distributionInspect(ApiRequest req, ServerResponse res) {
    ImageReference ref = ImageTranslator.pullReference(req.path("name"), "");
    Credentials creds = RegistryAuthTranslator.header(req.header(REGISTRY_AUTH).orElse(null));
    Responses.json(res, 200, ImageTranslator.distribution(registry.distribution(ref, creds)));
  }

  private void imageList(ApiRequest req, ServerResponse res) {
    var filter = ImageTranslator.filter(req.filters());
    Responses.json(res, 200, images.list(filter).stream().map(ImageTranslator::summary).toList());
  }

  private void imagePrune(ApiRequest req, ServerResponse res) {
    var filters = req.filters();
    var filter = PruneFilters.parse(filters, PRUNE_FILTERS, clock.instant());
    var result = images.prune(ImageTranslator.pruneDanglingOnly(filters.get("dangling")), filter);
    Responses.json(res, 200, new ImageJson.PruneResponse(result.deleted().isEmpty() ? null
        : result.deleted().stream().map(ImageTranslator::deletion).toList(), result.spaceReclaimed()));
  }

  private void imageInspect(ApiRequest req, ServerResponse res) {
    Image i = images.find(req.path("name"));
    Responses.json(res, 200, ImageTranslator.inspect(i, images.layerDirs(i.id())));
  }

  private void imageHistory(ApiRequest req, ServerResponse res) {
    Responses.json(res, 200, images.history(req.path("name")).stream().map(ImageTranslator::history).toList());
  }

  private void imageTag(ApiRequest req, ServerResponse res) {
    images.tag(req.path("name"), req.query("repo").orElse(""), req.query("tag").orElse(""));
    res.status(Status.CREATED_201);
    res.send();
  }

  private void imageDelete(ApiRequest req, ServerResponse res) {
    var deleted = images.remove(req.path("name"), req.bool("force"), req.bool("noprune"));
    Responses.json(res, 200, deleted.stream().map(ImageTranslator::deletion).toList());
  }

  /** {@code docker load}: the CLI parses the answer only when its Content-Type is exactly application/json. */
  private void imageLoad(ApiRequest req, ServerResponse res) throws Exception {
    try (var lines = new JsonLines(res)) {
      try {
        List<LoadedImage> loaded = images.load(req.bodyStream(), line -> lines.send(new ImageJson.Stream(line + "\n")));
        if (loaded.isEmpty() && !lines.started()) {
          // An archive with no images still gets a well-formed stream.
          lines.send(new ImageJson.Stream(""));
        }
      } catch (RuntimeException e) {
        lines.fail(e);
      }
    }
  }

  /** A pull ({@code fromImage}) or the import of a rootfs tar ({@code fromSrc=-}). */
  private void imageCreate(ApiRequest req, ServerResponse res) throws Exception {
    if (req.query("fromImage").filter(s -> !s.isEmpty()).isPresent()) {
      imagePull(req, res);
      return;
    }
    String src = req.query("fromSrc").orElse("");
    if (!src.equals("-")) {
      throw new dev.berth.core.error.InvalidArgumentException("importing from a URL is not supported; use fromSrc=-");
    }
    String repo = req.query("repo").orElse("");
    String tagParam = req.query("tag").orElse("");
    // The CLI sends "repo:tag" in repo; a separate tag parameter overrides the one in it.
    ImageReference tag = repo.isEmpty() ? null
        : tagParam.isEmpty() ? ImageReference.parse(repo).withDefaultTag() : ImageReference.parse(repo).withTag(tagParam);
    try (var lines = new JsonLines(res)) {
      try {
        ImageId id = images.importRootfs(req.bodyStream(), tag, req.queryAll("changes"), req.query("message").orElse(""));
        lines.send(new ImageJson.Status(id.toString()));
      } catch (RuntimeException e) {
        lines.fail(e);
      }
    }
  }

  /**
   * {@code docker pull}: errors found before the first progress line (a bad reference, an unknown
   * tag) are plain HTTP errors, as the CLI expects; later ones travel in the stream.
   */
  private void imagePull(ApiRequest req, ServerResponse res) throws Exception {
    ImageReference ref = ImageTranslator.pullReference(req.query("fromImage").orElse(""), req.query("tag").orElse(""));
    Platform platform = ImageTranslator.platform(req.query("platform").orElse(""));
    Credentials creds = RegistryAuthTranslator.header(req.header(REGISTRY_AUTH).orElse(null));
    try (var lines = new JsonLines(res)) {
      try {
        registry.pull(ref, platform, creds, p -> lines.send(ProgressTranslator.line(p)));
      } catch (RuntimeException e) {
        lines.fail(e);
      }
    }
  }

  private void imageGet(ApiRequest req, ServerResponse res) throws Exception {
    save(List.of(req.path("name")), res);
  }

  private void imageGetAll(ApiRequest req, ServerResponse res) throws Exception {
    save(req.queryAll("names"), res);
  }

  private void save(List<String> names, ServerResponse res) throws Exception {
    names.forEach(images::find);
    res.header(HeaderNames.CONTENT_TYPE, "application/x-tar");
    try (OutputStream out = res.outputStream()) {
      images.save(names, out);
    }
  }
}
