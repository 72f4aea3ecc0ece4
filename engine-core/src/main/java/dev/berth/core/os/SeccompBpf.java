package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.seccomp.Seccomp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link Seccomp} filter into the classic BPF program ({@code struct sock_filter[]})
 * that seccomp(2) loads, through the host's libseccomp (the library runc links). Nothing is loaded
 * here: the caller hands the program to a process that installs it on itself before it executes.
 *
 * <p>Rules are added as runc 1.1 adds them (libcontainer/seccomp): SCMP_ACT_KILL is
 * SCMP_ACT_KILL_THREAD; SCMP_ACT_ERRNO and SCMP_ACT_TRACE without {@code errnoRet} return EPERM;
 * a rule whose action is the default action is skipped; a system call libseccomp does not know is
 * skipped; conditions on distinct arguments form one rule, while two on the same argument become
 * one rule each; the filter does not set no_new_privs itself (SCMP_FLTATR_CTL_NNP = 0). And as runc
 * patches what libseccomp makes, a system call newer than every one the profile names fails with
 * ENOSYS rather than the default action (so a program falls back from a call the kernel may not
 * have), unless the default action lets calls through anyway or already is ENOSYS.
 */
public final class SeccompBpf {

  /** One {@code struct sock_filter}: code (u16), jt (u8), jf (u8), k (u32). */
  public static final int INSTRUCTION_BYTES = 8;

  private static final int SCMP_FLTATR_CTL_NNP = 3;
  private static final int EPERM = 1;
  private static final int EEXIST = 17;
  private static final int ENOSYS = 38;
  private static final int MFD_CLOEXEC = 1;
  private static final int NR_SCMP_ERROR = -1;

  /** libseccomp's names for the runtime spec's architectures (seccomp_arch_resolve_name). */
  private static final Map<String, String> ARCH_NAMES = Map.ofEntries(
      Map.entry("SCMP_ARCH_X86", "x86"), Map.entry("SCMP_ARCH_X86_64", "x86_64"), Map.entry("SCMP_ARCH_X32", "x32"),
      Map.entry("SCMP_ARCH_ARM", "arm"), Map.entry("SCMP_ARCH_AARCH64", "aarch64"), Map.entry("SCMP_ARCH_MIPS", "mips"),
      Map.entry("SCMP_ARCH_MIPS64", "mips64"), Map.entry("SCMP_ARCH_MIPS64N32", "mips64n32"),
      Map.entry("SCMP_ARCH_MIPSEL", "mipsel"), Map.entry("SCMP_ARCH_MIPSEL64", "mipsel64"),
      Map.entry("SCMP_ARCH_MIPSEL64N32", "mipsel64n32"), Map.entry("SCMP_ARCH_PPC", "ppc"),
      Map.entry("SCMP_ARCH_PPC64", "ppc64"), Map.entry("SCMP_ARCH_PPC64LE", "ppc64le"),
      Map.entry("SCMP_ARCH_RISCV64", "riscv64"), Map.entry("SCMP_ARCH_S390", "s390"),
      Map.entry("SCMP_ARCH_S390X", "s390x"), Map.entry("SCMP_ARCH_LOONGARCH64", "loongarch64"));

  /** enum scmp_compare. */
  private static final Map<String, Integer> OPERATORS = Map.of("SCMP_CMP_NE", 1, "SCMP_CMP_LT", 2, "SCMP_CMP_LE", 3,
      "SCMP_CMP_EQ", 4, "SCMP_CMP_GE", 5, "SCMP_CMP_GT", 6, "SCMP_CMP_MASKED_EQ", 7);

  /** The seccomp(2) flags of the runtime spec's names (linux/seccomp.h). */
  private static final Map<String, Integer> FLAGS = Map.of("SECCOMP_FILTER_FLAG_TSYNC", 1,
      "SECCOMP_FILTER_FLAG_LOG", 2, "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4,
      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32);

  private SeccompBpf() {}

