package dev.berth.core.container.lifecycle;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.exec.ExecService;
import dev.berth.core.container.fs.ContainerDir;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.Health;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.runtime.AppArmor;
import dev.berth.core.runtime.DockerDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code docker inspect} of a container: its record and what the engine knows of it besides. */
public final class ContainerInspection {

  private final ContainerService containers;
  private final ContainerRootfs rootfs;
  private final ContainerLifecycle lifecycle;
  private final ExecService execs;
  private final EnginePaths paths;
  private final String runtime;
  private final AppArmor appArmor;

  ContainerInspection(ContainerService containers, ContainerRootfs rootfs, ContainerLifecycle lifecycle,
      ExecService execs, EnginePaths paths, String runtime, AppArmor appArmor) {
    this.containers = containers;
    this.rootfs = rootfs;
    this.lifecycle = lifecycle;
    this.execs = execs;
    this.paths = paths;
    this.runtime = runtime;
    this.appArmor = appArmor;
  }

  /**
   * @param size whether to measure the container's disk use (a walk of its writable layer)
   * @throws NotFoundException {@code No such container: <ref>}
   */
  public ContainerDetails inspect(String ref, boolean size) {
    Container c = containers.withLiveLinks(containers.find(ref));
    Path dir = rootfs.dir(c.id());
    // dockerd lists the container's init layer first in LowerDir, above the image's layers.
    var lowers = new ArrayList<Path>();
    Path init = new ContainerDir(dir).init();
    if (Files.isDirectory(init)) {
      lowers.add(init);
    }
    lowers.addAll(rootfs.imageLayers(c));
    // A container keeps the runtime it was created with; rows from before that was kept name none.
    String named = c.hostConfig().runtimeOptions().runtime();
    return details(c, dir, lowers, named.isEmpty() ? runtime : named, appArmor, lifecycle.health(c.id()).orElse(null), execs.idsOf(c.id()),
        paths.netns(c.id().hex()), size ? containers.diskUsage(c) : null);
  }

  /**
   * The details of {@code c}, from what was gathered about it. Pure.
   *
   * @param dir the container's directory
   * @param lowerDirs its overlay's lower directories, topmost first
   */
  public static ContainerDetails details(Container c, Path dir, List<Path> lowerDirs, String runtime,
      AppArmor appArmor, Health health, List<String> execIds, Path sandboxKey, ContainerService.DiskUsage size) {
    var d = new ContainerDir(dir);
    boolean privileged = c.hostConfig().privileged();
    var security = c.hostConfig().security();
    // LogPath: json-file's current file only, as dockerd (local's files are not API, none has none).
    Path log = dev.berth.core.logs.LogDriver.named(c.hostConfig().logConfig().type())
        .filter(x -> x == dev.berth.core.logs.LogDriver.JSON_FILE).flatMap(x -> x.file(dir, c.id().hex())).orElse(null);
    return new ContainerDetails(c, new ContainerDetails.Files(d.resolvConf(), d.hostname(), d.hosts(), log),
        new ContainerDetails.Overlay(lowerDirs, d.merged(), d.upper(), d.work()), runtime, appArmorProfile(c, appArmor),
        paths(security.maskedPaths(), privileged, DockerDefaults.maskedPaths()),
        paths(security.readonlyPaths(), privileged, DockerDefaults.READONLY_PATHS), health, execIds, sandboxKey, size);
  }

  /**
   * AppArmorProfile as dockerd shows it: what {@code apparmor=} asked for until the first start,
   * which then records the profile the container runs under, empty where AppArmor is off.
   */
  private static String appArmorProfile(Container c, AppArmor appArmor) {
    var opts = c.hostConfig().security().parsedOptions();
    if (c.state().equals(ContainerState.Created.FRESH)) {
      return opts.appArmorProfile();
    }
    return appArmor.profileName(opts.appArmorProfile(), c.hostConfig().privileged());
  }

  // A record made before berth kept these lists ran with Docker's defaults (none when privileged).
  private static List<String> paths(List<String> recorded, boolean privileged, List<String> defaults) {
    return recorded != null ? recorded : privileged ? null : defaults;
  }
}
