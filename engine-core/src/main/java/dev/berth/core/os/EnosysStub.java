package dev.berth.core.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The prologue runc puts before the program libseccomp makes (libcontainer/seccomp/patchbpf): a
 * system call numbered above the highest one the profile names, on an architecture the profile
 * covers, fails with ENOSYS. Without it such a call would get the profile's default action
 * (EPERM for Docker's), and a program probing for a call newer than the profile would not fall
 * back as it does when the kernel lacks the call. Exec processes get the prologue so that they
 * see exactly what the container's init sees under runc.
 *
 * <p>x86-64 and x32 share one audit architecture; x32 calls carry bit 30 in their number.
 */
final class EnosysStub {

  private static final int X32_SYSCALL_BIT = 1 << 30;
  private static final int RET_ERRNO_ENOSYS = 0x00050000 | 38;
  // linux/filter.h opcodes.
  private static final short LD_W_ABS = 0x20;
  private static final short JEQ_K = 0x15;
  private static final short JGT_K = 0x25;
  private static final short JSET_K = 0x45;
  private static final short JA = 0x05;
  private static final short RET_K = 0x06;
  // struct seccomp_data: nr at 0, arch at 4.
  private static final int NR = 0;
  private static final int ARCH = 4;

  /** linux/audit.h architectures, by libseccomp name; x32 is x86-64's with bit 30 in the number. */
  private static final Map<String, Integer> AUDIT_ARCH = Map.of("x86_64", 0xc000003e, "x32", 0xc000003e,
      "x86", 0x40000003, "aarch64", 0xc00000b7, "arm", 0x40000028, "riscv64", 0xc00000f3, "ppc64le", 0xc0000015);

  private EnosysStub() {}

  private record Insn(short code, int jt, int jf, int k) {}

  /**
   * {@code program} with the prologue in front.
   *
   * @param last the highest system call number the profile names, by libseccomp architecture
   *     name; architectures not in {@link #AUDIT_ARCH} (s390x's multiplexed calls) are left alone
   */
  static byte[] prepend(Map<String, Integer> last, byte[] program) {
    var sections = new ArrayList<Section>();
    for (var e : last.entrySet()) {
      Integer audit = AUDIT_ARCH.get(e.getKey());
      if (audit == null) {
        continue;
      }
      Section s = sections.stream().filter(x -> x.audit == audit).findFirst().orElse(null);
      if (s == null) {
        s = new Section(audit);
        sections.add(s);
      }
      if (e.getKey().equals("x32")) {
        s.x32 = e.getValue();
      } else {
        s.nativeLast = e.getValue();
      }
    }
    if (sections.isEmpty()) {
      return program;
    }
    // Layout: arch dispatch, one section per audit arch, "ret ENOSYS", then the filter. Jumps are
    // relative to the next instruction; the stub is short enough for 8-bit offsets.
    var code = new ArrayList<Insn>();
    code.add(new Insn(LD_W_ABS, 0, 0, ARCH));
    int dispatch = code.size();
    sections.forEach(s -> code.add(null));
    code.add(null); // ja filter
    var starts = new ArrayList<Integer>();
    var limits = new ArrayList<Integer>(); // jgt last: ENOSYS, else the filter
    var skips = new ArrayList<Integer>(); // ja: the filter
    for (Section s : sections) {
      starts.add(code.size());
      code.add(new Insn(LD_W_ABS, 0, 0, NR));
      if (s.audit == AUDIT_ARCH.get("x86_64")) {
        // Bit 30 set: an x32 call, checked second; a mode the profile does not cover goes to the filter.
        int jset = code.size();
        code.add(null);
        int native64 = code.size();
        (s.nativeLast != null ? limits : skips).add(code.size());
        code.add(new Insn(s.nativeLast != null ? JGT_K : JA, 0, 0, s.nativeLast != null ? s.nativeLast : 0));
        int x32 = code.size();
        (s.x32 != null ? limits : skips).add(code.size());
        code.add(new Insn(s.x32 != null ? JGT_K : JA, 0, 0, s.x32 != null ? s.x32 : 0));
        code.set(jset, new Insn(JSET_K, x32 - jset - 1, native64 - jset - 1, X32_SYSCALL_BIT));
      } else {
        limits.add(code.size());
        code.add(new Insn(JGT_K, 0, 0, s.nativeLast));
      }
    }
    int enosys = code.size();
    code.add(new Insn(RET_K, 0, 0, RET_ERRNO_ENOSYS));
    int filter = code.size();
    for (int i = 0; i < sections.size(); i++) {
      code.set(dispatch + i, new Insn(JEQ_K, starts.get(i) - (dispatch + i) - 1, 0, sections.get(i).audit));
    }
    skips.add(dispatch + sections.size());
    for (int at : skips) {
      code.set(at, new Insn(JA, 0, 0, filter - at - 1));
    }
    for (int at : limits) {
      code.set(at, new Insn(JGT_K, enosys - at - 1, filter - at - 1, code.get(at).k()));
    }
    return assemble(code, program);
  }

  private static final class Section {
    final int audit;
    Integer nativeLast;
    Integer x32;

    Section(int audit) {
      this.audit = audit;
    }
  }

  private static byte[] assemble(List<Insn> code, byte[] program) {
    var out = ByteBuffer.allocate(code.size() * SeccompBpf.INSTRUCTION_BYTES + program.length)
        .order(ByteOrder.nativeOrder());
    for (Insn i : code) {
      if (i.jt() > 255 || i.jf() > 255) {
        throw new IllegalStateException("ENOSYS stub jump too long");
      }
      out.putShort(i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
    }
    return out.put(program).array();
  }
}
