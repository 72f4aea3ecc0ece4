package dev.berth.core.build;

import dev.berth.core.archive.PathStat;
import dev.berth.core.container.attach.AttachOptions;
import dev.berth.core.container.attach.AttachService;
import dev.berth.core.container.attach.AttachSession;
import dev.berth.core.container.fs.ContainerArchive;
import dev.berth.core.container.lifecycle.ContainerCommit;
import dev.berth.core.container.lifecycle.ContainerService;
import dev.berth.core.container.lifecycle.ContainerLifecycle;
import dev.berth.core.container.lifecycle.Containers;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerCreateRequest;
import dev.berth.core.container.model.ExitStatus;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.RuntimeOptions;
import dev.berth.core.container.model.StorageOptions;
import dev.berth.core.container.model.WaitCondition;
import dev.berth.core.error.EngineException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.core.logs.StdStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The builder's containers, on berth's own container services (moby's containerManager): a step
 * container is an ordinary container, created, started, attached, committed and removed as a
 * client would, so it is confined, limited and networked like any other.
 */
final class StepContainers {

  private final ContainerService service;
  private final ContainerLifecycle lifecycle;
  private final AttachService attach;
  private final ContainerArchive archive;
  private final ContainerCommit commits;

  StepContainers(Containers c) {
    this(c.service(), c.lifecycle(), c.attach(), c.archive(), c.commits());
  }

  StepContainers(ContainerService service, ContainerLifecycle lifecycle, AttachService attach,
      ContainerArchive archive, ContainerCommit commits) {
    this.service = service;
    this.lifecycle = lifecycle;
    this.attach = attach;
    this.archive = archive;
    this.commits = commits;
  }

  /** Creates (does not start) a container of {@code image} running {@code config}; returns its full ID. */
  String create(ImageId image, ImageRunConfig config, List<String> cmd, List<String> entrypoint, List<String> env,
      boolean noHealthcheck, BuildOptions o) {
    var cc = new ContainerConfig(image.toString(), entrypoint, cmd, env, config.workingDir(), config.user(), "", "",
        config.labels(), false, false, false, false, true, true, config.stopSignal(), config.stopTimeout(),
        config.exposedPorts(), config.volumes(),
        noHealthcheck ? new dev.berth.core.image.Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0) : config.healthcheck(),
        config.onBuild(), config.shell(), config.argsEscaped());
    HostConfig host = HostConfig.DEFAULT
        .withNetworkMode(o.networkMode().isEmpty() ? "default" : o.networkMode())
        .withResources(o.resources())
        .withStorage(new StorageOptions(null, null, null, null, o.shmSize(), null))
        .withRuntimeOptions(new RuntimeOptions(null, o.cgroupParent()))
        .withProcess(new ProcessOptions(o.ulimits(), null, null, null, null, 0));
    if (!o.extraHosts().isEmpty()) {
      host = new HostConfig(host.autoRemove(), host.networkMode(), host.restartPolicy(), 0, 0, false, false, null,
          null, o.extraHosts(), null, null, null, null, host.resources(), host.storage(), host.security(),
          host.namespaces(), host.process(), host.runtimeOptions(), host.links());
    }
    return service.create(new ContainerCreateRequest(null, cc, host)).container().id().hex();
  }

  /**
   * Starts the container and copies its output to {@code out} until it exits.
   *
   * @return its exit code
   */
  int run(String id, Consumer<String> out) {
    AttachSession session = attach.open(id, new AttachOptions(false, true, true, true, false, null));
    try (session) {
      var waiting = lifecycle.waitFor(id, WaitCondition.NEXT_EXIT);
      lifecycle.start(id);
      try {
        session.copyOutput((StdStream stream, byte[] data, int off, int len) -> {
          String text = new String(data, off, len, StandardCharsets.UTF_8);
          out.accept(stream == StdStream.STDERR ? BuildOutput.stderr(text) : text);
        });
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      ExitStatus status = waiting.get();
      return status.code();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("build interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof EngineException ee ? ee : new InternalException(String.valueOf(e.getCause()));
    }
  }

  /** The path's stat in the container, or empty when it does not exist. */
  Optional<PathStat> stat(String id, String path) {
    try {
      return Optional.of(archive.stat(id, path));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** Extracts a tar (names relative to /) into the container's root filesystem. */
  void extract(String id, InputStream tar) {
    archive.extract(id, "/", false, false, tar);
  }

  /** Writes the tar of {@code path} ({@code docker cp} form: named by its base name) to {@code out}. */
  PathStat read(String id, String path, OutputStream out) throws IOException {
    try (var a = archive.archive(id, path)) {
      a.writeTo(out);
      return a.stat();
    }
  }

  ImageId commit(String id, ImageRunConfig config, String author, String createdBy) {
    return commits.commitStep(id, config, author, createdBy);
  }

  /** Removes the container and its anonymous volumes, running or not. */
  void remove(String id) {
    lifecycle.remove(id, true, true);
  }
}
