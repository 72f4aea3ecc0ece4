package dev.berth.server.build;

import dev.berth.core.build.BuildOptions;
import dev.berth.core.build.BuildOutput;
import dev.berth.core.build.BuildService;
import dev.berth.core.build.StepFailedException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.Platform;
import dev.berth.core.image.distribution.RegistryService;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Responses;
import dev.berth.server.image.ProgressTranslator;
import dev.berth.server.stream.JsonLines;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /build} (the classic builder's JSON stream), {@code POST /build/prune}, and the
 * BuildKit-only {@code /session}, refused.
 */
public final class BuildHandlers {

  private static final HeaderName REGISTRY_CONFIG = HeaderNames.create("X-Registry-Config");

  private final BuildService builds;
  private final RegistryService registry;

  public BuildHandlers(BuildService builds, RegistryService registry) {
    this.builds = builds;
    this.registry = registry;
  }

  public static void routes(ApiRoutes.Operations<BuildHandlers> r) {
    r.post("/build", BuildHandlers::imageBuild);
    r.post("/build/prune", BuildHandlers::buildPrune);
    r.post("/session", BuildHandlers::session);
  }

  /**
   * Errors found before the first message (a bad query, a context or Dockerfile dockerd refuses)
   * are plain HTTP errors, as dockerd answers them; later ones end the stream as an error
   * message. With {@code q} the stream is held back and only the image ID is sent, unless the
   * build fails, when what was held is sent before the error.
   */
  private void imageBuild(ApiRequest req, ServerResponse res) throws Exception {
    BuildOptions options = BuildTranslator.options(req);
    boolean quiet = req.bool("q");
    String registryConfig = req.header(REGISTRY_CONFIG).orElse(null);
    try (var lines = new JsonLines(res)) {
      List<Object> held = new ArrayList<>();
      java.util.function.Consumer<Object> emit = m -> {
        if (quiet) {
          held.add(m);
        } else {
          lines.send(m);
        }
      };
      BuildOutput out = new BuildOutput() {
        @Override
        public void stream(String text) {
          emit.accept(new BuildJson.Stream(text));
        }

        @Override
        public void aux(ImageId id) {
          emit.accept(new BuildJson.Aux(new BuildJson.Id(id.toString())));
        }

        @Override
        public void heartbeat() {
          lines.whitespace();
        }

        @Override
        public void pull(ImageReference ref) {
          registry.pull(ref, Platform.host(), BuildTranslator.credentials(registryConfig, ref),
              p -> emit.accept(ProgressTranslator.line(p)));
        }
      };
      try {
        ImageId id = builds.build(options, req.bodyStream(), out);
        if (quiet) {
          lines.send(new BuildJson.Stream(id + "\n"));
        }
      } catch (UncheckedIOException clientGone) {
        // The client went away: the build stopped at its next message and removed its containers.
      } catch (StepFailedException e) {
        held.forEach(lines::send);
        lines.send(new BuildJson.ErrorLine(new BuildJson.ErrorDetail(e.code(), e.getMessage()), e.getMessage()));
      } catch (RuntimeException e) {
        if (!lines.started() && held.isEmpty()) {
          throw e;
        }
        held.forEach(lines::send);
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        lines.send(new BuildJson.ErrorLine(new BuildJson.ErrorDetail(null, m), m));
      }
    }
  }

  /** {@code docker builder prune}: the step cache is forgotten (the images stay, as image prune's to remove). */
  private void buildPrune(ApiRequest req, ServerResponse res) {
    for (String p : List.of("reserved-space", "keep-storage", "max-used-space", "min-free-space")) {
      String v = req.query(p).orElse("");
      if (!v.isEmpty()) {
        try {
          Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new InvalidArgumentException(p + " is in bytes and expects an integer, got " + v);
        }
        if (Long.parseLong(v) != 0) {
          throw new InvalidArgumentException("berth's build cache is an index of images: " + p
              + " is not supported; prune removes every entry");
        }
      }
    }
    String filters = req.query("filters").orElse("");
    if (!filters.isEmpty() && !filters.equals("{}")) {
      throw new InvalidArgumentException("berth's build cache has no filters: prune removes every entry");
    }
    builds.prune();
    Responses.json(res, 200, new BuildJson.PruneResponse(null, 0));
  }

  private void session(ApiRequest req, ServerResponse res) {
    throw new InvalidArgumentException(BuildTranslator.NO_BUILDKIT);
  }
}
