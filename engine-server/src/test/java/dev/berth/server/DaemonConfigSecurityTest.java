package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: the daemon's seccomp-profile, no-new-privileges and default-cgroupns-mode, as dockerd takes them. */
class DaemonConfigSecurityTest {

  @TempDir
  Path tmp;

  private DaemonConfig parse(String json, String... args) throws IOException {
    return DaemonConfigFiles.parse(tmp, json, args);
  }

  private String usage(String json, String... args) {
    return DaemonConfigFiles.usage(tmp, json, args);
  }

  @Test
  void defaults() throws IOException {
    var s = parse("{}").security();
    assertEquals("builtin", s.seccompProfile());
    assertNull(s.customSeccomp());
    assertFalse(s.noNewPrivileges());
    assertEquals("", s.cgroupnsMode(), "the host decides: private on cgroup v2 only, host elsewhere");
  }

  @Test
  void fromFlagsAndFromTheFile() throws IOException {
    var s = parse("{}", "--no-new-privileges", "--default-cgroupns-mode", "private", "--seccomp-profile=unconfined")
        .security();
    assertTrue(s.noNewPrivileges());
    assertEquals("private", s.cgroupnsMode());
    assertEquals("unconfined", s.seccompProfile());
    s = parse("{\"no-new-privileges\": true, \"default-cgroupns-mode\": \"host\", \"seccomp-profile\": \"builtin\"}")
        .security();
    assertTrue(s.noNewPrivileges());
    assertEquals("host", s.cgroupnsMode());
    assertFalse(parse("{}", "--no-new-privileges=false").security().noNewPrivileges());
  }

  @Test
  void aProfileFileIsReadAndCheckedAtStart() throws IOException {
    Path profile = tmp.resolve("seccomp.json");
    Files.writeString(profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
        + "\"action\":\"SCMP_ACT_ERRNO\"}]}");
    var s = parse("{\"seccomp-profile\": \"" + profile + "\"}").security();
    assertEquals(profile.toString(), s.seccompProfile(), "docker info names the path");
    assertTrue(s.customSeccomp() != null);

    Files.writeString(profile, "{\"defaultAction\": nope}");
    assertEquals("unable to configure the daemon: invalid seccomp profile (" + profile + "): Decoding seccomp "
        + "profile failed: invalid character 'o' in literal null (expecting 'u')",
        usage("{}", "--seccomp-profile", profile.toString()));
    Files.writeString(profile, "{\"defaultAction\": \"SCMP_ACT_MAYBE\"}");
    assertTrue(usage("{}", "--seccomp-profile", profile.toString())
        .endsWith("string SCMP_ACT_MAYBE is not a valid action for seccomp"));
    assertTrue(usage("{}", "--seccomp-profile", tmp.resolve("missing.json").toString())
        .startsWith("unable to configure the daemon: opening seccomp profile (" + tmp.resolve("missing.json")
            + ") failed: "));
  }

  @Test
  void badValuesStopTheDaemon() {
    assertEquals("unable to configure the daemon: invalid default cgroup namespace (shared): use \"host\" or "
        + "\"private\"", usage("{}", "--default-cgroupns-mode", "shared"));
    assertEquals("unable to configure the daemon: invalid no-new-privileges value: maybe",
        usage("{\"no-new-privileges\": \"maybe\"}"));
    assertTrue(usage("{\"no-new-privileges\": true}", "--no-new-privileges")
        .contains("the following directives are specified both as a flag and in the configuration file: "
            + "no-new-privileges"));
  }
}
