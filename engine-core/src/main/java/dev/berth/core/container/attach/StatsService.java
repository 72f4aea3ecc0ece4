package dev.berth.core.container.attach;

import dev.berth.core.config.HostFacts;
import dev.berth.core.container.model.CgroupStats;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code docker stats}: a container's cgroup counters beside the host's, at one moment. */
public final class StatsService {

  // /proc/stat counts in USER_HZ ticks, 100 per second on Linux.
  private static final long TICK_NANOS = 10_000_000;

  private final ContainerLookup containers;
  private final ContainerRuntime runtime;
  private final Clock clock;

  public StatsService(ContainerLookup containers, ContainerRuntime runtime, Clock clock) {
    this.containers = containers;
    this.runtime = runtime;
    this.clock = clock;
  }

  /**
   * One reading.
   *
   * @param cgroup empty for a container that is not running (its stats are zeros, as in dockerd)
   * @param systemCpuNanos the host's CPU time over all CPUs, the base the CLI computes CPU % on
   * @param networks per interface of the container's network namespace; empty when it has none of
   *     its own (host) or only loopback (none), or does not run
   */
  public record Sample(Container container, Instant read, Optional<CgroupStats> cgroup, long systemCpuNanos,
      int onlineCpus, long hostMemory, Map<String, InterfaceCounters> networks) {

    public Sample {
      networks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    }
  }

  public Sample sample(Container c) {
    Optional<CgroupStats> cg = c.state().isRunning() ? runtime.stats(c.id()) : Optional.empty();
    Map<String, InterfaceCounters> networks = c.state() instanceof ContainerState.Live live
        ? networks(live.pid()) : Map.of();
    return new Sample(c, clock.instant(), cg, systemCpuNanos(), Runtime.getRuntime().availableProcessors(),
        HostFacts.memTotal(), networks);
  }

  /**
   * The interfaces of the network namespace {@code pid} is in, read from the host: {@code
   * /proc/<pid>/net} shows that process's namespace. A process in berthd's own namespace (host
   * network) has none of its own, as dockerd's host sandbox has no interfaces.
   */
  private static Map<String, InterfaceCounters> networks(int pid) {
    Path proc = Path.of("/proc", Integer.toString(pid));
    try {
      if (Files.readSymbolicLink(proc.resolve("ns/net")).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))) {
        return Map.of();
      }
      return InterfaceCounters.parse(Files.readString(proc.resolve("net/dev")));
    } catch (IOException | RuntimeException e) {
      // The process ended while we read.
      return Map.of();
    }
  }

  /** The container as it is now; empty once it is removed. */
  public Optional<Container> current(ContainerId id) {
    return containers.get(id);
  }

  public Container find(String ref) {
    return containers.find(ref);
  }

  private static long systemCpuNanos() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
      long ticks = 0;
      String[] f = first.trim().split("\\s+");
      // user nice system idle iowait irq softirq steal: guest time is already in user and nice.
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks * TICK_NANOS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

}
