package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** This host has no AppArmor: the profile text and the detection are checked here, not loaded. */
class AppArmorTest {

  @Test
  void detectedOnlyWhereTheKernelAndTheParserHaveIt() {
    assertTrue(AppArmor.supports(true, true, "Y\n", null));
    assertFalse(AppArmor.supports(true, true, "N\n", null));
    assertFalse(AppArmor.supports(true, true, null, null), "no module");
    assertFalse(AppArmor.supports(true, false, "Y\n", null), "no apparmor_parser");
    assertFalse(AppArmor.supports(false, true, "Y\n", null), "no securityfs");
    assertFalse(AppArmor.supports(true, true, "Y\n", "docker"), "inside a container");
    assertFalse(AppArmor.disabled().enabled());
  }

  @Test
  void containersGetTheDefaultUnconfinedOrTheirOwn() {
    assertEquals("", AppArmor.disabled().profileFor("custom", false), "no AppArmor: no profile, as dockerd");
    assertEquals("", AppArmor.disabled().profileName("", true));
  }

  @Test
  void theProfileHasDockerDefaultsRules() {
    String text = AppArmor.profile("berth-default", "unconfined", Set.of("tunables/global", "abstractions/base",
        "abi/3.0")::contains);
    assertTrue(text.startsWith("# AppArmor profile for berth containers"));
    assertTrue(text.contains("abi <abi/3.0>,\n#include <tunables/global>\n"));
    assertTrue(text.contains("profile \"berth-default\" flags=(attach_disconnected,mediate_deleted) {\n"
        + "  #include <abstractions/base>\n\n  network,\n  deny network alg,\n"));
    for (String rule : new String[] {"  capability,\n", "  file,\n", "  umount,\n", "  deny mount,\n",
        "  signal (receive) peer=unconfined,\n", "  signal (receive) peer=runc,\n", "  signal (receive) peer=crun,\n",
        "  signal (receive) peer=\"unconfined\",\n", "  signal (send,receive) peer=\"berth-default\",\n",
        "  deny @{PROC}/* w,\n", "  deny @{PROC}/sys/[^k]** w,\n", "  deny @{PROC}/sysrq-trigger rwklx,\n",
        "  deny @{PROC}/kcore rwklx,\n", "  deny /sys/firmware/** rwklx,\n", "  deny /sys/kernel/security/** rwklx,\n",
        "  deny /sys/fs/cg[^r]*/** wklx,\n", "  ptrace (trace,tracedby,read,readby) peer=\"berth-default\",\n"}) {
      assertTrue(text.contains(rule), rule);
    }
    assertTrue(text.endsWith("}\n"));
    String bare = AppArmor.profile("berth-default", "berthd", m -> false);
    assertTrue(bare.contains("@{PROC}=/proc/\n"), "no tunables: define @{PROC} itself");
    assertFalse(bare.contains("abi <"));
    assertFalse(bare.contains("#include"));
    assertTrue(bare.contains("signal (receive) peer=\"berthd\","));
  }

  @Test
  void readsTheKernelsListsAsContainerdDoes() {
    String loaded = "docker-default (enforce)\nberth-default (enforce)\nmy profile (complain)\n";
    assertTrue(AppArmor.isLoaded(loaded, "berth-default"));
    assertTrue(AppArmor.isLoaded(loaded, "my profile"));
    assertFalse(AppArmor.isLoaded(loaded, "berth"));
    assertFalse(AppArmor.isLoaded(null, "berth-default"));
    assertEquals("unconfined", AppArmor.currentProfile("unconfined\n"));
    assertEquals("berthd", AppArmor.currentProfile("berthd (enforce)\n"));
    assertEquals("unconfined", AppArmor.currentProfile(null));
  }
}
