package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.registry.RegistryOptions;
import dev.berth.core.network.AddressPools;
import dev.berth.core.network.ExtraHost;
import dev.berth.core.network.Subnet;
import dev.berth.core.logs.LogConfig;
import dev.berth.core.seccomp.SeccompProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * berthd's settings, from dockerd-style flags and {@code daemon.json} (same keys as the flags).
 * As with dockerd, a setting given both ways, or a key the file does not know, is an error.
 *
 * @param socket the API socket's path ({@code -H unix://PATH}); null with {@code -H fd://}
 * @param systemdFd with {@code -H fd://} or {@code fd://N}: what follows {@code fd://} (the socket
 *     is then one systemd passes, {@link SystemdListener}); null otherwise
 */
public record DaemonConfig(
    Path socket, Path dataRoot, Path execRoot, String cgroupParent, String defaultRuntime, String logLevel,
    Path configFile, RegistryOptions registry, Network network, Security security, Path pidFile,
    Map<String, RuntimeEntry> runtimes, List<ProcessOptions.Ulimit> defaultUlimits, String systemdFd,
    LogConfig log) {

  public DaemonConfig {
    defaultUlimits = defaultUlimits == null ? List.of() : List.copyOf(defaultUlimits);
    log = log == null ? LogConfig.DEFAULT : log;
  }

  /**
   * A runtime containers may name ({@code docker run --runtime}): daemon.json's {@code runtimes}
   * entries and {@code --add-runtime name=path}.
   *
   * @param path the binary, absolute or found on PATH
   * @param runtimeArgs arguments it is given before every subcommand
   */
  public record RuntimeEntry(String path, List<String> runtimeArgs) {
    public RuntimeEntry {
      runtimeArgs = runtimeArgs == null ? List.of() : List.copyOf(runtimeArgs);
    }
  }

  /** dockerd's stock runtime, whose name no configured runtime may take. */
  public static final String STOCK_RUNTIME = "runc";

  /**
   * Networking settings, dockerd's names.
   *
   * @param bridge the default bridge network's host interface (dockerd's docker0)
   * @param bip the default bridge's address and subnet, a.b.c.d/n; empty to pick one
   * @param ipMasq masquerade containers' outbound traffic (on by default, as in dockerd)
   * @param addressPools where networks created without a subnet get one; empty for dockerd's
   * @param hostGatewayIps what {@code host-gateway} in {@code --add-host} stands for; empty for
   *     the default bridge's gateway (at most one IPv4 and one IPv6 address)
   */
  public record Network(String bridge, String bip, boolean ipMasq, List<AddressPools.Pool> addressPools,
      List<String> hostGatewayIps) {

    public Network {
      hostGatewayIps = hostGatewayIps == null ? List.of() : List.copyOf(hostGatewayIps);
    }

    public Network(String bridge, String bip, boolean ipMasq, List<AddressPools.Pool> addressPools) {
      this(bridge, bip, ipMasq, addressPools, List.of());
    }
  }

  /**
   * What containers get unless they say otherwise, dockerd's names.
   *
   * @param seccompProfile {@code builtin}, {@code unconfined} or the path of a profile
   * @param customSeccomp the profile read from that path at start; null for the other two
   * @param cgroupnsMode {@code host}, {@code private}, or empty for the host's default (private on
   *     a cgroup v2-only host, host elsewhere)
   */
  public record Security(String seccompProfile, SeccompProfile customSeccomp, boolean noNewPrivileges,
      String cgroupnsMode) {}

  public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/berth/daemon.json");
  private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "fatal");

  /** A bad flag, value or config file; berthd prints the message and exits with status 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  static final String USAGE = """
      Usage: berthd [OPTIONS]

      A container engine that serves the Docker Engine API.

      Options:
        -H, --host string                Daemon socket to listen on: unix:///PATH, or fd:// (fd://N) for a socket
                                         systemd passes (default "unix:///run/berth/berth.sock")
            --data-root string           Root directory of persistent state (default "/var/lib/berth")
            --exec-root string           Root directory of runtime state (default "/run/berth")
            --cgroup-parent string       Parent cgroup for all containers (default "berth")
            --default-runtime string     OCI runtime: auto, runc, crun, a configured runtime or a path
                                         (default "auto")
            --add-runtime runtime        Register an additional OCI compatible runtime (name=path)
            --default-ulimit ulimit      Default ulimits for containers, name=soft[:hard] (default [])
            --config-file string         Daemon configuration file (default "/etc/berth/daemon.json")
        -p, --pidfile string             Path to use for daemon PID file (default "<exec-root>/berth.pid")
        -b, --bridge string              Host interface of the default bridge network (default "berth0")
            --bip string                 Address and subnet of the default bridge, a.b.c.d/n
            --ip-masq                    Masquerade containers' outbound traffic (default true)
            --host-gateway-ip list       IP addresses that the special 'host-gateway' string in --add-host
                                         resolves to. Defaults to the IP addresses of the default bridge
            --insecure-registry list     Enable insecure registry communication
            --registry-mirror list       Preferred registry mirror
            --max-download-attempts int  Maximum download attempts for each pull (default 5)
            --seccomp-profile string     Path to seccomp profile. Set to "unconfined" to disable the default
                                         seccomp profile (default "builtin")
            --no-new-privileges          Set no-new-privileges by default for new containers
            --default-cgroupns-mode string
                                         Default mode for containers cgroup namespace ("host" | "private")
            --log-driver string          Default driver for container logs: json-file, local or none
                                         (default "json-file")
            --log-opt map                Default log driver options for containers (default map[])
        -l, --log-level string           debug, info, warn, error or fatal (default "info")
        -h, --help                       Print usage
      """;

  private static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("bridge", "berth0"),
      Map.entry("bip", ""),
      Map.entry("ip-masq", "true"),
      Map.entry("default-address-pools", "[]"),
      // Deprecated by dockerd in favour of host-gateway-ips; read as a list of one.
      Map.entry("host-gateway-ip", ""),
      Map.entry("hosts", "unix:///run/berth/berth.sock"),
      Map.entry("data-root", "/var/lib/berth"),
      Map.entry("exec-root", "/run/berth"),
      // Empty: berth.pid in the exec root, so daemons with their own exec roots never share one.
      Map.entry("pidfile", ""),
      Map.entry("cgroup-parent", "berth"),
      Map.entry("default-runtime", "auto"),
      Map.entry("log-level", "info"),
      Map.entry("max-download-attempts", "5"),
      Map.entry("seccomp-profile", "builtin"),
      Map.entry("no-new-privileges", "false"),
      Map.entry("default-cgroupns-mode", ""),
      Map.entry("log-driver", "json-file"));

  /** Flags that need no value: given alone they mean true. */
  private static final Set<String> BOOLEAN_FLAGS = Set.of("ip-masq", "no-new-privileges");

  /** Repeatable flags and the daemon.json keys (lists of strings) they fill, as dockerd names them. */
  private static final Map<String, String> LIST_FLAGS = Map.of(
      "insecure-registry", "insecure-registries",
      "registry-mirror", "registry-mirrors",
      "host-gateway-ip", "host-gateway-ips");

  /** @throws UsageException with dockerd's style of message */
  public static DaemonConfig parse(List<String> args) {
    var flags = new LinkedHashMap<String, String>();
    var listFlags = new LinkedHashMap<String, List<String>>();
    var addedRuntimes = new LinkedHashMap<String, RuntimeEntry>();
    var addedUlimits = new LinkedHashMap<String, ProcessOptions.Ulimit>();
    var addedLogOpts = new java.util.TreeMap<String, String>();
    Path configFile = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else if (arg.startsWith("--")) {
        name = arg.substring(2);
      } else if (arg.startsWith("-") && arg.length() == 2) {
        name = switch (arg) {
          case "-H" -> "host";
          case "-l" -> "log-level";
          case "-h" -> "help";
          case "-b" -> "bridge";
          case "-p" -> "pidfile";
          default -> throw new UsageException("unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg);
        };
      } else {
        throw new UsageException("berthd takes no positional arguments, got \"" + arg + "\"");
      }
      if (name.equals("help")) {
        throw new UsageException(USAGE);
      }
      String key = name.equals("host") ? "hosts" : LIST_FLAGS.getOrDefault(name, name);
      if (name.equals("default-ulimit")) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException("flag needs an argument: --" + name);
          }
          value = args.get(++i);
        }
        try {
          var u = ProcessOptions.Ulimit.parse(value);
          addedUlimits.put(u.name(), u);
        } catch (InvalidArgumentException e) {
          throw new UsageException("invalid argument \"" + value + "\" for \"--default-ulimit\" flag: " + e.getMessage());
        }
        continue;
      }
      if (name.equals("log-opt")) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException("flag needs an argument: --" + name);
          }
          value = args.get(++i);
        }
        int eq2 = value.indexOf('=');
        if (eq2 < 0) {
          throw new UsageException("invalid argument \"" + value + "\" for \"--log-opt\" flag: invalid key value "
              + "pair format in map");
        }
        addedLogOpts.put(value.substring(0, eq2), value.substring(eq2 + 1));
        continue;
      }
      if (name.equals("add-runtime")) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException("flag needs an argument: --" + name);
          }
          value = args.get(++i);
        }
        addRuntime(addedRuntimes, value);
        continue;
      }
      if (!DEFAULTS.containsKey(key) && !key.equals("config-file") && !LIST_FLAGS.containsKey(name)) {
        throw new UsageException("unknown flag: --" + name + "\n\n" + USAGE);
      }
      if (value == null && BOOLEAN_FLAGS.contains(name)) {
        value = "true";
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException("flag needs an argument: --" + name);
        }
        value = args.get(++i);
      }
      if (key.equals("config-file")) {
        configFile = Path.of(value);
      } else if (LIST_FLAGS.containsKey(name)) {
        listFlags.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      } else {
        flags.put(key, value);
      }
    }
    boolean explicitFile = configFile != null;
    Path file = explicitFile ? configFile : DEFAULT_CONFIG_FILE;
    var listsFromFile = new LinkedHashMap<String, List<String>>();
    var runtimesFromFile = new LinkedHashMap<String, RuntimeEntry>();
    var ulimitsFromFile = new LinkedHashMap<String, ProcessOptions.Ulimit>();
    var logOptsFromFile = new java.util.TreeMap<String, String>();
    Map<String, String> fromFile = readFile(file, explicitFile, listsFromFile, runtimesFromFile, ulimitsFromFile,
        logOptsFromFile);
    var conflicts = new ArrayList<String>();
    if (!addedLogOpts.isEmpty() && !logOptsFromFile.isEmpty()) {
      conflicts.add("log-opts: (from flag: " + goMap(addedLogOpts) + ", from file: " + goMap(logOptsFromFile) + ")");
    }
    if (!addedUlimits.isEmpty() && !ulimitsFromFile.isEmpty()) {
      conflicts.add("default-ulimits: (from flag: " + addedUlimits.keySet() + ", from file: " + ulimitsFromFile.keySet()
          + ")");
    }
    if (!addedRuntimes.isEmpty() && !runtimesFromFile.isEmpty()) {
      conflicts.add("runtimes: (from flag: " + addedRuntimes.keySet() + ", from file: " + runtimesFromFile.keySet() + ")");
    }
    for (var e : fromFile.entrySet()) {
      if (flags.containsKey(e.getKey())) {
        conflicts.add(e.getKey() + ": (from flag: " + flags.get(e.getKey()) + ", from file: " + e.getValue() + ")");
      }
    }
    for (var e : listsFromFile.entrySet()) {
      if (listFlags.containsKey(e.getKey())) {
        conflicts.add(e.getKey() + ": (from flag: [" + String.join(" ", listFlags.get(e.getKey())) + "], from file: ["
            + String.join(" ", e.getValue()) + "])");
      }
    }
    if (!conflicts.isEmpty()) {
      throw new UsageException("unable to configure the daemon: the following directives are specified both as a "
          + "flag and in the configuration file: " + String.join(", ", conflicts));
    }
    var merged = new LinkedHashMap<>(DEFAULTS);
    merged.putAll(fromFile);
    merged.putAll(flags);
    var lists = new LinkedHashMap<String, List<String>>(listsFromFile);
    lists.putAll(listFlags);
    var runtimes = new LinkedHashMap<String, RuntimeEntry>(runtimesFromFile);
    runtimes.putAll(addedRuntimes);
    var ulimits = new LinkedHashMap<String, ProcessOptions.Ulimit>(ulimitsFromFile);
    ulimits.putAll(addedUlimits);
    var logOpts = new java.util.TreeMap<String, String>(logOptsFromFile);
    logOpts.putAll(addedLogOpts);
    return build(merged, lists, file, runtimes, List.copyOf(ulimits.values()), logOpts);
  }

  private static String goMap(Map<String, String> m) {
    var parts = new ArrayList<String>();
    m.forEach((k, v) -> parts.add(k + ":" + v));
    return "map[" + String.join(" ", parts) + "]";
  }

  /**
   * {@code log-driver} and {@code log-opts}, checked at start as every container's would be at
   * create (dockerd checks the options at start and the driver only when a container starts).
   */
  private static LogConfig log(String driver, Map<String, String> opts) {
    var log = new LogConfig(driver, opts);
    try {
      log.settings();
    } catch (InvalidArgumentException e) {
      throw new UsageException("failed to start daemon: failed to set log opts: " + e.getMessage());
    }
    return log;
  }

  /** moby opts.RuntimeOpt: {@code name=path}, the name lower-cased, each name once, never {@code runc}. */
  private static void addRuntime(Map<String, RuntimeEntry> runtimes, String value) {
    int eq = value.indexOf('=');
    String name = eq < 0 ? "" : value.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
    String path = eq < 0 ? "" : value.substring(eq + 1).strip();
    String why;
    if (name.isEmpty() || path.isEmpty()) {
      why = "invalid runtime argument: " + value;
    } else if (name.equals(STOCK_RUNTIME)) {
      why = "runtime name '" + STOCK_RUNTIME + "' is reserved";
    } else if (runtimes.containsKey(name)) {
      why = "runtime '" + name + "' was already defined";
    } else {
      runtimes.put(name, new RuntimeEntry(path, List.of()));
      return;
    }
    throw new UsageException("invalid argument \"" + value + "\" for \"--add-runtime\" flag: " + why);
  }

  private static DaemonConfig build(Map<String, String> v, Map<String, List<String>> lists, Path file,
      Map<String, RuntimeEntry> runtimes, List<ProcessOptions.Ulimit> defaultUlimits, Map<String, String> logOpts) {
    String host = v.get("hosts");
    if (!host.startsWith("unix://") && !host.startsWith("fd://")) {
      throw new UsageException("berthd listens on unix sockets only: " + host);
    }
    // fd:// is a socket systemd passes (socket activation); its path is known only once it is taken.
    String systemdFd = host.startsWith("fd://") ? host.substring("fd://".length()) : null;
    String level = v.get("log-level");
    if (!LOG_LEVELS.contains(level)) {
      throw new UsageException("unable to configure the daemon: invalid log level: " + level);
    }
    RegistryOptions registry;
    try {
      registry = new RegistryOptions(lists.getOrDefault("insecure-registries", List.of()),
          RegistryOptions.mirrors(lists.getOrDefault("registry-mirrors", List.of())),
          integer(v.get("max-download-attempts"), "max download attempts"));
    } catch (InvalidArgumentException e) {
      throw new UsageException("unable to configure the daemon: " + e.getMessage());
    }
    Path execRoot = Path.of(v.get("exec-root"));
    Path pidFile = v.get("pidfile").isEmpty() ? execRoot.resolve("berth.pid") : Path.of(v.get("pidfile"));
    return new DaemonConfig(systemdFd != null ? null : Path.of(host.substring("unix://".length())),
        Path.of(v.get("data-root")), execRoot, v.get("cgroup-parent"), v.get("default-runtime"), level, file, registry,
        network(v, lists), security(v), pidFile, Map.copyOf(runtimes), defaultUlimits, systemdFd,
        log(v.get("log-driver"), logOpts));
  }

  private static Security security(Map<String, String> v) {
    String nnp = v.get("no-new-privileges");
    if (!nnp.equals("true") && !nnp.equals("false")) {
      throw new UsageException("unable to configure the daemon: invalid no-new-privileges value: " + nnp);
    }
    String cgroupns = v.get("default-cgroupns-mode");
    if (!cgroupns.isEmpty() && !cgroupns.equals("host") && !cgroupns.equals("private")) {
      throw new UsageException("unable to configure the daemon: invalid default cgroup namespace (" + cgroupns
          + "): use \"host\" or \"private\"");
    }
    String profile = v.get("seccomp-profile");
    SeccompProfile custom = null;
    if (!profile.isEmpty() && !profile.equals("builtin") && !profile.equals("unconfined")) {
      try {
        custom = SeccompProfile.read(Path.of(profile));
      } catch (InvalidArgumentException e) {
        String why = e.getMessage().startsWith("opening seccomp profile") ? e.getMessage()
            : "invalid seccomp profile (" + profile + "): " + e.getMessage();
        throw new UsageException("unable to configure the daemon: " + why);
      }
    }
    return new Security(profile.isEmpty() ? "builtin" : profile, custom, Boolean.parseBoolean(nnp), cgroupns);
  }

  private static int integer(String value, String what) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException("unable to configure the daemon: invalid " + what + ": " + value);
    }
  }

  private static Network network(Map<String, String> v, Map<String, List<String>> lists) {
    String ipMasq = v.get("ip-masq");
    if (!ipMasq.equals("true") && !ipMasq.equals("false")) {
      throw new UsageException("unable to configure the daemon: invalid ip-masq value: " + ipMasq);
    }
    String bridge = v.get("bridge");
    if (bridge.isEmpty() || bridge.length() > 15 || !bridge.matches("[a-zA-Z0-9_.-]+")) {
      throw new UsageException("unable to configure the daemon: invalid bridge name: " + bridge);
    }
    var pools = new ArrayList<AddressPools.Pool>();
    try {
      String bip = v.get("bip");
      if (!bip.isEmpty()) {
        Subnet.parse(bip);
      }
      for (JsonNode p : new ObjectMapper().readTree(v.get("default-address-pools"))) {
        if (dev.berth.core.network.Ipv6Subnet.isIpv6(p.path("base").asText())) {
          // IPv6 networks without a subnet get a /64 of the engine's own ULA /48 instead.
          throw new UsageException("unable to configure the daemon: berth does not support IPv6 "
              + "default-address-pools yet: " + p.path("base").asText());
        }
        Subnet base = Subnet.parse(p.path("base").asText());
        int size = p.path("size").asInt(-1);
        if (size < base.prefix() || size > 30) {
          throw new UsageException("unable to configure the daemon: invalid default-address-pools size " + size
              + " for " + base);
        }
        pools.add(new AddressPools.Pool(base, size));
      }
      return new Network(bridge, bip, Boolean.parseBoolean(ipMasq), pools, hostGatewayIps(v, lists));
    } catch (InvalidArgumentException | IOException e) {
      throw new UsageException("unable to configure the daemon: " + e.getMessage());
    }
  }

  /** dockerd's ValidateHostGatewayIPs: addresses, at most one of each family. */
  private static List<String> hostGatewayIps(Map<String, String> v, Map<String, List<String>> lists) {
    var ips = new ArrayList<>(lists.getOrDefault("host-gateway-ips", List.of()));
    if (!v.get("host-gateway-ip").isEmpty()) {
      ips.add(v.get("host-gateway-ip"));
    }
    boolean have4 = false;
    boolean have6 = false;
    for (String ip : ips) {
      if (!ExtraHost.isAddress(ip)) {
        throw new UsageException("unable to configure the daemon: invalid IP address: " + ip);
      }
      if (!ip.contains(":")) {
        if (have4) {
          throw new UsageException("unable to configure the daemon: only one IPv4 host gateway IP address can be "
              + "specified");
        }
        have4 = true;
      } else {
        if (have6) {
          throw new UsageException("unable to configure the daemon: only one IPv6 host gateway IP address can be "
              + "specified");
        }
        have6 = true;
      }
    }
    return ips;
  }

  private static Map<String, String> readFile(Path file, boolean required, Map<String, List<String>> lists,
      Map<String, RuntimeEntry> runtimes, Map<String, ProcessOptions.Ulimit> ulimits, Map<String, String> logOpts) {
    if (!Files.exists(file)) {
      if (required) {
        throw new UsageException("unable to configure the daemon: open " + file + ": no such file or directory");
      }
      return Map.of();
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UsageException("unable to configure the daemon: " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new UsageException("unable to configure the daemon: " + file + " must hold a JSON object");
    }
    var out = new LinkedHashMap<String, String>();
    var unknown = new ArrayList<String>();
    for (var field : root.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals("runtimes")) {
        readRuntimes(value, runtimes);
      } else if (key.equals("default-ulimits")) {
        readUlimits(value, ulimits);
      } else if (key.equals("log-opts")) {
        if (!value.isObject()) {
          throw new UsageException("unable to configure the daemon: \"log-opts\" must be an object of strings");
        }
        for (var opt : value.properties()) {
          if (!opt.getValue().isTextual()) {
            // dockerd decodes log-opts into map[string]string.
            throw new UsageException("unable to configure the daemon: json: cannot unmarshal "
                + (opt.getValue().isNumber() ? "number" : opt.getValue().isBoolean() ? "bool" : "object")
                + " into Go struct field Config.log-opts of type string");
          }
          logOpts.put(opt.getKey(), opt.getValue().asText());
        }
      } else if (LIST_FLAGS.containsValue(key)) {
        if (!value.isArray()) {
          throw new UsageException("unable to configure the daemon: \"" + key + "\" must be a list of strings");
        }
        var items = new ArrayList<String>();
        value.forEach(x -> items.add(x.asText()));
        lists.put(key, items);
      } else if (!DEFAULTS.containsKey(key)) {
        unknown.add(key);
      } else if (key.equals("default-address-pools")) {
        out.put("default-address-pools", value.toString());
      } else if (key.equals("hosts")) {
        if (!value.isArray() || value.size() != 1) {
          throw new UsageException("unable to configure the daemon: \"hosts\" must list exactly one unix socket");
        }
        out.put(key, value.get(0).asText());
      } else {
        out.put(key, value.asText());
      }
    }
    if (!unknown.isEmpty()) {
      throw new UsageException("unable to configure the daemon: the following directives don't match any "
          + "configuration option: " + String.join(", ", unknown));
    }
    return out;
  }

  /** {@code "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}}, as go-units checks them. */
  private static void readUlimits(JsonNode value, Map<String, ProcessOptions.Ulimit> ulimits) {
    if (!value.isObject()) {
      throw new UsageException("unable to configure the daemon: \"default-ulimits\" must be an object");
    }
    for (var entry : value.properties()) {
      JsonNode u = entry.getValue();
      String name = u.path("Name").asText(entry.getKey());
      try {
        ulimits.put(name, ProcessOptions.Ulimit.checked(name, u.path("Soft").asLong(), u.path("Hard").asLong()));
      } catch (InvalidArgumentException e) {
        throw new UsageException("unable to configure the daemon: default-ulimits: " + e.getMessage());
      }
    }
  }

  /** {@code "runtimes": {"name": {"path": "...", "runtimeArgs": [...]}}}, checked as moby setupRuntimes does. */
  private static void readRuntimes(JsonNode value, Map<String, RuntimeEntry> runtimes) {
    if (!value.isObject()) {
      throw new UsageException("unable to configure the daemon: \"runtimes\" must be an object");
    }
    for (var entry : value.properties()) {
      String name = entry.getKey();
      JsonNode rt = entry.getValue();
      if (name.equals(STOCK_RUNTIME)) {
        throw new UsageException("unable to configure the daemon: runtime name '" + STOCK_RUNTIME + "' is reserved");
      }
      String path = rt.path("path").asText("");
      if (!rt.path("runtimeType").asText("").isEmpty()) {
        // A containerd shim: berth runs OCI runtimes under conmon, not shims.
        throw new UsageException("unable to configure the daemon: runtime " + name
            + ": runtimeType is not supported by berth (give the path of an OCI runtime)");
      }
      if (path.isEmpty()) {
        throw new UsageException("unable to configure the daemon: runtime " + name
            + ": either a runtimeType or a path must be configured");
      }
      var args = new ArrayList<String>();
      rt.path("runtimeArgs").forEach(a -> args.add(a.asText()));
      runtimes.put(name, new RuntimeEntry(path, args));
    }
  }
}
