package dev.berth.core.container.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.fs.ContainerFiles;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.runtime.DeviceNode;
import dev.berth.core.runtime.DockerDefaults;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The confinement recorded at create, and capabilities (moby oci/caps {@code TweakCapabilities}). */
class RunSpecFactoryTest {

  private static final List<String> DEFAULTS = List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SETUID");
  private static final List<String> ALL =
      List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SETUID", "CAP_SYS_ADMIN", "CAP_NET_ADMIN");

  private final RunSpecFactory factory =
      new RunSpecFactory(new ContainerFiles(Path.of("/nonexistent/resolv.conf"), Path.of("/nonexistent/hosts")),
          DEFAULTS, ALL, SecurityDefaults.docker(false));

  private static HostConfig caps(List<String> add, List<String> drop) {
    return new HostConfig(false, "bridge", RestartPolicy.NO, 0, 0, false, false, add, drop, null, null, null, null,
        null, null);
  }

  private List<String> capabilities(List<String> add, List<String> drop) {
    return factory.capabilities(caps(add, drop));
  }

  // ---- confinement

  @Test
  void theRuntimeGetsTheConfinementRecordedAtCreate() {
    var created = ContainerService.normalize(new HostConfig(false, "default", null, 0, 0, false, false, null, null,
        null, null, null, null, null, null, null, new SecurityConfig(List.of("no-new-privileges", "writable-cgroups"),
        "private", List.of(), null, null)), SecurityDefaults.docker(false));
    var run = factory.runSecurity(created);
    assertSame(dev.berth.core.seccomp.SeccompProfile.builtin(), run.seccomp());
    assertTrue(run.noNewPrivileges());
    assertEquals("", run.appArmorProfile(), "no AppArmor on this host");
    assertTrue(run.cgroupNamespace());
    assertEquals(List.of(), run.maskedPaths());
    assertEquals(dev.berth.core.runtime.DockerDefaults.READONLY_PATHS, run.readonlyPaths());
    assertEquals(Boolean.TRUE, run.writableCgroups());

    var privileged = factory.runSecurity(ContainerService.normalize(new HostConfig(false, "default", null, 0, 0, true,
        false, null, null, null, null, null, null, null, null), SecurityDefaults.docker(false)));
    assertNull(privileged.seccomp(), "privileged: no filter");
    assertFalse(privileged.cgroupNamespace());
    assertNull(privileged.maskedPaths());

    var old = factory.runSecurity(new HostConfig(false, "bridge", null, 0, 0, false, false, null, null, null, null,
        null, null, null, null));
    assertSame(dev.berth.core.seccomp.SeccompProfile.builtin(), old.seccomp(),
        "a container recorded before issue 10 gets Docker's profile at its next start");
    assertFalse(old.cgroupNamespace());
  }

  // ---- capabilities

  @Test
  void noAddOrDropGivesTheDefaults() {
    assertEquals(DEFAULTS, capabilities(List.of(), List.of()));
  }

  @Test
  void addAppendsAndDropRemoves() {
    assertEquals(List.of("CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_SYS_ADMIN"),
        capabilities(List.of("SYS_ADMIN"), List.of("NET_RAW")));
  }

  @Test
  void namesMayComeWithOrWithoutCapPrefixInAnyCase() {
    assertEquals(capabilities(List.of("CAP_SYS_ADMIN"), List.of("CAP_NET_RAW")),
        capabilities(List.of("sys_admin"), List.of("cap_net_raw")));
  }

  @Test
  void addingADefaultDoesNotDuplicateIt() {
    assertEquals(DEFAULTS, capabilities(List.of("CHOWN"), List.of()));
  }

  @Test
  void addAllGivesTheEnginesBoundingSet() {
    assertEquals(ALL, capabilities(List.of("ALL"), List.of()));
  }

  @Test
  void addAllStillHonoursDrop() {
    // docker run --cap-add ALL --cap-drop NET_RAW: everything except NET_RAW.
    assertEquals(List.of("CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_SYS_ADMIN", "CAP_NET_ADMIN"),
        capabilities(List.of("ALL"), List.of("NET_RAW")));
  }

