package dev.berth.server.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.archive.PathStat;
import dev.berth.core.container.model.Change;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.net.ContainerLinks;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerLink;
import dev.berth.core.container.lifecycle.ContainerCommit;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerCreateRequest;
import dev.berth.core.container.lifecycle.ContainerDetails;
import dev.berth.core.container.model.ContainerFilter;
import dev.berth.core.container.lifecycle.ContainerService;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.ContainerStatus;
import dev.berth.core.container.model.DetachKeys;
import dev.berth.core.container.model.Health;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.network.NetworkMode;
import dev.berth.core.network.Networking;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountRequest;
import dev.berth.core.container.model.NamespaceModes;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.container.model.StorageOptions;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.error.InternalException;
import dev.berth.core.container.model.RuntimeOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageReference;
import dev.berth.core.logs.LogQuery;
import dev.berth.server.api.ApiVersion;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Json;
import dev.berth.server.api.WireTime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Docker JSON to domain and back, for containers. Pure: no I/O, no services. */
public final class ContainerTranslator {

  private static final Set<String> LIST_FILTERS =
      Set.of("id", "name", "label", "status", "ancestor", "exited", "before", "since", "health", "network",
          "volume", "publish", "expose", "is-task");
  /** In moby's order, which its error message lists. */
  private static final List<String> STATUSES =
      List.of("created", "running", "paused", "restarting", "removing", "exited", "dead");
  private static final long DEFAULT_SHM = 64L * 1024 * 1024;
  private ContainerTranslator() {}

  static ContainerCreateRequest createRequest(byte[] body, String name) {
    return createRequest(body, name, ApiVersion.CURRENT);
  }

