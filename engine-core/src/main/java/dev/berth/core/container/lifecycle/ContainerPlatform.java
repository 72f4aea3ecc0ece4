package dev.berth.core.container.lifecycle;

import dev.berth.core.config.CgroupSupport;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.RuntimeOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.logs.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What this host and daemon can run a container with: the limits its cgroups apply, the OCI
 * runtimes it knows, and the cgroups no container may be placed in (the engine's own).
 *
 * @param defaultRuntime the runtime a container gets when it names none
 * @param runtimes every runtime a container may name, the default among them
 * @param engineCgroups the cgroups this engine runs in (from /proc/self/cgroup, the root left out):
 *     a container placed at, above or below one of them would share or move the engine's own
 * @param defaultLog the daemon's {@code log-driver} and {@code log-opts}
 */
public record ContainerPlatform(CgroupSupport cgroups, String defaultRuntime, Set<String> runtimes,
    List<String> engineCgroups, LogConfig defaultLog) {

  public ContainerPlatform(CgroupSupport cgroups, String defaultRuntime, Set<String> runtimes,
      List<String> engineCgroups) {
    this(cgroups, defaultRuntime, runtimes, engineCgroups, LogConfig.DEFAULT);
  }

  public ContainerPlatform {
    runtimes = Set.copyOf(runtimes);
    engineCgroups = List.copyOf(engineCgroups);
    defaultLog = defaultLog == null ? LogConfig.DEFAULT : defaultLog;
    if (!runtimes.contains(defaultRuntime)) {
      throw new IllegalArgumentException("the default runtime " + defaultRuntime + " is not among " + runtimes);
    }
  }

  /** Every limit supported and only the default runtime (for tests). */
  static ContainerPlatform permissive(String defaultRuntime) {
    return new ContainerPlatform(CgroupSupport.ALL, defaultRuntime, Set.of(defaultRuntime), List.of());
  }

  /** The cgroups of this process, as {@code /proc/self/cgroup} lists them. */
  static List<String> ownCgroups() {
    var found = new ArrayList<String>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        int colon = line.indexOf(':', line.indexOf(':') + 1);
        String path = colon < 0 ? "" : line.substring(colon + 1);
        if (path.startsWith("/") && !path.equals("/") && !found.contains(path)) {
          found.add(path);
        }
      }
    } catch (IOException e) {
      // No /proc: nothing known to protect.
    }
    return found;
  }

  /** A host config as dockerd keeps it at create, and the warnings it gives (the CLI prints them). */
  public record Checked(HostConfig hostConfig, List<String> warnings) {
    public Checked {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * moby {@code verifyPlatformContainerSettings}: limits this host cannot apply are discarded with
   * dockerd's warning, an unknown runtime is refused, and an empty one becomes the default's name.
   *
   * @throws InvalidArgumentException dockerd 28's {@code unknown or invalid runtime name: <name>}, a limit out of range,
   *     or a cgroup parent in the engine's own cgroups
   */
  public Checked forCreate(HostConfig host) {
    Resources.Adapted adapted = host.resources().adaptTo(cgroups, false);
    RuntimeOptions options = host.runtimeOptions();
    String runtime = options.runtime().isEmpty() ? defaultRuntime : options.runtime();
    if (!runtimes.contains(runtime)) {
      throw new InvalidArgumentException("unknown or invalid runtime name: " + runtime);
    }
    checkParent(options);
    // moby mergeAndVerifyLogConfig: the daemon's driver (and its options, for the same driver) fill in.
    LogConfig log = host.logConfig().withDefaults(defaultLog);
    log.settings();
    return new Checked(host.withResources(adapted.resources()).withRuntimeOptions(options.withRuntime(runtime))
        .withLogConfig(log), adapted.warnings());
  }

  /**
   * A {@code docker update}'s limits as dockerd applies them, with its warnings. What dockerd
   * would keep without applying to the running container (the OOM killer switch, swappiness, per-
   * device block I/O rules: {@code runc update} sets none of them) is refused instead.
   */
  public Resources.Adapted forUpdate(Resources change) {
    var fixed = new ArrayList<String>();
    if (change.oomKillDisable() != null) {
      fixed.add("OomKillDisable");
    }
    if (change.memorySwappiness() != null) {
      fixed.add("MemorySwappiness");
    }
    if (change.blkioWeightDevice() != null) {
      fixed.add("BlkioWeightDevice");
    }
    if (change.blkioDeviceReadBps() != null) {
      fixed.add("BlkioDeviceReadBps");
    }
    if (change.blkioDeviceWriteBps() != null) {
      fixed.add("BlkioDeviceWriteBps");
    }
    if (change.blkioDeviceReadIOps() != null) {
      fixed.add("BlkioDeviceReadIOps");
    }
    if (change.blkioDeviceWriteIOps() != null) {
      fixed.add("BlkioDeviceWriteIOps");
    }
    if (!fixed.isEmpty()) {
      throw new InvalidArgumentException("Cannot update " + String.join(", ", fixed)
          + ": set at create only (recreate the container to change it)");
    }
    return change.adaptTo(cgroups, true);
  }

  private void checkParent(RuntimeOptions options) {
    String parent = options.absoluteCgroupParent();
    if (parent.isEmpty()) {
      return;
    }
    for (String own : engineCgroups) {
      if (within(parent, own) || within(own, parent)) {
        throw new InvalidArgumentException("invalid cgroup parent " + options.cgroupParent()
            + ": it overlaps the engine's own cgroup " + own);
      }
    }
  }

  private static boolean within(String path, String ancestor) {
    return path.equals(ancestor) || path.startsWith(ancestor + "/");
  }
}
