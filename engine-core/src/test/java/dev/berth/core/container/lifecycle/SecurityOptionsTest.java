package dev.berth.core.container.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.container.model.SecurityOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.runtime.DockerDefaults;
import dev.berth.core.seccomp.SeccompProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10: --security-opt, CgroupnsMode, MaskedPaths and ReadonlyPaths as dockerd takes them. */
class SecurityOptionsTest {

  private static final SecurityDefaults HYBRID = SecurityDefaults.docker(false);

  private static SecurityOptions parse(String... opts) {
    return SecurityOptions.parse(List.of(opts), false);
  }

  private static String refused(String... opts) {
    return assertThrows(InvalidArgumentException.class, () -> parse(opts)).getMessage();
  }

  @Test
  void eachOptionDockerdKnows() {
    assertTrue(parse("no-new-privileges").noNewPrivileges());
    assertTrue(parse("no-new-privileges=true").noNewPrivileges());
    assertTrue(parse("no-new-privileges:true").noNewPrivileges(), "the deprecated ':' separator");
    assertFalse(SecurityOptions.parse(List.of("no-new-privileges=false"), true).noNewPrivileges(),
        "false overrides the daemon's default");
    assertTrue(SecurityOptions.parse(List.of(), true).noNewPrivileges());
    assertTrue(parse("no-new-privileges=T").noNewPrivileges(), "Go's ParseBool");
    assertEquals("unconfined", parse("seccomp=unconfined").seccompProfile());
    assertEquals("{\"a\":\"b=c\"}", parse("seccomp={\"a\":\"b=c\"}").seccompProfile(), "cut at the first '='");
    assertEquals("my-profile", parse("apparmor:my-profile").appArmorProfile());
    assertEquals(List.of("disable", "disable", "type:svirt_t"),
        parse("label=disable", "disable", "label:type:svirt_t").labels());
    assertEquals(Boolean.TRUE, parse("writable-cgroups").writableCgroups());
    assertEquals(Boolean.FALSE, parse("writable-cgroups=false").writableCgroups());
    assertNull(parse().writableCgroups());
  }

  @Test
  void anythingElseIsRefusedWithDockerdsWords() {
    assertEquals("invalid --security-opt 2: \"foo=bar\"", refused("foo=bar"));
    assertEquals("invalid --security-opt 1: \"foo\"", refused("foo"));
    assertEquals("invalid --security-opt 2: \"no-new-privileges=maybe\"", refused("no-new-privileges=maybe"));
    assertEquals("invalid --security-opt 2: \"writable-cgroups=2\"", refused("writable-cgroups=2"));
    assertEquals("invalid --security-opt 2: \"systempaths=unconfined\"", refused("systempaths=unconfined"),
        "the CLI handles systempaths itself and never sends it");
    assertEquals("invalid --security-opt 2: \"x=\\\"q\\\"\"", refused("x=\"q\""));
  }

  private static HostConfig host(boolean privileged, SecurityConfig security) {
    return new HostConfig(false, "default", null, 0, 0, privileged, false, null, null, null, null, null, null, null,
        null, null, security);
  }

  @Test
  void createRecordsTheDaemonsDefaults() {
    SecurityConfig sc = ContainerService.normalize(host(false, SecurityConfig.NONE), HYBRID).security();
    assertEquals("host", sc.cgroupnsMode(), "v1 and hybrid hosts default to the host's cgroup namespace");
    assertEquals(List.of(), sc.securityOpt());
    assertEquals(DockerDefaults.maskedPaths(), sc.maskedPaths());
    assertEquals(DockerDefaults.READONLY_PATHS, sc.readonlyPaths());
    assertFalse(sc.options().noNewPrivileges());

    var v2 = SecurityDefaults.docker(true).withNoNewPrivileges(true);
    sc = ContainerService.normalize(host(false, SecurityConfig.NONE), v2).security();
    assertEquals("private", sc.cgroupnsMode());
    assertTrue(sc.options().noNewPrivileges(), "the daemon's no-new-privileges is recorded at create");
    assertEquals("private",
        ContainerService.normalize(host(true, SecurityConfig.NONE), v2).security().cgroupnsMode(),
        "privileged keeps the default on a cgroup v2-only host");
    assertEquals("host", ContainerService.normalize(host(true, SecurityConfig.NONE),
        HYBRID.withCgroupnsMode("private")).security().cgroupnsMode(), "and the host's elsewhere");
  }