  /** As dockerd's create route: HostConfig.Annotations count from API 1.43 (older clients' are dropped). */
  static ContainerCreateRequest createRequest(byte[] body, String name, ApiVersion version) {
    JsonNode root;
    ContainerJson.Config cfg;
    ContainerJson.CreateExtras extras;
    try {
      root = body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
      if (root == null || root.isNull() || root.isMissingNode()) {
        root = Json.MAPPER.createObjectNode();
      }
      checkLabelTypes(root.path("Labels"));
      if (!version.atLeast(1, 43) && root.path("HostConfig") instanceof ObjectNode h) {
        h.remove("Annotations");
      }
      cfg = Json.MAPPER.treeToValue(root, ContainerJson.Config.class);
      extras = Json.MAPPER.treeToValue(root, ContainerJson.CreateExtras.class);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("invalid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidArgumentException("invalid JSON: " + e.getMessage());
    }
    checkEnv(cfg.Env());
    HostConfig host = hostConfig(extras.HostConfig());
    Networking networking =
        NetworkSettingsTranslator.request(extras.HostConfig(), extras.NetworkingConfig(), cfg.MacAddress());
    if (Boolean.TRUE.equals(cfg.NetworkDisabled())) {
      host = withoutNetwork(host);
      networking = Networking.NONE;
    }
    return new ContainerCreateRequest(name, config(cfg), host, networking);
  }

  /**
   * {@code Config.NetworkDisabled} (docker-py's {@code network_disabled}): dockerd connects the
   * container to no network, so on the bridge it has only loopback, as with {@code none}; the host's
   * or another container's namespace stays what it is. A user-defined network is refused rather
   * than named and not joined.
   */
  static HostConfig withoutNetwork(HostConfig host) {
    return switch (host.network()) {
      case NetworkMode.Default d -> host.withNetworkMode("none");
      case NetworkMode.Bridge b -> host.withNetworkMode("none");
      case NetworkMode.Named n -> throw new InvalidArgumentException(
          "conflicting options: NetworkDisabled and network " + n.name());
      case NetworkMode.Host h -> host;
      case NetworkMode.None n -> host;
      case NetworkMode.Container c -> host;
    };
  }

  /**
   * Go decodes {@code Labels} into a map of strings and refuses any other value but null (which
   * reads as ""). Checked before the body is read into records, whose mapper refuses the same values
   * in its own words, so that this refusal is worded as moby's loadJSON wraps Go's decoding error.
   */
  static void checkLabelTypes(JsonNode labels) {
    if (!labels.isObject()) {
      return;
    }
    for (var e : labels.properties()) {
      JsonNode v = e.getValue();
      if (!v.isTextual() && !v.isNull()) {
        String kind = v.isNumber() ? "number" : v.isBoolean() ? "bool" : v.isArray() ? "array" : "object";
        throw new InvalidArgumentException("invalid JSON: json: cannot unmarshal " + kind
            + " into Go struct field ContainerConfigWrapper.Config.Labels of type string");
      }
    }
  }

  /**
   * dockerd's validateContainerConfig (opts.ValidateEnv): a variable needs a name, so {@code ""}
   * (also what a JSON {@code null} reads as) and {@code =x} are refused.
   */
  static void checkEnv(List<String> env) {
    if (env == null) {
      return;
    }
    for (String e : env) {
      if (e.isEmpty() || e.startsWith("=")) {
        throw new InvalidArgumentException("invalid environment variable: " + e);
      }
    }
  }

  static ContainerConfig config(ContainerJson.Config c) {
    return new ContainerConfig(
        c.Image(),
        c.Entrypoint(),
        c.Cmd(),
        c.Env(),
        c.WorkingDir(),
        c.User(),
        c.Hostname(),
        c.Domainname(),
        c.Labels(),
        c.Tty(),
        c.OpenStdin(),
        c.StdinOnce(),
        c.AttachStdin(),
        c.AttachStdout(),
        c.AttachStderr(),
        c.StopSignal(),
        c.StopTimeout(),
        keys(c.ExposedPorts()),
        keys(c.Volumes()),
        healthcheck(c.Healthcheck()),
        c.OnBuild(),
        c.Shell(),
        Boolean.TRUE.equals(c.ArgsEscaped()));
  }

  static HostConfig hostConfig(ContainerJson.HostConfig h) {
    if (h == null) {
      return HostConfig.DEFAULT.withLogConfig(logConfig(null));
    }
    RestartPolicy restart = h.RestartPolicy() == null ? RestartPolicy.NO
        : new RestartPolicy(h.RestartPolicy().Name(), h.RestartPolicy().MaximumRetryCount());
    List<Integer> size = h.ConsoleSize();
    int height = size != null && size.size() == 2 && size.get(0) != null ? size.get(0) : 0;
    int width = size != null && size.size() == 2 && size.get(1) != null ? size.get(1) : 0;
    if (height < 0 || width < 0) {
      throw new InvalidArgumentException("invalid ConsoleSize: " + size);
    }
    refuseWindowsOnly(h);
    refuseDeviceRequests(h.DeviceRequests());
    return new HostConfig(h.AutoRemove(), h.NetworkMode(), restart, height, width, h.Privileged(),
        h.ReadonlyRootfs(), h.CapAdd(), h.CapDrop(), h.ExtraHosts(), h.Dns(), h.DnsSearch(), h.DnsOptions(), h.Init(),
        resources(h), storage(h), security(h)).withNamespaces(namespaces(h)).withProcess(process(h))
        .withRuntimeOptions(new RuntimeOptions(h.Runtime(), h.CgroupParent()))
        .withLinks(links(h.Links())).withLogConfig(logConfig(h.LogConfig()));
  }

  /** An unset driver (no LogConfig, or an empty Type) is the daemon's: create fills it in and checks the options. */
  static dev.berth.core.logs.LogConfig logConfig(ContainerJson.LogConfig c) {
    return c == null ? dev.berth.core.logs.LogConfig.UNSET : new dev.berth.core.logs.LogConfig(c.Type(), c.Config());
  }

  /**
   * PidMode, IpcMode, UTSMode, UsernsMode, Cgroup, Isolation and Annotations of a create body.
   * StorageOpt is refused: overlay2 sizes a container's layer only over xfs with project quotas,
   * which berth's overlay does not use; dockerd's driver fails the create (500) with these words.
   */
  static NamespaceModes namespaces(ContainerJson.HostConfig h) {
    Map<String, String> storageOpt = h.StorageOpt() == null ? Map.of() : h.StorageOpt();
    if (storageOpt.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("size"))) {
      throw new InternalException("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
    }
    for (String key : storageOpt.keySet()) {
      // overlay2's parseStorageOpt knows only size (in any case).
      throw new InternalException("Unknown option " + key.toLowerCase(java.util.Locale.ROOT));
    }
    return new NamespaceModes(h.PidMode(), h.IpcMode(), h.UTSMode(), h.UsernsMode(), h.Cgroup(), h.Isolation(),
        h.Annotations());
  }

  /** Ulimits, Sysctls, Devices, DeviceCgroupRules, GroupAdd and OomScoreAdj of a create body. */
  static ProcessOptions process(ContainerJson.HostConfig h) {
    var ulimits = h.Ulimits() == null ? List.<ProcessOptions.Ulimit>of() : h.Ulimits().stream()
        .filter(java.util.Objects::nonNull).map(u -> new ProcessOptions.Ulimit(u.Name(), u.Soft(), u.Hard())).toList();
    var devices = h.Devices() == null ? List.<ProcessOptions.DeviceMapping>of() : h.Devices().stream()
        .filter(java.util.Objects::nonNull)
        .map(d -> new ProcessOptions.DeviceMapping(d.PathOnHost(), d.PathInContainer(), d.CgroupPermissions()))
        .toList();
    return new ProcessOptions(ulimits, h.Sysctls(), devices, h.DeviceCgroupRules(), h.GroupAdd(), h.OomScoreAdj());
  }

  /**
   * Windows' QoS and CPU count. dockerd on Linux refuses the QoS fields as it decodes the body
   * (moby runconfig validateQoS); it ignores CpuCount, which berth refuses in the same words
   * rather than accept it unapplied. CpuPercent is warned about and discarded ({@link Resources#adaptTo}).
   */
  private static void refuseWindowsOnly(ContainerJson.HostConfig h) {
    if (h.IOMaximumBandwidth() != 0) {
      throw new InvalidArgumentException("invalid option: QoS maximum bandwidth configuration is not supported on linux");
    }
    if (h.IOMaximumIOps() != 0) {
      throw new InvalidArgumentException("invalid option: QoS maximum IOPs configuration is not supported on linux");
    }
    if (h.CpuCount() != 0) {
      throw new InvalidArgumentException("invalid option: CPU count configuration is not supported on linux");
    }
  }

  /**
   * {@code --gpus}: berth has no device driver (dockerd's are NVIDIA's and CDI), so every request
   * is refused in dockerd's words (moby incompatibleDeviceRequest; Go prints the capabilities as
   * {@code [[gpu]]}). dockerd finds this at start; berth at create, before anything is made.
   */
  private static void refuseDeviceRequests(List<JsonNode> requests) {
    if (requests == null) {
      return;
    }
    for (JsonNode r : requests) {
      if (r == null || r.isNull()) {
        continue;
      }
      var sets = new ArrayList<String>();
      for (JsonNode set : r.path("Capabilities")) {
        var caps = new ArrayList<String>();
        set.forEach(c -> caps.add(c.asText()));
        sets.add("[" + String.join(" ", caps) + "]");
      }
      String driver = r.path("Driver").asText("");
      throw new InvalidArgumentException("could not select device driver " + goQuote(driver)
          + " with capabilities: [" + String.join(" ", sets) + "]");
    }
  }

  /** HostConfig.Links of a create body, as dockerd's opts.ParseLink reads them; found at create. */
  static List<ContainerLink> links(List<String> links) {
    return links == null ? List.of() : links.stream().map(ContainerLink::parse).toList();
  }

  /**
   * SecurityOpt, CgroupnsMode, MaskedPaths and ReadonlyPaths of a create body. A null list is
   * "not given" (the daemon's defaults), an empty one is "none" (what the CLI sends for
   * {@code --security-opt systempaths=unconfined}).
   */
  static SecurityConfig security(ContainerJson.HostConfig h) {
    return new SecurityConfig(h.SecurityOpt(), h.CgroupnsMode(), h.MaskedPaths(), h.ReadonlyPaths(), null);
  }

  /** Binds, Mounts, Tmpfs, VolumesFrom, ShmSize and VolumeDriver of a create body. */
  static StorageOptions storage(ContainerJson.HostConfig h) {
    var mounts = new ArrayList<MountRequest>();
    if (h.Mounts() != null) {
      for (ContainerJson.Mount m : h.Mounts()) {
        // Go decodes a null entry as an empty mount, which the mount checks then refuse.
        mounts.add(mountRequest(m == null ? new ContainerJson.Mount(null, null, null, false, null, null, null, null) : m));
      }
    }
    return new StorageOptions(h.Binds(), mounts, h.Tmpfs(), h.VolumesFrom(), h.ShmSize(), h.VolumeDriver());
  }

  static MountRequest mountRequest(ContainerJson.Mount m) {
    var b = m.BindOptions();
    var v = m.VolumeOptions();
    var t = m.TmpfsOptions();
    return new MountRequest(m.Type(), m.Source(), m.Target(), m.ReadOnly(), m.Consistency(),
        b == null ? null : new MountRequest.BindOptions(b.Propagation(), b.NonRecursive(), b.CreateMountpoint(),
            b.ReadOnlyNonRecursive(), b.ReadOnlyForceRecursive()),
        v == null ? null : new MountRequest.VolumeOptions(v.NoCopy(), v.Labels(), v.Subpath(),
            v.DriverConfig() == null ? null : v.DriverConfig().Name(),
            v.DriverConfig() == null ? null : v.DriverConfig().Options()),
        t == null ? null : new MountRequest.TmpfsOptions(t.SizeBytes(), t.Mode(), t.Options()));
  }

  static ContainerJson.Mount mountJson(MountRequest m) {
    var b = m.bindOptions();
    var v = m.volumeOptions();
    var t = m.tmpfsOptions();
    return new ContainerJson.Mount(m.type(), m.source(), m.target(), m.readOnly(), m.consistency(),
        b == null ? null : new ContainerJson.BindOptions(b.propagation(), b.nonRecursive(), b.createMountpoint(),
            b.readOnlyNonRecursive(), b.readOnlyForceRecursive()),
        v == null ? null : new ContainerJson.VolumeOptions(v.noCopy(), v.labels(), v.subpath(),
            v.driverName() == null ? null : new ContainerJson.VolumeDriver(v.driverName(), v.driverOptions())),
        t == null ? null : new ContainerJson.TmpfsOptions(t.sizeBytes(), t.mode(), t.options()));
  }

  /** inspect's and the list's {@code Mounts}, sorted by destination (dockerd's order is a map's). */
  static List<ContainerJson.MountPoint> mountPoints(Container c) {
    return c.mounts().stream()
        .sorted(java.util.Comparator.comparing(MountPoint::destination))
        .map(m -> new ContainerJson.MountPoint(m.type().wire(), m.name(), m.source() == null ? "" : m.source(),
            m.destination(), m.driver(), m.mode(), m.rw(), m.propagation()))
        .toList();
  }

  static ContainerFilter filter(boolean all, int limit, Filters f) {
    f.only(LIST_FILTERS);
    for (String s : f.get("status")) {
      if (!STATUSES.contains(s)) {
        // moby 28 daemon/list.go wrapping ValidateContainerState.
        throw new InvalidArgumentException("invalid filter 'status=" + s + "': invalid value for state (" + s
            + "): must be one of " + String.join(", ", STATUSES));
      }
    }
    var exited = new ArrayList<Integer>();
    for (String e : f.get("exited")) {
      try {
        exited.add(Integer.parseInt(e));
      } catch (NumberFormatException x) {
        throw new InvalidArgumentException("invalid filter 'exited=" + e + "'");
      }
    }
    return new ContainerFilter(all || limit > 0, limit, f.get("id"), f.get("name"), f.get("label"),
        f.get("status"), f.get("ancestor"), exited, f.get("network"), f.get("publish"), f.get("expose"),
        f.get("volume"));
  }

  /** The detachKeys parameter; empty means dockerd's default, ctrl-p,ctrl-q. */
  static DetachKeys detachKeys(String spec) {
    return spec.isEmpty() ? DetachKeys.DEFAULT : DetachKeys.parse(spec);
  }

  /**
   * Whether a stream's head names the multiplexed media type: from API 1.42, for a container or
   * exec without a TTY (whose output is framed); a TTY's raw stream is never multiplexed.
   */
  static boolean multiplexedMediaType(boolean tty, ApiVersion version) {
    return !tty && version.atLeast(1, 42);
  }

  /** A TTY height or width from the query, as dockerd parses it. */
  static int dimension(dev.berth.server.api.ApiRequest req, String name) {
    String v = req.query(name).orElse("");
    try {
      int n = Integer.parseInt(v);
      if (n < 0 || n > 65535) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("invalid value for " + name + ": \"" + v + "\"");
    }
  }

  static LogQuery logQuery(boolean stdout, boolean stderr, String tail, String since, String until, boolean follow) {
    int n = -1;
    if (!tail.isEmpty() && !tail.equals("all")) {
      try {
        n = Math.max(-1, Integer.parseInt(tail));
      } catch (NumberFormatException e) {
        n = -1;
      }
    }
    return new LogQuery(stdout, stderr, n, timestamp(since), timestamp(until), follow);
  }

  static Instant timestamp(String s) {
    return WireTime.parseUnix(s);
  }


  /**
   * A log line as {@code docker logs --details} shows it: the entry's attributes, sorted,
   * {@code k=v} joined by commas with Go's url.QueryEscape, then a space (alone when there are none).
   */
  static byte[] withDetails(Map<String, String> attrs, byte[] data) {
    var sb = new StringBuilder();
    for (var e : new java.util.TreeMap<>(attrs).entrySet()) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(queryEscape(e.getKey())).append('=').append(queryEscape(e.getValue()));
    }
    sb.append(' ');
    byte[] prefix = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + data.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(data, 0, out, prefix.length, data.length);
    return out;
  }

