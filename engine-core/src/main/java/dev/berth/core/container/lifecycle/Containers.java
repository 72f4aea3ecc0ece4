package dev.berth.core.container.lifecycle;

import dev.berth.core.config.CgroupSupport;
import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.attach.AttachService;
import dev.berth.core.container.attach.LogService;
import dev.berth.core.container.attach.StatsService;
import dev.berth.core.container.exec.ExecService;
import dev.berth.core.container.fs.ContainerArchive;
import dev.berth.core.container.fs.ContainerFiles;
import dev.berth.core.container.fs.ContainerMounts;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.fs.MountParser;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerLocks;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.NameGenerator;
import dev.berth.core.container.net.ContainerNetwork;
import dev.berth.core.container.net.NetworkConnections;
import dev.berth.core.events.EventBus;
import dev.berth.core.image.ImageService;
import dev.berth.core.logs.LogConfig;
import dev.berth.core.network.Cni;
import dev.berth.core.network.NetworkService;
import dev.berth.core.runtime.ContainerRuntime;
import dev.berth.core.volume.VolumeService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.random.RandomGenerator;

/** The container services, wired together; they share per-container locks. */
public record Containers(ContainerService service, ContainerLifecycle lifecycle, AttachService attach, LogService logs,
    ExecService execs, StatsService stats, ContainerArchive archive, ContainerCommit commits,
    NetworkConnections connections, ContainerInspection inspection) {

  private static final System.Logger LOG = System.getLogger(Containers.class.getName());

  public static Containers create(EnginePaths paths, ContainerRepository repository, ImageService images,
      VolumeService volumes, NetworkService networks, Cni cni, boolean ipMasq, ContainerRuntime runtime,
      List<String> defaultCapabilities, List<String> allCapabilities, SecurityDefaults security, EventBus bus,
      Clock clock) {
    return create(paths, repository, images, volumes, networks, cni, ipMasq, runtime, defaultCapabilities,
        allCapabilities, security, List.of(), LogConfig.DEFAULT, bus, clock);
  }

  /**
   * @param defaultUlimits the daemon's {@code default-ulimits}, for the names a container does not set
   * @param defaultLog the daemon's {@code log-driver} and {@code log-opts}
   */
  public static Containers create(EnginePaths paths, ContainerRepository repository, ImageService images,
      VolumeService volumes, NetworkService networks, Cni cni, boolean ipMasq, ContainerRuntime runtime,
      List<String> defaultCapabilities, List<String> allCapabilities, SecurityDefaults security,
      List<ProcessOptions.Ulimit> defaultUlimits, LogConfig defaultLog, EventBus bus, Clock clock) {
    var events = new ContainerEvents(bus);
    var locks = new ContainerLocks();
    var rootfs = new ContainerRootfs(paths, images);
    var mounts = new ContainerMounts(volumes, new MountParser());
    var files = new ContainerFiles(Path.of("/etc/resolv.conf"), Path.of("/etc/hosts"), networks::hostGatewayIps);
    var network = new ContainerNetwork(paths, networks, cni, repository, files, ipMasq, events);
    var platform = new ContainerPlatform(CgroupSupport.detect(), runtime.name(), runtime.runtimes().keySet(),
        ContainerPlatform.ownCgroups(), defaultLog);
    var service = new ContainerService(repository, images, rootfs, mounts, network,
        new NameGenerator(RandomGenerator.getDefault()), events, security, platform, clock);
    var lookup = new ContainerLookup(repository);
    var logs = new LogService(lookup, rootfs);
    var attach = new AttachService(lookup, runtime, locks, logs, events);
    var execs = new ExecService(lookup, runtime, rootfs, events,
        c -> c.hostConfig().links().isEmpty() ? List.of()
            : network.links().resolve(c).stream().flatMap(l -> l.env().stream()).toList());
    var lifecycle = new ContainerLifecycle(lookup, repository, runtime, new OverlayFilesystem(rootfs),
        new MountedVolumes(mounts), new NetworkSandbox(network),
        new RunSpecFactory(files, defaultCapabilities, allCapabilities, security, network.links()::resolve,
            defaultUlimits), attach,
        execs, new HealthMonitor(execs, events, clock), locks, events, new VirtualThreadScheduler(), clock, platform);
    runtime.onExit(id -> Thread.ofVirtual().name("exit-" + id.shortId()).start(() -> {
      try {
        lifecycle.handleExit(id);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "recording the exit of " + id.shortId() + " failed", e);
      }
    }));
    runtime.onOom(id -> Thread.ofVirtual().name("oom-" + id.shortId()).start(() -> {
      try {
        lifecycle.handleOom(id);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "recording the OOM kill in " + id.shortId() + " failed", e);
      }
    }));
    var archive = new ContainerArchive(lookup, rootfs, mounts, locks);
    var commits = new ContainerCommit(service, lifecycle, rootfs, images, locks);
    return new Containers(service, lifecycle, attach, logs, execs, new StatsService(lookup, runtime, clock), archive,
        commits, new NetworkConnections(lookup, repository, network, networks, locks),
        new ContainerInspection(service, rootfs, lifecycle, execs, paths, runtime.name(), security.appArmor()));
  }
}
