package dev.berth.core.container.lifecycle;

import dev.berth.core.container.fs.ContainerMounts;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerCreateRequest;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerFilter;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerMatcher;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.NameGenerator;
import dev.berth.core.container.model.NamespaceModes;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.container.model.SecurityOptions;
import dev.berth.core.container.net.ContainerNetwork;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageService;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkMode;
import dev.berth.core.runtime.DockerDefaults;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Creating, finding, listing and renaming containers. Transitions are {@link ContainerLifecycle}'s. */
public final class ContainerService {

  private static final int NAME_ATTEMPTS = 10;

  private final ContainerRepository repository;
  private final ContainerLookup lookup;
  private final ImageService images;
  private final ContainerRootfs rootfs;
  private final ContainerMounts mounts;
  private final ContainerNetwork network;
  private final NameGenerator names;
  private final ContainerEvents events;
  private final SecurityDefaults security;
  private final ContainerPlatform platform;
  private final Clock clock;

  ContainerService(ContainerRepository repository, ImageService images, ContainerRootfs rootfs, ContainerMounts mounts,
      ContainerNetwork network, NameGenerator names, ContainerEvents events, SecurityDefaults security, Clock clock) {
    this(repository, images, rootfs, mounts, network, names, events, security, ContainerPlatform.permissive("runc"),
        clock);
  }

  ContainerService(ContainerRepository repository, ImageService images, ContainerRootfs rootfs, ContainerMounts mounts,
      ContainerNetwork network, NameGenerator names, ContainerEvents events, SecurityDefaults security,
      ContainerPlatform platform, Clock clock) {
    this.platform = platform;
    this.repository = repository;
    this.lookup = new ContainerLookup(repository);
    this.images = images;
    this.rootfs = rootfs;
    this.mounts = mounts;
    this.network = network;
    this.names = names;
    this.events = events;
    this.security = security;
    this.clock = clock;
  }

  /**
   * Finds a container by full ID, name (with or without the leading slash) or unique ID prefix.
   *
   * @throws NotFoundException {@code No such container: <ref>}
   */
  public Container find(String ref) {
    return lookup.find(ref);
  }

  public Optional<Container> findOptional(String ref) {
    return lookup.findOptional(ref);
  }

  public Optional<Container> get(ContainerId id) {
    return lookup.get(id);
  }

