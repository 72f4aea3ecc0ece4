package dev.berth.core.system;

import dev.berth.core.config.HostFacts;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.image.ImageRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Engine-wide facts: counts, runtimes, host. */
public final class SystemService {

  private final ContainerRepository containers;
  private final ImageRepository images;
  private final String defaultRuntime;
  private final Map<String, String> runtimes;
  private final Path dataRoot;
  private final String cgroupParent;
  private final HostFacts host;
  private final List<String> securityOptions;
  private final List<String> warnings;
  private final String id;
  private String loggingDriver = "json-file";

  public SystemService(ContainerRepository containers, ImageRepository images, String defaultRuntime,
      Map<String, String> runtimes, Path dataRoot, String cgroupParent, HostFacts host, List<String> securityOptions,
      List<String> warnings) {
    this.containers = containers;
    this.images = images;
    this.defaultRuntime = defaultRuntime;
    this.runtimes = Map.copyOf(runtimes);
    this.dataRoot = dataRoot;
    this.cgroupParent = cgroupParent;
    this.host = host;
    this.securityOptions = List.copyOf(securityOptions);
    this.warnings = List.copyOf(warnings);
    this.id = engineId(dataRoot);
  }

  /** The daemon's default log driver ({@code log-driver}), which info reports as LoggingDriver. */
  public SystemService withLoggingDriver(String name) {
    this.loggingDriver = name;
    return this;
  }

  public HostFacts host() {
    return host;
  }

  public SystemInfo info() {
    int running = 0;
    int stopped = 0;
    var all = containers.list();
    for (var c : all) {
      if (c.state() instanceof ContainerState.Running) {
        running++;
      } else {
        stopped++;
      }
    }
    return new SystemInfo(id, all.size(), running, 0, stopped, images.list().size(), defaultRuntime, runtimes,
        dataRoot, cgroupParent, host, securityOptions, warnings, openDescriptors(),
        ManagementFactory.getThreadMXBean().getThreadCount(), loggingDriver);
  }

  /** As dockerd counts them: the entries of the process's fd directory, the one read through included. */
  private static int openDescriptors() {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /** A stable identity for this engine's data, kept next to its data like dockerd's engine-id. */
  public static String engineId(Path dataRoot) {
    Path file = dataRoot.resolve("engine-id");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      String id = UUID.randomUUID().toString();
      Files.createDirectories(dataRoot);
      Files.writeString(file, id);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