  /** Go's url.QueryEscape: only letters, digits and {@code -_.~} stay; a space is {@code +}. */
  static String queryEscape(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("*", "%2A")
        .replace("%7E", "~");
  }

  /** A log line with the timestamp dockerd prefixes: always nine fraction digits, UTC. */
  static byte[] withTimestamp(Instant t, byte[] data) {
    String ts = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(t) + " ";
    byte[] prefix = ts.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + data.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(data, 0, out, prefix.length, data.length);
    return out;
  }

  /** A container as the list (and {@code system df}) shows it; {@code size} only when asked for. */
  public static ContainerJson.Summary summary(Container c, Instant now, ContainerService.DiskUsage size, Health health) {
    return summary(c, now, size, health, List.of());
  }

  /** @param linkNames the {@code /parent/alias} names it also goes by, listed after its own as dockerd does */
  public static ContainerJson.Summary summary(Container c, Instant now, ContainerService.DiskUsage size, Health health,
      List<String> linkNames) {
    return summary(c, summaryStatus(c, now, health), size, linkNames);
  }

  /** The list's {@code Status}: "Up 3 minutes (healthy)", "Exited (0) 2 hours ago", "Created"... */
  static String summaryStatus(Container c, Instant now, Health health) {
    return status(c.state(), now) + healthSuffix(c.state(), health);
  }

