package dev.berth.core.seccomp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.error.InvalidArgumentException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A seccomp filter as the OCI runtime spec's {@code linux.seccomp} describes it: what runc
 * compiles with libseccomp and loads before it executes the container's process. Names are
 * checked with runc's words when the filter is made, so a bad profile fails at create rather than
 * in the runtime.
 *
 * @param defaultErrnoRet the errno of an {@code SCMP_ACT_ERRNO}/{@code SCMP_ACT_TRACE} default;
 *     null for runc's EPERM
 * @param architectures {@code SCMP_ARCH_*} names the filter also covers besides the native one
 * @param flags {@code SECCOMP_FILTER_FLAG_*} names for the seccomp(2) call that loads the filter;
 *     they are not part of the program
 */
public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures, List<String> flags,
    List<Rule> syscalls) {

  /** runc's actions (libcontainer/seccomp/config.go); SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD. */
  public static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
      "SCMP_ACT_ERRNO", "SCMP_ACT_TRAP", "SCMP_ACT_ALLOW", "SCMP_ACT_TRACE", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
  public static final Set<String> OPERATORS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
      "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
  /** The runtime spec's architectures that runc knows. */
  public static final Set<String> ARCHITECTURES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
      "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
      "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
      "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_LOONGARCH64");
  public static final Set<String> FLAGS = Set.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
      "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One rule: each of {@code names} gets {@code action} when all {@code args} hold.
   *
   * @param errnoRet the errno of SCMP_ACT_ERRNO/SCMP_ACT_TRACE; null for EPERM
   */
  public record Rule(List<String> names, String action, Integer errnoRet, List<Arg> args) {
    public Rule {
      names = names == null ? List.of() : List.copyOf(names);
      checkAction(action);
      args = args == null ? List.of() : List.copyOf(args);
    }
  }

  /**
   * A comparison of the system call's argument {@code index}; values are unsigned 64-bit numbers
   * held in a long. {@code SCMP_CMP_MASKED_EQ} tests {@code (arg & value) == valueTwo}.
   */
  public record Arg(int index, long value, long valueTwo, String op) {
    public Arg {
      if (!OPERATORS.contains(op)) {
        throw new InvalidArgumentException("string " + op + " is not a valid operator for seccomp");
      }
      if (index < 0 || index > 5) {
        // libseccomp-golang's MakeCondition, which runc reports when it adds the rule.
        throw new InvalidArgumentException("syscalls only have up to 6 arguments (" + index + " given)");
      }
    }
  }

  public Seccomp {
    checkAction(defaultAction);
    architectures = architectures == null ? List.of() : List.copyOf(architectures);
    for (String a : architectures) {
      if (!ARCHITECTURES.contains(a)) {
        throw new InvalidArgumentException("string " + a + " is not a valid arch for seccomp");
      }
    }
    flags = flags == null ? List.of() : List.copyOf(flags);
    for (String f : flags) {
      if (!FLAGS.contains(f)) {
        throw new InvalidArgumentException("seccomp flag " + f + " is not known to runc");
      }
    }
    syscalls = syscalls == null ? List.of() : List.copyOf(syscalls);
  }

  private static void checkAction(String action) {
    if (!ACTIONS.contains(action)) {
      throw new InvalidArgumentException("string " + action + " is not a valid action for seccomp");
    }
  }

  /** The {@code linux.seccomp} object of a config.json; fields left out as Go's omitempty does. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("defaultAction", defaultAction);
    if (defaultErrnoRet != null) {
      o.put("defaultErrnoRet", defaultErrnoRet);
    }
    if (!architectures.isEmpty()) {
      architectures.forEach(o.putArray("architectures")::add);
    }
    if (!flags.isEmpty()) {
      flags.forEach(o.putArray("flags")::add);
    }
    if (!syscalls.isEmpty()) {
      ArrayNode calls = o.putArray("syscalls");
      for (Rule r : syscalls) {
        ObjectNode c = calls.addObject();
        r.names().forEach(c.putArray("names")::add);
        c.put("action", r.action());
        if (r.errnoRet() != null) {
          c.put("errnoRet", r.errnoRet());
        }
        if (!r.args().isEmpty()) {
          ArrayNode args = c.putArray("args");
          for (Arg a : r.args()) {
            ObjectNode arg = args.addObject().put("index", a.index()).put("value", unsigned(a.value()));
            if (a.valueTwo() != 0) {
              arg.put("valueTwo", unsigned(a.valueTwo()));
            }
            arg.put("op", a.op());
          }
        }
      }
    }
    return o;
  }

  /** Reads a {@code linux.seccomp} object as {@link #toJson} writes it (and runc reads it). */
  public static Seccomp fromJson(JsonNode o) {
    var rules = new ArrayList<Rule>();
    for (JsonNode c : o.path("syscalls")) {
      var args = new ArrayList<Arg>();
      for (JsonNode a : c.path("args")) {
        args.add(new Arg(a.path("index").asInt(), a.path("value").bigIntegerValue().longValue(),
            a.path("valueTwo").bigIntegerValue().longValue(), a.path("op").asText()));
      }
      rules.add(new Rule(strings(c.path("names")), c.path("action").asText(),
          c.hasNonNull("errnoRet") ? c.get("errnoRet").asInt() : null, args));
    }
    return new Seccomp(o.path("defaultAction").asText(),
        o.hasNonNull("defaultErrnoRet") ? o.get("defaultErrnoRet").asInt() : null,
        strings(o.path("architectures")), strings(o.path("flags")), rules);
  }

  private static List<String> strings(JsonNode array) {
    var out = new ArrayList<String>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }
}
