package dev.berth.server;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.lifecycle.ContainerImageUsage;
import dev.berth.core.container.net.ContainerNetworkMembers;
import dev.berth.core.container.fs.ContainerVolumeUsage;
import dev.berth.core.container.lifecycle.Containers;
import dev.berth.core.container.lifecycle.SecurityDefaults;
import dev.berth.core.events.EventBus;
import dev.berth.core.image.BlobStore;
import dev.berth.core.build.BuildService;
import dev.berth.core.image.ImageService;
import dev.berth.core.image.LayerStore;
import dev.berth.core.image.distribution.RegistryService;
import dev.berth.core.image.registry.Registries;
import dev.berth.core.image.Scratch;
import dev.berth.core.network.AddressPools;
import dev.berth.core.network.Cni;
import dev.berth.core.network.NetworkService;
import dev.berth.core.os.Processes;
import dev.berth.core.runtime.AppArmor;
import dev.berth.core.runtime.ConmonRuntime;
import dev.berth.core.runtime.DockerDefaults;
import dev.berth.core.runtime.HostLimits;
import dev.berth.core.runtime.OciRuntime;
import dev.berth.core.system.DiskUsageService;
import dev.berth.core.config.HostFacts;
import dev.berth.core.system.SystemService;
import dev.berth.core.volume.VolumeService;
import dev.berth.store.Database;
import dev.berth.store.Migrator;
import dev.berth.store.container.SqliteContainerRepository;
import dev.berth.store.image.SqliteImageRepository;
import dev.berth.store.network.SqliteNetworkRepository;
import dev.berth.store.volume.SqliteVolumeRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** berthd: reads its configuration, wires the engine with constructors, serves the API. */
public final class Main {