  @Test
  void dropAllKeepsOnlyWhatIsAdded() {
    assertEquals(List.of(), capabilities(List.of(), List.of("ALL")));
    assertEquals(List.of("CAP_NET_ADMIN", "CAP_CHOWN"), capabilities(List.of("NET_ADMIN", "chown"), List.of("all")));
  }

  @Test
  void addAllAndDropAllGivesEverything() {
    assertEquals(ALL, capabilities(List.of("ALL"), List.of("ALL")));
  }

  @Test
  void unknownCapabilityIsRefusedWithDockersMessage() {
    var e = assertThrows(InvalidArgumentException.class, () -> capabilities(List.of("bogus"), List.of()));
    assertEquals("unknown capability: \"CAP_BOGUS\"", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> capabilities(List.of(), List.of("CAP_NOPE")));
    assertEquals("unknown capability: \"CAP_NOPE\"", e.getMessage());
  }

  @Test
  void capNameNormalizes() {
    assertEquals("CAP_NET_ADMIN", RunSpecFactory.capName("net_admin"));
    assertEquals("CAP_NET_ADMIN", RunSpecFactory.capName("Cap_Net_Admin"));
    assertEquals("CAP_ALL", RunSpecFactory.capName("all"));
  }

  // ---- process options (issue 11)

  private static HostConfig process(boolean privileged, ProcessOptions p) {
    return new HostConfig(false, "bridge", RestartPolicy.NO, 0, 0, privileged, false, null, null, null, null, null,
        null, null, null, null, null).withProcess(p);
  }

  @Test
  void ulimitsBecomeRlimitsTheFirstOfANameWinning() {
    var run = RunSpecFactory.processOptions(process(false, new ProcessOptions(List.of(
        new ProcessOptions.Ulimit("nofile", 512, 1024), new ProcessOptions.Ulimit("core", -1, -1),
        new ProcessOptions.Ulimit("nofile", 1, 1)), null, null, null, null, 42)));
    assertEquals(List.of(new DockerDefaults.Rlimit("RLIMIT_NOFILE", 512, 1024),
        new DockerDefaults.Rlimit("RLIMIT_CORE", -1, -1)), run.rlimits());
    assertEquals(42, run.oomScoreAdj());
  }

  @Test
  void devicesAndRulesAreAllowedWithTheirPermissions() {
    var run = RunSpecFactory.processOptions(process(false, new ProcessOptions(null, Map.of("kernel.shmmax", "1"),
        List.of(new ProcessOptions.DeviceMapping("/dev/null", "/dev/mynull", "r")), List.of("c 1:3 mr", "a *:* rwm"),
        null, 0)));
    assertEquals(List.of(new DeviceNode("/dev/mynull", "c", 1, 3, 0666, 0, 0)), run.devices());
    assertEquals(List.of(new DockerDefaults.DeviceRule(true, "c", 1L, 3L, "r"),
        new DockerDefaults.DeviceRule(true, "c", 1L, 3L, "mr"), new DockerDefaults.DeviceRule(true, "a", null, null,
        "rwm")), run.deviceRules());
    assertEquals("1", run.sysctls().get("kernel.shmmax"));
    var bare = RunSpecFactory.processOptions(process(false, new ProcessOptions(null, null,
        List.of(new ProcessOptions.DeviceMapping("/dev/zero", "", "")), null, null, 0)));
    assertEquals("/dev/zero", bare.devices().getFirst().path(), "no path in the container: the host's");
    assertEquals("rwm", bare.deviceRules().getFirst().access(), "no permissions: all");
  }

