package dev.berth.core.container.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.fs.ContainerFiles;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;
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
}