  /** Resolved on first use, so that a host without libseccomp fails only when a filter is compiled. */
  private static final class Lib {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup SECCOMP = SymbolLookup.libraryLookup("libseccomp.so.2", Arena.global());
    /** struct scmp_arg_cmp { unsigned int arg; enum scmp_compare op; scmp_datum_t datum_a, datum_b; }. */
    static final StructLayout ARG_CMP = MemoryLayout.structLayout(JAVA_INT.withName("arg"), JAVA_INT.withName("op"),
        JAVA_LONG.withName("datum_a"), JAVA_LONG.withName("datum_b"));
    static final MethodHandle INIT = handle("seccomp_init", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final MethodHandle RELEASE = handle("seccomp_release", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle ATTR_SET = handle("seccomp_attr_set",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    static final MethodHandle ARCH_RESOLVE = handle("seccomp_arch_resolve_name",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle ARCH_ADD = handle("seccomp_arch_add", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle SYSCALL_RESOLVE = handle("seccomp_syscall_resolve_name",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle SYSCALL_RESOLVE_ARCH = handle("seccomp_syscall_resolve_name_arch",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle ARCH_NATIVE = handle("seccomp_arch_native", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle RULE_ADD = handle("seccomp_rule_add_array",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle EXPORT_BPF = handle("seccomp_export_bpf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    private static MethodHandle handle(String name, FunctionDescriptor d) {
      return LINKER.downcallHandle(SECCOMP.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), d);
    }
  }

  /**
   * The filter's program, {@link #INSTRUCTION_BYTES} bytes an instruction. The same filter always
   * gives the same bytes, so callers may cache the result by the filter.
   *
   * @throws InvalidArgumentException for an architecture libseccomp does not know, SCMP_ACT_NOTIFY
   *     (which needs a listener no exec process has), or a rule libseccomp refuses
   */
  public static byte[] compile(Seccomp filter) {
    int defaultAction = action(filter.defaultAction(), filter.defaultErrnoRet());
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ctx = (MemorySegment) Lib.INIT.invokeExact(defaultAction);
      if (ctx.equals(MemorySegment.NULL)) {
        throw new IllegalStateException("error creating filter: seccomp_init failed");
      }
      try {
        for (String arch : filter.architectures()) {
          String name = ARCH_NAMES.get(arch);
          int token = name == null ? 0 : (int) Lib.ARCH_RESOLVE.invokeExact(arena.allocateFrom(name));
          if (token == 0) {
            throw new InvalidArgumentException("error validating Seccomp architecture: " + arch
                + " is not supported by this libseccomp");
          }
          int rc = (int) Lib.ARCH_ADD.invokeExact(ctx, token);
          if (rc < 0 && rc != -EEXIST) {
            throw failure("error adding architecture to seccomp filter", rc);
          }
        }
        check((int) Lib.ATTR_SET.invokeExact(ctx, SCMP_FLTATR_CTL_NNP, 0), "error setting no new privileges");
        for (Seccomp.Rule rule : filter.syscalls()) {
          int act = action(rule.action(), rule.errnoRet());
          if (act == defaultAction) {
            continue;
          }
          for (String name : rule.names()) {
            if (name.isEmpty()) {
              throw new InvalidArgumentException("empty string is not a valid syscall");
            }
            int nr = (int) Lib.SYSCALL_RESOLVE.invokeExact(arena.allocateFrom(name));
            if (nr == NR_SCMP_ERROR) {
              continue; // not a system call of this libseccomp: runc ignores it too
            }
            addRule(arena, ctx, act, nr, name, rule.args());
          }
        }
        return EnosysStub.prepend(lastSystemCalls(arena, filter), export(ctx));
      } finally {
        Lib.RELEASE.invokeExact(ctx);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * The highest number of the system calls the profile names, by architecture (libseccomp's
   * names), the native one included; empty when the filter needs no ENOSYS stub (runc's
   * patchbpf.generatePatch).
   */
  private static Map<String, Integer> lastSystemCalls(Arena arena, Seccomp filter) throws Throwable {
    if (List.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE").contains(filter.defaultAction())
        || Integer.valueOf(ENOSYS).equals(filter.defaultErrnoRet())) {
      return Map.of();
    }
    var arches = new java.util.LinkedHashMap<String, Integer>();
    for (String arch : filter.architectures()) {
      String name = ARCH_NAMES.get(arch);
      arches.put(name, (int) Lib.ARCH_RESOLVE.invokeExact(arena.allocateFrom(name)));
    }
    int nativeToken = (int) Lib.ARCH_NATIVE.invokeExact();
    ARCH_NAMES.values().forEach(name -> {
      try {
        if ((int) Lib.ARCH_RESOLVE.invokeExact(arena.allocateFrom(name)) == nativeToken) {
          arches.putIfAbsent(name, nativeToken);
        }
      } catch (Throwable t) {
        throw LibC.propagate(t);
      }
    });
    var last = new java.util.HashMap<String, Integer>();
    for (var arch : arches.entrySet()) {
      int highest = -1;
      for (Seccomp.Rule rule : filter.syscalls()) {
        for (String name : rule.names()) {
          highest = Math.max(highest, (int) Lib.SYSCALL_RESOLVE_ARCH.invokeExact((int) arch.getValue(), arena.allocateFrom(name)));
        }
      }
      if (highest > 0) {
        last.put(arch.getKey(), highest);
      }
    }
    return last;
  }

  /**
   * The seccomp(2) flags the filter asks for. The runc this engine runs (1.1) loads a container's
   * filter without flags and refuses a profile that names any, so an exec process should be
   * given the same: a filter with none gives 0, not runc 1.2's SPEC_ALLOW default.
   */
  public static int loadFlags(Seccomp filter) {
    int flags = 0;
    for (String f : filter.flags()) {
      flags |= FLAGS.getOrDefault(f, 0);
    }
    return flags;
  }

  private static void addRule(Arena arena, MemorySegment ctx, int act, int nr, String name, List<Seccomp.Arg> args)
      throws Throwable {
    if (args.isEmpty()) {
      check((int) Lib.RULE_ADD.invokeExact(ctx, act, nr, 0, MemorySegment.NULL),
          "error adding seccomp filter rule for syscall " + name);
      return;
    }
    int[] perIndex = new int[6];
    args.forEach(a -> perIndex[a.index()]++);
    boolean sharedIndex = java.util.Arrays.stream(perIndex).anyMatch(n -> n > 1);
    if (sharedIndex) {
      // runc: conditions on one argument are alternatives, each its own rule.
      for (Seccomp.Arg a : args) {
        check((int) Lib.RULE_ADD.invokeExact(ctx, act, nr, 1, conditions(arena, List.of(a))),
            "error adding seccomp rule for syscall " + name);
      }
    } else {
      check((int) Lib.RULE_ADD.invokeExact(ctx, act, nr, args.size(), conditions(arena, args)),
          "error adding seccomp rule for syscall " + name);
    }
  }

  private static MemorySegment conditions(Arena arena, List<Seccomp.Arg> args) {
    MemorySegment array = arena.allocate(Lib.ARG_CMP, args.size());
    long size = Lib.ARG_CMP.byteSize();
    for (int i = 0; i < args.size(); i++) {
      Seccomp.Arg a = args.get(i);
      MemorySegment s = array.asSlice(i * size, size);
      s.set(JAVA_INT, 0, a.index());
      s.set(JAVA_INT, 4, OPERATORS.get(a.op()));
      s.set(JAVA_LONG, 8, a.value());
      s.set(JAVA_LONG, 16, a.valueTwo());
    }
    return array;
  }

  private static byte[] export(MemorySegment ctx) throws Throwable {
    int fd;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      fd = (int) LibC.Memfd.MEMFD_CREATE.invokeExact(state, arena.allocateFrom("seccomp-bpf"), MFD_CLOEXEC);
      if (fd < 0) {
        throw new ErrnoException("memfd_create", LibC.errno(state));
      }
    }
    try {
      check((int) Lib.EXPORT_BPF.invokeExact(ctx, fd), "error exporting seccomp filter");
      // A fresh open of the memfd reads from its start, whatever the offset of fd.
      byte[] program = Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
      if (program.length == 0 || program.length % INSTRUCTION_BYTES != 0) {
        throw new IllegalStateException("libseccomp exported " + program.length + " bytes, not a BPF program");
      }
      return program;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Fd.close(fd);
    }
  }

  /** libseccomp's action value for a runtime-spec action, as runc's getAction maps it. */
  static int action(String name, Integer errnoRet) {
    int errno = errnoRet == null ? EPERM : errnoRet & 0xffff;
    return switch (name) {
      case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> 0x00000000;
      case "SCMP_ACT_KILL_PROCESS" -> 0x80000000;
      case "SCMP_ACT_TRAP" -> 0x00030000;
      case "SCMP_ACT_ERRNO" -> 0x00050000 | errno;
      case "SCMP_ACT_TRACE" -> 0x7ff00000 | errno;
      case "SCMP_ACT_LOG" -> 0x7ffc0000;
      case "SCMP_ACT_ALLOW" -> 0x7fff0000;
      case "SCMP_ACT_NOTIFY" -> throw new InvalidArgumentException(
          "SCMP_ACT_NOTIFY needs a seccomp agent; no exec process has one");
      default -> throw new InvalidArgumentException("string " + name + " is not a valid action for seccomp");
    };
  }

  private static void check(int rc, String what) {
    if (rc < 0) {
      throw failure(what, rc);
    }
  }

  private static InvalidArgumentException failure(String what, int rc) {
    return new InvalidArgumentException(what + ": " + ErrnoException.reason(-rc));
  }
}