  static {
    // Before the logger below, whose set-up (~30 ms) is the first thing this thread does.
    Warmup.begin();
  }

  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    DaemonConfig config;
    try {
      config = DaemonConfig.parse(List.of(args));
    } catch (DaemonConfig.UsageException e) {
      boolean help = e.getMessage().equals(DaemonConfig.USAGE);
      (help ? System.out : System.err).println(e.getMessage());
      System.exit(help ? 0 : 2);
      return;
    }
    Logging.configure(config.logLevel());
    if (!Processes.isRoot()) {
      System.err.println("berthd needs to be started with root privileges");
      System.exit(1);
    }
    try {
      Engine engine = Engine.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "shutdown"));
      IdleCollector.start();
      Warmup.afterStart(engine.containers().lifecycle()::warmUp);
    } catch (InstanceLock.Refused e) {
      LOG.log(System.Logger.Level.ERROR, e.getMessage());
      System.exit(1);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "berthd failed to start: " + e.getMessage(), e);
      System.exit(1);
    }
  }

  /** A running engine; closing it stops serving and leaves containers running. */
  record Engine(ApiServer server, Containers containers, ConmonRuntime runtime, Database db, InstanceLock lock)
      implements AutoCloseable {

    /** @throws InstanceLock.Refused before anything is touched, if another berthd runs on the same state */
    static Engine start(DaemonConfig config) {
      SystemdListener activated = config.systemdFd() == null ? null : SystemdListener.take(config.systemdFd(),
          System.getenv(), ProcessHandle.current().pid(), SystemdListener.UnixSockets.ofThisProcess());
      InstanceLock lock = InstanceLock.claim(config.pidFile(), config.dataRoot(), activated == null ? config.socket()
          : null);
      // Helidon's start-up (a third of berthd's) runs beside the engine's, its socket out of reach until published.
      var staging = inBackground("berth-api-start",
          () -> ApiServer.stage(activated == null ? config.socket() : activated.path()));
      try {
        return start(config, lock, activated, staging);
      } catch (RuntimeException e) {
        abandon(staging);
        lock.close();
        throw e;
      }
    }

    private static Engine start(DaemonConfig config, InstanceLock lock, SystemdListener activated,
        Future<ApiServer.Staged> staging) {
      Clock clock = Clock.systemUTC();
      var paths = new EnginePaths(config.dataRoot(), config.execRoot(), config.cgroupParent());
      // Finding the runtimes waits on child processes (crun answers through the hider): it runs while the database opens.
      FutureTask<ConmonRuntime> probing = inBackground("berth-runtime-probe", () -> runtime(config, paths));
      Database db = Database.open(paths.database());
      new Migrator(db).migrate();
      var containerRepo = new SqliteContainerRepository(db);
      var imageRepo = new SqliteImageRepository(db);

      var runtime = joined(probing);
      var scratch = new Scratch(paths);
      var blobs = new BlobStore(paths, scratch);
      var layers = new LayerStore(paths, scratch, imageRepo, blobs);
      var events = new EventBus(clock);
      var images = new ImageService(imageRepo, blobs, layers, scratch, new ContainerImageUsage(containerRepo), clock,
          events);
      images.removeLeftovers();
      var registry = new RegistryService(imageRepo, blobs, layers, scratch, new Registries(config.registry(), clock),
          clock, events);
      var volumes = new VolumeService(paths, new SqliteVolumeRepository(db), new ContainerVolumeUsage(containerRepo),
          clock, new SecureRandom(), events);
      volumes.removeLeftovers();
      var net = config.network();
      var networks = new NetworkService(new SqliteNetworkRepository(db), new ContainerNetworkMembers(containerRepo),
          AddressPools.ofHost(net.addressPools()), new NetworkService.Defaults(net.bridge(), net.bip(),
              net.hostGatewayIps(), AddressPools.ula(SystemService.engineId(paths.dataRoot()))), paths.leases(),
          events, clock);
      networks.ensurePredefined();
      var cni = new Cni(Cni.findPlugins(), paths.cni().resolve("results"));
      var security = securityDefaults(config.security());
      var containers = Containers.create(paths, containerRepo, images, volumes, networks, cni, net.ipMasq(), runtime,
          DockerDefaults.CAPABILITIES, HostLimits.current().boundingSet(), security, config.defaultUlimits(),
          config.log(), events, clock);
      containers.lifecycle().recover();

      var system = new SystemService(containerRepo, imageRepo, runtime.name(), runtime.runtimes(),
          paths.dataRoot(), paths.cgroupParent(), HostFacts.read(), security.infoOptions(), security.infoWarnings())
          .withLoggingDriver(config.log().type());
      var diskUsage = new DiskUsageService(containers.service(), images, volumes);
      var builds = new BuildService(paths.dataRoot().resolve("builder"), images, containers);
      builds.removeLeftovers();
      var router = DockerApi.router(new DockerApi.Services(system, containers, diskUsage, images, registry, volumes,
          networks, events, clock, builds));
      ApiServer.Staged staged = joined(staging);
      ApiServer server = activated == null ? staged.publish(config.socket(), router) : staged.adopt(activated, router);
      LOG.log(System.Logger.Level.INFO, "berthd ready: runtime " + runtime.name() + ", data root " + paths.dataRoot());
      return new Engine(server, containers, runtime, db, lock);
    }

    /** The OCI runtimes this engine can run (the default one and those a container may name), under conmon. */
    private static ConmonRuntime runtime(DaemonConfig config, EnginePaths paths) {
      var host = OciRuntime.Host.current(paths.execRoot());
      var others = new java.util.LinkedHashMap<String, OciRuntime>(OciRuntime.builtIn(host));
      config.runtimes().forEach((name, r) -> others.put(name, OciRuntime.configured(name, r.path(), r.runtimeArgs())));
      // --default-runtime may name a configured runtime, as with dockerd.
      OciRuntime oci = config.runtimes().containsKey(config.defaultRuntime()) ? others.get(config.defaultRuntime())
          : OciRuntime.select(config.defaultRuntime(), host);
      return new ConmonRuntime(paths, oci, others, ConmonRuntime.findConmon(), config.logLevel().equals("debug")
          ? "debug" : "info");
    }

    /** Start-up work that runs beside the main thread's, on a platform thread of its own. */
    private static <T> FutureTask<T> inBackground(String name, Callable<T> work) {
      var task = new FutureTask<>(work);
      Thread.ofPlatform().name(name).daemon().start(task);
      return task;
    }

    /** What background start-up work made; what it threw, thrown here. */
    private static <T> T joined(Future<T> work) {
      try {
        return work.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while berthd started", e);
      }
    }

    /** Stops the staged server of an engine that failed to start, once it has started. */
    private static void abandon(Future<ApiServer.Staged> staging) {
      try {
        joined(staging).close();
      } catch (RuntimeException e) {
        // it failed to start as well
      }
    }

    /** dockerd's container defaults on this host, with the daemon's settings applied. */
    static SecurityDefaults securityDefaults(DaemonConfig.Security s) {
      var d = SecurityDefaults.docker(HostFacts.isCgroup2Root()).withNoNewPrivileges(s.noNewPrivileges());
      if (!s.cgroupnsMode().isEmpty()) {
        d = d.withCgroupnsMode(s.cgroupnsMode());
      }
      d = s.customSeccomp() != null ? d.withSeccompProfile(s.seccompProfile(), s.customSeccomp())
          : d.withSeccompProfile(s.seccompProfile());
      AppArmor appArmor = AppArmor.detect();
      if (appArmor.enabled()) {
        appArmor.ensureDefaultLoaded();
      }
      return d.withAppArmor(appArmor);
    }

    @Override
    public void close() {
      LOG.log(System.Logger.Level.INFO, "berthd shutting down; containers keep running");
      server.close();
      containers.lifecycle().close();
      runtime.close();
      db.close();
      lock.close();
    }
  }
}