  /** As {@link #summary(Container, Instant, ContainerService.DiskUsage, Health, List)}, its status given. */
  static ContainerJson.Summary summary(Container c, String status, ContainerService.DiskUsage size,
      List<String> linkNames) {
    var names = new ArrayList<String>();
    names.add(c.name().slashed());
    names.addAll(linkNames);
    return new ContainerJson.Summary(
        c.id().hex(),
        names,
        c.config().image(),
        c.imageId().toString(),
        String.join(" ", c.config().argv()),
        c.created().getEpochSecond(),
        NetworkSettingsTranslator.summaryPorts(c),
        size == null ? null : size.sizeRw(),
        size == null ? null : size.sizeRootFs(),
        c.config().labels(),
        ContainerStatus.of(c.state()),
        status,
        new ContainerJson.SummaryHostConfig(c.hostConfig().networkMode()),
        new ContainerJson.SummaryNetworks(NetworkSettingsTranslator.networks(c)),
        mountPoints(c));
  }

  static ContainerJson.Inspect inspect(ContainerDetails d) {
    Container c = d.container();
    List<String> argv = c.config().argv();
    ContainerService.DiskUsage size = d.size();
    return new ContainerJson.Inspect(
        c.id().hex(),
        time(c.created()),
        argv.isEmpty() ? "" : argv.getFirst(),
        argv.isEmpty() ? List.of() : argv.subList(1, argv.size()),
        state(c.state(), d.health()),
        c.imageId().toString(),
        d.files().resolvConf().toString(),
        d.files().hostname().toString(),
        d.files().hosts().toString(),
        d.files().log() == null ? "" : d.files().log().toString(),
        c.name().slashed(),
        c.restartCount(),
        "overlay2",
        "linux",
        "",
        "",
        d.appArmorProfile(),
        d.execIds().isEmpty() ? null : d.execIds(),
        hostConfigJson(c.hostConfig(), c.networking(), d, c.name()),
        new ContainerJson.GraphDriver("overlay2", graphData(d.overlay())),
        size == null ? null : size.sizeRw(),
        size == null ? null : size.sizeRootFs(),
        mountPoints(c),
        configJson(c.config(), NetworkSettingsTranslator.desiredMac(c)),
        NetworkSettingsTranslator.settings(c, d.sandboxKey().toString()));
  }

