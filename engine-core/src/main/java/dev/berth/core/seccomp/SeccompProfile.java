package dev.berth.core.seccomp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A seccomp profile in Docker's format: the OCI fields plus {@code archMap} and rules that apply
 * only with ({@code includes}) or without ({@code excludes}) given capabilities, architectures or
 * a minimum kernel. {@link #resolve} turns it into the {@link Seccomp} filter for one container,
 * as moby's setupSeccomp does when it builds the container's spec.
 */
public final class SeccompProfile {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger UINT_MAX = UINT64_MAX;

  /** Go's GOARCH names seen by profiles' {@code arches} (libseccomp-golang's), by the JVM's os.arch. */
  private static final Map<String, String> NATIVE_ARCH = Map.of(
      "amd64", "amd64", "x86_64", "amd64", "x86", "x86", "i386", "x86", "aarch64", "arm64", "arm", "arm",
      "ppc64le", "ppc64le", "s390x", "s390x", "riscv64", "riscv64", "loongarch64", "loongarch64");
  /** moby's nativeToSeccomp: which archMap entry is this host's. */
  private static final Map<String, String> SECCOMP_ARCH = Map.ofEntries(
      Map.entry("x86", "SCMP_ARCH_X86"), Map.entry("amd64", "SCMP_ARCH_X86_64"), Map.entry("arm", "SCMP_ARCH_ARM"),
      Map.entry("arm64", "SCMP_ARCH_AARCH64"), Map.entry("loong64", "SCMP_ARCH_LOONGARCH64"),
      Map.entry("mips64", "SCMP_ARCH_MIPS64"), Map.entry("mips64n32", "SCMP_ARCH_MIPS64N32"),
      Map.entry("mipsel64", "SCMP_ARCH_MIPSEL64"), Map.entry("mips3l64n32", "SCMP_ARCH_MIPSEL64N32"),
      Map.entry("mipsle", "SCMP_ARCH_MIPSEL"), Map.entry("ppc", "SCMP_ARCH_PPC"), Map.entry("ppc64", "SCMP_ARCH_PPC64"),
      Map.entry("ppc64le", "SCMP_ARCH_PPC64LE"), Map.entry("riscv64", "SCMP_ARCH_RISCV64"),
      Map.entry("s390", "SCMP_ARCH_S390"), Map.entry("s390x", "SCMP_ARCH_S390X"));

  private static volatile SeccompProfile builtin;

  /** What a profile is resolved against: the host's architecture (Go's name) and kernel. */
  public record Host(String arch, KernelVersion kernel) {
    public static Host current() {
      String release;
      try {
        release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String os = System.getProperty("os.arch");
      return new Host(NATIVE_ARCH.getOrDefault(os, os), KernelVersion.ofRelease(release));
    }
  }

  /** A condition on a rule; empty lists and a null kernel test nothing. */
  record Filter(List<String> caps, List<String> arches, KernelVersion minKernel) {}

  record ArchMap(String arch, List<String> subArches) {}

  record Arg(long index, long value, long valueTwo, String op) {}

  record Entry(List<String> names, String name, String action, Long errnoRet, List<Arg> args, Filter includes,
      Filter excludes) {}

  private final String defaultAction;
  private final Long defaultErrnoRet;
  private final List<String> architectures;
  private final List<ArchMap> archMap;
  private final List<String> flags;
  private final List<Entry> syscalls;

  private SeccompProfile(String defaultAction, Long defaultErrnoRet, List<String> architectures,
      List<ArchMap> archMap, List<String> flags, List<Entry> syscalls) {
    this.defaultAction = defaultAction;
    this.defaultErrnoRet = defaultErrnoRet;
    this.architectures = architectures;
    this.archMap = archMap;
    this.flags = flags;
    this.syscalls = syscalls;
  }

  /** Docker's default profile (resource {@code default.json}; see the README beside it). */
  public static SeccompProfile builtin() {
    SeccompProfile p = builtin;
    if (p == null) {
      try (InputStream in = SeccompProfile.class.getResourceAsStream("default.json")) {
        p = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      builtin = p;
    }
    return p;
  }

  /**
   * Reads a profile as dockerd's LoadProfile decodes it (Go's encoding/json: field names match
   * regardless of case, unknown fields are ignored, null leaves a field unset), then checks the
   * names runc would refuse when it loads the filter.
   *
   * @throws InvalidArgumentException "Decoding seccomp profile failed: ..." with Go's words for
   *     JSON that does not decode; runc's words for an unknown action, operator, architecture or
   *     flag; moby's for a profile with both {@code name} and {@code names} or both
   *     {@code architectures} and {@code archMap}
   */
  public static SeccompProfile parse(String body) {
    GoJsonSyntax.error(body).ifPresent(m -> {
      throw new InvalidArgumentException("Decoding seccomp profile failed: " + m);
    });
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("Decoding seccomp profile failed: " + e.getOriginalMessage());
    }
    var d = new Decoder();
    SeccompProfile p = d.profile(root);
    if (d.typeError != null) {
      throw new InvalidArgumentException("Decoding seccomp profile failed: " + d.typeError);
    }
    p.check();
    return p;
  }

  /** A profile read from a file (the daemon's {@code seccomp-profile}). */
  public static SeccompProfile read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new InvalidArgumentException("opening seccomp profile (" + file + ") failed: " + e.getMessage());
    }
  }

  /**
   * The filter for a container with {@code capabilities} (its bounding set) on {@code host}: the
   * host's archMap entry and the rules whose conditions hold. Empty when the profile names neither
   * a default action nor any rule (Docker runs such a container without a filter).
   */
  public Optional<Seccomp> resolve(List<String> capabilities, Host host) {
    if (defaultAction.isEmpty() && syscalls.isEmpty()) {
      return Optional.empty();
    }
    var arches = new ArrayList<>(architectures);
    String seccompArch = SECCOMP_ARCH.get(host.arch());
    if (seccompArch != null) {
      for (ArchMap a : archMap) {
        if (a.arch().equals(seccompArch)) {
          arches.add(a.arch());
          arches.addAll(a.subArches());
          break;
        }
      }
    }
    var rules = new ArrayList<Seccomp.Rule>();
    for (Entry e : syscalls) {
      if (applies(e, capabilities, host)) {
        rules.add(rule(e));
      }
    }
    return Optional.of(new Seccomp(defaultAction, intOrNull(defaultErrnoRet), arches, flags, rules));
  }

  private static boolean applies(Entry e, List<String> caps, Host host) {
    Filter ex = e.excludes();
    if (ex != null) {
      if (ex.arches().contains(host.arch())) {
        return false;
      }
      if (ex.caps().stream().anyMatch(caps::contains)) {
        return false;
      }
      if (ex.minKernel() != null && host.kernel().compareTo(ex.minKernel()) >= 0) {
        return false;
      }
    }
    Filter in = e.includes();
    if (in != null) {
      if (!in.arches().isEmpty() && !in.arches().contains(host.arch())) {
        return false;
      }
      if (!caps.containsAll(in.caps())) {
        return false;
      }
      if (in.minKernel() != null && host.kernel().compareTo(in.minKernel()) < 0) {
        return false;
      }
    }
    return true;
  }

  private static Seccomp.Rule rule(Entry e) {
    var args = new ArrayList<Seccomp.Arg>();
    for (Arg a : e.args()) {
      if (a.index() > 5) {
        throw new InvalidArgumentException("syscalls only have up to 6 arguments (" + a.index() + " given)");
      }
      args.add(new Seccomp.Arg((int) a.index(), a.value(), a.valueTwo(), a.op()));
    }
    List<String> names = e.name().isEmpty() ? e.names() : List.of(e.name());
    return new Seccomp.Rule(names, e.action(), intOrNull(e.errnoRet()), args);
  }

  /** What runc and moby refuse, in the order they look: flags, architectures, default action, rules. */
  private void check() {
    for (Entry e : syscalls) {
      if (!e.name().isEmpty() && !e.names().isEmpty()) {
        throw new InvalidArgumentException(
            "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
      }
    }
    if (!architectures.isEmpty() && !archMap.isEmpty()) {
      throw new InvalidArgumentException(
          "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
    }
    if (defaultAction.isEmpty() && syscalls.isEmpty()) {
      return;
    }
    var arches = new ArrayList<>(architectures);
    archMap.forEach(a -> {
      arches.add(a.arch());
      arches.addAll(a.subArches());
    });
    // Every rule, whatever its conditions: one that names no known action is a broken profile on
    // any host.
    new Seccomp(defaultAction, intOrNull(defaultErrnoRet), arches, flags, syscalls.stream().map(SeccompProfile::rule)
        .toList());
  }

  private static Integer intOrNull(Long v) {
    // errno values are 16 bits in the filter's return; runc truncates the same way.
    return v == null ? null : (int) (v & 0xffff);
  }

  /** Go's json.Unmarshal into moby's Seccomp type: the first type error is kept, decoding goes on. */
  private static final class Decoder {
    String typeError;

    SeccompProfile profile(JsonNode root) {
      var empty = new SeccompProfile("", null, List.of(), List.of(), List.of(), List.of());
      if (root == null || root.isNull()) {
        return empty;
      }
      if (!root.isObject()) {
        typeError = "json: cannot unmarshal " + kind(root) + " into Go value of type seccomp.Seccomp";
        return empty;
      }
      Map<String, JsonNode> f = fields(root);
      String s = "Seccomp";
      return new SeccompProfile(
          string(f.get("defaultaction"), s, "defaultAction", "specs.LinuxSeccompAction"),
          unsigned(f.get("defaulterrnoret"), s, "defaultErrnoRet", "uint", UINT_MAX),
          strings(f.get("architectures"), s, "architectures", "specs.Arch"),
          list(f.get("archmap"), s, "archMap", "seccomp.Architecture", n -> {
            Map<String, JsonNode> a = fields(n);
            return new ArchMap(string(a.get("architecture"), "Architecture", "archMap.architecture", "specs.Arch"),
                strings(a.get("subarchitectures"), "Architecture", "archMap.subArchitectures", "specs.Arch"));
          }),
          strings(f.get("flags"), s, "flags", "specs.LinuxSeccompFlag"),
          list(f.get("syscalls"), s, "syscalls", "seccomp.Syscall", this::entry));
    }

    private Entry entry(JsonNode n) {
      Map<String, JsonNode> f = fields(n);
      String s = "Syscall";
      return new Entry(
          strings(f.get("names"), s, "syscalls.names", "string"),
          string(f.get("name"), s, "syscalls.name", "string"),
          string(f.get("action"), s, "syscalls.action", "specs.LinuxSeccompAction"),
          unsigned(f.get("errnoret"), s, "syscalls.errnoRet", "uint", UINT_MAX),
          list(f.get("args"), s, "syscalls.args", "specs.LinuxSeccompArg", a -> {
            Map<String, JsonNode> af = fields(a);
            String t = "LinuxSeccompArg";
            Long index = unsigned(af.get("index"), t, "syscalls.args.index", "uint", UINT_MAX);
            Long value = unsigned(af.get("value"), t, "syscalls.args.value", "uint64", UINT64_MAX);
            Long two = unsigned(af.get("valuetwo"), t, "syscalls.args.valueTwo", "uint64", UINT64_MAX);
            return new Arg(index == null ? 0 : index, value == null ? 0 : value, two == null ? 0 : two,
                string(af.get("op"), t, "syscalls.args.op", "specs.LinuxSeccompOperator"));
          }),
          filter(f.get("includes"), "syscalls.includes"),
          filter(f.get("excludes"), "syscalls.excludes"));
    }

    private Filter filter(JsonNode n, String path) {
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isObject()) {
        mismatch(n, "Syscall", path, "seccomp.Filter");
        return null;
      }
      Map<String, JsonNode> f = fields(n);
      return new Filter(strings(f.get("caps"), "Filter", path + ".caps", "string"),
          strings(f.get("arches"), "Filter", path + ".arches", "string"),
          kernel(f.get("minkernel")));
    }

    /** moby's KernelVersion.UnmarshalJSON: its error ends decoding, whatever was saved before. */
    private static KernelVersion kernel(JsonNode n) {
      if (n == null || n.isNull()) {
        return null;
      }
      String raw = n.toString();
      String expected = "invalid kernel version: " + raw + ", expected \"<kernel>.<major>\"";
      if (!n.isTextual()) {
        throw decoding(expected + ": json: cannot unmarshal " + kind(n) + " into Go value of type string");
      }
      String ver = n.asText();
      if (ver.isEmpty()) {
        return null;
      }
      String[] parts = ver.split("\\.", 3);
      if (parts.length != 2) {
        throw decoding(expected);
      }
      int kernel = uint8(parts[0], expected);
      int major = uint8(parts[1], expected);
      if (kernel == 0 && major == 0) {
        throw decoding(expected + ": version cannot be 0.0");
      }
      return new KernelVersion(kernel, major);
    }

    private static int uint8(String s, String expected) {
      if (!s.matches("[0-9]+")) {
        throw decoding(expected + ": strconv.ParseUint: parsing \"" + s + "\": invalid syntax");
      }
      var v = new BigInteger(s);
      if (v.compareTo(BigInteger.valueOf(255)) > 0) {
        throw decoding(expected + ": strconv.ParseUint: parsing \"" + s + "\": value out of range");
      }
      return v.intValue();
    }

    private static InvalidArgumentException decoding(String message) {
      return new InvalidArgumentException("Decoding seccomp profile failed: " + message);
    }

    private String string(JsonNode n, String struct, String path, String type) {
      if (n == null || n.isNull()) {
        return "";
      }
      if (!n.isTextual()) {
        mismatch(n, struct, path, type);
        return "";
      }
      return n.asText();
    }

    private Long unsigned(JsonNode n, String struct, String path, String type, BigInteger max) {
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isNumber()) {
        mismatch(n, struct, path, type);
        return null;
      }
      String literal = n.asText();
      if (!n.isIntegralNumber() || n.bigIntegerValue().signum() < 0 || n.bigIntegerValue().compareTo(max) > 0) {
        if (typeError == null) {
          typeError = "json: cannot unmarshal number " + literal + " into Go struct field " + struct + "." + path
              + " of type " + type;
        }
        return null;
      }
      return n.bigIntegerValue().longValue();
    }

    private List<String> strings(JsonNode n, String struct, String path, String elementType) {
      return list(n, struct, path, elementType, e -> {
        if (!e.isTextual()) {
          mismatch(e, struct, path, elementType);
          return "";
        }
        return e.asText();
      });
    }

    private <T> List<T> list(JsonNode n, String struct, String path, String elementType,
        java.util.function.Function<JsonNode, T> element) {
      if (n == null || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        String slice = elementType.startsWith("seccomp.Syscall") ? "[]*" + elementType : "[]" + elementType;
        mismatch(n, struct, path, slice);
        return List.of();
      }
      var out = new ArrayList<T>();
      for (JsonNode e : n) {
        if (e.isNull()) {
          continue;
        }
        if (!e.isObject() && (elementType.startsWith("seccomp.") || elementType.startsWith("specs.LinuxSeccompArg"))) {
          mismatch(e, struct, path, elementType);
          continue;
        }
        out.add(element.apply(e));
      }
      return List.copyOf(out);
    }

    private void mismatch(JsonNode n, String struct, String path, String type) {
      if (typeError == null) {
        typeError = "json: cannot unmarshal " + kind(n) + " into Go struct field " + struct + "." + path + " of type "
            + type;
      }
    }

    private static String kind(JsonNode n) {
      if (n.isTextual()) {
        return "string";
      }
      if (n.isNumber()) {
        return "number";
      }
      if (n.isBoolean()) {
        return "bool";
      }
      return n.isArray() ? "array" : "object";
    }

    /** Go matches a key to a field regardless of case; with duplicates, the last one wins. */
    private static Map<String, JsonNode> fields(JsonNode object) {
      var out = new HashMap<String, JsonNode>();
      object.properties().forEach(e -> out.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
      return out;
    }
  }
}
