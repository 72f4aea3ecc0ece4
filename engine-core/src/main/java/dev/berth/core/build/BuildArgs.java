package dev.berth.core.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Build arguments as dockerd's classic builder keeps them (builder/dockerfile/buildargs.go): the
 * {@code --build-arg} values, the ARGs declared before the first FROM (meta args, for FROM lines
 * and as defaults in stages) and those declared in the current stage. A stage sees only what it
 * declared, plus the predefined proxy arguments when the client gave them.
 */
final class BuildArgs {

  static final Set<String> BUILTIN = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
      "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

  /** The client's values; a null value is {@code --build-arg NAME} with NAME unset on the client. */
  private final Map<String, String> options;
  private final Set<String> optionKeys;
  private final Map<String, String> meta = new LinkedHashMap<>();
  private final Map<String, String> allowed = new LinkedHashMap<>();
  private final Set<String> referenced;

  BuildArgs(Map<String, String> options) {
    this.options = new HashMap<>(options);
    this.optionKeys = new LinkedHashSet<>(options.keySet());
    this.referenced = new LinkedHashSet<>();
  }

  private BuildArgs(BuildArgs from) {
    this.options = from.options;
    this.optionKeys = from.optionKeys;
    this.meta.putAll(from.meta);
    this.referenced = from.referenced;
  }

  /** A fresh stage: the meta args stay, the stage's own declarations start empty. */
  BuildArgs forStage() {
    return new BuildArgs(this);
  }

  /** ARG before FROM. */
  void addMeta(String key, String defaultValue) {
    meta.put(key, defaultValue);
    allowed.put(key, defaultValue);
    referenced.add(key);
  }

  /** ARG in a stage: a meta arg's value is the default when none is given. */
  void add(String key, String defaultValue) {
    String value = defaultValue;
    if (value == null && meta.containsKey(key)) {
      value = meta.get(key);
    }
    allowed.put(key, value);
    referenced.add(key);
  }

  /** The client's value when it gave one (a name it had no value for counts as none), else the declared default. */
  private String value(String key, String declared) {
    String v = options.get(key);
    return v != null ? v : declared;
  }

  /** The meta args' values, for FROM. */
  Map<String, String> metaValues() {
    var out = new LinkedHashMap<String, String>();
    meta.forEach((k, v) -> {
      String val = value(k, v);
      if (val != null) {
        out.put(k, val);
      }
    });
    return out;
  }

  /** Declared (and builtin given) args not shadowed by an ENV of the same name, as {@code k=v}. */
  List<String> filterAllowed(List<String> env) {
    Set<String> envKeys = new java.util.HashSet<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      envKeys.add(eq < 0 ? e : e.substring(0, eq));
    }
    var out = new ArrayList<String>();
    allowed.forEach((k, v) -> {
      String val = value(k, v);
      if (val != null && !envKeys.contains(k)) {
        out.add(k + "=" + val);
      }
    });
    for (String k : BUILTIN) {
      if (!allowed.containsKey(k) && options.get(k) != null && !envKeys.contains(k)) {
        out.add(k + "=" + options.get(k));
      }
    }
    return out;
  }

  /** Whether a builtin arg was declared by an ARG, so that it belongs in the cache key and history. */
  boolean referencedOrNotBuiltin(String key) {
    return !BUILTIN.contains(key) || allowed.containsKey(key);
  }

  /** Client args no ARG declared anywhere in the build, sorted, for dockerd's warning. */
  List<String> unused() {
    var out = new TreeMap<String, Boolean>();
    for (String k : optionKeys) {
      if (!referenced.contains(k) && !BUILTIN.contains(k)) {
        out.put(k, true);
      }
    }
    return List.copyOf(out.keySet());
  }
}