  /** A new container and dockerd's warnings about its settings (limits this host discarded). */
  public record Created(Container container, List<String> warnings) {
    public Created {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Creates a container from an image the engine has. The image's defaults are merged in now,
   * so later changes to the image's tags do not change the container.
   *
   * @throws NotFoundException if the image is missing ({@code docker run} pulls on this 404)
   * @throws ConflictException if the name is in use, with dockerd's sentence
   */
  public Created create(ContainerCreateRequest request) {
    ContainerConfig requested = request.config();
    if (requested.image() == null || requested.image().isEmpty()) {
      throw new InvalidArgumentException("config cannot be empty in order to create a container");
    }
    // dockerd verifies (and warns) before it fills in its defaults, such as the swap limit.
    ContainerPlatform.Checked checked = platform.forCreate(request.hostConfig());
    HostConfig normalized = network.links().register(normalize(checked.hostConfig(), security));
    HostConfig host = sharedNetworkById(normalized.withNamespaces(namespaces(normalized.namespaces(), requested)));
    HealthMonitor.validate(requested.healthcheck());
    var networking = network.resolve(host, request.networking());
    Image image = images.find(requested.image());
    ContainerId id = ContainerId.random();
    ContainerConfig config = ImageDefaults.merge(requested, image.config().config(), id);
    if (config.argv().isEmpty()) {
      throw new InvalidArgumentException("no command specified");
    }
    Container created;
    synchronized (this) {
      ContainerName name = request.name() == null || request.name().isEmpty()
          ? freeGeneratedName()
          : ContainerName.parse(request.name());
      repository.findByName(name).ifPresent(other -> {
        throw nameInUse(name, other.id());
      });
      // Volumes are created and the container recorded under the volume lock, so a volume
      // removal never slips between the two.
      created = mounts.volumes().locked(() -> {
        ContainerMounts.Plan plan = mounts.plan(config, host.storage(), this::find);
        var c = new Container(id, name, clock.instant(), image.id(), config, host, ContainerState.Created.FRESH, 0,
            plan.mounts(), networking);
        try {
          repository.insert(c);
        } catch (RuntimeException e) {
          mounts.volumes().removeIfUnused(plan.createdAnonymous());
          throw e;
        }
        return c;
      });
    }
    populateVolumes(created);
    events.emit(created, "create");
    return new Created(created, checked.warnings());
  }

  /**
   * {@code docker rm --link /parent/alias} ({@code DELETE /containers/{name}?link=1}): removes the
   * link, not a container.
   */
  public void removeLink(String linkName) {
    network.links().remove(linkName);
  }

  /**
   * The container with its links as dockerd's link index holds them now: a removed linked
   * container's link gone, a renamed one's under its new name.
   */
  public Container withLiveLinks(Container c) {
    if (c.hostConfig().links().isEmpty()) {
      return c;
    }
    var live = new java.util.ArrayList<dev.berth.core.container.model.ContainerLink>();
    for (var l : c.hostConfig().links()) {
      if (ContainerId.isHex64(l.container())) {
        repository.find(new ContainerId(l.container())).ifPresent(child -> live.add(
            new dev.berth.core.container.model.ContainerLink(l.container(), child.name().value(), l.alias())));
      }
    }
    return c.withHostConfig(c.hostConfig().withLinks(live));
  }

  /**
   * The link names ({@code /parent/alias}) each linked container also goes by, which dockerd's
   * names registry holds and {@code docker ps} lists after its own name.
   */
  private static Map<ContainerId, List<String>> linkNames(List<Container> all) {
    var out = new java.util.HashMap<ContainerId, List<String>>();
    for (Container parent : all) {
      for (var l : parent.hostConfig().links()) {
        if (ContainerId.isHex64(l.container())) {
          out.computeIfAbsent(new ContainerId(l.container()), k -> new java.util.ArrayList<>())
              .add(l.fullName(parent.name()));
        }
      }
    }
    return out;
  }

  /** dockerd copies image content into empty volumes at create; a failure undoes the create. */
  private void populateVolumes(Container c) {
    if (!mounts.needsPopulation(c)) {
      return;
    }
    try {
      Path root = rootfs.mount(c);
      try {
        mounts.populate(c, root);
      } finally {
        rootfs.unmount(c.id());
      }
    } catch (RuntimeException e) {
      repository.delete(c.id());
      rootfs.destroy(c.id());
      mounts.removeAnonymous(c);
      throw e;
    }
  }

  /** Disk use as {@code docker ps -s} shows it: the writable layer, and that plus the image. */
  public record DiskUsage(long sizeRw, long sizeRootFs) {}

  public DiskUsage diskUsage(Container c) {
    long rw = rootfs.upperSize(c.id());
    long image;
    try {
      image = images.find(c.imageId().toString()).size();
    } catch (NotFoundException e) {
      image = 0; // force-removed while the container stays, as dockerd allows
    }
    return new DiskUsage(rw, rw + image);
  }

  /** Containers matching the filter, newest first. */
  public List<Container> list(ContainerFilter filter) {
    return list(filter, repository.list());
  }

  private List<Container> list(ContainerFilter filter, List<Container> all) {
    Predicate<Container> matches = ContainerMatcher.of(filter, this::ancestorIds);
    var out = all.stream().filter(matches).toList();
    return filter.limit() > 0 && out.size() > filter.limit() ? out.subList(0, filter.limit()) : out;
  }

  /**
   * What {@code docker ps} lists, from one read of the repository.
   *
   * @param linkNames the link names ({@code /parent/alias}) each linked container also goes by
   */
  public record Listing(List<Container> containers, Map<ContainerId, List<String>> linkNames) {}

  /** The containers {@code filter} matches, with the link names they go by. */
  public Listing listing(ContainerFilter filter) {
    List<Container> all = repository.list();
    return new Listing(list(filter, all), linkNames(all));
  }

  /** @throws ConflictException if {@code newName} is taken */
  public synchronized void rename(String ref, String newName) {
    Container c = find(ref);
    if (newName == null || newName.isEmpty()) {
      throw new InvalidArgumentException("Neither old nor new names may be empty");
    }
    ContainerName name = ContainerName.parse(newName);
    if (name.equals(c.name())) {
      throw new ConflictException("Renaming a container with the same name as its current name");
    }
    repository.findByName(name).ifPresent(other -> {
      throw nameInUse(name, other.id());
    });
    repository.update(c.withName(name));
    events.emit(c.withName(name), "rename", java.util.Map.of("oldName", c.name().slashed()));
  }

  static ConflictException nameInUse(ContainerName name, ContainerId holder) {
    return new ConflictException("Conflict. The container name \"" + name.slashed()
        + "\" is already in use by container \"" + holder.hex()
        + "\". You have to remove (or rename) that container to be able to reuse that name.");
  }

  private ContainerName freeGeneratedName() {
    for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      ContainerName n = names.next(attempt);
      if (repository.findByName(n).isEmpty()) {
        return n;
      }
    }
    throw new ConflictException("could not generate a free container name");
  }

  private List<String> ancestorIds(String ref) {
    try {
      return List.of(images.find(ref).id().digest().hex());
    } catch (NotFoundException e) {
      return List.of();
    }
  }