  /** The X-Docker-Container-Path-Stat header: the stat as JSON, base64 (standard alphabet). */
  static String pathStatHeader(PathStat st) {
    byte[] json = Json.bytes(new ContainerJson.PathStat(st.name(), st.size(), st.mode(), time(st.mtime()),
        st.linkTarget()));
    return java.util.Base64.getEncoder().encodeToString(json);
  }

  /** The archive endpoints' {@code path}; moby's httputils.ArchiveFormValues wording, typo included. */
  static String archivePath(java.util.Optional<String> path) {
    return path.filter(p -> !p.isEmpty()).orElseThrow(() -> new InvalidArgumentException(
        "bad parameter: pathcannot be empty"));
  }

  static List<ContainerJson.FilesystemChange> changes(List<Change> changes) {
    return changes.stream().map(c -> new ContainerJson.FilesystemChange(c.path(), c.kind().code())).toList();
  }

  /**
   * A commit request: the body is a container Config (or {@code null}, or nothing); repo and tag
   * name the new image, as moby's httputils.RepoTagReference reads them.
   */
  static ContainerCommit.Request commitRequest(byte[] body, String repo, String tag, String author, String comment,
      List<String> changes, java.util.Optional<String> pause) {
    ContainerConfig config = null;
    if (body.length > 0) {
      try {
        JsonNode root = Json.MAPPER.readTree(body);
        if (root != null && root.isObject()) {
          config = config(Json.MAPPER.treeToValue(root, ContainerJson.Config.class));
        }
      } catch (java.io.IOException e) {
        throw new InvalidArgumentException("invalid JSON: " + e.getMessage());
      }
    }
    ImageReference ref = null;
    if (!repo.isEmpty()) {
      ref = ImageReference.parse(repo);
      if (ref.digest() != null) {
        throw new InvalidArgumentException("refusing to create a tag with a digest reference");
      }
      ref = tag.isEmpty() ? ref.withDefaultTag() : ref.withTag(tag);
    }
    boolean doPause = pause.map(dev.berth.server.api.ApiRequest::truthy).orElse(true);
    return new ContainerCommit.Request(config, changes, author, comment, doPause, ref);
  }

