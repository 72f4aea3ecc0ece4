package dev.berth.core.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {

  private static final SeccompProfile.Host AMD64 = new SeccompProfile.Host("amd64", new KernelVersion(6, 18));
  private static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
      "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  private static Seccomp builtin(List<String> caps, SeccompProfile.Host host) {
    return SeccompProfile.builtin().resolve(caps, host).orElseThrow();
  }

  private static List<Seccomp.Rule> rulesFor(Seccomp s, String name) {
    return s.syscalls().stream().filter(r -> r.names().contains(name)).toList();
  }

  private static boolean allowed(Seccomp s, String name) {
    return rulesFor(s, name).stream().anyMatch(r -> r.action().equals("SCMP_ACT_ALLOW") && r.args().isEmpty());
  }

  @Test
  void theBuiltinProfileDeniesWithEpermAndCoversTheHostsArchitectures() {
    Seccomp s = builtin(DEFAULT_CAPS, AMD64);
    assertEquals("SCMP_ACT_ERRNO", s.defaultAction());
    assertEquals(1, s.defaultErrnoRet());
    assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), s.architectures());
    assertEquals(List.of(), s.flags(), "no flags: runc 1.1 refuses any");
    var arm = builtin(DEFAULT_CAPS, new SeccompProfile.Host("arm64", new KernelVersion(6, 1)));
    assertEquals(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), arm.architectures());
  }

  @Test
  void namespaceSystemCallsNeedCapSysAdmin() {
    Seccomp plain = builtin(DEFAULT_CAPS, AMD64);
    for (String call : List.of("unshare", "setns", "mount", "umount2", "bpf")) {
      assertFalse(allowed(plain, call), call + " without CAP_SYS_ADMIN");
    }
    assertTrue(allowed(plain, "mkdir"));
    assertTrue(allowed(plain, "mkdirat"));
    // clone only without namespace flags; clone3 fails with ENOSYS so that libcs fall back to clone.
    var clone = rulesFor(plain, "clone");
    assertEquals(1, clone.size());
    assertEquals(new Seccomp.Arg(0, 2114060288L, 0, "SCMP_CMP_MASKED_EQ"), clone.getFirst().args().getFirst());
    var clone3 = rulesFor(plain, "clone3");
    assertEquals(1, clone3.size());
    assertEquals("SCMP_ACT_ERRNO", clone3.getFirst().action());
    assertEquals(38, clone3.getFirst().errnoRet());

    var admin = new java.util.ArrayList<>(DEFAULT_CAPS);
    admin.add("CAP_SYS_ADMIN");
    Seccomp sysAdmin = builtin(admin, AMD64);
    for (String call : List.of("unshare", "setns", "mount", "clone", "clone3")) {
      assertTrue(allowed(sysAdmin, call), call + " with CAP_SYS_ADMIN");
    }
    assertTrue(rulesFor(sysAdmin, "clone3").stream().noneMatch(r -> r.action().equals("SCMP_ACT_ERRNO")),
        "the ENOSYS rule is excluded by CAP_SYS_ADMIN");
  }

  @Test
  void otherCapabilitiesOpenTheirSystemCalls() {
    var ptrace = new java.util.ArrayList<>(DEFAULT_CAPS);
    ptrace.add("CAP_SYS_PTRACE");
    assertTrue(allowed(builtin(ptrace, AMD64), "kcmp"));
    assertFalse(allowed(builtin(DEFAULT_CAPS, AMD64), "kcmp"));
    var time = new java.util.ArrayList<>(DEFAULT_CAPS);
    time.add("CAP_SYS_TIME");
    assertTrue(allowed(builtin(time, AMD64), "settimeofday"));
    assertFalse(allowed(builtin(DEFAULT_CAPS, AMD64), "settimeofday"));
  }

  @Test
  void socketFamiliesAreFilteredByArgument() {
    var socket = rulesFor(builtin(DEFAULT_CAPS, AMD64), "socket");
    assertEquals(List.of("SCMP_CMP_LT", "SCMP_CMP_EQ", "SCMP_CMP_GT"),
        socket.stream().map(r -> r.args().getFirst().op()).toList(), "AF_ALG (38) and AF_VSOCK (40) are left out");
    assertEquals(List.of(38L, 39L, 40L), socket.stream().map(r -> r.args().getFirst().value()).toList());
  }

  @Test
  void architectureAndKernelConditions() {
    assertTrue(allowed(builtin(DEFAULT_CAPS, AMD64), "arch_prctl"));
    assertFalse(allowed(builtin(DEFAULT_CAPS, new SeccompProfile.Host("arm64", new KernelVersion(6, 1))),
        "arch_prctl"));
    assertTrue(allowed(builtin(DEFAULT_CAPS, new SeccompProfile.Host("arm64", new KernelVersion(6, 1))),
        "arm_fadvise64_64"));
    // ptrace is open to all from 4.8 on (the kernel then checks seccomp after ptrace).
    assertTrue(allowed(builtin(DEFAULT_CAPS, new SeccompProfile.Host("amd64", new KernelVersion(4, 8))), "ptrace"));
    assertFalse(allowed(builtin(DEFAULT_CAPS, new SeccompProfile.Host("amd64", new KernelVersion(4, 7))), "ptrace"));
  }

  @Test
  void excludesByKernelArchAndCapability() {
    var p = SeccompProfile.parse("""
        {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
          {"names":["a"],"action":"SCMP_ACT_ERRNO","excludes":{"minKernel":"5.0"}},
          {"names":["b"],"action":"SCMP_ACT_ERRNO","excludes":{"arches":["amd64"]}},
          {"names":["c"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_KILL"]}},
          {"name":"d","action":"SCMP_ACT_KILL","includes":{"caps":["CAP_KILL","CAP_CHOWN"]}}]}
        """);
    var names = p.resolve(List.of("CAP_KILL"), new SeccompProfile.Host("amd64", new KernelVersion(4, 19)))
        .orElseThrow().syscalls().stream().flatMap(r -> r.names().stream()).toList();
    assertEquals(List.of("a"), names);
    names = p.resolve(List.of("CAP_CHOWN", "CAP_KILL"), new SeccompProfile.Host("arm64", new KernelVersion(5, 0)))
        .orElseThrow().syscalls().stream().flatMap(r -> r.names().stream()).toList();
    assertEquals(List.of("b", "d"), names, "the deprecated 'name' reads as names");
  }

  @Test
  void aProfileWithoutActionOrRulesMeansNoFilter() {
    assertEquals(Optional.empty(), SeccompProfile.parse("{}").resolve(DEFAULT_CAPS, AMD64));
    assertEquals(Optional.empty(), SeccompProfile.parse("null").resolve(DEFAULT_CAPS, AMD64));
  }

  @Test
  void goDecodingRulesApply() {
    var p = SeccompProfile.parse("{\"DefaultAction\":\"SCMP_ACT_ALLOW\",\"unknown\":[1],\"Syscalls\":null}");
    assertEquals("SCMP_ACT_ALLOW", p.resolve(DEFAULT_CAPS, AMD64).orElseThrow().defaultAction(),
        "keys match regardless of case; unknown ones are ignored");
  }

  private static String error(String body) {
    return assertThrows(InvalidArgumentException.class, () -> SeccompProfile.parse(body)).getMessage();
  }

  @Test
  void brokenProfilesAreRefusedWithDockerdsAndRuncsWords() {
    assertEquals("Decoding seccomp profile failed: invalid character 'o' in literal null (expecting 'u')",
        error("not json"));
    assertEquals("Decoding seccomp profile failed: unexpected end of JSON input", error("{\"defaultAction\":"));
    assertEquals("Decoding seccomp profile failed: invalid character '}' looking for beginning of value",
        error("{\"syscalls\":[1,}"));
    assertEquals("Decoding seccomp profile failed: json: cannot unmarshal array into Go value of type seccomp.Seccomp",
        error("[]"));
    assertEquals("Decoding seccomp profile failed: json: cannot unmarshal number into Go struct field "
        + "Seccomp.defaultAction of type specs.LinuxSeccompAction", error("{\"defaultAction\":1}"));
    assertEquals("Decoding seccomp profile failed: json: cannot unmarshal number -1 into Go struct field "
        + "LinuxSeccompArg.syscalls.args.index of type uint",
        error("{\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":-1}]}]}"));
    assertEquals("Decoding seccomp profile failed: invalid kernel version: \"4\", expected \"<kernel>.<major>\"",
        error("{\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"4\"}}]}"));
    assertEquals("string SCMP_ACT_NOPE is not a valid action for seccomp", error("{\"defaultAction\":\"SCMP_ACT_NOPE\"}"));
    assertEquals("string SCMP_ACT_FOO is not a valid action for seccomp",
        error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_FOO\"}]}"));
    assertEquals("string SCMP_ARCH_VAX is not a valid arch for seccomp",
        error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]}"));
    assertEquals("string SCMP_CMP_ABOUT is not a valid operator for seccomp", error(
        "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ERRNO\","
            + "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_ABOUT\"}]}]}"));
    assertEquals("seccomp flag SECCOMP_FILTER_FLAG_NOPE is not known to runc",
        error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_NOPE\"]}"));
    assertEquals("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'",
        error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"],"
            + "\"action\":\"SCMP_ACT_ERRNO\"}]}"));
    assertEquals("both 'architectures' and 'archMap' are specified in the seccomp profile, use either "
        + "'architectures' or 'archMap'", error("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
            + "[\"SCMP_ARCH_X86\"],\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}"));
  }

  @Test
  void kernelReleasesReadAsMobyReadsThem() {
    assertEquals(new KernelVersion(6, 18), KernelVersion.ofRelease("6.18.44-fc-v1272"));
    assertEquals(new KernelVersion(3, 12), KernelVersion.ofRelease("3.12-1-amd64"));
    assertTrue(new KernelVersion(4, 10).compareTo(new KernelVersion(4, 8)) > 0);
  }

  @Test
  void theFilterRoundTripsThroughConfigJson() {
    Seccomp s = builtin(DEFAULT_CAPS, AMD64);
    assertEquals(s, Seccomp.fromJson(s.toJson()));
    var big = new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), List.of(new Seccomp.Rule(List.of("personality"),
        "SCMP_ACT_ERRNO", 22, List.of(new Seccomp.Arg(0, 0xffffffffL, 0, "SCMP_CMP_EQ"),
        new Seccomp.Arg(1, -1L, -2L, "SCMP_CMP_MASKED_EQ")))));
    assertEquals("18446744073709551615", big.toJson().at("/syscalls/0/args/1/value").toString(),
        "uint64 values are written unsigned");
    assertEquals(big, Seccomp.fromJson(big.toJson()));
  }
}
