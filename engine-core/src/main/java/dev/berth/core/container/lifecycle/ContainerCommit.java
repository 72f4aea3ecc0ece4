package dev.berth.core.container.lifecycle;

import dev.berth.core.archive.TarWriter;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerLocks;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.EngineException;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.core.image.ImageService;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code docker commit} (moby daemon/commit.go): the container's upper directory as a new layer
 * on its image, with its config (or the one given) as the image's defaults.
 */
public final class ContainerCommit {

  private final ContainerService containers;
  private final ContainerLifecycle lifecycle;
  private final ContainerRootfs rootfs;
  private final ImageService images;
  private final ContainerLocks locks;

  ContainerCommit(ContainerService containers, ContainerLifecycle lifecycle, ContainerRootfs rootfs,
      ImageService images, ContainerLocks locks) {
    this.containers = containers;
    this.lifecycle = lifecycle;
    this.rootfs = rootfs;
    this.images = images;
    this.locks = locks;
  }

  /**
   * What to commit.
   *
   * @param config the image config to use instead of the container's (its gaps filled from the
   *     container's); null for the container's own
   * @param changes Dockerfile instructions applied on top ({@code CMD}, {@code LABEL}, ...)
   * @param pause freeze a running container while its changes are read (dockerd's default)
   * @param tag where to point the new image, or null
   */
  public record Request(ContainerConfig config, List<String> changes, String author, String comment, boolean pause,
      ImageReference tag) {}

  /**
   * @throws ConflictException for a dead container, as dockerd refuses it
   */
  public ImageId commit(String ref, Request r) {
    Container c = containers.find(ref);
    if (c.state() instanceof ContainerState.Dead) {
      throw new ConflictException("You cannot commit container " + c.id().hex() + " which is Dead");
    }
    return locks.with(c.id(), () -> {
      Container now = containers.get(c.id()).orElseThrow();
      boolean paused = false;
      if (r.pause() && now.state() instanceof ContainerState.Running) {
        // As dockerd, which ignores a pause that fails: a container that exits meanwhile (a
        // `docker run -d` just done) is committed as an exited one is, without one.
        try {
          lifecycle.pause(now.id().hex());
          paused = true;
        } catch (EngineException exitedMeanwhile) {
          paused = false;
        }
      }
      try {
        Path upper = rootfs.upper(now.id());
        var info = new ImageService.CommitInfo(runConfig(now, r.config()), r.changes(), r.author(), r.comment(),
            String.join(" ", Optional.ofNullable(now.config().cmd()).orElse(List.of())), r.tag());
        return images.commit(now.imageId(), out -> writeLayer(upper, out), info);
      } finally {
        if (paused) {
          unpause(now);
        }
      }
    });
  }

  /**
   * A build step's commit (moby CommitBuildStep): the container's changes on its image, with the
   * config the builder computed taken as it is (no merge with the container's own), and
   * {@code createdBy} as the history entry.
   */
  public ImageId commitStep(String ref, ImageRunConfig config, String author, String createdBy) {
    Container c = containers.find(ref);
    return locks.with(c.id(), () -> {
      Path upper = rootfs.upper(c.id());
      var info = new ImageService.CommitInfo(config, List.of(), author, "", createdBy, null);
      return images.commit(c.imageId(), out -> writeLayer(upper, out), info);
    });
  }

  /** The container's upper directory as a layer tar. */
  private static void writeLayer(Path upper, java.io.OutputStream out) throws java.io.IOException {
    var tar = new TarWriter(out, true);
    if (Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS)) {
      // By descriptors: a container committed without a pause may swap directories for symlinks meanwhile.
      try (RootedPath tree = RootedPath.open(upper)) {
        tar.addContents(tree);
      }
    }
    tar.finish();
  }

  // As dockerd, whose unpause error is ignored too: a container that exited while paused has nothing to thaw.
  private void unpause(Container c) {
    try {
      lifecycle.unpause(c.id().hex());
    } catch (EngineException exitedMeanwhile) {
      // nothing to thaw
    }
  }

  /** The container's config as image defaults; a given config wins where it sets a field (moby merge). */
  static ImageRunConfig runConfig(Container c, ContainerConfig given) {
    ImageRunConfig own = of(c.config());
    if (given == null) {
      return own;
    }
    return of(ImageDefaults.merge(given, own, c.id()));
  }

  private static ImageRunConfig of(ContainerConfig c) {
    return new ImageRunConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(),
        c.workingDir(), c.labels(), c.stopSignal(), c.stopTimeout(), c.healthcheck(), c.onBuild(), c.shell(),
        c.argsEscaped());
  }
}
