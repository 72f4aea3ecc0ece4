package dev.berth.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.GoPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code changes} of {@code docker import} and {@code docker commit}: Dockerfile instructions
 * applied to an image's run config, with moby's rules and error texts ({@code BuildFromConfig}
 * in builder/dockerfile). Only instructions that change the config are allowed.
 */
final class ImageChanges {

  private static final Set<String> VALID = Set.of(
      "cmd", "entrypoint", "healthcheck", "env", "expose", "label", "onbuild", "stopsignal", "user", "volume", "workdir");
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  private static final Pattern PORT = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/(\\w+))?");
  private static final Pattern FLAG = Pattern.compile("--([a-z-]+)=(\\S*)");
  private static final long MIN_HEALTH_INTERVAL_NANOS = 1_000_000;

  private String user;
  private final Set<String> exposedPorts;
  private final List<String> env;
  private List<String> entrypoint;
  private List<String> cmd;
  private final Set<String> volumes;
  private String workingDir;
  private final Map<String, String> labels;
  private String stopSignal;
  private Healthcheck healthcheck;
  private List<String> onBuild;
  private boolean cmdSet;
  private final ImageRunConfig base;

  private ImageChanges(ImageRunConfig base) {
    this.base = base;
    user = base.user();
    exposedPorts = new LinkedHashSet<>(base.exposedPorts());
    env = new ArrayList<>(base.env());
    entrypoint = base.entrypoint();
    cmd = base.cmd();
    volumes = new LinkedHashSet<>(base.volumes());
    workingDir = base.workingDir();
    labels = new LinkedHashMap<>(base.labels());
    stopSignal = base.stopSignal();
    healthcheck = base.healthcheck();
    onBuild = base.onBuild();
  }

  /** @throws InvalidArgumentException with moby's text for an instruction it would refuse */
  static ImageRunConfig apply(ImageRunConfig base, List<String> changes) {
    if (changes == null || changes.isEmpty()) {
      return base;
    }
    List<String[]> instructions = parse(String.join("\n", changes));
    for (String[] i : instructions) {
      if (!VALID.contains(i[0].toLowerCase(Locale.ROOT))) {
        throw new InvalidArgumentException(i[0] + " is not a valid change command");
      }
    }
    var state = new ImageChanges(base);
    for (String[] i : instructions) {
      state.dispatch(i[0], i[1]);
    }
    return state.result();
  }

  /** Lines of instruction and arguments; backslash continues a line, # starts a comment line. */
  private static List<String[]> parse(String text) {
    var out = new ArrayList<String[]>();
    var pending = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1);
        continue;
      }
      pending.append(trimmed);
      String[] parts = pending.toString().strip().split("\\s+", 2);
      out.add(new String[] {parts[0], parts.length > 1 ? parts[1].strip() : ""});
      pending.setLength(0);
    }
    if (!pending.isEmpty()) {
      String[] parts = pending.toString().strip().split("\\s+", 2);
      out.add(new String[] {parts[0], parts.length > 1 ? parts[1].strip() : ""});
    }
    return out;
  }

  private void dispatch(String instruction, String rest) {
    String upper = instruction.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "ENV" -> keyValues(rest, "ENV").forEach(this::setEnv);
      case "LABEL" -> keyValues(rest, "LABEL").forEach(labels::put);
      case "CMD" -> {
        cmd = commandLine(rest);
        cmdSet = true;
      }
      case "ENTRYPOINT" -> {
        entrypoint = commandLine(rest);
        // Like a Dockerfile: a new ENTRYPOINT drops an inherited CMD unless CMD was given here too.
        if (!cmdSet) {
          cmd = null;
        }
      }
      case "EXPOSE" -> {
        List<String> ports = words(rest);
        if (ports.isEmpty()) {
          throw new InvalidArgumentException("EXPOSE requires at least one argument");
        }
        ports.forEach(p -> exposedPorts.addAll(portSpecs(p)));
      }
      case "USER" -> user = single(rest, "USER");
      case "WORKDIR" -> workingDir = workdir(single(rest, "WORKDIR"));
      case "STOPSIGNAL" -> stopSignal = signal(single(rest, "STOPSIGNAL"));
      case "VOLUME" -> {
        List<String> vols = GoJson.stringArray(rest);
        if (vols == null) {
          vols = words(rest);
        }
        if (vols.isEmpty()) {
          throw new InvalidArgumentException("VOLUME requires at least one argument");
        }
        for (String v : vols) {
          if (v.strip().isEmpty()) {
            throw new InvalidArgumentException("VOLUME specified can not be an empty string");
          }
          volumes.add(v.strip());
        }
      }
      case "ONBUILD" -> {
        if (rest.isEmpty()) {
          throw new InvalidArgumentException("ONBUILD requires at least one argument");
        }
        String trigger = rest.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (trigger.equals("ONBUILD")) {
          throw new InvalidArgumentException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        }
        if (trigger.equals("FROM") || trigger.equals("MAINTAINER")) {
          throw new InvalidArgumentException(trigger + " isn't allowed as an ONBUILD trigger");
        }
        onBuild = onBuild == null ? new ArrayList<>() : new ArrayList<>(onBuild);
        onBuild.add(rest);
      }
      case "HEALTHCHECK" -> healthcheck = healthcheck(rest);
      default -> throw new InvalidArgumentException(instruction + " is not a valid change command");
    }
  }

  private ImageRunConfig result() {
    return new ImageRunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
        base.stopTimeout(), healthcheck, onBuild, base.shell(), base.argsEscaped());
  }

  private Map<String, String> envMap() {
    var m = new LinkedHashMap<String, String>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      m.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
    return m;
  }

  private void setEnv(String key, String value) {
    String entry = key + "=" + value;
    for (int i = 0; i < env.size(); i++) {
      String kv = env.get(i);
      if (kv.equals(key) || kv.startsWith(key + "=")) {
        env.set(i, entry);
        return;
      }
    }
    env.add(entry);
  }

  /** {@code k=v k2="v 2"}, or the legacy {@code k v w} (one pair, the value being the rest). */
  private Map<String, String> keyValues(String rest, String name) {
    List<String> raw = ShellWords.splitRaw(rest);
    if (raw.isEmpty()) {
      throw new InvalidArgumentException(name + " requires at least one argument");
    }
    Map<String, String> vars = envMap();
    var out = new LinkedHashMap<String, String>();
    if (!raw.getFirst().contains("=")) {
      String[] parts = rest.split("\\s+", 2);
      if (parts.length < 2) {
        throw new InvalidArgumentException(name + " must have two arguments");
      }
      out.put(ShellWords.processWord(parts[0], vars), ShellWords.processWord(parts[1], vars));
      return out;
    }
    for (String w : raw) {
      int eq = w.indexOf('=');
      if (eq < 0) {
        throw new InvalidArgumentException(
            "Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
      }
      if (eq == 0) {
        throw new InvalidArgumentException(name + " names can not be blank");
      }
      out.put(ShellWords.processWord(w.substring(0, eq), vars), ShellWords.processWord(w.substring(eq + 1), vars));
    }
    return out;
  }

  private List<String> words(String rest) {
    return ShellWords.processWords(rest, envMap());
  }

  private String single(String rest, String name) {
    List<String> w = words(rest);
    if (w.size() != 1) {
      throw new InvalidArgumentException(name + " requires exactly one argument");
    }
    return w.getFirst();
  }

  /** Exec form (a JSON string array) as is; shell form wrapped in the shell. Not expanded, as in a Dockerfile. */
  private List<String> commandLine(String rest) {
    List<String> exec = GoJson.stringArray(rest);
    if (exec != null) {
      return exec;
    }
    var out = new ArrayList<>(base.shell() != null ? base.shell() : DEFAULT_SHELL);
    out.add(rest);
    return out;
  }

  /** A JSON array of strings, or null when {@code rest} is not one (then it is shell form). */


  private String workdir(String requested) {
    if (requested.startsWith("/")) {
      return GoPath.clean(requested);
    }
    String current = workingDir.isEmpty() ? "/" : workingDir;
    return GoPath.clean(current + "/" + requested);
  }

  /** {@code 80}, {@code 80/udp}, {@code 8000-8002/tcp}, as {@code nat.ParsePortSpecs} reads them. */
  private static List<String> portSpecs(String spec) {
    Matcher m = PORT.matcher(spec);
    if (!m.matches()) {
      throw new InvalidArgumentException("invalid containerPort: " + spec);
    }
    String proto = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
    if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
      throw new InvalidArgumentException("invalid proto: " + proto);
    }
    int start = port(m.group(1), spec);
    int end = m.group(2) == null ? start : port(m.group(2), spec);
    if (end < start) {
      throw new InvalidArgumentException("invalid range specified for containerPort: " + spec);
    }
    var out = new ArrayList<String>();
    for (int p = start; p <= end; p++) {
      out.add(p + "/" + proto);
    }
    return out;
  }

  private static int port(String s, String spec) {
    try {
      int p = Integer.parseInt(s);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("invalid containerPort: " + spec);
    }
  }

  /** moby's signal.ParseSignal check; the value is kept as written. */
  private static String signal(String raw) {
    if (!SignalNames.valid(raw)) {
      throw new InvalidArgumentException("invalid signal: " + raw);
    }
    return raw;
  }

  private Healthcheck healthcheck(String rest) {
    var flags = new LinkedHashMap<String, String>();
    String remaining = rest;
    while (remaining.startsWith("--")) {
      String[] parts = remaining.split("\\s+", 2);
      Matcher m = FLAG.matcher(parts[0]);
      if (!m.matches()) {
        throw new InvalidArgumentException("Unknown flag: " + parts[0].substring(2));
      }
      if (!Set.of("interval", "timeout", "start-period", "start-interval", "retries").contains(m.group(1))) {
        throw new InvalidArgumentException("Unknown flag: " + m.group(1));
      }
      flags.put(m.group(1), m.group(2));
      remaining = parts.length > 1 ? parts[1].strip() : "";
    }
    String[] typeAndArgs = remaining.split("\\s+", 2);
    String type = typeAndArgs[0].toUpperCase(Locale.ROOT);
    String args = typeAndArgs.length > 1 ? typeAndArgs[1].strip() : "";
    if (type.equals("NONE")) {
      if (!args.isEmpty()) {
        throw new InvalidArgumentException("HEALTHCHECK NONE takes no arguments");
      }
      return new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0);
    }
    if (!type.equals("CMD")) {
      throw new InvalidArgumentException("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    }
    List<String> exec = GoJson.stringArray(args);
    var test = new ArrayList<String>();
    if (exec != null) {
      test.add("CMD");
      test.addAll(exec);
    } else {
      test.add("CMD-SHELL");
      test.add(args);
    }
    int retries = 0;
    if (flags.containsKey("retries")) {
      try {
        retries = Integer.parseInt(flags.get("retries"));
      } catch (NumberFormatException e) {
        throw new InvalidArgumentException("invalid --retries value: " + flags.get("retries"));
      }
      if (retries < 0) {
        throw new InvalidArgumentException("--retries cannot be negative (" + retries + ")");
      }
    }
    return new Healthcheck(test, interval(flags, "interval"), interval(flags, "timeout"),
        interval(flags, "start-period"), interval(flags, "start-interval"), retries);
  }

  private static long interval(Map<String, String> flags, String name) {
    String v = flags.get(name);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    long d = GoDuration.parse(v);
    if (d != 0 && d < MIN_HEALTH_INTERVAL_NANOS) {
      String label = Character.toUpperCase(name.charAt(0)) + name.substring(1).replace("-", " ");
      throw new InvalidArgumentException(label + " \"--" + name + "\" cannot be less than 1ms");
    }
    return d;
  }
}