  @Test
  void aPrivilegedContainerGetsLabelDisableAndNoPaths() {
    SecurityConfig sc = ContainerService.normalize(host(true, SecurityConfig.NONE), HYBRID).security();
    assertEquals(List.of("label=disable"), sc.securityOpt());
    assertNull(sc.maskedPaths());
    assertNull(sc.readonlyPaths());
    sc = ContainerService.normalize(host(true, new SecurityConfig(List.of("label=level:s0"), "", List.of("/x"), null,
        null)), HYBRID).security();
    assertEquals(List.of("label=level:s0"), sc.securityOpt(), "a label option of its own replaces it");
    assertEquals(List.of("/x"), sc.maskedPaths(), "a given list applies even when privileged");
  }

  @Test
  void emptyPathListsMeanNone() {
    SecurityConfig sc = ContainerService.normalize(host(false, new SecurityConfig(null, "private", List.of(),
        List.of(), null)), HYBRID).security();
    assertEquals(List.of(), sc.maskedPaths());
    assertEquals(List.of(), sc.readonlyPaths());
    assertEquals("private", sc.cgroupnsMode());
  }

  @Test
  void badValuesAreRefusedAtCreate() {
    assertEquals("invalid cgroup namespace mode: shared", assertThrows(InvalidArgumentException.class,
        () -> ContainerService.normalize(host(false, new SecurityConfig(null, "shared", null, null, null)), HYBRID))
        .getMessage());
    assertEquals("invalid --security-opt 2: \"foo=bar\"", assertThrows(InvalidArgumentException.class,
        () -> ContainerService.normalize(host(false, new SecurityConfig(List.of("foo=bar"), "", null, null, null)),
            HYBRID)).getMessage());
    assertTrue(assertThrows(InvalidArgumentException.class,
        () -> ContainerService.normalize(host(false, new SecurityConfig(List.of("seccomp={oops"), "", null, null,
            null)), HYBRID)).getMessage().startsWith("Decoding seccomp profile failed: invalid character 'o'"));
  }

  @Test
  void theProfileEachContainerGets() {
    SeccompProfile builtin = SeccompProfile.builtin();
    assertSame(builtin, HYBRID.seccompFor(parse(), false));
    assertNull(HYBRID.seccompFor(parse("seccomp=unconfined"), false));
    assertNull(HYBRID.seccompFor(parse(), true), "privileged: no filter");
    assertSame(builtin, HYBRID.seccompFor(parse("seccomp=builtin"), true));
    var unconfinedDaemon = HYBRID.withSeccompProfile("unconfined");
    assertNull(unconfinedDaemon.seccompFor(parse(), false));
    assertSame(builtin, unconfinedDaemon.seccompFor(parse("seccomp=builtin"), false));
    var custom = SeccompProfile.parse("{\"defaultAction\":\"SCMP_ACT_LOG\"}");
    var customDaemon = HYBRID.withSeccompProfile("/etc/berth/seccomp.json", custom);
    assertSame(custom, customDaemon.seccompFor(parse(), false));
    assertEquals("SCMP_ACT_KILL", HYBRID.seccompFor(parse("seccomp={\"defaultAction\":\"SCMP_ACT_KILL\"}"), false)
        .resolve(List.of(), new SeccompProfile.Host("amd64", new dev.berth.core.seccomp.KernelVersion(6, 1)))
        .orElseThrow().defaultAction());
  }

  @Test
  void infoListsWhatDockerdLists() {
    var base = new SecurityDefaults(false, "builtin", null, "host", false, true,
        dev.berth.core.runtime.AppArmor.disabled());
    assertEquals(List.of("name=seccomp,profile=builtin"), base.infoOptions());
    assertEquals(List.of(), base.infoWarnings());
    var all = base.withCgroupnsMode("private").withNoNewPrivileges(true).withSeccompProfile("unconfined");
    assertEquals(List.of("name=seccomp,profile=unconfined", "name=cgroupns", "name=no-new-privileges"),
        all.infoOptions());
    assertEquals(List.of("WARNING: daemon is not using the default seccomp profile"), all.infoWarnings());
    assertThrows(InvalidArgumentException.class, () -> base.withCgroupnsMode("shared"));
  }

  @Test
  void aRecordFromBeforeSecurityOptionsReadsWithDefaults() {
    SecurityConfig old = SecurityConfig.NONE;
    assertEquals("host", old.effectiveCgroupnsMode());
    assertFalse(old.privateCgroupns());
    assertEquals(SecurityOptions.NONE, old.parsedOptions());
  }
}
