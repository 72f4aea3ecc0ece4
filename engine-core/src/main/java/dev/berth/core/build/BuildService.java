package dev.berth.core.build;

import dev.berth.core.container.lifecycle.Containers;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageService;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code docker build} with dockerd's classic builder ({@code POST /build}, version 1): the
 * context is extracted into a directory of the build's own under {@code <root>/contexts}, the
 * Dockerfile parsed and run step by step, the result tagged. The step cache lives in
 * {@code <root>/cache}.
 */
public final class BuildService {

  private final Path root;
  private final ImageService images;
  private final StepContainers containers;
  private final BuildCache cache;

  public BuildService(Path root, ImageService images, Containers containers) {
    this(root, images, new StepContainers(containers));
  }

  BuildService(Path root, ImageService images, StepContainers containers) {
    this.root = root;
    this.images = images;
    this.containers = containers;
    this.cache = new BuildCache(root.resolve("cache"));
  }

  /** Deletes the contexts and scratch files of builds a crash interrupted. Call once at start-up. */
  public void removeLeftovers() {
    FileTrees.delete(root.resolve("contexts"));
  }

  /**
   * Builds, reporting to {@code out}, and tags the result with every tag asked for, reporting
   * "Successfully built" and each "Successfully tagged" as dockerd's build backend does.
   *
   * @throws InvalidArgumentException for a context or Dockerfile dockerd refuses, before any step ran
   * @throws InternalException when the Dockerfile is not in the context, as dockerd (a 500)
   * @throws StepFailedException when a RUN exits non-zero
   */
  public ImageId build(BuildOptions options, InputStream contextTar, BuildOutput out) {
    Path dir;
    try {
      Files.createDirectories(root.resolve("contexts"));
      dir = Files.createTempDirectory(root.resolve("contexts"), "build-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path work = dir.resolve("work");
      Files.createDirectories(work);
      try (BuildContext context = BuildContext.extract(contextTar, dir.resolve("context"))) {
        Dockerfile df = dockerfile(context, options.dockerfile());
        var builder = new Builder(images, containers, cache, options, out, context, work, df.escape());
        ImageId id = builder.build(df);
        out.stream("Successfully built " + Builder.shortId(id) + "\n");
        for (ImageReference tag : options.tags()) {
          images.tag(id.toString(), tag.repository(), tag.tag());
          out.stream("Successfully tagged " + tag.familiar() + "\n");
        }
        return id;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      FileTrees.delete(dir);
    }
  }

  /** moby remotecontext: the named Dockerfile (or "dockerfile"), and the .dockerignore rule that removes them. */
  private static Dockerfile dockerfile(BuildContext context, String path) {
    String name = path;
    String rel = DockerIgnore.GoPathClean.clean(path);
    if (rel.equals("..") || rel.startsWith("../")) {
      throw new InternalException("forbidden path outside the build context: " + path + " ()");
    }
    String text = context.read(name).orElse(null);
    if (text == null && name.equals("Dockerfile")) {
      name = "dockerfile";
      text = context.read(name).orElse(null);
    }
    if (text == null) {
      // A plain error in dockerd (no errdefs class), so a 500, in 20.10 as in 28.
      throw new InternalException("Cannot locate specified Dockerfile: " + path);
    }
    if (text.isEmpty()) {
      throw new InvalidArgumentException("the Dockerfile (" + name + ") cannot be empty");
    }
    // dockerd removes the Dockerfile and .dockerignore from the context when .dockerignore excludes them.
    DockerIgnore ignore = context.read(".dockerignore").map(DockerIgnore::parse).orElse(DockerIgnore.NONE);
    for (String f : new String[] {".dockerignore", name}) {
      if (ignore.excludes(f)) {
        context.delete(f);
      }
    }
    try {
      return Dockerfile.parse(text);
    } catch (InvalidArgumentException e) {
      if (e.getMessage().startsWith("dockerfile parse error")) {
        throw e;
      }
      throw new InvalidArgumentException("failed to parse " + name + ": " + e.getMessage());
    }
  }

  /** What {@code POST /build/prune} reclaimed: cache entries forgotten. */
  public record PruneResult(long entries) {}

  /** Forgets the step cache (the images stay; {@code docker image prune} removes the dangling ones). */
  public PruneResult prune() {
    long n = cache.clear();
    return new PruneResult(n);
  }
}