  /** {@code docker ps} appends a running container's health: "(healthy)", "(health: starting)". */
  static String healthSuffix(ContainerState s, Health h) {
    if (h == null || !(s instanceof ContainerState.Running)) {
      return "";
    }
    return h.status().equals(Health.STARTING) ? " (health: starting)" : " (" + h.status() + ")";
  }

  static ContainerJson.State state(ContainerState s, Health health) {
    ContainerJson.State base = state(s);
    if (health == null) {
      return base;
    }
    var log = health.log().stream().map(p -> new ContainerJson.HealthResult(time(p.start()), time(p.end()),
        p.exitCode(), p.output())).toList();
    return new ContainerJson.State(base.Status(), base.Running(), base.Paused(), base.Restarting(), base.OOMKilled(),
        base.Dead(), base.Pid(), base.ExitCode(), base.Error(), base.StartedAt(), base.FinishedAt(),
        new ContainerJson.Health(health.status(), health.failingStreak(), log));
  }

  static ContainerJson.State state(ContainerState s) {
    String never = time(ContainerState.NEVER);
    return switch (s) {
      case ContainerState.Created c ->
          new ContainerJson.State("created", false, false, false, false, false, 0, c.exitCode(), c.error(), never, never,
              null);
      case ContainerState.Running r -> new ContainerJson.State("running", true, false, false, r.oomKilled(), false, r.pid(), 0,
          "", time(r.startedAt()), never, null);
      case ContainerState.Paused p -> new ContainerJson.State("paused", true, true, false, p.oomKilled(), false, p.pid(), 0,
          "", time(p.startedAt()), never, null);
      case ContainerState.Restarting r -> new ContainerJson.State("restarting", true, false, true, r.oomKilled(), false, 0,
          r.exitCode(), "", time(r.startedAt()), time(r.finishedAt()), null);
      case ContainerState.Exited e -> new ContainerJson.State("exited", false, false, false, e.oomKilled(), false, 0,
          e.exitCode(), e.error(), time(e.startedAt()), time(e.finishedAt()), null);
      case ContainerState.Dead d -> new ContainerJson.State("dead", false, false, false, false, true, 0, 255,
          d.error(), time(d.startedAt()), time(d.finishedAt()), null);
    };
  }

  /** The STATUS column of {@code docker ps}: "Up 3 seconds", "Exited (0) 2 minutes ago". */
  static String status(ContainerState s, Instant now) {
    return switch (s) {
      case ContainerState.Created c -> "Created";
      case ContainerState.Running r -> "Up " + humanDuration(Duration.between(r.startedAt(), now));
      case ContainerState.Paused p -> "Up " + humanDuration(Duration.between(p.startedAt(), now)) + " (Paused)";
      case ContainerState.Restarting r ->
          "Restarting (" + r.exitCode() + ") " + humanDuration(Duration.between(r.finishedAt(), now)) + " ago";
      case ContainerState.Exited e ->
          "Exited (" + e.exitCode() + ") " + humanDuration(Duration.between(e.finishedAt(), now)) + " ago";
      case ContainerState.Dead d -> "Dead";
    };
  }

