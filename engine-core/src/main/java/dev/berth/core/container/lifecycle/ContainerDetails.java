package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.Health;
import java.nio.file.Path;
import java.util.List;

/**
 * What inspect shows of a container beyond its record, as the engine has laid it out and runs it.
 * The file layout is the engine's: a client sees these paths, never builds them.
 *
 * @param maskedPaths the paths masked in the container; null for none (a privileged container)
 * @param readonlyPaths the paths mounted read-only in it; null for none
 * @param appArmorProfile the profile it runs (or asked to run) under; empty for none
 * @param health null unless it has a healthcheck and has run since berthd started
 * @param execIds its exec instances, sorted
 * @param sandboxKey where its network namespace is pinned while it runs
 * @param size null unless asked for: measuring it walks the writable layer
 */
public record ContainerDetails(
    Container container,
    Files files,
    Overlay overlay,
    String runtime,
    String appArmorProfile,
    List<String> maskedPaths,
    List<String> readonlyPaths,
    Health health,
    List<String> execIds,
    Path sandboxKey,
    ContainerService.DiskUsage size) {

  public ContainerDetails {
    maskedPaths = maskedPaths == null ? null : List.copyOf(maskedPaths);
    readonlyPaths = readonlyPaths == null ? null : List.copyOf(readonlyPaths);
    execIds = List.copyOf(execIds);
  }

  /**
   * The files the engine writes for the container: bound over the image's, and its output log.
   *
   * @param log the json-file log; null for other drivers
   */
  public record Files(Path resolvConf, Path hostname, Path hosts, Path log) {}

  /**
   * The container's overlay (the overlay2 graph driver's data).
   *
   * @param lowerDirs topmost first: the init layer once made, then the image's layers
   */
  public record Overlay(List<Path> lowerDirs, Path mergedDir, Path upperDir, Path workDir) {

    public Overlay {
      lowerDirs = List.copyOf(lowerDirs);
    }
  }
}