  @Test
  void aPrivateNetworkNamespaceGetsDockerdsDefaultSysctlsUnderTheContainersOwn() {
    var own = RunSpecFactory.processOptions(process(false, new ProcessOptions(null,
        Map.of("net.ipv4.ip_unprivileged_port_start", "1024"), null, null, null, 0)));
    assertEquals("1024", own.sysctls().get("net.ipv4.ip_unprivileged_port_start"));
    var bridge = RunSpecFactory.processOptions(process(false, ProcessOptions.NONE));
    if (java.nio.file.Files.exists(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))) {
      assertEquals("0", bridge.sysctls().get("net.ipv4.ip_unprivileged_port_start"));
    }
    for (String mode : List.of("host", "container:other")) {
      var shared = RunSpecFactory.processOptions(process(false, ProcessOptions.NONE).withNetworkMode(mode));
      assertEquals(Map.of(), shared.sysctls(), mode + ": not a namespace of its own");
    }
  }

  @Test
  void aPrivilegedContainerGetsTheHostsDevicesAndSkipsAMappingAtItsOwnPath() {
    var run = RunSpecFactory.processOptions(process(true, new ProcessOptions(null, null, List.of(
        new ProcessOptions.DeviceMapping("/dev/null", null, "r"),
        new ProcessOptions.DeviceMapping("/dev/null", "/dev/other", "r")), null, null, 0)));
    assertEquals(new DeviceNode("/dev/other", "c", 1, 3, 0666, 0, 0), run.devices().getLast());
    assertEquals(1, run.devices().stream().filter(d -> d.path().equals("/dev/null")).count(),
        "the host's own, once (containerd HostDevices)");
    assertTrue(run.devices().stream().noneMatch(d -> d.path().startsWith("/dev/pts/") || d.path().equals("/dev/console")));
    assertEquals("rwm", run.deviceRules().getFirst().access(), "moby: custom permissions are ignored");
  }

  @Test
  void badDevicesAndRulesAreRefusedInDockerdsWords() {
    for (var c : Map.of(
        "c 1:3", "invalid device cgroup rule format: 'c 1:3'",
        "x 1:3 r", "invalid device cgroup rule format: 'x 1:3 r'",
        "c 1:3 rwmr", "invalid device cgroup rule format: 'c 1:3 rwmr'",
        "c 99999999999999999999:3 r", "invalid major value in device cgroup rule format: 'c 99999999999999999999:3 r'")
        .entrySet()) {
      var e = assertThrows(ConfigRefusedException.class, () -> RunSpecFactory.processOptions(process(false,
          new ProcessOptions(null, null, null, List.of(c.getKey()), null, 0))));
      assertEquals(c.getValue(), e.getMessage());
    }
    var e = assertThrows(ConfigRefusedException.class, () -> RunSpecFactory.processOptions(process(false,
        new ProcessOptions(null, null, List.of(new ProcessOptions.DeviceMapping("/dev/nope", null, null)), null, null,
        0))));
    assertEquals("error gathering device information while adding custom device \"/dev/nope\": no such file or "
        + "directory", e.getMessage());
  }

  @Test
  void theOomScoreIsCheckedAtCreate() {
    var e = assertThrows(InvalidArgumentException.class, () -> new ProcessOptions(null, null, null, null, null, 1001));
    assertEquals("Invalid value 1001, range for oom score adj is [-1000, 1000]", e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> new ProcessOptions(null, null, null, null, null, -1001));
    assertEquals(-1000, new ProcessOptions(null, null, null, null, null, -1000).oomScoreAdj());
  }

  @Test
  void normalizeKeepsTheProcessOptions() {
    var p = new ProcessOptions(null, null, null, null, List.of("audio"), 5);
    assertEquals(p, ContainerService.normalize(process(false, p), SecurityDefaults.docker(false)).process());
  }

  @Test
  void theDaemonsDefaultUlimitsApplyWhereTheContainerSetsNone() {
    var run = RunSpecFactory.processOptions(process(false, new ProcessOptions(List.of(
        new ProcessOptions.Ulimit("nofile", 100, 200)), null, null, null, null, 0)),
        List.of(new ProcessOptions.Ulimit("nofile", 1, 1), new ProcessOptions.Ulimit("nproc", 50, 60)));
    assertEquals(List.of(new DockerDefaults.Rlimit("RLIMIT_NOFILE", 100, 200), new DockerDefaults.Rlimit("RLIMIT_NPROC",
        50, 60)), run.rlimits());
  }
}