  /** The wording of go-units' HumanDuration, which the docker CLI and dockerd share. */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return "Less than a second";
    } else if (seconds == 1) {
      return "1 second";
    } else if (seconds < 60) {
      return seconds + " seconds";
    }
    long minutes = d.toMinutes();
    if (minutes == 1) {
      return "About a minute";
    } else if (minutes < 60) {
      return minutes + " minutes";
    }
    long hours = Math.round(d.toMillis() / 3_600_000.0);
    if (hours == 1) {
      return "About an hour";
    } else if (hours < 48) {
      return hours + " hours";
    } else if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    } else if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return d.toHours() / 24 / 365 + " years";
  }

  private static String time(Instant t) {
    return WireTime.format(t);
  }

  static ContainerJson.Config configJson(ContainerConfig c) {
    return configJson(c, null);
  }

  /** @param macAddress the deprecated Config.MacAddress, which dockerd still fills in inspect; null to leave out */
  static ContainerJson.Config configJson(ContainerConfig c, String macAddress) {
    Healthcheck h = c.healthcheck();
    return new ContainerJson.Config(
        c.hostname(), c.domainname(), c.user(), c.attachStdin(), c.attachStdout(), c.attachStderr(),
        c.exposedPorts().isEmpty() ? null : Json.set(c.exposedPorts()), c.tty(), c.openStdin(), c.stdinOnce(), c.env(),
        c.cmd(),
        h == null ? null : new ContainerJson.HealthConfig(h.test(), h.interval(), h.timeout(), h.startPeriod(),
            h.startInterval(), h.retries()),
        c.argsEscaped() ? true : null,
        c.image(), c.volumes().isEmpty() ? null : Json.set(c.volumes()), c.workingDir(), c.entrypoint(), null, macAddress,
        c.onBuild(), new LinkedHashMap<>(c.labels()), c.stopSignal().isEmpty() ? null : c.stopSignal(),
        c.stopTimeout(), c.shell());
  }

  private static ContainerJson.HostConfig hostConfigJson(HostConfig h, Networking n, ContainerDetails d,
      ContainerName name) {
    SecurityConfig sc = h.security();
    Resources r = h.resources();
    StorageOptions st = h.storage();
    NamespaceModes ns = h.namespaces();
    ProcessOptions p = h.process();
    return new ContainerJson.HostConfig(
        nullIfEmpty(st.binds()), "", new ContainerJson.LogConfig(h.logConfig().type(),
            new java.util.TreeMap<>(h.logConfig().config())), h.networkMode(),
        NetworkSettingsTranslator.portBindings(n),
        new ContainerJson.RestartPolicy(h.restartPolicy().name(), h.restartPolicy().maxRetryCount()),
        h.autoRemove(), st.volumeDriver(), nullIfEmpty(st.volumesFrom()), List.of(h.consoleHeight(), h.consoleWidth()),
        ns.annotations().isEmpty() ? null : new java.util.TreeMap<>(ns.annotations()),
        nullIfEmpty(h.capAdd()), nullIfEmpty(h.capDrop()), sc.effectiveCgroupnsMode(), h.dns(), h.dnsOptions(),
        h.dnsSearch(), nullIfEmpty(h.extraHosts()), nullIfEmpty(p.groupAdd()), ns.effectiveIpcMode(), ns.cgroup(),
        nullIfEmpty(h.links().stream().map(l -> ContainerLinks.inspectForm(name, l)).toList()),
        p.oomScoreAdj(), ns.pidMode(), h.privileged(), n.publishAll(),
        h.readonlyRootfs(), nullIfEmpty(sc.securityOpt()), null, st.tmpfs(), ns.utsMode(), ns.usernsMode(),
        st.shmSize() == 0 ? DEFAULT_SHM : st.shmSize(), p.sysctls(),
        d.runtime(), ns.isolation(),
        zero(r.cpuShares()), zero(r.memory()), zero(r.nanoCpus()), h.runtimeOptions().cgroupParent(),
        r.blkioWeight() == null ? 0 : r.blkioWeight(), weightDevicesJson(r.blkioWeightDevice()),
        throttleDevicesJson(r.blkioDeviceReadBps()), throttleDevicesJson(r.blkioDeviceWriteBps()),
        throttleDevicesJson(r.blkioDeviceReadIOps()), throttleDevicesJson(r.blkioDeviceWriteIOps()),
        zero(r.cpuPeriod()), zero(r.cpuQuota()), zero(r.cpuRealtimePeriod()), zero(r.cpuRealtimeRuntime()),
        orEmpty(r.cpusetCpus()), orEmpty(r.cpusetMems()), p.devices().stream().map(m -> new ContainerJson.DeviceMapping(
            m.pathOnHost(), m.pathInContainer(), m.cgroupPermissions())).toList(),
        nullIfEmpty(p.deviceCgroupRules()), null, zero(r.memoryReservation()),
        zero(r.memorySwap()), r.memorySwappiness(), r.oomKillDisable(), r.pidsLimit(), nullIfEmpty(p.ulimits().stream()
            .map(u -> new ContainerJson.Ulimit(u.name(), u.hard(), u.soft())).toList()), 0, 0, 0, 0,
        st.mounts().stream().map(ContainerTranslator::mountJson).toList(), h.init(),
        d.maskedPaths(), d.readonlyPaths(), r.kernelMemoryTcp());
  }

  private static long zero(Long v) {
    return v == null ? 0 : v;
  }

  private static String orEmpty(String v) {
    return v == null ? "" : v;
  }

  /** The cgroup limits of a create or update body; Docker's zeros mean unset. */
  static Resources resources(ContainerJson.HostConfig h) {
    return new Resources(h.Memory(), h.MemorySwap(), h.MemoryReservation(), h.CpuShares(), h.CpuPeriod(),
        h.CpuQuota(), h.NanoCpus(), h.CpusetCpus(), h.CpusetMems(), h.PidsLimit(), h.OomKillDisable(),
        h.MemorySwappiness(), h.BlkioWeight(), weightDevices(h.BlkioWeightDevice()),
        throttleDevices(h.BlkioDeviceReadBps()), throttleDevices(h.BlkioDeviceWriteBps()),
        throttleDevices(h.BlkioDeviceReadIOps()), throttleDevices(h.BlkioDeviceWriteIOps()), h.CpuRealtimePeriod(),
        h.CpuRealtimeRuntime(), h.CpuPercent(), h.KernelMemoryTCP());
  }

  // Go's %q for the printable strings a driver name is.
  private static String goQuote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** {@code [{"Path": "/dev/sda", "Weight": 200}]} (moby blkiodev.WeightDevice). */
  private static List<Resources.WeightDevice> weightDevices(List<JsonNode> devices) {
    if (devices == null) {
      return null;
    }
    var out = new ArrayList<Resources.WeightDevice>();
    for (JsonNode d : devices) {
      int weight = d.path("Weight").asInt(-1);
      if (!d.path("Weight").canConvertToInt() || weight < 0 || weight > 65535) {
        throw new InvalidArgumentException("invalid BlkioWeightDevice weight: " + d.path("Weight"));
      }
      out.add(new Resources.WeightDevice(d.path("Path").asText(""), weight));
    }
    return out;
  }

  /** {@code [{"Path": "/dev/sda", "Rate": 1048576}]} (moby blkiodev.ThrottleDevice). */
  private static List<Resources.ThrottleDevice> throttleDevices(List<JsonNode> devices) {
    if (devices == null) {
      return null;
    }
    var out = new ArrayList<Resources.ThrottleDevice>();
    for (JsonNode d : devices) {
      if (!d.path("Rate").canConvertToLong()) {
        throw new InvalidArgumentException("invalid throttle device rate: " + d.path("Rate"));
      }
      out.add(new Resources.ThrottleDevice(d.path("Path").asText(""), d.path("Rate").asLong()));
    }
    return out;
  }

  private static List<JsonNode> weightDevicesJson(List<Resources.WeightDevice> devices) {
    return devices == null ? List.of() : devices.stream().<JsonNode>map(d -> Json.MAPPER.createObjectNode()
        .put("Path", d.path()).put("Weight", d.weight())).toList();
  }

  private static List<JsonNode> throttleDevicesJson(List<Resources.ThrottleDevice> devices) {
    return devices == null ? List.of() : devices.stream().<JsonNode>map(d -> Json.MAPPER.createObjectNode()
        .put("Path", d.path()).put("Rate", d.rate())).toList();
  }

  /** An update body: limits to change and, if given, a new restart policy. */
  record Update(Resources resources, RestartPolicy restartPolicy) {}

  static Update update(byte[] body) {
    ContainerJson.HostConfig h;
    try {
      h = body.length == 0 ? null : Json.MAPPER.readValue(body, ContainerJson.HostConfig.class);
    } catch (java.io.IOException e) {
      throw new InvalidArgumentException("invalid JSON: " + e.getMessage());
    }
    if (h == null) {
      return new Update(Resources.NONE, null);
    }
    refuseWindowsOnly(h);
    RestartPolicy policy = h.RestartPolicy() == null || h.RestartPolicy().Name() == null ? null
        : new RestartPolicy(h.RestartPolicy().Name(), h.RestartPolicy().MaximumRetryCount());
    return new Update(resources(h), policy);
  }

  /** overlay2's GraphDriver.Data, in dockerd's order. */
  private static Map<String, String> graphData(ContainerDetails.Overlay o) {
    var data = new LinkedHashMap<String, String>();
    data.put("LowerDir", o.lowerDirs().stream().map(Path::toString).collect(Collectors.joining(":")));
    data.put("MergedDir", o.mergedDir().toString());
    data.put("UpperDir", o.upperDir().toString());
    data.put("WorkDir", o.workDir().toString());
    return data;
  }

  private static Set<String> keys(Map<String, ?> m) {
    return m == null ? Set.of() : new LinkedHashSet<>(m.keySet());
  }

  private static Healthcheck healthcheck(ContainerJson.HealthConfig h) {
    if (h == null) {
      return null;
    }
    return new Healthcheck(h.Test(), h.Interval(), h.Timeout(), h.StartPeriod(), h.StartInterval(), h.Retries());
  }

  private static <T> List<T> nullIfEmpty(List<T> l) {
    return l.isEmpty() ? null : l;
  }
}