  /**
   * The host config as dockerd records it: the "default" network mode as "bridge", and the
   * daemon's defaults filled in (cgroup namespace, masked and read-only paths, the parsed security
   * options). Anything the container could not be started with is refused now, as dockerd does.
   */
  static HostConfig normalize(HostConfig host, SecurityDefaults defaults) {
    // Other modes name a network or container, which ContainerNetwork.resolve checks.
    String mode = host.network() instanceof NetworkMode.Default ? Network.DEFAULT_BRIDGE : host.networkMode();
    // Refused now, as dockerd does, rather than at the first start.
    host.capAdd().forEach(RunSpecFactory::capName);
    host.capDrop().forEach(RunSpecFactory::capName);
    if (host.autoRemove() && !host.restartPolicy().name().equals("no")) {
      throw new InvalidArgumentException("can't create 'AutoRemove' container with restart policy");
    }
    if (host.storage().shmSize() < 0) {
      throw new InvalidArgumentException("SHM size can not be less than 0");
    }
    return new HostConfig(host.autoRemove(), mode, host.restartPolicy(), host.consoleHeight(), host.consoleWidth(),
        host.privileged(), host.readonlyRootfs(), host.capAdd(), host.capDrop(), host.extraHosts(), host.dns(),
        host.dnsSearch(), host.dnsOptions(), host.init(), host.resources().withDefaultSwap(),
        host.storage().shmSize() == 0 ? host.storage().withShmSize(DockerDefaults.SHM_SIZE) : host.storage(),
        security(host, defaults)).withNamespaces(host.namespaces()).withProcess(host.process())
        .withRuntimeOptions(host.runtimeOptions()).withLinks(host.links()).withLogConfig(host.logConfig());
  }

  /**
   * moby runconfig validateNetMode (a hostname with the host's UTS namespace), the daemon's default
   * IPC mode filled in, and a {@code container:} mode's container named by its id
   * (adaptSharedNamespaceContainer), so the sharing survives a rename. The container need not run
   * yet; start checks that.
   */
  private NamespaceModes namespaces(NamespaceModes given, ContainerConfig requested) {
    if (given.hostUts() && requested.hostname() != null && !requested.hostname().isEmpty()) {
      throw new InvalidArgumentException("conflicting options: hostname and the UTS mode");
    }
    NamespaceModes n = given.ipcMode().isEmpty() ? given.withIpcMode(DockerDefaults.IPC_MODE) : given;
    return n.withContainers(n.pidContainer().map(this::sharedNamespaceOwner).orElse(null),
        n.ipcContainer().map(this::sharedNamespaceOwner).orElse(null));
  }

  /** As the PID and IPC modes: a shared network namespace's container named by its id, so it survives a rename. */
  private HostConfig sharedNetworkById(HostConfig host) {
    return host.network() instanceof NetworkMode.Container shared
        ? host.withNetworkMode("container:" + sharedNamespaceOwner(shared.ref()))
        : host;
  }

  /** dockerd's generateSecurityOpt looks the container up, and its create answers 400 when it is missing. */
  private String sharedNamespaceOwner(String ref) {
    return lookup.findOptional(ref).orElseThrow(() -> new InvalidArgumentException("No such container: " + ref))
        .id().hex();
  }

  /** moby verifyPlatformContainerSettings, adaptContainerSettings, create_unix and parseSecurityOpt. */
  private static SecurityConfig security(HostConfig host, SecurityDefaults defaults) {
    SecurityConfig given = host.security();
    String cgroupns = given.cgroupnsMode();
    if (!cgroupns.isEmpty() && !cgroupns.equals("host") && !cgroupns.equals("private")) {
      throw new InvalidArgumentException("invalid cgroup namespace mode: " + cgroupns);
    }
    if (cgroupns.isEmpty()) {
      // A privileged container keeps the host's cgroup namespace unless the host is cgroup v2 only.
      cgroupns = host.privileged() && !defaults.unifiedCgroups() ? "host" : defaults.cgroupnsMode();
    }
    var opts = new java.util.ArrayList<>(given.securityOpt());
    if ((host.privileged() || host.namespaces().hostIpc() || host.namespaces().hostPid())
        && !SecurityOptions.hasLabel(opts)) {
      // dockerd's generateSecurityOpt: SELinux labelling is off for a privileged container, and
      // for one in the host's IPC or PID namespace.
      opts.add("label=disable");
    }
    SecurityOptions parsed = SecurityOptions.parse(opts, defaults.noNewPrivileges());
    // dockerd reads the profile only at start; refused now, nothing is created for a broken one.
    defaults.seccompFor(parsed, host.privileged());
    List<String> masked = given.maskedPaths() == null && !host.privileged() ? DockerDefaults.maskedPaths()
        : given.maskedPaths();
    List<String> readonly = given.readonlyPaths() == null && !host.privileged() ? DockerDefaults.READONLY_PATHS
        : given.readonlyPaths();
    return new SecurityConfig(opts, cgroupns, masked, readonly, parsed);
  }
}
