package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: every HostConfig field is applied or refused, and the docker CLI prints dockerd's
 * warnings for what this host discards. Checked on this host's cgroups (v1 controllers beside a
 * cgroup2 tree; blkio without CFQ/BFQ, so no weight files).
 */
class CgroupOptionsIT extends WithBerthd {

  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A block device every run of this test can name: the disk under the data root's file system. */
  private static String disk;
  private static String diskNumbers;
  private static Path marker;
  private static String ownParent;

  @BeforeAll
  static void setUp() throws IOException {
    Fixtures.importBusybox(docker, "busybox:latest");
    disk = Stream.of("/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/xvda").filter(d -> Files.exists(Path.of(d)))
        .findFirst().orElseThrow(() -> new AssertionError("no block device to throttle"));
    long rdev = ((Number) Files.getAttribute(Path.of(disk), "unix:rdev")).longValue();
    diskNumbers = (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L)) + ":"
        + ((rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L));
    // A runtime from daemon.json: runc behind a script that leaves a mark.
    marker = daemon.dir.resolve("marker-used");
    Path script = daemon.dir.resolve("marker-runc");
    Files.writeString(script, "#!/bin/sh\ntouch " + marker + "\nexec runc \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    ownParent = daemon.cgroupParent + "-own";
    daemon.restart(false, () -> {
      try {
        Path config = daemon.dir.resolve("daemon.json");
        ObjectNode json = (ObjectNode) JSON.readTree(config.toFile());
        json.putObject("runtimes").putObject("marker").put("path", script.toString());
        json.putObject("default-ulimits").putObject("nofile").put("Name", "nofile").put("Hard", 8192)
            .put("Soft", 4096);
        Files.writeString(config, json.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @AfterAll
  static void removeOwnParent() {
    // dockerd leaves a --cgroup-parent in place (runc removes only the container's own cgroup).
    if (ownParent == null) {
      return;
    }
    try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
      for (Path h : hierarchies.toList()) {
        Files.deleteIfExists(h.resolve(ownParent));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(String... args) {
    var all = new ArrayList<>(List.of("run", "-d"));
    all.addAll(List.of(args));
    all.addAll(List.of("busybox", "sleep", "300"));
    return docker.run(all.toArray(String[]::new)).ok().line();
  }

  private static String file(String controller, String id, String name) {
    try {
      return Files.readString(CGROUPS.resolve(controller).resolve(daemon.cgroupParent).resolve(id).resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String inspect(String id, String format) {
    return docker.run("inspect", "-f", format, id).ok().line();
  }

  /** One flag, the cgroup file it must set, and a line that file must then hold. */
  record Case(List<String> flags, String controller, String file, String line) {}

  @Test
  void limitsReachTheContainersCgroupFiles() {
    var cases = List.of(
        new Case(List.of("--memory", "64m", "--memory-swappiness", "10"), "memory", "memory.swappiness", "10"),
        new Case(List.of("--memory", "64m", "--oom-kill-disable"), "memory", "memory.oom_control",
            "oom_kill_disable 1"),
        new Case(List.of("--device-read-bps", disk + ":1mb"), "blkio", "blkio.throttle.read_bps_device",
            diskNumbers + " 1048576"),
        new Case(List.of("--device-write-bps", disk + ":2mb"), "blkio", "blkio.throttle.write_bps_device",
            diskNumbers + " 2097152"),
        new Case(List.of("--device-read-iops", disk + ":30"), "blkio", "blkio.throttle.read_iops_device",
            diskNumbers + " 30"),
        new Case(List.of("--device-write-iops", disk + ":20"), "blkio", "blkio.throttle.write_iops_device",
            diskNumbers + " 20"));
    for (Case c : cases) {
      String id = run(c.flags().toArray(String[]::new));
      try {
        assertTrue(file(c.controller(), id, c.file()).lines().anyMatch(c.line()::equals),
            c.flags() + ": " + c.file() + " holds " + file(c.controller(), id, c.file()));
      } finally {
        docker.run("rm", "-f", id).ok();
      }
    }
  }

  @Test
  void inspectShowsTheLimitsAsGiven() {
    String id = run("--memory", "64m", "--memory-swappiness", "10", "--oom-kill-disable", "--device-read-bps",
        disk + ":1mb");
    try {
      assertEquals("10 true", inspect(id, "{{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}}"));
      assertEquals("[{\"Path\":\"" + disk + "\",\"Rate\":1048576}]",
          inspect(id, "{{json .HostConfig.BlkioDeviceReadBps}}"));
    } finally {
      docker.run("rm", "-f", id).ok();
    }
  }

  @Test
  void whatThisHostCannotApplyIsDiscardedWithDockerdsWarning() {
    var weight = docker.run("create", "--blkio-weight", "300", "busybox", "true").ok();
    assertTrue(weight.stderr().lines().anyMatch(("WARNING: Your kernel does not support Block I/O weight or the "
        + "cgroup is not mounted. Weight discarded.")::equals), weight.stderr());
    assertEquals("0", inspect(weight.line(), "{{.HostConfig.BlkioWeight}}"));

    var weightDevice = docker.run("create", "--blkio-weight-device", disk + ":300", "busybox", "true").ok();
    assertTrue(weightDevice.stderr().lines().anyMatch(("WARNING: Your kernel does not support Block I/O "
        + "weight_device or the cgroup is not mounted. Weight-device discarded.")::equals), weightDevice.stderr());

    var oom = docker.run("create", "--oom-kill-disable", "busybox", "true").ok();
    assertTrue(oom.stderr().lines().anyMatch(("WARNING: OOM killer is disabled for the container, but no memory "
        + "limit is set, this can result in the system running out of resources.")::equals), oom.stderr());

    var plain = docker.run("create", "busybox", "true").ok();
    assertFalse(plain.stderr().contains("WARNING"), plain.stderr());
    docker.run("rm", weight.line(), weightDevice.line(), oom.line(), plain.line()).ok();
  }

  @Test
  void anUpdatePrintsItsWarningsAndAppliesTheRest() {
    String id = run("--memory", "64m");
    try {
      var update = docker.run("update", "--blkio-weight", "300", "--memory", "96m", "--memory-swap", "192m", id).ok();
      assertTrue(update.out().contains("Your kernel does not support Block I/O weight or the cgroup is not mounted. "
          + "Weight discarded."), update.out());
      assertEquals(Long.toString(96L << 20), file("memory", id, "memory.limit_in_bytes").strip());
    } finally {
      docker.run("rm", "-f", id).ok();
    }
  }

  @Test
  void aCgroupParentPlacesTheContainerAndItsExecs() {
    String id = run("--cgroup-parent", ownParent);
    try {
      String expected = "/" + ownParent + "/" + id;
      // Docker's default on a v1 host is the host's cgroup namespace: the whole path shows.
      assertTrue(docker.run("exec", id, "cat", "/proc/1/cgroup").ok().out().lines()
          .anyMatch(l -> l.endsWith(":memory:" + expected)), "init is in " + expected);
      assertTrue(docker.run("exec", id, "cat", "/proc/self/cgroup").ok().out().lines()
          .anyMatch(l -> l.endsWith(":memory:" + expected)), "an exec joins " + expected);
      assertTrue(Files.isDirectory(CGROUPS.resolve("memory").resolve(ownParent).resolve(id)));
      assertEquals(ownParent, inspect(id, "{{.HostConfig.CgroupParent}}"));
    } finally {
      docker.run("rm", "-f", id).ok();
    }
    try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
      var left = hierarchies.map(h -> h.resolve(ownParent).resolve(id)).filter(Files::isDirectory).toList();
      assertEquals(List.of(), left, "the container's cgroups are removed with it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Attacks the way crun runs on this hybrid host (berth-hide-cgroup2: crun in a mount namespace
   * without the cgroup2 tree) from inside a default container, beside runc: the container is in
   * its own cgroup in every hierarchy, the cgroup2 tree included, and cannot leave it or mount one.
   */
  @Test
  void aDefaultContainerIsInItsOwnCgroupsEverywhereAndCannotLeaveThem() throws IOException {
    String attack = "cat /proc/self/cgroup; "
        + "for h in /sys/fs/cgroup/*; do echo $$ > $h/cgroup.procs 2>/dev/null && echo left $h; done; "
        + "mkdir -p /tmp/u; mount -t cgroup2 none /tmp/u 2>/dev/null && echo mounted cgroup2; "
        + "mount -t cgroup -o pids none /tmp/u 2>/dev/null && echo mounted pids; "
        + "ls /sys/fs/cgroup | grep -x unified; echo done";
    String defaultRuntime = docker.run("info", "-f", "{{.DefaultRuntime}}").ok().line();
    for (String runtime : List.of(defaultRuntime, "runc")) {
      String id = docker.run("create", "--runtime", runtime, "busybox", "sh", "-c", attack).ok().line();
      try {
        docker.run("start", id).ok();
        assertEquals("0", docker.run("wait", id).ok().line());
        List<String> lines = docker.run("logs", id).ok().out().lines().toList();
        assertEquals("done", lines.getLast(), runtime + ": nothing escaped\n" + lines);
        List<String> cgroups = lines.subList(0, lines.size() - 1);
        assertEquals(Files.readAllLines(Path.of("/proc/self/cgroup")).size(), cgroups.size(), runtime + ": " + cgroups);
        for (String line : cgroups) {
          assertTrue(line.endsWith("/" + daemon.cgroupParent + "/" + id), runtime + ": " + line);
        }
        assertTrue(cgroups.stream().anyMatch(l -> l.startsWith("0::")), runtime + ": in the cgroup2 tree too");
      } finally {
        docker.run("rm", "-f", id).ok();
      }
    }
    assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(l -> l.contains(" /sys/fs/cgroup/unified ") && l.contains(" - cgroup2 ")),
        "the host keeps its cgroup2 tree");
  }

  @Test
  void aRuntimeFromDaemonJsonRunsTheContainer() throws IOException {
    Files.deleteIfExists(marker);
    assertEquals("hi", docker.run("run", "--rm", "--runtime", "marker", "busybox", "echo", "hi").ok().line());
    assertTrue(Files.exists(marker), "the configured runtime ran");
    String id = docker.run("create", "--runtime", "marker", "busybox", "true").ok().line();
    assertEquals("marker", inspect(id, "{{.HostConfig.Runtime}}"));
    String plain = docker.run("create", "busybox", "true").ok().line();
    // The daemon's default: runc, or crun where it runs (on this kind of host, through berth-hide-cgroup2).
    assertEquals(docker.run("info", "-f", "{{.DefaultRuntime}}").ok().line(), inspect(plain, "{{.HostConfig.Runtime}}"));
    docker.run("rm", id, plain).ok();
    String runtimes = docker.run("info", "-f", "{{json .Runtimes}}").ok().line();
    assertTrue(runtimes.contains("\"marker\"") && runtimes.contains("\"runc\""), runtimes);
  }

  @Test
  void theDaemonsDefaultUlimitsApplyWhereAContainerSetsNone() {
    assertEquals("4096 8192", docker.run("run", "--rm", "busybox", "sh", "-c", "echo $(ulimit -n) $(ulimit -Hn)").ok()
        .line());
    assertEquals("512 512", docker.run("run", "--rm", "--ulimit", "nofile=512:512", "busybox", "sh", "-c",
        "echo $(ulimit -n) $(ulimit -Hn)").ok().line());
    String id = run();
    assertEquals("4096 8192", docker.run("exec", id, "sh", "-c", "echo $(ulimit -n) $(ulimit -Hn)").ok().line(),
        "an exec has its container's limits");
    assertEquals("null", inspect(id, "{{json .HostConfig.Ulimits}}"), "as dockerd, inspect shows the container's own");
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void aContainerKeepsItsRuntimeAndCgroupParentAcrossAnEngineRestart() throws IOException {
    String id = run("--runtime", "marker", "--cgroup-parent", ownParent, "--memory-swappiness", "20");
    daemon.restart(false);
    Files.deleteIfExists(marker);
    assertTrue(docker.run("exec", id, "cat", "/proc/self/cgroup").ok().out().lines()
        .anyMatch(l -> l.endsWith(":memory:/" + ownParent + "/" + id)), "an exec after the restart joins its cgroup");
    assertEquals("marker " + ownParent + " 20", inspect(id,
        "{{.HostConfig.Runtime}} {{.HostConfig.CgroupParent}} {{.HostConfig.MemorySwappiness}}"));
    docker.run("rm", "-f", id).ok();
    assertTrue(Files.exists(marker), "its own runtime removed it");
    try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
      assertEquals(List.of(), hierarchies.map(h -> h.resolve(ownParent).resolve(id)).filter(Files::isDirectory)
          .toList());
    }
  }

  @Test
  void unknownRuntimesAndGpusAreRefusedInDockerdsWords() {
    var unknown = docker.run("run", "--rm", "--runtime", "nope", "busybox", "true");
    assertNotEquals(0, unknown.exit());
    assertTrue(unknown.stderr().contains("Error response from daemon: unknown or invalid runtime name: nope"),
        unknown.stderr());
    var gpus = docker.run("run", "--rm", "--gpus", "all", "busybox", "true");
    assertNotEquals(0, gpus.exit());
    assertTrue(gpus.stderr().contains("could not select device driver \"\" with capabilities: [[gpu]]"),
        gpus.stderr());
    Poll.until("no container left by the refusals", Duration.ofSeconds(5),
        () -> docker.run("ps", "-aq").out().isBlank());
  }
}
