package dev.berth.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one berthd instance has on the host, read from the host itself rather than asked of the
 * daemon: processes whose command line names its exec root, mounts under its directory, cgroups
 * under its cgroup parent, pinned namespaces, runtime state, ports on its bridge, address leases
 * and iptables rules. Each is keyed by the container id it names, where it names one.
 */
final class HostResidue {

  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HOST = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)/32");
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  private final BerthDaemon daemon;

  HostResidue(BerthDaemon daemon) {
    this.daemon = daemon;
  }

  /**
   * Everything on the host that no running container accounts for, and every running container
   * that lacks its monitor or cgroup, as readable lines; empty when host and records agree.
   *
   * @param running the ids of the containers recorded running, each with its address on the
   *     default bridge ("" for none)
   * @param ours every container the test made, running or not: iptables rules naming other ids
   *     belong to other daemons on this host
   * @param subnet the default bridge's subnet (CIDR)
   */
  List<String> disagreements(Map<String, String> running, java.util.Set<String> ours, String subnet) {
    var out = new ArrayList<String>();
    Map<Long, String> processes = processes();
    processes.forEach((pid, cmd) -> {
      List<String> named = ids(cmd);
      if (named.isEmpty() || !running.keySet().containsAll(named)) {
        out.add("process " + pid + " of no running container: " + cmd);
      }
    });
    for (String id : running.keySet()) {
      long monitors = processes.values().stream().filter(c -> c.contains("conmon") && c.contains(id)).count();
      if (monitors != 1) {
        out.add("running " + id + " has " + monitors + " conmon processes");
      }
    }
    for (String m : mounts()) {
      if (ids(m).isEmpty() || !running.keySet().containsAll(ids(m))) {
        out.add("mount of no running container: " + m);
      }
    }
    List<Path> cgroups = cgroups();
    for (Path cg : cgroups) {
      List<String> named = ids(cg.toString());
      if (!named.isEmpty() && !running.keySet().containsAll(named)) {
        out.add("cgroup of no running container: " + cg);
      } else if (cg.getFileName().toString().equals("primer")) {
        // The engine's own thread that primes cgroup moves (CgroupMovePrimer): berthd alone in it.
        for (String pid : procs(cg)) {
          if (Long.parseLong(pid) != daemon.pid()) {
            out.add("process " + pid + " in " + cg + " is not berthd");
          }
        }
      } else if (named.isEmpty()) {
        // The monitors' own cgroup, shared by every conmon: only running containers' monitors in it.
        for (String pid : procs(cg)) {
          if (!processes.containsKey(Long.parseLong(pid))) {
            out.add("process " + pid + " in " + cg + " is no running container's monitor");
          }
        }
      }
    }
    for (String id : running.keySet()) {
      if (cgroups.stream().noneMatch(cg -> cg.getFileName().toString().equals(id))) {
        out.add("running " + id + " has no cgroup");
      }
    }
    netns().stream().filter(n -> !running.containsKey(n)).forEach(n -> out.add("netns of no running container: " + n));
    runtimeState().stream().filter(n -> !running.containsKey(n))
        .forEach(n -> out.add("runtime state of no running container: " + n));
    leases().forEach((ip, owner) -> {
      if (!running.containsKey(owner)) {
        out.add("lease " + ip + " of no running container: " + owner);
      }
    });
    var addresses = new java.util.HashSet<>(running.values());
    for (String rule : iptablesRules(subnet)) {
      List<String> named = ids(rule).stream().filter(ours::contains).toList();
      if (!running.keySet().containsAll(named) || !addresses.containsAll(addresses(rule, subnet))) {
        out.add("iptables rule of no running container: " + rule);
      }
    }
    long bridged = running.values().stream().filter(ip -> !ip.isEmpty()).count();
    List<String> ports = bridgePorts();
    if (ports.size() != bridged) {
      out.add(bridged + " running containers on the bridge, but its ports are " + ports);
    }
    return out;
  }

  /** Processes (but berthd) whose command line names the exec root, pid to command line. */
  Map<Long, String> processes() {
    var out = new TreeMap<Long, String>();
    String root = daemon.execRoot.toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == daemon.pid()) {
          continue;
        }
        String cmdline;
        try {
          cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
          continue; // exited meanwhile
        }
        if (cmdline.contains(root)) {
          out.put(Long.parseLong(name), cmdline.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Mount points under the instance's directory (data root and exec root), in mount order. */
  List<String> mounts() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
      return lines.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(daemon.dir.toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cgroup directories below the instance's cgroup parent, in every hierarchy. */
  List<Path> cgroups() {
    var out = new ArrayList<Path>();
    try (Stream<Path> hierarchies = Files.list(CGROUP_ROOT)) {
      for (Path h : hierarchies.toList()) {
        Path parent = h.resolve(daemon.cgroupParent);
        if (!Files.isDirectory(parent)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(parent)) {
          walk.filter(Files::isDirectory).filter(p -> !p.equals(parent)).forEach(out::add);
        } catch (IOException e) {
          // removed meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The pids in one cgroup directory. */
  static List<String> procs(Path cgroup) {
    try {
      return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Pinned network namespaces. */
  List<String> netns() {
    return names(daemon.execRoot.resolve("netns"));
  }

  /** Containers the OCI runtime holds state for (its {@code --root}). */
  List<String> runtimeState() {
    return names(daemon.execRoot.resolve("runtime"));
  }

  /** Links on the instance's default bridge, as {@code ip link} lists them. */
  List<String> bridgePorts() {
    String out = run("ip", "-o", "link", "show", "master", daemon.bridge);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  /** host-local's leases: address to the container id it was leased to. */
  Map<String, String> leases() {
    var out = new TreeMap<String, String>();
    Path ipam = daemon.execRoot.resolve("cni/ipam");
    if (!Files.isDirectory(ipam)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(ipam)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
          out.put(name, Files.readAllLines(f).stream().findFirst().orElse("").strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * iptables rules that name one container: an address of {@code subnet} (a CIDR) as a /32, or a
   * container id (the portmap plugin's comments). The bridge's own rules name the whole subnet.
   */
  List<String> iptablesRules(String subnet) {
    return run("iptables-save").lines().filter(l -> l.startsWith("-A "))
        .filter(l -> ID.matcher(l).find() || !addresses(l, subnet).isEmpty()).toList();
  }

  /** The /32 addresses of {@code subnet} that {@code rule} names. */
  static List<String> addresses(String rule, String subnet) {
    String[] cidr = subnet.split("/");
    int bits = Integer.parseInt(cidr[1]);
    int mask = bits == 0 ? 0 : -1 << (32 - bits);
    int net = toInt(cidr[0]) & mask;
    var out = new ArrayList<String>();
    Matcher m = HOST.matcher(rule);
    while (m.find()) {
      if ((toInt(m.group(1)) & mask) == net) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static int toInt(String address) {
    int v = 0;
    for (String part : address.split("\\.")) {
      v = v << 8 | Integer.parseInt(part);
    }
    return v;
  }

  /** The container ids {@code text} names. */
  static List<String> ids(String text) {
    var out = new ArrayList<String>();
    Matcher m = ID.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static List<String> names(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
