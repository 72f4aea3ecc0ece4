package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.seccomp.KernelVersion;
import dev.berth.core.seccomp.Seccomp;
import dev.berth.core.seccomp.SeccompProfile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compile only: its program is inspected, never loaded (a filter in the test JVM would
 * confine every later test).
 */
class SeccompBpfTest {

  private static final int BPF_LD_W_ABS = 0x20;
  private static final int BPF_JMP_JEQ_K = 0x15;
  private static final int SECCOMP_DATA_ARCH = 4;
  private static final long AUDIT_ARCH_X86_64 = 0xc000003eL;
  private static final long AUDIT_ARCH_I386 = 0x40000003L;

  private record Insn(int code, int jt, int jf, long k) {}

  private static List<Insn> decode(byte[] program) {
    var b = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    var out = new java.util.ArrayList<Insn>();
    while (b.hasRemaining()) {
      out.add(new Insn(Short.toUnsignedInt(b.getShort()), Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()),
          Integer.toUnsignedLong(b.getInt())));
    }
    return out;
  }

  private static Seccomp small(String action) {
    return new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), List.of(
        new Seccomp.Rule(List.of("mkdir", "mkdirat", "no_such_system_call"), action, null, List.of()),
        new Seccomp.Rule(List.of("personality"), "SCMP_ACT_ERRNO", 22,
            List.of(new Seccomp.Arg(0, 8, 0, "SCMP_CMP_EQ"), new Seccomp.Arg(0, 9, 0, "SCMP_CMP_EQ")))));
  }

  @Test
  void aSmallProfileCompilesToAProgramThatChecksTheArchitectureFirst() {
    byte[] program = SeccompBpf.compile(small("SCMP_ACT_ERRNO"));
    assertTrue(program.length > 0 && program.length % SeccompBpf.INSTRUCTION_BYTES == 0, "length " + program.length);
    List<Insn> insns = decode(program);
    assertEquals(new Insn(BPF_LD_W_ABS, 0, 0, SECCOMP_DATA_ARCH), insns.getFirst(), "loads seccomp_data.arch");
    assertEquals(BPF_JMP_JEQ_K, insns.get(1).code());
    assertEquals(AUDIT_ARCH_X86_64, insns.get(1).k(), "native only: no other architecture was asked for");
  }

  @Test
  void theBuiltinProfileCompilesForEveryArchitectureItNames() {
    Seccomp filter = SeccompProfile.builtin()
        .resolve(List.of("CAP_CHOWN", "CAP_KILL"), new SeccompProfile.Host("amd64", new KernelVersion(6, 1)))
        .orElseThrow();
    byte[] program = SeccompBpf.compile(filter);
    List<Insn> insns = decode(program);
    assertTrue(insns.size() > 50, "one program, " + insns.size() + " instructions");
    assertEquals(new Insn(BPF_LD_W_ABS, 0, 0, SECCOMP_DATA_ARCH), insns.getFirst());
    var archChecks = insns.stream().filter(i -> i.code() == BPF_JMP_JEQ_K).map(Insn::k).collect(
        java.util.stream.Collectors.toSet());
    assertTrue(archChecks.containsAll(Set.of(AUDIT_ARCH_X86_64, AUDIT_ARCH_I386)), "x86_64 and i386 are checked");
    assertArrayEquals(program, SeccompBpf.compile(filter), "a pure function of the filter: cacheable");
  }

  @Test
  void aRuleWithTheDefaultActionIsSkippedAsRuncSkipsIt() {
    byte[] asDefault = SeccompBpf.compile(new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(),
        List.of(new Seccomp.Rule(List.of("mkdir"), "SCMP_ACT_ALLOW", null, List.of()))));
    byte[] empty = SeccompBpf.compile(new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), List.of()));
    assertArrayEquals(empty, asDefault);
  }

  @Test
  void errnoWithoutAValueIsEperm() {
    byte[] implicit = SeccompBpf.compile(small("SCMP_ACT_ERRNO"));
    byte[] explicit = SeccompBpf.compile(new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), List.of(
        new Seccomp.Rule(List.of("mkdir", "mkdirat"), "SCMP_ACT_ERRNO", 1, List.of()),
        new Seccomp.Rule(List.of("personality"), "SCMP_ACT_ERRNO", 22,
            List.of(new Seccomp.Arg(0, 8, 0, "SCMP_CMP_EQ"), new Seccomp.Arg(0, 9, 0, "SCMP_CMP_EQ"))))));
    assertArrayEquals(explicit, implicit);
    assertEquals(0x00050001, SeccompBpf.action("SCMP_ACT_ERRNO", null));
    assertEquals(0x00050026, SeccompBpf.action("SCMP_ACT_ERRNO", 38));
    assertEquals(0x00000000, SeccompBpf.action("SCMP_ACT_KILL", null));
    assertEquals(0x7fff0000, SeccompBpf.action("SCMP_ACT_ALLOW", null));
  }

  @Test
  void whatAnExecCannotHonourIsRefused() {
    assertThrows(InvalidArgumentException.class, () -> SeccompBpf.compile(small("SCMP_ACT_NOTIFY")));
    assertEquals(2 | 4, SeccompBpf.loadFlags(new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(
        "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), List.of())));
    assertEquals(0, SeccompBpf.loadFlags(small("SCMP_ACT_ERRNO")));
  }

  /** Runs a program for a call without arguments, as the kernel would: what it returns. */
  private static long run(byte[] program, long arch, long nr) {
    List<Insn> code = decode(program);
    long a = 0;
    for (int pc = 0; pc < code.size(); pc++) {
      Insn i = code.get(pc);
      switch (i.code()) {
        case 0x20 -> a = i.k() == 0 ? nr : i.k() == 4 ? arch : 0; // ld [k]: nr, arch, and zero for the rest
        case 0x54 -> a &= i.k(); // and #k
        case 0x05 -> pc += (int) i.k(); // ja
        case 0x15 -> pc += a == i.k() ? i.jt() : i.jf();
        case 0x25 -> pc += Long.compareUnsigned(a, i.k()) > 0 ? i.jt() : i.jf();
        case 0x35 -> pc += Long.compareUnsigned(a, i.k()) >= 0 ? i.jt() : i.jf();
        case 0x45 -> pc += (a & i.k()) != 0 ? i.jt() : i.jf();
        case 0x06 -> {
          return i.k();
        }
        default -> throw new AssertionError("opcode " + Integer.toHexString(i.code()) + " at " + pc);
      }
    }
    throw new AssertionError("ran off the end");
  }

  @Test
  void callsNewerThanTheProfileFailWithEnosysAsUnderRunc() {
    Seccomp filter = SeccompProfile.builtin()
        .resolve(List.of("CAP_CHOWN", "CAP_KILL"), new SeccompProfile.Host("amd64", new KernelVersion(6, 1)))
        .orElseThrow();
    byte[] program = SeccompBpf.compile(filter);
    long allow = 0x7fff0000L;
    long eperm = 0x00050001L;
    long enosys = 0x00050026L;
    assertEquals(allow, run(program, AUDIT_ARCH_X86_64, 0), "read");
    assertEquals(eperm, run(program, AUDIT_ARCH_X86_64, 272), "unshare without CAP_SYS_ADMIN: the default action");
    assertEquals(enosys, run(program, AUDIT_ARCH_X86_64, 1000), "beyond every call the profile names");
    assertEquals(allow, run(program, AUDIT_ARCH_X86_64, 0x40000000L), "x32 read");
    assertEquals(enosys, run(program, AUDIT_ARCH_X86_64, 0x40000000L | 1000), "x32, beyond the profile");
    assertEquals(allow, run(program, AUDIT_ARCH_I386, 3), "i386 read");
    assertEquals(enosys, run(program, AUDIT_ARCH_I386, 2000), "i386, beyond the profile");
    assertEquals(0L, run(program, 0xc00000b7L, 63), "an architecture the profile lacks: killed (libseccomp's KILL_THREAD)");
    byte[] permissive = SeccompBpf.compile(new Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), List.of(),
        List.of(new Seccomp.Rule(List.of("mkdir"), "SCMP_ACT_ERRNO", null, List.of()))));
    assertEquals(allow, run(permissive, AUDIT_ARCH_X86_64, 1000), "no stub under a permissive default");
  }
}
